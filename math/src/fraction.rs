//! Unsigned binary fixed point: [`Fraction`], U68F60 in 128 bits.
//!
//! # Why 60 fractional bits
//! - 2^-60 ≈ 8.7e-19 resolves a basis point of a basis point many times over, and a token amount of
//!   `u64::MAX` base units times a ratio still fits (64 + 60 = 124 bits).
//! - 68 integer bits hold market values up to 2.9e20 quote units and any `u64` amount.
//! - A product of two Fractions is at most 256 bits, so multiplication needs only a 128 × 128-bit
//!   widening product and a shift: no big-integer division on the hot path.
//!
//! Being binary, decimal inputs such as 1 bps are not exact: [`Fraction::from_bps`] and friends round
//! down (at most 2^-60 below the decimal value). 0, 100 % and 10 000 bps are exact.
//!
//! # Representation
//! The 128 raw bits are held as two `u64` limbs (least significant first) rather than a `u128`: an array
//! is passed to a function by pointer, one register, where a `u128` takes two, and the upstream BPF
//! backend allows only five argument registers. Products and quotients go through [`crate::wide`]'s
//! `u64` arithmetic, since that backend has no 128-bit multiply or divide. The API speaks `u128`
//! ([`Fraction::from_raw`], [`Fraction::raw`]); ordering, equality and `Debug` are those of the raw value.

use core::{
    cmp::Ordering,
    fmt,
    num::{NonZeroU32, NonZeroU64},
};

use crate::{
    wide::{self, Wide},
    MathError,
};

/// Unsigned fixed point with 60 fractional bits (U68F60): raw bits value × 2^60, as two `u64` limbs.
///
/// Store it on chain with [`Fraction::raw`] and rebuild it with [`Fraction::from_raw`]: every bit pattern
/// is a valid value.
#[derive(Copy, Clone, PartialEq, Eq, Default, Hash)]
#[repr(C)]
pub struct Fraction([u64; 2]);

/// 2^60, the raw value of 1.
const ONE_RAW: u128 = 1 << Fraction::BITS;
/// Mask of the fractional bits.
#[cfg(feature = "std")]
const FRAC_MASK: u128 = ONE_RAW - 1;

const BPS_DIVISOR: NonZeroU32 = match NonZeroU32::new(10_000) {
    Some(v) => v,
    None => NonZeroU32::MIN,
};
const PERCENT_DIVISOR: NonZeroU32 = match NonZeroU32::new(100) {
    Some(v) => v,
    None => NonZeroU32::MIN,
};

impl Fraction {
    /// Number of fractional bits.
    pub const BITS: u32 = 60;
    /// 0.
    pub const ZERO: Self = Self::from_raw(0);
    /// 1.
    pub const ONE: Self = Self::from_raw(ONE_RAW);
    /// The largest value, 2^68 − 2^-60. Also used as "infinite" (see [`crate::health::Health::ltv`]).
    pub const MAX: Self = Self::from_raw(u128::MAX);
    /// The smallest positive value, 2^-60.
    pub const EPSILON: Self = Self::from_raw(1);

    /// Rebuilds a Fraction from its raw bits (value = raw / 2^60).
    #[inline(always)]
    pub const fn from_raw(raw: u128) -> Self {
        Self(wide::split(raw))
    }

    /// The raw bits (value × 2^60).
    #[inline(always)]
    pub const fn raw(self) -> u128 {
        wide::join(self.0)
    }

    /// An integer, exactly.
    #[inline(always)]
    pub const fn from_integer(value: u64) -> Self {
        // value · 2^60 < 2^124: the low limb takes the bottom 4 bits of value, the high limb the rest.
        Self([value << Self::BITS, value >> (64 - Self::BITS)])
    }

    /// `bps / 10 000`, rounded down (exact for multiples of 625 bps, including 0 and 10 000).
    pub const fn from_bps(bps: u64) -> Self {
        // bps · 2^60 < 2^124: no overflow.
        Self::from_raw(wide::div_u128_by_u32(Self::from_integer(bps).raw(), BPS_DIVISOR).0)
    }

