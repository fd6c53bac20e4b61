//! RefreshObligation: valuation and health with exact values, interest rescaling, the liquidatable-since
//! clock, compute units with one and with the maximum number of positions, and each rejection with its own
//! error and every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pod::{Le128, Le16, Le64},
        state::{Obligation, Reserve, PRICE_FULLY_CHECKED, PRICE_LOADED},
    },
    ballast_math::{reserve as reserve_math, value, Fraction},
    ballast_tests::{
        fixtures::program_account,
        health::{env, Env, COLLATERAL, DEBT, SLOT, UNIT},
    },
    solana_address::Address,
    solana_instruction::Instruction,
};

/// Compute-unit budget of DESIGN §9: 1,500 + 600 per position.
fn budget(positions: u64) -> u64 {
    1_500 + 600 * positions
}

fn instruction(env: &Env) -> Instruction {
    let (deposits, borrows) = env.position_reserves();
    client::refresh_obligation(&env.obligation, &env.market, &deposits, &borrows)
}

/// 100 cTokens of collateral (worth 110 tokens at price 1) and a borrow of 20 tokens at price 2.
fn with_deposit_and_borrow() -> Env {
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    env.add_borrow(DEBT, Fraction::from_integer(20 * UNIT), Fraction::ONE);
    env
}

#[test]
fn values_one_deposit_exactly() {
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    let (after, result) = env.world.apply(&instruction(&env));
    println!("RefreshObligation, 1 position: {} CU", result.compute_units_consumed);
    assert!(result.compute_units_consumed <= budget(1), "{} CU", result.compute_units_consumed);

    let obligation: Obligation = after.state(&env.obligation);
    // 100 cTokens at 1.1 tokens each, at price 1: 110.
    let value = Fraction::from_integer(110);
    assert_eq!(obligation.deposits[0].market_value_sf.get(), value.raw());
    assert_eq!(obligation.deposited_value_sf.get(), value.raw());
    assert_eq!(
        obligation.allowed_borrow_value_sf.get(),
        value.checked_mul(Fraction::from_bps(7_500)).unwrap().raw()
    );
    assert_eq!(
        obligation.unhealthy_borrow_value_sf.get(),
        value.checked_mul(Fraction::from_bps(8_000)).unwrap().raw()
    );
    assert_eq!(obligation.borrowed_value_sf.get(), 0);
    assert_eq!(obligation.debt_value_bf_sf.get(), 0);
    assert_eq!(obligation.highest_borrow_factor_bps.get(), 0);
    assert_eq!(obligation.lowest_liquidation_threshold_bps.get(), 8_000);
    assert_eq!(obligation.price_status, PRICE_LOADED | PRICE_FULLY_CHECKED);
    assert_eq!(obligation.last_refresh_slot.get(), SLOT);
    assert_eq!(obligation.liquidatable_since_slot.get(), 0);
    // Nothing but the obligation changes.
    for (key, account) in &result.resulting_accounts {
        if *key != env.obligation {
            assert_eq!(account, env.world.get(key));
        }
    }
}

#[test]
fn values_a_deposit_and_a_borrow_exactly() {
    let mut env = with_deposit_and_borrow();
    env.edit_reserve(DEBT, |r| r.config.borrow_factor_bps = Le16::new(12_500));
    let (after, _) = env.world.apply(&instruction(&env));
    let obligation: Obligation = after.state(&env.obligation);
    // 20 tokens at price 2: 40, weighted by the 125% borrow factor: 50.
    let debt_value = Fraction::from_integer(40);
    assert_eq!(obligation.borrows[0].market_value_sf.get(), debt_value.raw());
    assert_eq!(obligation.borrows[0].borrowed_amount_sf.get(), Fraction::from_integer(20 * UNIT).raw());
    assert_eq!(obligation.borrows[0].cumulative_borrow_index_sf.get(), Fraction::ONE.raw());
    assert_eq!(obligation.borrowed_value_sf.get(), debt_value.raw());
    assert_eq!(obligation.debt_value_bf_sf.get(), Fraction::from_integer(50).raw());
    assert_eq!(obligation.highest_borrow_factor_bps.get(), 12_500);
    assert_eq!(obligation.liquidatable_since_slot.get(), 0);
}

