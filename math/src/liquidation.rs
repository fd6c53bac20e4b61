//! Liquidation: bonus, close factor, and the settle/seize amounts.
//!
//! Flow for one liquidation of a (debt reserve, collateral reserve) pair:
//! 1. [`liquidation_bonus`] from the obligation's LTVs and how long it has been liquidatable.
//! 2. [`max_repay_value`] (close-factor rule), then [`max_repay_amount`] to turn it into debt units.
//! 3. [`settle_and_seize`] with incentive `1 + bonus` (or a pre-liquidation incentive factor).
//! 4. Optionally [`protocol_fee_ceil`] on the liquidity the liquidator redeems.

use core::cmp::Ordering;

use crate::{wide, Fraction, MathError};

/// From this LTV without borrow factor on, the position is treated as (near) bad debt.
pub const BAD_DEBT_LTV: Fraction = Fraction::from_percent(99);

/// Liquidation bonus configuration of a reserve pair.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct BonusConfig {
    /// Bonus floor when the obligation has just become liquidatable.
    pub min_bonus: Fraction,
    /// Bonus ceiling, however unhealthy the obligation.
    pub max_bonus: Fraction,
    /// Bonus when the LTV without borrow factor is at least [`BAD_DEBT_LTV`].
    pub bad_debt_bonus: Fraction,
    /// How much the floor rises per slot since the obligation became liquidatable (Dutch auction).
    pub escalation_per_slot: Fraction,
}

impl BonusConfig {
    /// Checks `min_bonus ≤ max_bonus ≤ 1` and `bad_debt_bonus ≤ 1`.
    ///
    /// # Errors
    /// [`MathError::InvalidParams`] otherwise.
    pub fn validate(&self) -> Result<(), MathError> {
        if self.min_bonus <= self.max_bonus
            && self.max_bonus <= Fraction::ONE
            && self.bad_debt_bonus <= Fraction::ONE
        {
            Ok(())
        } else {
            Err(MathError::InvalidParams)
        }
    }
}

/// The liquidation bonus (as a fraction of the repaid value). Never panics.
///
/// - `ltv_no_bf ≥ 0.99`: `bad_debt_bonus`, raised to `1 − ltv_no_bf` when that is larger and
///   `ltv_no_bf < 1` (the whole remaining collateral margin goes to the liquidator).
/// - Otherwise: `effective_min = min(min_bonus + escalation_per_slot × slots_liquidatable, max_bonus)`
///   (saturating), `bonus = clamp(ltv − unhealthy_ltv, effective_min, max_bonus)`, then capped at
///   `1 − ltv_no_bf` so that a liquidation never pushes a solvent position into bad debt.
///
/// The result is thus at most `max_bonus`, at most `1 − ltv_no_bf`, and at least
/// `min(min_bonus, max_bonus, 1 − ltv_no_bf)` outside the bad-debt case.
// Inlined: the config, three Fractions, the slot count and the result pointer are six argument
// registers, one more than BPF allows in a call.
#[inline(always)]
pub fn liquidation_bonus(
    cfg: &BonusConfig,
    ltv: Fraction,
    unhealthy_ltv: Fraction,
    ltv_no_bf: Fraction,
    slots_liquidatable: u64,
) -> Fraction {
    if ltv_no_bf >= BAD_DEBT_LTV {
        return if ltv_no_bf < Fraction::ONE {
            cfg.bad_debt_bonus.max(Fraction::ONE.saturating_sub(ltv_no_bf))
        } else {
            cfg.bad_debt_bonus
        };
    }
    let escalation = cfg.escalation_per_slot.saturating_mul_int(slots_liquidatable);
    let effective_min = cfg.min_bonus.saturating_add(escalation).min(cfg.max_bonus);
    let overshoot = ltv.saturating_sub(unhealthy_ltv);
    // Written as max-then-min rather than `clamp`, which would panic if the bounds were inverted.
    let bonus = overshoot.max(effective_min).min(cfg.max_bonus);
    bonus.min(Fraction::ONE.saturating_sub(ltv_no_bf))
}

/// Market-level close-factor settings.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct CloseFactorConfig {
    /// Share of the obligation's total debt value (no borrow factor) one liquidation may repay.
    pub close_factor: Fraction,
    /// Most debt value one liquidation may repay.
    pub max_value_at_once: Fraction,
    /// A borrow worth less than this is liquidated whole (dust clean-up).
    pub min_full_liquidation_value: Fraction,
    /// From this LTV on, the close factor is 100 %.
    pub insolvency_ltv: Fraction,
}

/// Result of [`max_repay_value`].
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct RepayLimit {
    /// Most debt value the liquidator may repay on this borrow.
    pub max_value: Fraction,
    /// The borrow is below the full-liquidation threshold: it must be repaid whole.
    pub full_liquidation: bool,
}

