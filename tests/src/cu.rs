//! Compute units of every instruction, in its common case and, where it differs, its worst case (a full
//! obligation: 8 deposits and 5 borrows), each with the floor it cannot go below.
//!
//! The floor of an instruction is what it pays before any of its own logic: the entrypoint (about 14 CU plus
//! 8 per account), each CPI (946 CU base, its serialization, and the callee's own cost: p-token transfer 76,
//! mint_to 120, burn 131), each sysvar read through a syscall (Clock 140), and each PDA it must derive
//! (1,500 per `create_program_address`). [`Floor::total`] adds them up from the counts a case declares.
//!
//! The bench (`benches/benches/compute_units.rs`) writes [`all`] as the table of `benches/compute_units.md`;
//! `tests/tests/compute_units.rs` caps each case so that a regression fails the tests.

use {
    crate::{
        deleverage::{self, STEP_SLOT},
        fixtures::{
            market_state, mint_account, price_update_account, program_account, reserve_config, reserve_state,
            token_account, ReserveKeys,
        },
        health, ladder_fixtures, lending, mollusk, wallet, zeroed_account,
    },
    ballast_interface::{
        client,
        instruction::{DeleverageSide, InitMarketArgs, SetPreLiquidationArgs, UpdateMarketArgs},
        pod::{Flag, Le128, Le16, Le64},
        state::{
            Market, Obligation, ObligationBorrow, ObligationDeposit, PreLiquidationConfig, Reserve,
            MAX_BORROWS, MAX_DEPOSITS,
        },
    },
    ballast_math::Fraction,
    mollusk_svm::{result::ProgramResult, Mollusk},
    mollusk_svm_result::types::TransactionProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

/// Entrypoint cost without accounts (pinocchio, measured by the eisodos benchmark).
pub const ENTRYPOINT_CU: u64 = 14;
/// Entrypoint cost per account.
pub const PER_ACCOUNT_CU: u64 = 8;
/// Base cost of a CPI (`invoke_units` with SIMD-0339).
pub const CPI_BASE_CU: u64 = 946;
/// Bytes per CU of CPI serialization (instruction data, account metas, account infos).
const CPI_BYTES_PER_CU: u64 = 250;
/// `Clock::get`: 100 plus the size of the Clock.
pub const CLOCK_CU: u64 = 140;
/// `Rent::get`: 100 plus the size of the Rent.
pub const RENT_CU: u64 = 117;
/// One `create_program_address`.
pub const PDA_CU: u64 = 1_500;

/// A cross-program invocation an instruction cannot avoid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cpi {
    /// p-token Transfer.
    Transfer,
    /// p-token MintTo.
    MintTo,
    /// p-token Burn.
    Burn,
    /// System CreateAccount.
    CreateAccount,
    /// p-token InitializeAccount3.
    InitializeAccount3,
    /// p-token InitializeMint2.
    InitializeMint2,
}

impl Cpi {
    /// The callee's own compute units (p-token as measured in mollusk; the system program is a builtin).
    pub const fn callee_cu(self) -> u64 {
        match self {
            Cpi::Transfer => 76,
            Cpi::MintTo => 120,
            Cpi::Burn => 131,
            Cpi::CreateAccount => 150,
            Cpi::InitializeAccount3 => 248,
            Cpi::InitializeMint2 => 228,
        }
    }

    /// Instruction data bytes and account count of the invocation.
    const fn shape(self) -> (u64, u64) {
        match self {
            Cpi::Transfer | Cpi::MintTo | Cpi::Burn => (9, 3),
            Cpi::CreateAccount => (52, 2),
            Cpi::InitializeAccount3 => (33, 2),
            Cpi::InitializeMint2 => (67, 1),
        }
    }

    /// The whole CPI: base, serialization of its data, metas (34 B) and account infos (80 B), callee.
    pub const fn cu(self) -> u64 {
        let (data, accounts) = self.shape();
        CPI_BASE_CU + (data + accounts * (34 + 80)) / CPI_BYTES_PER_CU + self.callee_cu()
    }
}

/// What an instruction case cannot avoid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Floor {
    /// Accounts passed to the program.
    pub accounts: usize,
    /// Its CPIs.
    pub cpis: Vec<Cpi>,
    /// `Clock::get` calls.
    pub clock_reads: u64,
    /// `Rent::get` calls.
    pub rent_reads: u64,
    /// PDAs it must derive on chain.
    pub pda_derivations: u64,
}

impl Floor {
    /// The floor in CU.
    pub fn total(&self) -> u64 {
        ENTRYPOINT_CU
            + PER_ACCOUNT_CU * self.accounts as u64
            + self.cpis.iter().map(|c| c.cu()).sum::<u64>()
            + CLOCK_CU * self.clock_reads
            + RENT_CU * self.rent_reads
            + PDA_CU * self.pda_derivations
    }

