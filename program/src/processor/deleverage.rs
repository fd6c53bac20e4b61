//! Deleverage: one step of a running deleverage on one obligation, by anyone, once the margin call is over.
//!
//! The obligation must hold the target asset and have an LTV above the deleverage LTV, which starts at the
//! target's liquidation threshold when the margin call ends and falls by 1 bps every `slots_per_bps` slots,
//! so the most leveraged positions become eligible first. The executor repays debt of the repay reserve and
//! receives liquidity of the withdraw reserve worth the repaid value × (1 + penalty), redeemed from the
//! obligation's collateral there. The penalty is `min + LTV × days since the margin call ended` (percent
//! points per day), capped at the lowest max liquidation bonus among every reserve of the obligation and at
//! 1 − LTV without borrow factors. Each step takes at most the obligation's proportional share of the excess
//! (`ceil(amount × excess / total)`) and never more than the remaining excess, except that a borrow-side share
//! worth less than one base unit of collateral is raised to the smallest repayment that buys one (the last
//! steps would otherwise never complete). No protocol fee is taken.
//!
//! - Supply side: the target is the withdraw reserve's total supply; the step takes at most that share of
//!   the obligation's target collateral (in liquidity).
//! - Borrow side: the target is the repay reserve's borrowed total; the step repays at most that share of
//!   the obligation's target debt, and any collateral of the obligation pays for it.
//!
//! The deleverage ends by itself: when the target total is already at or under the cap this instruction
//! clears the side's state and returns without moving funds, and a step that brings the total to the cap
//! clears it too (both log [`DeleverageEnded`]). A step logs [`Deleveraged`] and marks the obligation stale.
//!
//! Accounts:
//! 0. `[w]` obligation: refreshed in this slot with loaded prices.
//! 1. `[]` market.
//! 2. `[w]` repay reserve: refreshed in this slot; the obligation's debt the executor repays.
//! 3. `[w]` withdraw reserve: refreshed in this slot; the obligation's collateral the executor receives.
//! 4. `[s]` executor.
//! 5. `[w]` executor source: token account of the repay reserve's liquidity mint.
//! 6. `[w]` executor destination: token account of the withdraw reserve's liquidity mint.
//! 7. `[w]` repay vault: the repay reserve's liquidity vault.
//! 8. `[w]` withdraw vault: the withdraw reserve's liquidity vault.
//! 9. `[]` market authority.
//! 10. `[]` token program: SPL Token.
//! 11. and on: `[]` every other reserve of the obligation (deposits and borrows), in any order.
//!
//! Data: [`DeleverageArgs`]: side u8 (0 supply: target = withdraw reserve; 1 borrow: target = repay
//! reserve), max repay (tokens, non-zero; `u64::MAX` for as much as allowed), min received (tokens of the
//! withdraw reserve's liquidity).

