//! Per-slot compounding of a borrow APR.
//!
//! # Slot time
//! The protocol assumes **2 slots per second** (a 500 ms slot), so a 365-day year is
//! [`SLOTS_PER_YEAR`] = 63 072 000 slots. Real slots are nearer 400 ms, so the realised yearly rate comes
//! out slightly above the nominal APR; the curve is configured in these nominal terms.
//!
//! # Method and error bound of [`compound`]
//! The growth factor over `n` slots is `G = (1 + apr / SLOTS_PER_YEAR)^n`, with `apr` taken as the exact
//! value of its raw bits. [`compound`] computes it by exponentiation by squaring (right to left), in two
//! precisions:
//!
//! - While a value stays below 16 it is held with **124 fractional bits** (U4F124). The base
//!   `1 + apr / SLOTS_PER_YEAR` is rounded down once to 124 bits; every product is rounded down.
//! - When a product would reach 16, its left operand drops to 60 fractional bits and the computation
//!   continues there (values ≥ 16 lose little relative precision at 60 bits).
//!
//! Every rounding is downwards and every value is ≥ 1, so each rounding has relative error below its
//! ulp. An error in a squared base `z = b^(2^k)` reaches the result with multiplicity at most
//! `floor(n / 2^k)` (the later squarings raise it to that power), so:
//! - 124-bit base rounding and squarings: multiplicities sum to at most `n + n/2 + n/4 + … ≤ 2n`;
//!   accumulator products: at most 64, each with multiplicity 1. Together `< (2n + 64)·2^-124`.
//! - 60-bit steps (only when some product reaches 16, hence `G ≥ 16`; `G < 2^68` or the result
//!   overflows). A base is demoted when its square reaches 16, so it is ≥ 4: truncating it costs below
//!   `2^-62` relative in that square, whose multiplicity is at most `log G / log 16 ≤ 17`. A later
//!   square `z` rounds by below `2^-60 / z` with multiplicity at most `68 / log2 z`. The accumulator is
//!   demoted once (below `2^-60`, multiplicity 1) and each of its later products is ≥ 16 (below `2^-64`
//!   each, at most 64 of them). Altogether below `11·2^-60`, stated as `16·2^-60 = 2^-56`.
//! - The final conversion from 124 to 60 fractional bits rounds down by less than `2^-60`.
//!
//! Since `Π(1 − δᵢ)^mᵢ ≥ 1 − Σ mᵢ δᵢ`, the returned `Ĝ` satisfies, for every input that does not overflow:
//!
//! ```text
//! Ĝ ≤ G   and   G − Ĝ < 2^-60 + G · ( [G ≥ 16] · 2^-56 + (2n + 64) · 2^-124 )
//! ```
//!
//! In raw units (2^-60) the error is below `1 + G·(2n + 64)·2^-64` when `G < 16`, which is under 2 for
//! every `n < 2^56`: the result is the floor of the exact growth factor or one unit below it, however
//! many slots elapse. [`compound_error_bound`] evaluates the bound for tests and invariant checks.
//!
//! Rounding down keeps the interest index from ever running ahead of exact compounding, so lenders are
//! never credited with interest that borrowers do not owe.

use core::num::NonZeroU64;

use crate::{
    wide::{self, Wide},
    Fraction, MathError,
};

/// Slots per second assumed by every slot-based constant.
pub const SLOTS_PER_SECOND: u64 = 2;
/// Seconds in a 365-day year.
pub const SECONDS_PER_YEAR: u64 = 31_536_000;
/// Slots in a year at [`SLOTS_PER_SECOND`]: 63 072 000.
pub const SLOTS_PER_YEAR: u64 = 63_072_000;

const _: () = assert!(SLOTS_PER_YEAR == SLOTS_PER_SECOND * SECONDS_PER_YEAR);

const SLOTS_PER_YEAR_NZ: NonZeroU64 = match NonZeroU64::new(SLOTS_PER_YEAR) {
    Some(v) => v,
    None => NonZeroU64::MIN,
};

/// Fractional bits of the high-precision representation.
const HI_BITS: u32 = 124;
const ONE_HI: u128 = 1 << HI_BITS;
/// Bits dropped when converting from the high-precision representation to a Fraction.
const HI_TO_LO: u32 = HI_BITS - Fraction::BITS;

/// A fixed-point value: `raw` with 124 fractional bits when `hi`, 60 otherwise.
///
/// Taken by reference below: by value its flag and `u128` would take three argument registers each.
#[derive(Clone, Copy)]
struct Fixed {
    raw: u128,
    hi: bool,
}

impl Fixed {
    /// `floor(product / 2^124)` when `rhs` has 124 fractional bits, `floor(product / 2^60)` otherwise, for
    /// the 256-bit product of a value and `rhs`: the product in the value's precision, if it fits.
    #[inline(always)]
    fn scale(product: Wide, rhs: &Self) -> Option<u128> {
        // 124 = 64 + 60: one limb down, then the same 60-bit shift.
        let [w0, w1, w2, w3] = product.0;
        let (x0, x1, x2, x3) = if rhs.hi { (w1, w2, w3, 0) } else { (w0, w1, w2, w3) };
        Wide([x0, x1, x2, x3]).shr_to_u128::<{ Fraction::BITS }>()
    }

    /// `floor(self × rhs)` in `self`'s precision, dropping `self` to 60 fractional bits when the product
    /// reaches 16; `product` is `self.raw × rhs.raw` in `self`'s precision, if it fits.
    #[inline(always)]
    fn demoting(&self, rhs: &Self, product: Option<u128>) -> Result<Self, MathError> {
        if let Some(raw) = product {
            return Ok(Self { raw, hi: self.hi });
        }
        if !self.hi {
            return Err(MathError::Overflow);
        }
        let lo = self.raw >> HI_TO_LO;
        Self::scale(Wide::mul(lo, rhs.raw), rhs).map(|raw| Self { raw, hi: false }).ok_or(MathError::Overflow)
    }
}

