//! Obligation valuation and health, and the two transitions that raise an obligation's risk: borrowing and
//! withdrawing collateral.
//!
//! - [`ObligationRefresh`] revalues every position against reserves refreshed in the current slot and stores
//!   the obligation's cached health (`RefreshObligation`).
//! - [`borrow`] adds debt after checking the reserve's caps and the obligation's borrowing power.
//! - [`withdraw_collateral`] removes cTokens after checking that the remaining collateral still covers the
//!   debt.
//!
//! Both transitions check everything before they write anything, and leave the obligation stale
//! (`last_refresh_slot = 0`) with its cached values moved in the conservative direction, so the next health
//! check needs a new refresh.

use {
    crate::{
        error::BallastError,
        instruction::DeleverageSide,
        logic::deleverage::check_deleverage_cap,
        pod::Le128,
        state::{
            Market, Obligation, ObligationBorrow, ObligationDeposit, Reserve, MAX_BORROWS, MAX_DEPOSITS,
            PRICE_FULLY_CHECKED, PRICE_LOADED,
        },
    },
    ballast_math::{
        health::Health,
        reserve::{
            collateral_to_liquidity_ceil, collateral_to_liquidity_floor, rescale_debt_ceil, total_liquidity,
        },
        value::{market_value, market_value_ceil, market_value_of_fraction_ceil},
        Fraction,
    },
    solana_address::{address_eq, Address},
};

/// Price status of an obligation whose every reserve passed every oracle check, and of an obligation with no
/// positions (no price can fail it).
pub const ALL_PRICE_CHECKS: u8 = PRICE_LOADED | PRICE_FULLY_CHECKED;

/// Requires a price status with every oracle check passed: `PriceNotLoaded` without a price at all,
/// `PriceNotFullyChecked` when the confidence or TWAP check failed.
#[inline(always)]
pub fn require_fully_checked(price_status: u8) -> Result<(), BallastError> {
    if price_status & PRICE_LOADED == 0 {
        Err(BallastError::PriceNotLoaded)
    } else if price_status & PRICE_FULLY_CHECKED == 0 {
        Err(BallastError::PriceNotFullyChecked)
    } else {
        Ok(())
    }
}

/// Requires the reserve to have been refreshed in `slot`.
#[inline(always)]
pub fn require_fresh_reserve(reserve: &Reserve, slot: u64) -> Result<(), BallastError> {
    if reserve.last_update_slot.get() == slot {
        Ok(())
    } else {
        Err(BallastError::ReserveStale)
    }
}

/// Requires the obligation to have been refreshed in `slot`.
#[inline(always)]
pub fn require_fresh_obligation(obligation: &Obligation, slot: u64) -> Result<(), BallastError> {
    if obligation.last_refresh_slot.get() == slot {
        Ok(())
    } else {
        Err(BallastError::ObligationStale)
    }
}

#[inline(always)]
fn flag(value: crate::pod::Flag) -> Result<bool, BallastError> {
    value.get().ok_or(BallastError::CorruptedAccountFlag)
}

/// Lenders' liquidity of the reserve: `available + borrowed − protocol fees`.
#[inline(always)]
fn reserve_total_liquidity(reserve: &Reserve) -> Result<Fraction, BallastError> {
    Ok(total_liquidity(
        reserve.available_amount.get(),
        Fraction::from_raw(reserve.borrowed_amount_sf.get()),
        Fraction::from_raw(reserve.protocol_fees_sf.get()),
    )?)
}

#[inline(always)]
fn bps(value: crate::pod::Le16) -> Fraction {
    from_bps(value.get())
}

/// `bps / 10 000` as a Fraction, rounded down: exactly `Fraction::from_bps`, in two native divisions.
#[inline(always)]
fn from_bps(bps: u16) -> Fraction {
    // bps · 2^60 / 10 000 = (bps · 2^24) · 2^32 / 625. With x = bps · 2^24 = q · 625 + r, the floor is
    // q · 2^32 + floor(r · 2^32 / 625): x < 2^40 and r · 2^32 < 2^42, so every step fits in a u64, and so
    // does the result (below 6.6 · 2^60).
    let x = u64::from(bps) << 24;
    let (q, r) = (x / 625, x % 625);
    Fraction::from_raw(u128::from((q << 32) | ((r << 32) / 625)))
}

