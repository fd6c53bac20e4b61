//! Account checks shared by the processors. Each returns the specific error of the check that failed.

use {
    ballast_interface::error::BallastError,
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
