//! Adversarial suite: every instruction, from a valid baseline, under every generic account and data mutation.
//!
//! For each instruction a baseline that succeeds is built from the shared fixtures. Mutations are then
//! derived mechanically from the baseline's account metas and accounts, so that a new account in an
//! instruction is attacked without anyone writing a test for it:
//!
//! - `signer[i]`: the signer flag of account `i` cleared;
//! - `readonly[i]`: the writable flag of account `i` cleared;
//! - `owner[i]`: a program, token or mint account owned by another program;
//! - `type[i]:<Kind>`: a program account replaced by a valid account of another type (type confusion);
//! - `version[i]`: a program account of a layout version this program does not know;
//! - `zeroed[i]`: a program account with every byte zero (uninitialized);
//! - `foreign[i]`: a reserve or obligation whose `market` is another market;
//! - `stale[i]`: a reserve or obligation last refreshed in the previous slot;
//! - `address[i]`: the same bytes at another address (substituted vault, mint, market, PDA or program);
//! - `mint[i]`: a token account of another mint;
//! - `dup[i->j]`: account `i` passed again in role `j` (two roles that must differ);
//! - `data-truncated`, `data-extended`, `data-empty`: instruction data one byte short, one byte long, empty;
//! - `accounts-missing`: the last account dropped;
//! - `amount-0`, `amount-max`: the instruction's amount argument 0 and `u64::MAX`.
//!
//! Every mutation's outcome is pinned in `adversarial/expected.rs`: either the specific `BallastError` (and
//! then every account must be byte-for-byte unchanged), or `accepted` where the mutation is legitimate (a
//! user may pay from any of their token accounts). A mutation without a pinned outcome fails the test, and so
//! does any rejection that is not a `BallastError`. `BALLAST_ADVERSARIAL_PRINT=1` prints the observed table.

#[path = "adversarial/expected.rs"]
mod expected;

use {
    ballast_interface::{
        client,
        instruction::{
            DeleverageSide, FlashRepayArgs, InitMarketArgs, SetPreLiquidationArgs, UpdateMarketArgs,
        },
        pod::{Flag, Le16, Le64},
        state::{Market, Obligation, PreLiquidationConfig, Reserve},
    },
    ballast_math::Fraction,
    ballast_tests::{
        deleverage::{self as dl, World as DeleverageWorld},
        fixtures::{
            market_state, mint_account, obligation_state, price_update_account, program_account,
            reserve_config, reserve_state, token_account, ReserveKeys, TOKEN_PROGRAM_ID,
        },
        health,
        ladder_fixtures::LiquidationCase,
        lending, mollusk, wallet, zeroed_account,
    },
    mollusk_svm::{result::InstructionResult, Mollusk},
    mollusk_svm_result::{types::TransactionProgramResult, ProgramResult},
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
    solana_program_error::ProgramError,
    std::collections::BTreeMap,
};

const TOKEN_2022_ID: Address = Address::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
const INSTRUCTIONS_SYSVAR: Address = Address::from_str_const("Sysvar1nstructions1111111111111111111111111");

/// A valid instruction with its accounts and clock; `amount` rebuilds it with another amount argument.
pub struct Baseline {
    pub name: &'static str,
    pub ix: Instruction,
    pub accounts: Vec<(Address, Account)>,
    pub slot: u64,
    pub unix_timestamp: i64,
    pub amount: Option<Box<dyn Fn(u64) -> Instruction>>,
    /// Instructions that run before this one in the same transaction (FlashRepay needs its FlashBorrow);
    /// the instructions sysvar is then the runtime's.
    pub prefix: Vec<Instruction>,
}

impl Baseline {
    fn new(name: &'static str, ix: Instruction, pool: Vec<(Address, Account)>, slot: u64) -> Self {
        Self { name, ix, accounts: pool, slot, unix_timestamp: 0, amount: None, prefix: Vec::new() }
    }

    fn with_amount(mut self, amount: impl Fn(u64) -> Instruction + 'static) -> Self {
        self.amount = Some(Box::new(amount));
        self
    }

    fn mollusk(&self) -> Mollusk {
        let mut mollusk = mollusk();
        mollusk.warp_to_slot(self.slot);
        mollusk.sysvars.clock.unix_timestamp = self.unix_timestamp;
        mollusk
    }

