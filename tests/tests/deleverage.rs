//! Deleverage: a step on each side with exact balances, state and penalty; the end at the cap; the penalty
//! cap at the lowest max liquidation bonus; lenders' exchange rates unchanged; every rejection with its own
//! error and every account unchanged.

use {
    ballast_interface::{
        error::BallastError,
        instruction::{DeleverageSide, DELEVERAGE_MAX},
        logic::deleverage::cached_health,
        state::{DeleverageState, Obligation, Reserve, DELEVERAGE_BORROW, DELEVERAGE_SUPPLY},
    },
    ballast_math::{deleverage as math, reserve as reserve_math, value, Fraction},
    ballast_tests::{
        assert_rejected,
        deleverage::{
            at, exchange_rate, rate_not_lower, World, DAYS_3_4, MARGIN_CALL_END, MIN_PENALTY_BPS, NEW_CAP,
            STEP_SLOT, TOKEN,
        },
        fixtures::token_amount,
        mollusk, read_state,
    },
    mollusk_svm::result::InstructionResult,
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

fn run_at(world: &World, ix: &Instruction, slot: u64) -> (InstructionResult, Vec<(Address, Account)>) {
    let accounts = world.accounts_for(ix);
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(slot);
    (mollusk.process_instruction(ix, &accounts), accounts)
}

fn reject_at(world: &World, ix: &Instruction, slot: u64, expected: BallastError) {
    let (result, accounts) = run_at(world, ix, slot);
    assert_rejected(&result, &accounts, expected);
}

fn reject(world: &World, ix: &Instruction, expected: BallastError) {
    reject_at(world, ix, STEP_SLOT, expected);
}

fn account<'a>(result: &'a InstructionResult, key: &Address) -> &'a Account {
    &result.resulting_accounts.iter().find(|(k, _)| k == key).expect("account").1
}

/// The penalty of the fixture's obligation (LTV 80 %) `slots` after the margin call, capped at O's 6 %.
fn expected_penalty(world: &World, slots: u64) -> Fraction {
    let health = cached_health(&world.obligation_state());
    assert_eq!(
        health.ltv(),
        Fraction::from_integer(880).checked_div_ceil(Fraction::from_integer(1_100)).unwrap()
    );
    math::deleverage_penalty(
        Fraction::from_bps(u64::from(MIN_PENALTY_BPS)),
        health.ltv(),
        slots,
        Fraction::from_bps(600),
    )
    .min(Fraction::ONE.saturating_sub(health.ltv_no_bf()))
}

/// Withdraw-reserve liquidity worth `settled` USDC × (1 + penalty), at $10 per C token.
fn expected_received(settled: u64, penalty: Fraction) -> u64 {
    let settled_value =
        value::market_value_of_fraction(Fraction::from_integer(settled), Fraction::ONE, 6).unwrap();
    let seize = math::seize_value_floor(settled_value, penalty).unwrap();
    value::amount_for_value_floor(seize, Fraction::from_integer(10), 6).unwrap()
}

struct Balances {
    executor_d: u64,
    executor_c: u64,
    c_vault: u64,
    d_vault: u64,
}

fn balances(result: &InstructionResult, world: &World) -> Balances {
    Balances {
        executor_d: token_amount(account(result, &world.executor_d)),
        executor_c: token_amount(account(result, &world.executor_c)),
        c_vault: token_amount(account(result, &world.c.liquidity_vault)),
        d_vault: token_amount(account(result, &world.d.liquidity_vault)),
    }
}

/// Checks a successful step that repaid `repaid` D and paid `received` C (at exchange rate 1), and that both
/// vaults hold exactly their reserve's available amount.
fn assert_step(
    world: &World,
    result: &InstructionResult,
    repaid: u64,
    received: u64,
) -> (Reserve, Reserve, Obligation) {
    assert_eq!(result.program_result, ProgramResult::Success);
    let b = balances(result, world);
    assert_eq!(b.executor_d, 1_000 * TOKEN - repaid);
    assert_eq!(b.executor_c, received);
    assert_eq!(b.c_vault, 800 * TOKEN - received);
    assert_eq!(b.d_vault, 500 * TOKEN + repaid);

    let c_before = world.reserve(at::C_RESERVE);
    let d_before = world.reserve(at::D_RESERVE);
    let c: Reserve = read_state(account(result, &world.c.reserve));
    let d: Reserve = read_state(account(result, &world.d.reserve));
    assert_eq!(c.available_amount.get(), b.c_vault);
    assert_eq!(d.available_amount.get(), b.d_vault);
    assert_eq!(c.collateral_supply.get(), 1_000 * TOKEN - received);
    assert_eq!(
        d.borrowed_amount_sf.get(),
        Fraction::from_raw(d_before.borrowed_amount_sf.get())
            .checked_sub(Fraction::from_integer(repaid))
            .unwrap()
            .raw()
    );
    // Lenders untouched: both exchange rates exactly equal (every conversion here is exact).
    let (before, after) = (exchange_rate(&c_before), exchange_rate(&c));
    assert!(rate_not_lower(before, after) && rate_not_lower(after, before), "C rate changed");
    let (d_total, d_supply) = exchange_rate(&d);
    assert_eq!(d_supply, d_before.collateral_supply.get());
    assert_eq!(d_total, exchange_rate(&d_before).0);

    let ob: Obligation = read_state(account(result, &world.obligation));
    let before = world.obligation_state();
    assert_eq!(ob.deposits[0].collateral_amount.get(), 100 * TOKEN - received);
    assert_eq!(ob.deposits[1], before.deposits[1]);
    assert_eq!(ob.borrows[0].borrowed_amount_sf.get(), Fraction::from_integer(880 * TOKEN - repaid).raw());
    assert_eq!(ob.borrows[0].cumulative_borrow_index_sf.get(), Fraction::ONE.raw());
    assert_eq!(ob.last_refresh_slot.get(), 0, "the obligation is marked stale");
    // The O reserve passed for the penalty cap is untouched.
    assert_eq!(account(result, &world.o.reserve), &world.accounts[at::O_RESERVE].1);
    (c, d, ob)
}

