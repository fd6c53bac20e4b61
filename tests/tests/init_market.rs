//! InitMarket: success, and each rejection with its own error and every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        instruction::{BallastInstruction, InitMarketArgs},
        pda,
        pod::Le64,
        state::{AccountKind, Market, CURRENT_VERSION},
    },
    ballast_tests::{assert_rejected, mollusk, read_state, wallet, zeroed_account},
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

struct Case {
    market: Address,
    owner: Address,
    args: InitMarketArgs,
    accounts: Vec<(Address, Account)>,
}

fn case() -> Case {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let args = InitMarketArgs::with_defaults(b"USD", Address::new_unique(), Address::new_unique());
    let accounts =
        vec![(market, zeroed_account(&ballast_interface::ID, Market::SIZE)), (owner, wallet(1_000_000_000))];
    Case { market, owner, args, accounts }
}

impl Case {
    fn instruction(&self) -> Instruction {
        client::init_market(&self.market, &self.owner, &self.args)
    }

    fn reject(&self, instruction: &Instruction, expected: BallastError) {
        let result = mollusk().process_instruction(instruction, &self.accounts);
        assert_rejected(&result, &self.accounts, expected);
    }
}

#[test]
fn initializes_a_market_with_its_parameters() {
    let case = case();
    let result = mollusk().process_instruction(&case.instruction(), &case.accounts);
    assert_eq!(result.program_result, ProgramResult::Success);

    let market: Market = read_state(&result.resulting_accounts[0].1);
    assert_eq!(market.header.discriminator, AccountKind::Market as u8);
    assert_eq!(market.header.version, CURRENT_VERSION);
    assert_eq!(market.owner, case.owner);
    assert_eq!(market.pending_owner, Address::default());
    assert_eq!(market.risk_council, case.args.risk_council);
    assert_eq!(market.emergency_council, case.args.emergency_council);
    assert_eq!(&market.quote_currency[..4], b"USD\0");
    assert_eq!(market.close_factor_pct, 25);
    assert_eq!(market.insolvency_ltv_pct, 95);
    assert_eq!(market.max_liquidatable_value_at_once.get(), 500_000);
    assert_eq!(market.min_full_liquidation_value.get(), 2);
    assert!(!market.borrow_disabled.is_on());
    assert!(!market.price_triggered_liquidation_disabled.is_on());
    assert!(!market.emergency_mode.is_on());
    let (authority, bump) = pda::find_market_authority(&case.market);
    assert_eq!(market.authority_bump, bump);
    assert_eq!(market.authority, authority);
    assert!(market.reserved.iter().all(|b| *b == 0));
}

#[test]
fn rejects_a_missing_owner_signature() {
    let case = case();
    let mut ix = case.instruction();
    ix.accounts[1].is_signer = false;
    case.reject(&ix, BallastError::MissingSigner);
}

