//! Auto-deleverage transitions: starting and cancelling a cap cut on one side of a reserve, one deleverage
//! step on an obligation, and the cap check that deposits and borrows apply while a cut runs.
//!
//! Totals are in liquidity tokens. The supply-side total is the reserve's total liquidity
//! (available + borrowed − protocol fees) rounded down; the borrow-side total is the borrowed amount rounded
//! up. A deleverage ends by itself: whichever instruction observes the total at or under the cap clears the
//! side's state ([`deleverage`] does, before moving any funds, and after its own step).
//!
//! Lenders never pay for a deleverage. The withdraw reserve loses `received` liquidity and at least the
//! cTokens that liquidity is worth (rounded up), and the repay reserve gains at least the debt it settles
//! (rounded up), so neither cToken exchange rate ever falls; both stay equal when the conversions are exact.

use {
    crate::{
        error::BallastError,
        instruction::DeleverageSide,
        pod::{Flag, Le128, Le16, Le64},
        state::{DeleverageState, Obligation, Reserve},
    },
    ballast_math::{deleverage as math, health::Health, reserve as reserve_math, value, Fraction, MathError},
    bytemuck::{Pod, Zeroable},
    solana_address::Address,
};

/// `sol_log_data` tag of [`DeleverageStarted`].
pub const DELEVERAGE_STARTED_TAG: &[u8] = b"ballast:deleverage_started";
/// `sol_log_data` tag of [`Deleveraged`].
pub const DELEVERAGED_TAG: &[u8] = b"ballast:deleveraged";
/// `sol_log_data` tag of [`DeleverageEnded`].
pub const DELEVERAGE_ENDED_TAG: &[u8] = b"ballast:deleverage_ended";

/// [`DeleverageEnded::reason`]: the total came down to the cap.
pub const ENDED_CAP_REACHED: u8 = 0;
/// [`DeleverageEnded::reason`]: the risk council cancelled it.
pub const ENDED_CANCELLED: u8 = 1;

/// Logged by `StartDeleverage`: everything a notifier needs to warn the affected borrowers.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct DeleverageStarted {
    pub reserve: Address,
    pub side: u8,
    /// The side's total when the cap was cut, in liquidity tokens.
    pub total: Le64,
    pub new_cap: Le64,
    pub start_slot: Le64,
    pub margin_call_end_slot: Le64,
    pub slots_per_bps: Le64,
    pub min_penalty_bps: Le16,
    /// Liquidation threshold of the reserve: the deleverage LTV starts here when the margin call ends.
    pub liquidation_threshold_bps: Le16,
}

/// Logged by `Deleverage` after a step that moved funds.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct Deleveraged {
    pub obligation: Address,
    pub repay_reserve: Address,
    pub withdraw_reserve: Address,
    pub side: u8,
    /// Liquidity tokens the executor paid into the repay vault.
    pub repaid: Le64,
    /// Debt removed from the obligation, raw `Fraction` of liquidity tokens.
    pub settled_sf: Le128,
    /// Withdraw-reserve liquidity tokens the executor received.
    pub received: Le64,
    /// cTokens taken off the obligation's deposit.
    pub seized_collateral: Le64,
    /// Penalty rate applied, raw `Fraction`.
    pub penalty_sf: Le128,
    /// Obligation LTV (with borrow factors) at the step, raw `Fraction`.
    pub ltv_sf: Le128,
    /// Deleverage LTV the obligation exceeded, raw `Fraction`.
    pub deleverage_ltv_sf: Le128,
    /// The target side's total after the step, in liquidity tokens.
    pub total_after: Le64,
    /// 1 when this step brought the total to the cap and ended the deleverage.
    pub ended: u8,
}

/// Logged when a deleverage stops: the cap was reached, or the council cancelled it.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct DeleverageEnded {
    pub reserve: Address,
    pub side: u8,
    /// [`ENDED_CAP_REACHED`] or [`ENDED_CANCELLED`].
    pub reason: u8,
    pub total: Le64,
    pub target_cap: Le64,
}

/// Supply-side total: available + borrowed − protocol fees, rounded down to tokens (the smaller total keeps
/// a deleverage from taking more than the excess).
pub fn supply_total(reserve: &Reserve) -> Result<u64, BallastError> {
    let total = reserve_math::total_liquidity(
        reserve.available_amount.get(),
        Fraction::from_raw(reserve.borrowed_amount_sf.get()),
        Fraction::from_raw(reserve.protocol_fees_sf.get()),
    )?;
    Ok(total.to_u64_floor()?)
}

/// Borrow-side total: the borrowed amount including interest, rounded up to tokens (debt is owed).
pub fn borrow_total(reserve: &Reserve) -> Result<u64, BallastError> {
    Ok(Fraction::from_raw(reserve.borrowed_amount_sf.get()).to_u64_ceil()?)
}

/// The total that `side` of a deleverage measures.
pub fn side_total(reserve: &Reserve, side: DeleverageSide) -> Result<u64, BallastError> {
    match side {
        DeleverageSide::Supply => supply_total(reserve),
        DeleverageSide::Borrow => borrow_total(reserve),
    }
}

/// Whether a deleverage runs on `side`; a flag byte other than 0 or 1 is refused.
pub fn is_active(reserve: &Reserve, side: DeleverageSide) -> Result<bool, BallastError> {
    deleverage_state(reserve, side).active.get().ok_or(BallastError::CorruptedAccountFlag)
}

fn deleverage_state(reserve: &Reserve, side: DeleverageSide) -> &DeleverageState {
    // `index()` is 0 or 1 and the array has two entries.
    &reserve.deleverage[side.index()]
}

/// The check deposits (supply side) and borrows (borrow side) apply while a deleverage runs: an operation
/// that would leave the side's total at `new_total` is refused when that is above the new cap and above the
/// current total, i.e. when it pushes the total further above the cap. Operations that lower the total, and
/// every operation while no deleverage runs on `side`, pass.
///
/// `reserve` is the state before the operation.
pub fn check_deleverage_cap(
    reserve: &Reserve,
    side: DeleverageSide,
    new_total: u64,
) -> Result<(), BallastError> {
    if !is_active(reserve, side)? {
        return Ok(());
    }
    let cap = deleverage_state(reserve, side).target_cap.get();
    if new_total > cap && new_total > side_total(reserve, side)? {
        return Err(BallastError::DeleverageCapExceeded);
    }
    Ok(())
}

/// Whether an obligation at `ltv` (with borrow factors) may be deleveraged on `side` of `target` at `slot`,
/// as far as the reserve decides: a deleverage runs on the side (a corrupted flag reads as none), its total
/// is still above the cap, the margin call is over, and `ltv` exceeds the current deleverage LTV. Whether
/// the obligation holds the target asset and its counterpart is the caller's to check. Liquidate uses it to
/// point an obligation it may not liquidate to Deleverage.
pub fn deleverage_open_for(target: &Reserve, side: DeleverageSide, ltv: Fraction, slot: u64) -> bool {
    let state = deleverage_state(target, side);
    if state.active.get() != Some(true) {
        return false;
    }
    if !side_total(target, side).is_ok_and(|total| total > state.target_cap.get()) {
        return false;
    }
    let Some(since_end) = slot.checked_sub(state.margin_call_end_slot.get()) else {
        return false;
    };
    let threshold = math::deleverage_ltv(
        Fraction::from_bps(u64::from(target.config.liquidation_threshold_bps.get())),
        since_end,
        state.slots_per_bps.get(),
    );
    math::is_eligible(ltv, threshold)
}

/// Parameters of [`start_deleverage`], as decoded from `StartDeleverageArgs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartParams {
    pub side: DeleverageSide,
    pub new_cap: u64,
    /// 0 selects [`crate::instruction::DEFAULT_MARGIN_CALL_SLOTS`].
    pub margin_call_slots: u64,
    pub slots_per_bps: u64,
    pub min_penalty_bps: u16,
}

