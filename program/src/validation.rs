//! Account checks shared by the processors. Each returns the specific error of the check that failed.

//!
//! The checks every instruction runs, and the user-facing instructions, compare addresses with `address_eq`
//! (four 8-byte compares, ~12 CU): `==` on an `Address` compares bytes, which size-optimised code turns into
//! a `memcmp` call (~30 CU). The administrative instructions keep `==`, which is fewer bytes.

use {
    ballast_interface::error::BallastError,
    pinocchio::{AccountView, Address},
    solana_address::address_eq,
};

/// Whether `owner` owns `account`.
#[inline(always)]
pub fn is_owned_by(account: &AccountView, owner: &Address) -> bool {
    address_eq(&account.owner(), owner)
}

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
    if is_owned_by(account, owner) {
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
    if !address_eq(a.address(), b.address()) {
        Ok(())
    } else {
        Err(BallastError::DuplicateAccount)
    }
}

/// Requires `account` to be the reserve's stored vault or cToken mint, `expected` (`InvalidVault`).
#[inline(always)]
pub fn require_vault(account: &AccountView, expected: &Address) -> Result<(), BallastError> {
    if address_eq(account.address(), expected) {
        Ok(())
    } else {
        Err(BallastError::InvalidVault)
    }
}

/// [`require_vault`], then writable: the instruction moves tokens through it.
#[inline(always)]
pub fn require_writable_vault(account: &AccountView, expected: &Address) -> Result<(), BallastError> {
    require_vault(account, expected)?;
    require_writable(account)
}