/// `value × weight` rounded down; a weight of exactly 1 (a 100% factor, the common case) needs no product.
#[inline(always)]
fn weigh_floor(value: Fraction, weight: Fraction) -> Result<Fraction, BallastError> {
    if weight == Fraction::ONE {
        return Ok(value);
    }
    Ok(value.checked_mul(weight)?)
}

/// `value × weight` rounded up; a weight of exactly 1 needs no product.
#[inline(always)]
fn weigh_ceil(value: Fraction, weight: Fraction) -> Result<Fraction, BallastError> {
    if weight == Fraction::ONE {
        return Ok(value);
    }
    Ok(value.checked_mul_ceil(weight)?)
}

#[inline(always)]
fn frac(value: Le128) -> Fraction {
    Fraction::from_raw(value.get())
}

/// The refreshed state of one borrow.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
struct RefreshedBorrow {
    amount: Fraction,
    index: Fraction,
    value: Fraction,
}

/// Revalues an obligation one reserve at a time, deposits first then borrows, each in the obligation's order,
/// and writes nothing until [`ObligationRefresh::apply`], so a reserve refused halfway leaves the obligation
/// untouched.
///
/// - Deposit value: `market_value(collateral_to_liquidity_floor(cTokens))`, both rounded down (collateral is
///   what gives the borrower power).
/// - Borrow: the debt is rescaled to the reserve's index, rounded up, and valued rounded up (the borrower
///   owes it).
/// - `highest_borrow_factor_bps`: among borrows worth at least `market.min_value_skip_bf_checks`; 0 when none.
/// - `lowest_liquidation_threshold_bps`: among deposits with a non-zero threshold worth at least
///   `market.min_value_skip_ltv_checks`; 0 when none qualifies, which readers take as "no deposit is held to
///   the lowest-threshold-first rule".
/// - `price_status`: AND of every reserve's status, [`ALL_PRICE_CHECKS`] without positions.
#[derive(Clone, Debug)]
pub struct ObligationRefresh {
    slot: u64,
    min_value_skip_ltv_checks: Fraction,
    min_value_skip_bf_checks: Fraction,
    health: Health,
    price_status: u8,
    highest_borrow_factor_bps: u16,
    lowest_liquidation_threshold_bps: u16,
    deposit_count: usize,
    borrow_count: usize,
    deposit_values: [Fraction; MAX_DEPOSITS],
    borrows: [RefreshedBorrow; MAX_BORROWS],
}

impl ObligationRefresh {
    /// Nothing valued yet: every field zero except the price status.
    const EMPTY: Self = Self {
        slot: 0,
        min_value_skip_ltv_checks: Fraction::ZERO,
        min_value_skip_bf_checks: Fraction::ZERO,
        health: Health::ZERO,
        price_status: ALL_PRICE_CHECKS,
        highest_borrow_factor_bps: 0,
        lowest_liquidation_threshold_bps: 0,
        deposit_count: 0,
        borrow_count: 0,
        deposit_values: [Fraction::ZERO; MAX_DEPOSITS],
        borrows: [RefreshedBorrow { amount: Fraction::ZERO, index: Fraction::ZERO, value: Fraction::ZERO };
            MAX_BORROWS],
    };

    /// Starts from a constant and sets three fields: the value is filled where it lives, where a struct
    /// literal with array fields would be built in temporaries and copied in.
    #[inline(always)]
    pub fn new(market: &Market, slot: u64) -> Self {
        let mut refresh = Self::EMPTY;
        refresh.slot = slot;
        refresh.min_value_skip_ltv_checks = Fraction::from_integer(market.min_value_skip_ltv_checks.get());
        refresh.min_value_skip_bf_checks = Fraction::from_integer(market.min_value_skip_bf_checks.get());
        refresh
    }