    /// How the floor is made, for the table.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("{} acc", self.accounts)];
        for (cpi, name) in [
            (Cpi::Transfer, "transfer"),
            (Cpi::MintTo, "mint_to"),
            (Cpi::Burn, "burn"),
            (Cpi::CreateAccount, "create_account"),
            (Cpi::InitializeAccount3, "init_account"),
            (Cpi::InitializeMint2, "init_mint"),
        ] {
            let n = self.cpis.iter().filter(|c| **c == cpi).count();
            if n > 0 {
                parts.push(format!("{n}× {name}"));
            }
        }
        if self.clock_reads > 0 {
            parts.push("clock".into());
        }
        if self.rent_reads > 0 {
            parts.push("rent".into());
        }
        if self.pda_derivations > 0 {
            parts.push(format!("{} PDA", self.pda_derivations));
        }
        parts.join(", ")
    }
}

/// One measured row.
#[derive(Clone, Debug)]
pub struct Measurement {
    pub instruction: &'static str,
    pub case: &'static str,
    pub cu: u64,
    pub floor: Floor,
}

impl Measurement {
    /// CU over floor.
    pub fn ratio(&self) -> f64 {
        self.cu as f64 / self.floor.total() as f64
    }

    /// The CU of the instruction's own work and account checks: everything but its CPIs.
    pub fn cu_without_cpis(&self) -> u64 {
        self.cu.saturating_sub(self.floor.cpis.iter().map(|c| c.cu()).sum())
    }

    /// DESIGN §9's budget for this instruction, which excludes CPIs: RefreshReserve 2,500; RefreshObligation
    /// 1,500 plus 600 per position; the deposits, RedeemCollateral, Borrow and Repay 3,000; Liquidate and
    /// Deleverage 8,000. `None` for the instructions it does not budget.
    pub fn design_budget(&self) -> Option<u64> {
        match self.instruction {
            "RefreshReserve" => Some(2_500),
            // Its accounts: the obligation, the market, then one reserve per position.
            "RefreshObligation" => Some(1_500 + 600 * self.floor.accounts.saturating_sub(2) as u64),
            "DepositLiquidity" | "DepositCollateral" | "RedeemCollateral" | "Borrow" | "Repay" => Some(3_000),
            "Liquidate" | "Deleverage" => Some(8_000),
            _ => None,
        }
    }
}

fn floor(ix: &Instruction, cpis: &[Cpi], clock_reads: u64) -> Floor {
    Floor { accounts: ix.accounts.len(), cpis: cpis.to_vec(), clock_reads, rent_reads: 0, pda_derivations: 0 }
}

/// Runs `ix` and returns its compute units; panics with the label when it fails.
fn cu(mollusk: &Mollusk, label: &str, ix: &Instruction, accounts: &[(Address, Account)]) -> u64 {
    let result = mollusk.process_instruction(ix, accounts);
    crate::print_program_logs(mollusk, label);
    assert_eq!(result.program_result, ProgramResult::Success, "{label} failed");
    result.compute_units_consumed
}

fn at_slot(slot: u64) -> Mollusk {
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(slot);
    mollusk
}

fn row(instruction: &'static str, case: &'static str, cu: u64, floor: Floor) -> Measurement {
    Measurement { instruction, case, cu, floor }
}

/// Every instruction of the program, in discriminator order, common case first.
pub fn all() -> Vec<Measurement> {
    let mut rows =
        vec![init_market(), update_market(), init_reserve(), update_reserve_config(), collect_fees()];
    rows.extend(refresh_reserve());
    rows.extend(refresh_obligation());
    rows.extend([deposit_liquidity(), redeem_collateral(), init_obligation()]);
    rows.extend(deposit_collateral());
    rows.extend(withdraw_collateral());
    rows.extend(borrow());
    rows.extend(repay());
    rows.push(set_pre_liquidation());
    rows.extend(pre_liquidate());
    rows.extend(liquidate());
    rows.push(start_deleverage());
    rows.extend(deleverage());
    rows.extend([cancel_deleverage(), cover_bad_debt()]);
    rows.extend(flash_loan());
    rows
}

fn init_market() -> Measurement {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let ix = client::init_market(
        &market,
        &owner,
        &InitMarketArgs::with_defaults(b"USD", Address::new_unique(), Address::new_unique()),
    );
    let accounts =
        vec![(market, zeroed_account(&ballast_interface::ID, Market::SIZE)), (owner, wallet(1_000_000_000))];
    let mut f = floor(&ix, &[], 0);
    f.pda_derivations = 1;
    row("InitMarket", "common", cu(&mollusk(), "InitMarket", &ix, &accounts), f)
}