    /// `percent / 100`, rounded down (exact for multiples of 25 %, including 0 and 100).
    pub const fn from_percent(percent: u64) -> Self {
        Self::from_raw(wide::div_u128_by_u32(Self::from_integer(percent).raw(), PERCENT_DIVISOR).0)
    }

    /// `num / den`, rounded down.
    ///
    /// # Errors
    /// [`MathError::DivisionByZero`] when `den == 0`.
    pub fn from_ratio(num: u64, den: u64) -> Result<Self, MathError> {
        let den = NonZeroU64::new(den).ok_or(MathError::DivisionByZero)?;
        // num · 2^60 < 2^124 fits, and dividing cannot make it larger.
        let (q, _) = Wide::from_u128(Self::from_integer(num).raw()).div_rem_u64(den);
        q.to_u128().map(Self::from_raw).ok_or(MathError::Overflow)
    }

    /// Whether the value is 0.
    #[inline(always)]
    pub const fn is_zero(self) -> bool {
        self.0[0] | self.0[1] == 0
    }

    /// `self + rhs` (exact).
    ///
    /// # Errors
    /// [`MathError::Overflow`] above [`Fraction::MAX`].
    #[inline(always)]
    pub const fn checked_add(self, rhs: Self) -> Result<Self, MathError> {
        match self.add_limbs(rhs) {
            (sum, false) => Ok(sum),
            (_, true) => Err(MathError::Overflow),
        }
    }

    /// `self − rhs` (exact).
    ///
    /// # Errors
    /// [`MathError::Underflow`] when `rhs > self`.
    #[inline(always)]
    pub const fn checked_sub(self, rhs: Self) -> Result<Self, MathError> {
        match self.sub_limbs(rhs) {
            (diff, false) => Ok(diff),
            (_, true) => Err(MathError::Underflow),
        }
    }

    /// `self + rhs`, clamped at [`Fraction::MAX`].
    #[inline(always)]
    pub const fn saturating_add(self, rhs: Self) -> Self {
        match self.add_limbs(rhs) {
            (sum, false) => sum,
            (_, true) => Self::MAX,
        }
    }

    /// `self − rhs`, clamped at 0. A compare of the high limbs decides almost always, and the subtraction
    /// runs only when the result is positive (fewer BPF instructions than computing the difference and its
    /// borrow before selecting).
    #[inline(always)]
    pub const fn saturating_sub(self, rhs: Self) -> Self {
        let ([lo, hi], [rhs_lo, rhs_hi]) = (self.0, rhs.0);
        if hi < rhs_hi || (hi == rhs_hi && lo <= rhs_lo) {
            return Self::ZERO;
        }
        // self > rhs: the high limbs' difference absorbs the low limbs' borrow without wrapping.
        let (diff_lo, borrow) = lo.overflowing_sub(rhs_lo);
        Self([diff_lo, hi.wrapping_sub(rhs_hi).wrapping_sub(borrow as u64)])
    }

    /// `self + rhs` modulo 2^128 and whether it wrapped, limb by limb: the BPF lowering of a `u128` sum's
    /// overflow check is twice as long.
    #[inline(always)]
    const fn add_limbs(self, rhs: Self) -> (Self, bool) {
        let (lo, carry) = self.0[0].overflowing_add(rhs.0[0]);
        let (hi, o1) = self.0[1].overflowing_add(rhs.0[1]);
        let (hi, o2) = hi.overflowing_add(carry as u64);
        (Self([lo, hi]), o1 | o2)
    }