#[test]
fn an_empty_obligation_is_fully_checked_and_worth_nothing() {
    let env = env();
    let (after, _) = env.world.apply(&instruction(&env));
    let obligation: Obligation = after.state(&env.obligation);
    assert_eq!(obligation.price_status, PRICE_LOADED | PRICE_FULLY_CHECKED);
    assert_eq!(obligation.deposited_value_sf.get(), 0);
    assert_eq!(obligation.debt_value_bf_sf.get(), 0);
    assert_eq!(obligation.last_refresh_slot.get(), SLOT);
}

#[test]
fn rescales_debt_to_the_reserve_index() {
    let mut env = with_deposit_and_borrow();
    let index = Fraction::from_bps(11_000);
    env.edit_reserve(DEBT, |r| r.cumulative_borrow_index_sf = Le128::new(index.raw()));
    let (after, _) = env.world.apply(&instruction(&env));
    let obligation: Obligation = after.state(&env.obligation);
    let expected =
        reserve_math::rescale_debt_ceil(Fraction::from_integer(20 * UNIT), Fraction::ONE, index).unwrap();
    // 20 tokens at index 1.0 owe 22 at index 1.1 (rounded up by at most one raw unit).
    assert!(expected >= Fraction::from_integer(22 * UNIT).saturating_sub(Fraction::from_integer(1)));
    assert_eq!(obligation.borrows[0].borrowed_amount_sf.get(), expected.raw());
    assert_eq!(obligation.borrows[0].cumulative_borrow_index_sf.get(), index.raw());
    let value = value::market_value_of_fraction_ceil(expected, Fraction::from_integer(2), 6).unwrap();
    assert_eq!(obligation.borrows[0].market_value_sf.get(), value.raw());
    assert_eq!(obligation.borrowed_value_sf.get(), value.raw());
}

#[test]
fn starts_keeps_and_resets_the_liquidatable_clock() {
    // 110 of collateral with an 80% threshold (88) against 45 tokens at price 2 (90): liquidatable.
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    env.add_borrow(DEBT, Fraction::from_integer(45 * UNIT), Fraction::ONE);
    let (after, _) = env.world.apply(&instruction(&env));
    assert_eq!(after.state::<Obligation>(&env.obligation).liquidatable_since_slot.get(), SLOT);

    // Already liquidatable since an earlier slot: the clock keeps its start.
    env.edit_obligation(|o| o.liquidatable_since_slot = Le64::new(SLOT - 10));
    let (after, _) = env.world.apply(&instruction(&env));
    assert_eq!(after.state::<Obligation>(&env.obligation).liquidatable_since_slot.get(), SLOT - 10);

    // Healthy again (the debt's price halved): the clock resets.
    env.edit_reserve(DEBT, |r| r.price_sf = Le128::new(Fraction::ONE.raw()));
    let (after, _) = env.world.apply(&instruction(&env));
    assert_eq!(after.state::<Obligation>(&env.obligation).liquidatable_since_slot.get(), 0);
}

#[test]
fn price_status_is_the_and_of_every_reserve() {
    let mut env = with_deposit_and_borrow();
    // A low-confidence price: loaded but not fully checked.
    env.edit_reserve(DEBT, |r| r.price_status = PRICE_LOADED);
    let (after, _) = env.world.apply(&instruction(&env));
    assert_eq!(after.state::<Obligation>(&env.obligation).price_status, PRICE_LOADED);
    env.edit_reserve(COLLATERAL, |r| r.price_status = 0);
    let (after, _) = env.world.apply(&instruction(&env));
    assert_eq!(after.state::<Obligation>(&env.obligation).price_status, 0);
}

