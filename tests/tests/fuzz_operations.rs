//! Random operation sequences on a whole LiteSVM market: deposits, redemptions, collateral moves, borrows,
//! repayments, price moves, slot warps, refreshes, liquidations, deleverages and fee collection, chosen and
//! sized by a seeded generator. After every step:
//!
//! - DESIGN §8 invariants 1, 2 and 6 hold exactly (`MarketWorld::check_invariants`);
//! - invariant 7: a failed transaction changed no account, and it failed with an error of an instruction
//!   (never a program abort);
//! - invariant 5 (extended): no operation lowers a reserve's cToken exchange rate (only CoverBadDebt may,
//!   and the sequence never covers bad debt);
//! - invariant 3: after a successful Borrow or WithdrawCollateral, a refresh in the same slot finds the
//!   obligation within its allowed borrow value;
//! - invariant 4: a successful liquidation or deleverage never raises the obligation's LTV (at unchanged
//!   prices) unless it is in bad debt.
//!
//! CI runs `DEFAULT_ITERATIONS` operations over a few seeds. `BALLAST_FUZZ_ITERATIONS=<n>` runs `n`
//! operations per seed and `BALLAST_FUZZ_SEED=<s>` a single seed, for long runs:
//! `BALLAST_FUZZ_ITERATIONS=20000 cargo test -p ballast-tests --release --test fuzz_operations`.

use {
    ballast_interface::{
        client::{self, BorrowAccounts, DeleverageAccounts, LiquidateAccounts, WithdrawCollateralAccounts},
        instruction::DeleverageSide,
        state::{Obligation, Reserve},
    },
    ballast_math::Fraction,
    ballast_tests::{
        deleverage::{exchange_rate, rate_not_lower},
        scenario::{MarketWorld, User},
    },
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
    solana_instruction_error::InstructionError,
    solana_signer::Signer,
    solana_transaction_error::TransactionError,
    std::collections::BTreeMap,
};

/// Operations per seed in CI.
const DEFAULT_ITERATIONS: u64 = 150;
/// Seeds in CI.
const DEFAULT_SEEDS: [u64; 3] = [0x5eed_0001, 0x5eed_0002, 0x5eed_0003];

const USDC: usize = 0;
const SOL: usize = 1;
const USDC_PRICE: i64 = 100_000_000;
const SOL_PRICE: i64 = 15_000_000_000;
const UNITS: [u64; 2] = [1_000_000, 1_000_000_000];

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// An amount up to `max`, skewed towards small values, sometimes exactly `max`, 0 or `u64::MAX`.
    fn amount(&mut self, max: u64) -> u64 {
        match self.below(10) {
            0 => 0,
            1 => max,
            2 => u64::MAX,
            3 => max / 2,
            _ => self.below(max.max(1)).saturating_add(1) >> self.below(12),
        }
    }
}

struct Fuzz {
    world: MarketWorld,
    rng: Rng,
    users: Vec<User>,
    obligations: Vec<Address>,
    prices: [i64; 2],
    liquidator: User,
    counts: BTreeMap<&'static str, (u64, u64)>,
    refusals: BTreeMap<(&'static str, u32), u64>,
}

impl Fuzz {
    fn new(seed: u64) -> Self {
        let mut world = MarketWorld::new();
        world.add_reserve(6, USDC_PRICE, -8, |_| {});
        world.add_reserve(9, SOL_PRICE, -8, |_| {});
        let mut users = Vec::new();
        let mut obligations = Vec::new();
        for _ in 0..3 {
            let user = world.new_user();
            world.fund(&user, USDC, 1_000_000 * UNITS[USDC]);
            world.fund(&user, SOL, 5_000 * UNITS[SOL]);
            obligations.push(world.init_obligation(&user, 0));
            users.push(user);
        }
        let liquidator = world.new_user();
        world.fund(&liquidator, USDC, 100_000_000 * UNITS[USDC]);
        world.fund(&liquidator, SOL, 100_000 * UNITS[SOL]);
        // Lenders' liquidity so that borrows have something to take.
        world.refresh_all();
        for (index, amount) in [(USDC, 500_000 * UNITS[USDC]), (SOL, 2_000 * UNITS[SOL])] {
            let handle = world.reserves[index];
            let ix = client::deposit_liquidity(
                &handle.reserve,
                &world.market,
                &liquidator.address(),
                &liquidator.liquidity[index],
                &liquidator.collateral[index],
                amount,
            );
            world.svm.must_send("seed_liquidity", &[ix], &[&liquidator.keypair]);
        }
        world.check_invariants();
        Self {
            world,
            rng: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
            users,
            obligations,
            prices: [USDC_PRICE, SOL_PRICE],
            liquidator,
            counts: BTreeMap::new(),
            refusals: BTreeMap::new(),
        }
    }