fn update_market() -> Measurement {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let state = market_state(&market, &owner);
    let args = UpdateMarketArgs {
        price_triggered_liquidation_disabled: Flag(1),
        borrow_disabled: Flag(0),
        emergency_mode: Flag(0),
    };
    let ix = client::update_market(&market, &owner, &args);
    let accounts = vec![(market, program_account(&state)), (owner, wallet(1_000_000_000))];
    row("UpdateMarket", "common", cu(&mollusk(), "UpdateMarket", &ix, &accounts), floor(&ix, &[], 0))
}

fn init_reserve() -> Measurement {
    let reserve = Address::new_unique();
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let payer = Address::new_unique();
    let liquidity_mint = Address::new_unique();
    let config = reserve_config(Address::new_unique().to_bytes());
    let ix = client::init_reserve(&reserve, &market, &owner, &payer, &liquidity_mint, &config);
    let mut accounts: Vec<(Address, Account)> = ix.accounts.iter().map(|m| (m.pubkey, wallet(0))).collect();
    accounts[0].1 = zeroed_account(&ballast_interface::ID, Reserve::SIZE);
    accounts[1].1 = program_account(&market_state(&market, &owner));
    accounts[2].1 = wallet(1_000_000_000);
    accounts[3].1 = wallet(10_000_000_000);
    accounts[4].1 = mint_account(Some(&Address::new_unique()), 1_000_000, 6);
    accounts[10] = mollusk_svm_programs_token::token::keyed_account();
    accounts[11] = mollusk_svm::program::keyed_account_for_system_program();
    let cpis = [
        Cpi::CreateAccount,
        Cpi::InitializeAccount3,
        Cpi::CreateAccount,
        Cpi::InitializeAccount3,
        Cpi::CreateAccount,
        Cpi::InitializeAccount3,
        Cpi::CreateAccount,
        Cpi::InitializeMint2,
    ];
    let mut f = floor(&ix, &cpis, 0);
    f.rent_reads = 1;
    f.pda_derivations = 4;
    row("InitReserve", "common", cu(&mollusk(), "InitReserve", &ix, &accounts), f)
}

fn update_reserve_config() -> Measurement {
    let keys = ReserveKeys::new();
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let state = market_state(&market, &owner);
    let reserve = reserve_state(&keys, &market, 6, Fraction::ONE, 10);
    let mut config = reserve.config;
    config.loan_to_value_bps = Le16::new(6_000);
    config.liquidation_threshold_bps = Le16::new(7_000);
    let ix = client::update_reserve_config(&keys.reserve, &market, &owner, &config);
    let accounts = vec![
        (keys.reserve, program_account(&reserve)),
        (market, program_account(&state)),
        (owner, wallet(1_000_000_000)),
    ];
    row(
        "UpdateReserveConfig",
        "common",
        cu(&mollusk(), "UpdateReserveConfig", &ix, &accounts),
        floor(&ix, &[], 0),
    )
}

fn collect_fees() -> Measurement {
    const SLOT: u64 = 5_000;
    let keys = ReserveKeys::new();
    let market = Address::new_unique();
    let state = market_state(&market, &Address::new_unique());
    let mut reserve = reserve_state(&keys, &market, 6, Fraction::ONE, SLOT);
    reserve.available_amount.set(1_000_000);
    reserve.borrowed_amount_sf.set(Fraction::from_integer(500_000).raw());
    reserve.protocol_fees_sf.set(Fraction::from_integer(1_234).raw());
    let authority = state.authority;
    let ix = client::collect_fees(&keys.reserve, &market);
    let accounts = vec![
        (keys.reserve, program_account(&reserve)),
        (market, program_account(&state)),
        (keys.liquidity_vault, token_account(&keys.liquidity_mint, &authority, 1_000_000)),
        (keys.fee_vault, token_account(&keys.liquidity_mint, &authority, 7)),
        (keys.insurance_vault, token_account(&keys.liquidity_mint, &authority, 11)),
        (authority, wallet(0)),
        mollusk_svm_programs_token::token::keyed_account(),
    ];
    let f = floor(&ix, &[Cpi::Transfer, Cpi::Transfer], 1);
    row("CollectFees", "both vaults", cu(&at_slot(SLOT), "CollectFees", &ix, &accounts), f)
}

