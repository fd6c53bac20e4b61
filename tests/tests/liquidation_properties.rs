//! The liquidation transitions (`ballast_interface::logic::liquidation`) off chain: the seed numbers (close
//! factor 25%, the bonus bounds of each asset class, the Morpho pre-liquidation example) and properties over
//! random positions and prices: every pre-liquidation and liquidation lowers the LTV unless the position is
//! (near) bad debt, never seizes more collateral than the deposit nor settles more than the debt, and the
//! liquidator's profit equals the bonus within one unit of rounding.

use {
    ballast_interface::{
        logic::liquidation::{
            apply_repay, apply_to_obligation, apply_withdraw, bonus_config, plan_liquidation,
            plan_pre_liquidation, LiquidationPlan, MarketRisk, ReservePair,
        },
        pod::{Flag, Le128, Le16},
        state::{Obligation, PreLiquidationConfig, Reserve},
    },
    ballast_math::{
        liquidation::BAD_DEBT_LTV,
        value::{market_value, market_value_of_fraction},
        Fraction,
    },
    ballast_tests::ladder_fixtures::{
        add_borrow, add_deposit, fund, health_of, refresh, LiquidationCase, SLOT, SOL, USDC,
    },
    proptest::prelude::*,
    solana_address::Address,
    std::sync::atomic::{AtomicUsize, Ordering},
};

fn f(x: Fraction) -> f64 {
    x.to_f64()
}

fn plan(
    case: &LiquidationCase,
    requested: u64,
) -> Result<LiquidationPlan, ballast_interface::error::BallastError> {
    let pair = ReservePair {
        repay_address: &case.debt.reserve,
        repay: &case.debt_reserve,
        withdraw_address: &case.coll.reserve,
        withdraw: &case.coll_reserve,
    };
    plan_liquidation(
        &case.obligation_state,
        &pair,
        &MarketRisk::from_market(&case.market_state),
        case.slot,
        requested,
    )
}

fn pre_plan(
    case: &LiquidationCase,
    requested: u64,
) -> Result<LiquidationPlan, ballast_interface::error::BallastError> {
    let pair = ReservePair {
        repay_address: &case.debt.reserve,
        repay: &case.debt_reserve,
        withdraw_address: &case.coll.reserve,
        withdraw: &case.coll_reserve,
    };
    plan_pre_liquidation(&case.obligation_state, &pair, requested)
}

/// Applies a plan to the case and refreshes the obligation at the same prices.
fn apply(case: &mut LiquidationCase, plan: &LiquidationPlan) {
    apply_repay(&mut case.debt_reserve, plan);
    apply_withdraw(&mut case.coll_reserve, plan);
    apply_to_obligation(&mut case.obligation_state, plan);
    case.refresh();
}

#[test]
fn seed_close_factor_repays_a_quarter_of_the_debt() {
    // 10 SOL at $100 against 850 USDC: LTV 85% over an 80% threshold, bonus 5% (the floor).
    let case = LiquidationCase::new(850);
    let p = plan(&case, u64::MAX).unwrap();
    assert_eq!(p.repay, 212_500_000, "25% of 850 USDC");
    assert_eq!(p.settle, Fraction::from_integer(212_500_000));
    // 212.5 × 1.05 = $223.125 of SOL = 2.23125 SOL, rounded down.
    assert!((2_231_249_999..=2_231_250_000).contains(&p.seize_ctokens), "{}", p.seize_ctokens);
    assert_eq!(p.redeemed, p.seize_ctokens, "1:1 exchange rate");
    // Protocol fee: 10% of the 5% bonus part, 2_231_250_000 − 2_231_250_000 / 1.05 = 106_250_000.
    assert!((10_624_999..=10_625_001).contains(&p.protocol_fee), "{}", p.protocol_fee);
    assert_eq!(p.received, p.redeemed - p.protocol_fee);
    assert!((f(p.incentive) - 1.05).abs() < 1e-12);
    // A smaller request is honoured exactly.
    assert_eq!(plan(&case, 100 * USDC).unwrap().repay, 100 * USDC);
}