    /// Checks that `reserve` is the obligation's next deposit reserve, of its market, fresh; and values it.
    // Runs once per position: optimised for speed (13 positions: −583 CU for +1,184 bytes).
    #[cfg_attr(all(target_arch = "bpf", not(target_os = "solana")), optimize(speed))]
    pub fn add_deposit(
        &mut self,
        obligation: &Obligation,
        reserve_address: &Address,
        reserve: &Reserve,
    ) -> Result<(), BallastError> {
        let index = self.deposit_count;
        let deposit = obligation.deposits().get(index).ok_or(BallastError::ObligationReserveMismatch)?;
        self.check_reserve(obligation, &deposit.reserve, reserve_address, reserve)?;

        let total = reserve_total_liquidity(reserve)?;
        // The depositor's collateral is worth what it redeems for: rounded down.
        let liquidity = collateral_to_liquidity_floor(
            deposit.collateral_amount.get(),
            total,
            reserve.collateral_supply.get(),
        )?;
        // Collateral value gives borrowing power: rounded down.
        let value = market_value(liquidity, frac(reserve.price_sf), reserve.liquidity_decimals)?;
        let config = &reserve.config;
        let threshold_bps = config.liquidation_threshold_bps.get();
        // Borrowing power and the liquidation line are what the borrower receives: rounded down (as
        // `Health::with_deposit`).
        let health = &mut self.health;
        health.deposited_value = health.deposited_value.checked_add(value)?;
        health.allowed_borrow_value =
            health.allowed_borrow_value.checked_add(weigh_floor(value, bps(config.loan_to_value_bps))?)?;
        health.unhealthy_borrow_value =
            health.unhealthy_borrow_value.checked_add(weigh_floor(value, from_bps(threshold_bps))?)?;
        if threshold_bps > 0
            && value >= self.min_value_skip_ltv_checks
            && (self.lowest_liquidation_threshold_bps == 0
                || threshold_bps < self.lowest_liquidation_threshold_bps)
        {
            self.lowest_liquidation_threshold_bps = threshold_bps;
        }
        // `index < MAX_DEPOSITS`: it indexed `deposits()` above.
        if let Some(slot) = self.deposit_values.get_mut(index) {
            *slot = value;
        }
        self.deposit_count = index.saturating_add(1);
        Ok(())
    }

    /// Checks that `reserve` is the obligation's next borrow reserve, of its market, fresh; brings the debt
    /// to the reserve's index and values it.
    // Runs once per position: optimised for speed, as `add_deposit`.
    #[cfg_attr(all(target_arch = "bpf", not(target_os = "solana")), optimize(speed))]
    pub fn add_borrow(
        &mut self,
        obligation: &Obligation,
        reserve_address: &Address,
        reserve: &Reserve,
    ) -> Result<(), BallastError> {
        let index = self.borrow_count;
        let borrow = obligation.borrows().get(index).ok_or(BallastError::ObligationReserveMismatch)?;
        self.check_reserve(obligation, &borrow.reserve, reserve_address, reserve)?;

        let current_index = frac(reserve.cumulative_borrow_index_sf);
        // The borrower owes the accrued interest: rounded up.
        let amount = rescale_debt_ceil(
            frac(borrow.borrowed_amount_sf),
            frac(borrow.cumulative_borrow_index_sf),
            current_index,
        )?;
        // Debt value is owed: rounded up.
        let value =
            market_value_of_fraction_ceil(amount, frac(reserve.price_sf), reserve.liquidity_decimals)?;
        let factor_bps = reserve.config.borrow_factor_bps.get();
        // The borrow-factor-adjusted debt is owed: rounded up (as `Health::with_borrow`).
        let health = &mut self.health;
        health.borrowed_value = health.borrowed_value.checked_add(value)?;
        health.debt_value_bf = health.debt_value_bf.checked_add(weigh_ceil(value, from_bps(factor_bps))?)?;
        if value >= self.min_value_skip_bf_checks && factor_bps > self.highest_borrow_factor_bps {
            self.highest_borrow_factor_bps = factor_bps;
        }
        // `index < MAX_BORROWS`: it indexed `borrows()` above.
        if let Some(slot) = self.borrows.get_mut(index) {
            *slot = RefreshedBorrow { amount, index: current_index, value };
        }
        self.borrow_count = index.saturating_add(1);
        Ok(())
    }

    fn check_reserve(
        &mut self,
        obligation: &Obligation,
        expected: &Address,
        reserve_address: &Address,
        reserve: &Reserve,
    ) -> Result<(), BallastError> {
        if !address_eq(expected, reserve_address) {
            return Err(BallastError::ObligationReserveMismatch);
        }
        if !address_eq(&reserve.market, &obligation.market) {
            return Err(BallastError::MarketMismatch);
        }
        require_fresh_reserve(reserve, self.slot)?;
        self.price_status &= reserve.price_status;
        Ok(())
    }