    fn refresh_reserves(&self) -> Vec<Instruction> {
        (0..self.world.reserves.len()).map(|i| self.world.refresh_reserve_ix(i)).collect()
    }

    fn refresh_obligation(&self, obligation: &Address) -> Instruction {
        let state = self.world.obligation(obligation);
        let deposits: Vec<Address> = state.deposits().iter().map(|d| d.reserve).collect();
        let borrows: Vec<Address> = state.borrows().iter().map(|b| b.reserve).collect();
        client::refresh_obligation(obligation, &self.world.market, &deposits, &borrows)
    }

    /// Every account an operation may touch.
    fn keys(&self) -> Vec<Address> {
        let mut keys = vec![self.world.market];
        for h in &self.world.reserves {
            keys.extend([h.reserve, h.liquidity_vault, h.collateral_mint, h.fee_vault, h.insurance_vault]);
        }
        keys.extend(self.obligations.iter().copied());
        for user in self.users.iter().chain([&self.liquidator]) {
            keys.extend(user.liquidity.iter().copied());
            keys.extend(user.collateral.iter().copied());
        }
        keys
    }

    fn snapshot(&self) -> Vec<Option<Account>> {
        self.keys().iter().map(|k| self.world.svm.account(k)).collect()
    }

    fn rates(&self) -> Vec<(u128, u64)> {
        (0..self.world.reserves.len()).map(|i| exchange_rate(&self.world.reserve(i))).collect()
    }

    /// Sends one operation's transaction and checks invariants 1, 2, 5, 6 and 7 after it.
    fn send(&mut self, label: &'static str, ixs: &[Instruction], signer: &User) -> bool {
        let before = self.snapshot();
        let rates = self.rates();
        let keypair = signer.keypair.insecure_clone();
        let result = self.world.svm.send(label, ixs, &[&keypair]);
        let entry = self.counts.entry(label).or_default();
        let ok = match result {
            Ok(_) => {
                entry.0 += 1;
                true
            }
            Err(failed) => {
                entry.1 += 1;
                match failed.err {
                    TransactionError::InstructionError(_, InstructionError::Custom(code)) => {
                        *self.refusals.entry((label, code)).or_default() += 1;
                    }
                    other => panic!(
                        "{label}: not an instruction's error: {other:?}\n{}",
                        failed.meta.logs.join("\n")
                    ),
                }
                assert_eq!(
                    self.snapshot(),
                    before,
                    "{label}: a failed transaction changed an account (invariant 7)"
                );
                false
            }
        };
        self.world.check_invariants();
        for (index, (before, after)) in rates.iter().zip(self.rates()).enumerate() {
            assert!(rate_not_lower(*before, after), "{label}: reserve {index}'s exchange rate fell");
        }
        ok
    }

    fn pick_user(&mut self) -> usize {
        self.rng.below(self.users.len() as u64) as usize
    }

    fn pick_reserve(&mut self) -> usize {
        self.rng.below(2) as usize
    }

    fn balance(&self, account: &Address) -> u64 {
        self.world.svm.token_balance(account)
    }

    fn deposited(&self, obligation: &Address, reserve: usize) -> u64 {
        let key = self.world.reserves[reserve].reserve;
        let state = self.world.obligation(obligation);
        state.deposits().iter().filter(|d| d.reserve == key).map(|d| d.collateral_amount.get()).sum()
    }

    /// The refreshed obligation's health after a refresh in the current slot.
    fn refreshed(&mut self, obligation: &Address) -> Obligation {
        let mut ixs = self.refresh_reserves();
        ixs.push(self.refresh_obligation(obligation));
        self.world.svm.must_send("refresh", &ixs, &[]);
        self.world.obligation(obligation)
    }

