//! Flash-loan accounting on a reserve.
//!
//! While a flash loan is out its amount leaves `available_amount` (the vault really holds that much less) and
//! is counted in `borrowed_amount_sf`, so that total liquidity, and with it the cToken exchange rate, is the
//! same before, during and after the loan. Were the amount only taken out of `available_amount`, a deposit
//! made while the loan is out would mint cTokens at a depressed rate and gain value when the loan comes back.
//! `FlashBorrow` requires a reserve refreshed in the current slot, so no interest ever accrues on the loan.
//!
//! The repayment brings the amount back and the fee on top of it into `available_amount`; the fee is added to
//! `protocol_fees_sf`, so it belongs to the protocol (split with the insurance fund by `CollectFees`) and
//! lenders' cTokens keep their value exactly.

use {
    crate::{error::BallastError, state::Reserve},
    ballast_math::Fraction,
};

/// Basis points in one.
const BPS: u64 = 10_000;

/// The fee on a flash loan of `amount` at `fee_bps`: `ceil(amount × fee_bps / 10000)`, rounded up because the
/// borrower owes it, so it is at least 1 whenever `amount` and `fee_bps` are both non-zero. A fee above
/// 10,000 bps (which configuration validation never accepts) is refused with `InvalidFlashLoanFee`.
///
/// Computed in `u64` as `(amount / 10000) × fee_bps + ceil((amount % 10000) × fee_bps / 10000)`, exact
/// because the first term divides evenly. Neither product can wrap once `fee_bps <= 10000`: the first is at
/// most `amount`, the second below 10^8. The SBF target has no 128-bit multiply, which is also what an
/// overflow-checked `u64` multiply lowers to there.
pub fn flash_loan_fee(amount: u64, fee_bps: u16) -> Result<u64, BallastError> {
    let bps = u64::from(fee_bps);
    if bps > BPS {
        return Err(BallastError::InvalidFlashLoanFee);
    }
    // (amount / 10000) × 10000 <= amount, so with bps <= 10000 this cannot wrap.
    let whole = (amount / BPS).wrapping_mul(bps);
    // (amount % 10000) × bps < 10^8 cannot wrap. Rounded up: the borrower owes the fee.
    let rest = (amount % BPS).wrapping_mul(bps).div_ceil(BPS);
    whole.checked_add(rest).ok_or(BallastError::MathOverflow)
}

/// Lends `amount` out of the reserve until its repayment in the same transaction. Writes nothing on error.
pub fn flash_borrow(reserve: &mut Reserve, amount: u64) -> Result<(), BallastError> {
    let available = reserve.available_amount.get();
    if amount > available {
        return Err(BallastError::InsufficientLiquidity);
    }
    let borrowed =
        Fraction::from_raw(reserve.borrowed_amount_sf.get()).checked_add(Fraction::from_integer(amount))?;
    reserve.available_amount.set(available.checked_sub(amount).ok_or(BallastError::MathOverflow)?);
    reserve.borrowed_amount_sf.set(borrowed.raw());
    Ok(())
}

/// Takes back `amount` plus `fee`: the amount leaves `borrowed_amount_sf`, both enter `available_amount`, and
/// the fee becomes the protocol's. Writes nothing on error.
pub fn flash_repay(reserve: &mut Reserve, amount: u64, fee: u64) -> Result<(), BallastError> {
    let total = amount.checked_add(fee).ok_or(BallastError::MathOverflow)?;
    let available = reserve.available_amount.get().checked_add(total).ok_or(BallastError::MathOverflow)?;
    let borrowed =
        Fraction::from_raw(reserve.borrowed_amount_sf.get()).checked_sub(Fraction::from_integer(amount))?;
    let protocol_fees =
        Fraction::from_raw(reserve.protocol_fees_sf.get()).checked_add(Fraction::from_integer(fee))?;
    reserve.available_amount.set(available);
    reserve.borrowed_amount_sf.set(borrowed.raw());
    reserve.protocol_fees_sf.set(protocol_fees.raw());
    Ok(())
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn fee_rounds_up_and_is_at_least_one() {
        assert_eq!(flash_loan_fee(1, 9), Ok(1));
        assert_eq!(flash_loan_fee(10_000, 9), Ok(9));
        assert_eq!(flash_loan_fee(10_001, 9), Ok(10));
        assert_eq!(flash_loan_fee(1_000_000, 0), Ok(0));
        assert_eq!(flash_loan_fee(u64::MAX, 10_000), Ok(u64::MAX));
        assert_eq!(flash_loan_fee(1, 10_001), Err(BallastError::InvalidFlashLoanFee));
        assert_eq!(flash_loan_fee(u64::MAX, 9), Ok(16_602_069_666_338_597));
        for (amount, bps) in [
            (0u64, 9u16),
            (9_999, 1),
            (123_456_789, 30),
            (u64::MAX - 1, 10_000),
            (77, 10_000),
            (10_001, 9_999),
        ] {
            let exact = (u128::from(amount) * u128::from(bps)).div_ceil(10_000);
            assert_eq!(flash_loan_fee(amount, bps), Ok(u64::try_from(exact).unwrap()));
        }
    }

    fn total_liquidity(reserve: &Reserve) -> u128 {
        u128::from(reserve.available_amount.get()) * Fraction::ONE.raw() + reserve.borrowed_amount_sf.get()
            - reserve.protocol_fees_sf.get()
    }

    #[test]
    fn a_loan_and_its_repayment_keep_total_liquidity_and_give_the_fee_to_the_protocol() {
        let mut reserve: Reserve = bytemuck::Zeroable::zeroed();
        reserve.available_amount.set(1_000_000);
        reserve.borrowed_amount_sf.set(Fraction::from_integer(250_000).raw());
        reserve.protocol_fees_sf.set(Fraction::from_integer(100).raw());
        let before = total_liquidity(&reserve);

        flash_borrow(&mut reserve, 600_000).unwrap();
        assert_eq!(reserve.available_amount.get(), 400_000);
        assert_eq!(total_liquidity(&reserve), before);

        let fee = flash_loan_fee(600_000, 9).unwrap();
        assert_eq!(fee, 540);
        flash_repay(&mut reserve, 600_000, fee).unwrap();
        assert_eq!(reserve.available_amount.get(), 1_000_540);
        assert_eq!(reserve.borrowed_amount_sf.get(), Fraction::from_integer(250_000).raw());
        assert_eq!(reserve.protocol_fees_sf.get(), Fraction::from_integer(640).raw());
        assert_eq!(total_liquidity(&reserve), before);
    }

    #[test]
    fn refuses_more_than_available() {
        let mut reserve: Reserve = bytemuck::Zeroable::zeroed();
        reserve.available_amount.set(10);
        assert_eq!(flash_borrow(&mut reserve, 11), Err(BallastError::InsufficientLiquidity));
        assert_eq!(reserve.available_amount.get(), 10);
    }
}
