//! Fixed-point and risk math shared by the Ballast program, its interface crate, the keeper and the tests.
//!
//! Everything here is `no_std`, allocation-free and panic-free: every fallible operation returns
//! [`MathError`], integer division only happens through checked or non-zero divisors, and no slice is
//! indexed directly outside the digit loops of the 256-bit division, whose indices are bounded by its
//! fixed digit counts. It builds for the upstream BPF target, which has no 128-bit multiply or divide
//! and at most five argument registers (see `wide` and the crate README). Floating point exists only behind the `std` feature (`Fraction::to_f64`).
//!
//! The heavier functions (valuation, exchange, division, multiplication of Fractions, the liquidation
//! steps) are `#[inline(never)]`: every processor of the program calls them, and one shared copy instead of
//! one per processor keeps the program binary small, for a few CU per call.
//!
//! # Units
//! - [`Fraction`] is unsigned binary fixed point, 68 integer bits and 60 fractional bits (U68F60) in
//!   128 bits. Ratios (LTV, bonus, rates) and market values (quote currency) are both Fractions.
//! - Token amounts are `u64` base units; debt totals that accrue interest are Fractions of base units.
//! - Prices are Fractions in quote currency per *whole* token (`10^decimals` base units).
//! - Slot-based constants assume 2 slots per second ([`interest::SLOTS_PER_YEAR`],
//!   [`deleverage::SLOTS_PER_DAY`]).
//!
//! # Rounding
//! Every rounding is named: `_floor` for what a user (or liquidator) receives, `_ceil` for what a user
//! owes. Operations without a suffix round down unless their documentation says otherwise (the LTVs in
//! [`health`] round up, toward risk); each function states its direction and why.
//!
//! # Modules
//! - [`fraction`]: the fixed-point type.
//! - [`curve`]: piecewise-linear borrow rate curve.
//! - [`interest`]: per-slot compounding with a proven error bound.
//! - [`reserve`]: utilization, cToken exchange, interest accrual on a reserve.
//! - [`value`]: market value of token amounts and its inverses.
//! - [`health`]: obligation health (deposited, allowed, unhealthy, debt) and LTVs.
//! - [`liquidation`]: bonus, close factor, settle and seize amounts.
//! - [`preliquidation`]: borrower opt-in pre-liquidation (close factor and incentive ramps).
//! - [`deleverage`]: auto-deleverage threshold decay, penalty and per-obligation amount.

#![no_std]
#![deny(clippy::arithmetic_side_effects)]
#![deny(missing_docs)]

#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod curve;
pub mod deleverage;
mod error;
pub mod fraction;
pub mod health;
pub mod interest;
pub mod liquidation;
pub mod preliquidation;
pub mod reserve;
pub mod value;
mod wide;

pub use error::MathError;
pub use fraction::Fraction;

/// `a · b` on `u64`, `None` on overflow.
///
/// Use this instead of `u64::checked_mul` in on-chain code: the upstream BPF backend lowers the overflow check of
/// `checked_mul` to a 128-bit multiply it cannot emit.
pub const fn checked_mul_u64(a: u64, b: u64) -> Option<u64> {
    let (hi, lo) = wide::mul_u64_wide(a, b);
    if hi == 0 {
        Some(lo)
    } else {
        None
    }
}

/// Powers of ten that fit in a `u64`, indexed by the exponent.
pub const POW10_U64: [u64; 20] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
    10_000_000_000_000_000_000,
];

/// `floor(a · b / d)` on `u64` with a 128-bit intermediate.
///
/// # Errors
/// [`MathError::DivisionByZero`] when `d == 0`, [`MathError::Overflow`] when the quotient exceeds `u64`.
pub fn mul_div_floor(a: u64, b: u64, d: u64) -> Result<u64, MathError> {
    mul_div_u64(a, b, d).map(|(q, _)| q)
}

/// `ceil(a · b / d)` on `u64` with a 128-bit intermediate.
///
/// # Errors
/// [`MathError::DivisionByZero`] when `d == 0`, [`MathError::Overflow`] when the quotient exceeds `u64`.
pub fn mul_div_ceil(a: u64, b: u64, d: u64) -> Result<u64, MathError> {
    match mul_div_u64(a, b, d)? {
        (q, true) => q.checked_add(1).ok_or(MathError::Overflow),
        (q, false) => Ok(q),
    }
}

/// `floor(a · b / d)` and whether a remainder was dropped.
fn mul_div_u64(a: u64, b: u64, d: u64) -> Result<(u64, bool), MathError> {
    let d = core::num::NonZeroU64::new(d).ok_or(MathError::DivisionByZero)?;
    let (hi, lo) = wide::mul_u64_wide(a, b);
    if hi == 0 {
        return Ok((lo / d, lo % d != 0));
    }
    // The quotient reaches 2^64 exactly when the high word reaches the divisor.
    if hi >= d.get() {
        return Err(MathError::Overflow);
    }
    let (q, rem) = wide::Wide([lo, hi, 0, 0]).div_rem_u64(d);
    q.round_to_u64(false).map(|q| (q, rem)).ok_or(MathError::Overflow)
}
