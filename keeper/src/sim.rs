//! Stress scenarios on the embedded LiteSVM with the built program: a market of two reserves (a stable
//! quote asset and a volatile asset), lenders, a crowd of borrowers, a price path published in real
//! `PriceUpdateV2` accounts, the keeper's decision loop acting as liquidator and deleverage executor, and
//! the risk council. Each scenario runs twice on the same seeded path: with the ladder (pre-liquidation
//! opt-ins, the council's cap cut and deleverage) and with plain liquidation only.
//!
//! The liquidator sells what it receives on an exchange whose depth can dry up ([`Exchange`]): proceeds are
//! `value × (1 − slippage)`, slippage growing linearly with the value sold within a step relative to the
//! depth. It takes at most the size it does not lose money on, and passes when that size is negligible.

use {
    crate::{
        cluster::Cluster,
        keeper::{ActionKind, Allowed, Keeper, Kind, MarketView, Policy, Proposal},
        svm::Svm,
        world::{MarketWorld, User},
    },
    ballast_interface::{
        client,
        instruction::{DeleverageSide, SetPreLiquidationArgs},
        logic::{deleverage::supply_total, reserve::total_liquidity},
        pod::{Flag, Le16},
        state::Reserve,
    },
    ballast_math::Fraction,
    rand::{Rng, SeedableRng},
    rand_chacha::ChaCha20Rng,
    solana_address::Address,
    solana_signer::Signer,
    std::{collections::BTreeMap, fmt::Write as _, path::Path},
};

/// Index of the stable quote asset (USDC, $1) and of the volatile asset in the world.
pub const USDC: usize = 0;
pub const ASSET: usize = 1;
/// Both assets have 6 decimals.
pub const UNIT: u64 = 1_000_000;
/// One step of the simulation: one hour at 2 slots per second.
pub const SLOTS_PER_STEP: u64 = 7_200;
/// Steps in a day.
pub const STEPS_PER_DAY: usize = 24;
const PRICE_EXPONENT: i32 = -8;
/// The council's deleverage: the deleverage LTV falls 1 bps every 10 slots (10 % in under 3 hours), and the
/// penalty starts at 2 %, enough for an executor to sell through a thin book in small steps.
const DELEVERAGE_SLOTS_PER_BPS: u64 = 10;
const DELEVERAGE_MIN_PENALTY_BPS: u16 = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// One outsized borrow against an asset whose exchange liquidity dries up; cap cut, margin call,
    /// deleverage, then the price falls.
    Whale,
    /// A fast price fall through a crowd of positions, half of them opted in to pre-liquidation.
    Crash,
    /// A gap down that leaves bad debt: the insurance fund pays, the rest is socialized.
    Bankruptcy,
}

