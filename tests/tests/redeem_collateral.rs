//! RedeemCollateral: exact state and balances, rounding in the reserve's favour at a 1.1 exchange rate, and
//! each rejection with its own error and every account unchanged.

use {
    ballast_interface::{client, error::BallastError, pod::Le64},
    ballast_tests::{
        fixtures::{mint_account, mint_supply, TOKEN_PROGRAM_ID},
        lending::{env, Env, AVAILABLE, CTOKEN_SUPPLY, SLOT, USER_CTOKENS, USER_LIQUIDITY},
        wallet,
    },
    solana_address::Address,
    solana_instruction::Instruction,
};

fn ix(env: &Env, ctokens: u64) -> Instruction {
    client::redeem_collateral(
        &env.keys.reserve,
        &env.market,
        &env.user,
        &env.user_liquidity,
        &env.user_collateral,
        ctokens,
    )
}

#[test]
fn burns_ctokens_and_pays_their_liquidity() {
    let env = env();
    let (world, result) = env.world.apply(&ix(&env, 909));
    println!("RedeemCollateral CU: {}", result.compute_units_consumed);
    let after = Env { world, ..env.clone() };

    // 909 cTokens at 1.1: floor(999.9) = 999 liquidity.
    let mut expected = env.reserve();
    expected.available_amount = Le64::new(AVAILABLE - 999);
    expected.collateral_supply = Le64::new(CTOKEN_SUPPLY - 909);
    assert_eq!(after.reserve(), expected);

    assert_eq!(after.world.tokens(&env.user_liquidity), USER_LIQUIDITY + 999);
    assert_eq!(after.world.tokens(&env.user_collateral), USER_CTOKENS - 909);
    assert_eq!(after.world.tokens(&env.keys.liquidity_vault), AVAILABLE - 999);
    assert_eq!(mint_supply(after.world.get(&env.keys.collateral_mint)), CTOKEN_SUPPLY - 909);
    after.assert_balances_match();
}

#[test]
fn a_deposit_then_a_redeem_never_returns_more_than_was_deposited() {
    let env = env();
    let deposit = client::deposit_liquidity(
        &env.keys.reserve,
        &env.market,
        &env.user,
        &env.user_liquidity,
        &env.user_collateral,
        1_000,
    );
    let (world, _) = env.world.apply(&deposit);
    let (world, _) = world.apply(&ix(&env, 909));
    let after = Env { world, ..env.clone() };
    // 1,000 in for 909 cTokens, 999 back: the rounding stays with the reserve.
    assert_eq!(after.world.tokens(&env.user_liquidity), USER_LIQUIDITY - 1);
    assert_eq!(after.world.tokens(&env.user_collateral), USER_CTOKENS);
    assert_eq!(after.reserve().available_amount.get(), AVAILABLE + 1);
    assert_eq!(after.reserve().collateral_supply.get(), CTOKEN_SUPPLY);
    after.assert_balances_match();
}

#[test]
fn rejects_a_zero_amount() {
    let env = env();
    env.world.reject(&ix(&env, 0), BallastError::ZeroAmount);
}

#[test]
fn rejects_ctokens_worth_less_than_one_liquidity_token() {
    let mut env = env();
    // After a loss: 500,000 liquidity for 1,000,000 cTokens, so one cToken is worth 0.5.
    env.set_available(500_000);
    env.edit_reserve(|r| r.borrowed_amount_sf.set(0));
    env.world.reject(&ix(&env, 1), BallastError::AmountTooSmall);
}

#[test]
fn rejects_more_than_the_available_liquidity() {
    let mut env = env();
    // 100 available of 1,100,000 total: 100 cTokens are worth 110.
    env.set_available(100);
    env.edit_reserve(|r| r.borrowed_amount_sf.set(ballast_math::Fraction::from_integer(1_099_900).raw()));
    env.world.reject(&ix(&env, 100), BallastError::InsufficientLiquidity);
    // 90 cTokens are worth 99: still payable.
    env.world.apply(&ix(&env, 90));
}

#[test]
fn rejects_a_missing_user_signature() {
    let env = env();
    let mut ix = ix(&env, 909);
    ix.accounts[2].is_signer = false;
    env.world.reject(&ix, BallastError::MissingSigner);
}

#[test]
fn rejects_program_accounts_with_the_wrong_owner() {
    for key in [|e: &Env| e.keys.reserve, |e: &Env| e.market] {
        let mut env = env();
        let key = key(&env);
        env.world.get_mut(&key).owner = Address::new_unique();
        env.world.reject(&ix(&env, 909), BallastError::InvalidAccountOwner);
    }
}

