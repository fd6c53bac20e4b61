//! Interest accrual on a reserve, run by `RefreshReserve` (and by the keeper to project a reserve forward).
//!
//! The APR is the config curve at the current utilization `borrowed / (available + borrowed − fees)`; the
//! borrowed total and the cumulative index both grow by `(1 + APR / SLOTS_PER_YEAR)^slots`
//! ([`ballast_math::reserve::accrue_interest`], rounded down), and the protocol books its take rate of the
//! new interest as uncollected fees. The APR is held for the whole interval since the last refresh:
//! utilization only changes through instructions, and each of them needs a refresh in its own slot first.
//!
//! # A reserve that was never refreshed
//! `InitReserve` leaves `last_update_slot = 0`. When nothing is borrowed yet (the only reachable case,
//! since borrowing needs a fresh reserve) the first accrual only records the slot: no interest can be owed
//! and the index must not jump by the APR of an empty reserve over the whole chain history. If a borrowed
//! total were ever present at slot 0 it accrues from slot 0, which never undercharges.

use {
    crate::{error::BallastError, state::Reserve},
    ballast_math::{reserve, Fraction},
};

/// Brings `reserve`'s borrowed total, cumulative borrow index and protocol fees up to `slot` and records
/// `slot` as its `last_update_slot`.
///
/// Errors: [`BallastError::InvalidBorrowRateCurve`] for a stored curve that does not validate,
/// [`BallastError::MathOverflow`] when `slot` is before the last update or a value overflows.
/// Writes nothing when it fails: every value is computed before the first write (RefreshReserve relies on it).
pub fn accrue(reserve: &mut Reserve, slot: u64) -> Result<(), BallastError> {
    let last = reserve.last_update_slot.get();
    let borrowed = Fraction::from_raw(reserve.borrowed_amount_sf.get());
    let elapsed = slot.checked_sub(last).ok_or(BallastError::MathOverflow)?;
    if elapsed == 0 || (last == 0 && borrowed.is_zero()) {
        reserve.last_update_slot.set(slot);
        return Ok(());
    }

    let fees = Fraction::from_raw(reserve.protocol_fees_sf.get());
    let utilization = reserve::utilization(reserve.available_amount.get(), borrowed, fees)?;
    let apr = reserve.config.borrow_rate(utilization)?;
    let take_rate = Fraction::from_bps(u64::from(reserve.config.protocol_take_rate_bps.get()));
    let accrual = reserve::accrue_interest(
        borrowed,
        Fraction::from_raw(reserve.cumulative_borrow_index_sf.get()),
        apr,
        elapsed,
        take_rate,
    )?;
    let fees = fees.checked_add(accrual.protocol_fee)?;

    reserve.borrowed_amount_sf.set(accrual.borrowed.raw());
    reserve.cumulative_borrow_index_sf.set(accrual.cumulative_index.raw());
    reserve.protocol_fees_sf.set(fees.raw());
    reserve.last_update_slot.set(slot);
    Ok(())
}

#[cfg(test)]
mod tests {
    use {
        super::*,
        crate::{
            pod::{Flag, Le16, Le32, Le64},
            state::{CurvePoint, ReserveConfig, MAX_CURVE_POINTS},
        },
        ballast_math::curve::BorrowRateCurve,
    };

    fn reserve(available: u64, borrowed: u64, last_update_slot: u64) -> Reserve {
        let mut reserve: Reserve = bytemuck::Zeroable::zeroed();
        let mut curve = [CurvePoint::default(); MAX_CURVE_POINTS];
        for (slot, (u, r)) in curve.iter_mut().zip([(0u32, 100u32), (8_000, 1_000), (10_000, 10_000)]) {
            *slot = CurvePoint { utilization_bps: Le32::new(u), rate_bps: Le32::new(r) };
        }
        reserve.config = ReserveConfig {
            protocol_take_rate_bps: Le16::new(2_000),
            borrowing_disabled: Flag::OFF,
            curve_point_count: 3,
            borrow_rate_curve: curve,
            max_price_age_secs: Le64::new(60),
            ..reserve.config
        };
        reserve.available_amount.set(available);
        reserve.borrowed_amount_sf.set(Fraction::from_integer(borrowed).raw());
        reserve.cumulative_borrow_index_sf.set(Fraction::ONE.raw());
        reserve.last_update_slot.set(last_update_slot);
        reserve
    }

