//! Reserve-side math: utilization, the cToken exchange, interest accrual and debt rescaling.
//!
//! A reserve holds `available` liquidity (`u64` base units), a `borrowed` total that accrues interest
//! (a [`Fraction`] of base units) and uncollected `protocol_fees` (also a Fraction, part of `borrowed`
//! until repaid). Lenders own `total = available + borrowed − protocol_fees`, represented by the cToken
//! supply. Conversions round so that the cToken exchange rate never rises through rounding above what
//! the reserve holds (invariant: cToken supply × rate ≤ total liquidity).

use core::num::NonZeroU64;

use crate::{interest, wide, wide::Wide, Fraction, MathError};

/// Liquidity owned by lenders: `available + borrowed − protocol_fees` (exact).
///
/// # Errors
/// [`MathError::Underflow`] when the fees exceed the reserve's assets (a corrupted state),
/// [`MathError::Overflow`] above [`Fraction::MAX`].
pub fn total_liquidity(
    available: u64,
    borrowed: Fraction,
    protocol_fees: Fraction,
) -> Result<Fraction, MathError> {
    Fraction::from_integer(available).checked_add(borrowed)?.checked_sub(protocol_fees)
}

/// Utilization `borrowed / (available + borrowed − protocol_fees)`, rounded down; 0 for an empty reserve.
///
/// It exceeds 1 only when uncollected fees exceed the available liquidity; the rate curve clamps it.
///
/// # Errors
/// As [`total_liquidity`].
pub fn utilization(
    available: u64,
    borrowed: Fraction,
    protocol_fees: Fraction,
) -> Result<Fraction, MathError> {
    let total = total_liquidity(available, borrowed, protocol_fees)?;
    if total.is_zero() {
        return Ok(Fraction::ZERO);
    }
    borrowed.checked_div(total)
}

/// Whether the exchange is at its initial 1:1 rate (no liquidity or no cTokens yet).
///
/// With cTokens outstanding but no liquidity left (after a full loss) this also reports 1:1; the
/// program must refuse deposits into such a reserve, since a new deposit would be diluted.
const fn one_to_one(total_liquidity: Fraction, ctoken_supply: u64) -> bool {
    total_liquidity.is_zero() || ctoken_supply == 0
}

/// cTokens minted for a deposit of `liquidity`, rounded down: the depositor receives them.
///
/// `liquidity × ctoken_supply / total_liquidity`; 1:1 when either side is 0.
///
/// # Errors
/// [`MathError::Overflow`] above `u64`.
pub fn liquidity_to_collateral_floor(
    liquidity: u64,
    total_liquidity: Fraction,
    ctoken_supply: u64,
) -> Result<u64, MathError> {
    liquidity_to_collateral(liquidity, total_liquidity, ctoken_supply, false)
}

/// cTokens needed to withdraw `liquidity`, rounded up: the user gives them up (owes them).
///
/// # Errors
/// As [`liquidity_to_collateral_floor`].
pub fn liquidity_to_collateral_ceil(
    liquidity: u64,
    total_liquidity: Fraction,
    ctoken_supply: u64,
) -> Result<u64, MathError> {
    liquidity_to_collateral(liquidity, total_liquidity, ctoken_supply, true)
}

#[inline(never)]
fn liquidity_to_collateral(
    liquidity: u64,
    total: Fraction,
    supply: u64,
    ceil: bool,
) -> Result<u64, MathError> {
    if one_to_one(total, supply) {
        return Ok(liquidity);
    }
    // liquidity · supply · 2^60 / total.raw; the u64 product fits in 128 bits.
    let (hi, lo) = wide::mul_u64_wide(liquidity, supply);
    let scaled = wide::join([lo, hi]);
    let (q, rem) =
        Wide::shl::<{ Fraction::BITS }>(scaled).div_rem(total.raw()).ok_or(MathError::DivisionByZero)?;
    q.round_to_u64(ceil && rem).ok_or(MathError::Overflow)
}

/// Liquidity paid out for redeeming `ctokens`, rounded down: the redeemer receives it.
///
/// `ctokens × total_liquidity / ctoken_supply`; 1:1 when either side is 0.
///
/// # Errors
/// [`MathError::Overflow`] above `u64`.
pub fn collateral_to_liquidity_floor(
    ctokens: u64,
    total_liquidity: Fraction,
    ctoken_supply: u64,
) -> Result<u64, MathError> {
    collateral_to_liquidity(ctokens, total_liquidity, ctoken_supply, false)
}

