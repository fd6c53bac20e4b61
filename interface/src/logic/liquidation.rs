//! Liquidation, pre-liquidation and bad-debt transitions.
//!
//! Each instruction is split in two steps so that the program validates and computes everything before it
//! writes anything:
//! - `plan_*` reads the obligation, the two reserves and the market and returns a [`LiquidationPlan`] or the
//!   error that refuses the instruction. Every amount and every new total is checked there.
//! - `apply_*` writes a plan into the accounts. They cannot fail: the plan already proved that no total
//!   over- or underflows, so they use saturating arithmetic only to satisfy the lint.
//!
//! The repay reserve and the withdraw reserve may be the same reserve (a position that borrows the asset it
//! deposited). The plan then accounts both legs against one vault, and the program applies
//! [`apply_repay`] and [`apply_withdraw`] to the same account.
//!
//! Values come from the obligation's cache, written by the `RefreshObligation` of the same slot, so the
//! amounts agree with the health that made the obligation liquidatable.

use {
    crate::{
        error::BallastError,
        instruction::DeleverageSide,
        logic::deleverage::deleverage_open_for,
        state::{
            Market, Obligation, ObligationBorrow, ObligationDeposit, Reserve, MAX_BORROWS, MAX_DEPOSITS,
        },
    },
    ballast_math::{
        health::Health,
        liquidation::{
            max_repay_amount, max_repay_value, protocol_fee_ceil, settle_and_seize, BonusConfig,
            CloseFactorConfig, SeizeInput, BAD_DEBT_LTV,
        },
        preliquidation::PreLiquidationParams,
        reserve::{collateral_to_liquidity_floor, rescale_debt_ceil, total_liquidity},
        Fraction,
    },
    solana_address::{address_eq, Address},
};

/// The market parameters a liquidation reads, as Fractions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketRisk {
    pub close_factor: CloseFactorConfig,
    /// A deposit worth less than this is not held to the lowest-liquidation-threshold-first rule.
    pub min_value_skip_ltv_checks: Fraction,
    /// A borrow worth less than this is not held to the highest-borrow-factor-first rule.
    pub min_value_skip_bf_checks: Fraction,
    pub price_triggered_liquidation_disabled: bool,
}

impl MarketRisk {
    /// Market values are stored in whole quote units, percentages as percent.
    pub fn from_market(market: &Market) -> Self {
        Self {
            close_factor: CloseFactorConfig {
                close_factor: Fraction::from_percent(u64::from(market.close_factor_pct)),
                max_value_at_once: Fraction::from_integer(market.max_liquidatable_value_at_once.get()),
                min_full_liquidation_value: Fraction::from_integer(market.min_full_liquidation_value.get()),
                insolvency_ltv: Fraction::from_percent(u64::from(market.insolvency_ltv_pct)),
            },
            min_value_skip_ltv_checks: Fraction::from_integer(market.min_value_skip_ltv_checks.get()),
            min_value_skip_bf_checks: Fraction::from_integer(market.min_value_skip_bf_checks.get()),
            // A corrupted byte (neither 0 nor 1) reads as "disabled": the cautious side for an oracle switch.
            price_triggered_liquidation_disabled: market.price_triggered_liquidation_disabled.0 != 0,
        }
    }
}

/// Why an obligation may be liquidated. Reasons are tried in declaration order and the first that applies
/// wins. The protocol-wide deleverage reason comes after `LtvExceeded`: Liquidate does not execute it but
/// refuses with `ObligationDeleverageable` ([`deleverage_reason`]), so that the deleverage runs only through
/// Deleverage, with its own proportional amounts and penalty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiquidationReason {
    /// Debt with borrow factors at or over the liquidation line, price-triggered liquidations enabled.
    LtvExceeded,
}

/// The obligation's health as its last refresh cached it.
#[inline(always)]
pub fn cached_health(obligation: &Obligation) -> Health {
    Health {
        deposited_value: Fraction::from_raw(obligation.deposited_value_sf.get()),
        allowed_borrow_value: Fraction::from_raw(obligation.allowed_borrow_value_sf.get()),
        unhealthy_borrow_value: Fraction::from_raw(obligation.unhealthy_borrow_value_sf.get()),
        borrowed_value: Fraction::from_raw(obligation.borrowed_value_sf.get()),
        debt_value_bf: Fraction::from_raw(obligation.debt_value_bf_sf.get()),
    }
}