use {
    super::liquidate::{require_ready_obligation, require_ready_reserve, settle},
    crate::{
        event,
        state::{clock, load, load_mut},
        token::{require_token_account_mint, require_token_program},
        validation::{require_distinct, require_signer, require_vault, require_writable},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, DeleverageArgs, DeleverageSide},
        logic::deleverage::{
            deleverage_into, DeleverageAccounts, DeleverageKind, DeleverageLog, DeleverageParams,
            DELEVERAGED_TAG, DELEVERAGE_ENDED_TAG,
        },
        state::{Market, Obligation, Reserve},
    },
    pinocchio::{AccountView, ProgramResult},
    solana_address::address_eq,
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [obligation_account, market_account, repay_reserve_account, withdraw_reserve_account, executor, source, destination, repay_vault, withdraw_vault, market_authority, token_program, other_reserves @ ..] =
        accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: exact length, a known side, a non-zero repay bound.
    let args = parse_args::<DeleverageArgs>(data)?;
    let side = DeleverageSide::from_u8(args.side)?;
    let max_repay = args.max_repay.get();
    if max_repay == 0 {
        return Err(BallastError::ZeroAmount.into());
    }

    // 2. Signers: the executor.
    require_signer(executor)?;

    // 3. Market, its authority, the token program.
    let market = load::<Market>(market_account, program_id)?;
    if !address_eq(market_authority.address(), &market.authority) {
        return Err(BallastError::InvalidPda.into());
    }
    require_token_program(token_program)?;

    // 4. Reserves: distinct, writable, of this market, refreshed in this slot with a loaded price. The
    //    addresses are read through copies of the views, which stay readable while the data is borrowed.
    require_distinct(repay_reserve_account, withdraw_reserve_account)?;
    let slot = clock()?.slot;
    let repay_key = *repay_reserve_account;
    let withdraw_key = *withdraw_reserve_account;
    let obligation_key = *obligation_account;
    let (repay_reserve_address, withdraw_reserve_address) = (repay_key.address(), withdraw_key.address());
    let mut repay_reserve = load_mut::<Reserve>(repay_reserve_account, program_id)?;
    let mut withdraw_reserve = load_mut::<Reserve>(withdraw_reserve_account, program_id)?;
    require_ready_reserve(&repay_reserve, market_account, slot)?;
    require_ready_reserve(&withdraw_reserve, market_account, slot)?;

    // 5. Obligation: writable, of this market, refreshed in this slot with loaded prices (the LTV and the
    //    penalty come from its cached health).
    let mut obligation = load_mut::<Obligation>(obligation_account, program_id)?;
    require_ready_obligation(&obligation, market_account, slot)?;

    // 6. Vaults are the reserves' own; the executor's accounts hold the right mints and are not vaults (a
    //    vault paying itself would leave its balance while the reserve's available amount moves).
    require_vault(repay_vault, &repay_reserve.liquidity_vault)?;
    require_vault(withdraw_vault, &withdraw_reserve.liquidity_vault)?;
    // Every token account moves tokens: refused here with its own error rather than by the runtime.
    require_writable(repay_vault)?;
    require_writable(withdraw_vault)?;
    require_writable(source)?;
    require_writable(destination)?;
    require_token_account_mint(source, &repay_reserve.liquidity_mint)?;
    require_token_account_mint(destination, &withdraw_reserve.liquidity_mint)?;
    require_distinct(source, repay_vault)?;
    require_distinct(destination, repay_vault)?;
    require_distinct(destination, withdraw_vault)?;

    // 7. Penalty cap: the lowest max liquidation bonus among every reserve of the obligation. Reserves other
    //    than the two above must be passed after the fixed accounts.
    let mut penalty_cap_bps = repay_reserve
        .config
        .max_liquidation_bonus_bps
        .get()
        .min(withdraw_reserve.config.max_liquidation_bonus_bps.get());
    let held = obligation
        .deposits()
        .iter()
        .map(|d| &d.reserve)
        .chain(obligation.borrows().iter().map(|b| &b.reserve));
    // Clients pass the other reserves in the obligation's order, so the next one is looked at first and the
    // search over all of them only runs for another order.
    let mut next = 0usize;
    for reserve_address in held {
        if address_eq(reserve_address, repay_reserve_address)
            || address_eq(reserve_address, withdraw_reserve_address)
        {
            continue;
        }
        let in_order =
            other_reserves.get(next).filter(|account| address_eq(account.address(), reserve_address));
        next = next.saturating_add(1);
        let account = match in_order {
            Some(account) => account,
            None => other_reserves
                .iter()
                .find(|account| address_eq(account.address(), reserve_address))
                .ok_or(BallastError::ObligationReserveMismatch)?,
        };
        let reserve = load::<Reserve>(account, program_id)?;
        if !address_eq(&reserve.market, market_account.address()) {
            return Err(BallastError::MarketMismatch.into());
        }
        penalty_cap_bps = penalty_cap_bps.min(reserve.config.max_liquidation_bonus_bps.get());
    }

    // 8. The step: eligibility, penalty and amounts, all checked before the state is written.
    let params =
        DeleverageParams { side, slot, max_repay, min_received: args.min_received.get(), penalty_cap_bps };
    let mut log = DeleverageLog::default();
    let kind = deleverage_into(
        &mut DeleverageAccounts {
            obligation: &mut obligation,
            obligation_address: obligation_key.address(),
            repay_reserve: &mut repay_reserve,
            repay_reserve_address,
            withdraw_reserve: &mut withdraw_reserve,
            withdraw_reserve_address,
        },
        &params,
        &mut log,
    )?;
    drop(obligation);
    drop(repay_reserve);
    drop(withdraw_reserve);

    if kind == DeleverageKind::Ended {
        event::emit(DELEVERAGE_ENDED_TAG, &log.ended);
        return Ok(());
    }
    event::emit(DELEVERAGED_TAG, &log.step);
    if log.step.ended != 0 {
        event::emit(DELEVERAGE_ENDED_TAG, &log.ended);
    }

    // 9. Tokens: the executor repays, then receives the redeemed collateral from the withdraw vault (a
    //    step's `received` is never zero).
    let bump = market.authority_bump;
    drop(market);
    settle(accounts, bump, log.step.repaid.get(), log.step.received.get())
}