/// The close-factor rule for one borrow of a liquidatable obligation.
///
/// - `borrow_value < min_full_liquidation_value`: the whole borrow may and must go
///   (`max_value = borrow_value`, `full_liquidation = true`).
/// - Otherwise `max_value = min(cf × total_debt_value, borrow_value, max_value_at_once)`, where `cf` is
///   1 when `ltv ≥ insolvency_ltv` and `close_factor` (at most 1) otherwise; `cf × total` rounds down.
///
/// `total_debt_value` is the obligation's whole debt value without borrow factor, `borrow_value` the
/// value of the borrow being repaid, `ltv` the obligation's LTV with borrow factor
/// ([`crate::health::Health::ltv`]).
pub fn max_repay_value(
    cfg: &CloseFactorConfig,
    total_debt_value: Fraction,
    borrow_value: Fraction,
    ltv: Fraction,
) -> RepayLimit {
    if borrow_value < cfg.min_full_liquidation_value {
        return RepayLimit { max_value: borrow_value, full_liquidation: true };
    }
    let close_factor =
        if ltv >= cfg.insolvency_ltv { Fraction::ONE } else { cfg.close_factor.min(Fraction::ONE) };
    let by_close_factor = total_debt_value.saturating_mul(close_factor);
    RepayLimit {
        max_value: by_close_factor.min(borrow_value).min(cfg.max_value_at_once),
        full_liquidation: false,
    }
}

/// Debt amount (a Fraction of base units) worth `max_value` out of a borrow of `borrowed_amount` worth
/// `borrow_value`, rounded down (it caps what the liquidator may repay). The whole amount when
/// `max_value ≥ borrow_value`; 0 when the borrow has no value.
///
/// # Errors
/// [`MathError::Overflow`] only for inconsistent inputs (a result above [`Fraction::MAX`]).
#[inline(never)]
pub fn max_repay_amount(
    borrowed_amount: Fraction,
    borrow_value: Fraction,
    max_value: Fraction,
) -> Result<Fraction, MathError> {
    if borrow_value.is_zero() {
        return Ok(Fraction::ZERO);
    }
    if max_value >= borrow_value {
        return Ok(borrowed_amount);
    }
    wide::mul_div_floor(borrowed_amount.raw(), max_value.raw(), borrow_value.raw())
        .map(Fraction::from_raw)
        .ok_or(MathError::Overflow)
}

/// Inputs of [`settle_and_seize`].
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct SeizeInput {
    /// The obligation's whole debt in the repaid reserve (Fraction of base units).
    pub borrowed_amount: Fraction,
    /// Market value of `borrowed_amount`.
    pub borrow_value: Fraction,
    /// Debt the liquidator intends to cover (already capped by [`max_repay_amount`]); values above
    /// `borrowed_amount` are treated as `borrowed_amount`.
    pub debt_to_settle: Fraction,
    /// Value multiplier the liquidator receives: `1 + bonus`, or a pre-liquidation incentive factor.
    pub incentive: Fraction,
    /// Market value of the obligation's deposit in the seized reserve.
    pub collateral_value: Fraction,
    /// cTokens of that deposit.
    pub collateral_ctokens: u64,
    /// The borrow is repaid whole ([`RepayLimit::full_liquidation`]).
    pub full_liquidation: bool,
}

/// Amounts of one liquidation.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Seizure {
    /// Debt removed from the obligation (Fraction of base units).
    pub settle: Fraction,
    /// Tokens the liquidator pays: `ceil(settle)` (the liquidator owes it).
    pub repay: u64,
    /// cTokens the liquidator receives (rounded down).
    pub seize_ctokens: u64,
}