/// The first liquidation reason that applies.
///
/// # Errors
/// `PriceTriggeredLiquidationDisabled` when only the LTV reason holds and the market paused it,
/// `ObligationHealthy` when no reason holds.
pub fn liquidation_reason(health: &Health, market: &MarketRisk) -> Result<LiquidationReason, BallastError> {
    let ltv_exceeded = health.is_liquidatable();
    if ltv_exceeded && !market.price_triggered_liquidation_disabled {
        return Ok(LiquidationReason::LtvExceeded);
    }
    // Reasons that do not depend on prices are checked here, before giving up.
    if ltv_exceeded {
        Err(BallastError::PriceTriggeredLiquidationDisabled)
    } else {
        Err(BallastError::ObligationHealthy)
    }
}

/// The deleverage reason, checked when no price reason lets Liquidate proceed: the pair is two reserves, the
/// obligation holds a deposit in the withdraw reserve and a borrow in the repay reserve, and a deleverage of
/// the withdraw reserve's supply or of the repay reserve's borrows may take this obligation now (see
/// [`deleverage_open_for`]).
pub fn deleverage_reason(obligation: &Obligation, pair: &ReservePair<'_>, ltv: Fraction, slot: u64) -> bool {
    if pair.same() {
        return false;
    }
    let holds_deposit = obligation
        .find_deposit(pair.withdraw_address)
        .and_then(|i| obligation.deposits.get(i))
        .is_some_and(|d| d.collateral_amount.get() > 0);
    let holds_borrow = obligation
        .find_borrow(pair.repay_address)
        .and_then(|i| obligation.borrows.get(i))
        .is_some_and(|b| b.borrowed_amount_sf.get() > 0);
    holds_deposit
        && holds_borrow
        && (deleverage_open_for(pair.withdraw, DeleverageSide::Supply, ltv, slot)
            || deleverage_open_for(pair.repay, DeleverageSide::Borrow, ltv, slot))
}

/// Everything one liquidation or pre-liquidation changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LiquidationPlan {
    pub borrow_index: usize,
    pub deposit_index: usize,
    /// The borrow's debt brought to the repay reserve's index.
    pub debt: Fraction,
    /// The repay reserve's index the remaining debt is stored at.
    pub borrow_index_sf: Fraction,
    /// Debt removed from the obligation and from the repay reserve's borrowed total.
    pub settle: Fraction,
    /// Liquidity the liquidator pays into the repay vault: `ceil(settle)`.
    pub repay: u64,
    /// cTokens taken from the deposit and redeemed at once.
    pub seize_ctokens: u64,
    /// Withdraw-reserve liquidity the seized cTokens are worth (rounded down).
    pub redeemed: u64,
    /// Part of `redeemed` kept by the protocol in the withdraw vault.
    pub protocol_fee: u64,
    /// `redeemed − protocol_fee`, paid to the liquidator.
    pub received: u64,
    /// `1 + bonus` (liquidation) or the pre-liquidation incentive factor.
    pub incentive: Fraction,
    /// Cached values the obligation loses, rounded so that its health can only look worse: collateral
    /// side rounded up, debt side rounded down.
    pub seized_value: Fraction,
    pub seized_allowed_value: Fraction,
    pub seized_unhealthy_value: Fraction,
    pub settled_value: Fraction,
    pub settled_value_bf: Fraction,
}

/// Addresses and state of the two reserves of a liquidation. `same` when they are one reserve.
#[derive(Clone, Copy)]
pub struct ReservePair<'a> {
    pub repay_address: &'a Address,
    pub repay: &'a Reserve,
    pub withdraw_address: &'a Address,
    pub withdraw: &'a Reserve,
}

impl ReservePair<'_> {
    pub fn same(&self) -> bool {
        address_eq(self.repay_address, self.withdraw_address)
    }
}

#[inline(always)]
fn bps(value: u16) -> Fraction {
    Fraction::from_bps(u64::from(value))
}

/// `value × bps`, rounded down; a factor of exactly 1 (10 000 bps, the usual borrow factor) skips the
/// product, which it leaves unchanged.
fn mul_bps(value: Fraction, factor_bps: u16) -> Result<Fraction, BallastError> {
    if factor_bps == FULL_BPS {
        return Ok(value);
    }
    Ok(value.checked_mul(bps(factor_bps))?)
}

/// 10 000 bps: `Fraction::from_bps` makes it exactly 1.
const FULL_BPS: u16 = 10_000;

