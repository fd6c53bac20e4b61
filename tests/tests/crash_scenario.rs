//! A market crash on LiteSVM, walked down the risk ladder by a bot.
//!
//! A USDC debt reserve and a volatile SOL collateral reserve; ten borrowers with 10 SOL each and LTVs spread
//! from 30 % to 74 %, every other one opted in to pre-liquidation (from 70 % LTV). The SOL price falls in
//! steps, then gaps down. At each step the bot refreshes every position and walks the ladder: PreLiquidate
//! an opted-in position between its pre-liquidation LTV and the liquidation threshold, Liquidate a
//! liquidatable one (again while it stays liquidatable), and CoverBadDebt once a gap has left debt and no
//! collateral (the insurance vault, funded by CollectFees and a direct mint, pays first; the rest is
//! socialized).
//!
//! Checked after every transaction: DESIGN §8 invariants 1, 2 and 6 ([`MarketWorld::check_invariants`]);
//! invariant 4 (each (pre-)liquidation lowers the LTV recomputed by a RefreshObligation unless the position
//! was in bad debt, and never seizes more than the collateral or repays more than the debt); invariant 3
//! (a borrow leaves the position within its borrowing power, a liquidation only lowers debt and collateral);
//! invariant 5 (no instruction but CoverBadDebt lowers a cToken exchange rate, and CoverBadDebt only when it
//! socializes a loss); invariant 7 on deliberately failing liquidations of healthy positions.

use {
    ballast_interface::{
        client::{self, BorrowAccounts, LiquidateAccounts},
        error::BallastError,
        instruction::SetPreLiquidationArgs,
        logic::{liquidation::cached_health, reserve::total_liquidity},
        pda,
        pod::{Flag, Le16},
        state::Obligation,
    },
    ballast_math::{health::Health, Fraction},
    ballast_tests::scenario::{MarketWorld, User},
    solana_address::Address,
    solana_instruction::Instruction,
    solana_instruction_error::InstructionError,
    solana_keypair::Keypair,
    solana_transaction_error::TransactionError,
};

const USDC: usize = 0;
const SOL: usize = 1;
const USDC_UNIT: u64 = 1_000_000;
const SOL_UNIT: u64 = 1_000_000_000;
/// Prices carry eight decimal places.
const PRICE_SCALE: i64 = 100_000_000;
const BORROWERS: u64 = 10;
const PRE_LTV_BPS: u16 = 7_000;
/// SOL in dollars at each step: a slide, then a gap from 90 to 60, then a last leg down.
const PRICE_PATH: [i64; 9] = [150, 140, 130, 120, 110, 100, 90, 60, 55];
/// Slots between two price steps.
const STEP_SLOTS: u64 = 20_000;
/// Tokens minted straight into the USDC insurance vault, on top of the fees it collects.
const INSURANCE_TOP_UP: u64 = 50 * USDC_UNIT;

struct Position {
    obligation: Address,
    ltv_bps: u64,
    pre_liquidation: bool,
}

#[derive(Default)]
struct Tally {
    pre_liquidations: u32,
    liquidations: u32,
    bad_debt_covers: u32,
    rejected: u32,
    /// Debt repaid by (pre-)liquidators, in USDC.
    repaid_value: f64,
    /// Value the liquidators received above what they repaid.
    bonus_value: f64,
    /// SOL kept by the protocol as its share of the bonuses.
    protocol_fees_sol: f64,
    insurance_funded: u64,
    covered_by_insurance: u64,
    socialized: Fraction,
}

/// Total liquidity and cToken supply of a reserve: its exchange rate as a pair.
fn rate(world: &MarketWorld, index: usize) -> (u128, u64) {
    let reserve = world.reserve(index);
    (total_liquidity(&reserve).expect("total").raw(), reserve.collateral_supply.get())
}

/// `after` total / supply compared with `before` total / supply, exactly (128 × 64-bit products).
fn rate_cmp(before: (u128, u64), after: (u128, u64)) -> std::cmp::Ordering {
    let wide = |a: u128, b: u64| {
        let lo = (a & u128::from(u64::MAX)) * u128::from(b);
        let hi = (a >> 64) * u128::from(b) + (lo >> 64);
        (hi, lo & u128::from(u64::MAX))
    };
    wide(after.0, before.1).cmp(&wide(before.0, after.1))
}

struct Bot {
    world: MarketWorld,
    positions: Vec<Position>,
    liquidator: User,
    tally: Tally,
    /// Exchange rates after the last transaction (invariant 5).
    rates: [(u128, u64); 2],
}

