//! LiteSVM scenario: a protocol-wide deleverage from start to its end at the cap, on each side.
//!
//! Twenty borrowers hold the target asset with LTVs spread from 55 % to 74 %. The risk council cuts the cap
//! from 100 to 80 (supply side: the target's total supply; borrow side: its total borrowed), the slots warp
//! through the margin call, and a keeper loop deleverages every eligible obligation as the deleverage LTV
//! decays. Checked: higher-LTV positions are deleveraged no later than lower ones; the total reaches the cap
//! and the state clears; every penalty matches `min + LTV × days` (capped); and after every step the DESIGN
//! §8 invariants hold (vaults equal available liquidity, cToken accounting, LTV never raised, exchange rate
//! never lower).
//!
//! Not compiled yet: it drives DepositLiquidity, InitObligation, DepositCollateral, Borrow, RefreshReserve and
//! RefreshObligation, whose builders land with the lending branches. Every call to them goes through the
//! adapters in `lending`, so that only those lines change if a builder's signature differs from the one
//! assumed here. Move this file to `tests/tests/` once they are merged.

use {
    ballast_interface::{
        client,
        instruction::{DeleverageSide, InitMarketArgs, DELEVERAGE_MAX},
        logic::deleverage::{cached_health, side_total, step_penalty, Deleveraged, DELEVERAGED_TAG},
        pda,
        state::{Market, Obligation, Reserve, PRICE_FULLY_CHECKED},
    },
    ballast_math::{deleverage as math, reserve as reserve_math, Fraction},
    ballast_tests::{
        fixtures::{mint_account, program_account, reserve_state, token_account, ReserveKeys},
        svm::Svm,
    },
    solana_address::Address,
    solana_keypair::Keypair,
    solana_signer::Signer,
};

const TOKEN: u64 = 1_000_000;
const BORROWERS: usize = 20;
/// 1 bps of deleverage-LTV decay every 50 slots: 1 % every 5,000 slots.
const SLOTS_PER_BPS: u64 = 50;
const MIN_PENALTY_BPS: u16 = 50;
/// Keeper period.
const STEP_SLOTS: u64 = 2_500;

/// The builders of the lending branches, behind one adapter each. Assumed account orders (from BRIEF and the
/// processors' docs): refresh_reserve(reserve, Some(price_update)); refresh_obligation(obligation, deposit
/// reserves then borrow reserves); init_obligation(market, owner, seed); deposit_liquidity(user, source,
/// destination cTokens, reserve keys, market, amount); deposit_collateral(obligation, owner, source cTokens,
/// reserve keys, market, amount); borrow(obligation, owner, destination, reserve keys, market, amount).
mod lending {
    use {
        ballast_interface::client, ballast_tests::fixtures::ReserveKeys, solana_address::Address,
        solana_instruction::Instruction,
    };

    pub fn refresh_reserve(keys: &ReserveKeys) -> Instruction {
        client::refresh_reserve(&keys.reserve, Some(&keys.price_update))
    }

    pub fn refresh_obligation(obligation: &Address, reserves: &[Address]) -> Instruction {
        client::refresh_obligation(obligation, reserves)
    }

    pub fn init_obligation(market: &Address, owner: &Address, seed: u8) -> Instruction {
        client::init_obligation(market, owner, seed)
    }

    pub fn deposit_liquidity(
        market: &Address,
        keys: &ReserveKeys,
        user: &Address,
        source: &Address,
        destination: &Address,
        amount: u64,
    ) -> Instruction {
        client::deposit_liquidity(market, keys, user, source, destination, amount)
    }

    pub fn deposit_collateral(
        market: &Address,
        keys: &ReserveKeys,
        obligation: &Address,
        owner: &Address,
        source: &Address,
        amount: u64,
    ) -> Instruction {
        client::deposit_collateral(market, keys, obligation, owner, source, amount)
    }

    pub fn borrow(
        market: &Address,
        keys: &ReserveKeys,
        obligation: &Address,
        owner: &Address,
        destination: &Address,
        deposit_reserves: &[Address],
        amount: u64,
    ) -> Instruction {
        client::borrow(market, keys, obligation, owner, destination, deposit_reserves, amount)
    }
}

