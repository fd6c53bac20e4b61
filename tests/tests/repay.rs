//! Repay: partial and full repayments, interest since the borrow's snapshot, rounding of the debt up,
//! repayment by a third party and in emergency mode, and each rejection with its own error and every
//! account unchanged.

use {
    ballast_interface::{client, error::BallastError, pod::Flag, state::ObligationBorrow},
    ballast_math::Fraction,
    ballast_tests::{
        fixtures::TOKEN_PROGRAM_ID,
        lending::{env, Env, AVAILABLE, BORROWED, SLOT, USER_LIQUIDITY},
        wallet,
    },
    solana_address::Address,
    solana_instruction::Instruction,
};

fn ix(env: &Env, amount: u64) -> Instruction {
    client::repay(&env.obligation, &env.keys.reserve, &env.market, &env.user, &env.user_liquidity, amount)
}

/// The env with a borrow of the whole reserve's `BORROWED` at index 1.0, and a second borrow from another
/// reserve after it.
fn borrowed() -> (Env, Address) {
    let mut env = env();
    let other = Address::new_unique();
    env.add_borrow(env.keys.reserve, Fraction::from_integer(BORROWED), Fraction::ONE);
    env.add_borrow(other, Fraction::from_integer(7), Fraction::ONE);
    (env, other)
}

#[test]
fn repays_part_of_a_borrow() {
    let (env, _) = borrowed();
    let (world, result) = env.world.apply(&ix(&env, 40_000));
    println!("Repay CU (partial, same index): {}", result.compute_units_consumed);
    let after = Env { world, ..env.clone() };

    let mut reserve = env.reserve();
    reserve.available_amount.set(AVAILABLE + 40_000);
    reserve.borrowed_amount_sf.set(Fraction::from_integer(BORROWED - 40_000).raw());
    assert_eq!(after.reserve(), reserve);

    let obligation = after.obligation();
    assert_eq!(obligation.borrow_count, 2);
    assert_eq!(obligation.borrows[0].borrowed_amount_sf.get(), Fraction::from_integer(60_000).raw());
    assert_eq!(obligation.borrows[0].cumulative_borrow_index_sf.get(), Fraction::ONE.raw());
    assert_eq!(obligation.borrows[1], env.obligation().borrows[1]);
    assert_eq!(obligation.last_refresh_slot.get(), 0);

    assert_eq!(after.world.tokens(&env.user_liquidity), USER_LIQUIDITY - 40_000);
    after.assert_balances_match();
}

#[test]
fn repays_the_whole_debt_with_u64_max_and_removes_the_borrow() {
    let (env, other) = borrowed();
    let (world, result) = env.world.apply(&ix(&env, u64::MAX));
    println!("Repay CU (full, removes entry): {}", result.compute_units_consumed);
    let after = Env { world, ..env.clone() };

    let reserve = after.reserve();
    assert_eq!(reserve.available_amount.get(), AVAILABLE + BORROWED);
    assert_eq!(reserve.borrowed_amount_sf.get(), 0);
    let obligation = after.obligation();
    assert_eq!(obligation.borrow_count, 1);
    assert_eq!(obligation.borrows[0].reserve, other, "the later borrow moved down");
    assert_eq!(obligation.borrows[0].borrowed_amount_sf.get(), Fraction::from_integer(7).raw());
    assert_eq!(obligation.borrows[1], ObligationBorrow::default());
    assert_eq!(after.world.tokens(&env.user_liquidity), USER_LIQUIDITY - BORROWED);
    after.assert_balances_match();
}

#[test]
fn repaying_more_than_the_debt_takes_only_the_debt() {
    let (env, _) = borrowed();
    let (world, _) = env.world.apply(&ix(&env, BORROWED + 5));
    let after = Env { world, ..env.clone() };
    assert_eq!(after.world.tokens(&env.user_liquidity), USER_LIQUIDITY - BORROWED);
    assert_eq!(after.obligation().borrow_count, 1);
    after.assert_balances_match();
}

