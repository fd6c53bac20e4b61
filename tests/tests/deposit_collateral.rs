//! DepositCollateral: the cTokens are burned and recorded on the obligation (collateral_supply unchanged),
//! and each rejection with its own error and every account unchanged.

use {
    ballast_interface::{client, error::BallastError, pod::Flag, state::MAX_DEPOSITS},
    ballast_tests::{
        fixtures::{mint_account, mint_supply, TOKEN_PROGRAM_ID},
        lending::{env, Env, CTOKEN_SUPPLY, USER_CTOKENS},
        wallet,
    },
    solana_address::Address,
    solana_instruction::Instruction,
};

fn ix(env: &Env, ctokens: u64) -> Instruction {
    client::deposit_collateral(
        &env.obligation,
        &env.keys.reserve,
        &env.market,
        &env.user,
        &env.user_collateral,
        ctokens,
    )
}

#[test]
fn burns_the_ctokens_and_adds_a_deposit() {
    let mut env = env();
    env.edit_obligation(|o| o.last_refresh_slot.set(ballast_tests::lending::SLOT));
    let (world, result) = env.world.apply(&ix(&env, 400_000));
    println!("DepositCollateral CU (new entry): {}", result.compute_units_consumed);
    let after = Env { world, ..env.clone() };

    let obligation = after.obligation();
    assert_eq!(obligation.deposit_count, 1);
    assert_eq!(obligation.deposits[0].reserve, env.keys.reserve);
    assert_eq!(obligation.deposits[0].collateral_amount.get(), 400_000);
    assert_eq!(obligation.deposits[0].market_value_sf.get(), 0);
    assert_eq!(obligation.last_refresh_slot.get(), 0, "marked stale");
    let mut expected = env.obligation();
    expected.deposits[0] = obligation.deposits[0];
    expected.deposit_count = 1;
    expected.last_refresh_slot.set(0);
    assert_eq!(obligation, expected, "nothing else changes");

    assert_eq!(after.reserve(), env.reserve(), "the reserve is only read");
    assert_eq!(after.world.tokens(&env.user_collateral), USER_CTOKENS - 400_000);
    assert_eq!(mint_supply(after.world.get(&env.keys.collateral_mint)), CTOKEN_SUPPLY - 400_000);
    after.assert_balances_match();
}

#[test]
fn adds_to_an_existing_deposit_of_the_same_reserve() {
    let mut env = env();
    let other = Address::new_unique();
    env.edit_obligation(|o| {
        o.deposits[0].reserve = other;
        o.deposits[0].collateral_amount.set(5);
        o.deposit_count = 1;
    });
    env.deposit_into_obligation(env.keys.reserve, 100);
    let (world, result) = env.world.apply(&ix(&env, 50));
    println!("DepositCollateral CU (existing entry): {}", result.compute_units_consumed);
    let after = Env { world, ..env.clone() };
    let obligation = after.obligation();
    assert_eq!(obligation.deposit_count, 2);
    assert_eq!(obligation.deposits[0].collateral_amount.get(), 5);
    assert_eq!(obligation.deposits[1].reserve, env.keys.reserve);
    assert_eq!(obligation.deposits[1].collateral_amount.get(), 150);
    after.assert_balances_match();
}

#[test]
fn rejects_a_ninth_reserve() {
    let mut env = env();
    env.edit_obligation(|o| {
        for (i, d) in o.deposits.iter_mut().enumerate() {
            d.reserve = Address::new_from_array([i as u8 + 1; 32]);
            d.collateral_amount.set(1);
        }
        o.deposit_count = MAX_DEPOSITS as u8;
    });
    env.world.reject(&ix(&env, 10), BallastError::TooManyDeposits);
}

#[test]
fn adds_to_an_existing_deposit_when_all_slots_are_used() {
    let mut env = env();
    let reserve = env.keys.reserve;
    env.edit_obligation(|o| {
        for (i, d) in o.deposits.iter_mut().enumerate() {
            d.reserve = Address::new_from_array([i as u8 + 1; 32]);
            d.collateral_amount.set(1);
        }
        o.deposits[MAX_DEPOSITS - 1].reserve = reserve;
        o.deposit_count = MAX_DEPOSITS as u8;
    });
    let (world, _) = env.world.apply(&ix(&env, 10));
    let obligation: ballast_interface::state::Obligation = world.state(&env.obligation);
    assert_eq!(obligation.deposits[MAX_DEPOSITS - 1].collateral_amount.get(), 11);
}

#[test]
fn allows_a_stale_reserve() {
    let mut env = env();
    env.edit_reserve(|r| r.last_update_slot.set(1));
    env.world.apply(&ix(&env, 10));
}

#[test]
fn rejects_a_zero_amount() {
    let env = env();
    env.world.reject(&ix(&env, 0), BallastError::ZeroAmount);
}