    /// Requires every position to have been valued, then writes the refreshed values and the cached health.
    /// Returns the health.
    pub fn apply(&self, obligation: &mut Obligation) -> Result<Health, BallastError> {
        if self.deposit_count != obligation.deposits().len()
            || self.borrow_count != obligation.borrows().len()
        {
            return Err(BallastError::ObligationReserveMismatch);
        }
        for (deposit, value) in
            obligation.deposits.iter_mut().zip(&self.deposit_values).take(self.deposit_count)
        {
            deposit.market_value_sf.set(value.raw());
        }
        for (borrow, refreshed) in obligation.borrows.iter_mut().zip(&self.borrows).take(self.borrow_count) {
            borrow.borrowed_amount_sf.set(refreshed.amount.raw());
            borrow.cumulative_borrow_index_sf.set(refreshed.index.raw());
            borrow.market_value_sf.set(refreshed.value.raw());
        }
        let health = self.health;
        obligation.deposited_value_sf.set(health.deposited_value.raw());
        obligation.borrowed_value_sf.set(health.borrowed_value.raw());
        obligation.debt_value_bf_sf.set(health.debt_value_bf.raw());
        obligation.allowed_borrow_value_sf.set(health.allowed_borrow_value.raw());
        obligation.unhealthy_borrow_value_sf.set(health.unhealthy_borrow_value.raw());
        obligation.highest_borrow_factor_bps.set(self.highest_borrow_factor_bps);
        obligation.lowest_liquidation_threshold_bps.set(self.lowest_liquidation_threshold_bps);
        obligation.price_status = self.price_status;
        obligation.last_refresh_slot.set(self.slot);
        if health.is_liquidatable() {
            // The first slot found liquidatable dates the time-escalating liquidation bonus.
            if obligation.liquidatable_since_slot.get() == 0 {
                obligation.liquidatable_since_slot.set(self.slot);
            }
        } else {
            obligation.liquidatable_since_slot.set(0);
        }
        Ok(health)
    }
}

/// Refreshes `obligation` against `reserves`: its deposit reserves then its borrow reserves, each in the
/// obligation's order, as `(address, state)`. The off-chain form of `RefreshObligation`.
pub fn refresh_obligation(
    obligation: &mut Obligation,
    market: &Market,
    reserves: &[(Address, Reserve)],
    slot: u64,
) -> Result<Health, BallastError> {
    let deposit_count = obligation.deposits().len();
    if reserves.len() != deposit_count.saturating_add(obligation.borrows().len()) {
        return Err(BallastError::ObligationReserveMismatch);
    }
    let (deposits, borrows) = reserves.split_at(deposit_count);
    let mut refresh = ObligationRefresh::new(market, slot);
    for (address, reserve) in deposits {
        refresh.add_deposit(obligation, address, reserve)?;
    }
    for (address, reserve) in borrows {
        refresh.add_borrow(obligation, address, reserve)?;
    }
    refresh.apply(obligation)
}