fn refresh_reserve() -> Vec<Measurement> {
    const START: u64 = 1_000;
    const NOW: i64 = 1_700_000_000;
    let keys = ReserveKeys::new();
    let market = Address::new_unique();
    let mut reserve = reserve_state(&keys, &market, 6, Fraction::from_integer(2), START);
    reserve.available_amount.set(600_000);
    reserve.borrowed_amount_sf = Le128::new(Fraction::from_integer(400_000).raw());
    reserve.price_timestamp.set(NOW - 100);
    let price = price_update_account(keys.feed_id, 12_345_678, -6, NOW - 10);
    let accounts = vec![(keys.reserve, program_account(&reserve)), (keys.price_update, price)];
    let run = |slot: u64, with_price: bool, label: &'static str| {
        let mut mollusk = at_slot(slot);
        mollusk.sysvars.clock.unix_timestamp = NOW;
        let ix = client::refresh_reserve(&keys.reserve, with_price.then_some(&keys.price_update));
        let accounts = if with_price { accounts.clone() } else { accounts[..1].to_vec() };
        row("RefreshReserve", label, cu(&mollusk, "RefreshReserve", &ix, &accounts), floor(&ix, &[], 1))
    };
    vec![
        run(START + 1, true, "price, 1 slot of interest"),
        run(START + 2 * 86_400, true, "price, 2 days of interest"),
        run(START, true, "price, same slot"),
        run(START + 1, false, "no price, 1 slot"),
    ]
}

/// A health env with 8 deposits and 5 borrows, each of its own reserve, every debt with interest to rescale
/// (the RefreshObligation test's full obligation).
fn full_health_env() -> health::Env {
    use health::{COLLATERAL, DEBT, UNIT};
    let mut env = health::env();
    env.deposit(COLLATERAL, 100 * UNIT);
    for _ in 1..MAX_DEPOSITS {
        let index = env.add_reserve(Fraction::from_bps(15_000), 1_000 * UNIT, 100 * UNIT, 900 * UNIT);
        env.deposit(index, 50 * UNIT);
    }
    env.add_borrow(DEBT, Fraction::from_integer(UNIT), Fraction::ONE);
    for _ in 1..MAX_BORROWS {
        let index = env.add_reserve(Fraction::from_bps(5_000), 1_000 * UNIT, 0, 0);
        env.add_borrow(index, Fraction::from_integer(UNIT), Fraction::ONE);
    }
    for reserve in 0..env.reserves.len() {
        env.edit_reserve(reserve, |r| {
            r.cumulative_borrow_index_sf = Le128::new(Fraction::from_bps(10_100).raw())
        });
    }
    env
}

/// One deposit (100 cTokens worth 110) and one borrow (20 tokens at price 2).
fn common_health_env() -> health::Env {
    use health::{COLLATERAL, DEBT, UNIT};
    let mut env = health::env();
    env.deposit(COLLATERAL, 100 * UNIT);
    env.add_borrow(DEBT, Fraction::from_integer(20 * UNIT), Fraction::ONE);
    env
}

fn refresh_obligation() -> Vec<Measurement> {
    let run = |env: &health::Env, label: &'static str| {
        let (deposits, borrows) = env.position_reserves();
        let ix = client::refresh_obligation(&env.obligation, &env.market, &deposits, &borrows);
        let cu = cu(&at_slot(health::SLOT), "RefreshObligation", &ix, &env.world.accounts_for(&ix));
        row("RefreshObligation", label, cu, floor(&ix, &[], 1))
    };
    vec![
        run(&common_health_env(), "1 deposit, 1 borrow"),
        run(&full_health_env(), "full: 8 deposits, 5 borrows"),
    ]
}

fn deposit_liquidity() -> Measurement {
    let env = lending::env();
    let ix = client::deposit_liquidity(
        &env.keys.reserve,
        &env.market,
        &env.user,
        &env.user_liquidity,
        &env.user_collateral,
        1_000,
    );
    let cu = cu(&at_slot(lending::SLOT), "DepositLiquidity", &ix, &env.world.accounts_for(&ix));
    row("DepositLiquidity", "common", cu, floor(&ix, &[Cpi::Transfer, Cpi::MintTo], 1))
}

fn redeem_collateral() -> Measurement {
    let env = lending::env();
    let ix = client::redeem_collateral(
        &env.keys.reserve,
        &env.market,
        &env.user,
        &env.user_liquidity,
        &env.user_collateral,
        909,
    );
    let cu = cu(&at_slot(lending::SLOT), "RedeemCollateral", &ix, &env.world.accounts_for(&ix));
    row("RedeemCollateral", "common", cu, floor(&ix, &[Cpi::Burn, Cpi::Transfer], 1))
}

