//! Piecewise-linear borrow rate curve: utilization (bps) → APR (bps), 2 to 11 points.
//!
//! Rules: the first point is at 0 % utilization, the last at 100 % (10 000 bps), utilization strictly
//! increases and the rate never decreases. Rates may exceed 10 000 bps (100 % APR).
//!
//! The curve keeps a fixed `[(u32, u32); 11]` plus a count so that account layouts can store the raw
//! points and rebuild (and re-validate) the curve with [`BorrowRateCurve::from_stored`].

use core::num::NonZeroU32;

use crate::{wide, Fraction, MathError};

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
    /// exact floor of the interpolated rate and is monotone in `utilization`. See [`borrow_rate_of_points`].
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
    // Utilization in bps with 60 fractional bits: at most 10 000 · 2^60 < 2^74. The clamped utilization
    // is at most 2^60, so it is its low limb.
    let (u_hi, u_lo) = wide::mul_u64_wide(utilization.min(Fraction::ONE).raw() as u64, u64::from(FULL_BPS));
    let u = wide::join([u_lo, u_hi]);
    let mut rate_bps = points.last().map_or(0, |p| u128::from(p.1) << Fraction::BITS);
    for w in points.windows(2) {
        let [(u0, r0), (u1, r1)] = *w else { continue };
        if u > u128::from(u1) << Fraction::BITS {
            continue;
        }
        // Points validate u0 < u1 and r0 <= r1, so the width is >= 1 and the rise is non-negative.
        let width = NonZeroU32::new(u1.saturating_sub(u0));
        let offset = u.saturating_sub(u128::from(u0) << Fraction::BITS);
        let rise = u64::from(r1.saturating_sub(r0));
        // rise < 2^32 and offset <= 10 000 · 2^60, so the product stays below 2^106 and fits.
        let [p0, p1, _] = wide::mul_by_u64(wide::split(offset), rise);
        let step = width.map_or(0, |w| wide::div_u128_by_u32(wide::join([p0, p1]), w).0);
        // r0 · 2^60 < 2^92 and step < 2^106: the sum cannot wrap.
        rate_bps = (u128::from(r0) << Fraction::BITS).wrapping_add(step);
        break;
    }
    // Floor of a floor by an integer equals the floor of the exact quotient.
    Fraction::from_raw(wide::div_u128_by_u32(rate_bps, BPS_DIVISOR).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        assert!(BorrowRateCurve::new(&[(0, 0), (10_000, 100)]).is_ok());
        assert_eq!(BorrowRateCurve::new(&[(0, 0)]), Err(MathError::InvalidCurve));
        assert_eq!(BorrowRateCurve::new(&[]), Err(MathError::InvalidCurve));
        assert_eq!(BorrowRateCurve::new(&[(1, 0), (10_000, 100)]), Err(MathError::InvalidCurve));
        assert_eq!(BorrowRateCurve::new(&[(0, 0), (9_999, 100)]), Err(MathError::InvalidCurve));
        assert_eq!(
            BorrowRateCurve::new(&[(0, 0), (5_000, 50), (5_000, 60), (10_000, 100)]),
            Err(MathError::InvalidCurve)
        );
        assert_eq!(BorrowRateCurve::new(&[(0, 0), (5_000, 50), (10_000, 40)]), Err(MathError::InvalidCurve));
        let twelve: [(u32, u32); 12] = core::array::from_fn(|i| ((i as u32) * 900, 0));
        assert_eq!(BorrowRateCurve::new(&twelve), Err(MathError::InvalidCurve));
        let eleven: [(u32, u32); 11] = core::array::from_fn(|i| ((i as u32) * 1_000, (i as u32) * 7));
        assert!(BorrowRateCurve::new(&eleven).is_ok());
    }

    #[test]
    fn stored_round_trip() {
        let curve = BorrowRateCurve::new(&[(0, 100), (8_000, 1_000), (10_000, 30_000)]).unwrap();
        assert_eq!(curve.points(), &[(0, 100), (8_000, 1_000), (10_000, 30_000)]);
        assert_eq!(curve.stored_points()[5], (10_000, 30_000));
        let rebuilt = BorrowRateCurve::from_stored(curve.stored_points(), curve.point_count()).unwrap();
        assert_eq!(rebuilt, curve);
        assert_eq!(BorrowRateCurve::from_stored(curve.stored_points(), 12), Err(MathError::InvalidCurve));
        assert_eq!(BorrowRateCurve::from_stored(curve.stored_points(), 1), Err(MathError::InvalidCurve));
    }

    #[test]
    fn interpolates() {
        let curve = BorrowRateCurve::new(&[(0, 100), (8_000, 1_000), (10_000, 30_000)]).unwrap();
        assert_eq!(curve.borrow_rate(Fraction::ZERO), Fraction::from_bps(100));
        assert_eq!(curve.borrow_rate(Fraction::ONE), Fraction::from_bps(30_000));
        assert_eq!(curve.borrow_rate(Fraction::from_integer(3)), Fraction::from_bps(30_000));
        // Halfway along the first segment: 100 + 900/2 = 550 bps.
        assert_eq!(curve.borrow_rate(Fraction::from_bps(4_000)), Fraction::from_bps(550));
        // Halfway along the kink segment: 1 000 + 29 000/2 = 15 500 bps.
        assert_eq!(curve.borrow_rate(Fraction::from_bps(9_000)).to_bps_ceil(), Ok(15_500));
    }
}