/// Cuts `params.side`'s cap of `reserve` (at `reserve_address`) at `slot` and opens the margin call.
///
/// Refuses, in order: a zero `slots_per_bps` (`ZeroAmount`), a corrupted flag, a deleverage already running
/// on the side (`DeleverageAlreadyActive`), a cap not below the current total (`DeleverageCapNotBelowTotal`),
/// a minimum penalty above the reserve's max liquidation bonus (`DeleveragePenaltyTooHigh`). Writes nothing
/// on error.
pub fn start_deleverage(
    reserve: &mut Reserve,
    reserve_address: &Address,
    params: &StartParams,
    slot: u64,
) -> Result<DeleverageStarted, BallastError> {
    if params.slots_per_bps == 0 {
        return Err(BallastError::ZeroAmount);
    }
    if is_active(reserve, params.side)? {
        return Err(BallastError::DeleverageAlreadyActive);
    }
    let total = side_total(reserve, params.side)?;
    if params.new_cap >= total {
        return Err(BallastError::DeleverageCapNotBelowTotal);
    }
    if params.min_penalty_bps > reserve.config.max_liquidation_bonus_bps.get() {
        return Err(BallastError::DeleveragePenaltyTooHigh);
    }
    let margin_call_slots = if params.margin_call_slots == 0 {
        crate::instruction::DEFAULT_MARGIN_CALL_SLOTS
    } else {
        params.margin_call_slots
    };
    let margin_call_end_slot = slot.checked_add(margin_call_slots).ok_or(BallastError::MathOverflow)?;

    reserve.deleverage[params.side.index()] = DeleverageState {
        active: Flag::ON,
        padding: [0; 5],
        min_penalty_bps: Le16::new(params.min_penalty_bps),
        target_cap: Le64::new(params.new_cap),
        start_slot: Le64::new(slot),
        margin_call_end_slot: Le64::new(margin_call_end_slot),
        slots_per_bps: Le64::new(params.slots_per_bps),
    };
    Ok(DeleverageStarted {
        reserve: *reserve_address,
        side: params.side as u8,
        total: Le64::new(total),
        new_cap: Le64::new(params.new_cap),
        start_slot: Le64::new(slot),
        margin_call_end_slot: Le64::new(margin_call_end_slot),
        slots_per_bps: Le64::new(params.slots_per_bps),
        min_penalty_bps: Le16::new(params.min_penalty_bps),
        liquidation_threshold_bps: reserve.config.liquidation_threshold_bps,
    })
}

/// Stops the deleverage on `side` (`DeleverageNotActive` when none runs) and clears its state.
pub fn cancel_deleverage(
    reserve: &mut Reserve,
    reserve_address: &Address,
    side: DeleverageSide,
) -> Result<DeleverageEnded, BallastError> {
    if !is_active(reserve, side)? {
        return Err(BallastError::DeleverageNotActive);
    }
    let total = side_total(reserve, side)?;
    Ok(end(reserve, reserve_address, side, total, ENDED_CANCELLED))
}

/// The observation RefreshReserve makes: when a deleverage runs on `side` and the side's total is at or
/// under its cap, the state is cleared and the end returned (to be logged). Anything else, including a
/// corrupted flag byte or a total that cannot be computed, leaves the reserve as it is: a refresh never fails
/// on this observation, and Deleverage still refuses a corrupted flag.
pub fn end_if_at_cap(
    reserve: &mut Reserve,
    reserve_address: &Address,
    side: DeleverageSide,
) -> Option<DeleverageEnded> {
    if deleverage_state(reserve, side).active.get() != Some(true) {
        return None;
    }
    let total = side_total(reserve, side).ok()?;
    if total > deleverage_state(reserve, side).target_cap.get() {
        return None;
    }
    Some(end(reserve, reserve_address, side, total, ENDED_CAP_REACHED))
}

fn end(
    reserve: &mut Reserve,
    reserve_address: &Address,
    side: DeleverageSide,
    total: u64,
    reason: u8,
) -> DeleverageEnded {
    let target_cap = deleverage_state(reserve, side).target_cap;
    reserve.deleverage[side.index()] = DeleverageState::default();
    DeleverageEnded {
        reserve: *reserve_address,
        side: side as u8,
        reason,
        total: Le64::new(total),
        target_cap,
    }
}

/// Inputs of one [`deleverage`] step besides the accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeleverageParams {
    pub side: DeleverageSide,
    pub slot: u64,
    /// Most liquidity the executor repays (`u64::MAX`: as much as allowed); non-zero.
    pub max_repay: u64,
    /// Fewest withdraw-reserve liquidity tokens the executor accepts.
    pub min_received: u64,
    /// Lowest max liquidation bonus among every reserve of the obligation, bps: the penalty's ceiling.
    pub penalty_cap_bps: u16,
}

/// What one [`deleverage`] call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleverageOutcome {
    /// The target total was already at or under the cap: the state is cleared and nothing else changed.
    Ended(DeleverageEnded),
    /// A step: the executor pays `repaid` into the repay vault and receives `received` from the withdraw
    /// vault; `ended` is set when the step brought the total to the cap.
    Step { step: Deleveraged, ended: Option<DeleverageEnded> },
}

/// What one [`deleverage_into`] call did; its events are in the [`DeleverageLog`] it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleverageKind {
    /// The target total was already at or under the cap: `ended` is set and nothing else changed.
    Ended,
    /// A step: `step` is set, and `ended` too when `step.ended` is 1.
    Step,
}

/// The events of one [`deleverage_into`] call, written in place (the program logs them from there).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeleverageLog {
    pub step: Deleveraged,
    pub ended: DeleverageEnded,
}

/// Accounts of one [`deleverage`] step.
pub struct DeleverageAccounts<'a> {
    pub obligation: &'a mut Obligation,
    pub obligation_address: &'a Address,
    /// Reserve of the debt the executor repays (the target on the borrow side).
    pub repay_reserve: &'a mut Reserve,
    pub repay_reserve_address: &'a Address,
    /// Reserve of the collateral the executor receives (the target on the supply side).
    pub withdraw_reserve: &'a mut Reserve,
    pub withdraw_reserve_address: &'a Address,
}

/// The amounts of a step, computed before anything is written.
#[derive(Default)]
struct Plan {
    repaid: u64,
    settled: Fraction,
    remaining_debt: Fraction,
    received: u64,
    seized: u64,
    penalty: Fraction,
    ltv: Fraction,
    threshold: Fraction,
    borrow_index: usize,
    deposit_index: usize,
}

/// One deleverage step on an obligation. The caller has checked the accounts (market, freshness of both
/// reserves and the obligation, loaded prices) and passes the lowest max liquidation bonus of every reserve
/// the obligation holds.
///
/// 1. The target side (the withdraw reserve's supply, or the repay reserve's borrows) must be under
///    deleverage (`DeleverageNotActive`). If its total is already at or under the cap, the state is cleared
///    and [`DeleverageOutcome::Ended`] returned: this is how a deleverage ends by itself.
/// 2. The margin call must be over (`MarginCallActive`); the obligation must hold the target asset
///    (`DeleverageAssetNotHeld`), a borrow in the repay reserve (`BorrowNotFound`) and a deposit in the
///    withdraw reserve (`DepositNotFound`); its LTV must exceed
///    `deleverage_ltv(target LT, slots since the margin call ended, slots_per_bps)` (`NotDeleverageable`).
/// 3. Penalty `p = min(deleverage_penalty(min, LTV, slots since end, cap), 1 − LTV without borrow factors)`:
///    the second bound keeps a solvent position from being pushed into bad debt.
/// 4. The collateral the step may take is, on the supply side, `deleverage_amount(deposit in liquidity,
///    excess, total)`, and on the borrow side the whole deposit; both within the vault's available
///    liquidity. The executor repays `r` = the least of `max_repay`, the debt (rounded up), what pays for
///    that collateral at `1 + p` (rounded up), and on the borrow side the proportional share
///    `deleverage_amount(debt, excess, total)`. When that share is worth less than one base unit of
///    collateral at `1 + p`, it is raised to the smallest repayment that buys one unit, so that the last steps
///    can always complete: such a borrow-side step may pass the cap by less than one collateral unit's worth.
///    The executor receives the liquidity worth `settled × (1 + p)` (rounded down, and never more than the
///    collateral the step may take), and the obligation loses the cTokens that liquidity is worth (rounded
///    up, in lenders' favour).
/// 5. Zero amounts are refused (`AmountTooSmall`), fewer than `min_received` tokens too
///    (`DeleverageSlippage`).
///
/// On success the obligation is marked stale, emptied entries are removed (keeping the order of the rest),
/// and the side's state is cleared when the total is at or under the cap. Writes nothing on error.
pub fn deleverage(
    mut accounts: DeleverageAccounts<'_>,
    params: &DeleverageParams,
) -> Result<DeleverageOutcome, BallastError> {
    let mut log = DeleverageLog::default();
    Ok(match deleverage_into(&mut accounts, params, &mut log)? {
        DeleverageKind::Ended => DeleverageOutcome::Ended(log.ended),
        DeleverageKind::Step => {
            DeleverageOutcome::Step { step: log.step, ended: (log.step.ended != 0).then_some(log.ended) }
        }
    })
}