fn init_obligation() -> Measurement {
    let mut env = lending::env();
    let owner = Address::new_unique();
    let payer = Address::new_unique();
    env.world.set(owner, wallet(0));
    env.world.set(payer, wallet(10_000_000_000));
    let (ix, obligation) = client::init_obligation(&env.market, &owner, &payer, 3);
    env.world.set(obligation, Account::default());
    let cu = cu(&at_slot(lending::SLOT), "InitObligation", &ix, &env.world.accounts_for(&ix));
    let mut f = floor(&ix, &[Cpi::CreateAccount], 0);
    f.pda_derivations = 1;
    row("InitObligation", "common", cu, f)
}

/// Fills the lending env's obligation up to `deposits` deposits and `borrows` borrows of unrelated reserves.
fn fill_lending_obligation(env: &mut lending::Env, deposits: usize, borrows: usize) {
    env.edit_obligation(|o: &mut Obligation| {
        while usize::from(o.deposit_count) < deposits {
            let i = usize::from(o.deposit_count);
            o.deposits[i].reserve = Address::new_unique();
            o.deposits[i].collateral_amount = Le64::new(1_000);
            o.deposit_count += 1;
        }
    });
    while usize::from(env.obligation().borrow_count) < borrows {
        env.add_borrow(Address::new_unique(), Fraction::from_integer(7), Fraction::ONE);
    }
}

fn deposit_collateral() -> Vec<Measurement> {
    let ix = |env: &lending::Env, ctokens: u64| {
        client::deposit_collateral(
            &env.obligation,
            &env.keys.reserve,
            &env.market,
            &env.user,
            &env.user_collateral,
            ctokens,
        )
    };
    let env = lending::env();
    let common = ix(&env, 400_000);
    let common_cu =
        cu(&at_slot(lending::SLOT), "DepositCollateral", &common, &env.world.accounts_for(&common));
    // Full: 7 other deposits and 5 borrows, the reserve's deposit last.
    let mut full_env = lending::env();
    fill_lending_obligation(&mut full_env, MAX_DEPOSITS - 1, MAX_BORROWS);
    full_env.deposit_into_obligation(full_env.keys.reserve, 1_000);
    let full = ix(&full_env, 400_000);
    let full_cu =
        cu(&at_slot(lending::SLOT), "DepositCollateral full", &full, &full_env.world.accounts_for(&full));
    vec![
        row("DepositCollateral", "new entry", common_cu, floor(&common, &[Cpi::Burn], 0)),
        row("DepositCollateral", "full: 8th deposit of 8", full_cu, floor(&full, &[Cpi::Burn], 0)),
    ]
}

fn withdraw_collateral() -> Vec<Measurement> {
    use health::{COLLATERAL, UNIT};
    let run = |env: &health::Env, label: &'static str| {
        let ix = client::withdraw_collateral(&env.withdraw_accounts(COLLATERAL), UNIT);
        let cu = cu(&at_slot(health::SLOT), "WithdrawCollateral", &ix, &env.world.accounts_for(&ix));
        row("WithdrawCollateral", label, cu, floor(&ix, &[Cpi::MintTo], 1))
    };
    let mut common = common_health_env();
    common.refresh();
    let mut full = full_health_env();
    full.refresh();
    vec![run(&common, "with debt, 1 deposit, 1 borrow"), run(&full, "full: 8 deposits, 5 borrows")]
}

fn borrow() -> Vec<Measurement> {
    use health::{DEBT, UNIT};
    let run = |env: &health::Env, label: &'static str| {
        let ix = client::borrow(&env.borrow_accounts(DEBT), UNIT);
        let cu = cu(&at_slot(health::SLOT), "Borrow", &ix, &env.world.accounts_for(&ix));
        row("Borrow", label, cu, floor(&ix, &[Cpi::Transfer], 1))
    };
    let mut common = common_health_env();
    common.refresh();
    let mut full = full_health_env();
    full.refresh();
    vec![run(&common, "1 deposit, 1 borrow"), run(&full, "full: 8 deposits, 5 borrows")]
}

