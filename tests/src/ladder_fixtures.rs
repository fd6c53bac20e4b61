//! Fixtures of the liquidation tests: a market with a collateral reserve and a debt reserve, an obligation
//! whose cached health is computed exactly as `RefreshObligation` leaves it, the liquidator's token accounts
//! and the vaults, all in the account order of `Liquidate`.

use {
    crate::fixtures::{
        market_state, obligation_state, program_account, reserve_state, token_account, ReserveKeys,
    },
    ballast_interface::{
        client::LiquidateAccounts,
        pod::{Le128, Le64},
        state::{Market, Obligation, ObligationBorrow, ObligationDeposit, Reserve},
    },
    ballast_math::{
        health::{BorrowPosition, DepositPosition, Health},
        reserve::{collateral_to_liquidity_floor, rescale_debt_ceil, total_liquidity},
        value::{market_value, market_value_of_fraction_ceil},
        Fraction,
    },
    solana_account::Account,
    solana_address::Address,
};

pub fn bps(value: u16) -> Fraction {
    Fraction::from_bps(u64::from(value))
}

/// Brings every borrow to its reserve's index and recomputes the cached values as `RefreshObligation` does:
/// deposits valued at the cToken exchange rate (rounded down), debts rounded up, the priority fields over
/// legs worth at least the market's skip values, `liquidatable_since_slot` set on the first liquidatable
/// refresh, the price status the AND of the reserves'.
pub fn refresh(obligation: &mut Obligation, reserves: &[(Address, Reserve)], market: &Market, slot: u64) {
    let find = |address: &Address| {
        reserves.iter().find(|(a, _)| a == address).map(|(_, r)| r).expect("reserve of the obligation")
    };
    let mut health = Health::ZERO;
    let mut status = u8::MAX;
    let mut highest_bf = 0u16;
    let mut lowest_lt = u16::MAX;
    let skip_ltv = Fraction::from_integer(market.min_value_skip_ltv_checks.get());
    let skip_bf = Fraction::from_integer(market.min_value_skip_bf_checks.get());
    let deposit_count = usize::from(obligation.deposit_count);
    for deposit in &mut obligation.deposits[..deposit_count] {
        let reserve = find(&deposit.reserve);
        status &= reserve.price_status;
        let value = deposit_value(reserve, deposit.collateral_amount.get());
        deposit.market_value_sf = Le128::new(value.raw());
        let lt = reserve.config.liquidation_threshold_bps.get();
        health = health
            .with_deposit(&DepositPosition {
                value,
                ltv: bps(reserve.config.loan_to_value_bps.get()),
                liquidation_threshold: bps(lt),
            })
            .unwrap();
        if value >= skip_ltv && lt > 0 {
            lowest_lt = lowest_lt.min(lt);
        }
    }
    let borrow_count = usize::from(obligation.borrow_count);
    for borrow in &mut obligation.borrows[..borrow_count] {
        let reserve = find(&borrow.reserve);
        status &= reserve.price_status;
        let index = Fraction::from_raw(reserve.cumulative_borrow_index_sf.get());
        let debt = rescale_debt_ceil(
            Fraction::from_raw(borrow.borrowed_amount_sf.get()),
            Fraction::from_raw(borrow.cumulative_borrow_index_sf.get()),
            index,
        )
        .unwrap();
        borrow.borrowed_amount_sf = Le128::new(debt.raw());
        borrow.cumulative_borrow_index_sf = Le128::new(index.raw());
        let value = market_value_of_fraction_ceil(
            debt,
            Fraction::from_raw(reserve.price_sf.get()),
            reserve.liquidity_decimals,
        )
        .unwrap();
        borrow.market_value_sf = Le128::new(value.raw());
        let bf = reserve.config.borrow_factor_bps.get();
        health = health.with_borrow(&BorrowPosition { value, borrow_factor: bps(bf) }).unwrap();
        if value >= skip_bf {
            highest_bf = highest_bf.max(bf);
        }
    }
    obligation.deposited_value_sf = Le128::new(health.deposited_value.raw());
    obligation.allowed_borrow_value_sf = Le128::new(health.allowed_borrow_value.raw());
    obligation.unhealthy_borrow_value_sf = Le128::new(health.unhealthy_borrow_value.raw());
    obligation.borrowed_value_sf = Le128::new(health.borrowed_value.raw());
    obligation.debt_value_bf_sf = Le128::new(health.debt_value_bf.raw());
    obligation.highest_borrow_factor_bps.set(highest_bf);
    obligation.lowest_liquidation_threshold_bps.set(lowest_lt);
    obligation.price_status = if deposit_count + borrow_count == 0 { 0 } else { status };
    if health.is_liquidatable() {
        if obligation.liquidatable_since_slot.get() == 0 {
            obligation.liquidatable_since_slot.set(slot);
        }
    } else {
        obligation.liquidatable_since_slot.set(0);
    }
    obligation.last_refresh_slot.set(slot);
}