struct Borrower {
    owner: Keypair,
    obligation: Address,
    /// LTV at the start, bps.
    ltv_bps: u64,
    first_deleverage_slot: Option<u64>,
}

struct World {
    svm: Svm,
    market: Address,
    council: Keypair,
    /// The asset whose cap is cut ($10, LT 80 %, max bonus 10 %).
    target: ReserveKeys,
    /// The debt asset ($1).
    usdc: ReserveKeys,
    borrowers: Vec<Borrower>,
    keeper: Keypair,
    keeper_usdc: Address,
    keeper_target: Address,
}

/// Writes a reserve and its vault and cToken mint straight into the SVM (InitReserve belongs to another
/// branch; the state is what InitReserve leaves).
fn add_reserve(svm: &mut Svm, market: &Address, authority: &Address, price: u64) -> ReserveKeys {
    let mut keys = ReserveKeys::new();
    keys.liquidity_mint = svm.create_mint(6);
    let slot = svm.slot();
    let mut reserve = reserve_state(&keys, market, 6, Fraction::from_integer(price), slot);
    reserve.config.loan_to_value_bps.set(7_500);
    reserve.config.liquidation_threshold_bps.set(8_000);
    svm.svm.set_account(keys.reserve, program_account(&reserve)).unwrap();
    svm.svm.set_account(keys.liquidity_vault, token_account(&keys.liquidity_mint, authority, 0)).unwrap();
    svm.svm.set_account(keys.collateral_mint, mint_account(Some(authority), 0, 6)).unwrap();
    svm.set_price(&keys.price_update, keys.feed_id, i64::try_from(price).unwrap() * 100_000_000, -8);
    keys
}

impl World {
    /// Lenders put 2,000 USDC in; each borrower deposits 5 target tokens ($50) as collateral (100 in all)
    /// and borrows USDC for an LTV from 55 % to 74 %.
    fn new() -> Self {
        let mut svm = Svm::new();
        let council = Keypair::new();
        let market_keypair = Keypair::new();
        let market = market_keypair.pubkey();
        svm.create_account(&market_keypair, Market::SIZE, &ballast_interface::ID);
        let payer = svm.payer.insecure_clone();
        let args = InitMarketArgs::with_defaults(b"USD", council.pubkey(), Address::new_unique());
        svm.must_send("init_market", &[client::init_market(&market, &payer.pubkey(), &args)], &[]);
        let authority = pda::find_market_authority(&market).0;

        let target = add_reserve(&mut svm, &market, &authority, 10);
        let usdc = add_reserve(&mut svm, &market, &authority, 1);

        // Lender: 2,000 USDC.
        let lender = svm.new_wallet(1_000_000_000);
        let lender_usdc = svm.create_token_account(&usdc.liquidity_mint, &lender.pubkey());
        let lender_c = svm.create_token_account(&usdc.collateral_mint, &lender.pubkey());
        svm.mint_to(&usdc.liquidity_mint, &lender_usdc, 2_000 * TOKEN);
        let mut world = Self {
            svm,
            market,
            council,
            target,
            usdc,
            borrowers: Vec::new(),
            keeper: Keypair::new(),
            keeper_usdc: Address::default(),
            keeper_target: Address::default(),
        };
        world.refresh_reserves();
        let ix = lending::deposit_liquidity(
            &market,
            &world.usdc,
            &lender.pubkey(),
            &lender_usdc,
            &lender_c,
            2_000 * TOKEN,
        );
        world.svm.must_send("deposit_liquidity", &[ix], &[&lender]);

        for i in 0..BORROWERS {
            let ltv_bps = 5_500 + 100 * i as u64;
            let owner = world.svm.new_wallet(1_000_000_000);
            let wallet_target = world.svm.create_token_account(&world.target.liquidity_mint, &owner.pubkey());
            let wallet_ctokens =
                world.svm.create_token_account(&world.target.collateral_mint, &owner.pubkey());
            let wallet_usdc = world.svm.create_token_account(&world.usdc.liquidity_mint, &owner.pubkey());
            world.svm.mint_to(&world.target.liquidity_mint, &wallet_target, 5 * TOKEN);
            let obligation = pda::find_obligation(&market, &owner.pubkey(), 0).0;
            world.refresh_reserves();
            let ixs = [
                lending::init_obligation(&market, &owner.pubkey(), 0),
                lending::deposit_liquidity(
                    &market,
                    &world.target,
                    &owner.pubkey(),
                    &wallet_target,
                    &wallet_ctokens,
                    5 * TOKEN,
                ),
                lending::deposit_collateral(
                    &market,
                    &world.target,
                    &obligation,
                    &owner.pubkey(),
                    &wallet_ctokens,
                    5 * TOKEN,
                ),
            ];
            world.svm.must_send("open position", &ixs, &[&owner]);
            // $50 of collateral: borrow $50 × LTV.
            let amount = 50 * TOKEN * ltv_bps / 10_000;
            world.refresh_reserves();
            let ixs = [
                lending::refresh_obligation(&obligation, &[world.target.reserve]),
                lending::borrow(
                    &market,
                    &world.usdc,
                    &obligation,
                    &owner.pubkey(),
                    &wallet_usdc,
                    &[world.target.reserve],
                    amount,
                ),
            ];
            world.svm.must_send("borrow", &ixs, &[&owner]);
            world.borrowers.push(Borrower { owner, obligation, ltv_bps, first_deleverage_slot: None });
        }

        // The keeper holds USDC to repay with and receives target tokens.
        let keeper = world.svm.new_wallet(1_000_000_000);
        world.keeper_usdc = world.svm.create_token_account(&world.usdc.liquidity_mint, &keeper.pubkey());
        world.keeper_target = world.svm.create_token_account(&world.target.liquidity_mint, &keeper.pubkey());
        world.svm.mint_to(&world.usdc.liquidity_mint, &world.keeper_usdc, 10_000 * TOKEN);
        world.keeper = keeper;
        world
    }