    fn step(&mut self) {
        let u = self.pick_user();
        let r = self.pick_reserve();
        let handle = self.world.reserves[r];
        let market = self.world.market;
        let obligation = self.obligations[u];
        let (owner, liquidity, collateral) =
            (self.users[u].address(), self.users[u].liquidity[r], self.users[u].collateral[r]);
        match self.rng.below(13) {
            0 | 1 => {
                let amount = self.rng.amount(self.balance(&liquidity));
                let mut ixs = self.refresh_reserves();
                ixs.push(client::deposit_liquidity(
                    &handle.reserve,
                    &market,
                    &owner,
                    &liquidity,
                    &collateral,
                    amount,
                ));
                self.send_as("deposit_liquidity", &ixs, u);
            }
            2 => {
                let amount = self.rng.amount(self.balance(&collateral));
                let mut ixs = self.refresh_reserves();
                ixs.push(client::redeem_collateral(
                    &handle.reserve,
                    &market,
                    &owner,
                    &liquidity,
                    &collateral,
                    amount,
                ));
                self.send_as("redeem_collateral", &ixs, u);
            }
            3 | 4 => {
                let amount = self.rng.amount(self.balance(&collateral));
                let ix = client::deposit_collateral(
                    &obligation,
                    &handle.reserve,
                    &market,
                    &owner,
                    &collateral,
                    amount,
                );
                self.send_as("deposit_collateral", &[ix], u);
            }
            5 => {
                let amount = self.rng.amount(self.deposited(&obligation, r));
                let mut ixs = self.refresh_reserves();
                ixs.push(self.refresh_obligation(&obligation));
                let accounts = WithdrawCollateralAccounts {
                    obligation,
                    reserve: handle.reserve,
                    market,
                    owner,
                    destination: collateral,
                    collateral_mint: handle.collateral_mint,
                };
                ixs.push(client::withdraw_collateral(&accounts, amount));
                if self.send_as("withdraw_collateral", &ixs, u) {
                    self.assert_healthy(&obligation, "withdraw_collateral");
                }
            }
            6 | 7 => {
                let available = self.world.reserve(r).available_amount.get();
                // Half of the borrows go near the obligation's limit, so that price moves make positions
                // liquidatable.
                let amount = if self.rng.below(2) == 0 {
                    self.borrowable(&obligation, r)
                } else {
                    self.rng.amount(available / 4)
                };
                let mut ixs = self.refresh_reserves();
                ixs.push(self.refresh_obligation(&obligation));
                let accounts = BorrowAccounts {
                    obligation,
                    reserve: handle.reserve,
                    market,
                    owner,
                    liquidity_vault: handle.liquidity_vault,
                    destination: liquidity,
                };
                ixs.push(client::borrow(&accounts, amount));
                if self.send_as("borrow", &ixs, u) {
                    self.assert_healthy(&obligation, "borrow");
                }
            }
            8 => {
                let amount = self.rng.amount(self.balance(&liquidity));
                let mut ixs = self.refresh_reserves();
                ixs.push(client::repay(&obligation, &handle.reserve, &market, &owner, &liquidity, amount));
                self.send_as("repay", &ixs, u);
            }
            9 => {
                // A price move of -50 % .. +30 %, or back to the start price, then every reserve refreshed.
                let start = [USDC_PRICE, SOL_PRICE][r];
                let factor = 35 + self.rng.below(96) as i64;
                self.prices[r] =
                    if self.rng.below(4) == 0 { start } else { (self.prices[r] / 100 * factor).max(1_000) };
                self.world.set_price(r, self.prices[r]);
                let ixs = self.refresh_reserves();
                let liquidator = self.liquidator.keypair.insecure_clone();
                self.world.svm.must_send("refresh_all", &ixs, &[&liquidator]);
                self.world.check_invariants();
            }
            10 => {
                // Slots pass; prices are published again at the new time.
                let slots = 1 + self.rng.below(200_000);
                self.world.svm.warp_slots(slots);
                for index in 0..2 {
                    self.world.set_price(index, self.prices[index]);
                }
                let ixs = self.refresh_reserves();
                self.world.svm.must_send("refresh_all", &ixs, &[]);
                self.world.check_invariants();
            }
            11 => self.liquidate(u),
            _ => self.deleverage(u),
        }
    }