/// [`deleverage`], with its events written into `log` rather than returned.
///
/// # Errors
/// Those of [`deleverage`]; nothing is written on error.
#[inline(never)]
pub fn deleverage_into(
    accounts: &mut DeleverageAccounts<'_>,
    params: &DeleverageParams,
    log: &mut DeleverageLog,
) -> Result<DeleverageKind, BallastError> {
    let side = params.side;
    let target = match side {
        DeleverageSide::Supply => &*accounts.withdraw_reserve,
        DeleverageSide::Borrow => &*accounts.repay_reserve,
    };
    if !is_active(target, side)? {
        return Err(BallastError::DeleverageNotActive);
    }
    let state = deleverage_state(target, side);
    let cap = state.target_cap.get();
    let margin_call_end = state.margin_call_end_slot.get();
    let slots_per_bps = state.slots_per_bps.get();
    let min_penalty_bps = state.min_penalty_bps.get();
    // On the supply side the total is the withdraw reserve's total liquidity, which the step also
    // converts its cTokens at: computed once.
    let (total, withdraw_total) = match side {
        DeleverageSide::Supply => {
            let withdraw_total = reserve_total_liquidity(target)?;
            (withdraw_total.to_u64_floor()?, Some(withdraw_total))
        }
        DeleverageSide::Borrow => (borrow_total(target)?, None),
    };
    if total <= cap {
        end_into(&mut log.ended, accounts, side, total);
        return Ok(DeleverageKind::Ended);
    }
    // total > cap, so the excess is positive.
    let excess = total.checked_sub(cap).ok_or(BallastError::MathOverflow)?;

    let context = PlanContext {
        repay_reserve_address: accounts.repay_reserve_address,
        withdraw_reserve_address: accounts.withdraw_reserve_address,
        params,
        margin_call_end,
        slots_per_bps,
        min_penalty_bps,
        total,
        excess,
        withdraw_total,
    };
    let mut plan = Plan::default();
    plan_step(accounts.obligation, accounts.repay_reserve, accounts.withdraw_reserve, &context, &mut plan)?;

    // Writes. Every amount was checked above; the updates below cannot fail except on impossible overflows,
    // which are still checked and revert the whole instruction.
    write_step(accounts.obligation, accounts.repay_reserve, accounts.withdraw_reserve, &plan)?;

    let total_after = match side {
        // The step took `received` out of the available liquidity and changed nothing else of the total, so
        // the new total is `floor(total − received) = total − received`; below zero it fails as the total
        // itself would.
        DeleverageSide::Supply => total.checked_sub(plan.received).ok_or(BallastError::MathOverflow)?,
        DeleverageSide::Borrow => borrow_total(accounts.repay_reserve)?,
    };
    let ended = total_after <= cap;
    if ended {
        end_into(&mut log.ended, accounts, side, total_after);
    }
    let step = &mut log.step;
    step.obligation = *accounts.obligation_address;
    step.repay_reserve = *accounts.repay_reserve_address;
    step.withdraw_reserve = *accounts.withdraw_reserve_address;
    step.side = side as u8;
    step.repaid.set(plan.repaid);
    step.settled_sf.set(plan.settled.raw());
    step.received.set(plan.received);
    step.seized_collateral.set(plan.seized);
    step.penalty_sf.set(plan.penalty.raw());
    step.ltv_sf.set(plan.ltv.raw());
    step.deleverage_ltv_sf.set(plan.threshold.raw());
    step.total_after.set(total_after);
    step.ended = u8::from(ended);
    Ok(DeleverageKind::Step)
}

/// [`end`] of the target side for [`deleverage_into`], written into `out`: the total reached the cap.
fn end_into(
    out: &mut DeleverageEnded,
    accounts: &mut DeleverageAccounts<'_>,
    side: DeleverageSide,
    total: u64,
) {
    let (target, target_address) = match side {
        DeleverageSide::Supply => (&mut *accounts.withdraw_reserve, accounts.withdraw_reserve_address),
        DeleverageSide::Borrow => (&mut *accounts.repay_reserve, accounts.repay_reserve_address),
    };
    let state = &mut target.deleverage[side.index()];
    out.reserve = *target_address;
    out.side = side as u8;
    out.reason = ENDED_CAP_REACHED;
    out.total.set(total);
    out.target_cap = state.target_cap;
    *state = DeleverageState::default();
}

/// The obligation's cached health, as the last refresh left it (one definition for both modules).
pub use super::liquidation::cached_health;

/// The penalty rate of a step: `min(deleverage_penalty(..), 1 − LTV without borrow factors)`.
pub fn step_penalty(
    min_penalty_bps: u16,
    health: &Health,
    slots_since_margin_call_end: u64,
    penalty_cap_bps: u16,
) -> Fraction {
    penalty_at(min_penalty_bps, health, health.ltv(), slots_since_margin_call_end, penalty_cap_bps)
}

/// [`step_penalty`] for an LTV already computed.
fn penalty_at(
    min_penalty_bps: u16,
    health: &Health,
    ltv: Fraction,
    slots_since_margin_call_end: u64,
    penalty_cap_bps: u16,
) -> Fraction {
    let penalty = math::deleverage_penalty(
        Fraction::from_bps(u64::from(min_penalty_bps)),
        ltv,
        slots_since_margin_call_end,
        Fraction::from_bps(u64::from(penalty_cap_bps)),
    );
    // `1 − p` is on the fixed-point grid, so `borrowed < floor(deposited × (1 − p))` implies
    // `ceil(borrowed / deposited) <= 1 − p`: the bound cannot bind and its division is skipped.
    let headroom = health.deposited_value.saturating_mul(Fraction::ONE.saturating_sub(penalty));
    if health.borrowed_value < headroom {
        return penalty;
    }
    penalty.min(Fraction::ONE.saturating_sub(health.ltv_no_bf()))
}

fn reserve_total_liquidity(reserve: &Reserve) -> Result<Fraction, MathError> {
    reserve_math::total_liquidity(
        reserve.available_amount.get(),
        Fraction::from_raw(reserve.borrowed_amount_sf.get()),
        Fraction::from_raw(reserve.protocol_fees_sf.get()),
    )
}

/// What [`plan_step`] needs besides the three accounts.
struct PlanContext<'a> {
    repay_reserve_address: &'a Address,
    withdraw_reserve_address: &'a Address,
    params: &'a DeleverageParams,
    margin_call_end: u64,
    slots_per_bps: u64,
    min_penalty_bps: u16,
    total: u64,
    excess: u64,
    /// The withdraw reserve's total liquidity when the caller has it (the supply side).
    withdraw_total: Option<Fraction>,
}

