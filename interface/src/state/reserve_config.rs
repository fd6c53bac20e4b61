//! Validation of a [`ReserveConfig`] and its borrow-rate curve.
//!
//! Every bound has its own error so that a rejected `InitReserve` or `UpdateReserveConfig` names the
//! parameter at fault. Bounds, in bps unless stated:
//! - `0 <= LTV <= liquidation threshold < 10_000` (an LTV above the threshold is `InvalidLoanToValue`) (an asset that is not collateral has LTV and threshold 0),
//!   and `threshold × (10_000 + max bonus) <= 10_000²`, so a liquidation at the threshold can pay its bonus
//!   out of the collateral.
//! - borrow factor `10_000..=50_000`.
//! - `min bonus <= max bonus <= 5_000`, bad-debt bonus `< 100`.
//! - take rate, liquidation fee, insurance share `<= 10_000`.
//! - 2..=11 curve points, first at 0, last at 10_000, utilization strictly increasing, rate non-decreasing.
//! - oracle: non-zero feed id, max age `> 0`, confidence and TWAP divergence `1..=10_000`.
//! - utilization cap `1..=10_000`, flash-loan fee `<= 10_000` or [`FLASH_LOANS_DISABLED`].
//! - `borrowing_disabled` is 0 or 1.

use {
    super::{ReserveConfig, FLASH_LOANS_DISABLED, MAX_CURVE_POINTS},
    crate::error::BallastError,
    ballast_math::{
        curve::{borrow_rate_of_points, validate_points, BorrowRateCurve},
        Fraction,
    },
};

/// 100% in bps.
pub const FULL_BPS: u16 = 10_000;
/// Largest borrow factor: 500%.
pub const MAX_BORROW_FACTOR_BPS: u16 = 50_000;
/// Largest liquidation bonus: 50%.
pub const MAX_LIQUIDATION_BONUS_BPS: u16 = 5_000;
/// The bad-debt bonus must stay below 1%: it is paid when the position is already at 99% LTV or worse.
pub const BAD_DEBT_BONUS_LIMIT_BPS: u16 = 100;

impl ReserveConfig {
    /// Checks every bound, each with its own error (see the module documentation).
    pub fn validate(&self) -> Result<(), BallastError> {
        let ltv = self.loan_to_value_bps.get();
        let threshold = self.liquidation_threshold_bps.get();
        let min_bonus = self.min_liquidation_bonus_bps.get();
        let max_bonus = self.max_liquidation_bonus_bps.get();

        if ltv >= FULL_BPS || ltv > threshold {
            return Err(BallastError::InvalidLoanToValue);
        }
        if threshold >= FULL_BPS {
            return Err(BallastError::InvalidLiquidationThreshold);
        }
        // Both factors are below 2^17, so the product never saturates a u64.
        let room =
            u64::from(threshold).saturating_mul(u64::from(FULL_BPS).saturating_add(u64::from(max_bonus)));
        if room > u64::from(FULL_BPS).saturating_mul(u64::from(FULL_BPS)) {
            return Err(BallastError::InvalidLiquidationThreshold);
        }
        if !(FULL_BPS..=MAX_BORROW_FACTOR_BPS).contains(&self.borrow_factor_bps.get()) {
            return Err(BallastError::InvalidBorrowFactor);
        }
        if min_bonus > max_bonus
            || max_bonus > MAX_LIQUIDATION_BONUS_BPS
            || self.bad_debt_liquidation_bonus_bps.get() >= BAD_DEBT_BONUS_LIMIT_BPS
        {
            return Err(BallastError::InvalidLiquidationBonus);
        }
        if self.protocol_take_rate_bps.get() > FULL_BPS
            || self.protocol_liquidation_fee_bps.get() > FULL_BPS
            || self.insurance_fee_share_bps.get() > FULL_BPS
        {
            return Err(BallastError::InvalidProtocolFee);
        }
        self.with_valid_points(|_| ())?;
        if self.pyth_feed_id == [0; 32]
            || self.max_price_age_secs.get() == 0
            || !(1..=FULL_BPS).contains(&self.max_confidence_bps.get())
            || !(1..=FULL_BPS).contains(&self.max_twap_divergence_bps.get())
        {
            return Err(BallastError::InvalidOracleConfig);
        }
        if !(1..=FULL_BPS).contains(&self.utilization_cap_bps.get()) {
            return Err(BallastError::InvalidUtilizationCap);
        }
        let flash_fee = self.flash_loan_fee_bps.get();
        if flash_fee > FULL_BPS && flash_fee != FLASH_LOANS_DISABLED {
            return Err(BallastError::InvalidFlashLoanFee);
        }
        if self.borrowing_disabled.get().is_none() {
            return Err(BallastError::InvalidFlagValue);
        }
        Ok(())
    }