    fn send_as(&mut self, label: &'static str, ixs: &[Instruction], user: usize) -> bool {
        let signer = User {
            keypair: self.users[user].keypair.insecure_clone(),
            liquidity: Vec::new(),
            collateral: Vec::new(),
        };
        self.send(label, ixs, &signer)
    }

    /// About 99 % of what the obligation may still borrow from reserve `r`, from a refresh now.
    fn borrowable(&mut self, obligation: &Address, r: usize) -> u64 {
        let o = self.refreshed(obligation);
        let room = o.allowed_borrow_value_sf.get().saturating_sub(o.debt_value_bf_sf.get());
        let reserve = self.world.reserve(r);
        let price = reserve.price_sf.get().max(1) as f64;
        let tokens = room as f64 / price * 10f64.powi(i32::from(reserve.liquidity_decimals));
        (tokens * 0.99) as u64
    }

    /// Invariant 3: a refresh in the same slot finds the obligation within its allowed borrow value.
    fn assert_healthy(&mut self, obligation: &Address, label: &str) {
        let o = self.refreshed(obligation);
        assert!(
            o.debt_value_bf_sf.get() <= o.allowed_borrow_value_sf.get(),
            "{label}: invariant 3: debt {} above allowed {}",
            o.debt_value_bf_sf.get(),
            o.allowed_borrow_value_sf.get()
        );
    }

    fn ltv(o: &Obligation) -> Option<(u128, u128)> {
        let deposited = o.deposited_value_sf.get();
        (deposited > 0).then(|| (o.borrowed_value_sf.get(), deposited))
    }

    /// Invariant 4: LTV after <= LTV before, at unchanged prices, unless the position is in bad debt.
    fn assert_ltv_not_raised(&mut self, obligation: &Address, before: &Obligation, label: &str) {
        let after = self.refreshed(obligation);
        let (Some((debt_b, coll_b)), Some((debt_a, coll_a))) = (Self::ltv(before), Self::ltv(&after)) else {
            return;
        };
        if debt_b >= coll_b {
            return;
        }
        // debt_a / coll_a <= debt_b / coll_b, compared as floating ratios with a tolerance of one value unit
        // of rounding (values are scaled fractions).
        let (a, b) = (debt_a as f64 / coll_a as f64, debt_b as f64 / coll_b as f64);
        assert!(a <= b * (1.0 + 1e-9), "{label}: invariant 4: LTV rose from {b} to {a}");
    }

    fn liquidate(&mut self, user: usize) {
        let obligation = self.obligations[user];
        let state = self.refreshed(&obligation);
        let (Some(borrow), Some(deposit)) =
            (state.borrows().first().copied(), state.deposits().first().copied())
        else {
            return;
        };
        let index =
            |key: &Address| self.world.reserves.iter().position(|h| h.reserve == *key).expect("reserve");
        let (repay, withdraw) = (index(&borrow.reserve), index(&deposit.reserve));
        let (repay_h, withdraw_h) = (self.world.reserves[repay], self.world.reserves[withdraw]);
        let accounts = LiquidateAccounts {
            obligation,
            market: self.world.market,
            repay_reserve: repay_h.reserve,
            withdraw_reserve: withdraw_h.reserve,
            liquidator: self.liquidator.address(),
            source: self.liquidator.liquidity[repay],
            destination: self.liquidator.liquidity[withdraw],
            repay_vault: repay_h.liquidity_vault,
            withdraw_vault: withdraw_h.liquidity_vault,
            market_authority: ballast_interface::pda::find_market_authority(&self.world.market).0,
        };
        let amount =
            self.rng.amount(Fraction::from_raw(borrow.borrowed_amount_sf.get()).to_u64_ceil().unwrap_or(0));
        let mut ixs = self.refresh_reserves();
        ixs.push(self.refresh_obligation(&obligation));
        ixs.push(client::liquidate(&accounts, amount, 0));
        let liquidator = User {
            keypair: self.liquidator.keypair.insecure_clone(),
            liquidity: Vec::new(),
            collateral: Vec::new(),
        };
        if self.send("liquidate", &ixs, &liquidator) {
            self.assert_ltv_not_raised(&obligation, &state, "liquidate");
        }
    }