#[test]
fn supply_side_step_repays_debt_and_redeems_the_target_collateral() {
    let world = World::deleveraging(DeleverageSide::Supply);
    let ix = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    let (result, _) = run_at(&world, &ix, STEP_SLOT);
    println!("Deleverage (supply) CU: {}", result.compute_units_consumed);

    // Seed numbers: 0.5 % + 0.80 × 3.4 = 3.22 %.
    let penalty = expected_penalty(&world, DAYS_3_4);
    assert!(Fraction::from_bps(322).raw().abs_diff(penalty.raw()) < 16, "{penalty:?}");
    // The share of the target collateral: 100 × (1,000 − 800) / 1,000 = 20 C ($200). The executor repays what
    // pays for them at 1.0322, rounded up ($200 / 1.0322 = 193.760900 D), and receives the 20 C.
    assert_eq!(math::deleverage_amount(100 * TOKEN, 200 * TOKEN, 1_000 * TOKEN), Ok(20 * TOKEN));
    let covered =
        Fraction::from_integer(200).checked_div_ceil(Fraction::ONE.checked_add(penalty).unwrap()).unwrap();
    let repaid = value::amount_for_value_ceil(covered, Fraction::ONE, 6).unwrap();
    assert_eq!(repaid, 193_760_900);
    assert!(expected_received(repaid, penalty) >= 20 * TOKEN);
    let received = 20 * TOKEN;
    let (c, _, _) = assert_step(&world, &result, repaid, received);
    // Still above the cap: the deleverage goes on.
    assert_eq!(c.deleverage[DELEVERAGE_SUPPLY], world.reserve(at::C_RESERVE).deleverage[DELEVERAGE_SUPPLY]);
}

#[test]
fn borrow_side_step_repays_the_target_debt_against_any_collateral() {
    let world = World::deleveraging(DeleverageSide::Borrow);
    let ix = world.deleverage_ix(DeleverageSide::Borrow, DELEVERAGE_MAX, 0);
    let (result, _) = run_at(&world, &ix, STEP_SLOT);
    println!("Deleverage (borrow) CU: {}", result.compute_units_consumed);

    // The share of the target debt: 880 × (1,000 − 800) / 1,000 = 176 D.
    let repaid = 176 * TOKEN;
    let penalty = expected_penalty(&world, DAYS_3_4);
    let received = expected_received(repaid, penalty);
    // $176 × 1.0322 = $181.6672 = 18.16672 C.
    assert!((18_166_710..=18_166_720).contains(&received), "{received}");
    let (_, d, _) = assert_step(&world, &result, repaid, received);
    assert_eq!(d.deleverage[DELEVERAGE_BORROW], world.reserve(at::D_RESERVE).deleverage[DELEVERAGE_BORROW]);
}

#[test]
fn max_repay_bounds_the_step() {
    let world = World::deleveraging(DeleverageSide::Borrow);
    let ix = world.deleverage_ix(DeleverageSide::Borrow, 10 * TOKEN, 0);
    let (result, _) = run_at(&world, &ix, STEP_SLOT);
    let received = expected_received(10 * TOKEN, expected_penalty(&world, DAYS_3_4));
    assert_step(&world, &result, 10 * TOKEN, received);
}

