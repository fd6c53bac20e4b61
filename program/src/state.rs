//! Loading the program's own accounts, with every check that makes the bytes trustworthy.

use {
    crate::validation::is_owned_by,
    ballast_interface::{
        error::BallastError,
        state::{ProgramAccount, CURRENT_VERSION},
    },
    pinocchio::{
        account::{Ref, RefMut},
        error::ProgramError,
        sysvars::{clock::Clock, Sysvar},
        AccountView, Address,
    },
    solana_address::address_eq,
};

/// Checks, in order: owned by the program, the account type's discriminator (so a reserve passed as an
/// obligation reports type confusion, not a size mismatch), the exact size, the layout version.
fn check<T: ProgramAccount>(account: &AccountView, program_id: &Address) -> Result<(), BallastError> {
    if !is_owned_by(account, program_id) {
        return Err(BallastError::InvalidAccountOwner);
    }
    // SAFETY: no mutable borrow of this account's data is alive while the program validates it (loaders run
    // before any processor takes a mutable borrow), and the read is of one byte within the data length.
    let discriminator = unsafe { account.borrow_unchecked() }.first().copied();
    if discriminator != Some(T::KIND as u8) {
        return Err(BallastError::InvalidAccountDiscriminator);
    }
    if account.data_len() != T::LEN {
        return Err(BallastError::InvalidAccountSize);
    }
    // SAFETY: as above; the length was just checked to be `T::LEN`, which exceeds one byte.
    if unsafe { account.borrow_unchecked() }[1] != CURRENT_VERSION {
        return Err(BallastError::UnsupportedAccountVersion);
    }
    Ok(())
}

/// A program account of type `T`, for reading.
pub fn load<'a, T: ProgramAccount>(
    account: &'a AccountView,
    program_id: &Address,
) -> Result<Ref<'a, T>, ProgramError> {
    check::<T>(account, program_id)?;
    let data = account.try_borrow()?;
    Ok(Ref::map(data, |bytes| bytemuck::from_bytes::<T>(bytes)))
}

/// A program account of type `T`, for writing: also requires the account to be writable.
pub fn load_mut<'a, T: ProgramAccount>(
    account: &'a mut AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, T>, ProgramError> {
    if !account.is_writable() {
        return Err(BallastError::AccountNotWritable.into());
    }
    check::<T>(account, program_id)?;
    let data = account.try_borrow_mut()?;
    Ok(RefMut::map(data, |bytes| bytemuck::from_bytes_mut::<T>(bytes)))
}

/// The current slot and unix time.
#[inline(always)]
pub fn clock() -> Result<Clock, ProgramError> {
    Clock::get()
}

/// Requires the reserve to have been refreshed in the given slot (`ReserveStale`).
pub use ballast_interface::logic::obligation::require_fresh_reserve;

/// Requires `account` to be the reserve's market.
#[inline(always)]
pub fn require_market(reserve_market: &Address, market: &AccountView) -> Result<(), BallastError> {
    if address_eq(reserve_market, market.address()) {
        Ok(())
    } else {
        Err(BallastError::MarketMismatch)
    }
}