    /// `self − rhs` modulo 2^128 and whether it wrapped, limb by limb.
    #[inline(always)]
    const fn sub_limbs(self, rhs: Self) -> (Self, bool) {
        let (lo, borrow) = self.0[0].overflowing_sub(rhs.0[0]);
        let (hi, b1) = self.0[1].overflowing_sub(rhs.0[1]);
        let (hi, b2) = hi.overflowing_sub(borrow as u64);
        (Self([lo, hi]), b1 | b2)
    }

    /// `self < rhs`, limb by limb.
    #[inline(always)]
    const fn less(self, rhs: Self) -> bool {
        self.0[1] < rhs.0[1] || (self.0[1] == rhs.0[1] && self.0[0] < rhs.0[0])
    }

    /// `self × rhs`, rounded down. Widening 128 × 128-bit limb product and a shift: no division.
    ///
    /// # Errors
    /// [`MathError::Overflow`] above [`Fraction::MAX`].
    #[inline(never)]
    pub const fn checked_mul(self, rhs: Self) -> Result<Self, MathError> {
        match Wide::mul_limbs(self.0, rhs.0).shr_to_u128::<{ Self::BITS }>() {
            Some(raw) => Ok(Self::from_raw(raw)),
            None => Err(MathError::Overflow),
        }
    }