#[test]
fn the_penalty_is_capped_at_the_lowest_max_liquidation_bonus() {
    // Ten days after the margin call: 0.5 % + 0.80 × 10 = 8.5 %, capped at O's 6 % (C and D allow 10 %).
    let slot = MARGIN_CALL_END + 10 * 172_800;
    let mut world = World::deleveraging(DeleverageSide::Borrow);
    for index in [at::C_RESERVE, at::D_RESERVE] {
        world.edit_reserve(index, |r| r.last_update_slot.set(slot));
    }
    world.edit_obligation(|o| o.last_refresh_slot.set(slot));
    let penalty = expected_penalty(&world, slot - MARGIN_CALL_END);
    assert_eq!(penalty, Fraction::from_bps(600));
    let ix = world.deleverage_ix(DeleverageSide::Borrow, DELEVERAGE_MAX, 0);
    let (result, _) = run_at(&world, &ix, slot);
    // 176 D × 1.06 = $186.56 = 18.656 C.
    let received = expected_received(176 * TOKEN, penalty);
    assert!((18_655_990..=18_656_000).contains(&received), "{received}");
    assert_step(&world, &result, 176 * TOKEN, received);
}

#[test]
fn a_step_that_reaches_the_cap_ends_the_deleverage() {
    // Only this obligation borrows D: 880, cut to 800. Its share is the whole excess, 80.
    let mut world = World::deleveraging(DeleverageSide::Borrow);
    world.edit_reserve(at::D_RESERVE, |r| {
        r.borrowed_amount_sf.set(Fraction::from_integer(880 * TOKEN).raw());
        r.collateral_supply.set(1_380 * TOKEN);
    });
    let ix = world.deleverage_ix(DeleverageSide::Borrow, DELEVERAGE_MAX, 0);
    let (result, _) = run_at(&world, &ix, STEP_SLOT);
    assert_eq!(result.program_result, ProgramResult::Success);
    let d: Reserve = read_state(account(&result, &world.d.reserve));
    assert_eq!(d.borrowed_amount_sf.get(), Fraction::from_integer(NEW_CAP).raw());
    assert_eq!(d.deleverage[DELEVERAGE_BORROW], DeleverageState::default());
    assert_eq!(token_amount(account(&result, &world.executor_d)), 1_000 * TOKEN - 80 * TOKEN);
}

#[test]
fn a_total_already_at_the_cap_ends_the_deleverage_without_moving_funds() {
    // Lenders withdrew during the margin call: C's supply is down to the cap. Any Deleverage call, even
    // during the margin call, only clears the state.
    let mut world = World::deleveraging(DeleverageSide::Supply);
    world.edit_reserve(at::C_RESERVE, |r| r.deleverage[DELEVERAGE_SUPPLY].target_cap.set(1_000 * TOKEN));
    let ix = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    let (result, accounts) = run_at(&world, &ix, STEP_SLOT);
    println!("Deleverage (ended, no transfer) CU: {}", result.compute_units_consumed);
    assert_eq!(result.program_result, ProgramResult::Success);
    for ((key, before), (_, after)) in accounts.iter().zip(&result.resulting_accounts) {
        if *key == world.c.reserve {
            let mut expected: Reserve = read_state(before);
            expected.deleverage[DELEVERAGE_SUPPLY] = DeleverageState::default();
            assert_eq!(read_state::<Reserve>(after), expected);
        } else {
            assert_eq!(before, after, "{key} changed");
        }
    }
}

#[test]
fn an_odd_exchange_rate_rounds_in_lenders_favour() {
    // C: 1,100 liquidity for 1,000 cTokens (rate 1.1); the obligation's 100 cTokens are worth 110 C.
    let mut world = World::deleveraging(DeleverageSide::Supply);
    world.edit_reserve(at::C_RESERVE, |r| {
        r.borrowed_amount_sf.set(Fraction::from_integer(300 * TOKEN).raw());
        r.deleverage[DELEVERAGE_SUPPLY].target_cap.set(880 * TOKEN);
    });
    world.edit_obligation(|o| {
        o.deposits[0].market_value_sf.set(Fraction::from_integer(1_100).raw());
        ballast_tests::deleverage::refreshed(o, 1_200, 960, STEP_SLOT);
        o.borrows[0].borrowed_amount_sf.set(Fraction::from_integer(960 * TOKEN).raw());
    });
    let before = world.reserve(at::C_RESERVE);
    let ix = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    let (result, _) = run_at(&world, &ix, STEP_SLOT);
    assert_eq!(result.program_result, ProgramResult::Success);
    let c: Reserve = read_state(account(&result, &world.c.reserve));
    let received = token_amount(account(&result, &world.executor_c));
    // Share: 110 × 220 / 1,100 = 22 C at most.
    assert!(received <= 22 * TOKEN && received > 21 * TOKEN, "{received}");
    let seized = before.collateral_supply.get() - c.collateral_supply.get();
    let total =
        reserve_math::total_liquidity(800 * TOKEN, Fraction::from_integer(300 * TOKEN), Fraction::ZERO)
            .unwrap();
    assert_eq!(seized, reserve_math::liquidity_to_collateral_ceil(received, total, 1_000 * TOKEN).unwrap());
    // Never lower, and higher only by the cToken rounding.
    assert!(rate_not_lower(exchange_rate(&before), exchange_rate(&c)));
    let ob: Obligation = read_state(account(&result, &world.obligation));
    assert_eq!(ob.deposits[0].collateral_amount.get(), 100 * TOKEN - seized);
}

