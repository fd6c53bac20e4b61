//! UpdateReserveConfig: the owner sets any valid config, the emergency council only disables borrowing, and
//! each rejection has its own error and leaves every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pod::{Flag, Le16, Le64},
        state::{Market, Reserve, ReserveConfig},
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
    keys: ReserveKeys,
    market: Address,
    market_state: Market,
    reserve: Reserve,
    accounts: Vec<(Address, Account)>,
}

fn case() -> Case {
    let keys = ReserveKeys::new();
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let market_state = market_state(&market, &owner);
    let reserve = reserve_state(&keys, &market, 6, Fraction::ONE, 10);
    let accounts = vec![
        (keys.reserve, program_account(&reserve)),
        (market, program_account(&market_state)),
        (owner, wallet(1_000_000_000)),
        (market_state.emergency_council, wallet(1_000_000_000)),
    ];
    Case { keys, market, market_state, reserve, accounts }
}

impl Case {
    fn instruction(&self, authority: &Address, config: &ReserveConfig) -> Instruction {
        client::update_reserve_config(&self.keys.reserve, &self.market, authority, config)
    }

    fn accounts_for(&self, authority: &Address) -> Vec<(Address, Account)> {
        let mut accounts = self.accounts[..2].to_vec();
        accounts.push((*authority, wallet(1_000_000_000)));
        accounts
    }

    fn run(&self, authority: &Address, config: &ReserveConfig) -> Reserve {
        let accounts = self.accounts_for(authority);
        let result = mollusk().process_instruction(&self.instruction(authority, config), &accounts);
        assert_eq!(result.program_result, ProgramResult::Success);
        println!("UpdateReserveConfig CU: {}", result.compute_units_consumed);
        read_state(&result.resulting_accounts[0].1)
    }

    fn reject_ix(&self, authority: &Address, instruction: &Instruction, expected: BallastError) {
        let accounts = self.accounts_for(authority);
        let result = mollusk().process_instruction(instruction, &accounts);
        assert_rejected(&result, &accounts, expected);
    }

    fn reject(&self, authority: &Address, config: &ReserveConfig, expected: BallastError) {
        self.reject_ix(authority, &self.instruction(authority, config), expected);
    }
}

fn changed_config(config: &ReserveConfig) -> ReserveConfig {
    let mut new = *config;
    new.loan_to_value_bps = Le16::new(6_000);
    new.liquidation_threshold_bps = Le16::new(7_000);
    new.deposit_cap = Le64::new(123_456);
    new.protocol_take_rate_bps = Le16::new(2_500);
    new
}

#[test]
fn the_owner_sets_a_new_config() {
    let case = case();
    let owner = case.market_state.owner;
    let new = changed_config(&case.reserve.config);
    let after = case.run(&owner, &new);
    let mut expected = case.reserve;
    expected.config = new;
    assert_eq!(after, expected);
}

#[test]
fn the_owner_may_re_enable_borrowing() {
    let mut case = case();
    case.reserve.config.borrowing_disabled = Flag::ON;
    case.accounts[0].1 = program_account(&case.reserve);
    let mut new = case.reserve.config;
    new.borrowing_disabled = Flag::OFF;
    assert_eq!(case.run(&case.market_state.owner, &new).config, new);
}

#[test]
fn the_emergency_council_disables_borrowing() {
    let case = case();
    let mut new = case.reserve.config;
    new.borrowing_disabled = Flag::ON;
    let after = case.run(&case.market_state.emergency_council, &new);
    let mut expected = case.reserve;
    expected.config.borrowing_disabled = Flag::ON;
    assert_eq!(after, expected);
}

#[test]
fn the_emergency_council_may_do_nothing_else() {
    let case = case();
    let council = case.market_state.emergency_council;

    // Any other change, alone or together with disabling borrowing.
    let mut new = changed_config(&case.reserve.config);
    case.reject(&council, &new, BallastError::EmergencyCouncilMayOnlyDisable);
    new.borrowing_disabled = Flag::ON;
    case.reject(&council, &new, BallastError::EmergencyCouncilMayOnlyDisable);

    // One change on either side of the flag, with the flag set.
    let mut before_flag = case.reserve.config;
    before_flag.borrowing_disabled = Flag::ON;
    before_flag.protocol_take_rate_bps = Le16::new(before_flag.protocol_take_rate_bps.get() + 1);
    case.reject(&council, &before_flag, BallastError::EmergencyCouncilMayOnlyDisable);
    let mut after_flag = case.reserve.config;
    after_flag.borrowing_disabled = Flag::ON;
    after_flag.max_price_age_secs = Le64::new(after_flag.max_price_age_secs.get() + 1);
    case.reject(&council, &after_flag, BallastError::EmergencyCouncilMayOnlyDisable);

    // Leaving borrowing enabled is not a disable.
    case.reject(&council, &case.reserve.config, BallastError::EmergencyCouncilMayOnlyDisable);

    // Re-enabling borrowing.
    let mut disabled = self::case();
    disabled.reserve.config.borrowing_disabled = Flag::ON;
    disabled.accounts[0].1 = program_account(&disabled.reserve);
    let mut enable = disabled.reserve.config;
    enable.borrowing_disabled = Flag::OFF;
    disabled.reject(&council, &enable, BallastError::EmergencyCouncilMayOnlyDisable);
}

