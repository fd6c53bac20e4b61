//! WithdrawCollateral: withdrawals without debt (no refresh needed) and with debt (health checked), exact
//! state and balances, removal of an emptied deposit, and each rejection with its own error and every account
//! unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pod::{Flag, Le64},
        state::{Obligation, ObligationDeposit, PRICE_LOADED},
    },
    ballast_math::{reserve as reserve_math, value, Fraction},
    ballast_tests::{
        fixtures::{mint_account, mint_supply},
        health::{env, Env, COLLATERAL, DEBT, SLOT, UNIT},
        wallet,
    },
    solana_address::Address,
    solana_instruction::Instruction,
};

fn withdraw(env: &Env, amount: u64) -> Instruction {
    client::withdraw_collateral(&env.withdraw_accounts(COLLATERAL), amount)
}

/// 100 cTokens of collateral (worth 110), no debt, never refreshed.
fn without_debt() -> Env {
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    env
}

/// 100 cTokens of collateral (worth 110; 82.5 allowed) and a debt of 20 tokens at price 2 (40), refreshed.
fn with_debt() -> Env {
    let mut env = without_debt();
    env.add_borrow(DEBT, Fraction::from_integer(20 * UNIT), Fraction::ONE);
    env.refresh();
    env
}

#[test]
fn withdraws_without_debt_and_without_any_refresh() {
    let mut env = without_debt();
    env.edit_reserve(COLLATERAL, |r| r.last_update_slot = Le64::new(SLOT - 5));
    let ix = withdraw(&env, 40 * UNIT);
    assert!(!ix.accounts[1].is_writable, "the reserve is read-only");
    let (after, result) = env.world.apply(&ix);
    println!("WithdrawCollateral: {} CU (with the cToken mint)", result.compute_units_consumed);

    let mut next = env.clone();
    next.world = after;
    let obligation = next.obligation();
    assert_eq!(obligation.deposit_count, 1);
    assert_eq!(obligation.deposits[0].collateral_amount.get(), 60 * UNIT);
    assert_eq!(obligation.last_refresh_slot.get(), 0);
    assert_eq!(next.world.tokens(&env.reserves[COLLATERAL].user_collateral), 40 * UNIT);
    let mint = env.reserves[COLLATERAL].keys.collateral_mint;
    assert_eq!(mint_supply(next.world.get(&mint)), 940 * UNIT);
    assert_eq!(next.reserve(COLLATERAL), env.reserve(COLLATERAL), "the reserve is unchanged");
    next.assert_balances_match(COLLATERAL);
}

#[test]
fn withdrawing_a_whole_deposit_removes_it_and_keeps_the_rest_in_order() {
    let mut env = without_debt();
    let second = env.add_reserve(Fraction::ONE, 1_000 * UNIT, 0, 1_000 * UNIT);
    let third = env.add_reserve(Fraction::ONE, 1_000 * UNIT, 0, 1_000 * UNIT);
    env.deposit(second, 50 * UNIT);
    env.deposit(third, 70 * UNIT);
    let before = env.obligation();
    let (after, _) = env.world.apply(&withdraw(&env, 100 * UNIT));
    let obligation: Obligation = after.state(&env.obligation);
    assert_eq!(obligation.deposit_count, 2);
    assert_eq!(obligation.deposits[0], before.deposits[1]);
    assert_eq!(obligation.deposits[1], before.deposits[2]);
    assert_eq!(obligation.deposits[2], ObligationDeposit::default());
    assert_eq!(after.tokens(&env.reserves[COLLATERAL].user_collateral), 100 * UNIT);
}