// Kept out of line (as are `deleverage_into` and `write_step`) so that each has its own stack frame: inlined
// into one function they would exceed the 4 KiB SBF frame.
#[inline(never)]
fn plan_step(
    obligation: &Obligation,
    repay_reserve: &Reserve,
    withdraw_reserve: &Reserve,
    context: &PlanContext<'_>,
    plan: &mut Plan,
) -> Result<(), BallastError> {
    let params = context.params;
    let (total, excess) = (context.total, context.excess);
    let side = params.side;
    let margin_call_end = context.margin_call_end;
    if params.slot < margin_call_end {
        return Err(BallastError::MarginCallActive);
    }
    // slot >= margin_call_end.
    let since_end = params.slot.checked_sub(margin_call_end).ok_or(BallastError::MathOverflow)?;

    // The target asset, then the counterpart the step needs.
    let deposit_index = obligation.find_deposit(context.withdraw_reserve_address);
    let borrow_index = obligation.find_borrow(context.repay_reserve_address);
    let holds_deposit = deposit_index.is_some_and(|i| obligation.deposits[i].collateral_amount.get() > 0);
    let holds_borrow = borrow_index.is_some_and(|i| obligation.borrows[i].borrowed_amount_sf.get() > 0);
    let (target_held, counterpart_missing) = match side {
        DeleverageSide::Supply => (holds_deposit, BallastError::BorrowNotFound),
        DeleverageSide::Borrow => (holds_borrow, BallastError::DepositNotFound),
    };
    if !target_held {
        return Err(BallastError::DeleverageAssetNotHeld);
    }
    let (Some(deposit_index), Some(borrow_index)) =
        (deposit_index.filter(|_| holds_deposit), borrow_index.filter(|_| holds_borrow))
    else {
        return Err(counterpart_missing);
    };
    let deposit = &obligation.deposits[deposit_index];
    let borrow = &obligation.borrows[borrow_index];
    plan.deposit_index = deposit_index;
    plan.borrow_index = borrow_index;

    // Eligibility against the decaying threshold of the target asset.
    let target = match side {
        DeleverageSide::Supply => withdraw_reserve,
        DeleverageSide::Borrow => repay_reserve,
    };
    let health = cached_health(obligation);
    let ltv = health.ltv();
    let threshold = math::deleverage_ltv(
        Fraction::from_bps(u64::from(target.config.liquidation_threshold_bps.get())),
        since_end,
        context.slots_per_bps,
    );
    if !math::is_eligible(ltv, threshold) {
        return Err(BallastError::NotDeleverageable);
    }
    let penalty = penalty_at(context.min_penalty_bps, &health, ltv, since_end, params.penalty_cap_bps);
    let incentive = Fraction::ONE.checked_add(penalty)?;
    plan.ltv = ltv;
    plan.threshold = threshold;
    plan.penalty = penalty;

    // The debt, brought up to the repay reserve's index (rounded up: the borrower owes it).
    let repay_index = Fraction::from_raw(repay_reserve.cumulative_borrow_index_sf.get());
    let debt = reserve_math::rescale_debt_ceil(
        Fraction::from_raw(borrow.borrowed_amount_sf.get()),
        Fraction::from_raw(borrow.cumulative_borrow_index_sf.get()),
        repay_index,
    )?;
    let debt_tokens = debt.to_u64_ceil()?;

    // The collateral the step may take, in withdraw-reserve liquidity (rounded down: the executor gets it).
    let withdraw_total = match context.withdraw_total {
        Some(withdraw_total) => withdraw_total,
        None => reserve_total_liquidity(withdraw_reserve)?,
    };
    let withdraw_supply = withdraw_reserve.collateral_supply.get();
    let ctokens = deposit.collateral_amount.get();
    let deposit_liquidity =
        reserve_math::collateral_to_liquidity_floor(ctokens, withdraw_total, withdraw_supply)?;
    let available = withdraw_reserve.available_amount.get();
    if available == 0 {
        return Err(BallastError::InsufficientLiquidity);
    }
    let take_max = match side {
        DeleverageSide::Supply => math::deleverage_amount(deposit_liquidity, excess, total)?,
        DeleverageSide::Borrow => deposit_liquidity,
    }
    .min(available);

    // Repay limits. What pays for the collateral the step may take at 1 + p, rounded up (the executor owes
    // it; the liquidity it receives is clamped to that collateral below, so the rounding goes to the
    // borrower). Then the debt, and on the borrow side the proportional share of the target debt, raised
    // when needed to the smallest repayment that buys one base unit of collateral: otherwise the last
    // steps of a deleverage, whose share is worth less than that unit, could never complete.
    let withdraw_price = Fraction::from_raw(withdraw_reserve.price_sf.get());
    let withdraw_decimals = withdraw_reserve.liquidity_decimals;
    let repay_price = Fraction::from_raw(repay_reserve.price_sf.get());
    let repay_decimals = repay_reserve.liquidity_decimals;
    let take_value = value::market_value(take_max, withdraw_price, withdraw_decimals)?;
    let repay_for_take =
        value::amount_for_value_ceil(take_value.checked_div_ceil(incentive)?, repay_price, repay_decimals)?;
    let repay_cap = match side {
        DeleverageSide::Supply => debt_tokens,
        DeleverageSide::Borrow => {
            let share = math::deleverage_amount(debt_tokens, excess, total)?;
            // The share buys at least one unit when its value × (1 + p) reaches the unit's value (rounded
            // up); only otherwise is the smallest such repayment worked out.
            let one_unit = value::market_value_ceil(1, withdraw_price, withdraw_decimals)?;
            let share_buys =
                value::market_value(share, repay_price, repay_decimals)?.checked_mul(incentive)?;
            if share_buys >= one_unit {
                share
            } else {
                value::amount_for_value_ceil(
                    one_unit.checked_div_ceil(incentive)?,
                    repay_price,
                    repay_decimals,
                )?
                .max(share)
            }
        }
    };
    let repaid = params.max_repay.min(repay_for_take).min(repay_cap).min(debt_tokens);
    if repaid == 0 {
        return Err(BallastError::AmountTooSmall);
    }
    // Paying the rounded-up debt settles all of it; otherwise exactly what is paid.
    let paid = Fraction::from_integer(repaid);
    let settled = paid.min(debt);
    plan.repaid = repaid;
    plan.settled = settled;
    plan.remaining_debt = debt.checked_sub(settled)?;

    // What the executor receives: the settled debt's value times 1 + p, in withdraw liquidity, rounded down.
    // A whole number of tokens is valued as an amount, which gives the same floor (the 2^60 scale cancels)
    // with a narrower product.
    let settled_value = if settled == paid {
        value::market_value(repaid, repay_price, repay_decimals)?
    } else {
        value::market_value_of_fraction(settled, repay_price, repay_decimals)?
    };
    let seize_value = math::seize_value_floor(settled_value, penalty)?;
    let received =
        value::amount_for_value_floor(seize_value, withdraw_price, withdraw_decimals)?.min(take_max);
    if received == 0 {
        return Err(BallastError::AmountTooSmall);
    }
    if received < params.min_received {
        return Err(BallastError::DeleverageSlippage);
    }
    // The cTokens that liquidity is worth, rounded up so the exchange rate never falls (lenders' favour).
    let seized = reserve_math::liquidity_to_collateral_ceil(received, withdraw_total, withdraw_supply)?;
    if seized == 0 {
        return Err(BallastError::AmountTooSmall);
    }
    // received <= floor(ctokens × rate), so its cTokens rounded up never exceed the deposit.
    if seized > ctokens {
        return Err(BallastError::WithdrawTooLarge);
    }
    plan.received = received;
    plan.seized = seized;
    Ok(())
}

