//! LiteSVM scenario: a protocol-wide deleverage from start to its end at the cap, on each side, over real
//! positions.
//!
//! Every account comes from real transactions on a [`MarketWorld`]: InitReserve, DepositLiquidity,
//! InitObligation, DepositCollateral, Borrow, RefreshReserve and RefreshObligation. Twenty borrowers hold the
//! target asset as collateral with LTVs spread from 55 % to 74 %. The risk council cuts the cap from 100 to
//! 80 (supply side: the target's total supply of 100 tokens; borrow side: 80 % of the USDC borrowed against
//! it), the slots warp through the margin call, and a keeper loop deleverages every eligible obligation as
//! the deleverage LTV decays. Checked: a step during the margin call is refused and changes nothing;
//! higher-LTV positions are deleveraged no later than lower ones; the total reaches the cap and the state
//! clears; every penalty matches `ballast_math::deleverage::deleverage_penalty` (`min + LTV × days`, capped);
//! and after every step the DESIGN §8 invariants hold: 1, 2 and 6 ([`MarketWorld::check_invariants`]), 4
//! (the LTV recomputed by a RefreshObligation never rises; no more debt repaid or collateral taken than held)
//! and 5 (lenders are untouched: neither cToken exchange rate falls, and each stays equal when the step's
//! conversions are exact).

use {
    ballast_interface::{
        client::{self, BorrowAccounts, DeleverageAccounts},
        error::BallastError,
        instruction::{DeleverageSide, DELEVERAGE_MAX},
        logic::deleverage::{cached_health, side_total, step_penalty, Deleveraged, DELEVERAGED_TAG},
        state::{DeleverageState, Obligation, Reserve, PRICE_FULLY_CHECKED},
    },
    ballast_math::{deleverage as math, Fraction},
    ballast_tests::{
        deleverage::{exchange_rate, rate_not_lower},
        scenario::{MarketWorld, User},
    },
    solana_address::Address,
    solana_instruction::Instruction,
    solana_instruction_error::InstructionError,
    solana_signer::Signer,
    solana_transaction_error::TransactionError,
};

const TOKEN: u64 = 1_000_000;
const TARGET: usize = 0;
const USDC: usize = 1;
/// Prices carry eight decimal places: $10 per target token, $1 per USDC.
const TARGET_PRICE: i64 = 1_000_000_000;
const USDC_PRICE: i64 = 100_000_000;
const BORROWERS: usize = 20;
/// 1 bps of deleverage-LTV decay every 50 slots: 1 % every 5,000 slots.
const SLOTS_PER_BPS: u64 = 50;
const MIN_PENALTY_BPS: u16 = 50;
/// The reserves' max liquidation bonus (fixture default): the penalty's ceiling.
const PENALTY_CAP_BPS: u16 = 1_000;
/// Keeper period.
const STEP_SLOTS: u64 = 10_000;

struct Borrower {
    user: User,
    obligation: Address,
    /// LTV with borrow factors at the last refresh the keeper saw.
    last_ltv: Fraction,
    /// Slot of that refresh.
    refreshed_slot: u64,
    /// LTV at the start, bps.
    ltv_bps: u64,
    first_deleverage_slot: Option<u64>,
}

struct World {
    world: MarketWorld,
    borrowers: Vec<Borrower>,
    keeper: User,
}

#[derive(Default)]
struct Summary {
    steps: u32,
    /// Passes over the positions that moved something.
    passes: u32,
    repaid: u64,
    received: u64,
    /// Value the penalties moved from borrowers to the keeper, in USD.
    penalty_value: f64,
    min_penalty: Option<Fraction>,
    max_penalty: Fraction,
    deleveraged_positions: usize,
    slots_after_margin_call: u64,
}

