//! The decision loop: load a market's accounts, bring them to the current slot off chain with the same code
//! the program runs (`interface::logic`, `ballast-math`, the program's oracle parser), classify every
//! obligation, plan the action that fits it, and send it in a transaction that first refreshes every reserve
//! involved and the obligation.
//!
//! | kind | condition | action |
//! |---|---|---|
//! | bad debt | debt and no collateral left | `CoverBadDebt` |
//! | liquidatable | LTV (with borrow factors) at or over the liquidation threshold | `Liquidate`, else `Deleverage` when also deleverageable |
//! | deleverageable | holds a reserve under a deleverage past its margin call, LTV above the deleverage LTV | `Deleverage` |
//! | pre-liquidatable | opted in, pre-LTV < LTV < liquidation threshold | `PreLiquidate` |
//! | healthy | anything else | none |
//!
//! A [`Policy`] decides how much of each planned action to take (an exchange-aware liquidator declines the
//! actions it would lose money on).

use {
    crate::cluster::{Cluster, Receipt},
    ballast_interface::{
        client,
        instruction::DeleverageSide,
        logic::{
            deleverage::{self as deleverage_logic, DeleverageOutcome, DeleverageParams},
            interest,
            liquidation::{
                plan_cover_bad_debt, plan_liquidation, plan_pre_liquidation, MarketRisk, ReservePair,
            },
            obligation::refresh_obligation,
        },
        state::{AccountKind, Market, Obligation, Reserve},
    },
    ballast_math::{deleverage as deleverage_math, health::Health, value, Fraction},
    solana_address::Address,
    solana_instruction::Instruction,
    solana_keypair::Keypair,
    solana_signer::Signer,
    std::collections::{BTreeMap, HashMap, HashSet},
};

/// A market as RefreshReserve would leave its reserves in `slot`.
#[derive(Clone, Debug)]
pub struct MarketView {
    pub address: Address,
    pub market: Market,
    pub slot: u64,
    pub reserves: BTreeMap<Address, Reserve>,
    /// Every obligation of the market as stored, sorted by address.
    pub obligations: Vec<(Address, Obligation)>,
}

impl MarketView {
    pub fn reserve(&self, address: &Address) -> Result<&Reserve, String> {
        self.reserves.get(address).ok_or_else(|| format!("reserve {address} not in the market"))
    }
}

/// What an obligation needs, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    BadDebt,
    Liquidatable,
    Deleverageable,
    PreLiquidatable,
    Healthy,
}

/// A reserve side under deleverage that an obligation is eligible for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeleverageTarget {
    pub reserve: Address,
    pub side: DeleverageSide,
}

/// An obligation refreshed off chain and classified.
#[derive(Clone, Debug)]
pub struct Position {
    pub address: Address,
    pub obligation: Obligation,
    pub health: Health,
    pub kind: Kind,
    pub deleverage: Option<DeleverageTarget>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActionKind {
    PreLiquidate,
    Liquidate,
    Deleverage,
    CoverBadDebt,
}

/// An action planned off chain, with the amounts the program will compute for it.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub obligation: Address,
    pub action: ActionKind,
    pub repay_reserve: Address,
    pub withdraw_reserve: Address,
    /// Liquidity the keeper pays in (repay reserve tokens).
    pub repaid: u64,
    /// Liquidity the keeper receives (withdraw reserve tokens).
    pub received: u64,
    /// `repaid` at the repay reserve's price.
    pub repaid_value: Fraction,
    /// `received` at the withdraw reserve's price.
    pub received_value: Fraction,
    /// The bonus or penalty rate applied (`incentive − 1`).
    pub incentive: Fraction,
    /// CoverBadDebt: the debt cleared, the part the insurance fund paid and the part socialized.
    pub bad_debt: Fraction,
    pub covered: u64,
    pub socialized: Fraction,
    /// The amount limit sent in the instruction (`u64::MAX`: as much as allowed).
    pub limit: u64,
    pub deleverage: Option<DeleverageTarget>,
}