    /// The borrow rate (APR) at `utilization` of the stored curve, validated again. RefreshReserve runs this
    /// on every accrual: no [`BorrowRateCurve`] is built.
    pub fn borrow_rate(&self, utilization: Fraction) -> Result<Fraction, BallastError> {
        self.with_valid_points(|points| borrow_rate_of_points(points, utilization))
    }

    /// The borrow-rate curve of the `curve_point_count` first stored points, validated again.
    pub fn curve(&self) -> Result<BorrowRateCurve, BallastError> {
        self.with_valid_points(BorrowRateCurve::new)?.map_err(|_| BallastError::InvalidBorrowRateCurve)
    }

    /// Hands the `curve_point_count` first stored points, once they validate, to `use_points`.
    fn with_valid_points<R>(&self, use_points: impl FnOnce(&[(u32, u32)]) -> R) -> Result<R, BallastError> {
        let mut points = [(0u32, 0u32); MAX_CURVE_POINTS];
        let count = usize::from(self.curve_point_count);
        let stored = self.borrow_rate_curve.get(..count).ok_or(BallastError::InvalidBorrowRateCurve)?;
        for (point, stored) in points.iter_mut().zip(stored) {
            *point = (stored.utilization_bps.get(), stored.rate_bps.get());
        }
        // `count` indexed the stored points, which are as many as `points`.
        let points = points.get(..count).unwrap_or(&points);
        validate_points(points).map_err(|_| BallastError::InvalidBorrowRateCurve)?;
        Ok(use_points(points))
    }
}

#[cfg(test)]
mod tests {
    use {
        super::*,
        crate::{
            pod::{Flag, Le16, Le32, Le64},
            state::CurvePoint,
        },
        ballast_math::Fraction,
    };

    fn valid() -> ReserveConfig {
        let mut curve = [CurvePoint::default(); MAX_CURVE_POINTS];
        let points = [(0u32, 0u32), (8_000, 1_000), (10_000, 10_000)];
        for (slot, (u, r)) in curve.iter_mut().zip(points) {
            *slot = CurvePoint { utilization_bps: Le32::new(u), rate_bps: Le32::new(r) };
        }
        ReserveConfig {
            loan_to_value_bps: Le16::new(7_500),
            liquidation_threshold_bps: Le16::new(8_000),
            borrow_factor_bps: Le16::new(10_000),
            min_liquidation_bonus_bps: Le16::new(500),
            max_liquidation_bonus_bps: Le16::new(1_000),
            bad_debt_liquidation_bonus_bps: Le16::new(99),
            bonus_escalation_bps_per_slot: Le16::new(1),
            protocol_liquidation_fee_bps: Le16::new(1_000),
            protocol_take_rate_bps: Le16::new(1_000),
            insurance_fee_share_bps: Le16::new(5_000),
            utilization_cap_bps: Le16::new(9_500),
            flash_loan_fee_bps: Le16::new(9),
            max_confidence_bps: Le16::new(200),
            max_twap_divergence_bps: Le16::new(500),
            borrowing_disabled: Flag::OFF,
            curve_point_count: 3,
            padding: [0; 2],
            deposit_cap: Le64::new(1_000_000),
            borrow_cap: Le64::new(1_000_000),
            max_price_age_secs: Le64::new(60),
            pyth_feed_id: [1; 32],
            borrow_rate_curve: curve,
            reserved: [0; 64],
        }
    }

    fn check(edit: impl Fn(&mut ReserveConfig), expected: Result<(), BallastError>) {
        let mut config = valid();
        edit(&mut config);
        assert_eq!(config.validate(), expected, "{config:?}");
    }

    fn set_curve(config: &mut ReserveConfig, points: &[(u32, u32)]) {
        config.borrow_rate_curve = [CurvePoint::default(); MAX_CURVE_POINTS];
        for (slot, (u, r)) in config.borrow_rate_curve.iter_mut().zip(points) {
            *slot = CurvePoint { utilization_bps: Le32::new(*u), rate_bps: Le32::new(*r) };
        }
        config.curve_point_count = points.len() as u8;
    }

    #[test]
    fn accepts_a_typical_config() {
        check(|_| {}, Ok(()));
    }