#[test]
fn rejects_a_market_not_owned_by_the_program() {
    let mut case = case();
    case.accounts[0].1.owner = Address::new_unique();
    case.reject(&case.instruction(), BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_a_read_only_market() {
    let case = case();
    let mut ix = case.instruction();
    ix.accounts[0].is_writable = false;
    case.reject(&ix, BallastError::AccountNotWritable);
}

#[test]
fn rejects_an_already_initialized_market() {
    let case = case();
    let first = mollusk().process_instruction(&case.instruction(), &case.accounts);
    assert_eq!(first.program_result, ProgramResult::Success);
    let accounts = first.resulting_accounts.clone();
    let result = mollusk().process_instruction(&case.instruction(), &accounts);
    assert_rejected(&result, &accounts, BallastError::AccountAlreadyInitialized);
}

#[test]
fn rejects_a_market_account_of_the_wrong_size() {
    for len in [0, Market::SIZE - 1, Market::SIZE + 1] {
        let mut case = case();
        case.accounts[0].1 = zeroed_account(&ballast_interface::ID, len);
        case.reject(&case.instruction(), BallastError::InvalidAccountSize);
    }
}

#[test]
fn rejects_the_market_passed_as_its_own_owner() {
    let case = case();
    let mut ix = case.instruction();
    ix.accounts[1].pubkey = case.market;
    ix.accounts[0].is_signer = true;
    ix.accounts[1].is_writable = true;
    let accounts = vec![case.accounts[0].clone()];
    let result = mollusk().process_instruction(&ix, &accounts);
    assert_rejected(&result, &accounts, BallastError::DuplicateAccount);
}

#[test]
fn rejects_too_few_accounts() {
    let case = case();
    let mut ix = case.instruction();
    ix.accounts.truncate(1);
    let accounts = vec![case.accounts[0].clone()];
    let result = mollusk().process_instruction(&ix, &accounts);
    assert_rejected(&result, &accounts, BallastError::NotEnoughAccounts);
}

#[test]
fn rejects_truncated_extra_or_unknown_instruction_data() {
    let case = case();
    let good = case.instruction();

    let mut truncated = good.clone();
    truncated.data.pop();
    case.reject(&truncated, BallastError::InvalidInstructionDataLength);

    let mut extra = good.clone();
    extra.data.push(0);
    case.reject(&extra, BallastError::InvalidInstructionDataLength);

    let mut only_discriminator = good.clone();
    only_discriminator.data = vec![BallastInstruction::InitMarket as u8];
    case.reject(&only_discriminator, BallastError::InvalidInstructionDataLength);

    let mut empty = good.clone();
    empty.data.clear();
    case.reject(&empty, BallastError::UnknownInstruction);

    let mut unknown = good;
    unknown.data[0] = 200;
    case.reject(&unknown, BallastError::UnknownInstruction);
}

#[test]
fn rejects_each_out_of_range_parameter() {
    type Edit = fn(&mut InitMarketArgs);
    let cases: Vec<(Edit, BallastError)> = vec![
        (|a| a.close_factor_pct = 4, BallastError::InvalidCloseFactor),
        (|a| a.close_factor_pct = 101, BallastError::InvalidCloseFactor),
        (|a| a.insolvency_ltv_pct = 49, BallastError::InvalidInsolvencyLtv),
        (|a| a.insolvency_ltv_pct = 101, BallastError::InvalidInsolvencyLtv),
        (|a| a.max_liquidatable_value_at_once = Le64::new(0), BallastError::InvalidMaxLiquidatableValue),
        (
            |a| a.min_full_liquidation_value = Le64::new(a.max_liquidatable_value_at_once.get() + 1),
            BallastError::InvalidMinFullLiquidationValue,
        ),
        (
            |a| a.min_value_skip_ltv_checks = Le64::new(a.max_liquidatable_value_at_once.get() + 1),
            BallastError::InvalidSkipCheckValue,
        ),
        (
            |a| a.min_value_skip_bf_checks = Le64::new(a.max_liquidatable_value_at_once.get() + 1),
            BallastError::InvalidSkipCheckValue,
        ),
        (|a| a.risk_council = Address::default(), BallastError::InvalidCouncil),
        (|a| a.emergency_council = Address::default(), BallastError::InvalidCouncil),
        (|a| a.quote_currency = [0; 32], BallastError::InvalidQuoteCurrency),
    ];
    for (edit, expected) in cases {
        let mut case = case();
        edit(&mut case.args);
        case.reject(&case.instruction(), expected);
    }
}

#[test]
fn accepts_the_parameter_bounds() {
    let mut case = case();
    case.args.close_factor_pct = 100;
    case.args.insolvency_ltv_pct = 50;
    case.args.min_full_liquidation_value = case.args.max_liquidatable_value_at_once;
    let result = mollusk().process_instruction(&case.instruction(), &case.accounts);
    assert_eq!(result.program_result, ProgramResult::Success);
}
