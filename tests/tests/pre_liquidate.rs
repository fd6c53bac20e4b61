//! PreLiquidate: the seed 002 (Morpho) example with exact balances, the incentive cap, and each rejection
//! with its own error and every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pod::{Flag, Le128, Le16},
        state::{Obligation, PreLiquidationConfig, Reserve},
    },
    ballast_math::Fraction,
    ballast_tests::{
        assert_rejected,
        fixtures::token_amount,
        ladder_fixtures::{health_of, LiquidationCase, SLOT, SOL},
        mollusk, read_state,
    },
    mollusk_svm_result::ProgramResult,
    solana_instruction::Instruction,
};

const OBLIGATION: usize = 0;
const WITHDRAW_RESERVE: usize = 3;
const SOURCE: usize = 5;
const DESTINATION: usize = 6;
const REPAY_VAULT: usize = 7;
const WITHDRAW_VAULT: usize = 8;

/// Seed 002: LT 91.5%, pre-LTV 90%, closable share 0.10% → 25%, incentive 100% → 105%; 10 SOL at $100
/// deposited and `debt_micro_usdc` borrowed.
fn morpho_case(debt_micro_usdc: u64) -> LiquidationCase {
    let mut case = LiquidationCase::new(0);
    case.coll_reserve.config.loan_to_value_bps = Le16::new(9_000);
    case.coll_reserve.config.liquidation_threshold_bps = Le16::new(9_150);
    case.obligation_state.borrows[0].borrowed_amount_sf =
        Le128::new(Fraction::from_integer(debt_micro_usdc).raw());
    case.debt_reserve.borrowed_amount_sf = case.obligation_state.borrows[0].borrowed_amount_sf;
    case.obligation_state.pre_liquidation = PreLiquidationConfig {
        enabled: Flag::ON,
        padding: 0,
        pre_ltv_bps: Le16::new(9_000),
        close_factor_start_bps: Le16::new(10),
        close_factor_end_bps: Le16::new(2_500),
        incentive_start_bps: Le16::new(10_000),
        incentive_end_bps: Le16::new(10_500),
    };
    case.refresh();
    case
}

fn ix(case: &LiquidationCase, repay: u64, min_received: u64) -> Instruction {
    client::pre_liquidate(&case.liquidate_accounts(), repay, min_received)
}

fn run(case: &LiquidationCase, ix: &Instruction) -> mollusk_svm::result::InstructionResult {
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(case.slot);
    mollusk.process_instruction(ix, &case.accounts())
}

fn reject(case: &LiquidationCase, ix: &Instruction, expected: BallastError) {
    let result = run(case, ix);
    assert_rejected(&result, &case.accounts(), expected);
}

#[test]
fn pre_liquidates_a_quarter_near_the_threshold_at_the_interpolated_incentive() {
    // LTV 91.49%: q = 0.0149 / 0.015; close factor 0.1% + q × 24.9% = 24.834%, incentive 1 + q × 5%.
    let debt = 914_900_000u64;
    let case = morpho_case(debt);
    let result = run(&case, &ix(&case, u64::MAX, 0));
    assert_eq!(result.program_result, ProgramResult::Success);
    println!("PreLiquidate CU: {}", result.compute_units_consumed);
    let out = &result.resulting_accounts;
    let q = 0.0149 / 0.015;
    let repay = case.source_amount - token_amount(&out[SOURCE].1);
    assert!((repay as f64 - debt as f64 * (0.001 + q * 0.249)).abs() < 2.0, "{repay}");
    assert_eq!(token_amount(&out[REPAY_VAULT].1), case.debt_reserve.available_amount.get() + repay);
    // Seized: repay × incentive of SOL at $100, i.e. repay [µUSDC] × incentive × 10 lamports; the settled
    // debt may be up to one µUSDC below the repay (rounded up), hence ~10.5 lamports of slack.
    let coll: Reserve = read_state(&out[WITHDRAW_RESERVE].1);
    let seized = 1_000 * SOL - coll.collateral_supply.get();
    let expected = repay as f64 * (1.0 + q * 0.05) * 10.0;
    assert!((seized as f64 - expected).abs() <= 12.0, "{seized} vs {expected}");
    let received = token_amount(&out[DESTINATION].1);
    let fee = Fraction::from_raw(coll.protocol_fees_sf.get()).to_u64_floor().unwrap();
    assert_eq!(received + fee, seized);
    assert_eq!(token_amount(&out[WITHDRAW_VAULT].1), 1_000 * SOL - received);
    assert_eq!(coll.available_amount.get(), token_amount(&out[WITHDRAW_VAULT].1));
    // The LTV fell and the obligation is stale.
    let o: Obligation = read_state(&out[OBLIGATION].1);
    assert_eq!(o.last_refresh_slot.get(), 0);
    assert!(health_of(&o).ltv() < health_of(&case.obligation_state).ltv());
}

#[test]
fn pre_liquidates_a_tenth_of_a_percent_at_the_pre_ltv() {
    let debt = 900_000_100u64;
    let case = morpho_case(debt);
    let result = run(&case, &ix(&case, u64::MAX, 0));
    assert_eq!(result.program_result, ProgramResult::Success);
    let repay = case.source_amount - token_amount(&result.resulting_accounts[SOURCE].1);
    assert!((repay as f64 / debt as f64 - 0.001).abs() < 1e-5, "{repay}");
}

#[test]
fn rejects_outside_the_window_and_without_opt_in() {
    let below = morpho_case(899_000_000);
    reject(&below, &ix(&below, u64::MAX, 0), BallastError::NotPreLiquidatable);
    let liquidatable = morpho_case(916_000_000);
    reject(&liquidatable, &ix(&liquidatable, u64::MAX, 0), BallastError::ObligationLiquidatable);
    let mut off = morpho_case(914_900_000);
    off.obligation_state.pre_liquidation = PreLiquidationConfig::default();
    reject(&off, &ix(&off, u64::MAX, 0), BallastError::PreLiquidationDisabled);
}

#[test]
fn rejects_slippage_zero_amount_signer_and_stale_state() {
    let case = morpho_case(914_900_000);
    reject(&case, &ix(&case, u64::MAX, u64::MAX), BallastError::LiquidationSlippage);
    reject(&case, &ix(&case, 0, 0), BallastError::ZeroAmount);
    let mut no_signer = ix(&case, u64::MAX, 0);
    no_signer.accounts[4].is_signer = false;
    reject(&case, &no_signer, BallastError::MissingSigner);
    let mut stale = morpho_case(914_900_000);
    stale.obligation_state.last_refresh_slot.set(SLOT - 1);
    reject(&stale, &ix(&stale, u64::MAX, 0), BallastError::ObligationStale);
    let mut stale = morpho_case(914_900_000);
    stale.coll_reserve.last_update_slot.set(SLOT - 1);
    reject(&stale, &ix(&stale, u64::MAX, 0), BallastError::ReserveStale);
}