fn repay() -> Vec<Measurement> {
    let ix = |env: &lending::Env, amount: u64| {
        client::repay(&env.obligation, &env.keys.reserve, &env.market, &env.user, &env.user_liquidity, amount)
    };
    let mut common = lending::env();
    common.add_borrow(common.keys.reserve, Fraction::from_integer(lending::BORROWED), Fraction::ONE);
    let partial = ix(&common, 40_000);
    let partial_cu = cu(&at_slot(lending::SLOT), "Repay", &partial, &common.world.accounts_for(&partial));
    let whole = ix(&common, u64::MAX);
    let whole_cu = cu(&at_slot(lending::SLOT), "Repay whole", &whole, &common.world.accounts_for(&whole));
    // Full: 8 deposits and 5 borrows, the repaid borrow first (its removal shifts the other four).
    let mut full = lending::env();
    full.add_borrow(full.keys.reserve, Fraction::from_integer(lending::BORROWED), Fraction::ONE);
    fill_lending_obligation(&mut full, MAX_DEPOSITS, MAX_BORROWS);
    let full_ix = ix(&full, u64::MAX);
    let full_cu = cu(&at_slot(lending::SLOT), "Repay full", &full_ix, &full.world.accounts_for(&full_ix));
    vec![
        row("Repay", "partial", partial_cu, floor(&partial, &[Cpi::Transfer], 1)),
        row("Repay", "whole debt, removes the borrow", whole_cu, floor(&whole, &[Cpi::Transfer], 1)),
        row("Repay", "full: whole first borrow of 5", full_cu, floor(&full_ix, &[Cpi::Transfer], 1)),
    ]
}

fn set_pre_liquidation() -> Measurement {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let (obligation, state) = crate::fixtures::obligation_state(&market, &owner, 0);
    let args = SetPreLiquidationArgs {
        enabled: Flag::ON,
        pre_ltv_bps: Le16::new(9_000),
        close_factor_start_bps: Le16::new(10),
        close_factor_end_bps: Le16::new(2_500),
        incentive_start_bps: Le16::new(10_000),
        incentive_end_bps: Le16::new(10_500),
    };
    let ix = client::set_pre_liquidation(&obligation, &owner, &args);
    let accounts = vec![(obligation, program_account(&state)), (owner, wallet(1_000_000_000))];
    row(
        "SetPreLiquidation",
        "common",
        cu(&mollusk(), "SetPreLiquidation", &ix, &accounts),
        floor(&ix, &[], 0),
    )
}

/// Adds 7 small deposits and 4 small borrows of copies of the collateral reserve to a liquidation case, and
/// refreshes it with every reserve (the Liquidate test's full obligation). Returns the extra reserves.
fn fill_liquidation_case(case: &mut ladder_fixtures::LiquidationCase) -> Vec<(Address, Reserve)> {
    use ladder_fixtures::{add_borrow, add_deposit, SOL};
    let others: Vec<(Address, Reserve)> = (0..MAX_DEPOSITS + MAX_BORROWS - 2)
        .map(|_| {
            let mut r = case.coll_reserve;
            r.config.liquidation_threshold_bps = Le16::new(8_000);
            (Address::new_unique(), r)
        })
        .collect();
    for (address, _) in &others[..MAX_DEPOSITS - 1] {
        add_deposit(&mut case.obligation_state, address, SOL / 100);
    }
    for (address, reserve) in &others[MAX_DEPOSITS - 1..] {
        add_borrow(&mut case.obligation_state, address, reserve, 1_000_000);
    }
    let mut reserves = case.reserves();
    reserves.extend(others.iter().cloned());
    ladder_fixtures::refresh(&mut case.obligation_state, &reserves, &case.market_state, case.slot);
    others
}

fn morpho_case(debt: u64) -> ladder_fixtures::LiquidationCase {
    let mut case = ladder_fixtures::LiquidationCase::new(0);
    case.coll_reserve.config.loan_to_value_bps = Le16::new(9_000);
    case.coll_reserve.config.liquidation_threshold_bps = Le16::new(9_150);
    case.obligation_state.borrows[0].borrowed_amount_sf = Le128::new(Fraction::from_integer(debt).raw());
    case.debt_reserve.borrowed_amount_sf = case.obligation_state.borrows[0].borrowed_amount_sf;
    case.obligation_state.pre_liquidation = PreLiquidationConfig {
        enabled: Flag::ON,
        padding: 0,
        pre_ltv_bps: Le16::new(9_000),
        close_factor_start_bps: Le16::new(10),
        close_factor_end_bps: Le16::new(2_500),
        incentive_start_bps: Le16::new(10_000),
        incentive_end_bps: Le16::new(10_500),
    };
    case.refresh();
    case
}

fn run_liquidation(
    name: &'static str,
    label: &'static str,
    case: &ladder_fixtures::LiquidationCase,
    ix: &Instruction,
) -> Measurement {
    let cu = cu(&at_slot(case.slot), name, ix, &case.accounts());
    row(name, label, cu, floor(ix, &[Cpi::Transfer, Cpi::Transfer], 1))
}

fn pre_liquidate() -> Vec<Measurement> {
    let common = morpho_case(914_900_000);
    let common_ix = client::pre_liquidate(&common.liquidate_accounts(), u64::MAX, 0);
    let mut full = morpho_case(914_900_000);
    fill_liquidation_case(&mut full);
    let full_ix = client::pre_liquidate(&full.liquidate_accounts(), u64::MAX, 0);
    vec![
        run_liquidation("PreLiquidate", "1 deposit, 1 borrow", &common, &common_ix),
        run_liquidation("PreLiquidate", "full: 8 deposits, 5 borrows", &full, &full_ix),
    ]
}