// Rejections.

#[test]
fn rejects_a_missing_executor_signature() {
    let world = World::deleveraging(DeleverageSide::Supply);
    let mut ix = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    ix.accounts[4].is_signer = false;
    reject(&world, &ix, BallastError::MissingSigner);
}

#[test]
fn rejects_bad_instruction_data() {
    let world = World::deleveraging(DeleverageSide::Supply);
    let ix = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    let mut side = ix.clone();
    side.data[1] = 2;
    reject(&world, &side, BallastError::InvalidDeleverageSide);
    reject(&world, &world.deleverage_ix(DeleverageSide::Supply, 0, 0), BallastError::ZeroAmount);
    let mut short = ix.clone();
    short.data.pop();
    reject(&world, &short, BallastError::InvalidInstructionDataLength);
    let mut few = ix;
    few.accounts.truncate(10);
    reject(&world, &few, BallastError::NotEnoughAccounts);
}

#[test]
fn rejects_a_wrong_market_authority_or_token_program() {
    let world = World::deleveraging(DeleverageSide::Supply);
    let mut ix = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    ix.accounts[9].pubkey = world.executor;
    reject(&world, &ix, BallastError::InvalidPda);
    let mut ix = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    ix.accounts[10].pubkey = world.council;
    reject(&world, &ix, BallastError::InvalidTokenProgram);
}

#[test]
fn rejects_duplicate_roles() {
    let world = World::deleveraging(DeleverageSide::Supply);
    let mut same_reserve = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    same_reserve.accounts[2].pubkey = world.c.reserve;
    reject(&world, &same_reserve, BallastError::DuplicateAccount);
    // A vault paid to itself would keep its balance while the reserve's available amount moves.
    let mut into_vault = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    into_vault.accounts[6].pubkey = world.c.liquidity_vault;
    reject(&world, &into_vault, BallastError::DuplicateAccount);
}

#[test]
fn rejects_stale_or_priceless_reserves_and_obligations() {
    let stale = |edit: &dyn Fn(&mut World), expected: BallastError| {
        let mut world = World::deleveraging(DeleverageSide::Supply);
        edit(&mut world);
        reject(&world, &world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0), expected);
    };
    stale(
        &|w| w.edit_reserve(at::C_RESERVE, |r| r.last_update_slot.set(STEP_SLOT - 1)),
        BallastError::ReserveStale,
    );
    stale(
        &|w| w.edit_reserve(at::D_RESERVE, |r| r.last_update_slot.set(STEP_SLOT - 1)),
        BallastError::ReserveStale,
    );
    stale(&|w| w.edit_reserve(at::D_RESERVE, |r| r.price_status = 0), BallastError::PriceNotLoaded);
    stale(&|w| w.edit_obligation(|o| o.last_refresh_slot.set(STEP_SLOT - 1)), BallastError::ObligationStale);
    stale(&|w| w.edit_obligation(|o| o.price_status = 0), BallastError::PriceNotLoaded);
    stale(&|w| w.edit_obligation(|o| o.market = Address::new_unique()), BallastError::MarketMismatch);
    stale(
        &|w| w.edit_reserve(at::D_RESERVE, |r| r.market = Address::new_unique()),
        BallastError::MarketMismatch,
    );
}

#[test]
fn rejects_wrong_vaults_and_token_accounts() {
    let world = World::deleveraging(DeleverageSide::Supply);
    let mut swapped = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    swapped.accounts[7].pubkey = world.c.liquidity_vault;
    swapped.accounts[8].pubkey = world.d.liquidity_vault;
    reject(&world, &swapped, BallastError::InvalidVault);
    let mut wrong_mint = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    wrong_mint.accounts[5].pubkey = world.executor_c;
    reject(&world, &wrong_mint, BallastError::InvalidTokenAccountMint);
}

#[test]
fn rejects_a_missing_reserve_of_the_obligation() {
    // Leaving out O (6 %) would raise the penalty cap to 10 %.
    let world = World::deleveraging(DeleverageSide::Supply);
    let mut ix = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    ix.accounts.pop();
    reject(&world, &ix, BallastError::ObligationReserveMismatch);
    let mut impostor = world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    impostor.accounts[11].pubkey = world.executor_d;
    reject(&world, &impostor, BallastError::ObligationReserveMismatch);
}