#[test]
fn withdraws_with_debt_and_lowers_the_cached_values() {
    let env = with_debt();
    let before = env.obligation();
    let (after, _) = env.world.apply(&withdraw(&env, 10 * UNIT));
    let obligation: Obligation = after.state(&env.obligation);

    // The most 10 cTokens can be worth: 11 tokens at price 1, rounded up.
    let reserve = env.reserve(COLLATERAL);
    let total = reserve_math::total_liquidity(
        reserve.available_amount.get(),
        Fraction::from_raw(reserve.borrowed_amount_sf.get()),
        Fraction::from_raw(reserve.protocol_fees_sf.get()),
    )
    .unwrap();
    let liquidity =
        reserve_math::collateral_to_liquidity_ceil(10 * UNIT, total, reserve.collateral_supply.get())
            .unwrap();
    let worth = value::market_value_ceil(liquidity, Fraction::ONE, 6).unwrap();
    assert_eq!(worth, Fraction::from_integer(11));
    let sub = |cached: u128, loss: Fraction| Fraction::from_raw(cached).saturating_sub(loss).raw();
    assert_eq!(obligation.deposited_value_sf.get(), sub(before.deposited_value_sf.get(), worth));
    assert_eq!(
        obligation.allowed_borrow_value_sf.get(),
        sub(before.allowed_borrow_value_sf.get(), worth.checked_mul_ceil(Fraction::from_bps(7_500)).unwrap())
    );
    assert_eq!(
        obligation.unhealthy_borrow_value_sf.get(),
        sub(
            before.unhealthy_borrow_value_sf.get(),
            worth.checked_mul_ceil(Fraction::from_bps(8_000)).unwrap()
        )
    );
    assert_eq!(obligation.deposits[0].collateral_amount.get(), 90 * UNIT);
    assert_eq!(
        obligation.deposits[0].market_value_sf.get(),
        sub(before.deposits[0].market_value_sf.get(), worth)
    );
    assert_eq!(obligation.debt_value_bf_sf, before.debt_value_bf_sf);
    assert_eq!(obligation.borrows, before.borrows);
    assert_eq!(obligation.last_refresh_slot.get(), 0);
}

#[test]
fn rejects_a_withdrawal_that_leaves_the_debt_uncovered() {
    // Debt 40: the remaining allowed value must stay >= 40. 50 cTokens (55, 41.25 of power) leave 41.25;
    // 52 cTokens (57.2, 42.9 of power) leave 39.6.
    let env = with_debt();
    env.world.reject(&withdraw(&env, 52 * UNIT), BallastError::ObligationUnhealthy);
    env.world.reject(&withdraw(&env, 100 * UNIT), BallastError::ObligationUnhealthy);
    env.world.apply(&withdraw(&env, 50 * UNIT));
}

#[test]
fn with_debt_rejects_a_stale_obligation_or_reserve() {
    let mut env = with_debt();
    env.edit_obligation(|o| o.last_refresh_slot = Le64::new(0));
    env.world.reject(&withdraw(&env, UNIT), BallastError::ObligationStale);

    let mut env = with_debt();
    env.edit_reserve(COLLATERAL, |r| r.last_update_slot = Le64::new(SLOT - 1));
    env.world.reject(&withdraw(&env, UNIT), BallastError::ReserveStale);
}

#[test]
fn with_debt_rejects_prices_that_are_not_fully_checked() {
    // A low-confidence price at the refresh.
    let mut env = without_debt();
    env.add_borrow(DEBT, Fraction::from_integer(20 * UNIT), Fraction::ONE);
    env.edit_reserve(DEBT, |r| r.price_status = PRICE_LOADED);
    env.refresh();
    env.world.reject(&withdraw(&env, UNIT), BallastError::PriceNotFullyChecked);

    // The withdrawn reserve's own price, refreshed again without its oracle.
    let mut env = with_debt();
    env.edit_reserve(COLLATERAL, |r| r.price_status = 0);
    env.world.reject(&withdraw(&env, UNIT), BallastError::PriceNotLoaded);
}

