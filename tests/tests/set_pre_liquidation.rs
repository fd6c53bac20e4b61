//! SetPreLiquidation: the owner opts in with valid terms or opts out; every invalid term and every account
//! error is refused with its own error and every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        instruction::SetPreLiquidationArgs,
        pod::{Flag, Le16},
        state::{Obligation, PreLiquidationConfig},
    },
    ballast_math::{preliquidation::PreLiquidationParams, Fraction},
    ballast_tests::{
        assert_rejected,
        fixtures::{market_state, obligation_state, program_account},
        mollusk, read_state, wallet,
    },
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

struct Case {
    obligation: Address,
    state: Obligation,
    owner: Address,
}

fn case() -> Case {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let (obligation, state) = obligation_state(&market, &owner, 0);
    Case { obligation, state, owner }
}

/// Seed 002's terms: pre-LTV 90%, closable 0.10% to 25%, incentive 100% to 105%.
fn morpho() -> SetPreLiquidationArgs {
    SetPreLiquidationArgs {
        enabled: Flag::ON,
        pre_ltv_bps: Le16::new(9_000),
        close_factor_start_bps: Le16::new(10),
        close_factor_end_bps: Le16::new(2_500),
        incentive_start_bps: Le16::new(10_000),
        incentive_end_bps: Le16::new(10_500),
    }
}

impl Case {
    fn accounts(&self) -> Vec<(Address, Account)> {
        vec![(self.obligation, program_account(&self.state)), (self.owner, wallet(1_000_000_000))]
    }

    fn ix(&self, args: &SetPreLiquidationArgs) -> Instruction {
        client::set_pre_liquidation(&self.obligation, &self.owner, args)
    }

    fn run(&self, args: &SetPreLiquidationArgs) -> Obligation {
        let result = mollusk().process_instruction(&self.ix(args), &self.accounts());
        assert_eq!(result.program_result, ProgramResult::Success);
        read_state(&result.resulting_accounts[0].1)
    }

    fn reject_with(&self, ix: &Instruction, accounts: &[(Address, Account)], expected: BallastError) {
        let result = mollusk().process_instruction(ix, accounts);
        assert_rejected(&result, accounts, expected);
    }

    fn reject(&self, args: &SetPreLiquidationArgs, expected: BallastError) {
        self.reject_with(&self.ix(args), &self.accounts(), expected);
    }
}

#[test]
fn the_owner_opts_in_with_the_morpho_terms_and_opts_out() {
    let mut case = case();
    let after = case.run(&morpho());
    let mut expected = case.state;
    expected.pre_liquidation = PreLiquidationConfig {
        enabled: Flag::ON,
        padding: 0,
        pre_ltv_bps: Le16::new(9_000),
        close_factor_start_bps: Le16::new(10),
        close_factor_end_bps: Le16::new(2_500),
        incentive_start_bps: Le16::new(10_000),
        incentive_end_bps: Le16::new(10_500),
    };
    assert_eq!(after, expected);

    case.state = after;
    // Opting out clears the terms, whatever the other fields say.
    let off = case.run(&SetPreLiquidationArgs { enabled: Flag::OFF, ..morpho() });
    assert_eq!(off.pre_liquidation, PreLiquidationConfig::default());
}

#[test]
fn accepts_the_bounds() {
    let case = case();
    // incentive_end × pre_ltv = 10^8 exactly: 1 / 0.8 = 1.25.
    let edge = SetPreLiquidationArgs {
        pre_ltv_bps: Le16::new(8_000),
        close_factor_start_bps: Le16::new(10_000),
        close_factor_end_bps: Le16::new(10_000),
        incentive_start_bps: Le16::new(12_500),
        incentive_end_bps: Le16::new(12_500),
        ..morpho()
    };
    assert!(case.run(&edge).pre_liquidation.enabled.is_on());
}