/// The bonus configuration of a (debt, collateral) pair: the larger floor and the larger ceiling of the
/// two reserves, the smaller bad-debt bonus, and the faster escalation.
pub fn bonus_config(repay: &Reserve, withdraw: &Reserve) -> BonusConfig {
    let (d, c) = (&repay.config, &withdraw.config);
    BonusConfig {
        min_bonus: bps(d.min_liquidation_bonus_bps.get().max(c.min_liquidation_bonus_bps.get())),
        max_bonus: bps(d.max_liquidation_bonus_bps.get().max(c.max_liquidation_bonus_bps.get())),
        bad_debt_bonus: bps(d
            .bad_debt_liquidation_bonus_bps
            .get()
            .min(c.bad_debt_liquidation_bonus_bps.get())),
        escalation_per_slot: bps(d
            .bonus_escalation_bps_per_slot
            .get()
            .max(c.bonus_escalation_bps_per_slot.get())),
    }
}

/// [`ballast_math::liquidation::liquidation_bonus`] at the health's LTVs, with the division of `ltv_no_bf` only when one of its two
/// bounds may bind. The bonus without them, `b`, is final when `ltv_no_bf <= min(1 − b, 99 % − 2^-60)`: the
/// bad-debt branch is not taken and `b <= 1 − ltv_no_bf`. As `ltv_no_bf = ceil(borrowed / deposited)` and
/// the bound is on the fixed-point grid, `borrowed <= floor(deposited × bound)` implies it (with no
/// deposits, only a zero debt passes, whose `ltv_no_bf` is 0).
fn bonus_at(
    config: &BonusConfig,
    health: &Health,
    ltv: Fraction,
    unhealthy_ltv: Fraction,
    slots_liquidatable: u64,
) -> Fraction {
    // No slot yet (the usual first liquidation) escalates nothing: the product is skipped.
    let escalation = if slots_liquidatable == 0 {
        Fraction::ZERO
    } else {
        config.escalation_per_slot.saturating_mul_int(slots_liquidatable)
    };
    let effective_min = config.min_bonus.saturating_add(escalation).min(config.max_bonus);
    let bonus = ltv.saturating_sub(unhealthy_ltv).max(effective_min).min(config.max_bonus);
    if bonus <= Fraction::ONE {
        let bound = Fraction::ONE.saturating_sub(bonus).min(BAD_DEBT_LTV.saturating_sub(Fraction::EPSILON));
        if health.borrowed_value <= health.deposited_value.saturating_mul(bound) {
            return bonus;
        }
    }
    // The two bounds of `liquidation_bonus`, in its order.
    let ltv_no_bf = health.ltv_no_bf();
    if ltv_no_bf >= BAD_DEBT_LTV {
        return if ltv_no_bf < Fraction::ONE {
            config.bad_debt_bonus.max(Fraction::ONE.saturating_sub(ltv_no_bf))
        } else {
            config.bad_debt_bonus
        };
    }
    bonus.min(Fraction::ONE.saturating_sub(ltv_no_bf))
}

/// The terms a plan settles on: the market's for a liquidation, the owner's (already interpolated at the
/// obligation's LTV) for a pre-liquidation.
enum Terms<'a> {
    Liquidation(&'a MarketRisk),
    PreLiquidation { close_factor: Fraction, incentive: Fraction },
}

/// One liquidation or pre-liquidation to plan.
#[derive(Clone, Copy)]
pub struct LiquidationRequest<'a> {
    pub obligation: &'a Obligation,
    pub pair: ReservePair<'a>,
    /// `Some` for `Liquidate` (the market's parameters), `None` for `PreLiquidate` (the owner's terms).
    pub market: Option<&'a MarketRisk>,
    pub slot: u64,
    /// Liquidity of the pair's debt to repay; `u64::MAX`: as much as allowed.
    pub requested: u64,
}

/// Plans a `Liquidate` of `requested` liquidity (`u64::MAX`: as much as allowed) of the pair's debt.
///
/// # Errors
/// The reason errors of [`liquidation_reason`], or `ObligationDeleverageable` in their place when
/// [`deleverage_reason`] holds; `BorrowNotFound` / `DepositNotFound` for a leg the
/// obligation does not hold; `LiquidationPriorityViolation`; `RepayTooSmallForFullLiquidation`; and the
/// errors of the shared tail (see [`LiquidationPlan`]).
pub fn plan_liquidation(
    obligation: &Obligation,
    pair: &ReservePair<'_>,
    market: &MarketRisk,
    slot: u64,
    requested: u64,
) -> Result<LiquidationPlan, BallastError> {
    let mut plan = LiquidationPlan::default();
    let request = LiquidationRequest { obligation, pair: *pair, market: Some(market), slot, requested };
    plan_into(&request, &mut plan)?;
    Ok(plan)
}