/// Growth factor `(1 + apr / SLOTS_PER_YEAR)^slots`, rounded down.
///
/// Exact exponentiation by squaring (at most 2·64 widening products, no division after the base);
/// see the [module documentation](self) for the derivation of the bound
/// `0 ≤ G − Ĝ < 2^-60 + G·([G ≥ 16]·2^-56 + (2·slots + 64)·2^-124)`.
///
/// # Errors
/// [`MathError::Overflow`] when the growth factor reaches 2^68.
#[inline(never)]
pub fn compound(apr: Fraction, slots: u64) -> Result<Fraction, MathError> {
    if slots == 0 || apr.is_zero() {
        return Ok(Fraction::ONE);
    }
    // apr / SLOTS_PER_YEAR with 124 fractional bits: apr.raw · 2^64 / SLOTS_PER_YEAR, below 2^192.
    let (per_slot, _) = Wide::shl::<HI_TO_LO>(apr.raw()).div_rem_u64(SLOTS_PER_YEAR_NZ);
    let [q0, q1, q2, _] = per_slot.0;
    if slots == 1 {
        // The base alone, down to 60 fractional bits: 1 + floor(apr.raw / SLOTS_PER_YEAR) (a floor of a
        // floor), which is the quotient above without its low limb, below 2^102: no overflow.
        return Ok(Fraction::from_raw(Fraction::ONE.raw().wrapping_add(wide::join([q1, q2]))));
    }
    let mut base = match wide::join([q0, q1]).checked_add(ONE_HI) {
        Some(raw) if q2 == 0 => Fixed { raw, hi: true },
        // A per-slot factor of 16 or more only fits with 60 fractional bits; floor(apr.raw / SLOTS_PER_YEAR)
        // is the quotient above without its low limb.
        _ => Fixed {
            raw: wide::join([q1, q2]).checked_add(Fraction::ONE.raw()).ok_or(MathError::Overflow)?,
            hi: false,
        },
    };
    let mut acc: Option<Fixed> = None;
    let mut n = slots;
    loop {
        if n & 1 == 1 {
            acc = Some(match acc {
                // Multiplying 1 by the base is exact, so the first factor is copied instead.
                None => base,
                Some(a) => a.demoting(&base, Fixed::scale(Wide::mul(a.raw, base.raw), &base))?,
            });
        }
        n >>= 1;
        if n == 0 {
            break;
        }
        // The squared base is needed by a higher set bit of n, so it never exceeds the result.
        base = base.demoting(&base, Fixed::scale(Wide::square(base.raw), &base))?;
    }
    Ok(Fraction::from_raw(match acc {
        // From 124 to 60 fractional bits: one limb down.
        Some(Fixed { raw, hi: true }) => wide::join([wide::split(raw)[1], 0]),
        Some(Fixed { raw, hi: false }) => raw,
        None => Fraction::ONE.raw(),
    }))
}

/// Upper bound on `G − compound(apr, slots)` given the computed growth `Ĝ` (see [`compound`]).
///
/// Evaluates `1 + [Ĝ ≥ 15]·16·G + G·(2n + 64)·2^-64` raw units (plus one unit of slack), with `G`
/// over-estimated as `Ĝ·(1 + 2^-50)`, which holds because the relative error is below `2^-55` for every
/// `u64` slot count.
pub fn compound_error_bound(slots: u64, growth: Fraction) -> Fraction {
    let g = growth.raw().saturating_add(growth.raw() >> 50).saturating_add(1);
    let slow_path = if growth >= Fraction::from_integer(15) { (g >> 56).saturating_add(1) } else { 0 };
    // 2 · slots + 64 < 2^66: the shift and the addition cannot wrap.
    let count = (u128::from(slots) << 1).wrapping_add(64);
    let hi_path = Wide::mul(g, count).shr_to_u128::<HI_BITS>().unwrap_or(u128::MAX).saturating_add(1);
    Fraction::from_raw(slow_path.saturating_add(hi_path).saturating_add(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivial_cases() {
        assert_eq!(compound(Fraction::ZERO, 1_000_000), Ok(Fraction::ONE));
        assert_eq!(compound(Fraction::from_percent(50), 0), Ok(Fraction::ONE));
        assert!(compound(Fraction::MAX, 1).is_ok());
        assert_eq!(compound(Fraction::MAX, 2), Err(MathError::Overflow));
        assert_eq!(compound(Fraction::from_integer(1_000), u64::MAX), Err(MathError::Overflow));
    }

    #[test]
    fn one_slot_is_the_base() {
        // A single slot applies the base once, rounded down from 124 to 60 fractional bits.
        let apr = Fraction::from_bps(6_307);
        let g = compound(apr, 1).unwrap();
        let expected = Fraction::ONE.raw() + apr.raw() / u128::from(SLOTS_PER_YEAR);
        assert!(g.raw().abs_diff(expected) <= 1);
    }

    #[test]
    fn year_of_slots_is_close_to_exp() {
        // 10 % APR compounded every slot for a year stays just below e^0.1.
        let g = compound(Fraction::from_percent(10), SLOTS_PER_YEAR).unwrap();
        // e^0.1 = 1.105170918075647...; compounding per slot differs from e^r by about r^2/(2·slots).
        let e_01 = Fraction::from_raw(1_274_175_317_715_506_074); // floor(e^0.1 · 2^60)
        assert!(g <= e_01);
        assert!(e_01.raw() - g.raw() < (1u128 << 60) / 5_000_000_000);
    }
}
