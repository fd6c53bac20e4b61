//! Liquidate: repays part of a liquidatable obligation's debt and pays the liquidator collateral worth the
//! repay plus a bonus, redeemed at once into the withdraw reserve's liquidity.
//!
//! Reasons, first that applies: the LTV (with borrow factors) is at or over the liquidation threshold and
//! the market has not paused price-triggered liquidations. Then the deleverage reason: when the withdraw
//! reserve's supply or the repay reserve's borrows are under a deleverage whose margin call is over and whose
//! total is still above the cap, and the obligation (holding both legs) is above the current deleverage LTV,
//! Liquidate refuses with `ObligationDeleverageable`: such a position is reduced only by Deleverage, with the
//! deleverage's proportional amount and penalty instead of a liquidation bonus, so the executor is pointed
//! there rather than paid twice for one cause. Otherwise `ObligationHealthy`, or
//! `PriceTriggeredLiquidationDisabled` when only the paused reason held. With the LTV reason the riskiest
//! legs go first: the debt with the highest borrow factor and the collateral with the lowest liquidation
//! threshold, unless the chosen leg is worth less than the market's skip value.
//!
//! Amounts ([`ballast_interface::logic::liquidation::plan_liquidation`]): bonus = LTV overshoot clamped to
//! [min, max] of the pair, the floor rising per slot since the obligation became liquidatable, capped by the
//! distance to bad debt (the bad-debt bonus from 99% LTV without borrow factors); repay at most the close
//! factor of the whole debt value (100% from the insolvency LTV), the borrow, and the market's value at once;
//! a borrow worth less than the full-liquidation value is repaid whole.
//!
//! Effects. Repay reserve: borrowed −= settled debt, available += repay (the liquidator transfers it into the
//! vault). Withdraw reserve: the seized cTokens (already burned when deposited) leave `collateral_supply`;
//! their liquidity is redeemed; the protocol's share of the bonus
//! (`protocol_liquidation_fee_bps`, rounded up, at least 1 unit when the rate is non-zero) stays in the vault
//! as protocol fees and the rest goes to the liquidator, so available −= redeemed − fee and the vault still
//! holds exactly `available_amount`. The obligation loses the settled debt and the seized cTokens, its
//! cached values are lowered (collateral side rounded up, debt side down) and it is marked stale.
//!
//! The repay and withdraw reserves may be the same reserve (pass the same reserve and vault twice): both
//! legs are then applied to that one account.
//!
//! Accounts:
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
//! Data: [`LiquidateArgs`]: `repay_amount` (`u64::MAX`: as much as allowed), `min_received` (the liquidator's
//! slippage bound on the liquidity it receives, after the protocol fee; `LiquidationSlippage` below it).

use {
    crate::{
        state::{clock, load, load_mut, require_fresh_reserve, require_market},
        token::{
            market_authority_seeds, require_token_account_mint, require_token_program, transfer,
            transfer_from_vault,
        },
        validation::{require_distinct, require_signer, require_vault, require_writable},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, LiquidateArgs},
        logic::{
            liquidation::{
                apply_repay, apply_to_obligation, apply_withdraw, plan_into, LiquidationPlan,
                LiquidationRequest, MarketRisk, ReservePair,
            },
            obligation::require_fresh_obligation,
        },
        state::{Market, Obligation, Reserve, PRICE_LOADED},
    },
    pinocchio::{cpi::Signer, AccountView, Address, ProgramResult},
    solana_address::address_eq,
};

/// Which of the two instructions runs; they share accounts, checks and effects.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Liquidate,
    PreLiquidate,
}

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    execute_call(&mut Call { accounts, data, mode: Mode::Liquidate })
}

/// One call of [`execute`] for either instruction. Liquidate and PreLiquidate both go through
/// [`execute_call`], so the binary holds one copy of their shared body instead of two; the call travels in
/// a struct because BPF passes at most five argument registers.
pub(crate) struct Call<'a> {
    pub accounts: &'a mut [AccountView],
    pub data: &'a [u8],
    pub mode: Mode,
}

#[inline(never)]
pub(crate) fn execute_call(call: &mut Call<'_>) -> ProgramResult {
    execute(&crate::ID, call.accounts, call.data, call.mode)
}

/// The obligation of a liquidation or a deleverage: of this market, refreshed in `slot`, prices loaded.
#[inline(never)]
pub(crate) fn require_ready_obligation(
    obligation: &Obligation,
    market: &AccountView,
    slot: u64,
) -> Result<(), BallastError> {
    require_market(&obligation.market, market)?;
    require_fresh_obligation(obligation, slot)?;
    require_price_loaded(obligation.price_status)
}

/// A reserve of a liquidation or a deleverage: of this market, refreshed in `slot`, price loaded.
#[inline(never)]
pub(crate) fn require_ready_reserve(
    reserve: &Reserve,
    market: &AccountView,
    slot: u64,
) -> Result<(), BallastError> {
    require_market(&reserve.market, market)?;
    require_fresh_reserve(reserve, slot)?;
    require_price_loaded(reserve.price_status)
}

fn require_price_loaded(status: u8) -> Result<(), BallastError> {
    if status & PRICE_LOADED != 0 {
        Ok(())
    } else {
        Err(BallastError::PriceNotLoaded)
    }
}

