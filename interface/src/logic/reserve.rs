//! Lender and borrower flows that need no health check: depositing liquidity for cTokens, redeeming
//! cTokens for liquidity, depositing cTokens as collateral and repaying a borrow.
//!
//! Each function computes every new value first and writes only when nothing can fail any more, so an
//! error leaves the reserve and the obligation exactly as they were. Token movements are the caller's:
//! the functions return the amounts to move.
//!
//! The exchange and the debt rescaling are `ballast_math::reserve`'s, which builds its 256-bit intermediates
//! from 64-bit operations only and so runs on chain as it runs off chain.

use {
    crate::{
        error::BallastError,
        instruction::DeleverageSide,
        logic::deleverage::check_deleverage_cap,
        pod::{Le128, Le64},
        state::{Obligation, ObligationBorrow, ObligationDeposit, Reserve, MAX_BORROWS, MAX_DEPOSITS},
    },
    ballast_math::{reserve as math, Fraction},
    solana_address::Address,
};

/// The reserve's lender-owned liquidity, `available + borrowed − protocol_fees`.
pub fn total_liquidity(reserve: &Reserve) -> Result<Fraction, BallastError> {
    Ok(math::total_liquidity(
        reserve.available_amount.get(),
        Fraction::from_raw(reserve.borrowed_amount_sf.get()),
        Fraction::from_raw(reserve.protocol_fees_sf.get()),
    )?)
}

/// Deposits `liquidity` tokens into the reserve and returns the cTokens to mint for them.
///
/// Refuses a deposit that would push the total supply over the deposit cap or, while a supply-side
/// deleverage runs, further above its new cap (`DeleverageCapExceeded`), a deposit into a reserve whose
/// cTokens are backed by nothing (it would be diluted), and a deposit worth less than one cToken.
pub fn deposit_liquidity(reserve: &mut Reserve, liquidity: u64) -> Result<u64, BallastError> {
    if liquidity == 0 {
        return Err(BallastError::ZeroAmount);
    }
    let total = total_liquidity(reserve)?;
    let supply = reserve.collateral_supply.get();
    if total.is_zero() && supply != 0 {
        return Err(BallastError::ReserveDepleted);
    }
    let new_total = total.checked_add(Fraction::from_integer(liquidity))?;
    if new_total > Fraction::from_integer(reserve.config.deposit_cap.get()) {
        return Err(BallastError::DepositCapExceeded);
    }
    // While the supply side is under deleverage, a deposit may not push the total further above the new
    // cap. The total is measured as the deleverage measures it: rounded down to tokens.
    check_deleverage_cap(reserve, DeleverageSide::Supply, new_total.to_u64_floor()?)?;
    // The depositor receives cTokens: rounded down.
    let ctokens = math::liquidity_to_collateral_floor(liquidity, total, supply)?;
    if ctokens == 0 {
        return Err(BallastError::AmountTooSmall);
    }
    let available =
        reserve.available_amount.get().checked_add(liquidity).ok_or(BallastError::MathOverflow)?;
    let supply = supply.checked_add(ctokens).ok_or(BallastError::MathOverflow)?;

    reserve.available_amount = Le64::new(available);
    reserve.collateral_supply = Le64::new(supply);
    Ok(ctokens)
}

/// Redeems `ctokens` and returns the liquidity to pay out of the vault for them.
pub fn redeem_collateral(reserve: &mut Reserve, ctokens: u64) -> Result<u64, BallastError> {
    if ctokens == 0 {
        return Err(BallastError::ZeroAmount);
    }
    let total = total_liquidity(reserve)?;
    let supply = reserve.collateral_supply.get();
    // The redeemer receives liquidity: rounded down.
    let liquidity = math::collateral_to_liquidity_floor(ctokens, total, supply)?;
    if liquidity == 0 {
        return Err(BallastError::AmountTooSmall);
    }
    let available =
        reserve.available_amount.get().checked_sub(liquidity).ok_or(BallastError::InsufficientLiquidity)?;
    // More cTokens than exist can only come from a corrupted reserve; the burn would refuse them anyway.
    let supply = supply.checked_sub(ctokens).ok_or(BallastError::MathOverflow)?;

    reserve.available_amount = Le64::new(available);
    reserve.collateral_supply = Le64::new(supply);
    Ok(liquidity)
}