#[test]
fn seed_bonus_bounds_of_each_asset_class() {
    // (min, max, bad debt) bps of seed 001's reference table: stablecoins, majors, long tail.
    for (min, max, bad) in [(100u16, 200u16, 99u16), (300, 700, 99), (500, 1_000, 99), (800, 2_500, 99)] {
        for debt in [801u64, 830, 870, 900, 940] {
            let mut case = LiquidationCase::new(debt);
            for reserve in [&mut case.coll_reserve, &mut case.debt_reserve] {
                reserve.config.min_liquidation_bonus_bps = Le16::new(min);
                reserve.config.max_liquidation_bonus_bps = Le16::new(max);
                reserve.config.bad_debt_liquidation_bonus_bps = Le16::new(bad);
                reserve.config.bonus_escalation_bps_per_slot = Le16::new(0);
            }
            case.refresh();
            let p = plan(&case, u64::MAX).unwrap();
            let bonus = f(p.incentive) - 1.0;
            let ltv = debt as f64 / 1_000.0;
            let expected = (ltv - 0.8).clamp(f64::from(min) / 1e4, f64::from(max) / 1e4).min(1.0 - ltv);
            assert!((bonus - expected).abs() < 1e-9, "class {min}/{max} at LTV {ltv}: {bonus} vs {expected}");
        }
    }
}

#[test]
fn bonus_floor_rises_per_slot_liquidatable_and_stops_at_the_max() {
    let mut case = LiquidationCase::new(850);
    case.obligation_state.liquidatable_since_slot.set(SLOT - 200);
    let p = plan(&case, u64::MAX).unwrap();
    // 5% + 200 slots × 1 bps = 7%.
    assert!((f(p.incentive) - 1.07).abs() < 1e-9);
    case.obligation_state.liquidatable_since_slot.set(1);
    let p = plan(&case, u64::MAX).unwrap();
    assert!((f(p.incentive) - 1.10).abs() < 1e-9);
}

#[test]
fn bonus_is_capped_by_the_distance_to_bad_debt_and_bad_debt_uses_its_own() {
    // LTV 92%: overshoot 12% > max 10%, capped at 1 − 0.92 = 8%.
    let case = LiquidationCase::new(920);
    assert!((f(plan(&case, u64::MAX).unwrap().incentive) - 1.08).abs() < 1e-9);
    // LTV 120%: the bad-debt bonus (0.99%) and a 100% close factor; the whole deposit is seized.
    let case = LiquidationCase::new(1_200);
    let p = plan(&case, u64::MAX).unwrap();
    assert!((f(p.incentive) - 1.0099).abs() < 1e-9);
    assert_eq!(p.seize_ctokens, 10 * SOL);
    // settle = 1 000 / 1.0099 USDC.
    assert!((f(p.settle) - 1_000e6 / 1.0099).abs() < 2.0);
}

#[test]
fn insolvency_ltv_allows_the_whole_debt_and_dust_must_go_whole() {
    // LTV 96% >= 95%: 100% close factor, bonus capped at 4%: 960 × 1.04 = 998.4 < 1 000, all settled.
    let case = LiquidationCase::new(960);
    let p = plan(&case, u64::MAX).unwrap();
    assert_eq!(p.repay, 960 * USDC);
    assert_eq!(p.settle, Fraction::from_integer(960 * USDC));

    // A $1.5 borrow against $1.7 of SOL: below the $2 full-liquidation value.
    let mut case = LiquidationCase::new(0);
    case.obligation_state.borrows[0].borrowed_amount_sf = Le128::new(Fraction::from_integer(1_500_000).raw());
    case.set_coll_price(Fraction::from_ratio(17, 100).unwrap());
    assert_eq!(
        plan(&case, 1_000_000),
        Err(ballast_interface::error::BallastError::RepayTooSmallForFullLiquidation)
    );
    let p = plan(&case, u64::MAX).unwrap();
    assert_eq!(p.repay, 1_500_000);
    assert_eq!(p.settle, Fraction::from_integer(1_500_000));
}