/// How much of a planned action the keeper takes.
pub trait Policy {
    /// The repay limit to send for `proposal` (planned at the most the program allows), or `None` to pass.
    fn size(&mut self, view: &MarketView, proposal: &Proposal) -> Option<u64>;

    /// Called once the action landed, with the proposal as finally planned.
    fn landed(&mut self, _view: &MarketView, _proposal: &Proposal, _receipt: &Receipt) {}

    /// Called when the policy passed on a proposal.
    fn declined(&mut self, _view: &MarketView, _proposal: &Proposal) {}
}

/// Takes every action at the most the program allows.
pub struct TakeAll;

impl Policy for TakeAll {
    fn size(&mut self, _view: &MarketView, _proposal: &Proposal) -> Option<u64> {
        Some(u64::MAX)
    }
}

/// Which actions the keeper may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowed {
    pub pre_liquidate: bool,
    pub liquidate: bool,
    pub deleverage: bool,
    pub cover_bad_debt: bool,
}

impl Allowed {
    pub const ALL: Self =
        Self { pre_liquidate: true, liquidate: true, deleverage: true, cover_bad_debt: true };

    fn allows(&self, action: ActionKind) -> bool {
        match action {
            ActionKind::PreLiquidate => self.pre_liquidate,
            ActionKind::Liquidate => self.liquidate,
            ActionKind::Deleverage => self.deleverage,
            ActionKind::CoverBadDebt => self.cover_bad_debt,
        }
    }
}

/// What one action attempt came to.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub proposal: Proposal,
    /// `None` when the policy passed; the receipt or the error otherwise.
    pub result: Option<Result<Receipt, String>>,
}

pub struct Keeper {
    pub market: Address,
    /// Pays the fees and signs as liquidator and deleverage executor.
    pub wallet: Keypair,
    /// Reserve → its Pyth `PriceUpdateV2` account.
    pub oracles: HashMap<Address, Address>,
    /// Liquidity mint → the keeper's token account of it.
    pub token_accounts: HashMap<Address, Address>,
    pub allowed: Allowed,
}

fn to_error(e: impl core::fmt::Debug) -> String {
    format!("{e:?}")
}

impl Keeper {
    /// Loads the market, its reserves (brought to the current slot and price off chain) and its obligations.
    pub fn load(&self, cluster: &impl Cluster) -> Result<MarketView, String> {
        let slot = cluster.slot()?;
        let market_account =
            cluster.account(&self.market)?.ok_or_else(|| format!("market {} not found", self.market))?;
        let market: Market = read(&market_account.data, "market")?;
        let mut reserves = BTreeMap::new();
        for (address, account) in cluster.program_accounts(AccountKind::Reserve)? {
            let mut reserve: Reserve = read(&account.data, "reserve")?;
            if reserve.market != self.market {
                continue;
            }
            interest::accrue(&mut reserve, slot).map_err(to_error)?;
            reserve.price_status = 0;
            if let Some(oracle) = self.oracles.get(&address) {
                if let Some(price_account) = cluster.account(oracle)? {
                    // The age check needs the cluster's clock; the transaction's own refresh makes it.
                    let price = ballast_program::oracle::parse_price_update(
                        &price_account.data,
                        &reserve.config,
                        i64::MIN,
                        reserve.price_timestamp.get(),
                    );
                    if let Ok(price) = price {
                        reserve.price_sf.set(price.price.raw());
                        reserve.price_timestamp.set(price.publish_time);
                        reserve.price_status = price.status;
                    }
                }
            }
            reserve.last_update_slot.set(slot);
            reserves.insert(address, reserve);
        }
        let mut obligations = Vec::new();
        for (address, account) in cluster.program_accounts(AccountKind::Obligation)? {
            let obligation: Obligation = read(&account.data, "obligation")?;
            if obligation.market == self.market {
                obligations.push((address, obligation));
            }
        }
        Ok(MarketView { address: self.market, market, slot, reserves, obligations })
    }