#[test]
fn repays_interest_accrued_since_the_snapshot() {
    let (mut env, _) = borrowed();
    let index = Fraction::from_bps(10_500);
    env.edit_reserve(|r| {
        r.cumulative_borrow_index_sf.set(index.raw());
        r.borrowed_amount_sf.set(Fraction::from_integer(105_000).raw());
    });

    // Partial: 5,000 of about 105,000; the rest is stored at the reserve's index.
    let (world, result) = env.world.apply(&ix(&env, 5_000));
    println!("Repay CU (partial, after interest): {}", result.compute_units_consumed);
    let after = Env { world, ..env.clone() };
    let debt =
        ballast_math::reserve::rescale_debt_ceil(Fraction::from_integer(BORROWED), Fraction::ONE, index)
            .unwrap();
    let borrow = after.obligation().borrows[0];
    assert_eq!(borrow.borrowed_amount_sf.get(), debt.raw() - Fraction::from_integer(5_000).raw());
    assert_eq!(borrow.cumulative_borrow_index_sf.get(), index.raw());
    assert_eq!(after.reserve().borrowed_amount_sf.get(), Fraction::from_integer(100_000).raw());
    after.assert_balances_match();

    // Full: the debt rounded up, 105,000 in all.
    let (world, _) = after.world.apply(&ix(&env, u64::MAX));
    let done = Env { world, ..env.clone() };
    assert_eq!(debt.to_u64_ceil().unwrap(), 105_000);
    assert_eq!(done.world.tokens(&env.user_liquidity), USER_LIQUIDITY - 105_000);
    assert_eq!(done.reserve().borrowed_amount_sf.get(), 0);
    assert_eq!(done.reserve().available_amount.get(), AVAILABLE + 105_000);
    assert_eq!(done.obligation().borrow_count, 1);
    done.assert_balances_match();
}

#[test]
fn rounds_a_fractional_debt_up() {
    let mut env = env();
    let debt = Fraction::from_ratio(21, 2).unwrap();
    env.add_borrow(env.keys.reserve, debt, Fraction::ONE);
    env.edit_reserve(|r| r.borrowed_amount_sf.set(debt.raw()));
    // 10.5 owed: a repayment of 10 leaves 0.5; the whole debt costs 11.
    let (world, _) = env.world.apply(&ix(&env, 10));
    let after = Env { world, ..env.clone() };
    assert_eq!(
        after.obligation().borrows[0].borrowed_amount_sf.get(),
        Fraction::from_ratio(1, 2).unwrap().raw()
    );
    let (world, _) = after.world.apply(&ix(&env, u64::MAX));
    let done = Env { world, ..env.clone() };
    assert_eq!(done.world.tokens(&env.user_liquidity), USER_LIQUIDITY - 11);
    assert_eq!(done.obligation().borrow_count, 0);
    assert_eq!(done.reserve().borrowed_amount_sf.get(), 0, "never below zero");
    assert_eq!(done.reserve().available_amount.get(), AVAILABLE + 11);
    done.assert_balances_match();
}

#[test]
fn anyone_may_repay() {
    let (mut env, _) = borrowed();
    let payer = env.add_account(wallet(1_000_000));
    let mint = env.keys.liquidity_mint;
    let payer_liquidity = env.add_token_account(&mint, &payer, 50_000);
    let ix = client::repay(&env.obligation, &env.keys.reserve, &env.market, &payer, &payer_liquidity, 30_000);
    let (world, _) = env.world.apply(&ix);
    let after = Env { world, ..env.clone() };
    assert_eq!(after.world.tokens(&payer_liquidity), 20_000);
    assert_eq!(after.world.tokens(&env.user_liquidity), USER_LIQUIDITY, "the borrower pays nothing");
    assert_eq!(after.obligation().borrows[0].borrowed_amount_sf.get(), Fraction::from_integer(70_000).raw());
    after.assert_balances_match();
}

#[test]
fn repays_in_emergency_mode() {
    let (mut env, _) = borrowed();
    env.edit_market(|m| m.emergency_mode = Flag::ON);
    env.world.apply(&ix(&env, 1_000));
}

#[test]
fn rejects_a_zero_amount() {
    let (env, _) = borrowed();
    env.world.reject(&ix(&env, 0), BallastError::ZeroAmount);
}

#[test]
fn rejects_an_obligation_without_a_borrow_from_the_reserve() {
    let mut env = env();
    env.add_borrow(Address::new_unique(), Fraction::from_integer(7), Fraction::ONE);
    env.world.reject(&ix(&env, 1_000), BallastError::BorrowNotFound);
}

#[test]
fn rejects_a_missing_payer_signature() {
    let (env, _) = borrowed();
    let mut ix = ix(&env, 1_000);
    ix.accounts[3].is_signer = false;
    env.world.reject(&ix, BallastError::MissingSigner);
}