#[test]
fn priority_fields_skip_small_positions() {
    let mut env = env();
    // Worth 110: counts. A second collateral worth 2 (below the skip value of 5) with a lower threshold.
    env.deposit(COLLATERAL, 100 * UNIT);
    let small = env.add_reserve(Fraction::ONE, 1_000 * UNIT, 0, 1_000 * UNIT);
    env.edit_reserve(small, |r| r.config.liquidation_threshold_bps = Le16::new(6_000));
    env.deposit(small, 2 * UNIT);
    // A zero-threshold collateral never counts, whatever its value.
    let inert = env.add_reserve(Fraction::ONE, 1_000 * UNIT, 0, 1_000 * UNIT);
    env.edit_reserve(inert, |r| {
        r.config.loan_to_value_bps = Le16::new(0);
        r.config.liquidation_threshold_bps = Le16::new(0);
    });
    env.deposit(inert, 100 * UNIT);
    // Borrows: 10 at price 2 (20, factor 110%) counts; 1 at price 2 (2, factor 200%) does not.
    env.add_borrow(DEBT, Fraction::from_integer(10 * UNIT), Fraction::ONE);
    env.edit_reserve(DEBT, |r| r.config.borrow_factor_bps = Le16::new(11_000));
    let small_debt = env.add_reserve(Fraction::from_integer(2), 100 * UNIT, 0, 0);
    env.edit_reserve(small_debt, |r| r.config.borrow_factor_bps = Le16::new(20_000));
    env.add_borrow(small_debt, Fraction::from_integer(UNIT), Fraction::ONE);

    let (after, _) = env.world.apply(&instruction(&env));
    let obligation: Obligation = after.state(&env.obligation);
    assert_eq!(obligation.lowest_liquidation_threshold_bps.get(), 8_000);
    assert_eq!(obligation.highest_borrow_factor_bps.get(), 11_000);

    // With no deposit or borrow worth the skip value, both are 0.
    env.edit_market(|m| {
        m.min_value_skip_ltv_checks = Le64::new(1_000);
        m.min_value_skip_bf_checks = Le64::new(1_000);
    });
    let (after, _) = env.world.apply(&instruction(&env));
    let obligation: Obligation = after.state(&env.obligation);
    assert_eq!(obligation.lowest_liquidation_threshold_bps.get(), 0);
    assert_eq!(obligation.highest_borrow_factor_bps.get(), 0);
}

/// Regression cap for 13 positions (last known 13,938, + 10%). Above the DESIGN §9 budget (`budget(13)`): the
/// exact 256-bit valuation math costs more per position than that budget assumes (see
/// `benches/compute_units.md`); `tests/tests/compute_units.rs` holds the caps of every instruction.
const MAX_POSITIONS_CAP: u64 = 15_330;

