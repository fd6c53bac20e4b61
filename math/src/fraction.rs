//! Unsigned binary fixed point: [`Fraction`], U68F60 in a `u128`.
//!
//! # Why 60 fractional bits
//! - 2^-60 ≈ 8.7e-19 resolves a basis point of a basis point many times over, and a token amount of
//!   `u64::MAX` base units times a ratio still fits (64 + 60 = 124 bits).
//! - 68 integer bits hold market values up to 2.9e20 quote units and any `u64` amount.
//! - A product of two Fractions is at most 256 bits, so multiplication needs only a `u128 × u128`
//!   widening product and a shift: no big-integer division on the hot path.
//!
//! Being binary, decimal inputs such as 1 bps are not exact: [`Fraction::from_bps`] and friends round
//! down (at most 2^-60 below the decimal value). 0, 100 % and 10 000 bps are exact.

use core::num::NonZeroU128;

use crate::{wide::Wide, MathError};

/// Unsigned fixed point with 60 fractional bits (U68F60), stored as raw `u128` bits.
///
/// Store it on chain with [`Fraction::raw`] and rebuild it with [`Fraction::from_raw`]: every bit pattern
/// is a valid value.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Debug, Default, Hash)]
pub struct Fraction(u128);

/// 2^60, the raw value of 1.
const ONE_RAW: u128 = 1 << Fraction::BITS;
/// Mask of the fractional bits.
const FRAC_MASK: u128 = ONE_RAW - 1;

impl Fraction {
    /// Number of fractional bits.
    pub const BITS: u32 = 60;
    /// 0.
    pub const ZERO: Self = Self(0);
    /// 1.
    pub const ONE: Self = Self(ONE_RAW);
    /// The largest value, 2^68 − 2^-60. Also used as "infinite" (see [`crate::health::Health::ltv`]).
    pub const MAX: Self = Self(u128::MAX);
    /// The smallest positive value, 2^-60.
    pub const EPSILON: Self = Self(1);

    /// Rebuilds a Fraction from its raw bits (value = raw / 2^60).
    pub const fn from_raw(raw: u128) -> Self {
        Self(raw)
    }

    /// The raw bits (value × 2^60).
    pub const fn raw(self) -> u128 {
        self.0
    }

    /// An integer, exactly.
    pub const fn from_integer(value: u64) -> Self {
        // A u64 shifted by 60 stays below 2^124.
        Self((value as u128) << Self::BITS)
    }

    /// `bps / 10 000`, rounded down (exact for multiples of 625 bps, including 0 and 10 000).
    pub const fn from_bps(bps: u64) -> Self {
        // bps · 2^60 < 2^124: no overflow.
        Self(((bps as u128) << Self::BITS) / 10_000)
    }

    /// `percent / 100`, rounded down (exact for multiples of 25 %, including 0 and 100).
    pub const fn from_percent(percent: u64) -> Self {
        Self(((percent as u128) << Self::BITS) / 100)
    }

    /// `num / den`, rounded down.
    ///
    /// # Errors
    /// [`MathError::DivisionByZero`] when `den == 0`.
    pub fn from_ratio(num: u64, den: u64) -> Result<Self, MathError> {
        let den = NonZeroU128::new(u128::from(den)).ok_or(MathError::DivisionByZero)?;
        // num · 2^60 < 2^124 fits, and dividing cannot make it larger.
        Ok(Self((u128::from(num) << Self::BITS) / den))
    }

    /// Whether the value is 0.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + rhs` (exact).
    ///
    /// # Errors
    /// [`MathError::Overflow`] above [`Fraction::MAX`].
    pub const fn checked_add(self, rhs: Self) -> Result<Self, MathError> {
        match self.0.checked_add(rhs.0) {
            Some(raw) => Ok(Self(raw)),
            None => Err(MathError::Overflow),
        }
    }

    /// `self − rhs` (exact).
    ///
    /// # Errors
    /// [`MathError::Underflow`] when `rhs > self`.
    pub const fn checked_sub(self, rhs: Self) -> Result<Self, MathError> {
        match self.0.checked_sub(rhs.0) {
            Some(raw) => Ok(Self(raw)),
            None => Err(MathError::Underflow),
        }
    }

    /// `self + rhs`, clamped at [`Fraction::MAX`].
    pub const fn saturating_add(self, rhs: Self) -> Self {
        Self(self.0.saturating_add(rhs.0))
    }

    /// `self − rhs`, clamped at 0.
    pub const fn saturating_sub(self, rhs: Self) -> Self {
        Self(self.0.saturating_sub(rhs.0))
    }

    /// `self × rhs`, rounded down. Widening `u128` limb product and a shift: no division.
    ///
    /// # Errors
    /// [`MathError::Overflow`] above [`Fraction::MAX`].
    pub const fn checked_mul(self, rhs: Self) -> Result<Self, MathError> {
        match Wide::mul(self.0, rhs.0).shr_to_u128::<{ Self::BITS }>() {
            Some(raw) => Ok(Self(raw)),
            None => Err(MathError::Overflow),
        }
    }