/// Plans a `PreLiquidate` of `requested` liquidity (`u64::MAX`: as much as allowed) of the pair's debt.
///
/// The incentive interpolated from the owner's terms is capped at floor(1 / LT) of the current position,
/// so a pre-liquidation lowers the LTV whatever the liquidation threshold has become since the terms were
/// set.
///
/// # Errors
/// `PreLiquidationDisabled`, `ObligationLiquidatable`, `NotPreLiquidatable` (LTV not strictly between the
/// pre-liquidation LTV and the liquidation threshold), the leg errors and the tail errors.
pub fn plan_pre_liquidation(
    obligation: &Obligation,
    pair: &ReservePair<'_>,
    requested: u64,
) -> Result<LiquidationPlan, BallastError> {
    let mut plan = LiquidationPlan::default();
    let request = LiquidationRequest { obligation, pair: *pair, market: None, slot: 0, requested };
    plan_into(&request, &mut plan)?;
    Ok(plan)
}

/// [`plan_liquidation`] (`request.market` set) or [`plan_pre_liquidation`], written into `plan`: every
/// field is set on success, and `plan` holds no meaning after an error.
///
/// # Errors
/// Those of [`plan_liquidation`] and [`plan_pre_liquidation`].
#[inline(never)]
pub fn plan_into(request: &LiquidationRequest<'_>, plan: &mut LiquidationPlan) -> Result<(), BallastError> {
    let obligation = request.obligation;
    let pair = &request.pair;
    let requested = Fraction::from_integer(request.requested);
    let health = cached_health(obligation);

    // 1. Why the obligation may be taken, and on which terms: the pre-liquidation's close factor and
    //    incentive come before the legs are looked up.
    let terms = match request.market {
        Some(market) => {
            if let Err(error) = liquidation_reason(&health, market) {
                if deleverage_reason(obligation, pair, health.ltv(), request.slot) {
                    return Err(BallastError::ObligationDeleverageable);
                }
                return Err(error);
            }
            Terms::Liquidation(market)
        }
        None => {
            let terms = &obligation.pre_liquidation;
            if !terms.enabled.is_on() {
                return Err(BallastError::PreLiquidationDisabled);
            }
            if health.is_liquidatable() {
                return Err(BallastError::ObligationLiquidatable);
            }
            let params = PreLiquidationParams {
                pre_ltv: bps(terms.pre_ltv_bps.get()),
                liquidation_ltv: health.unhealthy_ltv(),
                close_factor_start: bps(terms.close_factor_start_bps.get()),
                close_factor_end: bps(terms.close_factor_end_bps.get()),
                incentive_start: bps(terms.incentive_start_bps.get()),
                incentive_end: bps(terms.incentive_end_bps.get()),
            };
            let (close_factor, incentive) =
                params.at(health.ltv()).ok_or(BallastError::NotPreLiquidatable)?;
            // `at` returned a window, so liquidation_ltv > pre_ltv >= 0 and the cap 1 / LT is defined. The
            // incentive is within it exactly when incentive × LT <= 1 (1 is on the grid, so comparing the
            // product rounded up is exact); only otherwise is the cap's division needed.
            let within_cap = incentive
                .checked_mul_ceil(params.liquidation_ltv)
                .is_ok_and(|product| product <= Fraction::ONE);
            let incentive = if within_cap { incentive } else { incentive.min(params.max_incentive()?) };
            Terms::PreLiquidation { close_factor, incentive: incentive.max(Fraction::ONE) }
        }
    };

    // 2. The legs and their current amounts.
    let borrow_index = obligation.find_borrow(pair.repay_address).ok_or(BallastError::BorrowNotFound)?;
    let deposit_index =
        obligation.find_deposit(pair.withdraw_address).ok_or(BallastError::DepositNotFound)?;
    let borrow = &obligation.borrows[borrow_index];
    let deposit = &obligation.deposits[deposit_index];
    // Each field of the plan is written as soon as it is known.
    plan.borrow_index = borrow_index;
    plan.deposit_index = deposit_index;
    plan.borrow_index_sf = Fraction::from_raw(pair.repay.cumulative_borrow_index_sf.get());
    // The borrower owes the interest accrued since the refresh: rounded up.
    let debt = rescale_debt_ceil(
        Fraction::from_raw(borrow.borrowed_amount_sf.get()),
        Fraction::from_raw(borrow.cumulative_borrow_index_sf.get()),
        plan.borrow_index_sf,
    )?;
    plan.debt = debt;
    let borrow_value = Fraction::from_raw(borrow.market_value_sf.get());
    let collateral_value = Fraction::from_raw(deposit.market_value_sf.get());
    let collateral_ctokens = deposit.collateral_amount.get();
    if debt.is_zero() || borrow_value.is_zero() || collateral_value.is_zero() || collateral_ctokens == 0 {
        return Err(BallastError::LiquidationTooSmall);
    }

    // 3. What the liquidator may settle, and at which incentive.
    let (debt_to_settle, incentive, full_liquidation) = match terms {
        Terms::PreLiquidation { close_factor, incentive } => {
            // What a liquidator may repay is what it receives the right to: rounded down.
            let max_amount = debt.checked_mul(close_factor.min(Fraction::ONE))?;
            (max_amount.min(requested), incentive, false)
        }
        Terms::Liquidation(market) => {
            // The riskiest legs go first, except legs too small to be worth the ordering.
            let borrow_factor = pair.repay.config.borrow_factor_bps.get();
            if borrow_factor < obligation.highest_borrow_factor_bps.get()
                && borrow_value >= market.min_value_skip_bf_checks
            {
                return Err(BallastError::LiquidationPriorityViolation);
            }
            let threshold = pair.withdraw.config.liquidation_threshold_bps.get();
            if threshold > obligation.lowest_liquidation_threshold_bps.get()
                && collateral_value >= market.min_value_skip_ltv_checks
            {
                return Err(BallastError::LiquidationPriorityViolation);
            }

            let ltv = health.ltv();
            let since = obligation.liquidatable_since_slot.get();
            let slots_liquidatable = if since == 0 { 0 } else { request.slot.saturating_sub(since) };
            let bonus = bonus_at(
                &bonus_config(pair.repay, pair.withdraw),
                &health,
                ltv,
                health.unhealthy_ltv(),
                slots_liquidatable,
            );
            let incentive = Fraction::ONE.checked_add(bonus)?;

            let limit = max_repay_value(&market.close_factor, health.borrowed_value, borrow_value, ltv);
            let max_amount = max_repay_amount(debt, borrow_value, limit.max_value)?;
            if limit.full_liquidation && requested < debt {
                return Err(BallastError::RepayTooSmallForFullLiquidation);
            }
            (max_amount.min(requested), incentive, limit.full_liquidation)
        }
    };
    plan.incentive = incentive;

    // 4. Settle and seize, redeem, protocol fee.
    let seizure = settle_and_seize(&SeizeInput {
        borrowed_amount: debt,
        borrow_value,
        debt_to_settle,
        incentive,
        collateral_value,
        collateral_ctokens,
        full_liquidation,
    })?;
    if seizure.repay == 0 || seizure.seize_ctokens == 0 {
        return Err(BallastError::LiquidationTooSmall);
    }
    plan.settle = seizure.settle;
    plan.repay = seizure.repay;
    plan.seize_ctokens = seizure.seize_ctokens;

    let withdraw = pair.withdraw;
    let withdraw_available = withdraw.available_amount.get();
    let withdraw_fees = Fraction::from_raw(withdraw.protocol_fees_sf.get());
    let total = total_liquidity(
        withdraw_available,
        Fraction::from_raw(withdraw.borrowed_amount_sf.get()),
        withdraw_fees,
    )?;
    let supply = withdraw.collateral_supply.get();
    // The liquidator receives the redeemed liquidity: rounded down.
    let redeemed = collateral_to_liquidity_floor(seizure.seize_ctokens, total, supply)?;
    if redeemed == 0 {
        return Err(BallastError::LiquidationTooSmall);
    }
    let config = &withdraw.config;
    let fee_bps = config.protocol_liquidation_fee_bps.get();
    // The fee is owed by the liquidator: rounded up, and at least one unit whenever the protocol charges one.
    // At a zero rate it is zero: `protocol_fee_ceil` cannot fail here (the incentive is at least 1).
    let fee = if fee_bps == 0 {
        0
    } else {
        protocol_fee_ceil(redeemed, incentive, bps(fee_bps))?.max(1).min(redeemed)
    };
    let received = redeemed.checked_sub(fee).ok_or(BallastError::MathOverflow)?;
    plan.redeemed = redeemed;
    plan.protocol_fee = fee;
    plan.received = received;

    // Every total the apply step writes, checked now so that the writes cannot fail.
    supply.checked_sub(seizure.seize_ctokens).ok_or(BallastError::MathOverflow)?;
    let available_after = if pair.same() {
        withdraw_available.checked_add(seizure.repay).and_then(|a| a.checked_sub(received))
    } else {
        pair.repay.available_amount.get().checked_add(seizure.repay).ok_or(BallastError::MathOverflow)?;
        withdraw_available.checked_sub(received)
    };
    available_after.ok_or(BallastError::InsufficientLiquidity)?;
    withdraw_fees.checked_add(Fraction::from_integer(fee))?;

    // 5. Value deltas for the cached health.
    let settled_value = if seizure.settle == debt {
        borrow_value
    } else {
        borrow_value.checked_mul(seizure.settle.checked_div(debt)?)?
    };
    let seized_value = if seizure.seize_ctokens == collateral_ctokens {
        collateral_value
    } else {
        let share = Fraction::from_integer(seizure.seize_ctokens)
            .checked_div_ceil(Fraction::from_integer(collateral_ctokens))?;
        collateral_value.checked_mul_ceil(share)?.min(collateral_value)
    };
    plan.settled_value = settled_value;
    plan.settled_value_bf = mul_bps(settled_value, pair.repay.config.borrow_factor_bps.get())?;
    plan.seized_value = seized_value;
    plan.seized_allowed_value = seized_value.checked_mul_ceil(bps(config.loan_to_value_bps.get()))?;
    plan.seized_unhealthy_value =
        seized_value.checked_mul_ceil(bps(config.liquidation_threshold_bps.get()))?;
    Ok(())
}

