//! Borrow: success with exact state and balances, borrowing up to the allowed value, adding to a borrow whose
//! interest was brought up to date, the cap of a running borrow-side deleverage, and each rejection with its
//! own error and every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pod::{Flag, Le128, Le16, Le64},
        state::{DeleverageState, Obligation, Reserve, DELEVERAGE_BORROW, DELEVERAGE_SUPPLY, PRICE_LOADED},
    },
    ballast_math::Fraction,
    ballast_tests::{
        fixtures::token_account,
        health::{env, Env, COLLATERAL, DEBT, SLOT, UNIT},
        wallet,
    },
    solana_address::Address,
    solana_instruction::Instruction,
};

/// 100 cTokens of collateral worth 110 (75% LTV: 82.5 of borrowing power), refreshed in this slot.
fn ready() -> Env {
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    env.refresh();
    env
}

fn borrow(env: &Env, amount: u64) -> Instruction {
    client::borrow(&env.borrow_accounts(DEBT), amount)
}

#[test]
fn borrows_with_exact_state_and_balances() {
    let env = ready();
    let before = env.obligation();
    let (after, result) = env.world.apply(&borrow(&env, 10 * UNIT));
    println!("Borrow: {} CU (with the token transfer)", result.compute_units_consumed);

    let mut next = env.clone();
    next.world = after;
    let obligation = next.obligation();
    // 10 tokens at price 2: 20, at a 100% borrow factor.
    let value = Fraction::from_integer(20);
    assert_eq!(obligation.borrow_count, 1);
    let entry = obligation.borrows[0];
    assert_eq!(entry.reserve, env.reserve_address(DEBT));
    assert_eq!(entry.borrowed_amount_sf.get(), Fraction::from_integer(10 * UNIT).raw());
    assert_eq!(entry.cumulative_borrow_index_sf.get(), Fraction::ONE.raw());
    assert_eq!(entry.market_value_sf.get(), value.raw());
    assert_eq!(obligation.borrowed_value_sf.get(), value.raw());
    assert_eq!(obligation.debt_value_bf_sf.get(), value.raw());
    assert_eq!(obligation.last_refresh_slot.get(), 0, "the obligation is stale after a borrow");
    assert_eq!(obligation.deposits, before.deposits);
    assert_eq!(obligation.allowed_borrow_value_sf, before.allowed_borrow_value_sf);

    let reserve: Reserve = next.reserve(DEBT);
    assert_eq!(reserve.available_amount.get(), 490 * UNIT);
    assert_eq!(reserve.borrowed_amount_sf.get(), Fraction::from_integer(10 * UNIT).raw());
    assert_eq!(reserve.collateral_supply, env.reserve(DEBT).collateral_supply);
    assert_eq!(next.world.tokens(&env.reserves[DEBT].user_liquidity), 10 * UNIT);
    next.assert_balances_match(DEBT);
    // The collateral reserve and the market are untouched.
    assert_eq!(next.reserve(COLLATERAL), env.reserve(COLLATERAL));
    assert_eq!(next.world.get(&env.market), env.world.get(&env.market));
}

#[test]
fn borrows_exactly_up_to_the_allowed_value() {
    let env = ready();
    // 82.5 of borrowing power at price 2: 41.25 tokens.
    let (after, _) = env.world.apply(&borrow(&env, 41_250_000));
    let obligation: Obligation = after.state(&env.obligation);
    assert_eq!(obligation.debt_value_bf_sf, obligation.allowed_borrow_value_sf);
    env.world.reject(&borrow(&env, 41_250_001), BallastError::ObligationUnhealthy);
}