fn liquidate() -> Vec<Measurement> {
    let common = ladder_fixtures::LiquidationCase::new(850);
    let common_ix = client::liquidate(&common.liquidate_accounts(), u64::MAX, 0);
    let mut full = ladder_fixtures::LiquidationCase::new(850);
    fill_liquidation_case(&mut full);
    let full_ix = client::liquidate(&full.liquidate_accounts(), u64::MAX, 0);
    vec![
        run_liquidation("Liquidate", "1 deposit, 1 borrow", &common, &common_ix),
        run_liquidation("Liquidate", "full: 8 deposits, 5 borrows", &full, &full_ix),
    ]
}

fn start_deleverage() -> Measurement {
    let world = deleverage::World::new();
    let args = client::start_deleverage_args(
        DeleverageSide::Supply,
        deleverage::NEW_CAP,
        0,
        deleverage::SLOTS_PER_BPS,
        50,
    );
    let ix = client::start_deleverage(&world.c.reserve, &world.market, &world.council, &args);
    let cu = cu(&at_slot(STEP_SLOT), "StartDeleverage", &ix, &world.accounts_for(&ix));
    row("StartDeleverage", "common", cu, floor(&ix, &[], 1))
}

fn deleverage() -> Vec<Measurement> {
    let common = deleverage::World::deleveraging(DeleverageSide::Supply);
    let common_ix = common.deleverage_ix(DeleverageSide::Supply, u64::MAX, 0);
    let common_cu = cu(&at_slot(STEP_SLOT), "Deleverage", &common_ix, &common.accounts_for(&common_ix));
    // Full: 6 more deposits and 4 more borrows, each of its own reserve, all passed for the penalty cap.
    let mut full = deleverage::World::deleveraging(DeleverageSide::Supply);
    let extra: Vec<Address> = (0..MAX_DEPOSITS - 2 + MAX_BORROWS - 1)
        .map(|_| {
            let keys = ReserveKeys::new();
            let mut r = reserve_state(&keys, &full.market, 6, Fraction::ONE, STEP_SLOT);
            r.available_amount.set(1_000 * deleverage::TOKEN);
            r.collateral_supply.set(1_000 * deleverage::TOKEN);
            r.config.max_liquidation_bonus_bps.set(1_000);
            full.accounts.push((keys.reserve, program_account(&r)));
            keys.reserve
        })
        .collect();
    full.edit_obligation(|o| {
        for reserve in &extra[..MAX_DEPOSITS - 2] {
            o.deposits[usize::from(o.deposit_count)] = ObligationDeposit {
                reserve: *reserve,
                collateral_amount: Le64::new(1),
                market_value_sf: Le128::new(0),
            };
            o.deposit_count += 1;
        }
        for reserve in &extra[MAX_DEPOSITS - 2..] {
            o.borrows[usize::from(o.borrow_count)] = ObligationBorrow {
                reserve: *reserve,
                borrowed_amount_sf: Le128::new(Fraction::ONE.raw()),
                cumulative_borrow_index_sf: Le128::new(Fraction::ONE.raw()),
                market_value_sf: Le128::new(0),
            };
            o.borrow_count += 1;
        }
    });
    let mut accounts = full.deleverage_accounts();
    accounts.other_reserves.extend(extra);
    let full_ix = client::deleverage(&accounts, DeleverageSide::Supply, u64::MAX, 0);
    let full_cu = cu(&at_slot(STEP_SLOT), "Deleverage full", &full_ix, &full.accounts_for(&full_ix));
    let cpis = [Cpi::Transfer, Cpi::Transfer];
    vec![
        row("Deleverage", "supply side, 2 deposits, 1 borrow", common_cu, floor(&common_ix, &cpis, 1)),
        row("Deleverage", "full: 8 deposits, 5 borrows", full_cu, floor(&full_ix, &cpis, 1)),
    ]
}

fn cancel_deleverage() -> Measurement {
    let world = deleverage::World::deleveraging(DeleverageSide::Supply);
    let ix =
        client::cancel_deleverage(&world.c.reserve, &world.market, &world.council, DeleverageSide::Supply);
    let cu = cu(&at_slot(STEP_SLOT), "CancelDeleverage", &ix, &world.accounts_for(&ix));
    row("CancelDeleverage", "common", cu, floor(&ix, &[], 0))
}