#[test]
fn rejects_anyone_else() {
    let case = case();
    let stranger = Address::new_unique();
    let mut new = case.reserve.config;
    new.borrowing_disabled = Flag::ON;
    case.reject(&stranger, &new, BallastError::InvalidAuthority);
    case.reject(&case.market_state.risk_council, &new, BallastError::InvalidAuthority);
}

#[test]
fn rejects_a_missing_signature() {
    let case = case();
    let owner = case.market_state.owner;
    let mut ix = case.instruction(&owner, &changed_config(&case.reserve.config));
    ix.accounts[2].is_signer = false;
    case.reject_ix(&owner, &ix, BallastError::MissingSigner);
}

#[test]
fn rejects_a_read_only_reserve() {
    let case = case();
    let owner = case.market_state.owner;
    let mut ix = case.instruction(&owner, &changed_config(&case.reserve.config));
    ix.accounts[0].is_writable = false;
    case.reject_ix(&owner, &ix, BallastError::AccountNotWritable);
}

#[test]
fn rejects_accounts_not_owned_by_the_program() {
    let owner_of = |c: &Case| c.market_state.owner;
    let mut case = case();
    case.accounts[0].1.owner = Address::new_unique();
    case.reject(&owner_of(&case), &changed_config(&case.reserve.config), BallastError::InvalidAccountOwner);

    let mut case = self::case();
    case.accounts[1].1.owner = Address::new_unique();
    case.reject(&owner_of(&case), &changed_config(&case.reserve.config), BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_another_market() {
    let mut case = case();
    // A market of the same owner that the reserve does not belong to.
    let other = Address::new_unique();
    let other_state = market_state(&other, &case.market_state.owner);
    case.market = other;
    case.accounts[1] = (other, program_account(&other_state));
    case.reject(
        &case.market_state.owner,
        &changed_config(&case.reserve.config),
        BallastError::MarketMismatch,
    );
}

#[test]
fn rejects_swapped_account_types() {
    let case = case();
    let owner = case.market_state.owner;
    let mut ix = case.instruction(&owner, &changed_config(&case.reserve.config));
    ix.accounts.swap(0, 1);
    ix.accounts[0].is_writable = true;
    ix.accounts[1].is_writable = false;
    case.reject_ix(&owner, &ix, BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_invalid_configs() {
    type Edit = fn(&mut ReserveConfig);
    let cases: Vec<(Edit, BallastError)> = vec![
        (|c| c.loan_to_value_bps = Le16::new(9_000), BallastError::InvalidLoanToValue),
        (|c| c.liquidation_threshold_bps = Le16::new(10_000), BallastError::InvalidLiquidationThreshold),
        (|c| c.borrow_factor_bps = Le16::new(9_999), BallastError::InvalidBorrowFactor),
        (|c| c.bad_debt_liquidation_bonus_bps = Le16::new(100), BallastError::InvalidLiquidationBonus),
        (|c| c.insurance_fee_share_bps = Le16::new(10_001), BallastError::InvalidProtocolFee),
        (|c| c.curve_point_count = 1, BallastError::InvalidBorrowRateCurve),
        (|c| c.max_price_age_secs = Le64::new(0), BallastError::InvalidOracleConfig),
        (|c| c.utilization_cap_bps = Le16::new(0), BallastError::InvalidUtilizationCap),
        (|c| c.flash_loan_fee_bps = Le16::new(10_001), BallastError::InvalidFlashLoanFee),
        (|c| c.borrowing_disabled = Flag(2), BallastError::InvalidFlagValue),
    ];
    let case = case();
    for (edit, expected) in cases {
        let mut config = case.reserve.config;
        edit(&mut config);
        case.reject(&case.market_state.owner, &config, expected);
    }
}

#[test]
fn rejects_wrong_data_length_and_too_few_accounts() {
    let case = case();
    let owner = case.market_state.owner;
    let mut ix = case.instruction(&owner, &case.reserve.config);
    ix.data.pop();
    case.reject_ix(&owner, &ix, BallastError::InvalidInstructionDataLength);

    let mut ix = case.instruction(&owner, &case.reserve.config);
    ix.accounts.truncate(2);
    let accounts = case.accounts[..2].to_vec();
    let result = mollusk().process_instruction(&ix, &accounts);
    assert_rejected(&result, &accounts, BallastError::NotEnoughAccounts);
}