    /// `self × rhs`, rounded up: for amounts a user owes.
    ///
    /// # Errors
    /// [`MathError::Overflow`] above [`Fraction::MAX`].
    #[inline(never)]
    pub const fn checked_mul_ceil(self, rhs: Self) -> Result<Self, MathError> {
        match Wide::mul_limbs(self.0, rhs.0).shr_ceil::<{ Self::BITS }>(false) {
            Some(raw) => Ok(Self::from_raw(raw)),
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
    /// A 188-bit dividend (`self · 2^60`) over the 128-bit divisor: short division when the divisor is
    /// below 2^32, Knuth division on 32-bit digits otherwise.
    ///
    /// # Errors
    /// [`MathError::DivisionByZero`] when `rhs` is 0, [`MathError::Overflow`] above [`Fraction::MAX`].
    #[inline(never)]
    pub fn checked_div(self, rhs: Self) -> Result<Self, MathError> {
        let (q, _) = self.div_rem(rhs)?;
        q.round_to_u128(false).map(Self::from_raw).ok_or(MathError::Overflow)
    }

    /// `self / rhs`, rounded up: for amounts a user owes.
    ///
    /// # Errors
    /// As [`Fraction::checked_div`].
    #[inline(never)]
    pub fn checked_div_ceil(self, rhs: Self) -> Result<Self, MathError> {
        let (q, rem) = self.div_rem(rhs)?;
        q.round_to_u128(rem).map(Self::from_raw).ok_or(MathError::Overflow)
    }

    /// `self · 2^60 / rhs`: the floor quotient and whether a remainder was dropped.
    #[inline(always)]
    fn div_rem(self, rhs: Self) -> Result<(Wide, bool), MathError> {
        Wide::shl::<{ Self::BITS }>(self.raw()).div_rem(rhs.raw()).ok_or(MathError::DivisionByZero)
    }

    /// `self × n` for an integer `n` (exact).
    ///
    /// # Errors
    /// [`MathError::Overflow`] above [`Fraction::MAX`].
    #[inline(never)]
    pub const fn checked_mul_int(self, n: u64) -> Result<Self, MathError> {
        match wide::mul_by_u64(self.0, n) {
            [lo, hi, 0] => Ok(Self([lo, hi])),
            _ => Err(MathError::Overflow),
        }
    }

    /// `self × n` for an integer `n`, clamped at [`Fraction::MAX`].
    pub const fn saturating_mul_int(self, n: u64) -> Self {
        match self.checked_mul_int(n) {
            Ok(v) => v,
            Err(_) => Self::MAX,
        }
    }

    /// `self / n` for an integer `n`, rounded down.
    ///
    /// # Errors
    /// [`MathError::DivisionByZero`] when `n == 0`.
    pub fn checked_div_int(self, n: u64) -> Result<Self, MathError> {
        let n = NonZeroU64::new(n).ok_or(MathError::DivisionByZero)?;
        // Dividing by n ≥ 1 cannot make the value larger.
        let (q, _) = Wide::from_u128(self.raw()).div_rem_u64(n);
        q.round_to_u128(false).map(Self::from_raw).ok_or(MathError::Overflow)
    }

    /// `floor(self × amount)`: the share of an amount that a user receives.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when the result exceeds `u64`.
    #[inline(never)]
    pub const fn mul_floor(self, amount: u64) -> Result<u64, MathError> {
        let [l0, l1, l2] = wide::mul_by_u64(self.0, amount);
        Self([l0, l1]).to_u64(l2, false)
    }

    /// `ceil(self × amount)`: the share of an amount that a user owes.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when the result exceeds `u64`.
    #[inline(never)]
    pub const fn mul_ceil(self, amount: u64) -> Result<u64, MathError> {
        let [l0, l1, l2] = wide::mul_by_u64(self.0, amount);
        Self([l0, l1]).to_u64(l2, true)
    }

    /// The integer part (rounded down): what a user receives.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when it exceeds `u64`.
    #[inline(always)]
    pub const fn to_u64_floor(self) -> Result<u64, MathError> {
        self.to_u64(0, false)
    }

    /// The value rounded up to an integer: what a user owes.
    ///
    /// # Errors
    /// [`MathError::Overflow`] when it exceeds `u64`.
    #[inline(always)]
    pub const fn to_u64_ceil(self) -> Result<u64, MathError> {
        self.to_u64(0, true)
    }

    /// The integer part of `top · 2^68 + self` (a raw value above 128 bits, its limbs above `self`'s in
    /// `top`), plus 1 when `ceil` and the fraction is not 0, if it fits in a `u64`: on limbs, since the BPF
    /// lowering of a `u128` comparison and rounding is twice as long.
    #[inline(always)]
    const fn to_u64(self, top: u64, ceil: bool) -> Result<u64, MathError> {
        let [lo, hi] = self.0;
        // The integer part is `top · 2^68 + (hi >> 60) · 2^64 + ((hi << 4) | (lo >> 60))`.
        if top != 0 || hi >> Self::BITS != 0 {
            return Err(MathError::Overflow);
        }
        let int = (hi << (64 - Self::BITS)) | (lo >> Self::BITS);
        let up = ceil && lo << (64 - Self::BITS) != 0;
        match int.checked_add(up as u64) {
            Some(v) => Ok(v),
            None => Err(MathError::Overflow),
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
        let int = (self.raw() >> Self::BITS) as f64;
        let frac = (self.raw() & FRAC_MASK) as f64 / ONE_RAW as f64;
        int + frac
    }
}

impl Ord for Fraction {
    /// The order of the raw values: high limbs first, then low limbs.
    fn cmp(&self, other: &Self) -> Ordering {
        if self.less(*other) {
            Ordering::Less
        } else if *self == *other {
            Ordering::Equal
        } else {
            Ordering::Greater
        }
    }

    #[inline(always)]
    fn max(self, other: Self) -> Self {
        if other.less(self) {
            self
        } else {
            other
        }
    }

    #[inline(always)]
    fn min(self, other: Self) -> Self {
        if other.less(self) {
            other
        } else {
            self
        }
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }

    #[inline(always)]
    fn lt(&self, other: &Self) -> bool {
        self.less(*other)
    }

    #[inline(always)]
    fn le(&self, other: &Self) -> bool {
        !other.less(*self)
    }

    #[inline(always)]
    fn gt(&self, other: &Self) -> bool {
        other.less(*self)
    }

    #[inline(always)]
    fn ge(&self, other: &Self) -> bool {
        !self.less(*other)
    }
}

impl fmt::Debug for Fraction {
    /// `Fraction(<raw bits in decimal>)`, as for a `u128` newtype. Formatting a `u128` would divide it
    /// by powers of ten with 128-bit arithmetic, so the digits come from [`wide`] in chunks of nine.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Fraction").field(&RawDecimal(self.raw())).finish()
    }
}

/// Formats a `u128` in decimal with `u64` arithmetic only.
struct RawDecimal(u128);

impl fmt::Debug for RawDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const CHUNK: NonZeroU32 = match NonZeroU32::new(1_000_000_000) {
            Some(v) => v,
            None => NonZeroU32::MIN,
        };
        // u128::MAX has 39 digits; they are filled from the right, nine per division by 10^9.
        let mut buf = [b'0'; 39];
        let mut rest = self.0;
        for chunk in buf.rchunks_mut(9) {
            let (q, mut digits) = wide::div_u128_by_u32(rest, CHUNK);
            for byte in chunk.iter_mut().rev() {
                // A decimal digit: below 10, so the byte stays within '0'..='9'.
                *byte = b'0'.wrapping_add((digits % 10) as u8);
                digits /= 10;
            }
            rest = q;
        }
        let first = buf.iter().position(|&b| b != b'0').unwrap_or(buf.len().saturating_sub(1));
        let digits = buf.get(first..).and_then(|d| core::str::from_utf8(d).ok()).unwrap_or("0");
        f.pad_integral(true, "", digits)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "host reference arithmetic")]
