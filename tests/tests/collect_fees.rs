//! CollectFees: whole tokens of accrued fees move to the insurance and fee vaults, and each rejection has its
//! own error and leaves every account unchanged.

use {
    ballast_interface::{client, error::BallastError, pod::Le16, state::Reserve},
    ballast_math::Fraction,
    ballast_tests::{
        assert_rejected,
        fixtures::{market_state, program_account, reserve_state, token_account, token_amount, ReserveKeys},
        mollusk, read_state, wallet,
    },
    mollusk_svm::Mollusk,
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

const SLOT: u64 = 5_000;
const TOKEN_2022_ID: Address = Address::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");

const RESERVE: usize = 0;
const MARKET: usize = 1;
const LIQUIDITY_VAULT: usize = 2;
const FEE_VAULT: usize = 3;
const INSURANCE_VAULT: usize = 4;
const AUTHORITY: usize = 5;
const TOKEN_PROGRAM: usize = 6;

struct Case {
    reserve: Reserve,
    instruction: Instruction,
    accounts: Vec<(Address, Account)>,
}

/// A fresh reserve with `available` tokens in its vault and `fees` (a Fraction of tokens) of protocol fees.
fn case(available: u64, fees: Fraction) -> Case {
    let keys = ReserveKeys::new();
    let market = Address::new_unique();
    let market_state = market_state(&market, &Address::new_unique());
    let mut reserve = reserve_state(&keys, &market, 6, Fraction::ONE, SLOT);
    reserve.available_amount.set(available);
    reserve.borrowed_amount_sf.set(Fraction::from_integer(500_000).raw());
    reserve.protocol_fees_sf.set(fees.raw());
    let authority = market_state.authority;
    let instruction = client::collect_fees(&keys.reserve, &market);
    let accounts = vec![
        (keys.reserve, program_account(&reserve)),
        (market, program_account(&market_state)),
        (keys.liquidity_vault, token_account(&keys.liquidity_mint, &authority, available)),
        (keys.fee_vault, token_account(&keys.liquidity_mint, &authority, 7)),
        (keys.insurance_vault, token_account(&keys.liquidity_mint, &authority, 11)),
        (authority, wallet(0)),
        mollusk_svm_programs_token::token::keyed_account(),
    ];
    Case { reserve, instruction, accounts }
}

fn default_case() -> Case {
    // 1,234.75 tokens of fees.
    case(1_000_000, Fraction::from_integer(1_234).checked_add(Fraction::from_bps(7_500)).unwrap())
}

impl Case {
    fn mollusk(&self) -> Mollusk {
        let mut mollusk = mollusk();
        mollusk.warp_to_slot(SLOT);
        mollusk
    }

    fn run(&self) -> Vec<(Address, Account)> {
        let result = self.mollusk().process_instruction(&self.instruction, &self.accounts);
        assert_eq!(result.program_result, ProgramResult::Success);
        println!("CollectFees CU: {}", result.compute_units_consumed);
        result.resulting_accounts
    }

    fn reject(&self, expected: BallastError) {
        let result = self.mollusk().process_instruction(&self.instruction, &self.accounts);
        assert_rejected(&result, &self.accounts, expected);
    }

    fn substitute(&mut self, index: usize, address: Address, account: Account) {
        self.instruction.accounts[index].pubkey = address;
        self.accounts[index] = (address, account);
    }

    fn set_reserve(&mut self, edit: impl Fn(&mut Reserve)) {
        edit(&mut self.reserve);
        self.accounts[RESERVE].1 = program_account(&self.reserve);
    }
}

#[test]
fn collects_whole_tokens_split_between_insurance_and_fees() {
    let case = default_case();
    let after = case.run();
    // floor(1,234.75) = 1,234; half to insurance (617), the rest to fees (617).
    assert_eq!(token_amount(&after[LIQUIDITY_VAULT].1), 1_000_000 - 1_234);
    assert_eq!(token_amount(&after[INSURANCE_VAULT].1), 11 + 617);
    assert_eq!(token_amount(&after[FEE_VAULT].1), 7 + 617);

    let reserve: Reserve = read_state(&after[RESERVE].1);
    let mut expected = case.reserve;
    expected.available_amount.set(1_000_000 - 1_234);
    expected.protocol_fees_sf.set(Fraction::from_bps(7_500).raw());
    assert_eq!(reserve, expected);
    // Invariant 1: the vault holds exactly the available amount.
    assert_eq!(token_amount(&after[LIQUIDITY_VAULT].1), reserve.available_amount.get());
}

#[test]
fn rounds_the_insurance_share_down() {
    let mut case = case(1_000_000, Fraction::from_integer(1_001));
    case.set_reserve(|r| r.config.insurance_fee_share_bps = Le16::new(3_333));
    let after = case.run();
    // floor(1,001 × 0.3333) = 333; the fee vault gets the other 668.
    assert_eq!(token_amount(&after[INSURANCE_VAULT].1), 11 + 333);
    assert_eq!(token_amount(&after[FEE_VAULT].1), 7 + 668);
}

#[test]
fn sends_everything_to_one_vault_at_the_share_bounds() {
    let mut case = case(1_000_000, Fraction::from_integer(50));
    case.set_reserve(|r| r.config.insurance_fee_share_bps = Le16::new(0));
    let after = case.run();
    assert_eq!(token_amount(&after[INSURANCE_VAULT].1), 11);
    assert_eq!(token_amount(&after[FEE_VAULT].1), 7 + 50);

    let mut case = self::case(1_000_000, Fraction::from_integer(50));
    case.set_reserve(|r| r.config.insurance_fee_share_bps = Le16::new(10_000));
    let after = case.run();
    assert_eq!(token_amount(&after[INSURANCE_VAULT].1), 11 + 50);
    assert_eq!(token_amount(&after[FEE_VAULT].1), 7);
}

#[test]
fn collects_at_most_the_available_liquidity() {
    let case = case(300, Fraction::from_integer(1_000));
    let after = case.run();
    assert_eq!(token_amount(&after[LIQUIDITY_VAULT].1), 0);
    let reserve: Reserve = read_state(&after[RESERVE].1);
    assert_eq!(reserve.available_amount.get(), 0);
    assert_eq!(reserve.protocol_fees_sf.get(), Fraction::from_integer(700).raw());
    assert_eq!(token_amount(&after[INSURANCE_VAULT].1) + token_amount(&after[FEE_VAULT].1), 11 + 7 + 300);
}

#[test]
fn rejects_nothing_to_collect() {
    // Less than one whole token of fees.
    case(1_000, Fraction::from_bps(9_999)).reject(BallastError::ZeroAmount);
    // No liquidity to take it from.
    case(0, Fraction::from_integer(10)).reject(BallastError::ZeroAmount);
}

#[test]
fn rejects_a_stale_reserve() {
    let mut case = default_case();
    case.set_reserve(|r| r.last_update_slot.set(SLOT - 1));
    case.reject(BallastError::ReserveStale);
}

#[test]
fn rejects_another_markets_reserve() {
    let mut case = default_case();
    let other = Address::new_unique();
    let other_state = market_state(&other, &Address::new_unique());
    case.substitute(MARKET, other, program_account(&other_state));
    case.reject(BallastError::MarketMismatch);
}

#[test]
fn rejects_accounts_not_owned_by_the_program() {
    let mut case = default_case();
    case.accounts[RESERVE].1.owner = Address::new_unique();
    case.reject(BallastError::InvalidAccountOwner);

    let mut case = default_case();
    case.accounts[MARKET].1.owner = Address::new_unique();
    case.reject(BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_read_only_accounts() {
    for index in [RESERVE, LIQUIDITY_VAULT, FEE_VAULT, INSURANCE_VAULT] {
        let mut case = default_case();
        case.instruction.accounts[index].is_writable = false;
        case.reject(BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_vaults_that_are_not_the_reserves() {
    for index in [LIQUIDITY_VAULT, FEE_VAULT, INSURANCE_VAULT] {
        let mut case = default_case();
        let mint = Address::try_from(&case.accounts[index].1.data[0..32]).unwrap();
        let owner = Address::try_from(&case.accounts[index].1.data[32..64]).unwrap();
        case.substitute(index, Address::new_unique(), token_account(&mint, &owner, 1_000_000));
        case.reject(BallastError::InvalidVault);
    }
    // The fee and insurance vaults swapped.
    let mut case = default_case();
    let (fee, insurance) = (case.accounts[FEE_VAULT].clone(), case.accounts[INSURANCE_VAULT].clone());
    case.substitute(FEE_VAULT, insurance.0, insurance.1);
    case.substitute(INSURANCE_VAULT, fee.0, fee.1);
    case.reject(BallastError::InvalidVault);
}

#[test]
fn rejects_a_wrong_market_authority_or_token_program() {
    let mut case = default_case();
    case.substitute(AUTHORITY, Address::new_unique(), wallet(0));
    case.reject(BallastError::InvalidPda);

    let mut case = default_case();
    case.substitute(TOKEN_PROGRAM, TOKEN_2022_ID, wallet(0));
    case.reject(BallastError::InvalidTokenProgram);
}

#[test]
fn rejects_wrong_data_length_and_too_few_accounts() {
    let mut case = default_case();
    case.instruction.data.push(0);
    case.reject(BallastError::InvalidInstructionDataLength);

    let mut case = default_case();
    case.instruction.accounts.truncate(TOKEN_PROGRAM);
    case.accounts.truncate(TOKEN_PROGRAM);
    case.reject(BallastError::NotEnoughAccounts);
}
