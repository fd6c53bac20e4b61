//! PreLiquidate: on an obligation whose owner opted in (SetPreLiquidation), repays part of one borrow while
//! the LTV is strictly between the owner's pre-liquidation LTV and the liquidation threshold, and pays the
//! liquidator collateral worth repay × incentive, redeemed at once (the Morpho pre-liquidation model).
//!
//! With `q = (LTV − pre_LTV) / (LT − pre_LTV)`, one call repays at most
//! `close_factor_start + q·(close_factor_end − close_factor_start)` of this borrow, and the incentive is
//! `incentive_start + q·(incentive_end − incentive_start)`, capped at floor(1 / LT) of the position now so
//! that every pre-liquidation lowers the LTV. Refused with `ObligationLiquidatable` once the position is
//! liquidatable (use Liquidate), `NotPreLiquidatable` at or below the pre-liquidation LTV, and
//! `PreLiquidationDisabled` when the owner has not opted in.
//!
//! Effects, protocol fee on the incentive part, same-reserve handling and slippage bound: as Liquidate.
//!
//! Accounts (as Liquidate):
//! 0. `[w]` obligation: refreshed in this slot, prices loaded.
//! 1. `[]` market
//! 2. `[w]` repay reserve: refreshed in this slot, price loaded.
//! 3. `[w]` withdraw (collateral) reserve: refreshed in this slot, price loaded.
//! 4. `[s]` liquidator
//! 5. `[w]` liquidator's source token account (repay reserve's liquidity mint)
//! 6. `[w]` liquidator's destination token account (withdraw reserve's liquidity mint)
//! 7. `[w]` repay reserve's liquidity vault
//! 8. `[w]` withdraw reserve's liquidity vault
//! 9. `[]` market authority
//! 10. `[]` token program (SPL Token)
//!
//! Data: [`ballast_interface::instruction::LiquidateArgs`]: `repay_amount` (`u64::MAX`: as much as
//! allowed), `min_received`.

use {
    super::liquidate::{execute_call, Call, Mode},
    pinocchio::{AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    execute_call(&mut Call { accounts, data, mode: Mode::PreLiquidate })
}