/// `stored − amount`, clamped at 0. One out-of-line copy for the many cached values a liquidation lowers.
#[inline(never)]
pub(crate) fn raw_sub(stored: &mut crate::pod::Le128, amount: Fraction) {
    stored.set(Fraction::from_raw(stored.get()).saturating_sub(amount).raw());
}

/// The repay reserve side: the settled debt leaves the borrowed total, the repaid liquidity joins the vault.
#[inline(never)]
pub fn apply_repay(reserve: &mut Reserve, plan: &LiquidationPlan) {
    // The obligations' debts are rounded up and the reserve's total down, so the last repay of a reserve may
    // exceed its total by rounding: it stops at zero.
    raw_sub(&mut reserve.borrowed_amount_sf, plan.settle);
    reserve.available_amount.set(reserve.available_amount.get().saturating_add(plan.repay));
}

/// The withdraw reserve side: the seized cTokens are redeemed; the protocol fee stays in the vault as
/// protocol fees, so the vault still holds exactly `available_amount`.
#[inline(never)]
pub fn apply_withdraw(reserve: &mut Reserve, plan: &LiquidationPlan) {
    reserve.collateral_supply.set(reserve.collateral_supply.get().saturating_sub(plan.seize_ctokens));
    reserve.available_amount.set(reserve.available_amount.get().saturating_sub(plan.received));
    let fees = reserve.protocol_fees_sf.get().saturating_add(Fraction::from_integer(plan.protocol_fee).raw());
    reserve.protocol_fees_sf.set(fees);
}