    /// Starts a supply-side deleverage of SOL when none runs (the owner is the risk council), or takes a step
    /// of the running one once its margin call has passed.
    fn deleverage(&mut self, user: usize) {
        let sol: Reserve = self.world.reserve(SOL);
        let handle = self.world.reserves[SOL];
        let supply = ballast_interface::state::DELEVERAGE_SUPPLY;
        if !sol.deleverage[supply].active.is_on() {
            let total = ballast_interface::logic::reserve::total_liquidity(&sol)
                .ok()
                .and_then(|t| t.to_u64_floor().ok())
                .unwrap_or(0);
            let cap = total / 100 * (50 + self.rng.below(45));
            let args = client::start_deleverage_args(
                DeleverageSide::Supply,
                cap,
                1 + self.rng.below(5_000),
                720,
                50,
            );
            let ix = client::start_deleverage(
                &handle.reserve,
                &self.world.market,
                &self.world.owner.pubkey(),
                &args,
            );
            let owner = User {
                keypair: self.world.owner.insecure_clone(),
                liquidity: Vec::new(),
                collateral: Vec::new(),
            };
            let mut ixs = self.refresh_reserves();
            ixs.push(ix);
            self.send("start_deleverage", &ixs, &owner);
            return;
        }
        let obligation = self.obligations[user];
        let state = self.refreshed(&obligation);
        let Some(borrow) = state.borrows().first().copied() else {
            return;
        };
        let usdc = self.world.reserves[USDC];
        if borrow.reserve != usdc.reserve {
            return;
        }
        let accounts = DeleverageAccounts {
            obligation,
            market: self.world.market,
            repay_reserve: usdc.reserve,
            withdraw_reserve: handle.reserve,
            executor: self.liquidator.address(),
            executor_source: self.liquidator.liquidity[USDC],
            executor_destination: self.liquidator.liquidity[SOL],
            repay_vault: usdc.liquidity_vault,
            withdraw_vault: handle.liquidity_vault,
            other_reserves: Vec::new(),
        };
        let amount =
            self.rng.amount(Fraction::from_raw(borrow.borrowed_amount_sf.get()).to_u64_ceil().unwrap_or(0));
        let mut ixs = self.refresh_reserves();
        ixs.push(self.refresh_obligation(&obligation));
        ixs.push(client::deleverage(&accounts, DeleverageSide::Supply, amount, 0));
        let executor = User {
            keypair: self.liquidator.keypair.insecure_clone(),
            liquidity: Vec::new(),
            collateral: Vec::new(),
        };
        if self.send("deleverage", &ixs, &executor) {
            self.assert_ltv_not_raised(&obligation, &state, "deleverage");
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn random_operation_sequences_keep_every_invariant() {
    let iterations = env_u64("BALLAST_FUZZ_ITERATIONS").unwrap_or(DEFAULT_ITERATIONS);
    let seeds: Vec<u64> =
        env_u64("BALLAST_FUZZ_SEED").map(|s| vec![s]).unwrap_or_else(|| DEFAULT_SEEDS.to_vec());
    let mut totals: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    for seed in &seeds {
        let mut fuzz = Fuzz::new(*seed);
        for _ in 0..iterations {
            fuzz.step();
        }
        if std::env::var("BALLAST_FUZZ_VERBOSE").is_ok() {
            println!("seed {seed:#x} refusals (label, error code): {:?}", fuzz.refusals);
        }
        for (label, (ok, failed)) in fuzz.counts {
            let entry = totals.entry(label).or_default();
            entry.0 += ok;
            entry.1 += failed;
        }
    }
    println!("fuzz: {} seeds x {iterations} operations", seeds.len());
    for (label, (ok, failed)) in &totals {
        println!("  {label:<20} {ok:>6} succeeded {failed:>6} refused");
    }
    // The sequence exercises the market rather than bouncing off it.
    for label in ["deposit_liquidity", "deposit_collateral", "borrow", "repay"] {
        assert!(totals.get(label).is_some_and(|(ok, _)| *ok > 0), "no successful {label}");
    }
}