/// Settle and seize amounts. With `V = value of debt_to_settle × incentive` and `M` the collateral
/// value:
/// - `V > M`: seize every cToken and settle `debt × M / V` (rounded down: the borrower's debt falls by
///   no more than the collateral pays for), or the whole debt in full-liquidation mode.
/// - `V = M`: settle the debt and seize every cToken.
/// - `V < M`: settle the debt and seize `floor(cTokens × V / M)` (the liquidator receives it), at
///   least 1 cToken in full-liquidation mode so dust positions can always be cleared.
///
/// The value of the settled debt and `V` both round down; the program rejects a zero repay or a zero
/// seize.
///
/// # Errors
/// [`MathError::InvalidParams`] when `borrowed_amount` is 0, [`MathError::Overflow`] when a product or
/// the repay amount does not fit.
#[inline(never)]
pub fn settle_and_seize(input: &SeizeInput) -> Result<Seizure, MathError> {
    if input.borrowed_amount.is_zero() {
        return Err(MathError::InvalidParams);
    }
    let debt = input.debt_to_settle.min(input.borrowed_amount);
    let debt_value = if debt == input.borrowed_amount {
        input.borrow_value
    } else {
        wide::mul_div_floor(input.borrow_value.raw(), debt.raw(), input.borrowed_amount.raw())
            .map(Fraction::from_raw)
            .ok_or(MathError::Overflow)?
    };
    let owed_value = debt_value.checked_mul(input.incentive)?;
    let collateral = input.collateral_value;
    let (settle, seize_ctokens) = match owed_value.cmp(&collateral) {
        Ordering::Greater if input.full_liquidation => (debt, input.collateral_ctokens),
        Ordering::Greater => {
            // owed_value > collateral >= 0, so the divisor is non-zero.
            let settle = wide::mul_div_floor(debt.raw(), collateral.raw(), owed_value.raw())
                .map(Fraction::from_raw)
                .ok_or(MathError::Overflow)?;
            (settle, input.collateral_ctokens)
        }
        Ordering::Equal => (debt, input.collateral_ctokens),
        Ordering::Less => {
            // collateral > owed_value >= 0; the quotient is below collateral_ctokens, so it fits a u64.
            let seize =
                wide::mul_div_floor(u128::from(input.collateral_ctokens), owed_value.raw(), collateral.raw())
                    .and_then(|s| u64::try_from(s).ok())
                    .ok_or(MathError::Overflow)?;
            let seize =
                if input.full_liquidation && seize == 0 { input.collateral_ctokens.min(1) } else { seize };
            (debt, seize)
        }
    };
    Ok(Seizure { settle, repay: settle.to_u64_ceil()?, seize_ctokens })
}

