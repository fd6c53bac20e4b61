//! UpdateReserveConfig: replaces a reserve's configuration.
//!
//! The market owner may set any valid configuration. The emergency council may only switch
//! `borrowing_disabled` on: its new configuration must equal the current one except for that flag, which it
//! must set (setting it again is a no-op). Anyone else is refused.
//!
//! The new curve and take rate apply from the reserve's last refresh on; refresh the reserve in the same
//! transaction first to close the interval at the old rate.
//!
//! Accounts:
//! 0. `[w]` reserve.
//! 1. `[]` market: the reserve's market.
//! 2. `[s]` authority: the market owner or the market's emergency council.
//!
//! Data: [`ReserveConfigArgs`].

use {
    crate::{
        state::{load, load_mut, require_market},
        validation::require_signer,
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, ReserveConfigArgs},
        pod::Flag,
        state::{Market, Reserve, ReserveConfig},
    },
    pinocchio::{AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [reserve_account, market_account, authority, ..] = accounts else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: exact length, every bound of the new configuration.
    let new_config = &parse_args::<ReserveConfigArgs>(data)?.config;
    new_config.validate()?;

    // 2. Signers: the authority.
    require_signer(authority)?;

    // 3. The market: program-owned market account.
    let market = load::<Market>(market_account, program_id)?;

    // 4. The reserve: program-owned, writable, of this market.
    let mut reserve = load_mut::<Reserve>(reserve_account, program_id)?;
    require_market(&reserve.market, market_account)?;

    // 5. Authority: the owner changes anything; the emergency council only disables borrowing.
    if authority.address() == &market.owner {
        // Any valid configuration.
    } else if authority.address() == &market.emergency_council {
        // The bytes on either side of the flag compare unchanged, the flag itself must be on.
        let flag_at = core::mem::offset_of!(ReserveConfig, borrowing_disabled);
        let (new_bytes, old_bytes) = (bytemuck::bytes_of(new_config), bytemuck::bytes_of(&reserve.config));
        let unchanged = |range: core::ops::Range<usize>| new_bytes.get(range.clone()) == old_bytes.get(range);
        let flag_end = flag_at.saturating_add(core::mem::size_of::<Flag>());
        if new_config.borrowing_disabled != Flag::ON
            || !unchanged(0..flag_at)
            || !unchanged(flag_end..core::mem::size_of::<ReserveConfig>())
        {
            return Err(BallastError::EmergencyCouncilMayOnlyDisable.into());
        }
    } else {
        return Err(BallastError::InvalidAuthority.into());
    }

    reserve.config = *new_config;
    Ok(())
}