#[test]
fn rejects_a_missing_owner_signature() {
    let env = env();
    let mut ix = ix(&env, 10);
    ix.accounts[3].is_signer = false;
    env.world.reject(&ix, BallastError::MissingSigner);
}

#[test]
fn rejects_a_signer_who_does_not_own_the_obligation() {
    let mut env = env();
    let stranger = env.add_account(wallet(1_000_000));
    let (mint, _) = (env.keys.collateral_mint, ());
    let stranger_ctokens = env.add_token_account(&mint, &stranger, 100);
    let ix = client::deposit_collateral(
        &env.obligation,
        &env.keys.reserve,
        &env.market,
        &stranger,
        &stranger_ctokens,
        10,
    );
    env.world.reject(&ix, BallastError::InvalidAuthority);
}

#[test]
fn rejects_program_accounts_with_the_wrong_owner() {
    for key in [|e: &Env| e.obligation, |e: &Env| e.keys.reserve, |e: &Env| e.market] {
        let mut env = env();
        let key = key(&env);
        env.world.get_mut(&key).owner = Address::new_unique();
        env.world.reject(&ix(&env, 10), BallastError::InvalidAccountOwner);
    }
}

#[test]
fn rejects_a_user_token_account_not_owned_by_the_token_program() {
    let mut env = env();
    let key = env.user_collateral;
    env.world.get_mut(&key).owner = Address::new_unique();
    env.world.reject(&ix(&env, 10), BallastError::InvalidTokenAccountOwner);
}

#[test]
fn rejects_read_only_accounts_that_are_written() {
    for index in [0, 4, 5] {
        let env = env();
        let mut ix = ix(&env, 10);
        ix.accounts[index].is_writable = false;
        env.world.reject(&ix, BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_accounts_of_another_market() {
    // A reserve of another market.
    let env = env();
    let mut ix = ix(&env, 10);
    ix.accounts[1].pubkey = env.other_reserve;
    env.world.reject(&ix, BallastError::MarketMismatch);
    // An obligation of another market (the reserve and market agree).
    let mut env = self::env();
    let other = env.other_market;
    env.edit_obligation(|o| o.market = other);
    env.world.reject(&self::ix(&env, 10), BallastError::MarketMismatch);
}

#[test]
fn rejects_a_ctoken_mint_that_is_not_the_reserves() {
    let mut env = env();
    let authority = env.authority;
    let fake_mint = env.add_account(mint_account(Some(&authority), CTOKEN_SUPPLY, 6));
    let mut ix = ix(&env, 10);
    ix.accounts[5].pubkey = fake_mint;
    env.world.reject(&ix, BallastError::InvalidVault);
}

#[test]
fn rejects_a_user_token_account_of_the_wrong_mint() {
    let mut env = env();
    let (user, liquidity_mint) = (env.user, env.keys.liquidity_mint);
    let wrong = env.add_token_account(&liquidity_mint, &user, USER_CTOKENS);
    let mut ix = ix(&env, 10);
    ix.accounts[4].pubkey = wrong;
    env.world.reject(&ix, BallastError::InvalidTokenAccountMint);
}

#[test]
fn rejects_the_mint_passed_as_the_user_token_account() {
    let env = env();
    let mut ix = ix(&env, 10);
    ix.accounts[4].pubkey = env.keys.collateral_mint;
    env.world.reject(&ix, BallastError::InvalidTokenAccountOwner);
}

#[test]
fn rejects_a_token_program_other_than_spl_token() {
    let mut env = env();
    let token_2022 = Address::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
    env.world.set(token_2022, wallet(1));
    let mut ix = ix(&env, 10);
    assert_eq!(ix.accounts[6].pubkey, TOKEN_PROGRAM_ID);
    ix.accounts[6].pubkey = token_2022;
    env.world.reject(&ix, BallastError::InvalidTokenProgram);
}

#[test]
fn rejects_deposits_in_emergency_mode() {
    let mut env = env();
    env.edit_market(|m| m.emergency_mode = Flag::ON);
    env.world.reject(&ix(&env, 10), BallastError::EmergencyMode);
}

#[test]
fn rejects_the_reserve_passed_as_the_obligation() {
    let env = env();
    let mut ix = ix(&env, 10);
    ix.accounts[0].pubkey = env.other_reserve;
    env.world.reject(&ix, BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_too_few_accounts() {
    let env = env();
    let mut ix = ix(&env, 10);
    ix.accounts.truncate(6);
    env.world.reject(&ix, BallastError::NotEnoughAccounts);
}

#[test]
fn rejects_truncated_or_extra_data() {
    let env = env();
    let mut short = ix(&env, 10);
    short.data.pop();
    env.world.reject(&short, BallastError::InvalidInstructionDataLength);
    let mut long = ix(&env, 10);
    long.data.push(0);
    env.world.reject(&long, BallastError::InvalidInstructionDataLength);
}