/// Liquidity that `ctokens` are worth, rounded up: for amounts a user owes in cTokens' worth.
///
/// # Errors
/// As [`collateral_to_liquidity_floor`].
pub fn collateral_to_liquidity_ceil(
    ctokens: u64,
    total_liquidity: Fraction,
    ctoken_supply: u64,
) -> Result<u64, MathError> {
    collateral_to_liquidity(ctokens, total_liquidity, ctoken_supply, true)
}

// Inlined into its callers: RefreshObligation runs it once per position, where the call cost more than
// the binary's headroom is worth (13 positions: −489 CU for +920 bytes, with the three others like it).
#[inline(always)]
fn collateral_to_liquidity(ctokens: u64, total: Fraction, supply: u64, ceil: bool) -> Result<u64, MathError> {
    if one_to_one(total, supply) {
        return Ok(ctokens);
    }
    let supply = NonZeroU64::new(supply).ok_or(MathError::DivisionByZero)?;
    // ctokens · total.raw / (supply · 2^60), dividing by supply first: nested floors (or ceilings) by
    // positive integers equal the single floor (ceiling).
    let (q, rem) = Wide::mul(u128::from(ctokens), total.raw()).div_rem_u64(supply);
    let out =
        if ceil { q.shr_ceil::<{ Fraction::BITS }>(rem) } else { q.shr_to_u128::<{ Fraction::BITS }>() };
    out.and_then(|out| u64::try_from(out).ok()).ok_or(MathError::Overflow)
}

/// Result of [`accrue_interest`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Accrual {
    /// New borrowed total (old × growth, rounded down).
    pub borrowed: Fraction,
    /// New cumulative borrow index (old × growth, rounded down).
    pub cumulative_index: Fraction,
    /// Protocol's share of the interest, to add to the reserve's uncollected fees (rounded down).
    pub protocol_fee: Fraction,
    /// The growth factor applied ([`interest::compound`]).
    pub growth: Fraction,
}

/// Accrues `slots` slots of interest at `apr` on a reserve (pure function).
///
/// - `borrowed` and `cumulative_index` are both multiplied by the growth factor, rounded down, so the
///   reserve never books more interest than exact compounding; obligations rescale their debt with
///   [`rescale_debt_ceil`], which rounds up, so the sum owed covers the reserve's total.
/// - The protocol takes `protocol_take_rate` of the new interest, rounded down (the rest is the
///   lenders').
///
/// # Errors
/// [`MathError::InvalidParams`] when the take rate exceeds 1, [`MathError::Overflow`] from compounding.
// Inlined: four Fractions, the slot count and the result pointer are six argument registers, one more
// than BPF allows in a call.
#[inline(always)]
pub fn accrue_interest(
    borrowed: Fraction,
    cumulative_index: Fraction,
    apr: Fraction,
    slots: u64,
    protocol_take_rate: Fraction,
) -> Result<Accrual, MathError> {
    if protocol_take_rate > Fraction::ONE {
        return Err(MathError::InvalidParams);
    }
    let growth = interest::compound(apr, slots)?;
    if growth == Fraction::ONE {
        return Ok(Accrual { borrowed, cumulative_index, protocol_fee: Fraction::ZERO, growth });
    }
    let new_borrowed = borrowed.checked_mul(growth)?;
    let new_index = cumulative_index.checked_mul(growth)?;
    // growth >= 1, so the rounded product never falls below the old total.
    let interest = new_borrowed.saturating_sub(borrowed);
    let protocol_fee = interest.checked_mul(protocol_take_rate)?;
    Ok(Accrual { borrowed: new_borrowed, cumulative_index: new_index, protocol_fee, growth })
}