    /// `self × rhs`, rounded up: for amounts a user owes.
    ///
    /// # Errors
    /// [`MathError::Overflow`] above [`Fraction::MAX`].
    pub const fn checked_mul_ceil(self, rhs: Self) -> Result<Self, MathError> {
        let product = Wide::mul(self.0, rhs.0);
        let Some(raw) = product.shr_to_u128::<{ Self::BITS }>() else {
            return Err(MathError::Overflow);
        };
        if !product.low_bits_set::<{ Self::BITS }>() {
            return Ok(Self(raw));
        }
        match raw.checked_add(1) {
            Some(raw) => Ok(Self(raw)),
            None => Err(MathError::Overflow),
        }
    }

    /// `self × rhs`, rounded down and clamped at [`Fraction::MAX`].
    pub const fn saturating_mul(self, rhs: Self) -> Self {
        match self.checked_mul(rhs) {
            Ok(v) => v,
            Err(_) => Self::MAX,
        }
    }

    /// `self / rhs`, rounded down.
    ///
    /// Values below 256 (every ratio and rate) divide with one `u128` division; only larger dividends
    /// over divisors of 16 or more take the 256-bit path.
    ///
    /// # Errors
    /// [`MathError::DivisionByZero`] when `rhs` is 0, [`MathError::Overflow`] above [`Fraction::MAX`].
    pub fn checked_div(self, rhs: Self) -> Result<Self, MathError> {
        self.div_rem(rhs).map(|(q, _)| q)
    }

    /// `self / rhs`, rounded up: for amounts a user owes.
    ///
    /// # Errors
    /// As [`Fraction::checked_div`].
    pub fn checked_div_ceil(self, rhs: Self) -> Result<Self, MathError> {
        let (q, rem) = self.div_rem(rhs)?;
        if rem {
            q.checked_add(Self::EPSILON)
        } else {
            Ok(q)
        }
    }

    /// Floor quotient and whether a remainder was dropped.
    fn div_rem(self, rhs: Self) -> Result<(Self, bool), MathError> {
        let divisor = NonZeroU128::new(rhs.0).ok_or(MathError::DivisionByZero)?;
        let (q, r) = Wide::shl::<{ Self::BITS }>(self.0).div_rem(divisor);
        let q = q.to_u128().ok_or(MathError::Overflow)?;
        Ok((Self(q), r != 0))
    }

    /// `self × n` for an integer `n` (exact).
    ///
    /// # Errors
    /// [`MathError::Overflow`] above [`Fraction::MAX`].
    pub const fn checked_mul_int(self, n: u64) -> Result<Self, MathError> {
        match self.0.checked_mul(n as u128) {
            Some(raw) => Ok(Self(raw)),
            None => Err(MathError::Overflow),
        }
    }

    /// `self × n` for an integer `n`, clamped at [`Fraction::MAX`].
    pub const fn saturating_mul_int(self, n: u64) -> Self {
        Self(self.0.saturating_mul(n as u128))
    }

    /// `self / n` for an integer `n`, rounded down.
    ///
    /// # Errors
    /// [`MathError::DivisionByZero`] when `n == 0`.
    pub fn checked_div_int(self, n: u64) -> Result<Self, MathError> {
        let n = NonZeroU128::new(u128::from(n)).ok_or(MathError::DivisionByZero)?;
        Ok(Self(self.0 / n))
    }

    /// `floor(self × amount)`: the share of an amount that a user receives.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when the result exceeds `u64`.
    pub const fn mul_floor(self, amount: u64) -> Result<u64, MathError> {
        let product = Wide::mul(self.0, amount as u128);
        match product.shr_to_u128::<{ Self::BITS }>() {
            Some(v) if v <= u64::MAX as u128 => Ok(v as u64),
            _ => Err(MathError::Overflow),
        }
    }

    /// `ceil(self × amount)`: the share of an amount that a user owes.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when the result exceeds `u64`.
    pub const fn mul_ceil(self, amount: u64) -> Result<u64, MathError> {
        let product = Wide::mul(self.0, amount as u128);
        let Some(floor) = product.shr_to_u128::<{ Self::BITS }>() else {
            return Err(MathError::Overflow);
        };
        let ceil = if product.low_bits_set::<{ Self::BITS }>() { floor.saturating_add(1) } else { floor };
        if ceil <= u64::MAX as u128 {
            Ok(ceil as u64)
        } else {
            Err(MathError::Overflow)
        }
    }

    /// The integer part (rounded down): what a user receives.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when it exceeds `u64`.
    pub const fn to_u64_floor(self) -> Result<u64, MathError> {
        let int = self.0 >> Self::BITS;
        if int <= u64::MAX as u128 {
            Ok(int as u64)
        } else {
            Err(MathError::Overflow)
        }
    }