impl Bot {
    /// Sends one transaction that must succeed, then checks invariants 1, 2, 6 and 5.
    fn send(&mut self, label: &str, ixs: &[Instruction], signer: Option<&Keypair>, may_lower_rate: bool) {
        let signers: Vec<&Keypair> = signer.into_iter().collect();
        self.world.svm.must_send(label, ixs, &signers);
        self.world.check_invariants();
        for (i, index) in [USDC, SOL].into_iter().enumerate() {
            let now = rate(&self.world, index);
            if !may_lower_rate {
                assert!(
                    rate_cmp(self.rates[i], now) != std::cmp::Ordering::Less,
                    "invariant 5: {label} lowered reserve {index}'s exchange rate"
                );
            }
            self.rates[i] = now;
        }
    }

    fn refresh_obligation_ix(&self, obligation: &Address) -> Instruction {
        let state = self.world.obligation(obligation);
        let deposits: Vec<Address> = state.deposits().iter().map(|d| d.reserve).collect();
        let borrows: Vec<Address> = state.borrows().iter().map(|b| b.reserve).collect();
        client::refresh_obligation(obligation, &self.world.market, &deposits, &borrows)
    }

    /// RefreshObligation in its own transaction; the obligation and its health as it leaves them.
    fn refresh(&mut self, obligation: &Address) -> (Obligation, Health) {
        let ix = self.refresh_obligation_ix(obligation);
        self.send("refresh_obligation", &[ix], None, false);
        let state = self.world.obligation(obligation);
        let health = cached_health(&state);
        (state, health)
    }

    fn liquidate_accounts(&self, obligation: &Address) -> LiquidateAccounts {
        let (usdc, sol) = (self.world.reserves[USDC], self.world.reserves[SOL]);
        LiquidateAccounts {
            obligation: *obligation,
            market: self.world.market,
            repay_reserve: usdc.reserve,
            withdraw_reserve: sol.reserve,
            liquidator: self.liquidator.address(),
            source: self.liquidator.liquidity[USDC],
            destination: self.liquidator.liquidity[SOL],
            repay_vault: usdc.liquidity_vault,
            withdraw_vault: sol.liquidity_vault,
            market_authority: pda::find_market_authority(&self.world.market).0,
        }
    }

    /// Publishes `dollars` per SOL (USDC stays at $1) and refreshes both reserves.
    fn set_sol_price(&mut self, dollars: i64) {
        self.world.set_price(USDC, PRICE_SCALE);
        self.world.set_price(SOL, dollars * PRICE_SCALE);
        let ixs = [self.world.refresh_reserve_ix(USDC), self.world.refresh_reserve_ix(SOL)];
        self.send("refresh_reserves", &ixs, None, false);
    }

    /// Every account a liquidation touches, for invariant 7.
    fn snapshot(&self) -> Vec<Option<solana_account::Account>> {
        let mut keys = vec![self.world.market];
        for handle in &self.world.reserves {
            keys.extend([
                handle.reserve,
                handle.liquidity_vault,
                handle.collateral_mint,
                handle.insurance_vault,
            ]);
        }
        keys.extend(self.world.obligations.iter().copied());
        keys.extend(self.liquidator.liquidity.iter().copied());
        keys.iter().map(|k| self.world.svm.account(k)).collect()
    }

    /// Sends `ix` expecting `expected`, and checks that no account changed (invariant 7).
    fn expect_rejected(&mut self, label: &str, ix: Instruction, expected: BallastError) {
        let before = self.snapshot();
        let liquidator = self.liquidator.keypair.insecure_clone();
        let failed = self.world.svm.send(label, &[ix], &[&liquidator]).expect_err(label);
        assert_eq!(
            failed.err,
            TransactionError::InstructionError(0, InstructionError::Custom(expected as u32)),
            "{label}"
        );
        assert_eq!(self.snapshot(), before, "invariant 7: the rejected {label} changed an account");
        self.tally.rejected += 1;
    }