/// Seed 002 (Morpho): LT 91.5%, pre-LTV 90%, closable share from 0.10% at 90.00% to 25% at 91.49%.
fn morpho_case(debt_micro_usdc: u64) -> LiquidationCase {
    let mut case = LiquidationCase::new(0);
    case.coll_reserve.config.loan_to_value_bps = Le16::new(9_000);
    case.coll_reserve.config.liquidation_threshold_bps = Le16::new(9_150);
    case.obligation_state.borrows[0].borrowed_amount_sf =
        Le128::new(Fraction::from_integer(debt_micro_usdc).raw());
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

#[test]
fn seed_morpho_pre_liquidation_close_factor_ramp() {
    // LTV 91.49%: q = 0.0149 / 0.015, close factor 0.1% + q × 24.9% = 24.834%.
    let debt = 914_900_000;
    let case = morpho_case(debt);
    let p = pre_plan(&case, u64::MAX).unwrap();
    let q = 0.0149 / 0.015;
    let cf = 0.001 + q * 0.249;
    assert!((p.repay as f64 - debt as f64 * cf).abs() < 2.0, "{} vs {}", p.repay, debt as f64 * cf);
    assert!((f(p.incentive) - (1.0 + q * 0.05)).abs() < 1e-9);
    // Just above 90.00%: 0.10% of the debt.
    let debt = 900_000_100;
    let case = morpho_case(debt);
    let p = pre_plan(&case, u64::MAX).unwrap();
    assert!((p.repay as f64 / debt as f64 - 0.001).abs() < 1e-5, "{}", p.repay);
    // At 90.00% itself the LTV (rounded up, toward risk) just enters the window: 0.10%.
    let p = pre_plan(&morpho_case(900_000_000), u64::MAX).unwrap();
    assert!((900_000..=900_001).contains(&p.repay), "{}", p.repay);
    // Below the pre-LTV the window is closed; at the threshold, Liquidate takes over.
    assert_eq!(
        pre_plan(&morpho_case(899_900_000), u64::MAX),
        Err(ballast_interface::error::BallastError::NotPreLiquidatable)
    );
    assert_eq!(
        pre_plan(&morpho_case(915_000_000), u64::MAX),
        Err(ballast_interface::error::BallastError::ObligationLiquidatable)
    );
}

#[test]
fn pre_liquidation_incentive_is_capped_at_one_over_lt() {
    let mut case = morpho_case(914_900_000);
    // 1.11 is valid for a 90% pre-LTV (1 / 0.9 = 1.111) but exceeds 1 / 0.915 = 1.0929.
    case.obligation_state.pre_liquidation.incentive_start_bps = Le16::new(11_100);
    case.obligation_state.pre_liquidation.incentive_end_bps = Le16::new(11_100);
    let p = pre_plan(&case, u64::MAX).unwrap();
    assert!((f(p.incentive) - 1.0 / 0.915).abs() < 1e-9, "{}", f(p.incentive));
    let before = health_of(&case.obligation_state).ltv();
    apply(&mut case, &p);
    assert!(health_of(&case.obligation_state).ltv() <= before);
}

/// A random obligation: up to three collateral reserves and up to three debt reserves, each with its own
/// price, decimals, thresholds and borrow factor.
#[derive(Debug, Clone)]
struct Position {
    deposits: Vec<(u8, u64, u64, u16, u16)>,
    borrows: Vec<(u8, u64, u64, u16)>,
    close_factor_pct: u8,
    escalation_slots: u64,
    fee_bps: u16,
    rate_num: u64,
    /// Debt value / deposit value the borrows are sized for, in ‰.
    target_ltv_permille: u64,
}

fn position() -> impl Strategy<Value = Position> {
    let deposit = (6u8..=9, 1u64..1_000_000, 1u64..10_000_000, 5_000u16..9_500, 0u16..400);
    let borrow = (6u8..=9, 1u64..1_000_000, 1u64..100, 10_000u16..20_000);
    (
        prop::collection::vec(deposit, 1..=3),
        prop::collection::vec(borrow, 1..=3),
        5u8..=100,
        0u64..1_000,
        0u16..=5_000,
        100u64..300,
        300u64..1_300,
    )
        .prop_map(
            |(deposits, borrows, close_factor_pct, escalation_slots, fee_bps, rate_num, target)| Position {
                deposits,
                borrows,
                close_factor_pct,
                escalation_slots,
                fee_bps,
                rate_num,
                target_ltv_permille: target,
            },
        )
}

struct Built {
    case: LiquidationCase,
    reserves: Vec<(Address, Reserve)>,
}

/// Builds the position; the liquidation pair is the riskiest debt (highest borrow factor) and the riskiest
/// collateral (lowest liquidation threshold), so that priority never refuses it.
fn build(p: &Position) -> Built {
    let mut case = LiquidationCase::new(0);
    case.market_state.close_factor_pct = p.close_factor_pct;
    case.obligation_state.deposit_count = 0;
    case.obligation_state.borrow_count = 0;
    case.obligation_state.deposits = Default::default();
    case.obligation_state.borrows = Default::default();
    let mut reserves = Vec::new();
    let template = case.coll_reserve;
    for &(decimals, price_cents, tokens, lt, ltv_gap) in &p.deposits {
        let address = Address::new_unique();
        let mut r = template;
        r.liquidity_decimals = decimals;
        r.price_sf = Le128::new(Fraction::from_ratio(price_cents, 100).unwrap().raw());
        r.config.liquidation_threshold_bps = Le16::new(lt);
        r.config.loan_to_value_bps = Le16::new(lt - ltv_gap);
        r.config.protocol_liquidation_fee_bps = Le16::new(p.fee_bps);
        let amount = tokens * 10u64.pow(u32::from(decimals)) / 100;
        // cTokens worth rate_num / 100 liquidity each: liquidity = ctokens × rate.
        let ctokens_total = amount * 4;
        let liquidity_total = ctokens_total / 100 * p.rate_num;
        fund(&mut r, liquidity_total, 0, ctokens_total);
        reserves.push((address, r));
        add_deposit(&mut case.obligation_state, &address, amount.max(1));
    }
    refresh(&mut case.obligation_state, &reserves, &case.market_state, SLOT);
    let deposited = f(health_of(&case.obligation_state).deposited_value);
    let weights: u64 = p.borrows.iter().map(|b| b.2).sum();
    for &(decimals, price_cents, weight, bf) in &p.borrows {
        let address = Address::new_unique();
        let mut r = template;
        r.liquidity_decimals = decimals;
        r.price_sf = Le128::new(Fraction::from_ratio(price_cents, 100).unwrap().raw());
        r.config.borrow_factor_bps = Le16::new(bf);
        let value = deposited * p.target_ltv_permille as f64 / 1_000.0 * weight as f64 / weights as f64;
        let amount = ((value / (price_cents as f64 / 100.0)) * 10f64.powi(i32::from(decimals))) as u64;
        let amount = amount.clamp(1, u64::MAX / 100);
        fund(&mut r, amount * 10, amount, amount * 11);
        reserves.push((address, r));
        add_borrow(&mut case.obligation_state, &address, &r, amount);
    }
    case.obligation_state.liquidatable_since_slot.set(0);
    refresh(&mut case.obligation_state, &reserves, &case.market_state, SLOT);
    if case.obligation_state.liquidatable_since_slot.get() != 0 {
        case.obligation_state.liquidatable_since_slot.set(SLOT.saturating_sub(p.escalation_slots));
    }
    Built { case, reserves }
}

fn riskiest(b: &Built) -> (usize, usize) {
    let o = &b.case.obligation_state;
    let find = |a: &Address| b.reserves.iter().position(|(x, _)| x == a).unwrap();
    let borrow = (0..usize::from(o.borrow_count))
        .max_by_key(|&i| (b.reserves[find(&o.borrows[i].reserve)].1.config.borrow_factor_bps.get(), i))
        .unwrap();
    let deposit = (0..usize::from(o.deposit_count))
        .min_by_key(|&i| {
            (b.reserves[find(&o.deposits[i].reserve)].1.config.liquidation_threshold_bps.get(), i)
        })
        .unwrap();
    (find(&o.borrows[borrow].reserve), find(&o.deposits[deposit].reserve))
}

/// Runs one (pre-)liquidation on the riskiest pair and checks the properties.
fn check(p: &Position, requested: u64, pre: bool, executed: &AtomicUsize) -> Result<(), TestCaseError> {
    let mut b = build(p);
    let (ri, wi) = riskiest(&b);
    let (repay_address, mut repay) = b.reserves[ri];
    let (withdraw_address, mut withdraw) = b.reserves[wi];
    let before = health_of(&b.case.obligation_state);
    let debt_before = Fraction::from_raw(
        b.case.obligation_state.borrows[b.case.obligation_state.find_borrow(&repay_address).unwrap()]
            .borrowed_amount_sf
            .get(),
    );
    let deposit_index = b.case.obligation_state.find_deposit(&withdraw_address).unwrap();
    let ctokens_before = b.case.obligation_state.deposits[deposit_index].collateral_amount.get();
    let pair = ReservePair {
        repay_address: &repay_address,
        repay: &repay,
        withdraw_address: &withdraw_address,
        withdraw: &withdraw,
    };
    let plan = if pre {
        b.case.obligation_state.pre_liquidation = PreLiquidationConfig {
            enabled: Flag::ON,
            padding: 0,
            pre_ltv_bps: Le16::new(5_000),
            close_factor_start_bps: Le16::new(500),
            close_factor_end_bps: Le16::new(10_000),
            incentive_start_bps: Le16::new(10_000),
            incentive_end_bps: Le16::new(20_000),
        };
        plan_pre_liquidation(&b.case.obligation_state, &pair, requested)
    } else {
        plan_liquidation(
            &b.case.obligation_state,
            &pair,
            &MarketRisk::from_market(&b.case.market_state),
            SLOT,
            requested,
        )
    };
    let Ok(plan) = plan else { return Ok(()) };
    executed.fetch_add(1, Ordering::Relaxed);

    // Never more than the debt, the deposit, the request.
    prop_assert!(plan.settle <= debt_before);
    prop_assert!(plan.seize_ctokens <= ctokens_before);
    prop_assert!(plan.repay <= requested);
    prop_assert!(plan.received + plan.protocol_fee == plan.redeemed);

    // Profit = bonus within rounding: the value redeemed against (settled debt value × incentive).
    let repay_price = Fraction::from_raw(repay.price_sf.get());
    let withdraw_price = Fraction::from_raw(withdraw.price_sf.get());
    let redeemed_value = f(market_value(plan.redeemed, withdraw_price, withdraw.liquidity_decimals).unwrap());
    let settled_value =
        f(market_value_of_fraction(plan.settle, repay_price, repay.liquidity_decimals).unwrap());
    let unit_withdraw = f(withdraw_price) / 10f64.powi(i32::from(withdraw.liquidity_decimals));
    let unit_repay = f(repay_price) / 10f64.powi(i32::from(repay.liquidity_decimals));
    let rate = p.rate_num as f64 / 100.0;
    let tolerance = unit_withdraw * (2.0 + rate) + unit_repay * f(plan.incentive) + 1e-9 * settled_value;
    let expected = settled_value * f(plan.incentive);
    prop_assert!(
        redeemed_value <= expected + tolerance,
        "profit above the bonus: {redeemed_value} vs {expected}"
    );
    let dust_floor = plan.seize_ctokens == 1;
    let whole_deposit = plan.seize_ctokens == ctokens_before;
    if !whole_deposit && !dust_floor {
        prop_assert!(
            redeemed_value + tolerance >= expected,
            "profit below the bonus: {redeemed_value} vs {expected}"
        );
    }

    // Apply and re-value at the same prices: the LTV does not rise unless the position is (near) bad debt.
    apply_repay(&mut repay, &plan);
    apply_withdraw(&mut withdraw, &plan);
    apply_to_obligation(&mut b.case.obligation_state, &plan);
    b.reserves[ri].1 = repay;
    b.reserves[wi].1 = withdraw;
    refresh(&mut b.case.obligation_state, &b.reserves, &b.case.market_state, SLOT);
    let after = health_of(&b.case.obligation_state);
    if before.ltv_no_bf() < BAD_DEBT_LTV && !after.deposited_value.is_zero() {
        // Rounding of one unit on each side may move the ratio by that unit's share of the position.
        let slack =
            (unit_withdraw * (2.0 + rate) + unit_repay) * f(before.ltv()).max(1.0) / f(after.deposited_value);
        prop_assert!(
            f(after.ltv()) <= f(before.ltv()) * (1.0 + 1e-12) + slack,
            "LTV rose: {} -> {}",
            f(before.ltv()),
            f(after.ltv())
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn liquidation_properties(p in position(), requested in prop_oneof![Just(u64::MAX), 1u64..u64::MAX]) {
        check(&p, requested, false, &AtomicUsize::new(0))?;
    }

    #[test]
    fn pre_liquidation_properties(p in position(), requested in prop_oneof![Just(u64::MAX), 1u64..u64::MAX]) {
        check(&p, requested, true, &AtomicUsize::new(0))?;
    }
}

#[test]
fn bonus_config_takes_the_larger_bounds_of_the_pair() {
    let case = LiquidationCase::new(850);
    let mut debt = case.debt_reserve;
    debt.config.min_liquidation_bonus_bps = Le16::new(700);
    debt.config.max_liquidation_bonus_bps = Le16::new(800);
    debt.config.bad_debt_liquidation_bonus_bps = Le16::new(50);
    let c = bonus_config(&debt, &case.coll_reserve);
    assert_eq!(c.min_bonus, Fraction::from_bps(700));
    assert_eq!(c.max_bonus, Fraction::from_bps(1_000));
    assert_eq!(c.bad_debt_bonus, Fraction::from_bps(50));
    let _: Obligation = case.obligation_state;
}

/// The generated positions reach every case often: the properties above are not vacuous.
#[test]
fn generated_positions_liquidate_and_pre_liquidate_often() {
    use proptest::{strategy::ValueTree, test_runner::TestRunner};
    let mut runner = TestRunner::deterministic();
    let (liquidated, pre_liquidated) = (AtomicUsize::new(0), AtomicUsize::new(0));
    for _ in 0..400 {
        let p = position().new_tree(&mut runner).unwrap().current();
        check(&p, u64::MAX, false, &liquidated).unwrap();
        check(&p, u64::MAX, true, &pre_liquidated).unwrap();
    }
    let (l, pl) = (liquidated.load(Ordering::Relaxed), pre_liquidated.load(Ordering::Relaxed));
    assert!(l >= 100 && pl >= 40, "liquidated {l}, pre-liquidated {pl} of 400");
}

/// Writing off a reserve's last debt also cuts the protocol's uncollected fees down to the reserve's assets,
/// so the lenders' total never goes negative.
#[test]
fn cover_bad_debt_caps_the_protocol_fees_at_the_assets_left() {
    use ballast_interface::logic::liquidation::{apply_cover_bad_debt_reserve, plan_cover_bad_debt};
    let mut case = LiquidationCase::new(100);
    case.obligation_state.deposit_count = 0;
    case.debt_reserve.available_amount = ballast_interface::pod::Le64::new(5 * USDC);
    case.debt_reserve.protocol_fees_sf = Le128::new(Fraction::from_integer(20 * USDC).raw());
    let plan = plan_cover_bad_debt(&case.obligation_state, &case.debt.reserve, &case.debt_reserve, 3 * USDC)
        .unwrap();
    assert_eq!(plan.covered, 3 * USDC);
    assert_eq!(plan.socialized, Fraction::from_integer(97 * USDC));
    apply_cover_bad_debt_reserve(&mut case.debt_reserve, &plan);
    assert_eq!(case.debt_reserve.available_amount.get(), 8 * USDC);
    assert_eq!(case.debt_reserve.borrowed_amount_sf.get(), 0);
    assert_eq!(case.debt_reserve.protocol_fees_sf.get(), Fraction::from_integer(8 * USDC).raw());
    assert_eq!(ballast_tests::ladder_fixtures::reserve_total(&case.debt_reserve), Fraction::ZERO);
}