    /// The value rounded up to an integer: what a user owes.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when it exceeds `u64`.
    pub const fn to_u64_ceil(self) -> Result<u64, MathError> {
        let int = self.0 >> Self::BITS;
        // int < 2^68, so adding 1 cannot wrap.
        let int = if self.0 & FRAC_MASK != 0 { int.saturating_add(1) } else { int };
        if int <= u64::MAX as u128 {
            Ok(int as u64)
        } else {
            Err(MathError::Overflow)
        }
    }

    /// The value in basis points, rounded down.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when it exceeds `u64`.
    pub const fn to_bps_floor(self) -> Result<u64, MathError> {
        Self::from_integer(10_000).mul_floor_by(self)
    }

    /// The value in basis points, rounded up.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when it exceeds `u64`.
    pub const fn to_bps_ceil(self) -> Result<u64, MathError> {
        match Self::from_integer(10_000).checked_mul_ceil(self) {
            Ok(v) => v.to_u64_ceil(),
            Err(e) => Err(e),
        }
    }

    const fn mul_floor_by(self, rhs: Self) -> Result<u64, MathError> {
        match self.checked_mul(rhs) {
            Ok(v) => v.to_u64_floor(),
            Err(e) => Err(e),
        }
    }

    /// The value as an `f64`, within one rounding of each of its integer and fractional parts
    /// (host-side display and tests only).
    #[cfg(feature = "std")]
    pub fn to_f64(self) -> f64 {
        // Split so that the integer part and the fraction each convert with a single rounding.
        let int = (self.0 >> Self::BITS) as f64;
        let frac = (self.0 & FRAC_MASK) as f64 / ONE_RAW as f64;
        int + frac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_exact() {
        assert_eq!(Fraction::from_bps(10_000), Fraction::ONE);
        assert_eq!(Fraction::from_percent(100), Fraction::ONE);
        assert_eq!(Fraction::from_bps(0), Fraction::ZERO);
        assert_eq!(Fraction::from_bps(5_000), Fraction::from_raw(ONE_RAW / 2));
        assert_eq!(Fraction::from_ratio(3, 4), Ok(Fraction::from_bps(7_500)));
        assert_eq!(Fraction::from_ratio(1, 0), Err(MathError::DivisionByZero));
        assert_eq!(Fraction::from_integer(u64::MAX).to_u64_floor(), Ok(u64::MAX));
    }

    #[test]
    fn bps_rounds_down() {
        // 1 bps is not a dyadic rational, so it is stored just below its decimal value.
        let one_bps = Fraction::from_bps(1);
        assert_eq!(one_bps.raw(), ONE_RAW / 10_000);
        assert_eq!(one_bps.to_bps_floor(), Ok(0));
        assert_eq!(one_bps.to_bps_ceil(), Ok(1));
        assert_eq!(Fraction::from_bps(7_952).to_bps_ceil(), Ok(7_952));
    }

    #[test]
    fn mul_and_div_round_as_named() {
        let third = Fraction::from_ratio(1, 3).unwrap();
        let three = Fraction::from_integer(3);
        assert_eq!(third.checked_mul(three).unwrap(), Fraction::from_raw(ONE_RAW - 1));
        assert_eq!(Fraction::ONE.checked_div(three).unwrap(), third);
        assert_eq!(Fraction::ONE.checked_div_ceil(three).unwrap(), Fraction::from_raw(third.raw() + 1));
        assert_eq!(third.mul_floor(3), Ok(0));
        assert_eq!(third.mul_ceil(3), Ok(1));
        assert_eq!(Fraction::ONE.checked_div(Fraction::ZERO), Err(MathError::DivisionByZero));
        assert_eq!(Fraction::MAX.checked_mul(three), Err(MathError::Overflow));
        assert_eq!(Fraction::MAX.checked_div(Fraction::from_bps(5_000)), Err(MathError::Overflow));
        assert_eq!(Fraction::MAX.checked_div(Fraction::MAX), Ok(Fraction::ONE));
        assert_eq!(Fraction::MAX.saturating_mul(three), Fraction::MAX);
    }

    #[test]
    fn integer_conversions() {
        let x = Fraction::from_raw(ONE_RAW * 5 + 1);
        assert_eq!(x.to_u64_floor(), Ok(5));
        assert_eq!(x.to_u64_ceil(), Ok(6));
        assert_eq!(Fraction::MAX.to_u64_floor(), Err(MathError::Overflow));
        assert_eq!(
            Fraction::from_integer(u64::MAX).checked_add(Fraction::EPSILON).unwrap().to_u64_ceil(),
            Err(MathError::Overflow)
        );
        assert_eq!(Fraction::ONE.mul_floor(u64::MAX), Ok(u64::MAX));
        assert_eq!(Fraction::from_integer(2).mul_floor(u64::MAX), Err(MathError::Overflow));
    }
}