impl World {
    /// A lender puts 2,000 USDC in; each borrower deposits 5 target tokens ($50) as collateral (100 in all)
    /// and borrows USDC for an LTV from 55 % to 74 %.
    fn new() -> Self {
        let mut world = MarketWorld::new();
        // Fixture configuration: LTV 75 %, LT 80 %, max liquidation bonus 10 %.
        world.add_reserve(6, TARGET_PRICE, -8, |_| {});
        world.add_reserve(6, USDC_PRICE, -8, |_| {});
        let (target, usdc) = (world.reserves[TARGET], world.reserves[USDC]);
        world.refresh_all();

        let lender = world.new_user();
        world.fund(&lender, USDC, 2_000 * TOKEN);
        let ix = client::deposit_liquidity(
            &usdc.reserve,
            &world.market,
            &lender.address(),
            &lender.liquidity[USDC],
            &lender.collateral[USDC],
            2_000 * TOKEN,
        );
        world.svm.must_send("deposit_liquidity", &[ix], &[&lender.keypair]);
        world.check_invariants();

        let mut borrowers = Vec::new();
        for i in 0..BORROWERS {
            let ltv_bps = 5_500 + 100 * i as u64;
            let user = world.new_user();
            world.fund(&user, TARGET, 5 * TOKEN);
            let obligation = world.init_obligation(&user, 0);
            let ixs = [
                client::deposit_liquidity(
                    &target.reserve,
                    &world.market,
                    &user.address(),
                    &user.liquidity[TARGET],
                    &user.collateral[TARGET],
                    5 * TOKEN,
                ),
                client::deposit_collateral(
                    &obligation,
                    &target.reserve,
                    &world.market,
                    &user.address(),
                    &user.collateral[TARGET],
                    5 * TOKEN,
                ),
            ];
            world.svm.must_send("open_position", &ixs, &[&user.keypair]);
            world.check_invariants();
            // $50 of collateral: borrow $50 × LTV.
            let amount = 50 * TOKEN * ltv_bps / 10_000;
            let borrow = client::borrow(
                &BorrowAccounts {
                    obligation,
                    reserve: usdc.reserve,
                    market: world.market,
                    owner: user.address(),
                    liquidity_vault: usdc.liquidity_vault,
                    destination: user.liquidity[USDC],
                },
                amount,
            );
            let refresh = client::refresh_obligation(&obligation, &world.market, &[target.reserve], &[]);
            world.svm.must_send("borrow", &[refresh, borrow], &[&user.keypair]);
            world.check_invariants();
            borrowers.push(Borrower {
                user,
                obligation,
                last_ltv: Fraction::ONE,
                refreshed_slot: 0,
                ltv_bps,
                first_deleverage_slot: None,
            });
        }

        // The keeper holds USDC to repay with and receives target tokens.
        let keeper = world.new_user();
        world.fund(&keeper, USDC, 10_000 * TOKEN);
        Self { world, borrowers, keeper }
    }

    fn reserve(&self, index: usize) -> Reserve {
        self.world.reserve(index)
    }

    /// Re-publishes both prices at the current time and refreshes both reserves.
    fn refresh_reserves(&mut self) {
        self.world.set_price(TARGET, TARGET_PRICE);
        self.world.set_price(USDC, USDC_PRICE);
        self.world.refresh_all();
    }

    fn refresh_obligation_ix(&self, obligation: &Address) -> Instruction {
        let o = self.world.obligation(obligation);
        let deposits: Vec<Address> = o.deposits().iter().map(|d| d.reserve).collect();
        let borrows: Vec<Address> = o.borrows().iter().map(|b| b.reserve).collect();
        client::refresh_obligation(obligation, &self.world.market, &deposits, &borrows)
    }

    fn refresh_obligation(&mut self, obligation: &Address) -> Obligation {
        let ix = self.refresh_obligation_ix(obligation);
        self.world.svm.must_send("refresh_obligation", &[ix], &[]);
        self.world.check_invariants();
        self.world.obligation(obligation)
    }

    fn start(&mut self, side: DeleverageSide, target: usize, new_cap: u64) {
        let args = client::start_deleverage_args(side, new_cap, 0, SLOTS_PER_BPS, MIN_PENALTY_BPS);
        let reserve = self.world.reserves[target].reserve;
        let ix = client::start_deleverage(&reserve, &self.world.market, &self.world.owner.pubkey(), &args);
        let council = self.world.owner.insecure_clone();
        let meta = self.world.svm.must_send("start_deleverage", &[ix], &[&council]);
        self.world.check_invariants();
        // The event a notifier reads.
        assert!(meta.logs.iter().any(|l| l.starts_with("Program data: ")), "{:?}", meta.logs);
    }