/// The obligation side: the borrow and the deposit shrink (and go when empty), the cached values are
/// lowered conservatively, and the obligation becomes stale so that the next health check refreshes it.
#[inline(never)]
pub fn apply_to_obligation(obligation: &mut Obligation, plan: &LiquidationPlan) {
    let remaining = plan.debt.saturating_sub(plan.settle);
    if remaining.is_zero() {
        remove_borrow(obligation, plan.borrow_index);
    } else if let Some(borrow) = obligation.borrows.get_mut(plan.borrow_index) {
        borrow.borrowed_amount_sf.set(remaining.raw());
        borrow.cumulative_borrow_index_sf.set(plan.borrow_index_sf.raw());
        raw_sub(&mut borrow.market_value_sf, plan.settled_value);
    }
    let left = obligation
        .deposits
        .get(plan.deposit_index)
        .map_or(0, |d| d.collateral_amount.get().saturating_sub(plan.seize_ctokens));
    if left == 0 {
        remove_deposit(obligation, plan.deposit_index);
    } else if let Some(deposit) = obligation.deposits.get_mut(plan.deposit_index) {
        deposit.collateral_amount.set(left);
        raw_sub(&mut deposit.market_value_sf, plan.seized_value);
    }
    raw_sub(&mut obligation.deposited_value_sf, plan.seized_value);
    raw_sub(&mut obligation.allowed_borrow_value_sf, plan.seized_allowed_value);
    raw_sub(&mut obligation.unhealthy_borrow_value_sf, plan.seized_unhealthy_value);
    raw_sub(&mut obligation.borrowed_value_sf, plan.settled_value);
    raw_sub(&mut obligation.debt_value_bf_sf, plan.settled_value_bf);
    obligation.last_refresh_slot.set(0);
}