    /// Refreshes every obligation off chain and classifies it; most urgent first, then highest LTV.
    pub fn scan(&self, view: &MarketView) -> Vec<Position> {
        let mut positions: Vec<Position> =
            view.obligations.iter().filter_map(|(address, o)| classify(view, address, o).ok()).collect();
        positions.sort_by(|a, b| {
            a.kind.cmp(&b.kind).then(b.health.ltv().cmp(&a.health.ltv())).then(a.address.cmp(&b.address))
        });
        positions
    }

    /// Acts on every obligation that needs it, at most one action per obligation, re-reading the market
    /// after each transaction.
    pub fn tick(&self, cluster: &mut impl Cluster, policy: &mut impl Policy) -> Result<Vec<Outcome>, String> {
        let mut outcomes = Vec::new();
        let mut visited = HashSet::new();
        loop {
            let view = self.load(cluster)?;
            let next = self
                .scan(&view)
                .into_iter()
                .find(|p| p.kind != Kind::Healthy && !visited.contains(&p.address));
            let Some(position) = next else { break };
            visited.insert(position.address);
            if let Some(outcome) = self.act(cluster, policy, &view, &position) {
                outcomes.push(outcome);
            }
        }
        Ok(outcomes)
    }

    /// The first candidate action of `position` that plans and that the policy takes; sent.
    fn act(
        &self,
        cluster: &mut impl Cluster,
        policy: &mut impl Policy,
        view: &MarketView,
        position: &Position,
    ) -> Option<Outcome> {
        let mut candidates = Vec::new();
        match position.kind {
            Kind::BadDebt => candidates.push(ActionKind::CoverBadDebt),
            Kind::Liquidatable => {
                candidates.push(ActionKind::Liquidate);
                if position.deleverage.is_some() {
                    candidates.push(ActionKind::Deleverage);
                }
            }
            Kind::Deleverageable => candidates.push(ActionKind::Deleverage),
            Kind::PreLiquidatable => candidates.push(ActionKind::PreLiquidate),
            Kind::Healthy => {}
        }
        let mut last_declined = None;
        for action in candidates.into_iter().filter(|a| self.allowed.allows(*a)) {
            let Ok(proposal) = self.plan(cluster, view, position, action, u64::MAX) else { continue };
            let Some(limit) = policy.size(view, &proposal) else {
                policy.declined(view, &proposal);
                last_declined = Some(proposal);
                continue;
            };
            let proposal = if limit == u64::MAX {
                proposal
            } else {
                match self.plan(cluster, view, position, action, limit) {
                    Ok(p) => p,
                    Err(_) => {
                        policy.declined(view, &proposal);
                        last_declined = Some(proposal);
                        continue;
                    }
                }
            };
            let instructions = match self.instructions(view, position, &proposal) {
                Ok(ixs) => ixs,
                Err(e) => return Some(Outcome { proposal, result: Some(Err(e)) }),
            };
            let label = format!("{:?}", proposal.action);
            let result = cluster.send(&label, &instructions, &[&self.wallet]);
            if let Ok(receipt) = &result {
                policy.landed(view, &proposal, receipt);
            }
            return Some(Outcome { proposal, result: Some(result) });
        }
        last_declined.map(|proposal| Outcome { proposal, result: None })
    }