    fn get(&self, key: &Address) -> Account {
        self.accounts.iter().find(|(k, _)| k == key).map(|(_, a)| a.clone()).unwrap_or_default()
    }
}

/// The accounts `ix` names, each once, taken from `pool` (a missing one is an empty system account).
fn accounts_for(ix: &Instruction, pool: &[(Address, Account)]) -> Vec<(Address, Account)> {
    let mut out: Vec<(Address, Account)> = Vec::new();
    for meta in &ix.accounts {
        if !out.iter().any(|(k, _)| *k == meta.pubkey) {
            let account = pool.iter().find(|(k, _)| *k == meta.pubkey).map(|(_, a)| a.clone());
            out.push((meta.pubkey, account.unwrap_or_default()));
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Program(u8),
    Token,
    Mint,
    Executable,
    Other,
}

fn class(account: &Account) -> Class {
    if account.executable {
        Class::Executable
    } else if account.owner == ballast_interface::ID && !account.data.is_empty() {
        Class::Program(account.data[0])
    } else if account.owner == TOKEN_PROGRAM_ID && account.data.len() == 165 {
        Class::Token
    } else if account.owner == TOKEN_PROGRAM_ID && account.data.len() == 82 {
        Class::Mint
    } else {
        Class::Other
    }
}

fn kind_name(kind: u8) -> &'static str {
    match kind {
        1 => "Market",
        2 => "Reserve",
        3 => "Obligation",
        _ => "Unknown",
    }
}

/// One valid account of each program type, for type confusion.
fn type_templates() -> Vec<(u8, Account)> {
    let market = Address::new_unique();
    let keys = ReserveKeys::new();
    let (_, obligation) = obligation_state(&market, &Address::new_unique(), 0);
    vec![
        (1, program_account(&market_state(&market, &Address::new_unique()))),
        (2, program_account(&reserve_state(&keys, &market, 6, Fraction::ONE, 0))),
        (3, program_account(&obligation)),
    ]
}

pub struct Mutation {
    pub name: String,
    pub ix: Instruction,
    pub pool: Vec<(Address, Account)>,
}

fn set_account(pool: &mut Vec<(Address, Account)>, key: Address, account: Account) {
    match pool.iter_mut().find(|(k, _)| *k == key) {
        Some((_, a)) => *a = account,
        None => pool.push((key, account)),
    }
}

fn edit_state<T: bytemuck::Pod>(account: &Account, edit: impl FnOnce(&mut T)) -> Account {
    let mut state: T = bytemuck::pod_read_unaligned(&account.data);
    edit(&mut state);
    let mut out = account.clone();
    out.data = bytemuck::bytes_of(&state).to_vec();
    out
}

/// Every generic mutation of `base`.
pub fn mutations(base: &Baseline) -> Vec<Mutation> {
    let mut out = Vec::new();
    let mut push = |name: String, ix: Instruction, pool: Vec<(Address, Account)>| {
        out.push(Mutation { name, ix, pool });
    };
    let metas = &base.ix.accounts;
    let templates = type_templates();
    for (i, meta) in metas.iter().enumerate() {
        let account = base.get(&meta.pubkey);
        let cls = class(&account);
        if meta.is_signer {
            let mut ix = base.ix.clone();
            ix.accounts[i].is_signer = false;
            push(format!("signer[{i}]"), ix, base.accounts.clone());
        }
        if meta.is_writable && cls != Class::Other {
            let mut ix = base.ix.clone();
            ix.accounts[i].is_writable = false;
            push(format!("readonly[{i}]"), ix, base.accounts.clone());
        }
        if matches!(cls, Class::Program(_) | Class::Token | Class::Mint) {
            let mut pool = base.accounts.clone();
            let mut a = account.clone();
            a.owner = Address::new_unique();
            set_account(&mut pool, meta.pubkey, a);
            push(format!("owner[{i}]"), base.ix.clone(), pool);
        }
        if let Class::Program(kind) = cls {
            for (other, template) in &templates {
                if *other != kind {
                    let mut pool = base.accounts.clone();
                    set_account(&mut pool, meta.pubkey, template.clone());
                    push(format!("type[{i}]:{}", kind_name(*other)), base.ix.clone(), pool);
                }
            }
            if account.data.len() > 1 && account.data.iter().any(|b| *b != 0) {
                let mut pool = base.accounts.clone();
                let mut a = account.clone();
                a.data[1] = a.data[1].wrapping_add(1);
                set_account(&mut pool, meta.pubkey, a);
                push(format!("version[{i}]"), base.ix.clone(), pool);
            }
            if account.data.iter().any(|b| *b != 0) {
                let mut pool = base.accounts.clone();
                let mut a = account.clone();
                a.data.iter_mut().for_each(|b| *b = 0);
                set_account(&mut pool, meta.pubkey, a);
                push(format!("zeroed[{i}]"), base.ix.clone(), pool);
            }
            let foreign = Address::new_unique();
            let stale_slot = base.slot - 1;
            let edited = match kind {
                2 => Some((
                    edit_state::<Reserve>(&account, |r| r.market = foreign),
                    edit_state::<Reserve>(&account, |r| r.last_update_slot.set(stale_slot)),
                )),
                3 => Some((
                    edit_state::<Obligation>(&account, |o| o.market = foreign),
                    edit_state::<Obligation>(&account, |o| o.last_refresh_slot.set(stale_slot)),
                )),
                _ => None,
            };
            if let Some((foreign_account, stale_account)) = edited {
                let mut pool = base.accounts.clone();
                set_account(&mut pool, meta.pubkey, foreign_account);
                push(format!("foreign[{i}]"), base.ix.clone(), pool);
                let mut pool = base.accounts.clone();
                set_account(&mut pool, meta.pubkey, stale_account);
                push(format!("stale[{i}]"), base.ix.clone(), pool);
            }
        }
        if cls == Class::Token {
            let mut pool = base.accounts.clone();
            let mut a = account.clone();
            a.data[0..32].copy_from_slice(Address::new_unique().as_ref());
            set_account(&mut pool, meta.pubkey, a);
            push(format!("mint[{i}]"), base.ix.clone(), pool);
        }
        // The same bytes at another address: substituted vaults, mints, PDAs, programs. Program accounts are
        // authenticated by owner and type, not by address (only the program can write their bytes), so they
        // are attacked by `owner`, `type`, `zeroed` and `foreign` instead.
        if !meta.is_signer && meta.pubkey != INSTRUCTIONS_SYSVAR && !matches!(cls, Class::Program(_)) {
            let substitute =
                if meta.pubkey == TOKEN_PROGRAM_ID { TOKEN_2022_ID } else { Address::new_unique() };
            let mut ix = base.ix.clone();
            for m in ix.accounts.iter_mut().filter(|m| m.pubkey == meta.pubkey) {
                m.pubkey = substitute;
            }
            let mut pool = base.accounts.clone();
            set_account(&mut pool, substitute, account.clone());
            push(format!("address[{i}]"), ix, pool);
        }
    }
    // Duplicates: account i again in role j, for two roles of the same class.
    for (i, a) in metas.iter().enumerate() {
        for (j, b) in metas.iter().enumerate() {
            let (ca, cb) = (class(&base.get(&a.pubkey)), class(&base.get(&b.pubkey)));
            let same = match (ca, cb) {
                (Class::Program(_), Class::Program(_)) => true,
                (x, y) => x == y && matches!(x, Class::Token | Class::Mint),
            };
            if i != j && a.pubkey != b.pubkey && same {
                let mut ix = base.ix.clone();
                ix.accounts[j].pubkey = a.pubkey;
                push(format!("dup[{i}->{j}]"), ix, base.accounts.clone());
            }
        }
    }
    let mut ix = base.ix.clone();
    ix.data.pop();
    push("data-truncated".into(), ix, base.accounts.clone());
    let mut ix = base.ix.clone();
    ix.data.push(0);
    push("data-extended".into(), ix, base.accounts.clone());
    let mut ix = base.ix.clone();
    ix.data.clear();
    push("data-empty".into(), ix, base.accounts.clone());
    let mut ix = base.ix.clone();
    ix.accounts.pop();
    push("accounts-missing".into(), ix, base.accounts.clone());
    if let Some(amount) = &base.amount {
        push("amount-0".into(), amount(0), base.accounts.clone());
        push("amount-max".into(), amount(u64::MAX), base.accounts.clone());
    }
    out
}

/// The outcome of a run, as pinned in the table: `accepted`, a `BallastError` name, or `runtime:<error>`
/// (refused by the runtime or the token program, each pinned with its reason in the table).
fn outcome(result: &ProgramResult) -> String {
    match result {
        ProgramResult::Success => "accepted".into(),
        ProgramResult::Failure(ProgramError::Custom(code)) => expected::error_name(*code)
            .map(str::to_string)
            .unwrap_or_else(|| format!("runtime:Custom({code})")),
        other => format!("runtime:{other:?}"),
    }
}

type Accounts = Vec<(Address, Account)>;

/// Runs `ix` (after the baseline's prefix, in one transaction) over `pool`; returns the program result and
/// the accounts before and after.
fn run(
    mollusk: &Mollusk,
    base: &Baseline,
    ix: &Instruction,
    pool: &[(Address, Account)],
) -> (ProgramResult, Accounts, Accounts) {
    if base.prefix.is_empty() {
        let accounts = accounts_for(ix, pool);
        let InstructionResult { program_result, resulting_accounts, .. } =
            mollusk.process_instruction(ix, &accounts);
        return (program_result, accounts, resulting_accounts);
    }
    let mut instructions = base.prefix.clone();
    instructions.push(ix.clone());
    let mut accounts: Vec<(Address, Account)> = Vec::new();
    for i in &instructions {
        for (key, account) in accounts_for(i, pool) {
            if key != INSTRUCTIONS_SYSVAR && !accounts.iter().any(|(k, _)| *k == key) {
                accounts.push((key, account));
            }
        }
    }
    let result = mollusk.process_transaction_instructions(&instructions, &accounts);
    let program_result = match result.program_result {
        TransactionProgramResult::Success => ProgramResult::Success,
        TransactionProgramResult::Failure(_, error) => ProgramResult::Failure(error),
        TransactionProgramResult::UnknownError(_, error) => ProgramResult::UnknownError(error),
    };
    (program_result, accounts, result.resulting_accounts)
}

// ---- Baselines -------------------------------------------------------------------------------------------

fn init_market() -> Baseline {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let args = InitMarketArgs::with_defaults(b"USD", Address::new_unique(), Address::new_unique());
    let pool =
        vec![(market, zeroed_account(&ballast_interface::ID, Market::SIZE)), (owner, wallet(1_000_000_000))];
    Baseline::new("InitMarket", client::init_market(&market, &owner, &args), pool, 10)
}

fn update_market() -> Baseline {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let args = UpdateMarketArgs {
        price_triggered_liquidation_disabled: Flag::ON,
        borrow_disabled: Flag::ON,
        emergency_mode: Flag::ON,
    };
    let pool =
        vec![(market, program_account(&market_state(&market, &owner))), (owner, wallet(1_000_000_000))];
    Baseline::new("UpdateMarket", client::update_market(&market, &owner, &args), pool, 10)
}

fn init_reserve() -> Baseline {
    let reserve = Address::new_unique();
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let payer = Address::new_unique();
    let mint = Address::new_unique();
    let config = reserve_config(Address::new_unique().to_bytes());
    let ix = client::init_reserve(&reserve, &market, &owner, &payer, &mint, &config);
    let mut pool: Vec<(Address, Account)> = ix.accounts.iter().map(|m| (m.pubkey, wallet(0))).collect();
    pool[0].1 = zeroed_account(&ballast_interface::ID, Reserve::SIZE);
    pool[1].1 = program_account(&market_state(&market, &owner));
    pool[2].1 = wallet(1_000_000_000);
    pool[3].1 = wallet(10_000_000_000);
    pool[4].1 = mint_account(Some(&Address::new_unique()), 1_000_000, 6);
    pool[10] = mollusk_svm_programs_token::token::keyed_account();
    pool[11] = mollusk_svm::program::keyed_account_for_system_program();
    Baseline::new("InitReserve", ix, pool, 10)
}

fn update_reserve_config() -> Baseline {
    let keys = ReserveKeys::new();
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let reserve = reserve_state(&keys, &market, 6, Fraction::ONE, 10);
    let mut config = reserve.config;
    config.loan_to_value_bps = Le16::new(6_000);
    let pool = vec![
        (keys.reserve, program_account(&reserve)),
        (market, program_account(&market_state(&market, &owner))),
        (owner, wallet(1_000_000_000)),
    ];
    let ix = client::update_reserve_config(&keys.reserve, &market, &owner, &config);
    Baseline::new("UpdateReserveConfig", ix, pool, 10)
}

fn collect_fees() -> Baseline {
    let keys = ReserveKeys::new();
    let market = Address::new_unique();
    let market_data = market_state(&market, &Address::new_unique());
    let mut reserve = reserve_state(&keys, &market, 6, Fraction::ONE, 5_000);
    reserve.available_amount.set(1_000_000);
    reserve.borrowed_amount_sf.set(Fraction::from_integer(500_000).raw());
    reserve.protocol_fees_sf.set(Fraction::from_integer(1_234).raw());
    let authority = market_data.authority;
    let pool = vec![
        (keys.reserve, program_account(&reserve)),
        (market, program_account(&market_data)),
        (keys.liquidity_vault, token_account(&keys.liquidity_mint, &authority, 1_000_000)),
        (keys.fee_vault, token_account(&keys.liquidity_mint, &authority, 7)),
        (keys.insurance_vault, token_account(&keys.liquidity_mint, &authority, 11)),
        (authority, wallet(0)),
        mollusk_svm_programs_token::token::keyed_account(),
    ];
    Baseline::new("CollectFees", client::collect_fees(&keys.reserve, &market), pool, 5_000)
}

fn refresh_reserve() -> Baseline {
    const NOW: i64 = 1_700_000_000;
    let keys = ReserveKeys::new();
    let market = Address::new_unique();
    let mut reserve = reserve_state(&keys, &market, 6, Fraction::from_integer(2), 1_000);
    reserve.available_amount.set(600_000);
    reserve.borrowed_amount_sf.set(Fraction::from_integer(400_000).raw());
    reserve.price_timestamp.set(NOW - 100);
    let pool = vec![
        (keys.reserve, program_account(&reserve)),
        (keys.price_update, price_update_account(keys.feed_id, 12_345_678, -6, NOW - 10)),
    ];
    let mut base = Baseline::new(
        "RefreshReserve",
        client::refresh_reserve(&keys.reserve, Some(&keys.price_update)),
        pool,
        1_010,
    );
    base.unix_timestamp = NOW;
    base
}

/// Health env: 100 cTokens of collateral, 20 tokens of debt, refreshed.
fn health_env() -> health::Env {
    let mut env = health::env();
    env.deposit(health::COLLATERAL, 100 * health::UNIT);
    env.add_borrow(health::DEBT, Fraction::from_integer(20 * health::UNIT), Fraction::ONE);
    env.refresh();
    env
}

fn refresh_obligation() -> Baseline {
    let env = health_env();
    let (deposits, borrows) = env.position_reserves();
    let ix = client::refresh_obligation(&env.obligation, &env.market, &deposits, &borrows);
    Baseline::new("RefreshObligation", ix, env.world.accounts.clone(), health::SLOT)
}

fn lending_env() -> lending::Env {
    lending::env()
}

fn deposit_liquidity() -> Baseline {
    let env = lending_env();
    let ix = move |e: &lending::Env, amount| {
        client::deposit_liquidity(
            &e.keys.reserve,
            &e.market,
            &e.user,
            &e.user_liquidity,
            &e.user_collateral,
            amount,
        )
    };
    let e2 = env.clone();
    Baseline::new("DepositLiquidity", ix(&env, 1_000), env.world.accounts.clone(), lending::SLOT)
        .with_amount(move |a| ix(&e2, a))
}

fn redeem_collateral() -> Baseline {
    let env = lending_env();
    let ix = move |e: &lending::Env, amount| {
        client::redeem_collateral(
            &e.keys.reserve,
            &e.market,
            &e.user,
            &e.user_liquidity,
            &e.user_collateral,
            amount,
        )
    };
    let e2 = env.clone();
    Baseline::new("RedeemCollateral", ix(&env, 909), env.world.accounts.clone(), lending::SLOT)
        .with_amount(move |a| ix(&e2, a))
}

fn init_obligation() -> Baseline {
    let mut env = lending_env();
    let owner = Address::new_unique();
    let payer = Address::new_unique();
    env.world.set(owner, wallet(0));
    env.world.set(payer, wallet(10_000_000_000));
    let (ix, obligation) = client::init_obligation(&env.market, &owner, &payer, 3);
    env.world.set(obligation, Account::default());
    Baseline::new("InitObligation", ix, env.world.accounts.clone(), lending::SLOT)
}

fn deposit_collateral() -> Baseline {
    let mut env = lending_env();
    env.edit_obligation(|o| o.last_refresh_slot.set(lending::SLOT));
    let ix = move |e: &lending::Env, amount| {
        client::deposit_collateral(
            &e.obligation,
            &e.keys.reserve,
            &e.market,
            &e.user,
            &e.user_collateral,
            amount,
        )
    };
    let e2 = env.clone();
    Baseline::new("DepositCollateral", ix(&env, 400_000), env.world.accounts.clone(), lending::SLOT)
        .with_amount(move |a| ix(&e2, a))
}

fn withdraw_collateral() -> Baseline {
    let env = health_env();
    let accounts = env.withdraw_accounts(health::COLLATERAL);
    let ix = client::withdraw_collateral(&accounts, health::UNIT);
    Baseline::new("WithdrawCollateral", ix, env.world.accounts.clone(), health::SLOT)
        .with_amount(move |a| client::withdraw_collateral(&accounts, a))
}

fn borrow() -> Baseline {
    let env = health_env();
    let accounts = env.borrow_accounts(health::DEBT);
    let ix = client::borrow(&accounts, health::UNIT);
    Baseline::new("Borrow", ix, env.world.accounts.clone(), health::SLOT)
        .with_amount(move |a| client::borrow(&accounts, a))
}

fn repay() -> Baseline {
    let mut env = lending_env();
    env.add_borrow(env.keys.reserve, Fraction::from_integer(lending::BORROWED), Fraction::ONE);
    let ix = move |e: &lending::Env, amount| {
        client::repay(&e.obligation, &e.keys.reserve, &e.market, &e.user, &e.user_liquidity, amount)
    };
    let e2 = env.clone();
    Baseline::new("Repay", ix(&env, 40_000), env.world.accounts.clone(), lending::SLOT)
        .with_amount(move |a| ix(&e2, a))
}

fn set_pre_liquidation() -> Baseline {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let (obligation, state) = obligation_state(&market, &owner, 0);
    let args = SetPreLiquidationArgs {
        enabled: Flag::ON,
        pre_ltv_bps: Le16::new(9_000),
        close_factor_start_bps: Le16::new(10),
        close_factor_end_bps: Le16::new(2_500),
        incentive_start_bps: Le16::new(10_000),
        incentive_end_bps: Le16::new(10_500),
    };
    let pool = vec![(obligation, program_account(&state)), (owner, wallet(1_000_000_000))];
    Baseline::new("SetPreLiquidation", client::set_pre_liquidation(&obligation, &owner, &args), pool, 10)
}

fn pre_liquidate() -> Baseline {
    let mut case = LiquidationCase::new(0);
    case.coll_reserve.config.loan_to_value_bps = Le16::new(9_000);
    case.coll_reserve.config.liquidation_threshold_bps = Le16::new(9_150);
    let debt = ballast_interface::pod::Le128::new(Fraction::from_integer(914_900_000).raw());
    case.obligation_state.borrows[0].borrowed_amount_sf = debt;
    case.debt_reserve.borrowed_amount_sf = debt;
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
    let accounts = case.liquidate_accounts();
    let ix = client::pre_liquidate(&accounts, 100_000_000, 0);
    Baseline::new("PreLiquidate", ix, case.accounts(), case.slot)
        .with_amount(move |a| client::pre_liquidate(&accounts, a, 0))
}

fn liquidate() -> Baseline {
    let case = LiquidationCase::new(850);
    let accounts = case.liquidate_accounts();
    let ix = client::liquidate(&accounts, 100_000_000, 0);
    Baseline::new("Liquidate", ix, case.accounts(), case.slot)
        .with_amount(move |a| client::liquidate(&accounts, a, 0))
}

fn start_deleverage() -> Baseline {
    let world = DeleverageWorld::new();
    let args = client::start_deleverage_args(DeleverageSide::Supply, dl::NEW_CAP, 0, dl::SLOTS_PER_BPS, 50);
    let ix = client::start_deleverage(&world.c.reserve, &world.market, &world.council, &args);
    Baseline::new("StartDeleverage", ix, world.accounts.clone(), dl::STEP_SLOT)
}

fn deleverage() -> Baseline {
    let world = DeleverageWorld::deleveraging(DeleverageSide::Supply);
    let accounts = world.deleverage_accounts();
    let ix = client::deleverage(&accounts, DeleverageSide::Supply, 100 * dl::TOKEN, 0);
    Baseline::new("Deleverage", ix, world.accounts.clone(), dl::STEP_SLOT)
        .with_amount(move |a| client::deleverage(&accounts, DeleverageSide::Supply, a, 0))
}

fn cancel_deleverage() -> Baseline {
    let world = DeleverageWorld::deleveraging(DeleverageSide::Supply);
    let ix =
        client::cancel_deleverage(&world.c.reserve, &world.market, &world.council, DeleverageSide::Supply);
    Baseline::new("CancelDeleverage", ix, world.accounts.clone(), dl::STEP_SLOT)
}

fn cover_bad_debt() -> Baseline {
    let mut case = LiquidationCase::new(100);
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
    let mut pool = case.accounts();
    pool.push((
        case.debt.insurance_vault,
        token_account(&case.debt.liquidity_mint, &authority, 1_000 * 1_000_000),
    ));
    Baseline::new("CoverBadDebt", ix, pool, case.slot)
}

fn flash_borrow() -> Baseline {
    let (ix, pool) = ballast_tests::flash::flash_borrow_alone(1_000);
    Baseline::new("FlashBorrow", ix, pool, 1_000)
}

fn flash_repay() -> Baseline {
    let market = Address::new_unique();
    let market_data = market_state(&market, &Address::new_unique());
    let keys = ReserveKeys::new();
    let mut reserve = reserve_state(&keys, &market, 6, Fraction::ONE, 1_000);
    let amount = 400_000_000;
    reserve.available_amount.set(1_000_000_000);
    let user = Address::new_unique();
    let user_tokens = Address::new_unique();
    let borrow = client::flash_borrow(&keys.reserve, &market, &keys.liquidity_vault, &user_tokens, amount);
    let repay =
        client::flash_repay(&keys.reserve, &market, &keys.liquidity_vault, &user_tokens, &user, amount, 0);
    // The reserve and vault before the loan: FlashBorrow runs first in the same transaction.
    let pool = vec![
        (keys.reserve, program_account(&reserve)),
        (market, program_account(&market_data)),
        (keys.liquidity_vault, token_account(&keys.liquidity_mint, &market_data.authority, 1_000_000_000)),
        (user_tokens, token_account(&keys.liquidity_mint, &user, 1_000_000)),
        (user, wallet(1_000_000_000)),
        (market_data.authority, Account::default()),
        mollusk_svm_programs_token::token::keyed_account(),
    ];
    let amount_ix = move |a: u64| {
        let mut ix = repay.clone();
        let args = FlashRepayArgs { amount: Le64::new(a), borrow_instruction_index: 0 };
        ix.data = ballast_interface::instruction::encode(
            ballast_interface::instruction::BallastInstruction::FlashRepay,
            &args,
        );
        ix
    };
    let mut base = Baseline::new("FlashRepay", amount_ix(amount), pool, 1_000).with_amount(amount_ix);
    base.prefix = vec![borrow];
    base
}

pub fn baselines() -> Vec<Baseline> {
    vec![
        init_market(),
        update_market(),
        init_reserve(),
        update_reserve_config(),
        collect_fees(),
        refresh_reserve(),
        refresh_obligation(),
        deposit_liquidity(),
        redeem_collateral(),
        init_obligation(),
        deposit_collateral(),
        withdraw_collateral(),
        borrow(),
        repay(),
        set_pre_liquidation(),
        pre_liquidate(),
        liquidate(),
        start_deleverage(),
        deleverage(),
        cancel_deleverage(),
        cover_bad_debt(),
        flash_borrow(),
        flash_repay(),
    ]
}

#[test]
fn every_instruction_rejects_every_mutation_with_its_pinned_error_and_changes_nothing() {
    let table: BTreeMap<(&str, &str), &str> =
        expected::EXPECTED.iter().map(|(i, m, e)| ((*i, *m), *e)).collect();
    let print = std::env::var("BALLAST_ADVERSARIAL_PRINT").is_ok();
    let mut failures = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut rejected = 0usize;
    for base in baselines() {
        let mollusk = base.mollusk();
        let (result, _, _) = run(&mollusk, &base, &base.ix, &base.accounts);
        assert_eq!(result, ProgramResult::Success, "{} baseline", base.name);
        for mutation in mutations(&base) {
            let (result, accounts, resulting_accounts) = run(&mollusk, &base, &mutation.ix, &mutation.pool);
            let got = outcome(&result);
            if print {
                println!("    (\"{}\", \"{}\", \"{}\"),", base.name, mutation.name, got);
            }
            seen.insert((base.name, mutation.name.clone()));
            match table.get(&(base.name, mutation.name.as_str())) {
                None => failures
                    .push(format!("{} {}: no pinned outcome (observed {got})", base.name, mutation.name)),
                Some(want) if *want != got => {
                    failures.push(format!("{} {}: expected {want}, observed {got}", base.name, mutation.name))
                }
                Some(_) => {}
            }
            if got != "accepted" {
                rejected += 1;
                for ((key, before), (_, after)) in accounts.iter().zip(&resulting_accounts) {
                    if before != after {
                        failures.push(format!("{} {}: account {key} changed", base.name, mutation.name));
                    }
                }
            }
        }
    }
    for (i, m, _) in expected::EXPECTED {
        if !seen.contains(&(*i, m.to_string())) {
            failures.push(format!("{i} {m}: pinned but no longer generated"));
        }
    }
    // The runtime may refuse an owner or mint mutation only on an account whose address the reserve pins
    // (the same account at another address is InvalidVault): such vaults and mints exist only as InitReserve
    // created them.
    for ((instruction, mutation), outcome) in &table {
        let target = mutation.strip_prefix("owner").or_else(|| mutation.strip_prefix("mint"));
        if let (Some(index), true) = (target, outcome.starts_with("runtime:")) {
            let address = format!("address{index}");
            if table.get(&(*instruction, address.as_str())) != Some(&"InvalidVault") {
                failures.push(format!("{instruction} {mutation}: runtime outcome on an account not pinned"));
            }
        }
    }
    println!("adversarial mutations: {} generated, {rejected} rejected", seen.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Arbitrary instruction data against every baseline's accounts: the baseline's data with random bytes
/// flipped, random bytes of the exact argument length after the instruction's discriminator, and random
/// bytes of any length. The program either succeeds or returns an error (a `BallastError`, or a token
/// program error from a transfer the random amounts could not pay), never aborts, and a rejection changes no
/// account. `BALLAST_FUZZ_DATA_CASES` sets the cases per instruction (CI: 60).
#[test]
fn arbitrary_instruction_data_never_aborts_the_program_and_rejections_change_nothing() {
    let cases: u64 = std::env::var("BALLAST_FUZZ_DATA_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let mut failures = Vec::new();
    let mut runs = 0u64;
    for base in baselines() {
        let mollusk = base.mollusk();
        let len = base.ix.data.len();
        for case in 0..cases {
            let mut ix = base.ix.clone();
            match case % 3 {
                0 => {
                    for _ in 0..1 + next() % 4 {
                        let at = (next() % len as u64) as usize;
                        ix.data[at] = next() as u8;
                    }
                }
                1 => ix.data[1..].iter_mut().for_each(|b| *b = next() as u8),
                _ => ix.data = (0..next() % (2 * len as u64 + 2)).map(|_| next() as u8).collect(),
            }
            let (result, accounts, after) = run(&mollusk, &base, &ix, &base.accounts);
            runs += 1;
            match &result {
                ProgramResult::Success => continue,
                ProgramResult::Failure(ProgramError::Custom(_)) => {}
                other => failures.push(format!("{} data {:?}: {other:?}", base.name, ix.data)),
            }
            if accounts != after {
                failures.push(format!("{} data {:?}: a rejection changed an account", base.name, ix.data));
            }
        }
    }
    println!("arbitrary instruction data: {runs} runs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
