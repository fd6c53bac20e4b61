//! RefreshObligation: revalues every deposit and borrow of an obligation against reserves refreshed in this
//! slot, brings each debt up to its reserve's interest index, and stores the obligation's health.
//!
//! Accounts:
//! 0. `[w]` obligation.
//! 1. `[]` market: the obligation's market.
//! 2. `[]` one reserve per deposit, in the obligation's deposit order.
//! 3. `[]` one reserve per borrow, in the obligation's borrow order.
//!
//! Every reserve must be this program's reserve of the obligation's market, refreshed in the current slot,
//! and at the address of its position; exactly `deposit_count + borrow_count` reserves follow the market.
//!
//! Data: [`NoArgs`].
//!
//! The loop runs once per position, so it stays lean: reserves are loaded read-only, nothing is logged and
//! no address is derived. See [`ObligationRefresh`] for the values and their rounding.

use {
    crate::state,
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, NoArgs},
        logic::obligation::ObligationRefresh,
        state::{Market, Obligation, Reserve},
    },
    pinocchio::{AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [obligation_account, market_account, reserves @ ..] = accounts else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: none.
    parse_args::<NoArgs>(data)?;
    let slot = state::clock()?.slot;

    // 2. Market: the program's market.
    let market = state::load::<Market>(market_account, program_id)?;

    // 3. Obligation: the program's, writable, of this market, with one reserve account per position.
    let mut obligation = state::load_mut::<Obligation>(obligation_account, program_id)?;
    state::require_market(&obligation.market, market_account)?;
    let deposit_count = obligation.deposits().len();
    if reserves.len() != deposit_count.saturating_add(obligation.borrows().len()) {
        return Err(BallastError::ObligationReserveMismatch.into());
    }

    // 4. Reserves: each the program's reserve at its position's address, of this market, fresh; valued as
    //    it is checked. Nothing is written before every reserve passed.
    let (deposit_reserves, borrow_reserves) = reserves.split_at(deposit_count);
    let mut refresh = ObligationRefresh::new(&market, slot);
    for account in deposit_reserves {
        let reserve = state::load::<Reserve>(account, program_id)?;
        refresh.add_deposit(&obligation, account.address(), &reserve)?;
    }
    for account in borrow_reserves {
        let reserve = state::load::<Reserve>(account, program_id)?;
        refresh.add_borrow(&obligation, account.address(), &reserve)?;
    }

    // 5. Write the refreshed positions and the health.
    refresh.apply(&mut obligation)?;
    Ok(())
}