    /// Plans `action` on `position` with `limit` as the repay limit, with the program's own arithmetic.
    pub fn plan(
        &self,
        cluster: &impl Cluster,
        view: &MarketView,
        position: &Position,
        action: ActionKind,
        limit: u64,
    ) -> Result<Proposal, String> {
        let o = &position.obligation;
        let mut proposal = Proposal {
            obligation: position.address,
            action,
            repay_reserve: Address::default(),
            withdraw_reserve: Address::default(),
            repaid: 0,
            received: 0,
            repaid_value: Fraction::ZERO,
            received_value: Fraction::ZERO,
            incentive: Fraction::ZERO,
            bad_debt: Fraction::ZERO,
            covered: 0,
            socialized: Fraction::ZERO,
            limit,
            deleverage: None,
        };
        match action {
            ActionKind::CoverBadDebt => {
                let borrow = o.borrows().first().ok_or("no borrow")?;
                let reserve = view.reserve(&borrow.reserve)?;
                let insurance =
                    cluster.account(&reserve.insurance_vault)?.map_or(0, |a| crate::svm::token_amount(&a));
                let plan = plan_cover_bad_debt(o, &borrow.reserve, reserve, insurance).map_err(to_error)?;
                proposal.repay_reserve = borrow.reserve;
                proposal.withdraw_reserve = borrow.reserve;
                proposal.bad_debt = value::market_value_of_fraction_ceil(
                    plan.debt,
                    Fraction::from_raw(reserve.price_sf.get()),
                    reserve.liquidity_decimals,
                )
                .map_err(to_error)?;
                proposal.covered = plan.covered;
                proposal.socialized = value::market_value_of_fraction_ceil(
                    plan.socialized,
                    Fraction::from_raw(reserve.price_sf.get()),
                    reserve.liquidity_decimals,
                )
                .map_err(to_error)?;
            }
            ActionKind::Liquidate | ActionKind::PreLiquidate => {
                let (repay_address, withdraw_address) = liquidation_legs(view, o)?;
                let (repay, withdraw) = (view.reserve(&repay_address)?, view.reserve(&withdraw_address)?);
                let pair = ReservePair {
                    repay_address: &repay_address,
                    repay,
                    withdraw_address: &withdraw_address,
                    withdraw,
                };
                let plan = if action == ActionKind::Liquidate {
                    plan_liquidation(o, &pair, &MarketRisk::from_market(&view.market), view.slot, limit)
                } else {
                    plan_pre_liquidation(o, &pair, limit)
                }
                .map_err(to_error)?;
                proposal.repay_reserve = repay_address;
                proposal.withdraw_reserve = withdraw_address;
                proposal.repaid = plan.repay;
                proposal.received = plan.received;
                proposal.incentive = plan.incentive.saturating_sub(Fraction::ONE);
            }
            ActionKind::Deleverage => {
                let target = position.deleverage.ok_or("not deleverageable")?;
                let (repay_address, withdraw_address) = deleverage_legs(o, &target)?;
                let mut obligation = *o;
                let mut repay = *view.reserve(&repay_address)?;
                let mut withdraw = *view.reserve(&withdraw_address)?;
                let penalty_cap_bps = reserves_of(o)
                    .iter()
                    .filter_map(|r| view.reserves.get(r))
                    .map(|r| r.config.max_liquidation_bonus_bps.get())
                    .min()
                    .unwrap_or(0);
                let params = DeleverageParams {
                    side: target.side,
                    slot: view.slot,
                    max_repay: limit,
                    min_received: 0,
                    penalty_cap_bps,
                };
                let outcome = deleverage_logic::deleverage(
                    deleverage_logic::DeleverageAccounts {
                        obligation: &mut obligation,
                        obligation_address: &position.address,
                        repay_reserve: &mut repay,
                        repay_reserve_address: &repay_address,
                        withdraw_reserve: &mut withdraw,
                        withdraw_reserve_address: &withdraw_address,
                    },
                    &params,
                )
                .map_err(to_error)?;
                proposal.repay_reserve = repay_address;
                proposal.withdraw_reserve = withdraw_address;
                proposal.deleverage = Some(target);
                if let DeleverageOutcome::Step { step, .. } = outcome {
                    proposal.repaid = step.repaid.get();
                    proposal.received = step.received.get();
                    proposal.incentive = Fraction::from_raw(step.penalty_sf.get());
                }
            }
        }
        if proposal.repaid > 0 {
            let repay = view.reserve(&proposal.repay_reserve)?;
            proposal.repaid_value = value::market_value(
                proposal.repaid,
                Fraction::from_raw(repay.price_sf.get()),
                repay.liquidity_decimals,
            )
            .map_err(to_error)?;
        }
        if proposal.received > 0 {
            let withdraw = view.reserve(&proposal.withdraw_reserve)?;
            proposal.received_value = value::market_value(
                proposal.received,
                Fraction::from_raw(withdraw.price_sf.get()),
                withdraw.liquidity_decimals,
            )
            .map_err(to_error)?;
        }
        Ok(proposal)
    }

