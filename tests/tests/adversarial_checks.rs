//! Targeted rejections the generic adversarial suite cannot reach from its baselines: the cap of a running
//! deleverage on deposits and borrows, and liquidation legs with nothing to seize. Each asserts the specific
//! error and that every account is unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pod::Le128,
        state::{DELEVERAGE_BORROW, DELEVERAGE_SUPPLY},
    },
    ballast_math::Fraction,
    ballast_tests::{
        assert_rejected, deleverage::running, health, ladder_fixtures::LiquidationCase, lending, mollusk,
    },
    mollusk_svm_result::ProgramResult,
};

/// The lending env's reserve holds 1,100 tokens of supply (1,000 available + 100 borrowed).
fn deposit(env: &lending::Env, amount: u64) -> solana_instruction::Instruction {
    client::deposit_liquidity(
        &env.keys.reserve,
        &env.market,
        &env.user,
        &env.user_liquidity,
        &env.user_collateral,
        amount,
    )
}

#[test]
fn a_deposit_may_not_push_the_supply_further_above_a_running_deleverage_cap() {
    let mut env = lending::env();
    // Supply 1,100,000 units, cap 1,000,000: above the cap already.
    env.edit_reserve(|r| r.deleverage[DELEVERAGE_SUPPLY] = running(1_000_000));
    env.world.reject(&deposit(&env, 1), BallastError::DeleverageCapExceeded);
    // The borrow side is independent: a running borrow-side deleverage does not limit deposits.
    let mut other = lending::env();
    other.edit_reserve(|r| r.deleverage[DELEVERAGE_BORROW] = running(1));
    other.world.apply(&deposit(&other, 1_000));
}

#[test]
fn a_deposit_up_to_a_running_deleverage_cap_passes() {
    let mut env = lending::env();
    // Supply 1,100,000 units, cap 1,101,000: a deposit of 1,000 reaches the cap exactly, one more exceeds it.
    env.edit_reserve(|r| r.deleverage[DELEVERAGE_SUPPLY] = running(1_101_000));
    env.world.reject(&deposit(&env, 1_001), BallastError::DeleverageCapExceeded);
    env.world.apply(&deposit(&env, 1_000));
}

#[test]
fn a_borrow_may_not_push_the_borrowed_total_further_above_a_running_deleverage_cap() {
    let mut env = health::env();
    env.deposit(health::COLLATERAL, 100 * health::UNIT);
    env.add_borrow(health::DEBT, Fraction::from_integer(10 * health::UNIT), Fraction::ONE);
    env.refresh();
    let ix = |amount| client::borrow(&env.borrow_accounts(health::DEBT), amount);
    // Borrowed 10 tokens; cap 12 tokens: 2 more reach it, one unit more exceeds it.
    let mut capped = env.clone();
    capped.edit_reserve(health::DEBT, |r| r.deleverage[DELEVERAGE_BORROW] = running(12 * health::UNIT));
    capped.world.reject(&ix(2 * health::UNIT + 1), BallastError::DeleverageCapExceeded);
    capped.world.apply(&ix(2 * health::UNIT));
    // A supply-side deleverage does not limit borrows.
    let mut supply = env.clone();
    supply.edit_reserve(health::DEBT, |r| r.deleverage[DELEVERAGE_SUPPLY] = running(1));
    supply.world.apply(&ix(5 * health::UNIT));
}

#[test]
fn a_liquidation_with_nothing_to_seize_is_too_small() {
    // 850 USDC against 10 SOL at $100 (LT 80 %): liquidatable. The cached deposit is worth nothing.
    let mut case = LiquidationCase::new(850);
    case.obligation_state.deposits[0].market_value_sf = Le128::new(0);
    let ix = client::liquidate(&case.liquidate_accounts(), u64::MAX, 0);
    let accounts = case.accounts();
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(case.slot);
    let result = mollusk.process_instruction(&ix, &accounts);
    assert_ne!(result.program_result, ProgramResult::Success);
    assert_rejected(&result, &accounts, BallastError::LiquidationTooSmall);
}
