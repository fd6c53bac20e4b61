//! CancelDeleverage: the risk council stops a running deleverage on one side of a reserve and clears its
//! state. (A deleverage also ends by itself: the `Deleverage` call that finds the total at or under the cap
//! clears it.) Logs [`DeleverageEnded`] with the cancelled reason.
//!
//! Accounts:
//! 0. `[w]` reserve.
//! 1. `[]` market: the reserve's market.
//! 2. `[s]` risk council: the market's `risk_council`.
//!
//! Data: [`CancelDeleverageArgs`]: side u8 (0 supply, 1 borrow).

use {
    crate::{
        event,
        state::{load, load_mut, require_market},
        validation::require_signer,
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, CancelDeleverageArgs, DeleverageSide},
        logic::deleverage::{cancel_deleverage, DELEVERAGE_ENDED_TAG},
        state::{Market, Reserve},
    },
    pinocchio::{AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [reserve_account, market_account, council, ..] = accounts else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: exact length, a known side.
    let args = parse_args::<CancelDeleverageArgs>(data)?;
    let side = DeleverageSide::from_u8(args.side)?;

    // 2. Signers: the risk council.
    require_signer(council)?;

    // 3. Market: a program market whose risk council signed.
    let market = load::<Market>(market_account, program_id)?;
    if market.risk_council != *council.address() {
        return Err(BallastError::InvalidAuthority.into());
    }

    // 4. Reserve: writable, of this market. Freshness is not needed: only the flag changes (the total in the
    //    event is as of the reserve's last refresh).
    let reserve_address = *reserve_account.address();
    let mut reserve = load_mut::<Reserve>(reserve_account, program_id)?;
    require_market(&reserve.market, market_account)?;

    // 5. A deleverage must be running on that side; then the state is cleared.
    let ended = cancel_deleverage(&mut reserve, &reserve_address, side)?;

    event::emit(DELEVERAGE_ENDED_TAG, &ended);
    Ok(())
}
