//! Every public function on arbitrary inputs: errors are fine, panics are not.

use ballast_math::{
    curve::BorrowRateCurve,
    deleverage,
    health::{BorrowPosition, DepositPosition, Health},
    interest,
    liquidation::{self, BonusConfig, CloseFactorConfig, SeizeInput},
    mul_div_ceil, mul_div_floor,
    preliquidation::PreLiquidationParams,
    reserve, value, Fraction,
};
use proptest::prelude::*;

fn f() -> impl Strategy<Value = Fraction> {
    prop_oneof![
        any::<u128>().prop_map(Fraction::from_raw),
        (0u128..=(4u128 << 60)).prop_map(Fraction::from_raw),
        Just(Fraction::ZERO),
        Just(Fraction::ONE),
        Just(Fraction::MAX),
    ]
}

fn n() -> impl Strategy<Value = u64> {
    prop_oneof![any::<u64>(), 0u64..=1_000, Just(u64::MAX)]
}

/// The number of property-test cases: `default`, or `PROPTEST_CASES` when set (for longer runs).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fraction_ops(a in f(), b in f(), x in n(), y in n(), z in n()) {
        let _ = (a.checked_add(b), a.checked_sub(b), a.saturating_add(b), a.saturating_sub(b));
        let _ = (a.checked_mul(b), a.checked_mul_ceil(b), a.saturating_mul(b), a.checked_div(b), a.checked_div_ceil(b));
        let _ = (a.checked_mul_int(x), a.saturating_mul_int(x), a.checked_div_int(x), a.mul_floor(x), a.mul_ceil(x));
        let _ = (a.to_u64_floor(), a.to_u64_ceil(), a.to_bps_floor(), a.to_bps_ceil(), a.is_zero(), a.min(b), a.max(b));
        let _ = (Fraction::from_bps(x), Fraction::from_percent(x), Fraction::from_integer(x), Fraction::from_ratio(x, y));
        let _ = (mul_div_floor(x, y, z), mul_div_ceil(x, y, z));
    }

    #[test]
    fn curve_ops(points in prop::collection::vec((any::<u32>(), any::<u32>()), 0..14), count in any::<u8>(), u in f()) {
        if let Ok(c) = BorrowRateCurve::new(&points) {
            let _ = c.borrow_rate(u);
            let _ = BorrowRateCurve::from_stored(c.stored_points(), count);
        }
        let mut stored = [(0u32, 0u32); 11];
        for (s, p) in stored.iter_mut().zip(&points) { *s = *p; }
        let _ = BorrowRateCurve::from_stored(&stored, count);
    }

    #[test]
    fn interest_and_reserve(a in f(), b in f(), c in f(), d in f(), x in n(), y in n()) {
        if let Ok(g) = interest::compound(a, x) { let _ = interest::compound_error_bound(x, g); }
        let _ = interest::compound_error_bound(x, a);
        let _ = (reserve::total_liquidity(x, a, b), reserve::utilization(x, a, b));
        let _ = (reserve::liquidity_to_collateral_floor(x, a, y), reserve::liquidity_to_collateral_ceil(x, a, y));
        let _ = (reserve::collateral_to_liquidity_floor(x, a, y), reserve::collateral_to_liquidity_ceil(x, a, y));
        let _ = reserve::accrue_interest(a, b, c, x, d);
        let _ = reserve::rescale_debt_ceil(a, b, c);
    }

    #[test]
    fn value_ops(a in f(), b in f(), x in n(), decimals in any::<u8>()) {
        let _ = (value::market_value(x, a, decimals), value::market_value_ceil(x, a, decimals), value::pow10(decimals));
        let _ = (value::market_value_of_fraction(a, b, decimals), value::market_value_of_fraction_ceil(a, b, decimals));
        let _ = (value::amount_for_value_floor(a, b, decimals), value::amount_for_value_ceil(a, b, decimals));
    }

    #[test]
    fn health_ops(deps in prop::collection::vec((f(), f(), f()), 0..5), borrows in prop::collection::vec((f(), f()), 0..5), extra in f()) {
        let deps: Vec<_> = deps.into_iter().map(|(value, ltv, liquidation_threshold)| DepositPosition { value, ltv, liquidation_threshold }).collect();
        let borrows: Vec<_> = borrows.into_iter().map(|(value, borrow_factor)| BorrowPosition { value, borrow_factor }).collect();
        if let Ok(h) = Health::compute(&deps, &borrows) {
            let _ = (h.ltv(), h.ltv_no_bf(), h.unhealthy_ltv(), h.allowed_ltv(), h.is_liquidatable());
            let _ = (h.is_within_allowed(), h.can_borrow(extra), h.remaining_borrow_value(), h.is_bad_debt());
        }
    }

    #[test]
    fn liquidation_ops(v in prop::collection::vec(f(), 8), x in n(), y in n(), full in any::<bool>()) {
        let cfg = BonusConfig { min_bonus: v[0], max_bonus: v[1], bad_debt_bonus: v[2], escalation_per_slot: v[3] };
        let _ = cfg.validate();
        let _ = liquidation::liquidation_bonus(&cfg, v[4], v[5], v[6], x);
        let cf = CloseFactorConfig { close_factor: v[0], max_value_at_once: v[1], min_full_liquidation_value: v[2], insolvency_ltv: v[3] };
        let limit = liquidation::max_repay_value(&cf, v[4], v[5], v[6]);
        let _ = liquidation::max_repay_amount(v[7], v[5], limit.max_value);
        let _ = liquidation::settle_and_seize(&SeizeInput {
            borrowed_amount: v[0], borrow_value: v[1], debt_to_settle: v[2], incentive: v[3],
            collateral_value: v[4], collateral_ctokens: x, full_liquidation: full,
        });
        let _ = liquidation::protocol_fee_ceil(y, v[5], v[6]);
    }

    #[test]
    fn pre_liquidation_and_deleverage(v in prop::collection::vec(f(), 7), x in n(), y in n(), z in n()) {
        let p = PreLiquidationParams {
            pre_ltv: v[0], liquidation_ltv: v[1], close_factor_start: v[2], close_factor_end: v[3],
            incentive_start: v[4], incentive_end: v[5],
        };
        let _ = (p.validate(), p.max_incentive(), p.at(v[6]));
        let _ = deleverage::deleverage_ltv(v[0], x, y);
        let _ = deleverage::deleverage_penalty(v[0], v[1], x, v[2]);
        let _ = deleverage::lowest_penalty_cap(&v);
        let _ = (deleverage::penalty_value(v[0], v[1]), deleverage::seize_value_floor(v[2], v[3]));
        let _ = (deleverage::deleverage_amount(x, y, z), deleverage::is_eligible(v[4], v[5]));
    }
}