    #[test]
    fn loan_to_value_and_threshold() {
        use BallastError::{InvalidLiquidationThreshold as Lt, InvalidLoanToValue as Ltv};
        // Not collateral at all: LTV 0 and threshold 0.
        check(
            |c| {
                c.loan_to_value_bps = Le16::new(0);
                c.liquidation_threshold_bps = Le16::new(0);
            },
            Ok(()),
        );
        // LTV equal to the threshold is allowed (LTV <= LT).
        check(|c| c.loan_to_value_bps = Le16::new(8_000), Ok(()));
        check(|c| c.loan_to_value_bps = Le16::new(8_001), Err(Ltv));
        check(|c| c.loan_to_value_bps = Le16::new(10_000), Err(Ltv));
        check(|c| c.loan_to_value_bps = Le16::new(u16::MAX), Err(Ltv));
        check(|c| c.liquidation_threshold_bps = Le16::new(7_499), Err(Ltv));
        check(
            |c| {
                c.max_liquidation_bonus_bps = Le16::new(0);
                c.min_liquidation_bonus_bps = Le16::new(0);
                c.liquidation_threshold_bps = Le16::new(9_999);
            },
            Ok(()),
        );
        check(|c| c.liquidation_threshold_bps = Le16::new(10_000), Err(Lt));
    }

    #[test]
    fn threshold_leaves_room_for_the_bonus() {
        // 9_000 × (10_000 + 1_111) = 99_999_000 <= 10^8; 1_112 is one too many.
        let at = |bonus: u16| {
            move |c: &mut ReserveConfig| {
                c.liquidation_threshold_bps = Le16::new(9_000);
                c.max_liquidation_bonus_bps = Le16::new(bonus);
            }
        };
        check(at(1_111), Ok(()));
        check(at(1_112), Err(BallastError::InvalidLiquidationThreshold));
        // Exactly 100%: 8_000 × 12_500 = 10^8.
        check(
            |c| {
                c.liquidation_threshold_bps = Le16::new(8_000);
                c.max_liquidation_bonus_bps = Le16::new(2_500);
            },
            Ok(()),
        );
        check(
            |c| {
                c.liquidation_threshold_bps = Le16::new(8_000);
                c.max_liquidation_bonus_bps = Le16::new(2_501);
            },
            Err(BallastError::InvalidLiquidationThreshold),
        );
    }

    #[test]
    fn borrow_factor() {
        check(|c| c.borrow_factor_bps = Le16::new(9_999), Err(BallastError::InvalidBorrowFactor));
        check(|c| c.borrow_factor_bps = Le16::new(0), Err(BallastError::InvalidBorrowFactor));
        check(|c| c.borrow_factor_bps = Le16::new(50_000), Ok(()));
        check(|c| c.borrow_factor_bps = Le16::new(50_001), Err(BallastError::InvalidBorrowFactor));
    }

    #[test]
    fn liquidation_bonuses() {
        let bad = Err(BallastError::InvalidLiquidationBonus);
        check(|c| c.min_liquidation_bonus_bps = Le16::new(1_000), Ok(()));
        check(|c| c.min_liquidation_bonus_bps = Le16::new(1_001), bad);
        let max_bonus = |bonus: u16| {
            move |c: &mut ReserveConfig| {
                c.loan_to_value_bps = Le16::new(0);
                c.liquidation_threshold_bps = Le16::new(0);
                c.max_liquidation_bonus_bps = Le16::new(bonus);
            }
        };
        check(max_bonus(5_000), Ok(()));
        check(max_bonus(5_001), bad);
        check(|c| c.bad_debt_liquidation_bonus_bps = Le16::new(0), Ok(()));
        check(|c| c.bad_debt_liquidation_bonus_bps = Le16::new(100), bad);
    }

    #[test]
    fn protocol_fees() {
        let bad = Err(BallastError::InvalidProtocolFee);
        check(|c| c.protocol_take_rate_bps = Le16::new(10_000), Ok(()));
        check(|c| c.protocol_take_rate_bps = Le16::new(10_001), bad);
        check(|c| c.protocol_liquidation_fee_bps = Le16::new(10_000), Ok(()));
        check(|c| c.protocol_liquidation_fee_bps = Le16::new(10_001), bad);
        check(|c| c.insurance_fee_share_bps = Le16::new(10_000), Ok(()));
        check(|c| c.insurance_fee_share_bps = Le16::new(10_001), bad);
    }

