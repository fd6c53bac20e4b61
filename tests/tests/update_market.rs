//! UpdateMarket: the owner sets the three emergency switches both ways, the emergency council only switches
//! them on, and each rejection leaves every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        instruction::{BallastInstruction, UpdateMarketArgs},
        pod::Flag,
        state::Market,
    },
    ballast_math::Fraction,
    ballast_tests::{
        assert_rejected,
        fixtures::{market_state, program_account, reserve_state, ReserveKeys},
        mollusk, read_state, wallet,
    },
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

struct Case {
    market: Address,
    state: Market,
    owner: Address,
    council: Address,
}

fn case() -> Case {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let state = market_state(&market, &owner);
    let council = state.emergency_council;
    Case { market, state, owner, council }
}

fn args(price_triggered: u8, borrow: u8, emergency: u8) -> UpdateMarketArgs {
    UpdateMarketArgs {
        price_triggered_liquidation_disabled: Flag(price_triggered),
        borrow_disabled: Flag(borrow),
        emergency_mode: Flag(emergency),
    }
}

impl Case {
    fn accounts(&self, authority: &Address) -> Vec<(Address, Account)> {
        vec![(self.market, program_account(&self.state)), (*authority, wallet(1_000_000_000))]
    }

    fn run(&self, authority: &Address, args: &UpdateMarketArgs) -> Market {
        let ix = client::update_market(&self.market, authority, args);
        let result = mollusk().process_instruction(&ix, &self.accounts(authority));
        assert_eq!(result.program_result, ProgramResult::Success);
        read_state(&result.resulting_accounts[0].1)
    }

    fn reject_ix(&self, ix: &Instruction, accounts: &[(Address, Account)], expected: BallastError) {
        let result = mollusk().process_instruction(ix, accounts);
        assert_rejected(&result, accounts, expected);
    }

    fn reject(&self, authority: &Address, args: &UpdateMarketArgs, expected: BallastError) {
        let ix = client::update_market(&self.market, authority, args);
        self.reject_ix(&ix, &self.accounts(authority), expected);
    }
}

fn flags(m: &Market) -> [u8; 3] {
    [m.price_triggered_liquidation_disabled.0, m.borrow_disabled.0, m.emergency_mode.0]
}

#[test]
fn the_owner_switches_every_flag_on_and_off() {
    let mut case = case();
    let on = case.run(&case.owner, &args(1, 1, 1));
    assert_eq!(flags(&on), [1, 1, 1]);
    // Nothing else changes.
    let mut expected = case.state;
    expected.price_triggered_liquidation_disabled = Flag::ON;
    expected.borrow_disabled = Flag::ON;
    expected.emergency_mode = Flag::ON;
    assert_eq!(on, expected);
    case.state = on;
    let off = case.run(&case.owner, &args(0, 1, 0));
    assert_eq!(flags(&off), [0, 1, 0]);
}

#[test]
fn the_emergency_council_switches_flags_on_and_keeps_them() {
    let mut case = case();
    let on = case.run(&case.council, &args(1, 0, 0));
    assert_eq!(flags(&on), [1, 0, 0]);
    case.state = on;
    let more = case.run(&case.council, &args(1, 1, 1));
    assert_eq!(flags(&more), [1, 1, 1]);
    case.state = more;
    assert_eq!(flags(&case.run(&case.council, &args(1, 1, 1))), [1, 1, 1]);
}

#[test]
fn rejects_the_emergency_council_switching_a_flag_off() {
    for (current, wanted) in
        [([1, 0, 0], args(0, 0, 0)), ([0, 1, 0], args(1, 0, 0)), ([1, 1, 1], args(1, 1, 0))]
    {
        let mut case = case();
        case.state.price_triggered_liquidation_disabled = Flag(current[0]);
        case.state.borrow_disabled = Flag(current[1]);
        case.state.emergency_mode = Flag(current[2]);
        case.reject(&case.council, &wanted, BallastError::EmergencyCouncilMayOnlyEnable);
    }
}

#[test]
fn rejects_any_other_signer() {
    let case = case();
    case.reject(&Address::new_unique(), &args(1, 0, 0), BallastError::InvalidAuthority);
    // The risk council has no say over these switches.
    case.reject(&case.state.risk_council, &args(1, 0, 0), BallastError::InvalidAuthority);
}

#[test]
fn rejects_a_missing_signature() {
    let case = case();
    let mut ix = client::update_market(&case.market, &case.owner, &args(1, 1, 1));
    ix.accounts[1].is_signer = false;
    case.reject_ix(&ix, &case.accounts(&case.owner), BallastError::MissingSigner);
}

#[test]
fn rejects_a_flag_byte_other_than_zero_or_one() {
    let case = case();
    for bad in [args(2, 0, 0), args(0, 255, 0), args(0, 0, 2)] {
        case.reject(&case.owner, &bad, BallastError::InvalidFlagValue);
    }
}

#[test]
fn rejects_a_read_only_market() {
    let case = case();
    let mut ix = client::update_market(&case.market, &case.owner, &args(1, 1, 1));
    ix.accounts[0].is_writable = false;
    case.reject_ix(&ix, &case.accounts(&case.owner), BallastError::AccountNotWritable);
}

#[test]
fn rejects_a_market_not_owned_by_the_program() {
    let case = case();
    let mut accounts = case.accounts(&case.owner);
    accounts[0].1.owner = Address::new_unique();
    let ix = client::update_market(&case.market, &case.owner, &args(1, 1, 1));
    case.reject_ix(&ix, &accounts, BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_another_account_type_as_the_market() {
    let case = case();
    let mut accounts = case.accounts(&case.owner);
    let reserve = reserve_state(&ReserveKeys::new(), &case.market, 6, Fraction::ONE, 1);
    accounts[0].1 = program_account(&reserve);
    let ix = client::update_market(&case.market, &case.owner, &args(1, 1, 1));
    case.reject_ix(&ix, &accounts, BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_the_market_as_its_own_authority() {
    let case = case();
    let mut ix = client::update_market(&case.market, &case.market, &args(1, 1, 1));
    ix.accounts[0].is_signer = true;
    ix.accounts[1].is_writable = true;
    let accounts = vec![(case.market, program_account(&case.state))];
    case.reject_ix(&ix, &accounts, BallastError::DuplicateAccount);
}

#[test]
fn rejects_wrong_data_and_too_few_accounts() {
    let case = case();
    let good = client::update_market(&case.market, &case.owner, &args(1, 1, 1));
    let accounts = case.accounts(&case.owner);
    let mut short = good.clone();
    short.data.pop();
    case.reject_ix(&short, &accounts, BallastError::InvalidInstructionDataLength);
    let mut long = good.clone();
    long.data.push(0);
    case.reject_ix(&long, &accounts, BallastError::InvalidInstructionDataLength);
    assert_eq!(good.data[0], BallastInstruction::UpdateMarket as u8);
    let mut few = good;
    few.accounts.truncate(1);
    case.reject_ix(&few, &accounts[..1], BallastError::NotEnoughAccounts);
}