/// Removes a borrow and keeps the others in order (RefreshObligation takes the reserves in that order).
#[inline(never)]
pub fn remove_borrow(obligation: &mut Obligation, index: usize) {
    let count = usize::from(obligation.borrow_count).min(MAX_BORROWS);
    if index >= count {
        return;
    }
    obligation.borrows.copy_within(index.saturating_add(1)..count, index);
    if let Some(last) = obligation.borrows.get_mut(count.saturating_sub(1)) {
        *last = ObligationBorrow::default();
    }
    obligation.borrow_count = obligation.borrow_count.saturating_sub(1);
}

/// Removes a deposit and keeps the others in order.
#[inline(never)]
pub fn remove_deposit(obligation: &mut Obligation, index: usize) {
    let count = usize::from(obligation.deposit_count).min(MAX_DEPOSITS);
    if index >= count {
        return;
    }
    obligation.deposits.copy_within(index.saturating_add(1)..count, index);
    if let Some(last) = obligation.deposits.get_mut(count.saturating_sub(1)) {
        *last = ObligationDeposit::default();
    }
    obligation.deposit_count = obligation.deposit_count.saturating_sub(1);
}

/// What `CoverBadDebt` does to one borrow of an obligation without collateral.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BadDebtPlan {
    pub borrow_index: usize,
    /// The borrow's debt brought to the reserve's index.
    pub debt: Fraction,
    /// Liquidity moved from the insurance vault into the liquidity vault.
    pub covered: u64,
    /// Debt written off: lenders lose it through a lower cToken exchange rate.
    pub socialized: Fraction,
    /// The reserve's protocol fees after the write-off (see [`plan_cover_bad_debt`]).
    pub protocol_fees: Fraction,
}

/// Plans `CoverBadDebt` for the borrow of `reserve`, with `insurance_balance` tokens in the insurance vault.
///
/// The insurance fund pays first, up to `ceil(debt)`; the rest is written off the reserve's borrowed total.
/// The protocol's uncollected fees are part of the borrowed total: if the write-off leaves them above the
/// reserve's assets, they are cut to those assets, so the protocol loses its claim before the lenders'
/// total could go negative.
///
/// # Errors
/// `NotBadDebt` when the obligation still holds collateral or has no borrow from the reserve.
pub fn plan_cover_bad_debt(
    obligation: &Obligation,
    reserve_address: &Address,
    reserve: &Reserve,
    insurance_balance: u64,
) -> Result<BadDebtPlan, BallastError> {
    if obligation.deposit_count != 0 {
        return Err(BallastError::NotBadDebt);
    }
    let borrow_index = obligation.find_borrow(reserve_address).ok_or(BallastError::NotBadDebt)?;
    let borrow = &obligation.borrows[borrow_index];
    // The debt is owed: rounded up.
    let debt = rescale_debt_ceil(
        Fraction::from_raw(borrow.borrowed_amount_sf.get()),
        Fraction::from_raw(borrow.cumulative_borrow_index_sf.get()),
        Fraction::from_raw(reserve.cumulative_borrow_index_sf.get()),
    )?;
    let covered = insurance_balance.min(debt.to_u64_ceil()?);
    let socialized = debt.saturating_sub(Fraction::from_integer(covered));
    let available = reserve.available_amount.get().checked_add(covered).ok_or(BallastError::MathOverflow)?;
    let borrowed = Fraction::from_raw(reserve.borrowed_amount_sf.get()).saturating_sub(debt);
    let assets = Fraction::from_integer(available).checked_add(borrowed)?;
    let protocol_fees = Fraction::from_raw(reserve.protocol_fees_sf.get()).min(assets);
    Ok(BadDebtPlan { borrow_index, debt, covered, socialized, protocol_fees })
}

/// Writes a [`BadDebtPlan`] into the reserve.
pub fn apply_cover_bad_debt_reserve(reserve: &mut Reserve, plan: &BadDebtPlan) {
    reserve.available_amount.set(reserve.available_amount.get().saturating_add(plan.covered));
    raw_sub(&mut reserve.borrowed_amount_sf, plan.debt);
    reserve.protocol_fees_sf.set(plan.protocol_fees.raw());
}