#[test]
fn rejects_a_side_with_no_deleverage() {
    let world = World::deleveraging(DeleverageSide::Supply);
    reject(
        &world,
        &world.deleverage_ix(DeleverageSide::Borrow, DELEVERAGE_MAX, 0),
        BallastError::DeleverageNotActive,
    );
}

#[test]
fn rejects_a_step_during_the_margin_call() {
    let mut world = World::deleveraging(DeleverageSide::Supply);
    let slot = MARGIN_CALL_END - 1;
    for index in [at::C_RESERVE, at::D_RESERVE] {
        world.edit_reserve(index, |r| r.last_update_slot.set(slot));
    }
    world.edit_obligation(|o| o.last_refresh_slot.set(slot));
    reject_at(
        &world,
        &world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0),
        slot,
        BallastError::MarginCallActive,
    );
}

#[test]
fn rejects_an_obligation_at_or_under_the_deleverage_ltv() {
    // 3.4 days after the margin call the deleverage LTV is 80 % − 81 bps = 79.19 %; LTV 79 % is not above it.
    let mut world = World::deleveraging(DeleverageSide::Supply);
    world.edit_obligation(|o| ballast_tests::deleverage::refreshed(o, 1_100, 869, STEP_SLOT));
    assert_eq!(math::deleverage_ltv(Fraction::from_bps(8_000), DAYS_3_4, 7_200), Fraction::from_bps(7_919));
    reject(
        &world,
        &world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 0),
        BallastError::NotDeleverageable,
    );
}

#[test]
fn rejects_an_obligation_without_the_target_asset() {
    // Supply side on D: the obligation has no D collateral.
    let mut world = World::new();
    world.edit_reserve(at::D_RESERVE, |r| {
        r.deleverage[DELEVERAGE_SUPPLY] = ballast_tests::deleverage::running(NEW_CAP)
    });
    let mut accounts = world.deleverage_accounts();
    accounts.withdraw_reserve = world.d.reserve;
    accounts.withdraw_vault = world.d.liquidity_vault;
    accounts.repay_reserve = world.c.reserve;
    accounts.repay_vault = world.c.liquidity_vault;
    accounts.executor_source = world.executor_c;
    accounts.executor_destination = world.executor_d;
    let ix = ballast_interface::client::deleverage(&accounts, DeleverageSide::Supply, DELEVERAGE_MAX, 0);
    reject(&world, &ix, BallastError::DeleverageAssetNotHeld);
}

#[test]
fn rejects_a_step_below_the_executors_minimum() {
    let world = World::deleveraging(DeleverageSide::Supply);
    reject(
        &world,
        &world.deleverage_ix(DeleverageSide::Supply, DELEVERAGE_MAX, 20 * TOKEN + 1),
        BallastError::DeleverageSlippage,
    );
}

/// A keeper loop on LiteSVM over twenty obligations, one deleverage per side. Deposits, borrows and refreshes
/// belong to other instructions, so the positions are written as they would leave them and every refresh is
/// written as RefreshReserve / RefreshObligation would (prices unchanged, no interest between steps); every
/// StartDeleverage and Deleverage is a real transaction. The scenario that drives the real lending
/// instructions is `tests/tests/deleverage_scenario.rs`.
mod keeper_loop {
    use {
        ballast_interface::{
            client,
            instruction::{DeleverageSide, DELEVERAGE_MAX},
            logic::deleverage::{
                cached_health, side_total, step_penalty, DeleverageEnded, DeleverageStarted, Deleveraged,
                DELEVERAGED_TAG, DELEVERAGE_ENDED_TAG, DELEVERAGE_STARTED_TAG,
            },
            pod::{Le128, Le64},
            state::{Market, Obligation, ObligationBorrow, ObligationDeposit, Reserve},
        },
        ballast_math::{deleverage as math, reserve as reserve_math, value, Fraction},
        ballast_tests::{
            deleverage::{exchange_rate, rate_not_lower, refreshed, TOKEN},
            fixtures::{
                market_state, obligation_state, program_account, reserve_state, token_account, ReserveKeys,
            },
            svm::Svm,
        },
        solana_address::Address,
        solana_keypair::Keypair,
        solana_signer::Signer,
    };

    const BORROWERS: u64 = 20;
    /// 1 bps of decay every 50 slots: 1 % of LTV every 5,000 slots.
    const SLOTS_PER_BPS: u64 = 50;
    const MIN_PENALTY_BPS: u16 = 50;
    const STEP_SLOTS: u64 = 2_500;

    struct Loop {
        svm: Svm,
        market: Address,
        council: Keypair,
        keeper: Keypair,
        keeper_usdc: Address,
        keeper_target: Address,
        /// $10, LT 80 %: the borrowers' collateral.
        target: ReserveKeys,
        /// $1: the borrowers' debt.
        usdc: ReserveKeys,
        /// (obligation, initial LTV bps, first deleverage slot).
        borrowers: Vec<(Address, u64, Option<u64>)>,
    }