mod tests {
    use proptest::prelude::*;
    use std::format;

    use super::*;
    use crate::wide::tests::{any_width_u128, any_width_u64, big::U256};

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

    #[test]
    fn debug_is_that_of_the_raw_value() {
        for raw in [0, 1, 9, 10, 999_999_999, 1_000_000_000, ONE_RAW, u64::MAX as u128, u128::MAX] {
            assert_eq!(format!("{:?}", Fraction::from_raw(raw)), format!("Fraction({raw})"));
        }
        assert_eq!(
            format!("{:#?}", Fraction::ONE),
            format!("{:#?}", RawNewtype(ONE_RAW)).replace("RawNewtype", "Fraction")
        );
    }

    /// What `#[derive(Debug)]` printed for the former `Fraction(u128)`.
    #[derive(Debug)]
    #[allow(dead_code, reason = "read through Debug only")]
    struct RawNewtype(u128);

    fn fits(x: U256) -> Option<u128> {
        (x.bits() <= 128).then(|| x.low_u128())
    }

    fn config() -> ProptestConfig {
        // PROPTEST_CASES, when set, replaces the default number of cases (for longer runs).
        let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1024);
        ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn raw_round_trips_and_orders_as_u128(a in any_width_u128(), b in any_width_u128()) {
            let (x, y) = (Fraction::from_raw(a), Fraction::from_raw(b));
            prop_assert_eq!(x.raw(), a);
            prop_assert_eq!(x.cmp(&y), a.cmp(&b));
            prop_assert_eq!(x == y, a == b);
            prop_assert_eq!(x.is_zero(), a == 0);
            prop_assert_eq!(format!("{x:?}"), format!("Fraction({a})"));
        }

        #[test]
        fn sums_and_differences_match_u128(a in any_width_u128(), b in any_width_u128()) {
            let (x, y) = (Fraction::from_raw(a), Fraction::from_raw(b));
            prop_assert_eq!(x.checked_add(y).ok().map(Fraction::raw), a.checked_add(b));
            prop_assert_eq!(x.checked_sub(y).ok().map(Fraction::raw), a.checked_sub(b));
            prop_assert_eq!(x.saturating_add(y).raw(), a.saturating_add(b));
            prop_assert_eq!(x.saturating_sub(y).raw(), a.saturating_sub(b));
            // Equal high limbs, the case where the low limbs decide.
            let (c, d) = ((a >> 64 << 64) | (b & u128::from(u64::MAX)), a);
            prop_assert_eq!(Fraction::from_raw(c).saturating_sub(Fraction::from_raw(d)).raw(), c.saturating_sub(d));
        }