/// Writes a [`BadDebtPlan`] into the obligation: the borrow goes, its cached value with it, and the
/// obligation becomes stale.
pub fn apply_cover_bad_debt_obligation(
    obligation: &mut Obligation,
    plan: &BadDebtPlan,
    borrow_factor_bps: u16,
) {
    if let Some(borrow) = obligation.borrows.get(plan.borrow_index) {
        let value = Fraction::from_raw(borrow.market_value_sf.get());
        raw_sub(&mut obligation.borrowed_value_sf, value);
        raw_sub(&mut obligation.debt_value_bf_sf, value.saturating_mul(bps(borrow_factor_bps)));
    }
    remove_borrow(obligation, plan.borrow_index);
    if obligation.borrow_count == 0 {
        obligation.borrowed_value_sf.set(0);
        obligation.debt_value_bf_sf.set(0);
        obligation.liquidatable_since_slot.set(0);
    }
    obligation.last_refresh_slot.set(0);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use {super::*, ballast_math::liquidation::liquidation_bonus};

    /// `raw_sub` is `u128::saturating_sub`, on every arrangement of the halves.
    #[test]
    fn raw_sub_clamps_like_saturating_sub() {
        let mut next = crate::logic::xorshift(0x0bad_5eed_1234_5678u64);
        let halves = [0u64, 1, 2, u64::MAX - 1, u64::MAX];
        let check = |value: u128, amount: u128| {
            let mut stored = crate::pod::Le128::new(value);
            raw_sub(&mut stored, Fraction::from_raw(amount));
            assert_eq!(stored.get(), value.saturating_sub(amount), "{value} - {amount}");
        };
        for a in halves {
            for b in halves {
                for c in halves {
                    for d in halves {
                        check(u128::from(a) << 64 | u128::from(b), u128::from(c) << 64 | u128::from(d));
                    }
                }
            }
        }
        for _ in 0..2_000 {
            let value = u128::from(next()) << 64 | u128::from(next());
            check(value, value >> (next() % 128));
            check(value >> (next() % 128), value);
        }
    }

    /// `bonus_at` agrees with `liquidation_bonus` at the health's LTVs, on both of its paths: debt well
    /// below, at, and above the bounds of the fast path, and without deposits.
    #[test]
    fn bonus_at_is_liquidation_bonus() {
        let configs = [
            BonusConfig {
                min_bonus: Fraction::from_bps(500),
                max_bonus: Fraction::from_bps(1_000),
                bad_debt_bonus: Fraction::from_bps(99),
                escalation_per_slot: Fraction::from_bps(1),
            },
            BonusConfig {
                min_bonus: Fraction::from_bps(200),
                max_bonus: Fraction::from_bps(15_000),
                bad_debt_bonus: Fraction::ZERO,
                escalation_per_slot: Fraction::ZERO,
            },
            BonusConfig {
                min_bonus: Fraction::from_bps(40_000),
                max_bonus: Fraction::from_bps(60_000),
                bad_debt_bonus: Fraction::from_bps(300),
                escalation_per_slot: Fraction::from_bps(7),
            },
        ];
        let mut next = crate::logic::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let deposited_values = [0u64, 1, 1_000, 123_456_789];
        let debt_bps =
            [0u64, 1, 5_000, 8_500, 9_000, 9_499, 9_500, 9_501, 9_899, 9_900, 9_950, 10_000, 12_000];
        for config in &configs {
            for &deposited in &deposited_values {
                for &bps in &debt_bps {
                    for _ in 0..20 {
                        let deposited_value = Fraction::from_integer(deposited);
                        // The debt near `bps` of the deposits, a few raw units either side.
                        let jitter = (next() % 64) as u128;
                        let base = deposited_value.checked_mul(Fraction::from_bps(bps)).unwrap().raw();
                        let borrowed = Fraction::from_raw((base + jitter).saturating_sub(32));
                        let debt_bf =
                            borrowed.checked_mul(Fraction::from_bps(10_000 + next() % 3_000)).unwrap();
                        let health = Health {
                            deposited_value,
                            allowed_borrow_value: Fraction::ZERO,
                            unhealthy_borrow_value: deposited_value
                                .checked_mul(Fraction::from_bps(7_000 + next() % 2_000))
                                .unwrap(),
                            borrowed_value: borrowed,
                            debt_value_bf: debt_bf,
                        };
                        let slots = next() % 400;
                        let (ltv, unhealthy_ltv) = (health.ltv(), health.unhealthy_ltv());
                        assert_eq!(
                            bonus_at(config, &health, ltv, unhealthy_ltv, slots),
                            liquidation_bonus(config, ltv, unhealthy_ltv, health.ltv_no_bf(), slots),
                            "{config:?} {health:?} {slots}"
                        );
                    }
                }
            }
        }
    }
}