#[test]
fn rejects_a_missing_deposit_or_too_large_an_amount() {
    let env = without_debt();
    let ix = client::withdraw_collateral(&env.withdraw_accounts(DEBT), UNIT);
    env.world.reject(&ix, BallastError::DepositNotFound);
    env.world.reject(&withdraw(&env, 100 * UNIT + 1), BallastError::WithdrawTooLarge);
    env.world.reject(&withdraw(&env, 0), BallastError::ZeroAmount);
}

#[test]
fn rejects_emergency_mode() {
    let mut env = without_debt();
    env.edit_market(|m| m.emergency_mode = Flag::ON);
    env.world.reject(&withdraw(&env, UNIT), BallastError::EmergencyMode);
}

#[test]
fn rejects_a_missing_signature_or_another_owner() {
    let mut env = without_debt();
    let mut ix = withdraw(&env, UNIT);
    ix.accounts[3].is_signer = false;
    env.world.reject(&ix, BallastError::MissingSigner);

    let stranger = env.add_account(wallet(1_000_000_000));
    let mut ix = withdraw(&env, UNIT);
    ix.accounts[3].pubkey = stranger;
    env.world.reject(&ix, BallastError::InvalidAuthority);
}

#[test]
fn rejects_a_read_only_or_impostor_obligation() {
    let env = without_debt();
    let mut ix = withdraw(&env, UNIT);
    ix.accounts[0].is_writable = false;
    env.world.reject(&ix, BallastError::AccountNotWritable);

    for impostor in [env.market, env.reserve_address(DEBT)] {
        let mut ix = withdraw(&env, UNIT);
        ix.accounts[0].pubkey = impostor;
        env.world.reject(&ix, BallastError::InvalidAccountDiscriminator);
    }

    let mut env = without_debt();
    let key = env.obligation;
    env.world.get_mut(&key).owner = Address::new_unique();
    env.world.reject(&withdraw(&env, UNIT), BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_a_reserve_or_obligation_of_another_market() {
    let env = without_debt();
    let mut ix = withdraw(&env, UNIT);
    ix.accounts[1].pubkey = env.other_reserve;
    env.world.reject(&ix, BallastError::MarketMismatch);

    let mut env = without_debt();
    let other = env.other_market;
    env.edit_obligation(|o| o.market = other);
    env.world.reject(&withdraw(&env, UNIT), BallastError::MarketMismatch);
}

#[test]
fn rejects_the_wrong_mint_or_destination() {
    let mut env = without_debt();
    let authority = env.authority;
    let fake_mint = env.add_account(mint_account(Some(&authority), 0, 6));
    let mut ix = withdraw(&env, UNIT);
    ix.accounts[5].pubkey = fake_mint;
    env.world.reject(&ix, BallastError::InvalidVault);

    let mut ix = withdraw(&env, UNIT);
    ix.accounts[4].pubkey = env.reserves[COLLATERAL].user_liquidity;
    env.world.reject(&ix, BallastError::InvalidTokenAccountMint);

    let mut ix = withdraw(&env, UNIT);
    ix.accounts[5].is_writable = false;
    env.world.reject(&ix, BallastError::AccountNotWritable);
}

#[test]
fn rejects_the_wrong_authority_or_token_program() {
    let mut env = without_debt();
    let stranger = env.add_account(wallet(0));
    let mut ix = withdraw(&env, UNIT);
    ix.accounts[6].pubkey = stranger;
    env.world.reject(&ix, BallastError::InvalidPda);

    let mut ix = withdraw(&env, UNIT);
    ix.accounts[7].pubkey = stranger;
    env.world.reject(&ix, BallastError::InvalidTokenProgram);
}

#[test]
fn rejects_bad_data_and_too_few_accounts() {
    let env = without_debt();
    let mut ix = withdraw(&env, UNIT);
    ix.data.push(0);
    env.world.reject(&ix, BallastError::InvalidInstructionDataLength);
    let mut ix = withdraw(&env, UNIT);
    ix.accounts.truncate(7);
    env.world.reject(&ix, BallastError::NotEnoughAccounts);
}