    #[test]
    fn borrow_rate_curve() {
        let bad = Err(BallastError::InvalidBorrowRateCurve);
        check(|c| set_curve(c, &[(0, 0), (10_000, 50_000)]), Ok(()));
        let eleven: [(u32, u32); 11] = core::array::from_fn(|i| (i as u32 * 1_000, i as u32 * 100));
        check(|c| set_curve(c, &eleven), Ok(()));
        check(|c| set_curve(c, &[(0, 0)]), bad);
        check(|c| c.curve_point_count = 12, bad);
        check(|c| c.curve_point_count = 0, bad);
        check(|c| set_curve(c, &[(1, 0), (10_000, 100)]), bad);
        check(|c| set_curve(c, &[(0, 0), (9_999, 100)]), bad);
        check(|c| set_curve(c, &[(0, 0), (5_000, 100), (5_000, 200), (10_000, 300)]), bad);
        check(|c| set_curve(c, &[(0, 0), (5_000, 200), (10_000, 100)]), bad);
    }

    #[test]
    fn curve_helper_reads_the_stored_points() {
        let curve = valid().curve().unwrap();
        assert_eq!(curve.points(), &[(0, 0), (8_000, 1_000), (10_000, 10_000)]);
        assert_eq!(curve.borrow_rate(Fraction::from_bps(4_000)), Fraction::from_bps(500));
    }

    #[test]
    fn borrow_rate_in_place_equals_the_built_curve() {
        let eleven: [(u32, u32); 11] = core::array::from_fn(|i| (i as u32 * 1_000, i as u32 * i as u32 * 97));
        for points in [&[(0, 0), (8_000, 1_000), (10_000, 10_000)][..], &[(0, 7), (10_000, 7)], &eleven] {
            let mut config = valid();
            set_curve(&mut config, points);
            let curve = config.curve().unwrap();
            for bps in (0..=12_000).step_by(37) {
                let utilization = Fraction::from_bps(bps);
                assert_eq!(config.borrow_rate(utilization), Ok(curve.borrow_rate(utilization)), "{bps}");
            }
        }
        let mut broken = valid();
        broken.curve_point_count = 12;
        assert_eq!(broken.borrow_rate(Fraction::ZERO), Err(BallastError::InvalidBorrowRateCurve));
        broken.curve_point_count = 1;
        assert_eq!(broken.borrow_rate(Fraction::ZERO), Err(BallastError::InvalidBorrowRateCurve));
    }

    #[test]
    fn oracle_config() {
        let bad = Err(BallastError::InvalidOracleConfig);
        check(|c| c.pyth_feed_id = [0; 32], bad);
        check(|c| c.max_price_age_secs = Le64::new(0), bad);
        check(|c| c.max_confidence_bps = Le16::new(0), bad);
        check(|c| c.max_confidence_bps = Le16::new(10_000), Ok(()));
        check(|c| c.max_confidence_bps = Le16::new(10_001), bad);
        check(|c| c.max_twap_divergence_bps = Le16::new(0), bad);
        check(|c| c.max_twap_divergence_bps = Le16::new(10_000), Ok(()));
        check(|c| c.max_twap_divergence_bps = Le16::new(10_001), bad);
    }

    #[test]
    fn utilization_cap() {
        let bad = Err(BallastError::InvalidUtilizationCap);
        check(|c| c.utilization_cap_bps = Le16::new(0), bad);
        check(|c| c.utilization_cap_bps = Le16::new(1), Ok(()));
        check(|c| c.utilization_cap_bps = Le16::new(10_000), Ok(()));
        check(|c| c.utilization_cap_bps = Le16::new(10_001), bad);
    }

    #[test]
    fn flash_loan_fee() {
        check(|c| c.flash_loan_fee_bps = Le16::new(10_000), Ok(()));
        check(|c| c.flash_loan_fee_bps = Le16::new(FLASH_LOANS_DISABLED), Ok(()));
        check(|c| c.flash_loan_fee_bps = Le16::new(10_001), Err(BallastError::InvalidFlashLoanFee));
        check(|c| c.flash_loan_fee_bps = Le16::new(u16::MAX - 1), Err(BallastError::InvalidFlashLoanFee));
    }

    #[test]
    fn borrowing_disabled_flag() {
        check(|c| c.borrowing_disabled = Flag::ON, Ok(()));
        check(|c| c.borrowing_disabled = Flag(2), Err(BallastError::InvalidFlagValue));
    }
}
