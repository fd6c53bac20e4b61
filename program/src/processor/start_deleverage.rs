//! StartDeleverage: the risk council cuts one side's cap of a reserve below its current total and opens a
//! margin call. Nothing is deleveraged before the margin call ends; from then on `Deleverage` may reduce
//! every position holding the asset whose LTV exceeds the decaying deleverage LTV, until the total is at or
//! under the new cap. Logs [`DeleverageStarted`] for notifiers.
//!
//! Accounts:
//! 0. `[w]` reserve: refreshed in this slot.
//! 1. `[]` market: the reserve's market.
//! 2. `[s]` risk council: the market's `risk_council` (may be a multisig address).
//!
//! Data: [`StartDeleverageArgs`]: side u8 (0 supply, 1 borrow), new cap (tokens, below the current total),
//! margin-call slots (0 selects 518,400 = 72 h), slots per bps of LTV decay (non-zero), minimum penalty bps
//! (at most the reserve's max liquidation bonus).

use {
    crate::{
        event,
        state::{clock, load, load_mut, require_fresh_reserve, require_market},
        validation::require_signer,
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, DeleverageSide, StartDeleverageArgs},
        logic::deleverage::{start_deleverage, StartParams, DELEVERAGE_STARTED_TAG},
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

    // 1. Arguments: exact length, a known side. The rest depends on the reserve (group 5).
    let args = parse_args::<StartDeleverageArgs>(data)?;
    let params = StartParams {
        side: DeleverageSide::from_u8(args.side)?,
        new_cap: args.new_cap.get(),
        margin_call_slots: args.margin_call_slots.get(),
        slots_per_bps: args.slots_per_bps.get(),
        min_penalty_bps: args.min_penalty_bps.get(),
    };

    // 2. Signers: the risk council.
    require_signer(council)?;

    // 3. Market: a program market whose risk council signed.
    let market = load::<Market>(market_account, program_id)?;
    if market.risk_council != *council.address() {
        return Err(BallastError::InvalidAuthority.into());
    }

    // 4. Reserve: writable, of this market, refreshed in this slot (the total includes interest).
    let slot = clock()?.slot;
    let reserve_address = *reserve_account.address();
    let mut reserve = load_mut::<Reserve>(reserve_account, program_id)?;
    require_market(&reserve.market, market_account)?;
    require_fresh_reserve(&reserve, slot)?;

    // 5. Deleverage state and parameters against the reserve, then the write (nothing is written on error).
    let started = start_deleverage(&mut reserve, &reserve_address, &params, slot)?;

    event::emit(DELEVERAGE_STARTED_TAG, &started);
    Ok(())
}