    /// One PreLiquidate or Liquidate of as much as allowed, with invariants 3 and 4 around it.
    fn liquidate(&mut self, position: usize, pre: bool, before: &Obligation, health_before: &Health) {
        let obligation = self.positions[position].obligation;
        let accounts = self.liquidate_accounts(&obligation);
        let ix = if pre {
            client::pre_liquidate(&accounts, u64::MAX, 1)
        } else {
            client::liquidate(&accounts, u64::MAX, 1)
        };
        let usdc_before = self.world.svm.token_balance(&self.liquidator.liquidity[USDC]);
        let sol_before = self.world.svm.token_balance(&self.liquidator.liquidity[SOL]);
        let fees_before = Fraction::from_raw(self.world.reserve(SOL).protocol_fees_sf.get());
        let label = if pre { "pre_liquidate" } else { "liquidate" };
        let liquidator = self.liquidator.keypair.insecure_clone();
        self.send(label, &[ix], Some(&liquidator), false);

        let repaid = usdc_before - self.world.svm.token_balance(&self.liquidator.liquidity[USDC]);
        let received = self.world.svm.token_balance(&self.liquidator.liquidity[SOL]) - sol_before;
        let fees =
            Fraction::from_raw(self.world.reserve(SOL).protocol_fees_sf.get()).saturating_sub(fees_before);
        let (after, health_after) = self.refresh(&obligation);

        // Invariant 4: no more debt repaid than owed, no more collateral seized than deposited.
        let debt_before = Fraction::from_raw(before.borrows()[0].borrowed_amount_sf.get());
        let ctokens_before = before.deposits()[0].collateral_amount.get();
        assert!(
            Fraction::from_integer(repaid)
                <= Fraction::from_integer(debt_before.to_u64_ceil().expect("debt"))
        );
        let ctokens_after = after.deposits().first().map_or(0, |d| d.collateral_amount.get());
        assert!(ctokens_after < ctokens_before, "{label} seized nothing");
        let debt_after = after
            .borrows()
            .first()
            .map_or(Fraction::ZERO, |b| Fraction::from_raw(b.borrowed_amount_sf.get()));
        // Invariant 3: a liquidation only lowers the debt (and the collateral with it).
        assert!(debt_after < debt_before, "{label} did not lower the debt");
        // Invariant 4: the LTV does not rise, unless the position was already in bad debt.
        let bad_debt = health_before.ltv_no_bf() >= ballast_math::liquidation::BAD_DEBT_LTV;
        if !bad_debt {
            assert!(!after.deposits().is_empty(), "a solvent position lost all its collateral");
            assert!(
                health_after.ltv() <= health_before.ltv(),
                "invariant 4: {label} raised the LTV from {} to {}",
                health_before.ltv().to_f64(),
                health_after.ltv().to_f64()
            );
        }

        let sol_price = Fraction::from_raw(self.world.reserve(SOL).price_sf.get()).to_f64();
        let repaid_value = repaid as f64 / USDC_UNIT as f64;
        self.tally.repaid_value += repaid_value;
        self.tally.bonus_value += received as f64 / SOL_UNIT as f64 * sol_price - repaid_value;
        self.tally.protocol_fees_sol += fees.to_f64() / SOL_UNIT as f64;
        if pre {
            self.tally.pre_liquidations += 1;
        } else {
            self.tally.liquidations += 1;
        }
        let p = &self.positions[position];
        println!(
            "  #{position} ({}% opened{}) {label}: LTV {:.2}% -> {:.2}%, repaid {repaid_value:.2} USDC, received {:.4} SOL",
            p.ltv_bps / 100,
            if p.pre_liquidation { ", pre-liq" } else { "" },
            health_before.ltv().to_f64() * 100.0,
            if after.deposits().is_empty() { f64::INFINITY } else { health_after.ltv().to_f64() * 100.0 },
            received as f64 / SOL_UNIT as f64,
        );
    }

    /// CoverBadDebt of a position with debt and no collateral; only it may lower USDC's exchange rate.
    fn cover_bad_debt(&mut self, position: usize, before: &Obligation) {
        let obligation = self.positions[position].obligation;
        let usdc = self.world.reserves[USDC];
        let debt = Fraction::from_raw(before.borrows()[0].borrowed_amount_sf.get());
        let insurance_before = self.world.svm.token_balance(&usdc.insurance_vault);
        let rate_before = rate(&self.world, USDC);
        let ix = client::cover_bad_debt(
            &obligation,
            &self.world.market,
            &usdc.reserve,
            &usdc.insurance_vault,
            &usdc.liquidity_vault,
            &pda::find_market_authority(&self.world.market).0,
        );
        self.send("cover_bad_debt", &[ix], None, true);
        let covered = insurance_before - self.world.svm.token_balance(&usdc.insurance_vault);
        let socialized = debt.saturating_sub(Fraction::from_integer(covered));
        assert_eq!(self.world.obligation(&obligation).borrow_count, 0, "the bad debt is cleared");
        let order = rate_cmp(rate_before, rate(&self.world, USDC));
        if socialized.is_zero() {
            assert_ne!(order, std::cmp::Ordering::Less, "a fully covered bad debt lowered the rate");
        } else {
            assert_eq!(order, std::cmp::Ordering::Less, "a socialized loss must lower the rate");
        }
        self.tally.bad_debt_covers += 1;
        self.tally.covered_by_insurance += covered;
        self.tally.socialized = self.tally.socialized.saturating_add(socialized);
        println!(
            "  #{position} cover_bad_debt: debt {:.2} USDC, insurance paid {:.2}, socialized {:.2}",
            debt.to_f64() / USDC_UNIT as f64,
            covered as f64 / USDC_UNIT as f64,
            socialized.to_f64() / USDC_UNIT as f64
        );
    }

