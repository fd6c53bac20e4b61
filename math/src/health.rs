//! Obligation health.
//!
//! From per-position market values:
//! - `deposited_value = Σ vᵢ`
//! - `allowed_borrow_value = Σ vᵢ·LTVᵢ` (borrowing power)
//! - `unhealthy_borrow_value = Σ vᵢ·LTᵢ` (liquidation line)
//! - `borrowed_value = Σ dⱼ` (debt without borrow factor)
//! - `debt_value_bf = Σ dⱼ·BFⱼ` (debt with borrow factor)
//!
//! With configs satisfying `LTVᵢ ≤ LTᵢ`, `allowed_borrow_value ≤ unhealthy_borrow_value ≤
//! deposited_value`, and `borrowed_value ≤ debt_value_bf` whenever every `BFⱼ ≥ 1`. An obligation may
//! borrow while `debt_value_bf ≤ allowed_borrow_value`, and is liquidatable once
//! `debt_value_bf ≥ unhealthy_borrow_value` with non-zero debt.
//!
//! Rounding leans toward risk: collateral-side sums round down (less borrowing power, earlier
//! liquidation), debt-side sums and LTVs round up.

use crate::{Fraction, MathError};

/// One deposit of an obligation.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct DepositPosition {
    /// Market value of the deposit (round it down: [`crate::value::market_value`]).
    pub value: Fraction,
    /// Loan-to-value ratio for new borrows.
    pub ltv: Fraction,
    /// Liquidation threshold.
    pub liquidation_threshold: Fraction,
}

/// One borrow of an obligation.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct BorrowPosition {
    /// Market value of the debt (round it up: [`crate::value::market_value_of_fraction_ceil`]).
    pub value: Fraction,
    /// Borrow factor (≥ 1 by configuration).
    pub borrow_factor: Fraction,
}

/// Aggregated health of an obligation.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Health {
    /// `Σ deposit values`.
    pub deposited_value: Fraction,
    /// `Σ value × LTV`, each term rounded down.
    pub allowed_borrow_value: Fraction,
    /// `Σ value × liquidation threshold`, each term rounded down.
    pub unhealthy_borrow_value: Fraction,
    /// `Σ debt values` without borrow factor.
    pub borrowed_value: Fraction,
    /// `Σ debt value × borrow factor`, each term rounded up.
    pub debt_value_bf: Fraction,
}

impl Health {
    /// No positions.
    pub const ZERO: Self = Self {
        deposited_value: Fraction::ZERO,
        allowed_borrow_value: Fraction::ZERO,
        unhealthy_borrow_value: Fraction::ZERO,
        borrowed_value: Fraction::ZERO,
        debt_value_bf: Fraction::ZERO,
    };

    /// Aggregates every deposit and borrow.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when a sum exceeds [`Fraction::MAX`].
    pub fn compute(deposits: &[DepositPosition], borrows: &[BorrowPosition]) -> Result<Self, MathError> {
        let mut health = Self::ZERO;
        for d in deposits {
            health = health.with_deposit(d)?;
        }
        for b in borrows {
            health = health.with_borrow(b)?;
        }
        Ok(health)
    }

    /// This health plus one deposit.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when a sum exceeds [`Fraction::MAX`].
    pub fn with_deposit(self, d: &DepositPosition) -> Result<Self, MathError> {
        Ok(Self {
            deposited_value: self.deposited_value.checked_add(d.value)?,
            // Borrowing power is what the user receives: rounded down.
            allowed_borrow_value: self.allowed_borrow_value.checked_add(d.value.checked_mul(d.ltv)?)?,
            // A lower liquidation line favours the lenders: rounded down.
            unhealthy_borrow_value: self
                .unhealthy_borrow_value
                .checked_add(d.value.checked_mul(d.liquidation_threshold)?)?,
            ..self
        })
    }

    /// This health plus one borrow.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when a sum exceeds [`Fraction::MAX`].
    pub fn with_borrow(self, b: &BorrowPosition) -> Result<Self, MathError> {
        Ok(Self {
            borrowed_value: self.borrowed_value.checked_add(b.value)?,
            // Adjusted debt is what the user owes: rounded up.
            debt_value_bf: self.debt_value_bf.checked_add(b.value.checked_mul_ceil(b.borrow_factor)?)?,
            ..self
        })
    }

