//! A market under auto-deleverage, written straight from the layouts, shared by the StartDeleverage,
//! Deleverage and CancelDeleverage tests.
//!
//! - Collateral reserve C: 6 decimals at $10; 1,000 tokens supplied (800 available, 200 borrowed) for 1,000
//!   cTokens (exchange rate 1); LT 80 %, max liquidation bonus 10 %.
//! - Debt reserve D: 6 decimals at $1; 1,500 supplied (500 available, 1,000 borrowed); max bonus 10 %.
//! - Other reserve O: 6 decimals at $1; max liquidation bonus 6 %, the lowest of the position.
//! - The obligation: 100 C ($1,000) and 100 O ($100) deposited, 880 D borrowed: LTV 80 %, refreshed now.
//! - The executor holds 1,000 D and an empty C account.

use {
    crate::fixtures::{
        market_state, obligation_state, program_account, reserve_state, token_account, ReserveKeys,
    },
    ballast_interface::{
        client,
        instruction::DeleverageSide,
        pod::{Flag, Le128, Le16, Le64},
        state::{
            DeleverageState, Market, Obligation, ObligationBorrow, ObligationDeposit, Reserve,
            DELEVERAGE_BORROW, DELEVERAGE_SUPPLY,
        },
    },
    ballast_math::Fraction,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

pub const TOKEN: u64 = 1_000_000;
/// Slots per bps of LTV decay (1 bps per hour).
pub const SLOTS_PER_BPS: u64 = 7_200;
/// 3.4 days at 2 slots per second.
pub const DAYS_3_4: u64 = 587_520;
/// The margin call ended at this slot.
pub const MARGIN_CALL_END: u64 = 600_000;
/// Slot of the deleverage steps: 3.4 days after the margin call.
pub const STEP_SLOT: u64 = MARGIN_CALL_END + DAYS_3_4;
pub const MIN_PENALTY_BPS: u16 = 50;
pub const NEW_CAP: u64 = 800 * TOKEN;

/// Positions in [`World::accounts`].
pub mod at {
    pub const OBLIGATION: usize = 0;
    pub const MARKET: usize = 1;
    pub const C_RESERVE: usize = 2;
    pub const D_RESERVE: usize = 3;
    pub const O_RESERVE: usize = 4;
    pub const EXECUTOR: usize = 5;
    pub const EXECUTOR_D: usize = 6;
    pub const EXECUTOR_C: usize = 7;
    pub const C_VAULT: usize = 8;
    pub const D_VAULT: usize = 9;
    pub const AUTHORITY: usize = 10;
    pub const TOKEN_PROGRAM: usize = 11;
    pub const COUNCIL: usize = 12;
}

pub struct World {
    pub market: Address,
    pub council: Address,
    pub obligation: Address,
    pub c: ReserveKeys,
    pub d: ReserveKeys,
    pub o: ReserveKeys,
    pub executor: Address,
    pub executor_d: Address,
    pub executor_c: Address,
    pub authority: Address,
    pub accounts: Vec<(Address, Account)>,
}

fn reserve_with(
    keys: &ReserveKeys,
    market: &Address,
    price: u64,
    available: u64,
    borrowed: u64,
    ctokens: u64,
    max_bonus_bps: u16,
) -> Reserve {
    let mut r = reserve_state(keys, market, 6, Fraction::from_integer(price), STEP_SLOT);
    r.available_amount.set(available);
    r.borrowed_amount_sf.set(Fraction::from_integer(borrowed).raw());
    r.collateral_supply.set(ctokens);
    r.config.max_liquidation_bonus_bps.set(max_bonus_bps);
    r
}

/// A running deleverage whose margin call ended at [`MARGIN_CALL_END`].
pub fn running(cap: u64) -> DeleverageState {
    DeleverageState {
        active: Flag::ON,
        padding: [0; 5],
        min_penalty_bps: Le16::new(MIN_PENALTY_BPS),
        target_cap: Le64::new(cap),
        start_slot: Le64::new(MARGIN_CALL_END - 518_400),
        margin_call_end_slot: Le64::new(MARGIN_CALL_END),
        slots_per_bps: Le64::new(SLOTS_PER_BPS),
    }
}

impl World {
    /// The market above, with no deleverage running.
    pub fn new() -> Self {
        let market = Address::new_unique();
        let owner = Address::new_unique();
        let market_state: Market = market_state(&market, &owner);
        let council = market_state.risk_council;
        let authority = market_state.authority;
        let (c, d, o) = (ReserveKeys::new(), ReserveKeys::new(), ReserveKeys::new());
        let c_reserve = reserve_with(&c, &market, 10, 800 * TOKEN, 200 * TOKEN, 1_000 * TOKEN, 1_000);
        let d_reserve = reserve_with(&d, &market, 1, 500 * TOKEN, 1_000 * TOKEN, 1_500 * TOKEN, 1_000);
        let o_reserve = reserve_with(&o, &market, 1, 500 * TOKEN, 0, 500 * TOKEN, 600);

        let borrower = Address::new_unique();
        let (obligation, mut ob) = obligation_state(&market, &borrower, 0);
        let value = |v: u64| Le128::new(Fraction::from_integer(v).raw());
        ob.deposit_count = 2;
        ob.deposits[0] = ObligationDeposit {
            reserve: c.reserve,
            collateral_amount: Le64::new(100 * TOKEN),
            market_value_sf: value(1_000),
        };
        ob.deposits[1] = ObligationDeposit {
            reserve: o.reserve,
            collateral_amount: Le64::new(100 * TOKEN),
            market_value_sf: value(100),
        };
        ob.borrow_count = 1;
        ob.borrows[0] = ObligationBorrow {
            reserve: d.reserve,
            borrowed_amount_sf: Le128::new(Fraction::from_integer(880 * TOKEN).raw()),
            cumulative_borrow_index_sf: Le128::new(Fraction::ONE.raw()),
            market_value_sf: value(880),
        };
        refreshed(&mut ob, 1_100, 880, STEP_SLOT);

        let executor = Address::new_unique();
        let (executor_d, executor_c) = (Address::new_unique(), Address::new_unique());
        let accounts = vec![
            (obligation, program_account(&ob)),
            (market, program_account(&market_state)),
            (c.reserve, program_account(&c_reserve)),
            (d.reserve, program_account(&d_reserve)),
            (o.reserve, program_account(&o_reserve)),
            (executor, crate::wallet(1_000_000_000)),
            (executor_d, token_account(&d.liquidity_mint, &executor, 1_000 * TOKEN)),
            (executor_c, token_account(&c.liquidity_mint, &executor, 0)),
            (c.liquidity_vault, token_account(&c.liquidity_mint, &authority, 800 * TOKEN)),
            (d.liquidity_vault, token_account(&d.liquidity_mint, &authority, 500 * TOKEN)),
            (authority, Account::default()),
            mollusk_svm_programs_token::token::keyed_account(),
            (council, crate::wallet(1_000_000_000)),
        ];
        Self { market, council, obligation, c, d, o, executor, executor_d, executor_c, authority, accounts }
    }

    /// The same market with a deleverage on `side` of C (supply) or D (borrow), capped at [`NEW_CAP`].
    pub fn deleveraging(side: DeleverageSide) -> Self {
        let mut world = Self::new();
        match side {
            DeleverageSide::Supply => {
                world.edit_reserve(at::C_RESERVE, |r| r.deleverage[DELEVERAGE_SUPPLY] = running(NEW_CAP))
            }
            DeleverageSide::Borrow => {
                world.edit_reserve(at::D_RESERVE, |r| r.deleverage[DELEVERAGE_BORROW] = running(NEW_CAP))
            }
        }
        world
    }

    pub fn reserve(&self, index: usize) -> Reserve {
        crate::read_state(&self.accounts[index].1)
    }

    pub fn edit_reserve(&mut self, index: usize, edit: impl FnOnce(&mut Reserve)) {
        let mut r = self.reserve(index);
        edit(&mut r);
        self.accounts[index].1.data = bytemuck::bytes_of(&r).to_vec();
    }

    pub fn obligation_state(&self) -> Obligation {
        crate::read_state(&self.accounts[at::OBLIGATION].1)
    }

    pub fn edit_obligation(&mut self, edit: impl FnOnce(&mut Obligation)) {
        let mut o = self.obligation_state();
        edit(&mut o);
        self.accounts[at::OBLIGATION].1.data = bytemuck::bytes_of(&o).to_vec();
    }

    /// Deleverage accounts for `side`: supply repays D and withdraws C; borrow repays D and withdraws C too
    /// (the target is then D). O goes in the remaining accounts.
    pub fn deleverage_accounts(&self) -> client::DeleverageAccounts {
        client::DeleverageAccounts {
            obligation: self.obligation,
            market: self.market,
            repay_reserve: self.d.reserve,
            withdraw_reserve: self.c.reserve,
            executor: self.executor,
            executor_source: self.executor_d,
            executor_destination: self.executor_c,
            repay_vault: self.d.liquidity_vault,
            withdraw_vault: self.c.liquidity_vault,
            other_reserves: vec![self.o.reserve],
        }
    }

    pub fn deleverage_ix(&self, side: DeleverageSide, max_repay: u64, min_received: u64) -> Instruction {
        client::deleverage(&self.deleverage_accounts(), side, max_repay, min_received)
    }

    /// The accounts an instruction uses, in `self.accounts` order (mollusk needs each once).
    pub fn accounts_for(&self, ix: &Instruction) -> Vec<(Address, Account)> {
        let mut out: Vec<(Address, Account)> = Vec::new();
        for meta in &ix.accounts {
            if out.iter().any(|(k, _)| *k == meta.pubkey) {
                continue;
            }
            let account = self
                .accounts
                .iter()
                .find(|(k, _)| *k == meta.pubkey)
                .map(|(_, a)| a.clone())
                .unwrap_or_default();
            out.push((meta.pubkey, account));
        }
        out
    }
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

/// Writes the cached health a refresh at `slot` would leave for `deposited` and `debt` (borrow factor 1,
/// LTV 75 %, LT 80 % on every deposit), with fully checked prices.
pub fn refreshed(obligation: &mut Obligation, deposited: u64, debt: u64, slot: u64) {
    let dv = Fraction::from_integer(deposited);
    obligation.deposited_value_sf.set(dv.raw());
    obligation.borrowed_value_sf.set(Fraction::from_integer(debt).raw());
    obligation.debt_value_bf_sf.set(Fraction::from_integer(debt).raw());
    obligation.allowed_borrow_value_sf.set(dv.checked_mul(Fraction::from_bps(7_500)).unwrap().raw());
    obligation.unhealthy_borrow_value_sf.set(dv.checked_mul(Fraction::from_bps(8_000)).unwrap().raw());
    obligation.last_refresh_slot.set(slot);
    obligation.price_status =
        ballast_interface::state::PRICE_LOADED | ballast_interface::state::PRICE_FULLY_CHECKED;
}

/// `(total liquidity, cToken supply)` of a reserve: its exchange rate as an exact ratio.
pub fn exchange_rate(reserve: &Reserve) -> (u128, u64) {
    let total = ballast_math::reserve::total_liquidity(
        reserve.available_amount.get(),
        Fraction::from_raw(reserve.borrowed_amount_sf.get()),
        Fraction::from_raw(reserve.protocol_fees_sf.get()),
    )
    .unwrap();
    (total.raw(), reserve.collateral_supply.get())
}

/// Whether rate `after` is at least rate `before` (cross-multiplied exactly in 256 bits).
pub fn rate_not_lower(before: (u128, u64), after: (u128, u64)) -> bool {
    let wide = |a: u128, b: u64| {
        // a × b as (hi, lo) of 64-bit limbs, exact.
        let lo = (a & u128::from(u64::MAX)) * u128::from(b);
        let hi = (a >> 64) * u128::from(b) + (lo >> 64);
        (hi, lo & u128::from(u64::MAX))
    };
    wide(after.0, before.1) >= wide(before.0, after.1)
}