    /// Walks the ladder for one position at the current prices.
    fn walk(&mut self, position: usize) {
        let obligation = self.positions[position].obligation;
        let mut pre_done = false;
        // Bounded: each pass lowers the debt or clears the position.
        for _ in 0..20 {
            let (state, health) = self.refresh(&obligation);
            if state.borrows().is_empty() {
                return;
            }
            if state.deposits().is_empty() {
                self.cover_bad_debt(position, &state);
                continue;
            }
            if health.is_liquidatable() {
                self.liquidate(position, false, &state, &health);
                continue;
            }
            let pre_ltv = Fraction::from_bps(u64::from(PRE_LTV_BPS));
            if self.positions[position].pre_liquidation && !pre_done && health.ltv() > pre_ltv {
                self.liquidate(position, true, &state, &health);
                pre_done = true;
                continue;
            }
            return;
        }
        panic!("position {position} never settled");
    }
}

fn open_market() -> Bot {
    let mut world = MarketWorld::new();
    world.add_reserve(6, PRICE_SCALE, -8, |_| {});
    world.add_reserve(9, PRICE_PATH[0] * PRICE_SCALE, -8, |_| {});
    let (usdc, sol) = (world.reserves[USDC], world.reserves[SOL]);
    world.refresh_all();

    // A lender supplies 12,000 USDC: with about 7,900 USDC borrowed the reserve earns interest, and fees.
    let lender = world.new_user();
    world.fund(&lender, USDC, 12_000 * USDC_UNIT);
    let deposit = client::deposit_liquidity(
        &usdc.reserve,
        &world.market,
        &lender.address(),
        &lender.liquidity[USDC],
        &lender.collateral[USDC],
        12_000 * USDC_UNIT,
    );
    world.svm.must_send("lender_deposit", &[deposit], &[&lender.keypair]);
    world.check_invariants();

    let liquidator = world.new_user();
    world.fund(&liquidator, USDC, 1_000_000 * USDC_UNIT);
    let rates = [(0, 0); 2];
    let mut bot = Bot { world, positions: Vec::new(), liquidator, tally: Tally::default(), rates };
    bot.rates = [rate(&bot.world, USDC), rate(&bot.world, SOL)];

    for i in 0..BORROWERS {
        // 30 %, 35 %, ..., 70 %, then 74 % (just under the 75 % loan-to-value).
        let ltv_bps = (3_000 + 500 * i).min(7_400);
        let pre_liquidation = i % 2 == 1;
        let user = bot.world.new_user();
        bot.world.fund(&user, SOL, 10 * SOL_UNIT);
        let obligation = bot.world.init_obligation(&user, 0);
        let deposit = client::deposit_liquidity(
            &sol.reserve,
            &bot.world.market,
            &user.address(),
            &user.liquidity[SOL],
            &user.collateral[SOL],
            10 * SOL_UNIT,
        );
        let collateral = client::deposit_collateral(
            &obligation,
            &sol.reserve,
            &bot.world.market,
            &user.address(),
            &user.collateral[SOL],
            10 * SOL_UNIT,
        );
        let mut ixs = vec![deposit, collateral];
        if pre_liquidation {
            let args = SetPreLiquidationArgs {
                enabled: Flag::ON,
                pre_ltv_bps: Le16::new(PRE_LTV_BPS),
                close_factor_start_bps: Le16::new(1_000),
                close_factor_end_bps: Le16::new(5_000),
                incentive_start_bps: Le16::new(10_200),
                incentive_end_bps: Le16::new(10_500),
            };
            ixs.push(client::set_pre_liquidation(&obligation, &user.address(), &args));
        }
        bot.send("open_position", &ixs, Some(&user.keypair), false);

        // $1,500 of collateral: borrow $1,500 × LTV.
        let amount = 1_500 * USDC_UNIT * ltv_bps / 10_000;
        let borrow = client::borrow(
            &BorrowAccounts {
                obligation,
                reserve: usdc.reserve,
                market: bot.world.market,
                owner: user.address(),
                liquidity_vault: usdc.liquidity_vault,
                destination: user.liquidity[USDC],
            },
            amount,
        );
        let refresh = bot.refresh_obligation_ix(&obligation);
        bot.send("borrow", &[refresh, borrow], Some(&user.keypair), false);
        // Invariant 3: the borrow leaves the position within its borrowing power.
        let (_, health) = bot.refresh(&obligation);
        assert!(health.is_within_allowed(), "invariant 3: a borrow left position {i} over its allowed value");
        bot.positions.push(Position { obligation, ltv_bps, pre_liquidation });
    }
    bot
}

