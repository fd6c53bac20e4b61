//! Piecewise-linear borrow rate curve: utilization (bps) → APR (bps), 2 to 11 points.
//!
//! Rules: the first point is at 0 % utilization, the last at 100 % (10 000 bps), utilization strictly
//! increases and the rate never decreases. Rates may exceed 10 000 bps (100 % APR).
//!
//! The curve keeps a fixed `[(u32, u32); 11]` plus a count so that account layouts can store the raw
//! points and rebuild (and re-validate) the curve with [`BorrowRateCurve::from_stored`].

use core::num::{NonZeroU32, NonZeroU64};

use crate::{
    wide::{self, Wide},
    Fraction, MathError,
};

/// Most points a curve may have.
pub const MAX_POINTS: usize = 11;
/// Fewest points a curve may have.
pub const MIN_POINTS: usize = 2;
/// Utilization of the last point (100 %).
pub const FULL_BPS: u32 = 10_000;

const BPS_DIVISOR: NonZeroU32 = match NonZeroU32::new(FULL_BPS) {
    Some(v) => v,
    None => NonZeroU32::MIN,
};

/// A validated borrow rate curve.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BorrowRateCurve {
    /// `(utilization_bps, apr_bps)`; entries past `count` repeat the last point.
    points: [(u32, u32); MAX_POINTS],
    count: u8,
}

impl BorrowRateCurve {
    /// Validates `(utilization_bps, apr_bps)` points and builds the curve.
    ///
    /// # Errors
    /// [`MathError::InvalidCurve`] unless there are 2..=11 points, the first at utilization 0, the last at
    /// 10 000, utilization strictly increasing and rate non-decreasing.
    pub fn new(points: &[(u32, u32)]) -> Result<Self, MathError> {
        validate_points(points)?;
        let last = points.last().copied().unwrap_or_default();
        let mut stored = [last; MAX_POINTS];
        for (slot, point) in stored.iter_mut().zip(points) {
            *slot = *point;
        }
        let count = u8::try_from(points.len()).map_err(|_| MathError::InvalidCurve)?;
        Ok(Self { points: stored, count })
    }

    /// Rebuilds a curve from its stored form (all 11 slots and the number in use), validating it again.
    /// Slots past `count` are ignored.
    ///
    /// # Errors
    /// As [`BorrowRateCurve::new`]; also when `count` exceeds 11.
    pub fn from_stored(points: &[(u32, u32); MAX_POINTS], count: u8) -> Result<Self, MathError> {
        Self::new(points.get(..usize::from(count)).ok_or(MathError::InvalidCurve)?)
    }

    /// The points in use.
    pub fn points(&self) -> &[(u32, u32)] {
        self.points.get(..usize::from(self.count)).unwrap_or(&self.points)
    }

    /// All 11 stored slots (those past [`BorrowRateCurve::point_count`] repeat the last point).
    pub const fn stored_points(&self) -> &[(u32, u32); MAX_POINTS] {
        &self.points
    }

    /// Number of points in use (2..=11).
    pub const fn point_count(&self) -> u8 {
        self.count
    }

    /// The APR at `utilization`, interpolated linearly between the enclosing points and rounded down.
    /// Utilization above 1 is treated as 1.
    ///
    /// Interpolation runs on the full-precision utilization (not rounded to bps), so the result is the
    /// exact floor of the interpolated rate and is monotone in `utilization`.
    /// The rate at `utilization` (see [`borrow_rate_of_points`]).
    pub fn borrow_rate(&self, utilization: Fraction) -> Fraction {
        borrow_rate_of_points(self.points(), utilization)
    }
}

/// Checks what [`BorrowRateCurve::new`] requires of its points: between [`MIN_POINTS`] and [`MAX_POINTS`],
/// from 0 to [`FULL_BPS`] utilization, utilization strictly and rate weakly increasing.
///
/// # Errors
/// [`MathError::InvalidCurve`] for points that break any of these.
pub fn validate_points(points: &[(u32, u32)]) -> Result<(), MathError> {
    if !(MIN_POINTS..=MAX_POINTS).contains(&points.len()) {
        return Err(MathError::InvalidCurve);
    }
    if points.first().map(|p| p.0) != Some(0) || points.last().map(|p| p.0) != Some(FULL_BPS) {
        return Err(MathError::InvalidCurve);
    }
    let ordered = points.windows(2).all(|w| match *w {
        [(u0, r0), (u1, r1)] => u0 < u1 && r0 <= r1,
        _ => false,
    });
    if ordered {
        Ok(())
    } else {
        Err(MathError::InvalidCurve)
    }
}

/// The borrow rate (APR) at `utilization` of points that [`validate_points`] accepts, without building a
/// [`BorrowRateCurve`]: linear between the two points around the utilization (capped at 100%), rounded down.
/// Points that do not validate give some rate, never a panic.
#[inline(never)]
pub fn borrow_rate_of_points(points: &[(u32, u32)], utilization: Fraction) -> Fraction {
    // Utilization in bps with 60 fractional bits: at most 10 000 · 2^60 < 2^74.
    let u = utilization.min(Fraction::ONE).saturating_mul_int(u64::from(FULL_BPS)).raw();
    let mut rate_bps = points.last().map_or(0, |p| u128::from(p.1) << Fraction::BITS);
    for w in points.windows(2) {
        let [(u0, r0), (u1, r1)] = *w else { continue };
        if u > u128::from(u1) << Fraction::BITS {
            continue;
        }
        // Points validate u0 < u1 and r0 <= r1, so the width is >= 1 and the rise is non-negative.
        let width = NonZeroU64::new(u64::from(u1.saturating_sub(u0)));
        let offset = u.saturating_sub(u128::from(u0) << Fraction::BITS);
        let rise = u128::from(r1.saturating_sub(r0));
        // rise < 2^32 and offset <= 10 000 · 2^60, so the product stays below 2^106 and fits.
        let step = width.map_or(0, |w| Wide::mul(rise, offset).div_rem_u64(w).0.to_u128().unwrap_or(0));
        rate_bps = (u128::from(r0) << Fraction::BITS).saturating_add(step);
        break;
    }
    // Floor of a floor by an integer equals the floor of the exact quotient.
    Fraction::from_raw(wide::div_u128_by_u32(rate_bps, BPS_DIVISOR).0)
}