fn cover_bad_debt() -> Measurement {
    let mut case = ladder_fixtures::LiquidationCase::new(100);
    case.obligation_state.deposit_count = 0;
    case.obligation_state.deposits = Default::default();
    case.refresh();
    let authority = case.market_authority();
    let ix = client::cover_bad_debt(
        &case.obligation,
        &case.market,
        &case.debt.reserve,
        &case.debt.insurance_vault,
        &case.debt.liquidity_vault,
        &authority,
    );
    let accounts = vec![
        (case.obligation, program_account(&case.obligation_state)),
        (case.market, program_account(&case.market_state)),
        (case.debt.reserve, program_account(&case.debt_reserve)),
        (
            case.debt.insurance_vault,
            token_account(&case.debt.liquidity_mint, &authority, 30 * ladder_fixtures::USDC),
        ),
        (
            case.debt.liquidity_vault,
            token_account(&case.debt.liquidity_mint, &authority, case.debt_reserve.available_amount.get()),
        ),
        (authority, Account::default()),
        mollusk_svm_programs_token::token::keyed_account(),
    ];
    let cu = cu(&at_slot(case.slot), "CoverBadDebt", &ix, &accounts);
    row("CoverBadDebt", "insurance pays part", cu, floor(&ix, &[Cpi::Transfer], 1))
}

/// FlashBorrow alone (with an instructions sysvar that shows its repayment), and FlashRepay as the
/// difference between the borrow-and-repay transaction and the borrow alone.
fn flash_loan() -> Vec<Measurement> {
    const SLOT: u64 = 1_000;
    let market = Address::new_unique();
    let market_data = market_state(&market, &Address::new_unique());
    let keys = ReserveKeys::new();
    let mut reserve = reserve_state(&keys, &market, 6, Fraction::from_integer(1), SLOT);
    reserve.available_amount.set(1_000_000_000);
    reserve.collateral_supply.set(1_000_000_000);
    let user = Address::new_unique();
    let user_tokens = Address::new_unique();
    let amount = 400_000_000;
    let borrow = client::flash_borrow(&keys.reserve, &market, &keys.liquidity_vault, &user_tokens, amount);
    let repay =
        client::flash_repay(&keys.reserve, &market, &keys.liquidity_vault, &user_tokens, &user, amount, 0);
    let mut accounts = vec![
        (keys.reserve, program_account(&reserve)),
        (market, program_account(&market_data)),
        (keys.liquidity_vault, token_account(&keys.liquidity_mint, &market_data.authority, 1_000_000_000)),
        (user_tokens, token_account(&keys.liquidity_mint, &user, 5_000_000)),
        (market_data.authority, Account::default()),
        mollusk_svm_programs_token::token::keyed_account(),
        (user, wallet(1_000_000_000)),
    ];
    let mollusk = at_slot(SLOT);
    let pair = mollusk.process_transaction_instructions(&[borrow.clone(), repay.clone()], &accounts);
    assert_eq!(pair.program_result, TransactionProgramResult::Success, "FlashBorrow + FlashRepay failed");
    accounts.push(mollusk_svm::instructions_sysvar::keyed_account([borrow.clone(), repay.clone()].iter()));
    let borrow_cu = cu(&mollusk, "FlashBorrow", &borrow, &accounts);
    let repay_cu = pair.compute_units_consumed - borrow_cu;
    vec![
        row("FlashBorrow", "common", borrow_cu, floor(&borrow, &[Cpi::Transfer], 1)),
        row("FlashRepay", "common (pair − borrow)", repay_cu, floor(&repay, &[Cpi::Transfer], 0)),
    ]
}

/// The table of `benches/compute_units.md`.
pub fn markdown(rows: &[Measurement]) -> String {
    let mut out = String::from("| Instruction | Case | CU | Floor | Ratio | Floor made of |\n");
    out.push_str("|---|---|---:|---:|---:|---|\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {:.2}x | {} |\n",
            r.instruction,
            r.case,
            r.cu,
            r.floor.total(),
            r.ratio(),
            r.floor.describe()
        ));
    }
    out
}

/// The cases DESIGN §9 budgets, their CU without CPIs against the budget.
pub fn budget_markdown(rows: &[Measurement]) -> String {
    let mut out = String::from("| Instruction | Case | CU without CPIs | DESIGN §9 budget | |\n");
    out.push_str("|---|---|---:|---:|---|\n");
    for r in rows {
        if let Some(budget) = r.design_budget() {
            let own = r.cu_without_cpis();
            let verdict = if own <= budget { "within" } else { "**over**" };
            out.push_str(&format!("| {} | {} | {own} | {budget} | {verdict} |\n", r.instruction, r.case));
        }
    }
    out
}
