//! RefreshReserve: accrues interest up to the current slot and, when a price account is passed, reads the
//! reserve's Pyth price. Permissionless.
//!
//! Accounts:
//! 0. `[w]` reserve.
//! 1. `[]` price update (optional): the reserve's Pyth `PriceUpdateV2`. Without it the reserve accrues
//!    interest only and its `price_status` becomes 0 (no price in this slot).
//!
//! Data: none ([`NoArgs`]).
//!
//! Effects: borrowed total, cumulative index and protocol fees accrue
//! ([`ballast_interface::logic::interest::accrue`]); `last_update_slot` = current slot; with a price,
//! `price_sf`, `price_timestamp` and `price_status` ([`PRICE_LOADED`], plus [`PRICE_FULLY_CHECKED`] when the
//! confidence and TWAP-divergence checks pass) are replaced. A deleverage ends by itself here too: a side
//! under deleverage whose total is at or under its new cap (after a repay or a redemption) has its state
//! cleared, and [`DeleverageEnded`] is logged ([`end_if_at_cap`]).

use {
    crate::{
        event,
        oracle::read_price,
        state::{clock, load_mut},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, DeleverageSide, NoArgs},
        logic::{
            deleverage::{end_if_at_cap, DELEVERAGE_ENDED_TAG},
            interest::accrue,
        },
        state::Reserve,
    },
    pinocchio::{AccountView, ProgramResult},
};

#[cfg(doc)]
use ballast_interface::{
    logic::deleverage::DeleverageEnded,
    state::{PRICE_FULLY_CHECKED, PRICE_LOADED},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [reserve_account, rest @ ..] = accounts else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: none.
    parse_args::<NoArgs>(data)?;

    // 2. The reserve: program-owned, writable, a reserve of the current layout.
    let reserve_address = *reserve_account.address();
    let mut reserve = load_mut::<Reserve>(reserve_account, program_id)?;
    let clock = clock()?;

    // 3. Interest, computed on a copy so that an error leaves the account untouched.
    let mut next: Reserve = *reserve;
    accrue(&mut next, clock.slot)?;

    // 4. The price account, when passed.
    match rest.first() {
        Some(price_account) => {
            let price =
                read_price(price_account, &next.config, clock.unix_timestamp, next.price_timestamp.get())?;
            next.price_sf.set(price.price.raw());
            next.price_timestamp.set(price.publish_time);
            next.price_status = price.status;
        }
        None => next.price_status = 0,
    }

    // 5. A deleverage whose side is back at or under its cap ends (interest only raises the totals, so
    //    this follows a repay or a redemption).
    let ended = [DeleverageSide::Supply, DeleverageSide::Borrow]
        .map(|side| end_if_at_cap(&mut next, &reserve_address, side));

    *reserve = next;
    drop(reserve);
    for ended in ended.iter().flatten() {
        event::emit(DELEVERAGE_ENDED_TAG, ended);
    }
    Ok(())
}
