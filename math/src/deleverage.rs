//! Auto-deleverage: the decaying eligibility threshold, the penalty, and the per-obligation amount.
//!
//! After a cap cut and its margin call, an obligation holding the target asset becomes eligible when
//! its LTV exceeds [`deleverage_ltv`], which starts at the target's liquidation threshold and falls by
//! 1 bps every `slots_per_bps` slots, so the most leveraged positions go first. Each call reduces the
//! obligation's target-asset amount by at most [`deleverage_amount`], and the executor receives
//! collateral worth the repaid value times `1 +` [`deleverage_penalty`].

use core::num::NonZeroU64;

use crate::{wide::Wide, Fraction, MathError};

/// Slots in a day at 2 slots per second.
pub const SLOTS_PER_DAY: u64 = 172_800;

const _: () = assert!(SLOTS_PER_DAY == crate::interest::SLOTS_PER_SECOND * 86_400);

/// Divisor of `ltv × slots` in the penalty: slots per day × 100 (percent points per day).
const PENALTY_DIVISOR: NonZeroU64 = match NonZeroU64::new(SLOTS_PER_DAY * 100) {
    Some(v) => v,
    None => NonZeroU64::MIN,
};

/// The eligibility threshold `LT − 1 bps × floor(slots / slots_per_bps)`, never below zero.
///
/// `slots_per_bps == 0` means no decay (the threshold stays at `LT`). Configuration should reject 0;
/// treating it as "fully decayed" would make every holder of the asset eligible at once.
pub fn deleverage_ltv(
    liquidation_threshold: Fraction,
    slots_since_margin_call_end: u64,
    slots_per_bps: u64,
) -> Fraction {
    let steps = slots_since_margin_call_end.checked_div(slots_per_bps).unwrap_or(0);
    liquidation_threshold.saturating_sub(Fraction::from_bps(steps))
}

/// Whether an obligation holding the target asset is eligible: `ltv > deleverage_ltv`.
pub fn is_eligible(ltv: Fraction, deleverage_ltv: Fraction) -> bool {
    ltv > deleverage_ltv
}

/// The penalty rate `min(min_penalty + ltv × days / 100, max_penalty)`, with
/// `days = slots / SLOTS_PER_DAY` as a fraction: the penalty grows by `ltv` percentage points per day
/// (LTV 0.80 after 3.4 days: 0.5 % + 0.80 × 3.4 % = 3.22 %). Rounded down, since the executor receives
/// it; saturating, so it never panics and never exceeds `max_penalty`.
///
/// `max_penalty` is the lowest max liquidation bonus among the position's reserves
/// ([`lowest_penalty_cap`]).
pub fn deleverage_penalty(
    min_penalty: Fraction,
    ltv: Fraction,
    slots_since_margin_call_end: u64,
    max_penalty: Fraction,
) -> Fraction {
    let (q, _) = Wide::mul(ltv.raw(), u128::from(slots_since_margin_call_end)).div_rem_u64(PENALTY_DIVISOR);
    let growth = q.to_u128().map_or(Fraction::MAX, Fraction::from_raw);
    min_penalty.saturating_add(growth).min(max_penalty)
}

/// The penalty cap of a position: the lowest max liquidation bonus among its reserves; 0 for an empty
/// position.
pub fn lowest_penalty_cap(max_bonuses: &[Fraction]) -> Fraction {
    max_bonuses.iter().copied().min().unwrap_or(Fraction::ZERO)
}

/// Value the penalty costs the position: `deleveraged_value × penalty`, rounded down (the executor
/// receives it). The penalty applies to the deleveraged part only.
///
/// # Errors
/// [`MathError::Overflow`] above [`Fraction::MAX`].
pub fn penalty_value(deleveraged_value: Fraction, penalty: Fraction) -> Result<Fraction, MathError> {
    deleveraged_value.checked_mul(penalty)
}

/// Collateral value the executor receives for repaying `repay_value`: `repay_value × (1 + penalty)`,
/// rounded down.
///
/// # Errors
/// [`MathError::Overflow`] above [`Fraction::MAX`].
pub fn seize_value_floor(repay_value: Fraction, penalty: Fraction) -> Result<Fraction, MathError> {
    repay_value.checked_mul(Fraction::ONE.checked_add(penalty)?)
}

/// The most one deleverage call may take from an obligation's target-asset `position_amount`:
/// `min(ceil(position_amount × excess / total), position_amount, excess)`, 0 when `total` is 0.
///
/// `excess` is the current total of the asset minus the new cap and `total` the current total. The
/// proportional share rounds up so that the excess is cleared in finitely many calls (dust positions
/// still give at least one unit); the two caps keep it within the position and the remaining excess.
///
/// # Errors
/// None on any input today; kept fallible so that callers already handle a future check.
pub fn deleverage_amount(position_amount: u64, excess: u64, total: u64) -> Result<u64, MathError> {
    if total == 0 {
        return Ok(0);
    }
    let share = match crate::mul_div_ceil(position_amount, excess, total) {
        Ok(share) => share,
        // Only possible when excess > total; then the caps below bind anyway.
        Err(MathError::Overflow) => u64::MAX,
        Err(e) => return Err(e),
    };
    Ok(share.min(position_amount).min(excess))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_decay() {
        let lt = Fraction::from_percent(80);
        assert_eq!(deleverage_ltv(lt, 0, 7_200), lt);
        assert_eq!(deleverage_ltv(lt, 7_199, 7_200), lt);
        assert_eq!(deleverage_ltv(lt, 7_200, 7_200), lt.saturating_sub(Fraction::from_bps(1)));
        assert_eq!(deleverage_ltv(lt, u64::MAX, 1), Fraction::ZERO);
        assert_eq!(deleverage_ltv(lt, 1_000_000, 0), lt);
        assert!(is_eligible(Fraction::from_percent(81), lt));
        assert!(!is_eligible(lt, lt));
    }

    #[test]
    fn penalty_saturates() {
        let max = Fraction::from_percent(6);
        assert_eq!(deleverage_penalty(Fraction::from_bps(50), Fraction::MAX, u64::MAX, max), max);
        assert_eq!(
            deleverage_penalty(Fraction::from_bps(50), Fraction::from_percent(80), 0, max),
            Fraction::from_bps(50)
        );
        assert_eq!(deleverage_penalty(Fraction::from_percent(10), Fraction::ZERO, 0, max), max);
    }

    #[test]
    fn amounts() {
        assert_eq!(deleverage_amount(100, 20, 0), Ok(0));
        assert_eq!(deleverage_amount(100, 20, 100), Ok(20));
        assert_eq!(deleverage_amount(1, 20, 100), Ok(1));
        assert_eq!(deleverage_amount(100, 500, 100), Ok(100));
        assert_eq!(deleverage_amount(u64::MAX, u64::MAX, 1), Ok(u64::MAX));
        assert_eq!(deleverage_amount(50, 3, 100), Ok(2));
        assert_eq!(lowest_penalty_cap(&[]), Fraction::ZERO);
    }
}