#[inline(never)]
fn write_step(
    obligation: &mut Obligation,
    repay_reserve: &mut Reserve,
    withdraw_reserve: &mut Reserve,
    plan: &Plan,
) -> Result<(), BallastError> {
    // Repay reserve: the tokens arrive in the vault and the settled debt leaves the borrowed total. The
    // obligation's debt was rounded up against the reserve's total, so the subtraction saturates at 0.
    let available =
        repay_reserve.available_amount.get().checked_add(plan.repaid).ok_or(BallastError::MathOverflow)?;
    repay_reserve.available_amount.set(available);
    super::liquidation::raw_sub(&mut repay_reserve.borrowed_amount_sf, plan.settled);

    // Withdraw reserve: the liquidity leaves the vault and the seized cTokens, burned when they were
    // deposited as collateral, leave the supply.
    let available = withdraw_reserve
        .available_amount
        .get()
        .checked_sub(plan.received)
        .ok_or(BallastError::InsufficientLiquidity)?;
    let supply = withdraw_reserve
        .collateral_supply
        .get()
        .checked_sub(plan.seized)
        .ok_or(BallastError::MathOverflow)?;
    withdraw_reserve.available_amount.set(available);
    withdraw_reserve.collateral_supply.set(supply);

    // Obligation: the debt is stored at the current index, the deposit shrinks, emptied entries go.
    let repay_index = repay_reserve.cumulative_borrow_index_sf;
    let borrow = &mut obligation.borrows[plan.borrow_index];
    borrow.borrowed_amount_sf.set(plan.remaining_debt.raw());
    borrow.cumulative_borrow_index_sf = repay_index;
    let deposit = &mut obligation.deposits[plan.deposit_index];
    let ctokens =
        deposit.collateral_amount.get().checked_sub(plan.seized).ok_or(BallastError::MathOverflow)?;
    deposit.collateral_amount.set(ctokens);
    if plan.remaining_debt.is_zero() {
        remove_borrow(obligation, plan.borrow_index);
    }
    if ctokens == 0 {
        remove_deposit(obligation, plan.deposit_index);
    }
    // The cached health no longer describes the position: the next health check needs a refresh.
    obligation.last_refresh_slot.set(0);
    Ok(())
}

