//! Account checks shared by the processors. Each returns the specific error of the check that failed.

use {
    ballast_interface::{
        error::BallastError, instruction::DeleverageSide, logic::deleverage, state::Reserve,
    },
    pinocchio::{AccountView, Address},
};

#[inline(always)]
pub fn require_signer(account: &AccountView) -> Result<(), BallastError> {
    if account.is_signer() {
        Ok(())
    } else {
        Err(BallastError::MissingSigner)
    }
}

#[inline(always)]
pub fn require_writable(account: &AccountView) -> Result<(), BallastError> {
    if account.is_writable() {
        Ok(())
    } else {
        Err(BallastError::AccountNotWritable)
    }
}

#[inline(always)]
pub fn require_owner(account: &AccountView, owner: &Address) -> Result<(), BallastError> {
    if account.owned_by(owner) {
        Ok(())
    } else {
        Err(BallastError::InvalidAccountOwner)
    }
}

#[inline(always)]
pub fn require_len(account: &AccountView, len: usize) -> Result<(), BallastError> {
    if account.data_len() == len {
        Ok(())
    } else {
        Err(BallastError::InvalidAccountSize)
    }
}

#[inline(always)]
pub fn require_distinct(a: &AccountView, b: &AccountView) -> Result<(), BallastError> {
    if a.address() != b.address() {
        Ok(())
    } else {
        Err(BallastError::DuplicateAccount)
    }
}

/// While a deleverage runs on `side` of the reserve, refuses an operation that adds `amount` whole tokens
/// to that side's total and so pushes it further above the new cap (`DeleverageCapExceeded`): deposits on
/// the supply side, borrows on the borrow side. Both totals grow by exactly `amount` (the supply total is
/// `floor(available + borrowed − fees)`, the borrow total `ceil(borrowed)`), so the reserve before the
/// operation is enough.
#[inline(always)]
pub fn require_within_deleverage_cap(
    reserve: &Reserve,
    side: DeleverageSide,
    amount: u64,
) -> Result<(), BallastError> {
    if !deleverage::is_active(reserve, side)? {
        return Ok(());
    }
    let new_total =
        deleverage::side_total(reserve, side)?.checked_add(amount).ok_or(BallastError::MathOverflow)?;
    deleverage::check_deleverage_cap(reserve, side, new_total)
}