impl Scenario {
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Whale => "whale",
            Scenario::Crash => "crash",
            Scenario::Bankruptcy => "bankruptcy",
        }
    }

    /// Default crowd size and number of steps.
    pub fn defaults(self) -> (usize, usize) {
        match self {
            Scenario::Whale => (24, 240),
            Scenario::Crash => (40, 120),
            Scenario::Bankruptcy => (12, 60),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Pre-liquidation opt-ins, the council's cap cut, deleverage, liquidation.
    Ladder,
    /// Liquidation only: nobody opts in and the council does nothing.
    Plain,
}

#[derive(Clone, Debug)]
pub struct SimConfig {
    pub scenario: Scenario,
    pub seed: u64,
    /// Borrowers besides the whale (or the bankrupt position).
    pub positions: usize,
    pub steps: usize,
    pub program: std::path::PathBuf,
    pub progress: bool,
}

/// One borrower of the scenario: collateral tokens (base units), LTV at opening, pre-liquidation opt-in.
#[derive(Clone, Copy, Debug)]
struct Borrower {
    collateral: u64,
    ltv_bps: u64,
    opt_in: bool,
}

/// The seeded path and population of a scenario, identical for both modes.
#[derive(Clone, Debug)]
struct Plan {
    /// Asset price per step, in dollars.
    prices: Vec<f64>,
    /// Exchange depth per step, in dollars.
    depth: Vec<f64>,
    borrowers: Vec<Borrower>,
    lender_usdc: u64,
    insurance_usdc: u64,
    /// Step at which the council cuts the cap (ladder only), and the cut as a share of the current total.
    council: Option<(usize, f64)>,
    margin_call_steps: usize,
}

fn plan(config: &SimConfig) -> Plan {
    let mut rng = ChaCha20Rng::seed_from_u64(config.seed);
    let steps = config.steps.max(4);
    let n = config.positions;
    let noise = |rng: &mut ChaCha20Rng, sigma: f64| 1.0 + sigma * (rng.random::<f64>() * 2.0 - 1.0);
    let mut borrowers = Vec::new();
    let mut prices = Vec::with_capacity(steps);
    let mut depth = Vec::with_capacity(steps);
    let p0 = 10.0;
    match config.scenario {
        Scenario::Whale => {
            // The whale: 100,000 tokens ($1M) at 70 % LTV, plus a crowd of small positions.
            borrowers.push(Borrower { collateral: 100_000 * UNIT, ltv_bps: 7_000, opt_in: false });
            for i in 0..n {
                let tokens = rng.random_range(100..2_000u64);
                let ltv = rng.random_range(5_000..7_200u64);
                borrowers.push(Borrower { collateral: tokens * UNIT, ltv_bps: ltv, opt_in: i % 2 == 0 });
            }
            let fall_start = steps * 6 / 10;
            let fall_len = (steps / 20).max(2);
            let mut p = p0;
            for t in 0..steps {
                if t >= fall_start && t < fall_start + fall_len {
                    // 55 % down over the fall.
                    p *= 0.45f64.powf(1.0 / fall_len as f64) * noise(&mut rng, 0.01);
                } else {
                    p *= noise(&mut rng, 0.004);
                }
                prices.push(p);
                // Depth dries up from $3M to $60k over the first half, then stays thin.
                let x = (t as f64 / (steps as f64 * 0.5)).min(1.0);
                depth.push(3_000_000.0 * (0.02f64).powf(x));
            }
            Plan {
                prices,
                depth,
                borrowers,
                lender_usdc: 1_600_000 * UNIT,
                insurance_usdc: 0,
                council: Some((steps / 20, 0.4)),
                margin_call_steps: STEPS_PER_DAY / 2,
            }
        }
        Scenario::Crash => {
            for i in 0..n.max(1) {
                let tokens = rng.random_range(500..5_000u64);
                let ltv = rng.random_range(5_500..7_400u64);
                borrowers.push(Borrower { collateral: tokens * UNIT, ltv_bps: ltv, opt_in: i % 2 == 0 });
            }
            let fall_start = steps * 3 / 10;
            let fall_len = (steps / 8).max(2);
            let mut p = p0;
            for t in 0..steps {
                if t >= fall_start && t < fall_start + fall_len {
                    // 35 % down, fast.
                    p *= 0.65f64.powf(1.0 / fall_len as f64) * noise(&mut rng, 0.005);
                } else {
                    p *= noise(&mut rng, 0.003);
                }
                prices.push(p);
                depth.push(5_000_000.0);
            }
            let supplied: u64 = borrowers.iter().map(|b| b.collateral / UNIT * 10).sum();
            Plan {
                prices,
                depth,
                borrowers,
                lender_usdc: supplied.max(100_000) * UNIT,
                insurance_usdc: 0,
                council: None,
                margin_call_steps: 0,
            }
        }
        Scenario::Bankruptcy => {
            // One large position at 74 % LTV and a crowd; a 45 % gap down in one step.
            borrowers.push(Borrower { collateral: 20_000 * UNIT, ltv_bps: 7_400, opt_in: true });
            for i in 0..n {
                let tokens = rng.random_range(100..1_000u64);
                let ltv = rng.random_range(4_000..7_400u64);
                borrowers.push(Borrower { collateral: tokens * UNIT, ltv_bps: ltv, opt_in: i % 2 == 0 });
            }
            let gap = steps / 2;
            let mut p = p0;
            for t in 0..steps {
                if t == gap {
                    p *= 0.55;
                } else {
                    p *= noise(&mut rng, 0.003);
                }
                prices.push(p);
                depth.push(10_000_000.0);
            }
            Plan {
                prices,
                depth,
                borrowers,
                lender_usdc: 600_000 * UNIT,
                insurance_usdc: 20_000 * UNIT,
                council: None,
                margin_call_steps: 0,
            }
        }
    }
}

/// The liquidator's exchange: selling `v` dollars of the asset within a step that already sold `used`
/// realises `v × (1 − (used + v / 2) / depth)` (the average of a linear price impact).
pub struct Exchange {
    pub depth: f64,
    pub used: f64,
    /// Seized value at the oracle price minus realised proceeds, summed.
    pub exit_loss: f64,
    pub declined: u64,
    /// Smallest trade worth sending, in dollars.
    pub min_trade: f64,
}

impl Exchange {
    fn new() -> Self {
        Self { depth: f64::INFINITY, used: 0.0, exit_loss: 0.0, declined: 0, min_trade: 20.0 }
    }

    /// Realised loss of selling `value` now.
    fn loss(&self, value: f64) -> f64 {
        if !self.depth.is_finite() {
            return 0.0;
        }
        let slippage = ((self.used + value / 2.0) / self.depth).min(1.0);
        value * slippage
    }
}

fn dollars(f: Fraction) -> f64 {
    f.to_f64()
}

impl Policy for Exchange {
    fn size(&mut self, view: &MarketView, proposal: &Proposal) -> Option<u64> {
        if proposal.action == ActionKind::CoverBadDebt {
            return Some(u64::MAX);
        }
        let (repaid, received) = (dollars(proposal.repaid_value), dollars(proposal.received_value));
        if repaid <= 0.0 || received <= repaid {
            return None;
        }
        if received - self.loss(received) >= repaid {
            return Some(u64::MAX);
        }
        // Largest repay value r with proceeds ≥ r, the received value being r × (1 + b):
        // (used + (1 + b) r / 2) / depth ≤ b / (1 + b).
        let b = received / repaid - 1.0;
        let r = 2.0 * (self.depth * b / (1.0 + b) - self.used) / (1.0 + b);
        if r < self.min_trade {
            return None;
        }
        let repay = view.reserves.get(&proposal.repay_reserve)?;
        let price = dollars(Fraction::from_raw(repay.price_sf.get()));
        let tokens = r * 0.98 / price * 10f64.powi(i32::from(repay.liquidity_decimals));
        (tokens >= 1.0).then_some(tokens as u64)
    }

    fn landed(&mut self, _view: &MarketView, proposal: &Proposal, _receipt: &crate::cluster::Receipt) {
        let received = dollars(proposal.received_value);
        self.exit_loss += self.loss(received);
        self.used += received;
    }

    fn declined(&mut self, _view: &MarketView, _proposal: &Proposal) {
        self.declined += 1;
    }
}

/// The report of one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metrics {
    /// Debt cleared by CoverBadDebt plus, at the end, debt over collateral value of open positions.
    pub bad_debt: f64,
    /// Socialized bad debt plus what the insurance fund left cannot cover of the open shortfall.
    pub lender_loss: f64,
    pub insurance_paid: f64,
    /// Debt value repaid by pre-liquidations, liquidations and deleverage steps.
    pub liquidated_value: f64,
    /// Collateral value received above the repaid value: bonuses, incentives and deleverage penalties.
    pub penalties: f64,
    pub exit_loss: f64,
    pub actions: BTreeMap<ActionKind, u64>,
    pub declined: u64,
    pub failed: u64,
    pub compute_units: u64,
}