/// An obligation's debt brought from the index it was last refreshed at to the current index,
/// `debt × current / snapshot`, rounded up: the borrower owes it.
///
/// # Errors
/// [`MathError::DivisionByZero`] for a zero snapshot, [`MathError::InvalidParams`] when the index
/// decreased (it never may), [`MathError::Overflow`] above [`Fraction::MAX`].
// Inlined into its callers: RefreshObligation runs it once per position, where the call cost more than
// the binary's headroom is worth (13 positions: −489 CU for +920 bytes, with the three others like it).
#[inline(always)]
pub fn rescale_debt_ceil(
    debt: Fraction,
    snapshot_index: Fraction,
    current_index: Fraction,
) -> Result<Fraction, MathError> {
    if snapshot_index.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    if current_index < snapshot_index {
        return Err(MathError::InvalidParams);
    }
    if current_index == snapshot_index {
        return Ok(debt);
    }
    wide::mul_div_ceil(debt.raw(), current_index.raw(), snapshot_index.raw())
        .map(Fraction::from_raw)
        .ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utilization_cases() {
        assert_eq!(utilization(0, Fraction::ZERO, Fraction::ZERO), Ok(Fraction::ZERO));
        assert_eq!(utilization(100, Fraction::ZERO, Fraction::ZERO), Ok(Fraction::ZERO));
        assert_eq!(utilization(0, Fraction::from_integer(5), Fraction::ZERO), Ok(Fraction::ONE));
        // 60 available, 50 borrowed of which 10 are protocol fees: 50 / 100.
        assert_eq!(
            utilization(60, Fraction::from_integer(50), Fraction::from_integer(10)),
            Ok(Fraction::from_percent(50))
        );
        assert_eq!(utilization(0, Fraction::ZERO, Fraction::ONE), Err(MathError::Underflow));
    }

    #[test]
    fn exchange() {
        // Empty reserve: 1:1.
        assert_eq!(liquidity_to_collateral_floor(1_000, Fraction::ZERO, 0), Ok(1_000));
        assert_eq!(collateral_to_liquidity_floor(1_000, Fraction::ZERO, 500), Ok(1_000));
        // 1 100 liquidity for 1 000 cTokens: rate 1.1.
        let total = Fraction::from_integer(1_100);
        assert_eq!(liquidity_to_collateral_floor(110, total, 1_000), Ok(100));
        assert_eq!(liquidity_to_collateral_floor(100, total, 1_000), Ok(90));
        assert_eq!(liquidity_to_collateral_ceil(100, total, 1_000), Ok(91));
        assert_eq!(collateral_to_liquidity_floor(9, total, 1_000), Ok(9));
        assert_eq!(collateral_to_liquidity_ceil(9, total, 1_000), Ok(10));
        assert_eq!(collateral_to_liquidity_floor(1_000, total, 1_000), Ok(1_100));
    }

    #[test]
    fn accrual() {
        let a = accrue_interest(
            Fraction::from_integer(1_000_000),
            Fraction::ONE,
            Fraction::from_percent(10),
            interest::SLOTS_PER_YEAR,
            Fraction::from_percent(20),
        )
        .unwrap();
        // 1 000 000 at e^0.1 − 1 ≈ 10.517 % interest; 20 % of it to the protocol.
        assert_eq!(a.borrowed.to_u64_floor(), Ok(1_105_170));
        assert_eq!(a.cumulative_index, a.growth);
        assert_eq!(a.protocol_fee.to_u64_floor(), Ok(21_034));
        assert_eq!(
            accrue_interest(Fraction::ONE, Fraction::ONE, Fraction::ONE, 1, Fraction::from_percent(101)),
            Err(MathError::InvalidParams)
        );
        let idle = accrue_interest(Fraction::ONE, Fraction::ONE, Fraction::ONE, 0, Fraction::ZERO).unwrap();
        assert_eq!(idle.borrowed, Fraction::ONE);
    }

    #[test]
    fn rescale() {
        let debt = Fraction::from_integer(100);
        let snap = Fraction::ONE;
        let cur = Fraction::from_bps(12_500);
        assert_eq!(rescale_debt_ceil(debt, snap, cur), Ok(Fraction::from_integer(125)));
        assert_eq!(rescale_debt_ceil(debt, cur, cur), Ok(debt));
        assert_eq!(rescale_debt_ceil(debt, cur, snap), Err(MathError::InvalidParams));
        assert_eq!(rescale_debt_ceil(debt, Fraction::ZERO, snap), Err(MathError::DivisionByZero));
    }
}