#[test]
fn the_borrow_factor_weighs_the_new_debt() {
    let mut env = ready();
    env.edit_reserve(DEBT, |r| r.config.borrow_factor_bps = Le16::new(15_000));
    // 27.5 tokens at price 2 and a 150% factor: 82.5.
    let (after, _) = env.world.apply(&borrow(&env, 27_500_000));
    let obligation: Obligation = after.state(&env.obligation);
    assert_eq!(obligation.debt_value_bf_sf.get(), Fraction::from_bps(825_000).raw());
    assert_eq!(obligation.borrowed_value_sf.get(), Fraction::from_integer(55).raw());
    env.world.reject(&borrow(&env, 27_500_001), BallastError::ObligationUnhealthy);
}

#[test]
fn adds_to_a_borrow_brought_up_to_the_reserve_index() {
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    env.add_borrow(DEBT, Fraction::from_integer(10 * UNIT), Fraction::ONE);
    let index = Fraction::from_bps(11_000);
    env.edit_reserve(DEBT, |r| r.cumulative_borrow_index_sf = Le128::new(index.raw()));
    env.refresh();
    let refreshed = env.obligation().borrows[0];
    assert_eq!(refreshed.cumulative_borrow_index_sf.get(), index.raw());

    let (after, _) = env.world.apply(&borrow(&env, 5 * UNIT));
    let obligation: Obligation = after.state(&env.obligation);
    assert_eq!(obligation.borrow_count, 1);
    let entry = obligation.borrows[0];
    assert_eq!(
        entry.borrowed_amount_sf.get(),
        refreshed.borrowed_amount_sf.get() + Fraction::from_integer(5 * UNIT).raw()
    );
    assert_eq!(entry.cumulative_borrow_index_sf.get(), index.raw());
    assert_eq!(
        entry.market_value_sf.get(),
        refreshed.market_value_sf.get() + Fraction::from_integer(10).raw()
    );
    let reserve: Reserve = after.state(&env.reserve_address(DEBT));
    assert_eq!(
        reserve.borrowed_amount_sf.get(),
        env.reserve(DEBT).borrowed_amount_sf.get() + Fraction::from_integer(5 * UNIT).raw()
    );
}

// Rejections.

#[test]
fn rejects_a_missing_signature_or_another_owner() {
    let mut env = ready();
    let mut ix = borrow(&env, UNIT);
    ix.accounts[3].is_signer = false;
    env.world.reject(&ix, BallastError::MissingSigner);

    let stranger = env.add_account(wallet(1_000_000_000));
    let mut ix = borrow(&env, UNIT);
    ix.accounts[3].pubkey = stranger;
    env.world.reject(&ix, BallastError::InvalidAuthority);
}