/// Borrows `amount` liquidity tokens from `reserve` against `obligation`.
///
/// Checks, in order: `amount > 0`, borrowing enabled on the reserve, same market, reserve fresh with a fully
/// checked price, obligation fresh with a fully checked price, the vault holds `amount`, the borrow cap, the
/// deleverage cap while a borrow-side deleverage runs (`DeleverageCapExceeded`), the utilization cap, a free borrow slot, and `debt_value_bf + value × borrow factor ≤ allowed_borrow_value`,
/// with the new debt valued rounded up. Then: the obligation's borrow (new, or brought to the reserve's index
/// first) grows by `amount`, the reserve's borrowed total grows and its available amount falls by `amount`,
/// the cached debt grows by the new debt's value and the obligation becomes stale.
///
/// The market's switches (`emergency_mode`, `borrow_disabled`) are the processor's to check.
pub fn borrow(
    obligation: &mut Obligation,
    reserve: &mut Reserve,
    reserve_address: &Address,
    amount: u64,
    slot: u64,
) -> Result<(), BallastError> {
    if amount == 0 {
        return Err(BallastError::ZeroAmount);
    }
    if flag(reserve.config.borrowing_disabled)? {
        return Err(BallastError::BorrowingDisabled);
    }
    if !address_eq(&reserve.market, &obligation.market) {
        return Err(BallastError::MarketMismatch);
    }
    require_fresh_reserve(reserve, slot)?;
    require_fully_checked(reserve.price_status)?;
    require_fresh_obligation(obligation, slot)?;
    require_fully_checked(obligation.price_status)?;

    // Liquidity and caps.
    let available = reserve.available_amount.get();
    let new_available = available.checked_sub(amount).ok_or(BallastError::InsufficientLiquidity)?;
    let borrowed = frac(reserve.borrowed_amount_sf);
    let new_borrowed = borrowed.checked_add(Fraction::from_integer(amount))?;
    if new_borrowed > Fraction::from_integer(reserve.config.borrow_cap.get()) {
        return Err(BallastError::BorrowCapExceeded);
    }
    // While the borrow side is under deleverage, a borrow may not push the borrowed total further above the
    // new cap. The total is measured as the deleverage measures it: rounded up to tokens.
    check_deleverage_cap(reserve, DeleverageSide::Borrow, new_borrowed.to_u64_ceil()?)?;
    // A borrow moves tokens from available to borrowed: the total is unchanged. Compared exactly as
    // `borrowed × 10 000 ≤ total × cap_bps`, so no rounding of the utilization can let a borrow through.
    let total = reserve_total_liquidity(reserve)?;
    let cap_bps = u64::from(reserve.config.utilization_cap_bps.get());
    // At most half the total against a cap of at least 50% passes without the two wide products: then
    // borrowed × 10 000 <= total × 5 000 <= total × cap_bps.
    let at_most_half = new_borrowed.raw() <= total.raw() >> 1 && cap_bps >= 5_000;
    if !at_most_half && new_borrowed.checked_mul_int(10_000)? > total.checked_mul_int(cap_bps)? {
        return Err(BallastError::UtilizationCapExceeded);
    }

    // The obligation's borrow slot.
    let current_index = frac(reserve.cumulative_borrow_index_sf);
    let existing = obligation.borrows().iter().position(|b| address_eq(&b.reserve, reserve_address));
    let index = match existing {
        Some(index) => index,
        None if obligation.borrows().len() < MAX_BORROWS => obligation.borrows().len(),
        None => return Err(BallastError::TooManyBorrows),
    };
    let (old_debt, old_value) = match existing.and_then(|i| obligation.borrows().get(i)) {
        // The borrower owes the interest accrued since the last snapshot: rounded up.
        Some(entry) => (
            rescale_debt_ceil(
                frac(entry.borrowed_amount_sf),
                frac(entry.cumulative_borrow_index_sf),
                current_index,
            )?,
            frac(entry.market_value_sf),
        ),
        None => (Fraction::ZERO, Fraction::ZERO),
    };
    let new_debt = old_debt.checked_add(Fraction::from_integer(amount))?;

    // Health: the new debt is owed, valued rounded up, its borrow-factor weight rounded up.
    let value = market_value_ceil(amount, frac(reserve.price_sf), reserve.liquidity_decimals)?;
    let value_bf = weigh_ceil(value, bps(reserve.config.borrow_factor_bps))?;
    let debt_value_bf = frac(obligation.debt_value_bf_sf).checked_add(value_bf)?;
    if debt_value_bf > frac(obligation.allowed_borrow_value_sf) {
        return Err(BallastError::ObligationUnhealthy);
    }
    let borrowed_value = frac(obligation.borrowed_value_sf).checked_add(value)?;
    let entry_value = old_value.checked_add(value)?;

    // Writes.
    reserve.available_amount.set(new_available);
    reserve.borrowed_amount_sf.set(new_borrowed.raw());
    let entry = obligation.borrows.get_mut(index).ok_or(BallastError::TooManyBorrows)?;
    *entry = ObligationBorrow {
        reserve: *reserve_address,
        borrowed_amount_sf: Le128::new(new_debt.raw()),
        cumulative_borrow_index_sf: Le128::new(current_index.raw()),
        market_value_sf: Le128::new(entry_value.raw()),
    };
    if existing.is_none() {
        // `index < MAX_BORROWS`, so the count stays at most 5.
        obligation.borrow_count = obligation.borrow_count.saturating_add(1);
    }
    obligation.debt_value_bf_sf.set(debt_value_bf.raw());
    obligation.borrowed_value_sf.set(borrowed_value.raw());
    obligation.last_refresh_slot.set(0);
    Ok(())
}