    fn reserve(&self, keys: &ReserveKeys) -> Reserve {
        self.svm.state(&keys.reserve)
    }

    /// Re-publishes both prices at the current time and refreshes both reserves.
    fn refresh_reserves(&mut self) {
        let (target, usdc) = (self.target, self.usdc);
        self.svm.set_price(&target.price_update, target.feed_id, 10 * 100_000_000, -8);
        self.svm.set_price(&usdc.price_update, usdc.feed_id, 100_000_000, -8);
        let ixs = [lending::refresh_reserve(&target), lending::refresh_reserve(&usdc)];
        self.svm.must_send("refresh_reserves", &ixs, &[]);
    }

    fn obligation_reserves(&self, obligation: &Address) -> Vec<Address> {
        let o: Obligation = self.svm.state(obligation);
        o.deposits().iter().map(|d| d.reserve).chain(o.borrows().iter().map(|b| b.reserve)).collect()
    }

    fn refresh_obligation(&mut self, obligation: &Address) -> Obligation {
        let reserves = self.obligation_reserves(obligation);
        self.svm.must_send("refresh_obligation", &[lending::refresh_obligation(obligation, &reserves)], &[]);
        self.svm.state(obligation)
    }

    fn start(&mut self, side: DeleverageSide, keys: &ReserveKeys, new_cap: u64) {
        let args = client::start_deleverage_args(side, new_cap, 0, SLOTS_PER_BPS, MIN_PENALTY_BPS);
        let ix = client::start_deleverage(&keys.reserve, &self.market, &self.council.pubkey(), &args);
        let council = self.council.insecure_clone();
        let meta = self.svm.must_send("start_deleverage", &[ix], &[&council]);
        // The event a notifier reads.
        assert!(meta.logs.iter().any(|l| l.starts_with("Program data: ")), "{:?}", meta.logs);
    }