/// Values recorded at every step for the plots.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub price: Vec<f64>,
    /// LTVs of the open positions, percent.
    pub ltv: Vec<Vec<f64>>,
    /// The asset's total supply (tokens) and the deleverage cap while one runs.
    pub supply: Vec<f64>,
    pub cap: Vec<Option<f64>>,
    /// Lenders' claim: the quote reserve's total liquidity less the shortfall not yet written off ($).
    pub lender_equity: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct RunResult {
    pub mode: Mode,
    pub metrics: Metrics,
    pub series: Series,
}

fn price_units(dollars: f64) -> i64 {
    (dollars * 1e8).round() as i64
}

struct Market {
    world: MarketWorld,
    keeper: Keeper,
}

fn build(config: &SimConfig, plan: &Plan, mode: Mode) -> Result<Market, String> {
    let svm = Svm::load(&config.program, config.seed)?;
    let mut world = MarketWorld::with_svm(svm);
    world.add_reserve(6, price_units(1.0), PRICE_EXPONENT, |_| {});
    world.add_reserve(6, price_units(plan.prices[0]), PRICE_EXPONENT, |_| {});
    let usdc = world.reserves[USDC];

    let lender = world.new_user();
    world.fund(&lender, USDC, plan.lender_usdc);
    let ix = client::deposit_liquidity(
        &usdc.reserve,
        &world.market,
        &lender.address(),
        &lender.liquidity[USDC],
        &lender.collateral[USDC],
        plan.lender_usdc,
    );
    let refresh = world.refresh_reserve_ix(USDC);
    world.svm.must_send("deposit_liquidity", &[refresh, ix], &[&lender.keypair]);
    if plan.insurance_usdc > 0 {
        world.svm.mint_to(&usdc.mint, &usdc.insurance_vault, plan.insurance_usdc);
    }

    for b in &plan.borrowers {
        let terms = (mode == Mode::Ladder && b.opt_in).then(|| opt_in_terms(7_000));
        open_position(&mut world, ASSET, b.collateral, plan.prices[0], b.ltv_bps, terms)?;
    }
    let allowed = Allowed {
        pre_liquidate: mode == Mode::Ladder,
        liquidate: true,
        deleverage: mode == Mode::Ladder,
        cover_bad_debt: true,
    };
    let keeper = keeper_for(&mut world, 1_000_000_000 * UNIT, allowed);
    Ok(Market { world, keeper })
}