    /// `debt_value_bf / deposited_value`, rounded up. 0 without debt; [`Fraction::MAX`] ("infinite")
    /// with debt and no deposits.
    pub fn ltv(&self) -> Fraction {
        ratio_ceil(self.debt_value_bf, self.deposited_value)
    }

    /// `borrowed_value / deposited_value` (no borrow factor), rounded up; 0 without debt,
    /// [`Fraction::MAX`] with debt and no deposits.
    pub fn ltv_no_bf(&self) -> Fraction {
        ratio_ceil(self.borrowed_value, self.deposited_value)
    }

    /// `unhealthy_borrow_value / deposited_value`, rounded down; 0 without deposits.
    pub fn unhealthy_ltv(&self) -> Fraction {
        self.unhealthy_borrow_value.checked_div(self.deposited_value).unwrap_or(Fraction::ZERO)
    }

    /// `allowed_borrow_value / deposited_value`, rounded down; 0 without deposits.
    pub fn allowed_ltv(&self) -> Fraction {
        self.allowed_borrow_value.checked_div(self.deposited_value).unwrap_or(Fraction::ZERO)
    }

    /// Liquidatable: non-zero debt and `debt_value_bf ≥ unhealthy_borrow_value`.
    pub fn is_liquidatable(&self) -> bool {
        !self.debt_value_bf.is_zero() && self.debt_value_bf >= self.unhealthy_borrow_value
    }

    /// Within its borrowing power: `debt_value_bf ≤ allowed_borrow_value`.
    pub fn is_within_allowed(&self) -> bool {
        self.debt_value_bf <= self.allowed_borrow_value
    }

    /// Whether `additional_debt_bf` more borrow-factor-adjusted debt keeps the obligation within its
    /// borrowing power.
    pub fn can_borrow(&self, additional_debt_bf: Fraction) -> bool {
        self.debt_value_bf.checked_add(additional_debt_bf).is_ok_and(|d| d <= self.allowed_borrow_value)
    }

    /// Borrowing power left (0 when already over).
    pub fn remaining_borrow_value(&self) -> Fraction {
        self.allowed_borrow_value.saturating_sub(self.debt_value_bf)
    }

    /// Bad debt: debt remains and no collateral value does.
    pub fn is_bad_debt(&self) -> bool {
        self.deposited_value.is_zero() && !self.borrowed_value.is_zero()
    }
}

#[inline(never)]
fn ratio_ceil(num: Fraction, den: Fraction) -> Fraction {
    if num.is_zero() {
        return Fraction::ZERO;
    }
    num.checked_div_ceil(den).unwrap_or(Fraction::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_infinite() {
        let h = Health::ZERO;
        assert_eq!(h.ltv(), Fraction::ZERO);
        assert!(!h.is_liquidatable());
        assert!(h.can_borrow(Fraction::ZERO));
        let bad =
            Health::compute(&[], &[BorrowPosition { value: Fraction::ONE, borrow_factor: Fraction::ONE }])
                .unwrap();
        assert_eq!(bad.ltv(), Fraction::MAX);
        assert_eq!(bad.ltv_no_bf(), Fraction::MAX);
        assert_eq!(bad.unhealthy_ltv(), Fraction::ZERO);
        assert!(bad.is_liquidatable());
        assert!(bad.is_bad_debt());
    }

    #[test]
    fn borrow_factor_counts_on_debt_only() {
        let h = Health::compute(
            &[DepositPosition {
                value: Fraction::from_integer(1_000),
                ltv: Fraction::from_percent(75),
                liquidation_threshold: Fraction::from_percent(80),
            }],
            &[BorrowPosition {
                value: Fraction::from_integer(400),
                borrow_factor: Fraction::from_percent(150),
            }],
        )
        .unwrap();
        assert_eq!(h.debt_value_bf, Fraction::from_integer(600));
        assert_eq!(h.ltv().to_bps_floor(), Ok(6_000));
        assert_eq!(h.ltv_no_bf().to_bps_floor(), Ok(4_000));
        assert!(h.is_within_allowed());
        assert!(h.can_borrow(Fraction::from_integer(150)));
        assert!(!h.can_borrow(Fraction::from_integer(151)));
        assert_eq!(h.remaining_borrow_value(), Fraction::from_integer(150));
    }
}