        #[test]
        fn constructors_match_u128(n in any::<u64>(), d in any::<u64>()) {
            let scaled = u128::from(n) << 60;
            prop_assert_eq!(Fraction::from_integer(n).raw(), scaled);
            prop_assert_eq!(Fraction::from_bps(n).raw(), scaled / 10_000);
            prop_assert_eq!(Fraction::from_percent(n).raw(), scaled / 100);
            let ratio = Fraction::from_ratio(n, d).map(Fraction::raw);
            prop_assert_eq!(ratio.ok(), scaled.checked_div(u128::from(d)));
        }

        #[test]
        fn mul_matches_reference(a in any_width_u128(), b in any_width_u128()) {
            let (x, y) = (Fraction::from_raw(a), Fraction::from_raw(b));
            let product = U256::from(a) * U256::from(b);
            let floor = product >> 60;
            let ceil = (product + U256::from((1u64 << 60) - 1)) >> 60;
            prop_assert_eq!(x.checked_mul(y).ok().map(Fraction::raw), fits(floor));
            prop_assert_eq!(x.checked_mul_ceil(y).ok().map(Fraction::raw), fits(ceil));
            prop_assert_eq!(x.saturating_mul(y).raw(), fits(floor).unwrap_or(u128::MAX));
        }

        #[test]
        fn div_matches_reference(a in any_width_u128(), b in any_width_u128()) {
            let (x, y) = (Fraction::from_raw(a), Fraction::from_raw(b));
            if b == 0 {
                prop_assert_eq!(x.checked_div(y), Err(MathError::DivisionByZero));
                prop_assert_eq!(x.checked_div_ceil(y), Err(MathError::DivisionByZero));
            } else {
                let (q, r) = (U256::from(a) << 60).div_mod(U256::from(b));
                let qc = if r.is_zero() { q } else { q + U256::one() };
                prop_assert_eq!(x.checked_div(y).ok().map(Fraction::raw), fits(q));
                prop_assert_eq!(x.checked_div_ceil(y).ok().map(Fraction::raw), fits(qc));
            }
        }

        #[test]
        fn integer_ops_match_u128(a in any_width_u128(), n in any_width_u64()) {
            let x = Fraction::from_raw(a);
            let wide_n = u128::from(n);
            prop_assert_eq!(x.checked_mul_int(n).ok().map(Fraction::raw), a.checked_mul(wide_n));
            prop_assert_eq!(x.saturating_mul_int(n).raw(), a.saturating_mul(wide_n));
            prop_assert_eq!(x.checked_div_int(n).ok().map(Fraction::raw), a.checked_div(wide_n));
            let product = U256::from(a) * U256::from(n);
            let floor = fits(product >> 60).and_then(|v| u64::try_from(v).ok());
            let ceil = fits((product + U256::from((1u64 << 60) - 1)) >> 60).and_then(|v| u64::try_from(v).ok());
            prop_assert_eq!(x.mul_floor(n).ok(), floor);
            prop_assert_eq!(x.mul_ceil(n).ok(), ceil);
        }

        #[test]
        fn u64_mul_div_matches_u128(a in any_width_u64(), b in any_width_u64(), d in any_width_u64()) {
            let product = u128::from(a) * u128::from(b);
            let d_wide = u128::from(d);
            let floor = product.checked_div(d_wide);
            let ceil = product.checked_div(d_wide).map(|q| if product % d_wide == 0 { q } else { q + 1 });
            prop_assert_eq!(crate::mul_div_floor(a, b, d).ok(), floor.and_then(|q| u64::try_from(q).ok()));
            prop_assert_eq!(crate::mul_div_ceil(a, b, d).ok(), ceil.and_then(|q| u64::try_from(q).ok()));
            if d == 0 {
                prop_assert_eq!(crate::mul_div_floor(a, b, d), Err(MathError::DivisionByZero));
            }
        }
    }
}