    /// RefreshReserve for every reserve of the obligation (and of the action), RefreshObligation, then the
    /// action.
    pub fn instructions(
        &self,
        view: &MarketView,
        position: &Position,
        proposal: &Proposal,
    ) -> Result<Vec<Instruction>, String> {
        let o = &position.obligation;
        let mut involved = reserves_of(o);
        for extra in [proposal.repay_reserve, proposal.withdraw_reserve] {
            if !involved.contains(&extra) {
                involved.push(extra);
            }
        }
        let mut ixs: Vec<Instruction> =
            involved.iter().map(|r| client::refresh_reserve(r, self.oracles.get(r))).collect();
        let deposits: Vec<Address> = o.deposits().iter().map(|d| d.reserve).collect();
        let borrows: Vec<Address> = o.borrows().iter().map(|b| b.reserve).collect();
        ixs.push(client::refresh_obligation(&position.address, &self.market, &deposits, &borrows));
        let repay = view.reserve(&proposal.repay_reserve)?;
        let withdraw = view.reserve(&proposal.withdraw_reserve)?;
        let token_account = |mint: &Address| {
            self.token_accounts
                .get(mint)
                .copied()
                .ok_or_else(|| format!("the keeper holds no account of {mint}"))
        };
        let action = match proposal.action {
            ActionKind::CoverBadDebt => client::cover_bad_debt(
                &position.address,
                &self.market,
                &proposal.repay_reserve,
                &repay.insurance_vault,
                &repay.liquidity_vault,
                &view.market.authority,
            ),
            ActionKind::Liquidate | ActionKind::PreLiquidate => {
                let accounts = client::LiquidateAccounts {
                    obligation: position.address,
                    market: self.market,
                    repay_reserve: proposal.repay_reserve,
                    withdraw_reserve: proposal.withdraw_reserve,
                    liquidator: self.wallet.pubkey(),
                    source: token_account(&repay.liquidity_mint)?,
                    destination: token_account(&withdraw.liquidity_mint)?,
                    repay_vault: repay.liquidity_vault,
                    withdraw_vault: withdraw.liquidity_vault,
                    market_authority: view.market.authority,
                };
                if proposal.action == ActionKind::Liquidate {
                    client::liquidate(&accounts, proposal.limit, 0)
                } else {
                    client::pre_liquidate(&accounts, proposal.limit, 0)
                }
            }
            ActionKind::Deleverage => {
                let target = proposal.deleverage.ok_or("not deleverageable")?;
                let other_reserves = reserves_of(o)
                    .into_iter()
                    .filter(|r| *r != proposal.repay_reserve && *r != proposal.withdraw_reserve)
                    .collect();
                let accounts = client::DeleverageAccounts {
                    obligation: position.address,
                    market: self.market,
                    repay_reserve: proposal.repay_reserve,
                    withdraw_reserve: proposal.withdraw_reserve,
                    executor: self.wallet.pubkey(),
                    executor_source: token_account(&repay.liquidity_mint)?,
                    executor_destination: token_account(&withdraw.liquidity_mint)?,
                    repay_vault: repay.liquidity_vault,
                    withdraw_vault: withdraw.liquidity_vault,
                    other_reserves,
                };
                client::deleverage(&accounts, target.side, proposal.limit, 0)
            }
        };
        ixs.push(action);
        Ok(ixs)
    }
}

fn read<T: bytemuck::Pod>(data: &[u8], what: &str) -> Result<T, String> {
    if data.len() != core::mem::size_of::<T>() {
        return Err(format!("{what}: {} bytes, expected {}", data.len(), core::mem::size_of::<T>()));
    }
    Ok(bytemuck::pod_read_unaligned(data))
}