// Inlined into each processor: its slice arguments would otherwise take more registers than a BPF call has.
#[inline(always)]
pub(crate) fn execute(
    program_id: &Address,
    accounts: &mut [AccountView],
    data: &[u8],
    mode: Mode,
) -> ProgramResult {
    let [obligation_account, market_account, repay_account, withdraw_account, liquidator, source, destination, repay_vault, withdraw_vault, market_authority, token_program, ..] =
        accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: exact length, a non-zero repay.
    let args = parse_args::<LiquidateArgs>(data)?;
    let requested = args.repay_amount.get();
    if requested == 0 {
        return Err(BallastError::ZeroAmount.into());
    }

    // 2. Signers: the liquidator.
    require_signer(liquidator)?;

    // 3. Market.
    let slot = clock()?.slot;
    let market = load::<Market>(market_account, program_id)?;

    // 4. Obligation: of this market, refreshed in this slot with loaded prices.
    let mut obligation = load_mut::<Obligation>(obligation_account, program_id)?;
    require_ready_obligation(&obligation, market_account, slot)?;

    // 5. Reserves: of this market, refreshed in this slot with loaded prices. The same reserve on both sides
    //    is borrowed once. The addresses are read through copies of the views, which stay readable while
    //    the accounts' data is borrowed.
    let repay_key = *repay_account;
    let withdraw_key = *withdraw_account;
    let same = address_eq(repay_key.address(), withdraw_key.address());
    let mut repay = load_mut::<Reserve>(repay_account, program_id)?;
    let mut withdraw = if same { None } else { Some(load_mut::<Reserve>(withdraw_account, program_id)?) };
    require_ready_reserve(&repay, market_account, slot)?;
    if let Some(withdraw) = withdraw.as_deref() {
        require_ready_reserve(withdraw, market_account, slot)?;
    }

    // 6. Token accounts: the SPL Token program, the market authority, the reserves' own vaults, and the
    //    liquidator's accounts of the right mints, distinct from the vaults.
    require_token_program(token_program)?;
    if !address_eq(market_authority.address(), &market.authority) {
        return Err(BallastError::InvalidPda.into());
    }
    let mut plan = LiquidationPlan::default();
    {
        let withdraw_state: &Reserve = withdraw.as_deref().unwrap_or(&repay);
        require_vault(repay_vault, &repay.liquidity_vault)?;
        require_vault(withdraw_vault, &withdraw_state.liquidity_vault)?;
        // Every token account moves tokens: refused here with its own error rather than by the runtime at
        // the transfer.
        require_writable(repay_vault)?;
        require_writable(withdraw_vault)?;
        require_writable(source)?;
        require_writable(destination)?;
        require_distinct(source, repay_vault)?;
        require_distinct(destination, withdraw_vault)?;
        require_token_account_mint(source, &repay.liquidity_mint)?;
        require_token_account_mint(destination, &withdraw_state.liquidity_mint)?;

        // 7. The liquidation itself: reason, priority, bonus or incentive, amounts.
        let risk;
        let market_risk = match mode {
            Mode::Liquidate => {
                risk = MarketRisk::from_market(&market);
                Some(&risk)
            }
            Mode::PreLiquidate => None,
        };
        let request = LiquidationRequest {
            obligation: &obligation,
            pair: ReservePair {
                repay_address: repay_key.address(),
                repay: &repay,
                withdraw_address: withdraw_key.address(),
                withdraw: withdraw_state,
            },
            market: market_risk,
            slot,
            requested,
        };
        plan_into(&request, &mut plan)?;
    }

    // 8. Slippage.
    if plan.received < args.min_received.get() {
        return Err(BallastError::LiquidationSlippage.into());
    }

    // State writes.
    apply_repay(&mut repay, &plan);
    apply_withdraw(withdraw.as_deref_mut().unwrap_or(&mut repay), &plan);
    apply_to_obligation(&mut obligation, &plan);
    let bump = market.authority_bump;
    drop(repay);
    drop(withdraw);
    drop(obligation);
    drop(market);

    // Token transfers: the repay in, the redeemed liquidity (less the protocol fee) out.
    settle(accounts, bump, plan.repay, plan.received)
}

/// The token movements that end a liquidation or a deleverage, whose accounts sit at the same positions
/// (1 market, 4 payer, 5 source, 6 destination, 7 repay vault, 8 withdraw vault, 9 market authority):
/// `repay` from the source into the repay vault, signed by the payer, then `received` (when non-zero) from
/// the withdraw vault to the destination, signed by the market authority. One copy of the CPI code for
/// both processors.
#[inline(never)]
pub(crate) fn settle(accounts: &[AccountView], bump: u8, repay: u64, received: u64) -> ProgramResult {
    let [_, market, _, _, payer, source, destination, repay_vault, withdraw_vault, market_authority, ..] =
        accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };
    transfer(source, repay_vault, payer, repay)?;
    if received > 0 {
        let bump = [bump];
        let seeds = market_authority_seeds(market.address(), &bump);
        let signer = Signer::from(&seeds);
        transfer_from_vault(withdraw_vault, destination, market_authority, received, &signer)?;
    }
    Ok(())
}