#[test]
fn rejects_program_accounts_with_the_wrong_owner() {
    for key in [|e: &Env| e.obligation, |e: &Env| e.keys.reserve, |e: &Env| e.market] {
        let (mut env, _) = borrowed();
        let key = key(&env);
        env.world.get_mut(&key).owner = Address::new_unique();
        env.world.reject(&ix(&env, 1_000), BallastError::InvalidAccountOwner);
    }
}

#[test]
fn rejects_a_payer_token_account_not_owned_by_the_token_program() {
    let (mut env, _) = borrowed();
    let key = env.user_liquidity;
    env.world.get_mut(&key).owner = Address::new_unique();
    env.world.reject(&ix(&env, 1_000), BallastError::InvalidTokenAccountOwner);
}

#[test]
fn rejects_read_only_accounts_that_are_written() {
    for index in [0, 1, 4, 5] {
        let (env, _) = borrowed();
        let mut ix = ix(&env, 1_000);
        ix.accounts[index].is_writable = false;
        env.world.reject(&ix, BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_accounts_of_another_market() {
    let (env, _) = borrowed();
    let mut ix = ix(&env, 1_000);
    ix.accounts[1].pubkey = env.other_reserve;
    env.world.reject(&ix, BallastError::MarketMismatch);
    let (mut env, _) = borrowed();
    let other = env.other_market;
    env.edit_obligation(|o| o.market = other);
    env.world.reject(&self::ix(&env, 1_000), BallastError::MarketMismatch);
}

#[test]
fn rejects_a_vault_that_is_not_the_reserves() {
    let (mut env, _) = borrowed();
    let (mint, authority) = (env.keys.liquidity_mint, env.authority);
    let fake_vault = env.add_token_account(&mint, &authority, 0);
    let mut ix = ix(&env, 1_000);
    ix.accounts[5].pubkey = fake_vault;
    env.world.reject(&ix, BallastError::InvalidVault);
}

#[test]
fn rejects_a_payer_token_account_of_the_wrong_mint() {
    let (mut env, _) = borrowed();
    let (user, ctoken_mint) = (env.user, env.keys.collateral_mint);
    let wrong = env.add_token_account(&ctoken_mint, &user, USER_LIQUIDITY);
    let mut ix = ix(&env, 1_000);
    ix.accounts[4].pubkey = wrong;
    env.world.reject(&ix, BallastError::InvalidTokenAccountMint);
}

#[test]
fn rejects_the_vault_as_the_payers_source() {
    let (env, _) = borrowed();
    let mut ix = ix(&env, 1_000);
    ix.accounts[4].pubkey = env.keys.liquidity_vault;
    env.world.reject(&ix, BallastError::DuplicateAccount);
}

#[test]
fn rejects_a_token_program_other_than_spl_token() {
    let (mut env, _) = borrowed();
    let token_2022 = Address::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
    env.world.set(token_2022, wallet(1));
    let mut ix = ix(&env, 1_000);
    assert_eq!(ix.accounts[6].pubkey, TOKEN_PROGRAM_ID);
    ix.accounts[6].pubkey = token_2022;
    env.world.reject(&ix, BallastError::InvalidTokenProgram);
}

#[test]
fn rejects_a_stale_reserve() {
    let (mut env, _) = borrowed();
    env.edit_reserve(|r| r.last_update_slot.set(SLOT - 1));
    env.world.reject(&ix(&env, 1_000), BallastError::ReserveStale);
}

#[test]
fn rejects_the_reserve_and_obligation_swapped() {
    let (env, _) = borrowed();
    let mut ix = ix(&env, 1_000);
    ix.accounts.swap(0, 1);
    env.world.reject(&ix, BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_too_few_accounts() {
    let (env, _) = borrowed();
    let mut ix = ix(&env, 1_000);
    ix.accounts.truncate(6);
    env.world.reject(&ix, BallastError::NotEnoughAccounts);
}

#[test]
fn rejects_truncated_or_extra_data() {
    let (env, _) = borrowed();
    let mut short = ix(&env, 1_000);
    short.data.pop();
    env.world.reject(&short, BallastError::InvalidInstructionDataLength);
    let mut long = ix(&env, 1_000);
    long.data.push(0);
    env.world.reject(&long, BallastError::InvalidInstructionDataLength);
}