/// Every reserve of the obligation, deposits then borrows, each once.
pub fn reserves_of(o: &Obligation) -> Vec<Address> {
    let mut out: Vec<Address> = Vec::new();
    for r in o.deposits().iter().map(|d| d.reserve).chain(o.borrows().iter().map(|b| b.reserve)) {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Refreshes `obligation` against the view and classifies it.
pub fn classify(view: &MarketView, address: &Address, obligation: &Obligation) -> Result<Position, String> {
    let mut o = *obligation;
    let mut in_order = Vec::new();
    for r in o.deposits().iter().map(|d| d.reserve).chain(o.borrows().iter().map(|b| b.reserve)) {
        in_order.push((r, *view.reserve(&r)?));
    }
    let health = refresh_obligation(&mut o, &view.market, &in_order, view.slot).map_err(to_error)?;
    let deleverage = deleverage_target(view, &o, &health);
    let ltv = health.ltv();
    let terms = &o.pre_liquidation;
    let kind = if o.borrow_count > 0 && o.deposit_count == 0 {
        Kind::BadDebt
    } else if o.borrow_count == 0 {
        Kind::Healthy
    } else if health.is_liquidatable() && view.market.price_triggered_liquidation_disabled.0 == 0 {
        Kind::Liquidatable
    } else if deleverage.is_some() {
        Kind::Deleverageable
    } else if terms.enabled.is_on()
        && ltv > Fraction::from_bps(u64::from(terms.pre_ltv_bps.get()))
        && !health.is_liquidatable()
    {
        Kind::PreLiquidatable
    } else {
        Kind::Healthy
    };
    Ok(Position { address: *address, obligation: o, health, kind, deleverage })
}

/// The first reserve of the obligation with a deleverage past its margin call on the side the obligation
/// holds it, for which the obligation's LTV is above the deleverage LTV.
fn deleverage_target(view: &MarketView, o: &Obligation, health: &Health) -> Option<DeleverageTarget> {
    if o.borrow_count == 0 || o.deposit_count == 0 {
        return None;
    }
    let held = o
        .deposits()
        .iter()
        .map(|d| (d.reserve, DeleverageSide::Supply))
        .chain(o.borrows().iter().map(|b| (b.reserve, DeleverageSide::Borrow)));
    for (reserve_address, side) in held {
        let reserve = view.reserves.get(&reserve_address)?;
        let state = &reserve.deleverage[side.index()];
        if !state.active.is_on() || view.slot < state.margin_call_end_slot.get() {
            continue;
        }
        let threshold = deleverage_math::deleverage_ltv(
            Fraction::from_bps(u64::from(reserve.config.liquidation_threshold_bps.get())),
            view.slot - state.margin_call_end_slot.get(),
            state.slots_per_bps.get(),
        );
        if deleverage_math::is_eligible(health.ltv(), threshold) {
            return Some(DeleverageTarget { reserve: reserve_address, side });
        }
    }
    None
}

/// The riskiest legs: the borrow with the highest borrow factor (then the largest value) and the deposit
/// with the lowest liquidation threshold (then the largest value).
fn liquidation_legs(view: &MarketView, o: &Obligation) -> Result<(Address, Address), String> {
    let borrow = o
        .borrows()
        .iter()
        .max_by_key(|b| {
            let bf = view.reserves.get(&b.reserve).map_or(0, |r| r.config.borrow_factor_bps.get());
            (bf, b.market_value_sf.get())
        })
        .ok_or("no borrow")?;
    let deposit = o
        .deposits()
        .iter()
        .max_by_key(|d| {
            let lt = view.reserves.get(&d.reserve).map_or(0, |r| r.config.liquidation_threshold_bps.get());
            (u16::MAX - lt, d.market_value_sf.get())
        })
        .ok_or("no deposit")?;
    Ok((borrow.reserve, deposit.reserve))
}

/// Supply side: the target collateral against the largest borrow; borrow side: the target debt against the
/// largest deposit.
fn deleverage_legs(o: &Obligation, target: &DeleverageTarget) -> Result<(Address, Address), String> {
    let largest_borrow = o.borrows().iter().max_by_key(|b| b.market_value_sf.get()).map(|b| b.reserve);
    let largest_deposit = o.deposits().iter().max_by_key(|d| d.market_value_sf.get()).map(|d| d.reserve);
    match target.side {
        DeleverageSide::Supply => Ok((largest_borrow.ok_or("no borrow")?, target.reserve)),
        DeleverageSide::Borrow => Ok((target.reserve, largest_deposit.ok_or("no deposit")?)),
    }
}