    #[test]
    fn accrues_like_ballast_math() {
        let mut r = reserve(600_000, 400_000, 100);
        accrue(&mut r, 100 + 1_000_000).unwrap();

        let curve = BorrowRateCurve::new(&[(0, 100), (8_000, 1_000), (10_000, 10_000)]).unwrap();
        let utilization = Fraction::from_ratio(400_000, 1_000_000).unwrap();
        let apr = curve.borrow_rate(utilization);
        let expected = reserve::accrue_interest(
            Fraction::from_integer(400_000),
            Fraction::ONE,
            apr,
            1_000_000,
            Fraction::from_bps(2_000),
        )
        .unwrap();
        assert_eq!(r.borrowed_amount_sf.get(), expected.borrowed.raw());
        assert_eq!(r.cumulative_borrow_index_sf.get(), expected.cumulative_index.raw());
        assert_eq!(r.protocol_fees_sf.get(), expected.protocol_fee.raw());
        assert_eq!(r.last_update_slot.get(), 1_000_100);
        assert!(expected.protocol_fee > Fraction::ZERO);
    }

    #[test]
    fn split_accrual_matches_one_accrual_within_the_bound() {
        let mut once = reserve(600_000, 400_000, 100);
        accrue(&mut once, 200_100).unwrap();
        let mut twice = reserve(600_000, 400_000, 100);
        accrue(&mut twice, 100_100).unwrap();
        accrue(&mut twice, 200_100).unwrap();
        // Utilization moves a little between the two steps (fees are taken out of total liquidity), so the
        // split path uses a slightly different APR; both stay within a millionth of each other.
        let a = Fraction::from_raw(once.cumulative_borrow_index_sf.get());
        let b = Fraction::from_raw(twice.cumulative_borrow_index_sf.get());
        let diff = if a > b { a.checked_sub(b).unwrap() } else { b.checked_sub(a).unwrap() };
        assert!(diff < Fraction::from_ratio(1, 1_000_000).unwrap());
        assert!(b >= Fraction::ONE && a >= Fraction::ONE);
    }

    #[test]
    fn nothing_happens_in_the_same_slot() {
        let mut r = reserve(600_000, 400_000, 500);
        let before = r;
        accrue(&mut r, 500).unwrap();
        assert_eq!(r, before);
    }

    #[test]
    fn a_never_refreshed_empty_reserve_only_records_the_slot() {
        let mut r = reserve(1_000, 0, 0);
        accrue(&mut r, 300_000_000).unwrap();
        assert_eq!(r.cumulative_borrow_index_sf.get(), Fraction::ONE.raw());
        assert_eq!(r.borrowed_amount_sf.get(), 0);
        assert_eq!(r.protocol_fees_sf.get(), 0);
        assert_eq!(r.last_update_slot.get(), 300_000_000);
    }

    #[test]
    fn a_never_refreshed_reserve_with_debt_accrues_from_slot_zero() {
        let mut r = reserve(600_000, 400_000, 0);
        accrue(&mut r, 10_000).unwrap();
        assert!(r.cumulative_borrow_index_sf.get() > Fraction::ONE.raw());
    }

    #[test]
    fn an_empty_refreshed_reserve_grows_its_index_at_the_base_rate() {
        let mut r = reserve(1_000, 0, 10);
        accrue(&mut r, 63_072_010).unwrap();
        // One year at the 1% base rate: the index grows by about e^0.01 - 1.
        let index = Fraction::from_raw(r.cumulative_borrow_index_sf.get());
        assert!(index > Fraction::from_bps(10_100) && index < Fraction::from_bps(10_101));
        assert_eq!(r.borrowed_amount_sf.get(), 0);
        assert_eq!(r.protocol_fees_sf.get(), 0);
    }

    #[test]
    fn rejects_a_slot_before_the_last_update_and_a_corrupted_curve() {
        let mut r = reserve(600_000, 400_000, 500);
        assert_eq!(accrue(&mut r, 499), Err(BallastError::MathOverflow));
        r.config.curve_point_count = 1;
        assert_eq!(accrue(&mut r, 501), Err(BallastError::InvalidBorrowRateCurve));
    }
}