/// Removes `amount` cTokens of `reserve` from `obligation`'s collateral.
///
/// Checks, in order: `amount > 0`, a deposit in this reserve, `amount` at most that deposit, and, when the
/// obligation has debt: same market, reserve fresh with a fully checked price, obligation fresh with a fully
/// checked price, and `debt_value_bf ≤ allowed_borrow_value − value × LTV`, where `value` is the most the
/// withdrawn cTokens can be worth (liquidity and value both rounded up, against the borrower). Without debt
/// nothing is valued against health, so no refresh is needed.
///
/// Then the deposit shrinks (and is removed at 0, the later deposits moving down one place), the cached
/// deposited, allowed and unhealthy values fall by the withdrawn value (clamped at 0), and the obligation
/// becomes stale. The reserve is not written: the cTokens go back to the owner's wallet and stay in
/// `collateral_supply`.
pub fn withdraw_collateral(
    obligation: &mut Obligation,
    reserve: &Reserve,
    reserve_address: &Address,
    amount: u64,
    slot: u64,
) -> Result<(), BallastError> {
    if amount == 0 {
        return Err(BallastError::ZeroAmount);
    }
    let index = obligation
        .deposits()
        .iter()
        .position(|d| address_eq(&d.reserve, reserve_address))
        .ok_or(BallastError::DepositNotFound)?;
    let deposit = obligation.deposits().get(index).ok_or(BallastError::DepositNotFound)?;
    let remaining =
        deposit.collateral_amount.get().checked_sub(amount).ok_or(BallastError::WithdrawTooLarge)?;

    let has_debt = !obligation.borrows().is_empty();
    if has_debt {
        if !address_eq(&reserve.market, &obligation.market) {
            return Err(BallastError::MarketMismatch);
        }
        require_fresh_reserve(reserve, slot)?;
        require_fully_checked(reserve.price_status)?;
        require_fresh_obligation(obligation, slot)?;
        require_fully_checked(obligation.price_status)?;
    }

    // The most the withdrawal can be worth: liquidity and value rounded up, against the borrower. A
    // withdrawal that cannot be valued (overflow) counts as worth everything: with debt it is refused as
    // unhealthy, without debt it only zeroes the cached values.
    let value = withdrawal_value_ceil(reserve, amount).unwrap_or(Fraction::MAX);
    // Borrowing power and the liquidation line lost: rounded up, so the cache never overstates them.
    let allowed_loss = weigh_ceil(value, bps(reserve.config.loan_to_value_bps)).unwrap_or(Fraction::MAX);
    let unhealthy_loss =
        weigh_ceil(value, bps(reserve.config.liquidation_threshold_bps)).unwrap_or(Fraction::MAX);
    let allowed = frac(obligation.allowed_borrow_value_sf).saturating_sub(allowed_loss);
    if has_debt && frac(obligation.debt_value_bf_sf) > allowed {
        return Err(BallastError::ObligationUnhealthy);
    }
    let deposited = frac(obligation.deposited_value_sf).saturating_sub(value);
    let unhealthy = frac(obligation.unhealthy_borrow_value_sf).saturating_sub(unhealthy_loss);
    let deposit_value = frac(deposit.market_value_sf).saturating_sub(value);

    // Writes.
    let count = obligation.deposits().len();
    if remaining == 0 {
        // Keep the deposits contiguous and in order: later entries move down one place.
        obligation.deposits.copy_within(index.saturating_add(1)..count, index);
        if let Some(last) = obligation.deposits.get_mut(count.saturating_sub(1)) {
            *last = ObligationDeposit::default();
        }
        obligation.deposit_count = obligation.deposit_count.saturating_sub(1);
    } else if let Some(entry) = obligation.deposits.get_mut(index) {
        entry.collateral_amount.set(remaining);
        entry.market_value_sf.set(deposit_value.raw());
    }
    obligation.deposited_value_sf.set(deposited.raw());
    obligation.allowed_borrow_value_sf.set(allowed.raw());
    obligation.unhealthy_borrow_value_sf.set(unhealthy.raw());
    obligation.last_refresh_slot.set(0);
    Ok(())
}

/// Value of `ctokens` of `reserve`, liquidity and value both rounded up.
fn withdrawal_value_ceil(reserve: &Reserve, ctokens: u64) -> Result<Fraction, BallastError> {
    let total = reserve_total_liquidity(reserve)?;
    let liquidity = collateral_to_liquidity_ceil(ctokens, total, reserve.collateral_supply.get())?;
    Ok(market_value_ceil(liquidity, frac(reserve.price_sf), reserve.liquidity_decimals)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bps_and_weights_match_fraction() {
        for bps in 0..=u16::MAX {
            assert_eq!(from_bps(bps), Fraction::from_bps(u64::from(bps)), "{bps}");
        }
        let value = Fraction::from_raw(0x1234_5678_9abc_def0_1234_5678);
        for bps in [0u16, 1, 7_500, 10_000, 12_345, u16::MAX] {
            let weight = from_bps(bps);
            assert_eq!(weigh_floor(value, weight), Ok(value.checked_mul(weight).unwrap()));
            assert_eq!(weigh_ceil(value, weight), Ok(value.checked_mul_ceil(weight).unwrap()));
        }
    }
}