/// Terms of the scenarios' pre-liquidation opt-ins: from 70 % LTV, 10 % to 50 % of the borrow per call at
/// a 1 % to 4 % incentive.
pub fn opt_in_terms(pre_ltv_bps: u16) -> SetPreLiquidationArgs {
    SetPreLiquidationArgs {
        enabled: Flag::ON,
        pre_ltv_bps: Le16::new(pre_ltv_bps),
        close_factor_start_bps: Le16::new(1_000),
        close_factor_end_bps: Le16::new(5_000),
        incentive_start_bps: Le16::new(10_100),
        incentive_end_bps: Le16::new(10_400),
    }
}

/// Opens a position by real transactions: a new user deposits `collateral` base units of reserve
/// `collateral_index` as collateral and borrows USDC for `ltv_bps` of its value at `price` dollars, then opts
/// in to pre-liquidation with `terms`. Returns the obligation.
pub fn open_position(
    world: &mut MarketWorld,
    collateral_index: usize,
    collateral: u64,
    price: f64,
    ltv_bps: u64,
    terms: Option<SetPreLiquidationArgs>,
) -> Result<Address, String> {
    let (usdc, asset) = (world.reserves[USDC], world.reserves[collateral_index]);
    let user: User = world.new_user();
    world.fund(&user, collateral_index, collateral);
    let obligation = world.init_obligation(&user, 0);
    let deposit = client::deposit_liquidity(
        &asset.reserve,
        &world.market,
        &user.address(),
        &user.liquidity[collateral_index],
        &user.collateral[collateral_index],
        collateral,
    );
    let deposit_collateral = client::deposit_collateral(
        &obligation,
        &asset.reserve,
        &world.market,
        &user.address(),
        &user.collateral[collateral_index],
        collateral,
    );
    let refresh = world.refresh_reserve_ix(collateral_index);
    world.svm.must_send("open_deposit", &[refresh, deposit, deposit_collateral], &[&user.keypair]);
    let scale = 10f64.powi(i32::from(usdc.decimals) - i32::from(asset.decimals));
    let debt = (collateral as f64 * scale * price * ltv_bps as f64 / 10_000.0) as u64;
    let borrow = client::borrow(
        &client::BorrowAccounts {
            obligation,
            reserve: usdc.reserve,
            market: world.market,
            owner: user.address(),
            liquidity_vault: usdc.liquidity_vault,
            destination: user.liquidity[USDC],
        },
        debt,
    );
    let ixs = [
        world.refresh_reserve_ix(USDC),
        world.refresh_reserve_ix(collateral_index),
        client::refresh_obligation(&obligation, &world.market, &[asset.reserve], &[]),
        borrow,
    ];
    world.svm.send("open_borrow", &ixs, &[&user.keypair]).map_err(|e| format!("borrow: {:?}", e.err))?;
    if let Some(args) = terms {
        let ix = client::set_pre_liquidation(&obligation, &user.address(), &args);
        world.svm.must_send("set_pre_liquidation", &[ix], &[&user.keypair]);
    }
    Ok(obligation)
}