#[test]
fn a_crash_walks_the_ladder_from_pre_liquidation_to_socialized_bad_debt() {
    let mut bot = open_market();

    // Invariant 7: liquidating a healthy position, or pre-liquidating one below its window, is refused and
    // changes nothing.
    let healthy = bot.positions[0].obligation;
    let opted_in = bot.positions[1].obligation;
    for obligation in [healthy, opted_in] {
        bot.refresh(&obligation);
    }
    let ix = client::liquidate(&bot.liquidate_accounts(&healthy), u64::MAX, 0);
    bot.expect_rejected("liquidate_healthy", ix, BallastError::ObligationHealthy);
    let ix = client::pre_liquidate(&bot.liquidate_accounts(&opted_in), u64::MAX, 0);
    bot.expect_rejected("pre_liquidate_below_window", ix, BallastError::NotPreLiquidatable);
    let ix = client::pre_liquidate(&bot.liquidate_accounts(&healthy), u64::MAX, 0);
    bot.expect_rejected("pre_liquidate_not_opted_in", ix, BallastError::PreLiquidationDisabled);

    for (step, dollars) in PRICE_PATH.into_iter().enumerate() {
        bot.world.svm.warp_slots(STEP_SLOTS);
        bot.set_sol_price(dollars);
        println!("step {step}: SOL ${dollars}");
        if dollars == 60 {
            // Before the gap the insurance fund collects the USDC fees earned so far, plus a top-up.
            let usdc = bot.world.reserves[USDC];
            let before = bot.world.svm.token_balance(&usdc.insurance_vault);
            let collect = client::collect_fees(&usdc.reserve, &bot.world.market);
            bot.send("collect_fees", &[collect], None, false);
            let collected = bot.world.svm.token_balance(&usdc.insurance_vault) - before;
            assert!(collected > 0, "interest earned the insurance fund its share of the fees");
            bot.world.svm.mint_to(&usdc.mint, &usdc.insurance_vault, INSURANCE_TOP_UP);
            bot.tally.insurance_funded = collected + INSURANCE_TOP_UP;
            println!(
                "  insurance fund: {:.6} USDC from fees + {} USDC minted",
                collected as f64 / USDC_UNIT as f64,
                INSURANCE_TOP_UP / USDC_UNIT
            );
        }
        for position in 0..bot.positions.len() {
            bot.walk(position);
        }
        // After each step no position is left liquidatable or in bad debt.
        for position in 0..bot.positions.len() {
            let obligation = bot.positions[position].obligation;
            let (state, health) = bot.refresh(&obligation);
            assert!(
                state.borrows().is_empty() || (!state.deposits().is_empty() && !health.is_liquidatable())
            );
        }
    }

    let t = &bot.tally;
    println!("crash summary:");
    println!("  pre-liquidations      {}", t.pre_liquidations);
    println!("  liquidations          {}", t.liquidations);
    println!("  bad debts covered     {}", t.bad_debt_covers);
    println!("  rejected (unchanged)  {}", t.rejected);
    println!("  debt repaid           {:.2} USDC", t.repaid_value);
    println!("  liquidator bonuses    {:.2} USD", t.bonus_value);
    println!("  protocol bonus share  {:.6} SOL", t.protocol_fees_sol);
    println!("  insurance funded      {:.6} USDC", t.insurance_funded as f64 / USDC_UNIT as f64);
    println!("  covered by insurance  {:.6} USDC", t.covered_by_insurance as f64 / USDC_UNIT as f64);
    println!("  socialized            {:.6} USDC", t.socialized.to_f64() / USDC_UNIT as f64);
    assert!(t.pre_liquidations >= 1, "no pre-liquidation");
    assert!(t.liquidations >= 1, "no liquidation");
    assert!(t.bad_debt_covers >= 1, "no bad debt covered");
    assert!(
        t.covered_by_insurance > 0 && !t.socialized.is_zero(),
        "insurance pays first, the rest is socialized"
    );
    assert_eq!(
        t.covered_by_insurance, t.insurance_funded,
        "the insurance fund was used up before socializing"
    );
}