    fn deleverage_ix(&self, side: DeleverageSide, obligation: &Address) -> solana_instruction::Instruction {
        let accounts = client::DeleverageAccounts {
            obligation: *obligation,
            market: self.market,
            repay_reserve: self.usdc.reserve,
            withdraw_reserve: self.target.reserve,
            executor: self.keeper.pubkey(),
            executor_source: self.keeper_usdc,
            executor_destination: self.keeper_target,
            repay_vault: self.usdc.liquidity_vault,
            withdraw_vault: self.target.liquidity_vault,
            other_reserves: Vec::new(),
        };
        // Borrow side: the target is the repay reserve (USDC); collateral comes from the target-token deposit.
        client::deleverage(&accounts, side, DELEVERAGE_MAX, 0)
    }

    /// DESIGN §8 invariants 1, 2 and 5 on both reserves.
    fn assert_reserve_invariants(&self, rates_before: &[(u128, u64); 2]) {
        for (keys, before) in [(&self.target, rates_before[0]), (&self.usdc, rates_before[1])] {
            let r = self.reserve(keys);
            // 1. The vault holds exactly the available liquidity.
            assert_eq!(self.svm.token_balance(&keys.liquidity_vault), r.available_amount.get());
            // 2. cTokens: mint supply + those held in obligations == collateral supply.
            let held: u64 = self
                .borrowers
                .iter()
                .map(|b| self.svm.state::<Obligation>(&b.obligation))
                .flat_map(|o| o.deposits().to_vec())
                .filter(|d| d.reserve == keys.reserve)
                .map(|d| d.collateral_amount.get())
                .sum();
            assert_eq!(self.svm.mint_supply(&keys.collateral_mint) + held, r.collateral_supply.get());
            // 5. The exchange rate never falls through a deleverage.
            assert!(rate_not_lower(before, rate(&r)), "exchange rate fell on {}", keys.reserve);
        }
    }
}

fn rate(r: &Reserve) -> (u128, u64) {
    let total = reserve_math::total_liquidity(
        r.available_amount.get(),
        Fraction::from_raw(r.borrowed_amount_sf.get()),
        Fraction::from_raw(r.protocol_fees_sf.get()),
    )
    .unwrap();
    (total.raw(), r.collateral_supply.get())
}

fn rate_not_lower(before: (u128, u64), after: (u128, u64)) -> bool {
    let wide = |a: u128, b: u64| {
        let lo = (a & u128::from(u64::MAX)) * u128::from(b);
        let hi = (a >> 64) * u128::from(b) + (lo >> 64);
        (hi, lo & u128::from(u64::MAX))
    };
    wide(after.0, before.1) >= wide(before.0, after.1)
}

/// The `Deleveraged` event of a transaction's logs.
fn deleveraged_event(logs: &[String]) -> Option<Deleveraged> {
    logs.iter().filter_map(|l| l.strip_prefix("Program data: ")).find_map(|fields| {
        let mut parts = fields.split(' ').map(base64_decode);
        let (tag, body) = (parts.next()?, parts.next()?);
        (tag == DELEVERAGED_TAG && body.len() == core::mem::size_of::<Deleveraged>())
            .then(|| bytemuck::pod_read_unaligned(&body))
    })
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|a| *a == c).expect("base64") as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