    impl Loop {
        /// Borrower `i` holds 5 target tokens ($50) and owes 50 × (55 + i) % USDC: LTVs 55 % to 74 %. The
        /// target's supply is 100 tokens, all of it collateral; lenders supplied 2,000 USDC.
        fn new() -> Self {
            let mut svm = Svm::new();
            let council = Keypair::new();
            let market = Address::new_unique();
            let mut market_data: Market = market_state(&market, &Address::new_unique());
            market_data.risk_council = council.pubkey();
            let authority = market_data.authority;
            svm.svm.set_account(market, program_account(&market_data)).unwrap();
            let slot = svm.slot();
            let (target, usdc) = (ReserveKeys::new(), ReserveKeys::new());

            let mut borrowers = Vec::new();
            let mut borrowed = 0;
            for i in 0..BORROWERS {
                let ltv_bps = 5_500 + 100 * i;
                let debt = 50 * TOKEN * ltv_bps / 10_000;
                borrowed += debt;
                let (address, mut o) = obligation_state(&market, &Address::new_unique(), 0);
                o.deposit_count = 1;
                o.deposits[0] = ObligationDeposit {
                    reserve: target.reserve,
                    collateral_amount: Le64::new(5 * TOKEN),
                    market_value_sf: Le128::default(),
                };
                o.borrow_count = 1;
                o.borrows[0] = ObligationBorrow {
                    reserve: usdc.reserve,
                    borrowed_amount_sf: Le128::new(Fraction::from_integer(debt).raw()),
                    cumulative_borrow_index_sf: Le128::new(Fraction::ONE.raw()),
                    market_value_sf: Le128::default(),
                };
                svm.svm.set_account(address, program_account(&o)).unwrap();
                borrowers.push((address, ltv_bps, None));
            }
            let mut t = reserve_state(&target, &market, 6, Fraction::from_integer(10), slot);
            t.available_amount.set(100 * TOKEN);
            t.collateral_supply.set(100 * TOKEN);
            let mut u = reserve_state(&usdc, &market, 6, Fraction::ONE, slot);
            u.available_amount.set(2_000 * TOKEN - borrowed);
            u.borrowed_amount_sf.set(Fraction::from_integer(borrowed).raw());
            u.collateral_supply.set(2_000 * TOKEN);
            svm.svm.set_account(target.reserve, program_account(&t)).unwrap();
            svm.svm.set_account(usdc.reserve, program_account(&u)).unwrap();
            let vault = |keys: &ReserveKeys, amount| token_account(&keys.liquidity_mint, &authority, amount);
            svm.svm.set_account(target.liquidity_vault, vault(&target, 100 * TOKEN)).unwrap();
            svm.svm.set_account(usdc.liquidity_vault, vault(&usdc, 2_000 * TOKEN - borrowed)).unwrap();

            let keeper = svm.new_wallet(1_000_000_000);
            let (keeper_usdc, keeper_target) = (Address::new_unique(), Address::new_unique());
            svm.svm
                .set_account(
                    keeper_usdc,
                    token_account(&usdc.liquidity_mint, &keeper.pubkey(), 10_000 * TOKEN),
                )
                .unwrap();
            svm.svm
                .set_account(keeper_target, token_account(&target.liquidity_mint, &keeper.pubkey(), 0))
                .unwrap();
            let mut this =
                Self { svm, market, council, keeper, keeper_usdc, keeper_target, target, usdc, borrowers };
            this.refresh();
            this
        }

        fn reserve(&self, keys: &ReserveKeys) -> Reserve {
            self.svm.state(&keys.reserve)
        }

        fn write<T: bytemuck::Pod>(&mut self, address: &Address, state: &T) {
            let mut account = self.svm.account(address).unwrap();
            account.data = bytemuck::bytes_of(state).to_vec();
            self.svm.svm.set_account(*address, account).unwrap();
        }