    fn deleverage_ix(&self, side: DeleverageSide, obligation: &Address) -> Instruction {
        let (target, usdc) = (self.world.reserves[TARGET], self.world.reserves[USDC]);
        let accounts = DeleverageAccounts {
            obligation: *obligation,
            market: self.world.market,
            repay_reserve: usdc.reserve,
            withdraw_reserve: target.reserve,
            executor: self.keeper.address(),
            executor_source: self.keeper.liquidity[USDC],
            executor_destination: self.keeper.liquidity[TARGET],
            repay_vault: usdc.liquidity_vault,
            withdraw_vault: target.liquidity_vault,
            other_reserves: Vec::new(),
        };
        // Borrow side: the target is the repay reserve (USDC); collateral comes from the target-token deposit.
        client::deleverage(&accounts, side, DELEVERAGE_MAX, 0)
    }

    /// Every account a deleverage touches, for invariant 7.
    fn snapshot(&self) -> Vec<Option<solana_account::Account>> {
        let mut keys = vec![self.world.market];
        for handle in &self.world.reserves {
            keys.extend([handle.reserve, handle.liquidity_vault, handle.collateral_mint]);
        }
        keys.extend(self.world.obligations.iter().copied());
        keys.extend(self.keeper.liquidity.iter().copied());
        keys.iter().map(|k| self.world.svm.account(k)).collect()
    }
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
fn run(side: DeleverageSide) -> Summary {
    let mut world = World::new();
    let target_index = match side {
        DeleverageSide::Supply => TARGET,
        DeleverageSide::Borrow => USDC,
    };
    world.refresh_reserves();
    let total = side_total(&world.reserve(target_index), side).unwrap();
    // Supply side: 100 target tokens; borrow side: Σ borrows (about 645 USDC). The cap becomes 80 % of it.
    let new_cap = total / 100 * 80;
    world.start(side, target_index, new_cap);
    let state = world.reserve(target_index).deleverage[side.index()];
    let margin_call_end = state.margin_call_end_slot.get();
    assert_eq!(margin_call_end, state.start_slot.get() + 518_400);

    // While the cut runs, a deposit (supply side) or a borrow (borrow side) that would push the total
    // further above the new cap is refused and changes nothing (invariant 7).
    world.refresh_reserves();
    let (target, usdc) = (world.world.reserves[TARGET], world.world.reserves[USDC]);
    if side == DeleverageSide::Supply {
        world.world.fund(&world.keeper, TARGET, TOKEN);
    }
    let before = world.snapshot();
    let (label, ixs, signer) = match side {
        DeleverageSide::Supply => {
            let keeper = &world.keeper;
            let deposit = client::deposit_liquidity(
                &target.reserve,
                &world.world.market,
                &keeper.address(),
                &keeper.liquidity[TARGET],
                &keeper.collateral[TARGET],
                TOKEN,
            );
            ("deposit above the cap", vec![deposit], keeper.keypair.insecure_clone())
        }
        DeleverageSide::Borrow => {
            let borrower = &world.borrowers[0];
            let borrow = client::borrow(
                &BorrowAccounts {
                    obligation: borrower.obligation,
                    reserve: usdc.reserve,
                    market: world.world.market,
                    owner: borrower.user.address(),
                    liquidity_vault: usdc.liquidity_vault,
                    destination: borrower.user.liquidity[USDC],
                },
                TOKEN,
            );
            let refresh = world.refresh_obligation_ix(&borrower.obligation);
            ("borrow above the cap", vec![refresh, borrow], borrower.user.keypair.insecure_clone())
        }
    };
    let failed = world.world.svm.send(label, &ixs, &[&signer]).unwrap_err();
    let index = u8::try_from(ixs.len() - 1).unwrap();
    assert_eq!(
        failed.err,
        TransactionError::InstructionError(
            index,
            InstructionError::Custom(BallastError::DeleverageCapExceeded as u32)
        ),
        "{label}"
    );
    assert_eq!(world.snapshot(), before, "invariant 7: the refused {label} changed an account");

    // During the margin call nothing is deleverageable: the most leveraged position's step is refused and
    // changes no account (invariant 7).
    world.refresh_reserves();
    let first = world.borrowers.last().unwrap().obligation;
    world.refresh_obligation(&first);
    let before = world.snapshot();
    let ix = world.deleverage_ix(side, &first);
    let keeper = world.keeper.keypair.insecure_clone();
    let failed = world.world.svm.send("deleverage during margin call", &[ix], &[&keeper]).unwrap_err();
    assert_eq!(
        failed.err,
        TransactionError::InstructionError(
            0,
            InstructionError::Custom(BallastError::MarginCallActive as u32)
        )
    );
    assert_eq!(world.snapshot(), before, "invariant 7: a refused step changed an account");

    world.world.svm.warp_to_slot(margin_call_end);
    let mut summary = Summary::default();
    'keeper: loop {
        world.refresh_reserves();
        let target = world.reserve(target_index);
        if !target.deleverage[side.index()].active.is_on() {
            break;
        }
        let since_end = world.world.svm.slot() - margin_call_end;
        assert!(since_end < 600_000, "the deleverage never reached its cap");
        let threshold = math::deleverage_ltv(
            Fraction::from_bps(u64::from(target.config.liquidation_threshold_bps.get())),
            since_end,
            SLOTS_PER_BPS,
        );
        // Passes over the positions in this slot until one changes nothing: each step takes a share of the
        // excess left at that moment, so a single pass per period would leave a remainder that the interest
        // accrued by the next period can refill.
        loop {
            let mut stepped = false;
            for i in 0..world.borrowers.len() {
                let address = world.borrowers[i].obligation;
                // Prices do not move and interest barely does: a position half a percent under the threshold at
                // its last refresh is not worth a refresh now.
                if world.borrowers[i].last_ltv.saturating_add(Fraction::from_bps(50)) < threshold {
                    continue;
                }
                // Refreshed in this slot and found ineligible: nothing it holds has changed since.
                let slot = world.world.svm.slot();
                if world.borrowers[i].refreshed_slot == slot
                    && !math::is_eligible(world.borrowers[i].last_ltv, threshold)
                {
                    continue;
                }
                world.borrowers[i].refreshed_slot = slot;
                let before = world.refresh_obligation(&address);
                let health = cached_health(&before);
                world.borrowers[i].last_ltv = health.ltv();
                if before.borrows().is_empty() || !math::is_eligible(health.ltv(), threshold) {
                    continue;
                }
                let rates = [exchange_rate(&world.reserve(TARGET)), exchange_rate(&world.reserve(USDC))];
                let target_rate_one = rates[0].0 == Fraction::from_integer(rates[0].1).raw();
                let debt_before = Fraction::from_raw(before.borrows()[0].borrowed_amount_sf.get());
                let ctokens_before = before.deposits()[0].collateral_amount.get();
                // Same slot, so the refresh and the step see the same state.
                let ixs = [world.refresh_obligation_ix(&address), world.deleverage_ix(side, &address)];
                let keeper = world.keeper.keypair.insecure_clone();
                let meta = world.world.svm.must_send("deleverage", &ixs, &[&keeper]);
                world.world.check_invariants();
                summary.steps += 1;
                stepped = true;
                world.borrowers[i].first_deleverage_slot.get_or_insert(world.world.svm.slot());

                let step = deleveraged_event(&meta.logs).expect("a step logs Deleveraged");
                // The penalty is min + LTV × days since the margin call ended, capped at the lowest max bonus.
                let expected = step_penalty(MIN_PENALTY_BPS, &health, since_end, PENALTY_CAP_BPS);
                assert_eq!(step.penalty_sf.get(), expected.raw());
                assert_eq!(
                    expected,
                    math::deleverage_penalty(
                        Fraction::from_bps(u64::from(MIN_PENALTY_BPS)),
                        health.ltv(),
                        since_end,
                        Fraction::from_bps(u64::from(PENALTY_CAP_BPS))
                    ),
                    "LTVs below 90 % never reach the 1 − LTV bound"
                );
                let (repaid, received) = (step.repaid.get(), step.received.get());
                assert!(repaid > 0 && received > 0);
                summary.repaid += repaid;
                summary.received += received;
                summary.penalty_value += received as f64 * 10.0 / TOKEN as f64 - repaid as f64 / TOKEN as f64;
                summary.min_penalty = Some(summary.min_penalty.map_or(expected, |m| m.min(expected)));
                summary.max_penalty = summary.max_penalty.max(expected);

                // 5. Lenders are untouched: neither exchange rate falls; each stays equal when exact (the target
                //    at rate 1 converts exactly, and USDC gains nothing when the settled debt is whole tokens).
                let after_rates =
                    [exchange_rate(&world.reserve(TARGET)), exchange_rate(&world.reserve(USDC))];
                for (index, (b, a)) in rates.iter().zip(&after_rates).enumerate() {
                    assert!(rate_not_lower(*b, *a), "a deleverage lowered reserve {index}'s exchange rate");
                }
                if target_rate_one {
                    assert!(rate_not_lower(after_rates[0], rates[0]), "target rate changed on an exact step");
                }
                if step.settled_sf.get() == Fraction::from_integer(repaid).raw() {
                    assert!(rate_not_lower(after_rates[1], rates[1]), "USDC rate changed on an exact step");
                }

                // 4. The step lowered the LTV and took no more than the position held.
                let after = world.refresh_obligation(&address);
                assert!(
                    Fraction::from_integer(repaid)
                        <= Fraction::from_integer(debt_before.to_u64_ceil().unwrap())
                );
                let debt_after = after
                    .borrows()
                    .first()
                    .map_or(Fraction::ZERO, |b| Fraction::from_raw(b.borrowed_amount_sf.get()));
                assert!(debt_after < debt_before, "the step did not lower the debt");
                let ctokens_after = after.deposits().first().map_or(0, |d| d.collateral_amount.get());
                assert_eq!(ctokens_before - ctokens_after, step.seized_collateral.get());
                assert!(cached_health(&after).ltv() <= health.ltv(), "LTV raised by a deleverage");
                world.borrowers[i].last_ltv = cached_health(&after).ltv();
                assert_eq!(after.price_status & PRICE_FULLY_CHECKED, PRICE_FULLY_CHECKED);
                if !world.reserve(target_index).deleverage[side.index()].active.is_on() {
                    summary.slots_after_margin_call = since_end;
                    break 'keeper;
                }
            }
            if !stepped {
                break;
            }
            summary.passes += 1;
        }
        world.world.svm.warp_slots(STEP_SLOTS);
    }
    assert!(summary.steps > 0);