#[test]
fn rejects_each_invalid_term() {
    type Edit = fn(&mut SetPreLiquidationArgs);
    let cases: Vec<Edit> = vec![
        |a| a.pre_ltv_bps = Le16::new(0),
        |a| a.pre_ltv_bps = Le16::new(10_000),
        |a| a.close_factor_start_bps = Le16::new(2_501),
        |a| a.close_factor_end_bps = Le16::new(10_001),
        |a| a.incentive_start_bps = Le16::new(9_999),
        |a| a.incentive_start_bps = Le16::new(10_600),
        // 1 / 0.9 = 1.1111: 11_112 bps would let a pre-liquidation raise the LTV.
        |a| a.incentive_end_bps = Le16::new(11_112),
    ];
    for edit in cases {
        let case = case();
        let mut args = morpho();
        edit(&mut args);
        case.reject(&args, BallastError::InvalidPreLiquidationParams);
    }
    let case = case();
    case.reject(&SetPreLiquidationArgs { enabled: Flag(2), ..morpho() }, BallastError::InvalidFlagValue);
}

/// The integer rule agrees with `PreLiquidationParams::validate` taken at LT = pre-LTV.
#[test]
fn integer_validation_matches_the_math_rule() {
    for pre in [5_000u16, 8_000, 9_000, 9_500] {
        for end in [10_000u16, 10_500, 11_000, 11_111, 11_112, 12_500, 12_501, 20_000] {
            let math = PreLiquidationParams {
                pre_ltv: Fraction::ZERO,
                liquidation_ltv: Fraction::from_bps(u64::from(pre)),
                close_factor_start: Fraction::from_bps(10),
                close_factor_end: Fraction::from_bps(2_500),
                incentive_start: Fraction::ONE,
                incentive_end: Fraction::from_bps(u64::from(end)),
            }
            .validate()
            .is_ok();
            let integer = u64::from(end) * u64::from(pre) <= 100_000_000;
            assert_eq!(math, integer, "pre {pre} end {end}");
        }
    }
}

#[test]
fn rejects_another_signer_than_the_owner() {
    let case = case();
    let stranger = Address::new_unique();
    let ix = client::set_pre_liquidation(&case.obligation, &stranger, &morpho());
    let accounts = vec![(case.obligation, program_account(&case.state)), (stranger, wallet(1))];
    case.reject_with(&ix, &accounts, BallastError::InvalidAuthority);
}

#[test]
fn rejects_a_missing_signature() {
    let case = case();
    let mut ix = case.ix(&morpho());
    ix.accounts[1].is_signer = false;
    case.reject_with(&ix, &case.accounts(), BallastError::MissingSigner);
}

#[test]
fn rejects_a_read_only_obligation() {
    let case = case();
    let mut ix = case.ix(&morpho());
    ix.accounts[0].is_writable = false;
    case.reject_with(&ix, &case.accounts(), BallastError::AccountNotWritable);
}

#[test]
fn rejects_an_obligation_not_owned_by_the_program() {
    let case = case();
    let mut accounts = case.accounts();
    accounts[0].1.owner = Address::new_unique();
    case.reject_with(&case.ix(&morpho()), &accounts, BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_a_market_passed_as_the_obligation() {
    let case = case();
    let mut accounts = case.accounts();
    accounts[0].1 = program_account(&market_state(&case.obligation, &case.owner));
    case.reject_with(&case.ix(&morpho()), &accounts, BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_wrong_data_and_too_few_accounts() {
    let case = case();
    let good = case.ix(&morpho());
    let mut short = good.clone();
    short.data.pop();
    case.reject_with(&short, &case.accounts(), BallastError::InvalidInstructionDataLength);
    let mut long = good.clone();
    long.data.push(0);
    case.reject_with(&long, &case.accounts(), BallastError::InvalidInstructionDataLength);
    let mut few = good;
    few.accounts.truncate(1);
    case.reject_with(&few, &case.accounts()[..1], BallastError::NotEnoughAccounts);
}