/// Protocol's cut of a liquidation: `ceil((L − L / incentive) × fee_rate)` where `L` is the liquidity
/// the liquidator redeemed. `L / incentive` rounds down, so the bonus part and the fee (owed by the
/// liquidator) round up. Never exceeds `L`.
///
/// # Errors
/// [`MathError::InvalidParams`] when `incentive < 1` or `fee_rate > 1`.
#[inline(never)]
pub fn protocol_fee_ceil(
    received_liquidity: u64,
    incentive: Fraction,
    fee_rate: Fraction,
) -> Result<u64, MathError> {
    if incentive < Fraction::ONE || fee_rate > Fraction::ONE {
        return Err(MathError::InvalidParams);
    }
    let base = Fraction::from_integer(received_liquidity).checked_div(incentive)?.to_u64_floor()?;
    let bonus_part = received_liquidity.saturating_sub(base);
    fee_rate.mul_ceil(bonus_part)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> BonusConfig {
        BonusConfig {
            min_bonus: Fraction::from_percent(5),
            max_bonus: Fraction::from_percent(10),
            bad_debt_bonus: Fraction::from_bps(99),
            escalation_per_slot: Fraction::from_bps(1),
        }
    }

    #[test]
    fn bonus_cases() {
        let c = cfg();
        let lt = Fraction::from_percent(80);
        // Just liquidatable: the floor.
        assert_eq!(
            liquidation_bonus(&c, Fraction::from_percent(81), lt, Fraction::from_percent(81), 0),
            c.min_bonus
        );
        // 8 % over the line: the overshoot.
        let b = liquidation_bonus(&c, Fraction::from_percent(88), lt, Fraction::from_percent(88), 0);
        assert_eq!(b, Fraction::from_percent(88).saturating_sub(lt));
        // Far over: the ceiling, then the cap 1 − ltv_no_bf.
        assert_eq!(
            liquidation_bonus(&c, Fraction::from_percent(95), lt, Fraction::from_percent(85), 0),
            c.max_bonus
        );
        assert_eq!(
            liquidation_bonus(&c, Fraction::from_percent(95), lt, Fraction::from_percent(95), 0),
            Fraction::ONE.saturating_sub(Fraction::from_percent(95))
        );
        // Escalation: 200 slots at 1 bps raise the floor from 5 % to 7 %; it never passes the max.
        let b = liquidation_bonus(&c, Fraction::from_percent(81), lt, Fraction::from_percent(81), 200);
        assert_eq!(b.to_bps_ceil(), Ok(700));
        assert_eq!(
            liquidation_bonus(&c, Fraction::from_percent(81), lt, Fraction::from_percent(81), u64::MAX),
            c.max_bonus
        );
        // Bad debt.
        assert_eq!(
            liquidation_bonus(&c, Fraction::from_integer(2), lt, Fraction::from_integer(2), 0),
            c.bad_debt_bonus
        );
        let nearly = Fraction::from_bps(9_950);
        assert_eq!(liquidation_bonus(&c, nearly, lt, nearly, 0), c.bad_debt_bonus);
        let edge = Fraction::from_bps(9_900);
        let mut big = c;
        big.bad_debt_bonus = Fraction::ZERO;
        assert_eq!(liquidation_bonus(&big, edge, lt, edge, 0), Fraction::ONE.saturating_sub(edge));
    }

    #[test]
    fn close_factor() {
        let cfg = CloseFactorConfig {
            close_factor: Fraction::from_percent(25),
            max_value_at_once: Fraction::from_integer(500_000),
            min_full_liquidation_value: Fraction::from_integer(2),
            insolvency_ltv: Fraction::from_percent(95),
        };
        let ltv = Fraction::from_percent(85);
        let total = Fraction::from_integer(1_000);
        let r = max_repay_value(&cfg, total, Fraction::from_integer(600), ltv);
        assert_eq!(r, RepayLimit { max_value: Fraction::from_integer(250), full_liquidation: false });
        let r = max_repay_value(&cfg, total, Fraction::from_integer(100), ltv);
        assert_eq!(r.max_value, Fraction::from_integer(100));
        let r = max_repay_value(&cfg, total, Fraction::from_integer(600), Fraction::from_percent(95));
        assert_eq!(r.max_value, Fraction::from_integer(600));
        let r =
            max_repay_value(&cfg, Fraction::from_integer(10_000_000), Fraction::from_integer(9_000_000), ltv);
        assert_eq!(r.max_value, Fraction::from_integer(500_000));
        let r = max_repay_value(&cfg, total, Fraction::ONE, ltv);
        assert_eq!(r, RepayLimit { max_value: Fraction::ONE, full_liquidation: true });
        assert_eq!(
            max_repay_amount(
                Fraction::from_integer(50),
                Fraction::from_integer(600),
                Fraction::from_integer(200)
            ),
            Ok(Fraction::from_raw(Fraction::from_integer(50).raw() / 3))
        );
        assert_eq!(
            max_repay_amount(
                Fraction::from_integer(50),
                Fraction::from_integer(600),
                Fraction::from_integer(900)
            ),
            Ok(Fraction::from_integer(50))
        );
        assert_eq!(
            max_repay_amount(Fraction::from_integer(50), Fraction::ZERO, Fraction::from_integer(900)),
            Ok(Fraction::ZERO)
        );
    }

    #[test]
    fn seize_three_cases() {
        let base = SeizeInput {
            borrowed_amount: Fraction::from_integer(1_000),
            borrow_value: Fraction::from_integer(1_000),
            debt_to_settle: Fraction::from_integer(100),
            incentive: Fraction::from_bps(11_250),
            collateral_value: Fraction::from_integer(225),
            collateral_ctokens: 200,
            full_liquidation: false,
        };
        // V = 112.5 < 225: half the cTokens.
        let s = settle_and_seize(&base).unwrap();
        assert_eq!(s, Seizure { settle: Fraction::from_integer(100), repay: 100, seize_ctokens: 100 });
        // V = 125 = collateral value.
        let eq = SeizeInput {
            incentive: Fraction::from_bps(12_500),
            collateral_value: Fraction::from_integer(125),
            ..base
        };
        let s = settle_and_seize(&eq).unwrap();
        assert_eq!(s, Seizure { settle: Fraction::from_integer(100), repay: 100, seize_ctokens: 200 });
        // V = 125 > 50: everything seized, debt settled in proportion (100 × 50 / 125 = 40).
        let over = SeizeInput {
            incentive: Fraction::from_bps(12_500),
            collateral_value: Fraction::from_integer(50),
            ..base
        };
        let s = settle_and_seize(&over).unwrap();
        assert_eq!(s, Seizure { settle: Fraction::from_integer(40), repay: 40, seize_ctokens: 200 });
        let full = SeizeInput { full_liquidation: true, ..over };
        assert_eq!(settle_and_seize(&full).unwrap().settle, Fraction::from_integer(100));
        let dust = SeizeInput {
            collateral_value: Fraction::from_integer(1_000_000),
            full_liquidation: true,
            ..base
        };
        assert_eq!(settle_and_seize(&dust).unwrap().seize_ctokens, 1);
        let none = SeizeInput { borrowed_amount: Fraction::ZERO, ..base };
        assert_eq!(settle_and_seize(&none), Err(MathError::InvalidParams));
    }

    #[test]
    fn protocol_fee() {
        // 1 100 redeemed at 10 % bonus: 100 of bonus, 20 % of it.
        assert_eq!(protocol_fee_ceil(1_100, Fraction::from_bps(11_000), Fraction::from_percent(20)), Ok(20));
        assert_eq!(
            protocol_fee_ceil(1_100, Fraction::from_bps(9_000), Fraction::ZERO),
            Err(MathError::InvalidParams)
        );
    }
}