        /// Every reserve and obligation as a refresh in this slot leaves them (no interest: the index stays 1).
        fn refresh(&mut self) {
            let slot = self.svm.slot();
            let (t_keys, u_keys) = (self.target, self.usdc);
            for keys in [&t_keys, &u_keys] {
                let mut r = self.reserve(keys);
                r.last_update_slot.set(slot);
                self.write(&keys.reserve, &r);
            }
            let t = self.reserve(&t_keys);
            let total = reserve_math::total_liquidity(
                t.available_amount.get(),
                Fraction::from_raw(t.borrowed_amount_sf.get()),
                Fraction::ZERO,
            )
            .unwrap();
            for (address, _, _) in self.borrowers.clone() {
                let mut o: Obligation = self.svm.state(&address);
                let ctokens = o.deposits().first().map_or(0, |d| d.collateral_amount.get());
                let liquidity =
                    reserve_math::collateral_to_liquidity_floor(ctokens, total, t.collateral_supply.get())
                        .unwrap();
                let deposit_value = value::market_value(liquidity, Fraction::from_integer(10), 6).unwrap();
                let debt = o
                    .borrows()
                    .first()
                    .map_or(Fraction::ZERO, |b| Fraction::from_raw(b.borrowed_amount_sf.get()));
                let debt_value = value::market_value_of_fraction_ceil(debt, Fraction::ONE, 6).unwrap();
                if o.deposit_count > 0 {
                    o.deposits[0].market_value_sf.set(deposit_value.raw());
                }
                if o.borrow_count > 0 {
                    o.borrows[0].market_value_sf.set(debt_value.raw());
                }
                refreshed(&mut o, 0, 0, slot);
                o.deposited_value_sf.set(deposit_value.raw());
                o.borrowed_value_sf.set(debt_value.raw());
                o.debt_value_bf_sf.set(debt_value.raw());
                o.allowed_borrow_value_sf
                    .set(deposit_value.checked_mul(Fraction::from_bps(7_500)).unwrap().raw());
                o.unhealthy_borrow_value_sf
                    .set(deposit_value.checked_mul(Fraction::from_bps(8_000)).unwrap().raw());
                self.write(&address, &o);
            }
        }

        fn deleverage_ix(
            &self,
            side: DeleverageSide,
            obligation: &Address,
        ) -> solana_instruction::Instruction {
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
            client::deleverage(&accounts, side, DELEVERAGE_MAX, 0)
        }

        /// DESIGN §8: 1 (vault == available), 2 (cTokens accounted), 5 (exchange rates never lower).
        fn assert_invariants(&self, rates_before: [(u128, u64); 2]) {
            for (keys, before) in [(&self.target, rates_before[0]), (&self.usdc, rates_before[1])] {
                let r = self.reserve(keys);
                assert_eq!(self.svm.token_balance(&keys.liquidity_vault), r.available_amount.get());
                assert!(rate_not_lower(before, exchange_rate(&r)), "exchange rate fell");
            }
            let held: u64 = self
                .borrowers
                .iter()
                .map(|(a, _, _)| self.svm.state::<Obligation>(a))
                .map(|o| o.deposits().iter().map(|d| d.collateral_amount.get()).sum::<u64>())
                .sum();
            assert_eq!(held, self.reserve(&self.target).collateral_supply.get());
        }
    }

    /// The event logged under `tag` in a transaction's "Program data:" lines.
    fn event<T: bytemuck::Pod>(logs: &[String], tag: &[u8]) -> Option<T> {
        logs.iter().filter_map(|l| l.strip_prefix("Program data: ")).find_map(|fields| {
            let mut parts = fields.split(' ').map(base64_decode);
            let (found, body) = (parts.next()?, parts.next()?);
            (found == tag && body.len() == core::mem::size_of::<T>())
                .then(|| bytemuck::pod_read_unaligned(&body))
        })
    }

    fn base64_decode(text: &str) -> Vec<u8> {
        const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = Vec::new();
        let (mut buffer, mut bits) = (0u32, 0u32);
        for c in text.bytes().filter(|c| *c != b'=') {
            let v = ALPHABET.iter().position(|a| *a == c).expect("base64") as u32;
            buffer = (buffer << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
            }
        }
        out
    }

