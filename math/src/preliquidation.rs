//! Borrower opt-in pre-liquidation (the Morpho model).
//!
//! Between `pre_ltv` and the liquidation LTV, anyone may repay part of the debt and receive collateral
//! worth the repaid value times an incentive factor. With `q = (ltv − pre_ltv) / (LT − pre_ltv)`:
//! - close factor `cf = cf_start + q·(cf_end − cf_start)`: the share of the debt one call may repay;
//! - incentive `if = if_start + q·(if_end − if_start)`.
//!
//! Because `if ≤ 1/LT < 1/ltv`, each pre-liquidation lowers the LTV: with debt `D`, collateral `C`,
//! repay `r` and seize `r·if`, `(D − r)/(C − r·if) ≤ D/C ⇔ if ≤ C/D`. Because `cf ≤ 1`, the seized
//! value `r·if ≤ D·if ≤ C` never exceeds the collateral.

use crate::{Fraction, MathError};

/// A borrower's pre-liquidation settings.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PreLiquidationParams {
    /// LTV above which pre-liquidation opens.
    pub pre_ltv: Fraction,
    /// LTV at which ordinary liquidation takes over (the obligation's liquidation LTV).
    pub liquidation_ltv: Fraction,
    /// Close factor just above `pre_ltv`.
    pub close_factor_start: Fraction,
    /// Close factor as the LTV approaches `liquidation_ltv`.
    pub close_factor_end: Fraction,
    /// Incentive factor (≥ 1) just above `pre_ltv`.
    pub incentive_start: Fraction,
    /// Incentive factor as the LTV approaches `liquidation_ltv`.
    pub incentive_end: Fraction,
}

impl PreLiquidationParams {
    /// Checks the settings:
    /// - `0 < liquidation_ltv ≤ 1` and `pre_ltv < liquidation_ltv`;
    /// - `close_factor_start ≤ close_factor_end ≤ 1`. Morpho lets the end exceed 1 (the whole position
    ///   closable before liquidation); here both ends stay at most 1, so one call never repays more than
    ///   the debt and never seizes more than the collateral;
    /// - `1 ≤ incentive_start ≤ incentive_end ≤ floor(1 / liquidation_ltv)`, so every pre-liquidation
    ///   lowers the LTV.
    ///
    /// # Errors
    /// [`MathError::InvalidParams`] when any rule fails.
    pub fn validate(&self) -> Result<(), MathError> {
        let ltvs_ok = !self.liquidation_ltv.is_zero()
            && self.liquidation_ltv <= Fraction::ONE
            && self.pre_ltv < self.liquidation_ltv;
        let close_ok =
            self.close_factor_start <= self.close_factor_end && self.close_factor_end <= Fraction::ONE;
        if !ltvs_ok || !close_ok {
            return Err(MathError::InvalidParams);
        }
        let max_incentive = self.max_incentive()?;
        if Fraction::ONE <= self.incentive_start
            && self.incentive_start <= self.incentive_end
            && self.incentive_end <= max_incentive
        {
            Ok(())
        } else {
            Err(MathError::InvalidParams)
        }
    }

    /// `floor(1 / liquidation_ltv)`: the largest incentive that still lowers the LTV.
    ///
    /// # Errors
    /// [`MathError::DivisionByZero`] for a zero liquidation LTV.
    pub fn max_incentive(&self) -> Result<Fraction, MathError> {
        Fraction::ONE.checked_div(self.liquidation_ltv)
    }

    /// `(close factor, incentive factor)` at `ltv`, or `None` unless `pre_ltv < ltv < liquidation_ltv`.
    ///
    /// `q`, and each interpolated factor, round down (the liquidator receives them). Meant for settings
    /// that passed [`PreLiquidationParams::validate`]; on others it still never panics (inverted ends
    /// give the start value).
    pub fn at(&self, ltv: Fraction) -> Option<(Fraction, Fraction)> {
        if !(self.pre_ltv < ltv && ltv < self.liquidation_ltv) {
            return None;
        }
        let span = self.liquidation_ltv.saturating_sub(self.pre_ltv);
        let q = ltv.saturating_sub(self.pre_ltv).checked_div(span).ok()?;
        let close_factor = lerp(self.close_factor_start, self.close_factor_end, q)?;
        let incentive = lerp(self.incentive_start, self.incentive_end, q)?;
        Some((close_factor, incentive))
    }
}

/// `start + q·(end − start)`, rounded down.
fn lerp(start: Fraction, end: Fraction, q: Fraction) -> Option<Fraction> {
    let step = q.checked_mul(end.saturating_sub(start)).ok()?;
    start.checked_add(step).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> PreLiquidationParams {
        PreLiquidationParams {
            pre_ltv: Fraction::from_percent(80),
            liquidation_ltv: Fraction::from_percent(90),
            close_factor_start: Fraction::from_percent(10),
            close_factor_end: Fraction::from_percent(50),
            incentive_start: Fraction::ONE,
            incentive_end: Fraction::from_bps(11_000),
        }
    }

    #[test]
    fn validation() {
        assert_eq!(params().validate(), Ok(()));
        let p = PreLiquidationParams { pre_ltv: Fraction::from_percent(90), ..params() };
        assert_eq!(p.validate(), Err(MathError::InvalidParams));
        let p = PreLiquidationParams { close_factor_start: Fraction::from_percent(60), ..params() };
        assert_eq!(p.validate(), Err(MathError::InvalidParams));
        let p = PreLiquidationParams { close_factor_end: Fraction::from_percent(101), ..params() };
        assert_eq!(p.validate(), Err(MathError::InvalidParams));
        let p = PreLiquidationParams { incentive_start: Fraction::from_percent(99), ..params() };
        assert_eq!(p.validate(), Err(MathError::InvalidParams));
        // 1 / 0.9 = 1.111…: 1.12 is too much.
        let p = PreLiquidationParams { incentive_end: Fraction::from_bps(11_200), ..params() };
        assert_eq!(p.validate(), Err(MathError::InvalidParams));
        let p = PreLiquidationParams { liquidation_ltv: Fraction::ZERO, pre_ltv: Fraction::ZERO, ..params() };
        assert_eq!(p.validate(), Err(MathError::InvalidParams));
        let p = PreLiquidationParams { liquidation_ltv: Fraction::from_percent(101), ..params() };
        assert_eq!(p.validate(), Err(MathError::InvalidParams));
    }

    #[test]
    fn window_is_open_interval() {
        let p = params();
        assert_eq!(p.at(Fraction::from_percent(80)), None);
        assert_eq!(p.at(Fraction::from_percent(90)), None);
        assert_eq!(p.at(Fraction::from_percent(50)), None);
        let (cf, inc) = p.at(Fraction::from_percent(85)).unwrap();
        assert_eq!(cf.to_bps_ceil(), Ok(3_000));
        assert_eq!(inc.to_bps_ceil(), Ok(10_500));
    }
}