/// Records `ctokens` of `reserve` as collateral of the obligation (the caller burns them from the user), and
/// marks the obligation stale so that the next health check needs a refresh.
///
/// The reserve's `collateral_supply` does not change: it counts cTokens held in obligations.
pub fn deposit_collateral(
    obligation: &mut Obligation,
    reserve: &Address,
    ctokens: u64,
) -> Result<(), BallastError> {
    if ctokens == 0 {
        return Err(BallastError::ZeroAmount);
    }
    match obligation.find_deposit(reserve) {
        Some(index) => {
            let deposit = obligation.deposits.get_mut(index).ok_or(BallastError::MathOverflow)?;
            let amount =
                deposit.collateral_amount.get().checked_add(ctokens).ok_or(BallastError::MathOverflow)?;
            deposit.collateral_amount = Le64::new(amount);
        }
        None => {
            let index = obligation.deposits().len();
            if index >= MAX_DEPOSITS {
                return Err(BallastError::TooManyDeposits);
            }
            let count = obligation.deposit_count.checked_add(1).ok_or(BallastError::MathOverflow)?;
            let slot = obligation.deposits.get_mut(index).ok_or(BallastError::TooManyDeposits)?;
            *slot = ObligationDeposit {
                reserve: *reserve,
                collateral_amount: Le64::new(ctokens),
                market_value_sf: Le128::new(0),
            };
            obligation.deposit_count = count;
        }
    }
    obligation.last_refresh_slot = Le64::new(0);
    Ok(())
}

/// Outcome of [`repay`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repayment {
    /// Liquidity the payer transfers to the vault.
    pub amount: u64,
    /// The borrow's debt after the repayment (0 when the borrow entry was removed).
    pub remaining_debt: Fraction,
}

/// Repays up to `amount` liquidity (`u64::MAX`: the whole debt) of the obligation's borrow from `reserve`.
///
/// The borrow is first brought up to the reserve's cumulative index. The payer pays at most the debt
/// rounded up; a borrow whose debt reaches 0 is removed and the later borrows move down one place. The
/// reserve's borrowed total falls by the repayment (never below 0: obligations round their debt up, the
/// reserve rounds its total down), and its available liquidity rises by it. Marks the obligation stale.
pub fn repay(
    reserve: &mut Reserve,
    reserve_address: &Address,
    obligation: &mut Obligation,
    amount: u64,
) -> Result<Repayment, BallastError> {
    if amount == 0 {
        return Err(BallastError::ZeroAmount);
    }
    let index = obligation.find_borrow(reserve_address).ok_or(BallastError::BorrowNotFound)?;
    let borrow = obligation.borrows.get(index).ok_or(BallastError::BorrowNotFound)?;
    let reserve_index = Fraction::from_raw(reserve.cumulative_borrow_index_sf.get());
    // The borrower owes the debt: rescaled rounding up.
    let debt = math::rescale_debt_ceil(
        Fraction::from_raw(borrow.borrowed_amount_sf.get()),
        Fraction::from_raw(borrow.cumulative_borrow_index_sf.get()),
        reserve_index,
    )?;
    // The borrower owes the debt: a fractional unit is paid as a whole one.
    let owed = debt.to_u64_ceil()?;
    let repaid = amount.min(owed);
    let repaid_sf = Fraction::from_integer(repaid);
    let remaining_debt = debt.saturating_sub(repaid_sf);

    let borrowed = Fraction::from_raw(reserve.borrowed_amount_sf.get());
    let new_borrowed = borrowed.saturating_sub(repaid_sf);
    let available = reserve.available_amount.get().checked_add(repaid).ok_or(BallastError::MathOverflow)?;

    if remaining_debt.is_zero() {
        remove_borrow(obligation, index)?;
    } else {
        let borrow = obligation.borrows.get_mut(index).ok_or(BallastError::BorrowNotFound)?;
        borrow.borrowed_amount_sf = Le128::new(remaining_debt.raw());
        borrow.cumulative_borrow_index_sf = Le128::new(reserve_index.raw());
    }
    obligation.last_refresh_slot = Le64::new(0);
    reserve.borrowed_amount_sf = Le128::new(new_borrowed.raw());
    reserve.available_amount = Le64::new(available);
    Ok(Repayment { amount: repaid, remaining_debt })
}

/// Removes `borrows[index]`, moving the later borrows down one place and zeroing the freed last slot.
fn remove_borrow(obligation: &mut Obligation, index: usize) -> Result<(), BallastError> {
    let count = obligation.borrows().len();
    if index >= count {
        return Err(BallastError::BorrowNotFound);
    }
    let live = obligation.borrows.get_mut(index..count).ok_or(BallastError::BorrowNotFound)?;
    live.rotate_left(1);
    if let Some(last) = live.last_mut() {
        *last = ObligationBorrow::default();
    }
    // `count` is at least 1 here (it exceeds `index`) and at most MAX_BORROWS.
    let new_count =
        u8::try_from(count.saturating_sub(1).min(MAX_BORROWS)).map_err(|_| BallastError::MathOverflow)?;
    obligation.borrow_count = new_count;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]
mod tests {
    use {
        super::*,
        crate::state::{AccountHeader, AccountKind},
        bytemuck::Zeroable,
    };