    // The total is at or under the cap and the state is cleared.
    let target = world.reserve(target_index);
    let final_total = side_total(&target, side).unwrap();
    assert!(final_total <= new_cap);
    assert_eq!(target.deleverage[side.index()], DeleverageState::default());

    // Higher-LTV positions were deleveraged no later than lower ones (those never reached are last).
    let mut by_ltv: Vec<(u64, u64)> =
        world.borrowers.iter().map(|b| (b.ltv_bps, b.first_deleverage_slot.unwrap_or(u64::MAX))).collect();
    by_ltv.sort_by_key(|o| std::cmp::Reverse(o.0));
    for pair in by_ltv.windows(2) {
        assert!(pair[0].1 <= pair[1].1, "LTV {} deleveraged after LTV {}", pair[0].0, pair[1].0);
    }
    summary.deleveraged_positions =
        world.borrowers.iter().filter(|b| b.first_deleverage_slot.is_some()).count();
    println!("{side:?}-side deleverage: total {total} -> {final_total} (cap {new_cap})");
    println!(
        "  {} steps in {} passes on {} of {} positions, ended {} slots after the margin call",
        summary.steps,
        summary.passes,
        summary.deleveraged_positions,
        BORROWERS,
        summary.slots_after_margin_call
    );
    println!(
        "  keeper repaid {:.6} USDC, received {:.6} target (penalties worth {:.6} USD)",
        summary.repaid as f64 / TOKEN as f64,
        summary.received as f64 / TOKEN as f64,
        summary.penalty_value
    );
    println!(
        "  penalty from {:.4}% to {:.4}%",
        summary.min_penalty.unwrap_or_default().to_f64() * 100.0,
        summary.max_penalty.to_f64() * 100.0
    );
    summary
}

#[test]
fn supply_side_deleverage_runs_to_the_cap() {
    run(DeleverageSide::Supply);
}

#[test]
fn borrow_side_deleverage_runs_to_the_cap() {
    run(DeleverageSide::Borrow);
}
