//! Market value of token amounts and its inverses.
//!
//! A price is a [`Fraction`] in quote currency per whole token, i.e. per `10^decimals` base units, so
//! `value = amount × price / 10^decimals`. Decimals up to [`MAX_DECIMALS`] are supported (10^38 is the
//! largest power of ten in a `u128`); SPL mints in practice use at most 18.

use crate::{wide::Wide, Fraction, MathError};

/// Largest supported mint decimals.
pub const MAX_DECIMALS: u8 = 38;

const POW10: [u128; MAX_DECIMALS as usize + 1] = {
    let mut table = [1u128; MAX_DECIMALS as usize + 1];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// `10^decimals`.
///
/// # Errors
/// [`MathError::InvalidParams`] above [`MAX_DECIMALS`].
pub fn pow10(decimals: u8) -> Result<u128, MathError> {
    POW10.get(usize::from(decimals)).copied().ok_or(MathError::InvalidParams)
}

/// `floor(a · b / 10^decimals)` (256-bit) and whether a remainder was dropped. Inlined: two `u128`
/// arguments, the decimals and the result pointer are six registers in a call.
#[inline(always)]
fn mul_div_pow10(a: u128, b: u128, decimals: u8) -> Result<(Wide, bool), MathError> {
    // Every power of ten is non-zero.
    Wide::mul(a, b).div_rem(pow10(decimals)?).ok_or(MathError::InvalidParams)
}

/// `floor(value · 10^decimals / price)` (256-bit) and whether a remainder was dropped.
fn mul_pow10_div(value: Fraction, price: Fraction, decimals: u8) -> Result<(Wide, bool), MathError> {
    if price.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    Wide::mul(value.raw(), pow10(decimals)?).div_rem(price.raw()).ok_or(MathError::DivisionByZero)
}

/// `amount × price / 10^decimals`, rounded down: the value of collateral, which gives a user borrowing
/// power (what a user receives).
///
/// # Errors
/// [`MathError::InvalidParams`] above [`MAX_DECIMALS`], [`MathError::Overflow`] above [`Fraction::MAX`].
// Inlined into its callers: RefreshObligation runs it once per position, where the call cost more than
// the binary's headroom is worth (13 positions: −489 CU for +920 bytes, with the three others like it).
#[inline(always)]
pub fn market_value(amount: u64, price: Fraction, decimals: u8) -> Result<Fraction, MathError> {
    let (q, _) = mul_div_pow10(u128::from(amount), price.raw(), decimals)?;
    q.round_to_u128(false).map(Fraction::from_raw).ok_or(MathError::Overflow)
}

/// `amount × price / 10^decimals`, rounded up: the value of debt, which a user owes.
///
/// # Errors
/// As [`market_value`].
#[inline(never)]
pub fn market_value_ceil(amount: u64, price: Fraction, decimals: u8) -> Result<Fraction, MathError> {
    let (q, rem) = mul_div_pow10(u128::from(amount), price.raw(), decimals)?;
    q.round_to_u128(rem).map(Fraction::from_raw).ok_or(MathError::Overflow)
}

/// Value of an amount held as a Fraction of base units (an accrued debt or reserve total), rounded
/// down.
///
/// # Errors
/// As [`market_value`].
#[inline(never)]
pub fn market_value_of_fraction(
    amount: Fraction,
    price: Fraction,
    decimals: u8,
) -> Result<Fraction, MathError> {
    // floor(floor(x / 10^d) / 2^60) = floor(x / (10^d · 2^60)).
    let (q, _) = mul_div_pow10(amount.raw(), price.raw(), decimals)?;
    q.shr_to_u128::<{ Fraction::BITS }>().map(Fraction::from_raw).ok_or(MathError::Overflow)
}

/// Value of an amount held as a Fraction of base units, rounded up: the value of accrued debt a user owes.
///
/// # Errors
/// As [`market_value`].
// Inlined into its callers: RefreshObligation runs it once per position, where the call cost more than
// the binary's headroom is worth (13 positions: −489 CU for +920 bytes, with the three others like it).
#[inline(always)]
pub fn market_value_of_fraction_ceil(
    amount: Fraction,
    price: Fraction,
    decimals: u8,
) -> Result<Fraction, MathError> {
    // ceil(ceil(x / 10^d) / 2^60) = ceil(x / (10^d · 2^60)).
    let (q, rem) = mul_div_pow10(amount.raw(), price.raw(), decimals)?;
    q.shr_ceil::<{ Fraction::BITS }>(rem).map(Fraction::from_raw).ok_or(MathError::Overflow)
}

/// Token amount worth `value` at `price`, rounded down: what a user receives for a value.
///
/// # Errors
/// [`MathError::DivisionByZero`] for a zero price, [`MathError::InvalidParams`] above [`MAX_DECIMALS`],
/// [`MathError::Overflow`] above `u64`.
#[inline(never)]
pub fn amount_for_value_floor(value: Fraction, price: Fraction, decimals: u8) -> Result<u64, MathError> {
    let (q, _) = mul_pow10_div(value, price, decimals)?;
    q.round_to_u64(false).ok_or(MathError::Overflow)
}

/// Token amount worth `value` at `price`, rounded up: what a user owes for a value.
///
/// # Errors
/// As [`amount_for_value_floor`].
#[inline(never)]
pub fn amount_for_value_ceil(value: Fraction, price: Fraction, decimals: u8) -> Result<u64, MathError> {
    let (q, rem) = mul_pow10_div(value, price, decimals)?;
    q.round_to_u64(rem).ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        // 1.5 SOL (9 decimals) at 150 USD.
        let v = market_value(1_500_000_000, Fraction::from_integer(150), 9).unwrap();
        assert_eq!(v, Fraction::from_integer(225));
        assert_eq!(market_value_ceil(1_500_000_000, Fraction::from_integer(150), 9).unwrap(), v);
        // 1 base unit of a 6-decimal token at 1/3 USD: floor and ceil straddle the exact value.
        let third = Fraction::from_ratio(1, 3).unwrap();
        let lo = market_value(1, third, 6).unwrap();
        let hi = market_value_ceil(1, third, 6).unwrap();
        assert_eq!(hi.raw() - lo.raw(), 1);
        assert_eq!(market_value(1, Fraction::ONE, 39), Err(MathError::InvalidParams));
        assert_eq!(market_value(u64::MAX, Fraction::MAX, 0), Err(MathError::Overflow));
        assert!(market_value(u64::MAX, Fraction::MAX, 38).is_ok());
        // Accrued debt of 2.5 base units of a 0-decimal token at 3: 7.5 exactly either way.
        let debt = Fraction::from_bps(25_000);
        assert_eq!(
            market_value_of_fraction(debt, Fraction::from_integer(3), 0),
            Ok(Fraction::from_bps(75_000))
        );
        assert_eq!(
            market_value_of_fraction_ceil(debt, Fraction::from_integer(3), 0),
            Ok(Fraction::from_bps(75_000))
        );
        let lo = market_value_of_fraction(debt, third, 6).unwrap();
        let hi = market_value_of_fraction_ceil(debt, third, 6).unwrap();
        assert_eq!(hi.raw() - lo.raw(), 1);
    }

    #[test]
    fn inverses() {
        let price = Fraction::from_integer(150);
        assert_eq!(amount_for_value_floor(Fraction::from_integer(225), price, 9), Ok(1_500_000_000));
        assert_eq!(amount_for_value_ceil(Fraction::from_integer(225), price, 9), Ok(1_500_000_000));
        let odd = Fraction::from_integer(1);
        assert_eq!(amount_for_value_floor(odd, Fraction::from_integer(3), 0), Ok(0));
        assert_eq!(amount_for_value_ceil(odd, Fraction::from_integer(3), 0), Ok(1));
        assert_eq!(amount_for_value_floor(odd, Fraction::ZERO, 0), Err(MathError::DivisionByZero));
    }
}