/// A keeper for the world's market with a new wallet holding token accounts of every reserve's mint and
/// `usdc` of USDC to repay with.
pub fn keeper_for(world: &mut MarketWorld, usdc: u64, allowed: Allowed) -> Keeper {
    let wallet = world.svm.new_wallet(1_000_000_000_000);
    let mut token_accounts = std::collections::HashMap::new();
    for handle in world.reserves.clone() {
        let account = world.svm.create_token_account(&handle.mint, &wallet.pubkey());
        token_accounts.insert(handle.mint, account);
    }
    let usdc_mint = world.reserves[USDC].mint;
    world.svm.mint_to(&usdc_mint, &token_accounts[&usdc_mint], usdc);
    Keeper {
        market: world.market,
        wallet,
        oracles: world.reserves.iter().map(|r| (r.reserve, r.price_update)).collect(),
        token_accounts,
        allowed,
    }
}

fn supply_tokens(reserve: &Reserve) -> f64 {
    supply_total(reserve).unwrap_or(0) as f64 / UNIT as f64
}

/// Runs one mode of the scenario. `tick` is called after every step (progress).
pub fn run(config: &SimConfig, mode: Mode, mut tick: impl FnMut()) -> Result<RunResult, String> {
    let plan = plan(config);
    let Market { mut world, keeper } = build(config, &plan, mode)?;
    let (usdc, asset) = (world.reserves[USDC], world.reserves[ASSET]);
    let mut exchange = Exchange::new();
    let mut metrics = Metrics::default();
    let mut series = Series::default();
    let mut shortfall = 0.0;
    let start_slot = world.svm.slot();

    for step in 0..plan.prices.len() {
        world.svm.warp_to_slot(start_slot + (step as u64 + 1) * SLOTS_PER_STEP);
        world.set_price(USDC, price_units(1.0));
        world.set_price(ASSET, price_units(plan.prices[step]));
        exchange.depth = plan.depth[step];
        exchange.used = 0.0;

        if let (Mode::Ladder, Some((at, keep))) = (mode, plan.council) {
            if step == at {
                let view = keeper.load(&world.svm)?;
                let total = supply_total(view.reserve(&asset.reserve)?).map_err(|e| format!("{e:?}"))?;
                let cap = (total as f64 * keep) as u64;
                let args = client::start_deleverage_args(
                    DeleverageSide::Supply,
                    cap,
                    plan.margin_call_steps as u64 * SLOTS_PER_STEP,
                    DELEVERAGE_SLOTS_PER_BPS,
                    DELEVERAGE_MIN_PENALTY_BPS,
                );
                let owner = world.owner.insecure_clone();
                let ixs = [
                    world.refresh_reserve_ix(ASSET),
                    client::start_deleverage(&asset.reserve, &world.market, &owner.pubkey(), &args),
                ];
                let receipt = Cluster::send(&mut world.svm, "start_deleverage", &ixs, &[&owner])?;
                metrics.compute_units += receipt.compute_units;
            }
        }

        for outcome in keeper.tick(&mut world.svm, &mut exchange)? {
            let p = &outcome.proposal;
            match outcome.result {
                None => {}
                Some(Err(_)) => metrics.failed += 1,
                Some(Ok(receipt)) => {
                    metrics.compute_units += receipt.compute_units;
                    *metrics.actions.entry(p.action).or_default() += 1;
                    if p.action == ActionKind::CoverBadDebt {
                        metrics.bad_debt += dollars(p.bad_debt);
                        metrics.lender_loss += dollars(p.socialized);
                        metrics.insurance_paid += p.covered as f64 / UNIT as f64;
                    } else {
                        metrics.liquidated_value += dollars(p.repaid_value);
                        metrics.penalties += dollars(p.received_value) - dollars(p.repaid_value);
                    }
                }
            }
        }

        // The state after the step.
        let view = keeper.load(&world.svm)?;
        let positions = keeper.scan(&view);
        let mut ltvs = Vec::new();
        shortfall = 0.0;
        for position in &positions {
            let h = &position.health;
            if position.obligation.borrow_count == 0 {
                continue;
            }
            let (debt, collateral) = (dollars(h.borrowed_value), dollars(h.deposited_value));
            shortfall += (debt - collateral).max(0.0);
            if position.kind != Kind::BadDebt {
                ltvs.push(100.0 * debt / collateral.max(1e-9));
            }
        }
        let usdc_reserve = view.reserve(&usdc.reserve)?;
        let asset_reserve = view.reserve(&asset.reserve)?;
        let lenders = total_liquidity(usdc_reserve).map(dollars).unwrap_or(0.0) / UNIT as f64;
        series.price.push(plan.prices[step]);
        series.ltv.push(ltvs);
        series.supply.push(supply_tokens(asset_reserve));
        let state = &asset_reserve.deleverage[DeleverageSide::Supply.index()];
        series.cap.push(state.active.is_on().then(|| state.target_cap.get() as f64 / UNIT as f64));
        series.lender_equity.push(lenders - shortfall);
        tick();
    }

    let insurance_left = world.svm.token_balance(&usdc.insurance_vault) as f64 / UNIT as f64;
    metrics.bad_debt += shortfall;
    metrics.lender_loss += (shortfall - insurance_left).max(0.0);
    metrics.exit_loss = exchange.exit_loss;
    metrics.declined = exchange.declined;
    Ok(RunResult { mode, metrics, series })
}