    fn reserve(available: u64, borrowed: u64, supply: u64) -> Reserve {
        let mut reserve = Reserve::zeroed();
        reserve.header = AccountHeader::new(AccountKind::Reserve);
        reserve.available_amount = Le64::new(available);
        reserve.borrowed_amount_sf = Le128::new(Fraction::from_integer(borrowed).raw());
        reserve.collateral_supply = Le64::new(supply);
        reserve.cumulative_borrow_index_sf = Le128::new(Fraction::ONE.raw());
        reserve.config.deposit_cap = Le64::new(u64::MAX);
        reserve
    }

    fn borrow(reserve: Address, debt: Fraction, snapshot: Fraction) -> ObligationBorrow {
        ObligationBorrow {
            reserve,
            borrowed_amount_sf: Le128::new(debt.raw()),
            cumulative_borrow_index_sf: Le128::new(snapshot.raw()),
            market_value_sf: Le128::new(0),
        }
    }

    #[test]
    fn deposit_and_redeem_round_in_the_reserves_favour() {
        // 1 100 liquidity for 1 000 cTokens: rate 1.1.
        let mut r = reserve(1_000, 100, 1_000);
        assert_eq!(deposit_liquidity(&mut r, 100), Ok(90));
        assert_eq!(r.available_amount.get(), 1_100);
        assert_eq!(r.collateral_supply.get(), 1_090);
        let before = r;
        assert_eq!(deposit_liquidity(&mut r, 1), Err(BallastError::AmountTooSmall));
        assert_eq!(r, before);
        assert_eq!(redeem_collateral(&mut r, 90), Ok(99));
        assert_eq!(r.available_amount.get(), 1_001);
        assert_eq!(r.collateral_supply.get(), 1_000);
        assert_eq!(redeem_collateral(&mut r, 1_000), Err(BallastError::InsufficientLiquidity));
    }

    #[test]
    fn deposit_cap_counts_the_total_after_the_deposit() {
        let mut r = reserve(500, 500, 1_000);
        r.config.deposit_cap = Le64::new(1_100);
        assert_eq!(deposit_liquidity(&mut r, 101), Err(BallastError::DepositCapExceeded));
        assert_eq!(deposit_liquidity(&mut r, 100), Ok(100));
    }

    #[test]
    fn refuses_deposits_into_a_depleted_reserve() {
        let mut r = reserve(0, 0, 1_000);
        assert_eq!(deposit_liquidity(&mut r, 100), Err(BallastError::ReserveDepleted));
    }

    #[test]
    fn deposits_fill_then_refuse_a_ninth_reserve() {
        let mut o = Obligation::zeroed();
        let keys: [Address; MAX_DEPOSITS + 1] =
            core::array::from_fn(|i| Address::new_from_array([i as u8; 32]));
        for key in &keys[..MAX_DEPOSITS] {
            deposit_collateral(&mut o, key, 5).unwrap();
        }
        deposit_collateral(&mut o, &keys[0], 7).unwrap();
        assert_eq!(o.deposits()[0].collateral_amount.get(), 12);
        let before = o;
        assert_eq!(deposit_collateral(&mut o, &keys[MAX_DEPOSITS], 1), Err(BallastError::TooManyDeposits));
        assert_eq!(o, before);
    }

    #[test]
    fn repay_rescales_and_compacts() {
        let key = Address::new_from_array([1; 32]);
        let other = Address::new_from_array([2; 32]);
        let mut r = reserve(0, 105, 100);
        r.cumulative_borrow_index_sf = Le128::new(Fraction::from_bps(10_500).raw());
        let mut o = Obligation::zeroed();
        o.borrows[0] = borrow(key, Fraction::from_integer(100), Fraction::ONE);
        o.borrows[1] = borrow(other, Fraction::from_integer(3), Fraction::ONE);
        o.borrow_count = 2;
        o.last_refresh_slot = Le64::new(9);

        let partial = repay(&mut r, &key, &mut o, 5).unwrap();
        assert_eq!(partial.amount, 5);
        assert_eq!(o.borrow_count, 2);
        assert_eq!(o.borrows[0].cumulative_borrow_index_sf.get(), r.cumulative_borrow_index_sf.get());
        assert_eq!(o.last_refresh_slot.get(), 0);
        assert_eq!(r.available_amount.get(), 5);

        let full = repay(&mut r, &key, &mut o, u64::MAX).unwrap();
        assert_eq!(full.remaining_debt, Fraction::ZERO);
        assert_eq!(partial.amount + full.amount, 105);
        assert_eq!(o.borrow_count, 1);
        assert_eq!(o.borrows[0].reserve, other);
        assert_eq!(o.borrows[1], ObligationBorrow::default());
        assert_eq!(r.borrowed_amount_sf.get(), 0);
        assert_eq!(repay(&mut r, &key, &mut o, 1), Err(BallastError::BorrowNotFound));
    }
}