#[test]
fn rejects_user_token_accounts_not_owned_by_the_token_program() {
    for key in [|e: &Env| e.user_liquidity, |e: &Env| e.user_collateral] {
        let mut env = env();
        let key = key(&env);
        env.world.get_mut(&key).owner = Address::new_unique();
        env.world.reject(&ix(&env, 909), BallastError::InvalidTokenAccountOwner);
    }
}

#[test]
fn rejects_read_only_accounts_that_are_written() {
    for index in [0, 3, 4, 5, 6] {
        let env = env();
        let mut ix = ix(&env, 909);
        ix.accounts[index].is_writable = false;
        env.world.reject(&ix, BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_a_reserve_of_another_market() {
    let env = env();
    let mut ix = ix(&env, 909);
    ix.accounts[1].pubkey = env.other_market;
    env.world.reject(&ix, BallastError::MarketMismatch);
}

#[test]
fn rejects_a_vault_or_ctoken_mint_that_is_not_the_reserves() {
    let mut env = env();
    let (mint, authority) = (env.keys.liquidity_mint, env.authority);
    let fake_vault = env.add_token_account(&mint, &authority, AVAILABLE);
    let fake_mint = env.add_account(mint_account(Some(&authority), CTOKEN_SUPPLY, 6));
    let mut ix = ix(&env, 909);
    ix.accounts[5].pubkey = fake_vault;
    env.world.reject(&ix, BallastError::InvalidVault);
    let mut ix = self::ix(&env, 909);
    ix.accounts[6].pubkey = fake_mint;
    env.world.reject(&ix, BallastError::InvalidVault);
}

#[test]
fn rejects_user_token_accounts_of_the_wrong_mint() {
    let mut env = env();
    let (user, ctoken_mint, liquidity_mint) = (env.user, env.keys.collateral_mint, env.keys.liquidity_mint);
    let wrong_liquidity = env.add_token_account(&ctoken_mint, &user, 0);
    let wrong_collateral = env.add_token_account(&liquidity_mint, &user, USER_CTOKENS);
    let mut ix = ix(&env, 909);
    ix.accounts[3].pubkey = wrong_liquidity;
    env.world.reject(&ix, BallastError::InvalidTokenAccountMint);
    let mut ix = self::ix(&env, 909);
    ix.accounts[4].pubkey = wrong_collateral;
    env.world.reject(&ix, BallastError::InvalidTokenAccountMint);
}

#[test]
fn rejects_the_vault_as_the_users_destination() {
    let env = env();
    let mut ix = ix(&env, 909);
    ix.accounts[3].pubkey = env.keys.liquidity_vault;
    env.world.reject(&ix, BallastError::DuplicateAccount);
}

#[test]
fn rejects_a_wrong_market_authority() {
    let mut env = env();
    let fake = env.add_account(wallet(0));
    let mut ix = ix(&env, 909);
    ix.accounts[7].pubkey = fake;
    env.world.reject(&ix, BallastError::InvalidPda);
}

#[test]
fn rejects_a_token_program_other_than_spl_token() {
    let mut env = env();
    let token_2022 = Address::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
    env.world.set(token_2022, wallet(1));
    let mut ix = ix(&env, 909);
    assert_eq!(ix.accounts[8].pubkey, TOKEN_PROGRAM_ID);
    ix.accounts[8].pubkey = token_2022;
    env.world.reject(&ix, BallastError::InvalidTokenProgram);
}

#[test]
fn rejects_a_stale_reserve() {
    let mut env = env();
    env.edit_reserve(|r| r.last_update_slot = Le64::new(SLOT - 1));
    env.world.reject(&ix(&env, 909), BallastError::ReserveStale);
}

#[test]
fn rejects_redeems_in_emergency_mode() {
    let mut env = env();
    env.edit_market(|m| m.emergency_mode = ballast_interface::pod::Flag::ON);
    env.world.reject(&ix(&env, 909), BallastError::EmergencyMode);
}

#[test]
fn rejects_too_few_accounts() {
    let env = env();
    let mut ix = ix(&env, 909);
    ix.accounts.truncate(8);
    env.world.reject(&ix, BallastError::NotEnoughAccounts);
}

#[test]
fn rejects_truncated_or_extra_data() {
    let env = env();
    let mut short = ix(&env, 909);
    short.data.pop();
    env.world.reject(&short, BallastError::InvalidInstructionDataLength);
    let mut long = ix(&env, 909);
    long.data.push(0);
    env.world.reject(&long, BallastError::InvalidInstructionDataLength);
}
