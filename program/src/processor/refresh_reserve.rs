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

    // 3. The price account, when passed: read and checked before anything is written. Accrual changes
    //    neither the config nor the stored publish time the checks read.
    let price = match rest.first() {
        Some(price_account) => Some(read_price(
            price_account,
            &reserve.config,
            clock.unix_timestamp,
            reserve.price_timestamp.get(),
        )?),
        None => None,
    };

    // 4. Interest. `accrue` computes every value before it writes any, so an error leaves the account
    //    untouched; working in place spares two copies of the whole reserve.
    accrue(&mut reserve, clock.slot)?;

    // 5. The price.
    match price {
        Some(price) => {
            reserve.price_sf.set(price.price.raw());
            reserve.price_timestamp.set(price.publish_time);
            reserve.price_status = price.status;
        }
        None => reserve.price_status = 0,
    }

    // 6. A deleverage whose side is back at or under its cap ends (interest only raises the totals, so
    //    this follows a repay or a redemption). It cannot fail: a corrupted flag is left for its owner.
    let ended = [DeleverageSide::Supply, DeleverageSide::Borrow]
        .map(|side| end_if_at_cap(&mut reserve, &reserve_address, side));
    drop(reserve);
    for ended in ended.iter().flatten() {
        event::emit(DELEVERAGE_ENDED_TAG, ended);
    }
    Ok(())
}