/// Value of `ctokens` of a reserve at its exchange rate and price, rounded down.
pub fn deposit_value(reserve: &Reserve, ctokens: u64) -> Fraction {
    let liquidity =
        collateral_to_liquidity_floor(ctokens, reserve_total(reserve), reserve.collateral_supply.get())
            .unwrap();
    market_value(liquidity, Fraction::from_raw(reserve.price_sf.get()), reserve.liquidity_decimals).unwrap()
}

pub fn reserve_total(reserve: &Reserve) -> Fraction {
    total_liquidity(
        reserve.available_amount.get(),
        Fraction::from_raw(reserve.borrowed_amount_sf.get()),
        Fraction::from_raw(reserve.protocol_fees_sf.get()),
    )
    .unwrap()
}

/// The cached health of an obligation.
pub fn health_of(obligation: &Obligation) -> Health {
    ballast_interface::logic::liquidation::cached_health(obligation)
}

/// Adds a deposit of `ctokens` of `reserve` to the obligation.
pub fn add_deposit(obligation: &mut Obligation, reserve: &Address, ctokens: u64) {
    let i = usize::from(obligation.deposit_count);
    obligation.deposits[i] = ObligationDeposit {
        reserve: *reserve,
        collateral_amount: Le64::new(ctokens),
        market_value_sf: Le128::new(0),
    };
    obligation.deposit_count += 1;
}

/// Adds a borrow of `amount` base units of `reserve` (at the reserve's current index) to the obligation.
pub fn add_borrow(obligation: &mut Obligation, reserve_address: &Address, reserve: &Reserve, amount: u64) {
    let i = usize::from(obligation.borrow_count);
    obligation.borrows[i] = ObligationBorrow {
        reserve: *reserve_address,
        borrowed_amount_sf: Le128::new(Fraction::from_integer(amount).raw()),
        cumulative_borrow_index_sf: reserve.cumulative_borrow_index_sf,
        market_value_sf: Le128::new(0),
    };
    obligation.borrow_count += 1;
}

/// Sets a reserve's liquidity: `available` in the vault, `borrowed` lent out, `ctokens` cTokens in
/// existence.
pub fn fund(reserve: &mut Reserve, available: u64, borrowed: u64, ctokens: u64) {
    reserve.available_amount = Le64::new(available);
    reserve.borrowed_amount_sf = Le128::new(Fraction::from_integer(borrowed).raw());
    reserve.collateral_supply = Le64::new(ctokens);
}

/// A market, a collateral reserve (9 decimals, $100), a debt reserve (6 decimals, $1), one obligation with a
/// deposit of `collateral` and a borrow of `debt`, and a liquidator holding `liquidator_funds` of the debt
/// asset. Refreshed at `slot`.
pub struct LiquidationCase {
    pub slot: u64,
    pub market: Address,
    pub market_state: Market,
    pub borrower: Address,
    pub obligation: Address,
    pub obligation_state: Obligation,
    pub coll: ReserveKeys,
    pub coll_reserve: Reserve,
    pub debt: ReserveKeys,
    pub debt_reserve: Reserve,
    pub liquidator: Address,
    pub source: Address,
    pub source_amount: u64,
    pub destination: Address,
    pub destination_amount: u64,
}