/// Removing an emptied entry keeps the order of the rest; one copy serves liquidations and deleverages.
pub use super::liquidation::{remove_borrow, remove_deposit};

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use {
        super::*,
        crate::state::{AccountHeader, AccountKind, ObligationBorrow, ObligationDeposit},
        bytemuck::Zeroable,
    };

    const SLOTS_PER_BPS: u64 = 7_200;
    /// 3.4 days at 2 slots per second.
    const DAYS_3_4: u64 = 587_520;

    fn reserve(available: u64, borrowed: u64, ctokens: u64, price: u64) -> Reserve {
        let mut r = Reserve::zeroed();
        r.header = AccountHeader::new(AccountKind::Reserve);
        r.liquidity_decimals = 6;
        r.available_amount.set(available);
        r.borrowed_amount_sf.set(Fraction::from_integer(borrowed).raw());
        r.collateral_supply.set(ctokens);
        r.cumulative_borrow_index_sf.set(Fraction::ONE.raw());
        r.price_sf.set(Fraction::from_integer(price).raw());
        r.config.liquidation_threshold_bps.set(8_000);
        r.config.max_liquidation_bonus_bps.set(1_000);
        r
    }

    fn active(r: &mut Reserve, side: DeleverageSide, cap: u64, end: u64) {
        r.deleverage[side.index()] = DeleverageState {
            active: Flag::ON,
            min_penalty_bps: Le16::new(50),
            target_cap: Le64::new(cap),
            start_slot: Le64::new(end - crate::instruction::DEFAULT_MARGIN_CALL_SLOTS),
            margin_call_end_slot: Le64::new(end),
            slots_per_bps: Le64::new(SLOTS_PER_BPS),
            ..Default::default()
        };
    }

    /// One deposit of `ctokens` in `collateral` worth `deposit_value`, one borrow of `debt` tokens in `debt_reserve`
    /// worth `debt_value`, health cached as a refresh would (LT 80 %, LTV 75 %, borrow factor 1).
    fn obligation(
        collateral: &Address,
        ctokens: u64,
        deposit_value: u64,
        debt_reserve: &Address,
        debt: u64,
        debt_value: u64,
    ) -> Obligation {
        let mut o = Obligation::zeroed();
        o.header = AccountHeader::new(AccountKind::Obligation);
        o.deposit_count = 1;
        o.borrow_count = 1;
        o.price_status = crate::state::PRICE_LOADED | crate::state::PRICE_FULLY_CHECKED;
        o.deposits[0] = ObligationDeposit {
            reserve: *collateral,
            collateral_amount: Le64::new(ctokens),
            market_value_sf: Le128::new(Fraction::from_integer(deposit_value).raw()),
        };
        o.borrows[0] = ObligationBorrow {
            reserve: *debt_reserve,
            borrowed_amount_sf: Le128::new(Fraction::from_integer(debt).raw()),
            cumulative_borrow_index_sf: Le128::new(Fraction::ONE.raw()),
            market_value_sf: Le128::new(Fraction::from_integer(debt_value).raw()),
        };
        let dv = Fraction::from_integer(deposit_value);
        o.deposited_value_sf.set(dv.raw());
        o.borrowed_value_sf.set(Fraction::from_integer(debt_value).raw());
        o.debt_value_bf_sf.set(Fraction::from_integer(debt_value).raw());
        o.allowed_borrow_value_sf.set(dv.checked_mul(Fraction::from_bps(7_500)).unwrap().raw());
        o.unhealthy_borrow_value_sf.set(dv.checked_mul(Fraction::from_bps(8_000)).unwrap().raw());
        o
    }

    fn rate(r: &Reserve) -> (Fraction, u64) {
        (reserve_total_liquidity(r).unwrap(), r.collateral_supply.get())
    }

    /// `t1 / s1 >= t0 / s0`, exactly (cross-multiplied on 256 bits through u128 halves of small values).
    fn rate_not_lower(before: (Fraction, u64), after: (Fraction, u64)) -> bool {
        // t1 × s0 >= t0 × s1; totals stay below 2^100 here, supplies below 2^40.
        let lhs = after.0.raw().checked_mul(u128::from(before.1));
        let rhs = before.0.raw().checked_mul(u128::from(after.1));
        lhs.unwrap() >= rhs.unwrap()
    }

    const TOKEN: u64 = 1_000_000;

    /// A whole number of tokens has the same value as an amount and as a Fraction: the step values the
    /// settled debt through the cheaper `market_value` when it is whole.
    #[test]
    fn whole_settled_debt_values_as_an_amount() {
        let mut next = crate::logic::xorshift(0x1234_5678_9abc_def1u64);
        for _ in 0..2_000 {
            let amount = next() >> (next() % 64);
            let price = Fraction::from_raw(u128::from(next()) << (next() % 64));
            let decimals = (next() % 20) as u8;
            assert_eq!(
                value::market_value(amount, price, decimals),
                value::market_value_of_fraction(Fraction::from_integer(amount), price, decimals),
                "{amount} {price:?} {decimals}"
            );
        }
    }

    #[test]
    fn seed_threshold_penalty_cost_and_cap() {
        // 80 % − 1 bps × 345 600 / 7 200 = 79.52 %.
        let threshold = math::deleverage_ltv(Fraction::from_percent(80), 345_600, SLOTS_PER_BPS);
        assert_eq!(threshold, Fraction::from_bps(7_952));
        // 0.5 % + 0.80 × 3.4 (percent points per day) = 3.22 %, to within the rounding of 0.80.
        let penalty = math::deleverage_penalty(
            Fraction::from_bps(50),
            Fraction::from_percent(80),
            DAYS_3_4,
            Fraction::from_percent(10),
        );
        let exact = Fraction::from_bps(322);
        assert!(penalty <= exact && exact.raw() - penalty.raw() < 16, "{penalty:?}");
        // 20 % deleveraged at 0.5 %: 0.1 % of the position.
        let cost = math::penalty_value(Fraction::from_percent(20), Fraction::from_bps(50)).unwrap();
        assert!(Fraction::from_bps(10).raw().abs_diff(cost.raw()) < 4, "{cost:?}");
        // SOL 6 %, USDC 8 %, WETH 10 %: capped at 6 %, even after a long time.
        let cap = math::lowest_penalty_cap(&[
            Fraction::from_percent(6),
            Fraction::from_percent(8),
            Fraction::from_percent(10),
        ]);
        assert_eq!(cap, Fraction::from_percent(6));
        assert_eq!(
            math::deleverage_penalty(Fraction::from_bps(50), Fraction::from_percent(80), 10 * DAYS_3_4, cap),
            cap
        );
        // The step penalty: the same formula, also capped by 1 − LTV without borrow factors.
        let mut health = Health::ZERO;
        health.deposited_value = Fraction::from_integer(1_000);
        health.debt_value_bf = Fraction::from_integer(800);
        health.borrowed_value = Fraction::from_integer(800);
        assert_eq!(step_penalty(50, &health, DAYS_3_4, 1_000), penalty.min(Fraction::from_percent(20)));
        health.borrowed_value = Fraction::from_integer(970);
        health.debt_value_bf = Fraction::from_integer(970);
        assert_eq!(step_penalty(50, &health, 100 * DAYS_3_4, 1_000), Fraction::from_percent(3));
    }

    #[test]
    fn totals_round_toward_the_smaller_excess() {
        let mut r = reserve(800 * TOKEN, 200 * TOKEN, 1_000 * TOKEN, 10);
        r.borrowed_amount_sf.set(Fraction::from_integer(200 * TOKEN).raw() + 1);
        r.protocol_fees_sf.set(Fraction::from_integer(10).raw());
        assert_eq!(supply_total(&r), Ok(1_000 * TOKEN - 10));
        assert_eq!(borrow_total(&r), Ok(200 * TOKEN + 1));
        assert_eq!(side_total(&r, DeleverageSide::Supply), supply_total(&r));
        assert_eq!(side_total(&r, DeleverageSide::Borrow), borrow_total(&r));
    }

    #[test]
    fn cap_check_refuses_only_growth_above_the_cap() {
        let mut r = reserve(800 * TOKEN, 200 * TOKEN, 1_000 * TOKEN, 10);
        // No deleverage: anything passes.
        assert_eq!(check_deleverage_cap(&r, DeleverageSide::Supply, u64::MAX), Ok(()));
        active(&mut r, DeleverageSide::Supply, 800 * TOKEN, 1_000_000);
        // Above the cap and above the current total (1 000): refused.
        assert_eq!(
            check_deleverage_cap(&r, DeleverageSide::Supply, 1_000 * TOKEN + 1),
            Err(BallastError::DeleverageCapExceeded)
        );
        // Lowering or keeping the total passes, even above the cap; so does anything at or under the cap.
        assert_eq!(check_deleverage_cap(&r, DeleverageSide::Supply, 1_000 * TOKEN), Ok(()));
        assert_eq!(check_deleverage_cap(&r, DeleverageSide::Supply, 900 * TOKEN), Ok(()));
        assert_eq!(check_deleverage_cap(&r, DeleverageSide::Supply, 800 * TOKEN), Ok(()));
        // The other side is independent.
        assert_eq!(check_deleverage_cap(&r, DeleverageSide::Borrow, u64::MAX), Ok(()));
        // Once the total is under the cap (state not yet cleared), growth is refused only past the cap.
        let mut low = reserve(500 * TOKEN, 100 * TOKEN, 600 * TOKEN, 10);
        active(&mut low, DeleverageSide::Borrow, 150 * TOKEN, 1_000_000);
        assert_eq!(check_deleverage_cap(&low, DeleverageSide::Borrow, 150 * TOKEN), Ok(()));
        assert_eq!(
            check_deleverage_cap(&low, DeleverageSide::Borrow, 150 * TOKEN + 1),
            Err(BallastError::DeleverageCapExceeded)
        );
        // A corrupted flag is never read as off.
        low.deleverage[DELEVERAGE_BORROW_INDEX].active = Flag(2);
        assert_eq!(
            check_deleverage_cap(&low, DeleverageSide::Borrow, 0),
            Err(BallastError::CorruptedAccountFlag)
        );
    }

    const DELEVERAGE_BORROW_INDEX: usize = crate::state::DELEVERAGE_BORROW;

    fn start_params(side: DeleverageSide, new_cap: u64) -> StartParams {
        StartParams { side, new_cap, margin_call_slots: 0, slots_per_bps: SLOTS_PER_BPS, min_penalty_bps: 50 }
    }

    #[test]
    fn start_and_cancel() {
        let address = Address::new_from_array([3; 32]);
        let mut r = reserve(800 * TOKEN, 200 * TOKEN, 1_000 * TOKEN, 10);
        let before = r;
        for (params, error) in [
            (
                StartParams { slots_per_bps: 0, ..start_params(DeleverageSide::Supply, 1) },
                BallastError::ZeroAmount,
            ),
            (start_params(DeleverageSide::Supply, 1_000 * TOKEN), BallastError::DeleverageCapNotBelowTotal),
            (start_params(DeleverageSide::Borrow, 200 * TOKEN), BallastError::DeleverageCapNotBelowTotal),
            (
                StartParams { min_penalty_bps: 1_001, ..start_params(DeleverageSide::Supply, 1) },
                BallastError::DeleveragePenaltyTooHigh,
            ),
            (
                StartParams { margin_call_slots: u64::MAX, ..start_params(DeleverageSide::Supply, 1) },
                BallastError::MathOverflow,
            ),
        ] {
            assert_eq!(start_deleverage(&mut r, &address, &params, 100), Err(error));
            assert_eq!(r, before);
        }
        assert_eq!(
            cancel_deleverage(&mut r, &address, DeleverageSide::Supply),
            Err(BallastError::DeleverageNotActive)
        );

        let started =
            start_deleverage(&mut r, &address, &start_params(DeleverageSide::Supply, 800 * TOKEN), 100)
                .unwrap();
        assert_eq!(started.reserve, address);
        assert_eq!(started.side, 0);
        assert_eq!(started.total.get(), 1_000 * TOKEN);
        assert_eq!(started.new_cap.get(), 800 * TOKEN);
        assert_eq!(started.start_slot.get(), 100);
        assert_eq!(started.margin_call_end_slot.get(), 100 + 518_400);
        assert_eq!(started.slots_per_bps.get(), SLOTS_PER_BPS);
        assert_eq!(started.min_penalty_bps.get(), 50);
        assert_eq!(started.liquidation_threshold_bps.get(), 8_000);
        let state = r.deleverage[crate::state::DELEVERAGE_SUPPLY];
        assert!(state.active.is_on());
        assert_eq!(state.target_cap.get(), 800 * TOKEN);
        assert_eq!(state.margin_call_end_slot.get(), 518_500);
        assert!(!r.deleverage[DELEVERAGE_BORROW_INDEX].active.is_on());
        let running = r;
        assert_eq!(
            start_deleverage(&mut r, &address, &start_params(DeleverageSide::Supply, 700 * TOKEN), 101),
            Err(BallastError::DeleverageAlreadyActive)
        );
        assert_eq!(r, running);
        // The borrow side starts on its own, with an explicit margin call.
        let params =
            StartParams { margin_call_slots: 10, ..start_params(DeleverageSide::Borrow, 150 * TOKEN) };
        let started = start_deleverage(&mut r, &address, &params, 101).unwrap();
        assert_eq!(started.margin_call_end_slot.get(), 111);
        assert_eq!(started.total.get(), 200 * TOKEN);

        let ended = cancel_deleverage(&mut r, &address, DeleverageSide::Supply).unwrap();
        assert_eq!(ended.reason, ENDED_CANCELLED);
        assert_eq!(ended.target_cap.get(), 800 * TOKEN);
        assert_eq!(r.deleverage[crate::state::DELEVERAGE_SUPPLY], DeleverageState::default());
        assert!(r.deleverage[DELEVERAGE_BORROW_INDEX].active.is_on());
    }

    struct Setup {
        obligation: Obligation,
        debt_reserve: Reserve,
        collateral_reserve: Reserve,
    }

    const OBLIGATION: Address = Address::new_from_array([1; 32]);
    const COLLATERAL: Address = Address::new_from_array([4; 32]);
    const DEBT: Address = Address::new_from_array([5; 32]);
    /// Margin call ends at this slot; steps run 3.4 days later.
    const END: u64 = 1_000_000;

    /// Collateral: 1 000 tokens supplied at $10 (200 borrowed), rate 1. Debt: 1 000 USDC borrowed at $1.
    /// The obligation: 100 collateral tokens ($1 000) against 800 USDC: LTV 80 %.
    fn setup(side: DeleverageSide) -> Setup {
        let mut collateral_reserve = reserve(800 * TOKEN, 200 * TOKEN, 1_000 * TOKEN, 10);
        let mut debt_reserve = reserve(500 * TOKEN, 1_000 * TOKEN, 1_500 * TOKEN, 1);
        match side {
            DeleverageSide::Supply => active(&mut collateral_reserve, side, 800 * TOKEN, END),
            DeleverageSide::Borrow => active(&mut debt_reserve, side, 800 * TOKEN, END),
        }
        let obligation = obligation(&COLLATERAL, 100 * TOKEN, 1_000, &DEBT, 800 * TOKEN, 800);
        Setup { obligation, debt_reserve, collateral_reserve }
    }

    fn params(side: DeleverageSide, slot: u64) -> DeleverageParams {
        DeleverageParams { side, slot, max_repay: u64::MAX, min_received: 0, penalty_cap_bps: 1_000 }
    }

    fn run(s: &mut Setup, p: &DeleverageParams) -> Result<DeleverageOutcome, BallastError> {
        deleverage(
            DeleverageAccounts {
                obligation: &mut s.obligation,
                obligation_address: &OBLIGATION,
                repay_reserve: &mut s.debt_reserve,
                repay_reserve_address: &DEBT,
                withdraw_reserve: &mut s.collateral_reserve,
                withdraw_reserve_address: &COLLATERAL,
            },
            p,
        )
    }

    fn as_step(outcome: DeleverageOutcome) -> (Deleveraged, Option<DeleverageEnded>) {
        match outcome {
            DeleverageOutcome::Step { step, ended } => (step, ended),
            DeleverageOutcome::Ended(e) => panic!("ended: {e:?}"),
        }
    }

    fn seed_penalty() -> Fraction {
        math::deleverage_penalty(
            Fraction::from_bps(50),
            Fraction::from_percent(80),
            DAYS_3_4,
            Fraction::from_percent(10),
        )
    }

    #[test]
    fn supply_side_step() {
        let mut s = setup(DeleverageSide::Supply);
        let rates = (rate(&s.collateral_reserve), rate(&s.debt_reserve));
        let (step, ended) = as_step(run(&mut s, &params(DeleverageSide::Supply, END + DAYS_3_4)).unwrap());
        let penalty = seed_penalty();
        assert_eq!(step.penalty_sf.get(), penalty.raw());
        // Share of the collateral: 100 × 200 / 1 000 = 20 tokens ($200). The executor repays what pays for
        // them at 1.0322, rounded up ($200 / 1.0322 = 193.7609 USDC), and receives the 20 tokens.
        let covered = Fraction::from_integer(200)
            .checked_div_ceil(Fraction::ONE.checked_add(penalty).unwrap())
            .unwrap();
        let repaid = value::amount_for_value_ceil(covered, Fraction::ONE, 6).unwrap();
        assert_eq!(step.repaid.get(), repaid);
        assert_eq!(repaid, 193_760_900);
        assert_eq!(step.settled_sf.get(), Fraction::from_integer(repaid).raw());
        let worth = value::amount_for_value_floor(
            math::seize_value_floor(Fraction::from_integer(repaid).checked_div_int(TOKEN).unwrap(), penalty)
                .unwrap(),
            Fraction::from_integer(10),
            6,
        )
        .unwrap();
        let received = 20 * TOKEN;
        assert!(worth >= received, "{worth}");
        assert_eq!(step.received.get(), received);
        // Rate 1: the cTokens equal the liquidity.
        assert_eq!(step.seized_collateral.get(), received);
        assert_eq!(step.total_after.get(), 1_000 * TOKEN - received);
        assert!(ended.is_none());
        assert_eq!(s.collateral_reserve.available_amount.get(), 800 * TOKEN - received);
        assert_eq!(s.collateral_reserve.collateral_supply.get(), 1_000 * TOKEN - received);
        assert_eq!(s.debt_reserve.available_amount.get(), 500 * TOKEN + repaid);
        assert_eq!(
            s.debt_reserve.borrowed_amount_sf.get(),
            Fraction::from_integer(1_000 * TOKEN - repaid).raw()
        );
        assert_eq!(s.obligation.deposits[0].collateral_amount.get(), 100 * TOKEN - received);
        assert_eq!(
            s.obligation.borrows[0].borrowed_amount_sf.get(),
            Fraction::from_integer(800 * TOKEN - repaid).raw()
        );
        assert_eq!(s.obligation.last_refresh_slot.get(), 0);
        // Lenders untouched: both rates equal (the conversions are exact at rate 1).
        assert_eq!(
            rate(&s.collateral_reserve).0.checked_div_int(rate(&s.collateral_reserve).1).unwrap(),
            rates.0 .0.checked_div_int(rates.0 .1).unwrap()
        );
        assert!(rate_not_lower(rates.0, rate(&s.collateral_reserve)));
        assert!(rate_not_lower(rates.1, rate(&s.debt_reserve)));
    }

    #[test]
    fn borrow_side_step() {
        let mut s = setup(DeleverageSide::Borrow);
        let rates = (rate(&s.collateral_reserve), rate(&s.debt_reserve));
        let (step, ended) = as_step(run(&mut s, &params(DeleverageSide::Borrow, END + DAYS_3_4)).unwrap());
        let penalty = seed_penalty();
        // Share of the debt: 800 × 200 / 1 000 = 160 USDC, settled exactly.
        assert_eq!(step.repaid.get(), 160 * TOKEN);
        assert_eq!(step.settled_sf.get(), Fraction::from_integer(160 * TOKEN).raw());
        let seize = math::seize_value_floor(Fraction::from_integer(160), penalty).unwrap();
        let received = value::amount_for_value_floor(seize, Fraction::from_integer(10), 6).unwrap();
        assert_eq!(step.received.get(), received);
        // $160 × 1.0322 = $165.152 = 16.5152 tokens.
        assert!((16_515_198..=16_515_200).contains(&received), "{received}");
        assert_eq!(step.total_after.get(), 840 * TOKEN);
        assert!(ended.is_none());
        assert_eq!(s.debt_reserve.borrowed_amount_sf.get(), Fraction::from_integer(840 * TOKEN).raw());
        assert_eq!(s.debt_reserve.available_amount.get(), 660 * TOKEN);
        assert_eq!(
            s.obligation.borrows[0].borrowed_amount_sf.get(),
            Fraction::from_integer(640 * TOKEN).raw()
        );
        assert_eq!(s.obligation.deposits[0].collateral_amount.get(), 100 * TOKEN - received);
        assert!(rate_not_lower(rates.0, rate(&s.collateral_reserve)));
        assert!(rate_not_lower(rates.1, rate(&s.debt_reserve)));
        assert_eq!(rate(&s.debt_reserve), (Fraction::from_integer(1_500 * TOKEN), 1_500 * TOKEN));
    }

    #[test]
    fn rejections_write_nothing() {
        type Case = (DeleverageSide, fn(&mut Setup), u64, DeleverageParams, BallastError);
        let cases: [Case; 9] = [
            (
                DeleverageSide::Supply,
                |_| {},
                END - 1,
                params(DeleverageSide::Supply, 0),
                BallastError::MarginCallActive,
            ),
            (
                DeleverageSide::Borrow,
                |s| s.debt_reserve.deleverage = Default::default(),
                END,
                params(DeleverageSide::Borrow, 0),
                BallastError::DeleverageNotActive,
            ),
            // LTV 79.9 % is not above the threshold right when the margin call ends (80 %).
            (
                DeleverageSide::Supply,
                |s| s.obligation.debt_value_bf_sf.set(Fraction::from_integer(799).raw()),
                END,
                params(DeleverageSide::Supply, 0),
                BallastError::NotDeleverageable,
            ),
            (
                DeleverageSide::Supply,
                |s| s.obligation.deposits[0].reserve = DEBT,
                END + DAYS_3_4,
                params(DeleverageSide::Supply, 0),
                BallastError::DeleverageAssetNotHeld,
            ),
            (
                DeleverageSide::Borrow,
                |s| s.obligation.borrows[0].reserve = COLLATERAL,
                END + DAYS_3_4,
                params(DeleverageSide::Borrow, 0),
                BallastError::DeleverageAssetNotHeld,
            ),
            (
                DeleverageSide::Supply,
                |s| s.obligation.borrows[0].reserve = COLLATERAL,
                END + DAYS_3_4,
                params(DeleverageSide::Supply, 0),
                BallastError::BorrowNotFound,
            ),
            (
                DeleverageSide::Borrow,
                |s| s.obligation.deposits[0].reserve = DEBT,
                END + DAYS_3_4,
                params(DeleverageSide::Borrow, 0),
                BallastError::DepositNotFound,
            ),
            (
                DeleverageSide::Supply,
                |_| {},
                END + DAYS_3_4,
                DeleverageParams { min_received: 20 * TOKEN + 1, ..params(DeleverageSide::Supply, 0) },
                BallastError::DeleverageSlippage,
            ),
            (
                DeleverageSide::Supply,
                |s| {
                    s.collateral_reserve.available_amount.set(0);
                    s.collateral_reserve.borrowed_amount_sf.set(Fraction::from_integer(1_000 * TOKEN).raw());
                },
                END + DAYS_3_4,
                params(DeleverageSide::Supply, 0),
                BallastError::InsufficientLiquidity,
            ),
        ];
        for (side, edit, slot, p, error) in cases {
            let mut s = setup(side);
            edit(&mut s);
            let (o, d, c) = (s.obligation, s.debt_reserve, s.collateral_reserve);
            assert_eq!(run(&mut s, &DeleverageParams { slot, ..p }), Err(error));
            assert!(s.obligation == o && s.debt_reserve == d && s.collateral_reserve == c, "{error:?} wrote");
        }
    }

    #[test]
    fn ends_by_itself_at_the_cap() {
        // Already at the cap: cleared, nothing else moves, even during the margin call.
        let mut s = setup(DeleverageSide::Supply);
        s.collateral_reserve.deleverage[0].target_cap.set(1_000 * TOKEN);
        let (o, d) = (s.obligation, s.debt_reserve);
        match run(&mut s, &params(DeleverageSide::Supply, 5)).unwrap() {
            DeleverageOutcome::Ended(e) => {
                assert_eq!(
                    (e.reason, e.total.get(), e.target_cap.get()),
                    (ENDED_CAP_REACHED, 1_000 * TOKEN, 1_000 * TOKEN)
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.collateral_reserve.deleverage[0], DeleverageState::default());
        assert!(s.obligation == o && s.debt_reserve == d);
        // A step that reaches the cap clears the state: cap 990, the step takes ~20 tokens.
        let mut s = setup(DeleverageSide::Borrow);
        s.debt_reserve.deleverage[1].target_cap.set(990 * TOKEN);
        let (step, ended) = as_step(run(&mut s, &params(DeleverageSide::Borrow, END + DAYS_3_4)).unwrap());
        // Share: 800 × 10 / 1 000 = 8 USDC, within the 10 of excess.
        assert_eq!(step.repaid.get(), 8 * TOKEN);
        assert!(ended.is_none());
        let mut s2 = setup(DeleverageSide::Borrow);
        s2.debt_reserve.deleverage[1].target_cap.set(999 * TOKEN);
        s2.obligation.borrows[0].borrowed_amount_sf.set(Fraction::from_integer(1_000 * TOKEN).raw());
        let (step, ended) = as_step(run(&mut s2, &params(DeleverageSide::Borrow, END + DAYS_3_4)).unwrap());
        assert_eq!(step.repaid.get(), TOKEN);
        assert_eq!(step.ended, 1);
        assert_eq!(ended.unwrap().total.get(), 999 * TOKEN);
        assert_eq!(s2.debt_reserve.deleverage[1], DeleverageState::default());
    }

    #[test]
    fn a_dust_excess_still_completes() {
        // Supply side, one base unit over the cap: the share is one unit of collateral ($0.00001), paid for
        // by 10 USDC units rounded up, and the deleverage ends at the cap.
        let mut s = setup(DeleverageSide::Supply);
        s.collateral_reserve.deleverage[0].target_cap.set(1_000 * TOKEN - 1);
        let (step, ended) = as_step(run(&mut s, &params(DeleverageSide::Supply, END + DAYS_3_4)).unwrap());
        assert_eq!((step.received.get(), step.repaid.get()), (1, 10));
        assert_eq!(ended.unwrap().total.get(), 1_000 * TOKEN - 1);
        // Borrow side, one USDC unit over: its share buys no collateral unit, so the step repays the smallest
        // amount that does (10 units at $1e-6 buy one $1e-5 unit at 1.0322) and passes the cap by that dust.
        let mut s = setup(DeleverageSide::Borrow);
        s.debt_reserve.deleverage[1].target_cap.set(1_000 * TOKEN - 1);
        let (step, ended) = as_step(run(&mut s, &params(DeleverageSide::Borrow, END + DAYS_3_4)).unwrap());
        assert_eq!((step.repaid.get(), step.received.get()), (10, 1));
        assert_eq!(ended.unwrap().total.get(), 1_000 * TOKEN - 10);
    }

    #[test]
    fn exchange_rates_never_fall() {
        // Odd exchange rates, prices, penalties and sizes: the withdraw reserve's rate never falls, and the
        // repay reserve's neither; the withdraw rate is unchanged whenever the cToken conversion is exact.
        let mut random = crate::logic::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut next = |m: u64| random() % m;
        for _ in 0..500 {
            let side = if next(2) == 0 { DeleverageSide::Supply } else { DeleverageSide::Borrow };
            let mut s = setup(side);
            s.collateral_reserve.collateral_supply.set(900 * TOKEN + next(200 * TOKEN));
            s.collateral_reserve
                .borrowed_amount_sf
                .set(Fraction::from_integer(200 * TOKEN).raw() + u128::from(next(u64::MAX)));
            s.collateral_reserve
                .price_sf
                .set(Fraction::from_integer(1 + next(50)).raw() + u128::from(next(1 << 50)));
            s.debt_reserve.price_sf.set(Fraction::ONE.raw() + u128::from(next(1 << 50)));
            s.obligation.deposits[0].collateral_amount.set(1 + next(100 * TOKEN));
            s.obligation.borrows[0]
                .borrowed_amount_sf
                .set(Fraction::from_integer(1 + next(800 * TOKEN)).raw() + u128::from(next(1 << 59)));
            let before = (rate(&s.collateral_reserve), rate(&s.debt_reserve));
            let slot = END + next(10 * DAYS_3_4);
            let p = DeleverageParams { max_repay: 1 + next(u64::MAX - 1), ..params(side, slot) };
            let Ok(outcome) = run(&mut s, &p) else { continue };
            let (step, _) = as_step(outcome);
            assert!(rate_not_lower(before.0, rate(&s.collateral_reserve)));
            assert!(rate_not_lower(before.1, rate(&s.debt_reserve)));
            let exact = (u128::from(step.received.get()) * u128::from(before.0 .1) * (1u128 << 60))
                .is_multiple_of(before.0 .0.raw());
            if exact {
                assert!(rate_not_lower(rate(&s.collateral_reserve), before.0));
            }
            assert!(step.repaid.get() <= p.max_repay);
            assert!(step.total_after.get() >= 800 * TOKEN || step.ended == 1);
        }
    }

    #[test]
    fn emptied_entries_are_removed_in_order() {
        let mut o = obligation(&COLLATERAL, 1, 1, &DEBT, 1, 1);
        o.deposit_count = 3;
        o.deposits[1].reserve = DEBT;
        o.deposits[2].reserve = OBLIGATION;
        remove_deposit(&mut o, 0);
        assert_eq!(o.deposit_count, 2);
        assert_eq!((o.deposits[0].reserve, o.deposits[1].reserve), (DEBT, OBLIGATION));
        assert_eq!(o.deposits[2], ObligationDeposit::default());
        remove_borrow(&mut o, 0);
        assert_eq!(o.borrow_count, 0);
        remove_borrow(&mut o, 0);
        assert_eq!(o.borrow_count, 0);
    }
}