/// Runs a whole deleverage on `side` and checks everything the scenario promises.
fn run(side: DeleverageSide) {
    let mut world = World::new();
    let target_keys = match side {
        DeleverageSide::Supply => world.target,
        DeleverageSide::Borrow => world.usdc,
    };
    world.refresh_reserves();
    let total = side_total(&world.reserve(&target_keys), side).unwrap();
    // Supply side: 100 target tokens; borrow side: Σ borrows (about 645 USDC). The cap becomes 80 % of it.
    let new_cap = total / 100 * 80;
    world.start(side, &target_keys, new_cap);
    let state = world.reserve(&target_keys).deleverage[side.index()];
    let margin_call_end = state.margin_call_end_slot.get();
    assert_eq!(margin_call_end, state.start_slot.get() + 518_400);

    // During the margin call nothing is deleverageable: the first step is refused.
    world.refresh_reserves();
    let first = world.borrowers.last().unwrap().obligation;
    world.refresh_obligation(&first);
    let ix = world.deleverage_ix(side, &first);
    let keeper = world.keeper.insecure_clone();
    assert!(world.svm.send("deleverage during margin call", &[ix], &[&keeper]).is_err());

    world.svm.warp_to_slot(margin_call_end);
    let mut steps = 0;
    loop {
        world.refresh_reserves();
        let target = world.reserve(&target_keys);
        if !target.deleverage[side.index()].active.is_on() {
            break;
        }
        let since_end = world.svm.slot() - margin_call_end;
        let threshold = math::deleverage_ltv(
            Fraction::from_bps(u64::from(target.config.liquidation_threshold_bps.get())),
            since_end,
            SLOTS_PER_BPS,
        );
        for i in 0..world.borrowers.len() {
            let address = world.borrowers[i].obligation;
            let before = world.refresh_obligation(&address);
            let health = cached_health(&before);
            if before.borrows().is_empty() || !math::is_eligible(health.ltv(), threshold) {
                continue;
            }
            let rates = [rate(&world.reserve(&world.target)), rate(&world.reserve(&world.usdc))];
            let reserves = world.obligation_reserves(&address);
            // Same slot, so the refresh and the step see the same state.
            let ixs = [lending::refresh_obligation(&address, &reserves), world.deleverage_ix(side, &address)];
            let keeper = world.keeper.insecure_clone();
            let meta = world.svm.must_send("deleverage", &ixs, &[&keeper]);
            steps += 1;
            world.borrowers[i].first_deleverage_slot.get_or_insert(world.svm.slot());

            if let Some(step) = deleveraged_event(&meta.logs) {
                // The penalty is min + LTV × days since the margin call ended, capped at 10 %.
                let expected = step_penalty(MIN_PENALTY_BPS, &health, since_end, 1_000);
                assert_eq!(step.penalty_sf.get(), expected.raw());
                assert_eq!(
                    expected,
                    math::deleverage_penalty(
                        Fraction::from_bps(u64::from(MIN_PENALTY_BPS)),
                        health.ltv(),
                        since_end,
                        Fraction::from_bps(1_000)
                    ),
                    "LTVs below 90 % never reach the 1 − LTV bound"
                );
                assert!(step.repaid.get() > 0 && step.received.get() > 0);
            }
            // 4. The step lowered the LTV and took no more than the position held.
            world.refresh_reserves();
            let after = world.refresh_obligation(&address);
            assert!(cached_health(&after).ltv() <= health.ltv(), "LTV raised by a deleverage");
            assert_eq!(after.price_status & PRICE_FULLY_CHECKED, PRICE_FULLY_CHECKED);
            world.assert_reserve_invariants(&rates);
            if !world.reserve(&target_keys).deleverage[side.index()].active.is_on() {
                break;
            }
        }
        world.svm.warp_slots(STEP_SLOTS);
        assert!(since_end < 600_000, "the deleverage never reached its cap");
    }
    assert!(steps > 0);

    // The total is at or under the cap and the state is cleared.
    let target = world.reserve(&target_keys);
    assert!(side_total(&target, side).unwrap() <= new_cap);
    assert_eq!(target.deleverage[side.index()], ballast_interface::state::DeleverageState::default());

    // Higher-LTV positions were deleveraged no later than lower ones (those never reached are last).
    let mut by_ltv: Vec<(u64, u64)> =
        world.borrowers.iter().map(|b| (b.ltv_bps, b.first_deleverage_slot.unwrap_or(u64::MAX))).collect();
    by_ltv.sort_by_key(|o| std::cmp::Reverse(o.0));
    for pair in by_ltv.windows(2) {
        assert!(pair[0].1 <= pair[1].1, "LTV {} deleveraged after LTV {}", pair[0].0, pair[1].0);
    }
    for b in &world.borrowers {
        assert_eq!(pda::find_obligation(&world.market, &b.owner.pubkey(), 0).0, b.obligation);
    }
}

#[test]
fn supply_side_deleverage_runs_to_the_cap() {
    run(DeleverageSide::Supply);
}

#[test]
fn borrow_side_deleverage_runs_to_the_cap() {
    run(DeleverageSide::Borrow);
}
