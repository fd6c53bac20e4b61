//! UpdateMarket: sets the market's emergency switches.
//!
//! The owner may switch each flag on or off. The emergency council may only switch flags on (or leave them
//! as they are): in an incident it can stop borrowing, pause price-triggered liquidations or enter emergency
//! mode at once, and only the owner can undo it.
//!
//! Accounts:
//! 0. `[w]` market
//! 1. `[s]` authority: the market owner or its emergency council.
//!
//! Data: [`UpdateMarketArgs`]: `price_triggered_liquidation_disabled`, `borrow_disabled`, `emergency_mode`,
//! one byte each, 0 or 1.

use {
    crate::{
        state::load_mut,
        validation::{require_distinct, require_signer},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, UpdateMarketArgs},
        pod::Flag,
        state::Market,
    },
    pinocchio::{AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [market, authority, ..] = accounts else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: exact length, each flag 0 or 1.
    let args = parse_args::<UpdateMarketArgs>(data)?;
    let new = args.flags()?;

    // 2. Signers: the authority.
    require_signer(authority)?;
    require_distinct(market, authority)?;

    // 3. The market: program-owned, writable, a market.
    let authority_address = *authority.address();
    let mut market = load_mut::<Market>(market, program_id)?;

    // 4. Authority: the owner sets anything; the emergency council only switches on.
    if authority_address != market.owner {
        if authority_address != market.emergency_council {
            return Err(BallastError::InvalidAuthority.into());
        }
        let current =
            [market.price_triggered_liquidation_disabled, market.borrow_disabled, market.emergency_mode];
        for (flag, wanted) in current.iter().zip(new) {
            if flag.get() != Some(wanted) && !wanted {
                return Err(BallastError::EmergencyCouncilMayOnlyEnable.into());
            }
        }
    }

    market.price_triggered_liquidation_disabled = Flag::from_bool(new[0]);
    market.borrow_disabled = Flag::from_bool(new[1]);
    market.emergency_mode = Flag::from_bool(new[2]);
    Ok(())
}