/// 8 deposits and 5 borrows, each of its own reserve, every debt with interest to rescale.
fn full_obligation() -> Env {
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    for _ in 1..8 {
        let index = env.add_reserve(Fraction::from_bps(15_000), 1_000 * UNIT, 100 * UNIT, 900 * UNIT);
        env.deposit(index, 50 * UNIT);
    }
    env.add_borrow(DEBT, Fraction::from_integer(UNIT), Fraction::ONE);
    for _ in 1..5 {
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

#[test]
fn values_the_maximum_of_positions_within_budget() {
    let env = full_obligation();
    let obligation = env.obligation();
    assert_eq!((obligation.deposit_count, obligation.borrow_count), (8, 5));
    let (after, result) = env.world.apply(&instruction(&env));
    println!(
        "RefreshObligation, 13 positions: {} CU (DESIGN budget {})",
        result.compute_units_consumed,
        budget(13)
    );
    assert!(result.compute_units_consumed <= MAX_POSITIONS_CAP, "{} CU", result.compute_units_consumed);

    // The program's values equal the off-chain refresh's.
    let mut expected = env.clone();
    expected.refresh();
    assert_eq!(after.state::<Obligation>(&env.obligation), expected.obligation());
    assert!(expected.obligation().deposited_value_sf.get() > 0);
}

// Rejections.

#[test]
fn rejects_an_obligation_not_owned_by_the_program() {
    let mut env = with_deposit_and_borrow();
    env.world.get_mut(&env.obligation.clone()).owner = Address::new_unique();
    env.world.reject(&instruction(&env), BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_a_read_only_obligation() {
    let env = with_deposit_and_borrow();
    let mut ix = instruction(&env);
    ix.accounts[0].is_writable = false;
    env.world.reject(&ix, BallastError::AccountNotWritable);
}

#[test]
fn rejects_a_market_or_reserve_passed_as_the_obligation() {
    let env = with_deposit_and_borrow();
    for impostor in [env.other_market, env.other_reserve] {
        let mut ix = instruction(&env);
        ix.accounts[0].pubkey = impostor;
        env.world.reject(&ix, BallastError::InvalidAccountDiscriminator);
    }
}

#[test]
fn rejects_an_account_that_is_not_a_market() {
    let env = with_deposit_and_borrow();
    let mut ix = instruction(&env);
    ix.accounts[1].pubkey = env.other_reserve;
    env.world.reject(&ix, BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_the_obligation_under_another_market() {
    let env = with_deposit_and_borrow();
    let mut ix = instruction(&env);
    ix.accounts[1].pubkey = env.other_market;
    env.world.reject(&ix, BallastError::MarketMismatch);
}

#[test]
fn rejects_a_reserve_of_another_market() {
    let mut env = with_deposit_and_borrow();
    let other_market = env.other_market;
    env.edit_reserve(DEBT, |r| r.market = other_market);
    env.world.reject(&instruction(&env), BallastError::MarketMismatch);
}

#[test]
fn rejects_reserves_in_the_wrong_order_or_for_other_positions() {
    let mut env = with_deposit_and_borrow();
    let second = env.add_reserve(Fraction::ONE, 1_000 * UNIT, 0, 1_000 * UNIT);
    env.deposit(second, 10 * UNIT);
    let (deposits, borrows) = env.position_reserves();

    let swapped = [deposits[1], deposits[0]];
    let ix = client::refresh_obligation(&env.obligation, &env.market, &swapped, &borrows);
    env.world.reject(&ix, BallastError::ObligationReserveMismatch);

    // The borrow's reserve in a deposit's place and the other way round: same count, wrong addresses.
    let ix =
        client::refresh_obligation(&env.obligation, &env.market, &[deposits[0], borrows[0]], &[deposits[1]]);
    env.world.reject(&ix, BallastError::ObligationReserveMismatch);

    let ix =
        client::refresh_obligation(&env.obligation, &env.market, &[deposits[0], env.other_reserve], &borrows);
    env.world.reject(&ix, BallastError::ObligationReserveMismatch);
}

#[test]
fn rejects_a_missing_or_extra_reserve() {
    let env = with_deposit_and_borrow();
    let (deposits, borrows) = env.position_reserves();
    let ix = client::refresh_obligation(&env.obligation, &env.market, &deposits, &[]);
    env.world.reject(&ix, BallastError::ObligationReserveMismatch);
    let ix = client::refresh_obligation(&env.obligation, &env.market, &[], &[]);
    env.world.reject(&ix, BallastError::ObligationReserveMismatch);
    let extra = [borrows[0], borrows[0]];
    let ix = client::refresh_obligation(&env.obligation, &env.market, &deposits, &extra);
    env.world.reject(&ix, BallastError::ObligationReserveMismatch);
}

#[test]
fn rejects_a_stale_reserve() {
    for stale in [COLLATERAL, DEBT] {
        let mut env = with_deposit_and_borrow();
        env.edit_reserve(stale, |r| r.last_update_slot = Le64::new(SLOT - 1));
        env.world.reject(&instruction(&env), BallastError::ReserveStale);
    }
}

#[test]
fn rejects_a_reserve_not_owned_by_the_program_or_not_a_reserve() {
    let mut env = with_deposit_and_borrow();
    let mut ix = instruction(&env);
    let reserve = env.reserve(DEBT);
    let mut foreign = program_account(&reserve);
    foreign.owner = Address::new_unique();
    let debt_key = env.reserve_address(DEBT);
    env.world.set(debt_key, foreign);
    env.world.reject(&ix, BallastError::InvalidAccountOwner);

    let env = with_deposit_and_borrow();
    ix = instruction(&env);
    ix.accounts[3].pubkey = env.market;
    env.world.reject(&ix, BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_a_reserve_of_the_wrong_size() {
    let mut env = with_deposit_and_borrow();
    let key = env.reserve_address(COLLATERAL);
    env.world.get_mut(&key).data.push(0);
    env.world.reject(&instruction(&env), BallastError::InvalidAccountSize);
    let _ = Reserve::SIZE;
}

#[test]
fn rejects_instruction_data_and_too_few_accounts() {
    let env = with_deposit_and_borrow();
    let mut ix = instruction(&env);
    ix.data.push(0);
    env.world.reject(&ix, BallastError::InvalidInstructionDataLength);
    let mut ix = instruction(&env);
    ix.accounts.truncate(1);
    env.world.reject(&ix, BallastError::NotEnoughAccounts);
}