fn money(v: f64) -> String {
    let cents = (v.max(0.0) * 100.0).round() as u64;
    let whole = cents / 100;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("${out}")
}

/// The comparison table of the two runs.
pub fn table(config: &SimConfig, ladder: &Metrics, plain: &Metrics) -> String {
    let count = |m: &Metrics, a: ActionKind| m.actions.get(&a).copied().unwrap_or(0).to_string();
    let rows: Vec<(&str, String, String)> = vec![
        ("bad debt", money(ladder.bad_debt), money(plain.bad_debt)),
        ("lender loss", money(ladder.lender_loss), money(plain.lender_loss)),
        ("insurance fund paid", money(ladder.insurance_paid), money(plain.insurance_paid)),
        ("liquidated value", money(ladder.liquidated_value), money(plain.liquidated_value)),
        ("penalties and bonuses paid", money(ladder.penalties), money(plain.penalties)),
        ("liquidator exit loss (slippage)", money(ladder.exit_loss), money(plain.exit_loss)),
        ("pre-liquidations", count(ladder, ActionKind::PreLiquidate), count(plain, ActionKind::PreLiquidate)),
        ("liquidations", count(ladder, ActionKind::Liquidate), count(plain, ActionKind::Liquidate)),
        ("deleverage steps", count(ladder, ActionKind::Deleverage), count(plain, ActionKind::Deleverage)),
        ("bad debt covers", count(ladder, ActionKind::CoverBadDebt), count(plain, ActionKind::CoverBadDebt)),
        ("declined (unprofitable)", ladder.declined.to_string(), plain.declined.to_string()),
        ("failed transactions", ladder.failed.to_string(), plain.failed.to_string()),
        ("compute units", ladder.compute_units.to_string(), plain.compute_units.to_string()),
    ];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — seed {}, {} positions, {} steps of {} slots",
        config.scenario.name(),
        config.seed,
        config.positions,
        config.steps,
        SLOTS_PER_STEP
    );
    let _ = writeln!(out, "| {:<32} | {:>16} | {:>16} |", "", "ladder", "plain liquidation");
    let _ = writeln!(out, "|{}|{}|{}|", "-".repeat(34), "-".repeat(18), "-".repeat(18));
    for (name, a, b) in rows {
        let _ = writeln!(out, "| {name:<32} | {a:>16} | {b:>16} |");
    }
    out
}

/// Both runs of a scenario.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub table: String,
    pub ladder: RunResult,
    pub plain: RunResult,
    /// The plots written.
    pub files: Vec<std::path::PathBuf>,
}

/// Both runs, the table, and (with `out`) the plots.
pub fn simulate(config: &SimConfig, out: Option<&Path>) -> Result<Comparison, String> {
    let steps = config.steps as u64 * 2;
    let bar = if config.progress {
        let bar = indicatif::ProgressBar::new(steps);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:>18} [{bar:40}] {pos}/{len} steps ({eta})")
                .map_err(|e| e.to_string())?
                .progress_chars("=> "),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_message(format!("{} ladder", config.scenario.name()));
    let ladder = run(config, Mode::Ladder, || bar.inc(1))?;
    bar.set_message(format!("{} plain", config.scenario.name()));
    let plain = run(config, Mode::Plain, || bar.inc(1))?;
    bar.finish_and_clear();
    let table = table(config, &ladder.metrics, &plain.metrics);
    let mut files = Vec::new();
    if let Some(dir) = out {
        files = crate::plot::write_all(dir, config.scenario.name(), &ladder, &plain)?;
    }
    Ok(Comparison { table, ladder, plain, files })
}