pub const SLOT: u64 = 1_000;
pub const SOL: u64 = 1_000_000_000;
pub const USDC: u64 = 1_000_000;

impl LiquidationCase {
    /// 10 SOL at $100 deposited (LT 80%), `debt_usdc` USDC borrowed.
    pub fn new(debt_usdc: u64) -> Self {
        let market = Address::new_unique();
        let market_state = market_state(&market, &Address::new_unique());
        let coll = ReserveKeys::new();
        let debt = ReserveKeys::new();
        let mut coll_reserve = reserve_state(&coll, &market, 9, Fraction::from_integer(100), SLOT);
        let mut debt_reserve = reserve_state(&debt, &market, 6, Fraction::ONE, SLOT);
        fund(&mut coll_reserve, 1_000 * SOL, 0, 1_000 * SOL);
        fund(&mut debt_reserve, 100_000 * USDC, debt_usdc * USDC, 100_000 * USDC + debt_usdc * USDC);
        let borrower = Address::new_unique();
        let (obligation, mut obligation_state) = obligation_state(&market, &borrower, 0);
        add_deposit(&mut obligation_state, &coll.reserve, 10 * SOL);
        add_borrow(&mut obligation_state, &debt.reserve, &debt_reserve, debt_usdc * USDC);
        let mut case = Self {
            slot: SLOT,
            market,
            market_state,
            borrower,
            obligation,
            obligation_state,
            coll,
            coll_reserve,
            debt,
            debt_reserve,
            liquidator: Address::new_unique(),
            source: Address::new_unique(),
            source_amount: 1_000_000 * USDC,
            destination: Address::new_unique(),
            destination_amount: 0,
        };
        case.refresh();
        case
    }

    pub fn reserves(&self) -> Vec<(Address, Reserve)> {
        vec![(self.coll.reserve, self.coll_reserve), (self.debt.reserve, self.debt_reserve)]
    }

    /// Recomputes the obligation's cache at the case's slot.
    pub fn refresh(&mut self) {
        let reserves = self.reserves();
        refresh(&mut self.obligation_state, &reserves, &self.market_state, self.slot);
    }

    /// Sets the collateral price (quote per SOL) and refreshes.
    pub fn set_coll_price(&mut self, price: Fraction) {
        self.coll_reserve.price_sf = Le128::new(price.raw());
        self.refresh();
    }

    pub fn market_authority(&self) -> Address {
        self.market_state.authority
    }

    pub fn liquidate_accounts(&self) -> LiquidateAccounts {
        LiquidateAccounts {
            obligation: self.obligation,
            market: self.market,
            repay_reserve: self.debt.reserve,
            withdraw_reserve: self.coll.reserve,
            liquidator: self.liquidator,
            source: self.source,
            destination: self.destination,
            repay_vault: self.debt.liquidity_vault,
            withdraw_vault: self.coll.liquidity_vault,
            market_authority: self.market_authority(),
        }
    }

    /// Every account of `Liquidate`, in its order.
    pub fn accounts(&self) -> Vec<(Address, Account)> {
        let authority = self.market_authority();
        vec![
            (self.obligation, program_account(&self.obligation_state)),
            (self.market, program_account(&self.market_state)),
            (self.debt.reserve, program_account(&self.debt_reserve)),
            (self.coll.reserve, program_account(&self.coll_reserve)),
            (self.liquidator, crate::wallet(1_000_000_000)),
            (self.source, token_account(&self.debt.liquidity_mint, &self.liquidator, self.source_amount)),
            (
                self.destination,
                token_account(&self.coll.liquidity_mint, &self.liquidator, self.destination_amount),
            ),
            (
                self.debt.liquidity_vault,
                token_account(
                    &self.debt.liquidity_mint,
                    &authority,
                    self.debt_reserve.available_amount.get(),
                ),
            ),
            (
                self.coll.liquidity_vault,
                token_account(
                    &self.coll.liquidity_mint,
                    &authority,
                    self.coll_reserve.available_amount.get(),
                ),
            ),
            (authority, Account::default()),
            mollusk_svm_programs_token::token::keyed_account(),
        ]
    }
}