#[test]
fn rejects_read_only_program_accounts() {
    let env = ready();
    for index in [0, 1] {
        let mut ix = borrow(&env, UNIT);
        ix.accounts[index].is_writable = false;
        env.world.reject(&ix, BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_a_market_or_reserve_passed_as_the_obligation() {
    let env = ready();
    for impostor in [env.market, env.reserve_address(COLLATERAL)] {
        let mut ix = borrow(&env, UNIT);
        ix.accounts[0].pubkey = impostor;
        env.world.reject(&ix, BallastError::InvalidAccountDiscriminator);
    }
}

#[test]
fn rejects_an_obligation_not_owned_by_the_program() {
    let mut env = ready();
    let key = env.obligation;
    env.world.get_mut(&key).owner = Address::new_unique();
    env.world.reject(&borrow(&env, UNIT), BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_a_reserve_or_obligation_of_another_market() {
    let env = ready();
    let mut ix = borrow(&env, UNIT);
    ix.accounts[1].pubkey = env.other_reserve;
    env.world.reject(&ix, BallastError::MarketMismatch);

    let mut env = ready();
    let other = env.other_market;
    env.edit_obligation(|o| o.market = other);
    env.world.reject(&borrow(&env, UNIT), BallastError::MarketMismatch);
}

#[test]
fn rejects_a_stale_reserve_or_obligation() {
    let mut env = ready();
    env.edit_reserve(DEBT, |r| r.last_update_slot = Le64::new(SLOT - 1));
    env.world.reject(&borrow(&env, UNIT), BallastError::ReserveStale);

    let mut env = ready();
    env.edit_obligation(|o| o.last_refresh_slot = Le64::new(SLOT - 1));
    env.world.reject(&borrow(&env, UNIT), BallastError::ObligationStale);
}

#[test]
fn rejects_prices_that_are_not_fully_checked() {
    // A low-confidence collateral price: the refresh leaves the obligation loaded but not fully checked.
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    env.edit_reserve(COLLATERAL, |r| r.price_status = PRICE_LOADED);
    env.refresh();
    env.world.reject(&borrow(&env, UNIT), BallastError::PriceNotFullyChecked);

    // A refresh without a price leaves the obligation's status at 0.
    let mut env = env_with_collateral_status(0);
    env.refresh();
    env.world.reject(&borrow(&env, UNIT), BallastError::PriceNotLoaded);

    // The borrowed reserve's own price.
    let mut env = ready();
    env.edit_reserve(DEBT, |r| r.price_status = PRICE_LOADED);
    env.world.reject(&borrow(&env, UNIT), BallastError::PriceNotFullyChecked);
}

fn env_with_collateral_status(status: u8) -> Env {
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    env.edit_reserve(COLLATERAL, |r| r.price_status = status);
    env
}

#[test]
fn rejects_caps_and_missing_liquidity() {
    let mut env = ready();
    env.edit_reserve(DEBT, |r| r.config.borrow_cap = Le64::new(5 * UNIT));
    env.world.reject(&borrow(&env, 5 * UNIT + 1), BallastError::BorrowCapExceeded);

    // 10 of 500 is 2% utilization, over a 1% cap.
    let mut env = ready();
    env.edit_reserve(DEBT, |r| r.config.utilization_cap_bps = Le16::new(100));
    env.world.reject(&borrow(&env, 10 * UNIT), BallastError::UtilizationCapExceeded);
    env.world.apply(&borrow(&env, 5 * UNIT));

    let env = ready();
    env.world.reject(&borrow(&env, 500 * UNIT + 1), BallastError::InsufficientLiquidity);
}

#[test]
fn rejects_disabled_borrowing_and_emergency_mode() {
    let mut env = ready();
    env.edit_market(|m| m.borrow_disabled = Flag::ON);
    env.world.reject(&borrow(&env, UNIT), BallastError::BorrowingDisabled);

    let mut env = ready();
    env.edit_reserve(DEBT, |r| r.config.borrowing_disabled = Flag::ON);
    env.world.reject(&borrow(&env, UNIT), BallastError::BorrowingDisabled);

    let mut env = ready();
    env.edit_market(|m| m.emergency_mode = Flag::ON);
    env.world.reject(&borrow(&env, UNIT), BallastError::EmergencyMode);
}

#[test]
fn rejects_a_sixth_borrow() {
    let mut env = env();
    env.deposit(COLLATERAL, 100 * UNIT);
    for _ in 0..5 {
        let index = env.add_reserve(Fraction::ONE, 100 * UNIT, 0, 0);
        env.add_borrow(index, Fraction::from_integer(UNIT), Fraction::ONE);
    }
    env.refresh();
    env.world.reject(&borrow(&env, UNIT), BallastError::TooManyBorrows);
}

#[test]
fn rejects_the_wrong_vault_or_destination() {
    let mut env = ready();
    let mint = env.reserves[DEBT].keys.liquidity_mint;
    let authority = env.authority;
    let fake_vault = env.add_account(token_account(&mint, &authority, 500 * UNIT));
    let mut ix = borrow(&env, UNIT);
    ix.accounts[4].pubkey = fake_vault;
    env.world.reject(&ix, BallastError::InvalidVault);

    let mut ix = borrow(&env, UNIT);
    ix.accounts[5].pubkey = env.reserves[DEBT].user_collateral;
    env.world.reject(&ix, BallastError::InvalidTokenAccountMint);

    let mut ix = borrow(&env, UNIT);
    ix.accounts[5].pubkey = env.reserves[COLLATERAL].user_liquidity;
    env.world.reject(&ix, BallastError::InvalidTokenAccountMint);

    let mut ix = borrow(&env, UNIT);
    ix.accounts[5].pubkey = env.reserves[DEBT].keys.liquidity_vault;
    env.world.reject(&ix, BallastError::DuplicateAccount);

    let mut ix = borrow(&env, UNIT);
    ix.accounts[4].is_writable = false;
    env.world.reject(&ix, BallastError::AccountNotWritable);
}

#[test]
fn rejects_the_wrong_authority_or_token_program() {
    let mut env = ready();
    let stranger = env.add_account(wallet(0));
    let mut ix = borrow(&env, UNIT);
    ix.accounts[6].pubkey = stranger;
    env.world.reject(&ix, BallastError::InvalidPda);

    let mut ix = borrow(&env, UNIT);
    ix.accounts[7].pubkey = stranger;
    env.world.reject(&ix, BallastError::InvalidTokenProgram);
}

#[test]
fn rejects_a_zero_amount_and_bad_data() {
    let env = ready();
    env.world.reject(&borrow(&env, 0), BallastError::ZeroAmount);
    let mut ix = borrow(&env, UNIT);
    ix.data.pop();
    env.world.reject(&ix, BallastError::InvalidInstructionDataLength);
    let mut ix = borrow(&env, UNIT);
    ix.accounts.truncate(7);
    env.world.reject(&ix, BallastError::NotEnoughAccounts);
}

/// The debt reserve with 100 tokens already borrowed by others (total 600) and a deleverage running on
/// `side` with its cap cut to `cap` tokens.
fn under_deleverage(side: usize, cap: u64) -> Env {
    let mut env = ready();
    env.edit_reserve(DEBT, |r| {
        r.borrowed_amount_sf = Le128::new(Fraction::from_integer(100 * UNIT).raw());
        r.deleverage[side] = DeleverageState {
            active: Flag::ON,
            target_cap: Le64::new(cap),
            start_slot: Le64::new(1),
            margin_call_end_slot: Le64::new(2),
            slots_per_bps: Le64::new(1),
            ..DeleverageState::default()
        };
    });
    env
}

#[test]
fn refuses_a_borrow_that_pushes_the_borrowed_total_further_above_a_deleverage_cap() {
    let env = under_deleverage(DELEVERAGE_BORROW, 80 * UNIT);
    env.world.reject(&borrow(&env, 10 * UNIT), BallastError::DeleverageCapExceeded);
    env.world.reject(&borrow(&env, 1), BallastError::DeleverageCapExceeded);
}

#[test]
fn accepts_a_borrow_up_to_the_deleverage_cap() {
    let env = under_deleverage(DELEVERAGE_BORROW, 110 * UNIT);
    let (after, _) = env.world.apply(&borrow(&env, 10 * UNIT));
    let reserve: Reserve = after.state(&env.reserve_address(DEBT));
    assert_eq!(reserve.borrowed_amount_sf.get(), Fraction::from_integer(110 * UNIT).raw());
    assert_eq!(reserve.deleverage, env.reserve(DEBT).deleverage, "the deleverage keeps running");
    env.world.reject(&borrow(&env, 10 * UNIT + 1), BallastError::DeleverageCapExceeded);
}

#[test]
fn a_deleverage_cap_binds_borrows_only_while_active_and_only_on_the_borrow_side() {
    // A supply-side deleverage does not limit borrows.
    let env = under_deleverage(DELEVERAGE_SUPPLY, 0);
    env.world.apply(&borrow(&env, 10 * UNIT));
    // An ended (inactive) borrow-side state does not either.
    let mut env = under_deleverage(DELEVERAGE_BORROW, 0);
    env.edit_reserve(DEBT, |r| r.deleverage[DELEVERAGE_BORROW].active = Flag::OFF);
    env.world.apply(&borrow(&env, 10 * UNIT));
}