    fn run(side: DeleverageSide) -> Loop {
        let mut world = Loop::new();
        let target_keys = match side {
            DeleverageSide::Supply => world.target,
            DeleverageSide::Borrow => world.usdc,
        };
        let total = side_total(&world.reserve(&target_keys), side).unwrap();
        // "From 100 to 80": the supply is 100 target tokens; on the borrow side the cap is 80 % of the debt.
        let new_cap = total / 100 * 80;
        let args = client::start_deleverage_args(side, new_cap, 0, SLOTS_PER_BPS, MIN_PENALTY_BPS);
        let ix =
            client::start_deleverage(&target_keys.reserve, &world.market, &world.council.pubkey(), &args);
        let council = world.council.insecure_clone();
        let meta = world.svm.must_send("start_deleverage", &[ix], &[&council]);
        let margin_call_end = world.reserve(&target_keys).deleverage[side.index()].margin_call_end_slot.get();
        // Everything a notifier needs to warn the borrowers.
        let started: DeleverageStarted =
            event(&meta.logs, DELEVERAGE_STARTED_TAG).expect("DeleverageStarted event");
        assert_eq!(started.reserve, target_keys.reserve);
        assert_eq!(started.side, side as u8);
        assert_eq!((started.total.get(), started.new_cap.get()), (total, new_cap));
        assert_eq!(started.margin_call_end_slot.get(), margin_call_end);
        assert_eq!(started.margin_call_end_slot.get() - started.start_slot.get(), 518_400);
        assert_eq!(started.slots_per_bps.get(), SLOTS_PER_BPS);
        assert_eq!(started.min_penalty_bps.get(), MIN_PENALTY_BPS);
        assert_eq!(started.liquidation_threshold_bps.get(), 8_000);

        // During the margin call nobody is deleveraged.
        world.svm.warp_slots(1_000);
        world.refresh();
        let keeper = world.keeper.insecure_clone();
        let highest = world.borrowers.last().unwrap().0;
        assert!(world.svm.send("early", &[world.deleverage_ix(side, &highest)], &[&keeper]).is_err());

        world.svm.warp_to_slot(margin_call_end);
        let mut steps = 0;
        'keeper: loop {
            world.refresh();
            let since_end = world.svm.slot() - margin_call_end;
            assert!(since_end < 400_000, "the deleverage never reached its cap");
            let threshold = math::deleverage_ltv(Fraction::from_bps(8_000), since_end, SLOTS_PER_BPS);
            for i in 0..world.borrowers.len() {
                world.refresh();
                let address = world.borrowers[i].0;
                let before: Obligation = world.svm.state(&address);
                let health = cached_health(&before);
                if before.borrow_count == 0 || !math::is_eligible(health.ltv(), threshold) {
                    continue;
                }
                let rates = [
                    exchange_rate(&world.reserve(&world.target)),
                    exchange_rate(&world.reserve(&world.usdc)),
                ];
                let ix = world.deleverage_ix(side, &address);
                let meta = match world.svm.send("deleverage", &[ix], &[&keeper]) {
                    Ok(meta) => meta,
                    Err(e) => panic!(
                        "step {steps} on {i} failed: {:?}; total {} cap {new_cap}; obligation {:?}",
                        e.err,
                        side_total(&world.reserve(&target_keys), side).unwrap(),
                        (
                            before.deposits[0].collateral_amount.get(),
                            before.borrows[0].borrowed_amount_sf.get() >> 60
                        )
                    ),
                };
                steps += 1;
                world.borrowers[i].2.get_or_insert(world.svm.slot());
                let step: Deleveraged = event(&meta.logs, DELEVERAGED_TAG).expect("Deleveraged event");
                // min + LTV × days since the margin call ended, capped at the 10 % max bonus.
                let formula = math::deleverage_penalty(
                    Fraction::from_bps(u64::from(MIN_PENALTY_BPS)),
                    health.ltv(),
                    since_end,
                    Fraction::from_bps(1_000),
                );
                assert_eq!(step.penalty_sf.get(), formula.raw());
                assert_eq!(step_penalty(MIN_PENALTY_BPS, &health, since_end, 1_000), formula);
                assert_eq!(step.ltv_sf.get(), health.ltv().raw());
                assert_eq!(step.deleverage_ltv_sf.get(), threshold.raw());
                // 4. LTV never raised; the position never goes below zero (checked arithmetic on chain).
                world.refresh();
                let after: Obligation = world.svm.state(&address);
                assert!(cached_health(&after).ltv() <= health.ltv(), "LTV raised");
                world.assert_invariants(rates);
                if step.ended == 1 {
                    let ended: DeleverageEnded =
                        event(&meta.logs, DELEVERAGE_ENDED_TAG).expect("DeleverageEnded event");
                    assert_eq!((ended.reserve, ended.target_cap.get()), (target_keys.reserve, new_cap));
                    assert!(ended.total.get() <= new_cap);
                    break 'keeper;
                }
            }
            if !world.reserve(&target_keys).deleverage[side.index()].active.is_on() {
                break;
            }
            world.svm.warp_slots(STEP_SLOTS);
        }
        assert!(steps > 0);
        let target = world.reserve(&target_keys);
        assert!(side_total(&target, side).unwrap() <= new_cap);
        assert_eq!(target.deleverage[side.index()], ballast_interface::state::DeleverageState::default());

        // Higher-LTV positions were deleveraged no later than lower ones (never = last).
        let mut order: Vec<(u64, u64)> =
            world.borrowers.iter().map(|(_, ltv, at)| (*ltv, at.unwrap_or(u64::MAX))).collect();
        order.sort_by_key(|o| std::cmp::Reverse(o.0));
        for pair in order.windows(2) {
            assert!(pair[0].1 <= pair[1].1, "LTV {} deleveraged after LTV {}", pair[0].0, pair[1].0);
        }
        println!("{side:?}: {steps} steps, first slots by LTV {order:?}");
        world
    }

    #[test]
    fn supply_side_runs_to_the_cap_highest_ltv_first() {
        run(DeleverageSide::Supply);
    }

    #[test]
    fn borrow_side_runs_to_the_cap_highest_ltv_first() {
        run(DeleverageSide::Borrow);
    }
}
