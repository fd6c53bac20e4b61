//! DepositLiquidity: exact state and balances, rounding in the reserve's favour at a 1.1 exchange rate, the
//! cap of a running supply-side deleverage, and each rejection with its own error and every account
//! unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pod::{Flag, Le64},
        state::{DeleverageState, DELEVERAGE_BORROW, DELEVERAGE_SUPPLY},
    },
    ballast_tests::{
        fixtures::{mint_account, mint_supply, token_account, TOKEN_PROGRAM_ID},
        lending::{env, Env, AVAILABLE, CTOKEN_SUPPLY, USER_CTOKENS, USER_LIQUIDITY},
        wallet,
    },
    solana_address::Address,
    solana_instruction::Instruction,
};

fn ix(env: &Env, amount: u64) -> Instruction {
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
fn deposits_and_mints_ctokens_at_the_exchange_rate() {
    let env = env();
    let (world, result) = env.world.apply(&ix(&env, 1_000));
    println!("DepositLiquidity CU: {}", result.compute_units_consumed);
    let after = Env { world, ..env.clone() };

    // 1,000 liquidity at 1.1 per cToken: floor(909.09) = 909 cTokens.
    let reserve = after.reserve();
    assert_eq!(reserve.available_amount.get(), AVAILABLE + 1_000);
    assert_eq!(reserve.collateral_supply.get(), CTOKEN_SUPPLY + 909);
    assert_eq!(reserve.borrowed_amount_sf.get(), env.reserve().borrowed_amount_sf.get());
    let mut expected = env.reserve();
    expected.available_amount = Le64::new(AVAILABLE + 1_000);
    expected.collateral_supply = Le64::new(CTOKEN_SUPPLY + 909);
    assert_eq!(reserve, expected, "only the two amounts change");

    assert_eq!(after.world.tokens(&env.user_liquidity), USER_LIQUIDITY - 1_000);
    assert_eq!(after.world.tokens(&env.user_collateral), USER_CTOKENS + 909);
    assert_eq!(after.world.tokens(&env.keys.liquidity_vault), AVAILABLE + 1_000);
    assert_eq!(mint_supply(after.world.get(&env.keys.collateral_mint)), CTOKEN_SUPPLY + 909);
    after.assert_balances_match();
}

#[test]
fn rounds_the_minted_ctokens_down() {
    let env = env();
    // 12 liquidity is worth 10.9 cTokens: the lender receives 10, worth 11 liquidity.
    let (world, _) = env.world.apply(&ix(&env, 12));
    let after = Env { world, ..env.clone() };
    assert_eq!(after.world.tokens(&env.user_collateral), USER_CTOKENS + 10);
    assert_eq!(after.reserve().collateral_supply.get(), CTOKEN_SUPPLY + 10);
    assert_eq!(after.reserve().available_amount.get(), AVAILABLE + 12);
    after.assert_balances_match();
    // The exchange rate did not fall: total / supply >= 1.1.
    let reserve = after.reserve();
    let total = reserve.available_amount.get() + ballast_tests::lending::BORROWED;
    assert!(total * 10 >= reserve.collateral_supply.get() * 11);
}

#[test]
fn mints_one_to_one_into_an_empty_reserve() {
    let mut env = env();
    env.set_available(0);
    env.edit_reserve(|r| {
        r.borrowed_amount_sf.set(0);
        r.collateral_supply = Le64::new(0);
    });
    env.world.set(env.keys.collateral_mint, mint_account(Some(&env.authority), 0, 6));
    env.world.set(env.user_collateral, token_account(&env.keys.collateral_mint, &env.user, 0));
    let (world, _) = env.world.apply(&ix(&env, 777));
    let after = Env { world, ..env };
    assert_eq!(after.world.tokens(&after.user_collateral), 777);
    assert_eq!(after.reserve().collateral_supply.get(), 777);
    after.assert_balances_match();
}

#[test]
fn accepts_a_deposit_up_to_the_cap_and_refuses_one_over_it() {
    let mut env = env();
    // Total liquidity is 1,100,000.
    env.edit_reserve(|r| r.config.deposit_cap = Le64::new(1_101_000));
    env.world.apply(&ix(&env, 1_000));
    env.world.reject(&ix(&env, 1_001), BallastError::DepositCapExceeded);
}

#[test]
fn rejects_a_zero_amount() {
    let env = env();
    env.world.reject(&ix(&env, 0), BallastError::ZeroAmount);
}

#[test]
fn rejects_an_amount_worth_less_than_one_ctoken() {
    let env = env();
    // 1 liquidity is 0.9 cTokens.
    env.world.reject(&ix(&env, 1), BallastError::AmountTooSmall);
}

#[test]
fn rejects_a_deposit_into_a_reserve_without_liquidity_behind_its_ctokens() {
    let mut env = env();
    env.set_available(0);
    env.edit_reserve(|r| r.borrowed_amount_sf.set(0));
    env.world.reject(&ix(&env, 1_000), BallastError::ReserveDepleted);
}

#[test]
fn rejects_a_missing_user_signature() {
    let env = env();
    let mut ix = ix(&env, 1_000);
    ix.accounts[2].is_signer = false;
    env.world.reject(&ix, BallastError::MissingSigner);
}

#[test]
fn rejects_program_accounts_with_the_wrong_owner() {
    for key in [|e: &Env| e.keys.reserve, |e: &Env| e.market] {
        let mut env = env();
        let key = key(&env);
        env.world.get_mut(&key).owner = Address::new_unique();
        env.world.reject(&ix(&env, 1_000), BallastError::InvalidAccountOwner);
    }
}

#[test]
fn rejects_user_token_accounts_not_owned_by_the_token_program() {
    for key in [|e: &Env| e.user_liquidity, |e: &Env| e.user_collateral] {
        let mut env = env();
        let key = key(&env);
        env.world.get_mut(&key).owner = Address::new_unique();
        env.world.reject(&ix(&env, 1_000), BallastError::InvalidTokenAccountOwner);
    }
}

#[test]
fn rejects_read_only_accounts_that_are_written() {
    for index in [0, 3, 4, 5, 6] {
        let env = env();
        let mut ix = ix(&env, 1_000);
        ix.accounts[index].is_writable = false;
        env.world.reject(&ix, BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_a_reserve_of_another_market() {
    let env = env();
    let mut ix = ix(&env, 1_000);
    ix.accounts[1].pubkey = env.other_market;
    env.world.reject(&ix, BallastError::MarketMismatch);
    let mut ix = self::ix(&env, 1_000);
    ix.accounts[0].pubkey = env.other_reserve;
    env.world.reject(&ix, BallastError::MarketMismatch);
}

#[test]
fn rejects_a_vault_or_ctoken_mint_that_is_not_the_reserves() {
    let mut env = env();
    let fake_vault = env.add_token_account(&env.keys.liquidity_mint.clone(), &env.authority.clone(), 0);
    let fake_mint = env.add_account(mint_account(Some(&env.authority), 0, 6));
    let mut ix = ix(&env, 1_000);
    ix.accounts[5].pubkey = fake_vault;
    env.world.reject(&ix, BallastError::InvalidVault);
    let mut ix = self::ix(&env, 1_000);
    ix.accounts[6].pubkey = fake_mint;
    env.world.reject(&ix, BallastError::InvalidVault);
}

#[test]
fn rejects_user_token_accounts_of_the_wrong_mint() {
    let mut env = env();
    let (user, ctoken_mint, liquidity_mint) = (env.user, env.keys.collateral_mint, env.keys.liquidity_mint);
    let wrong_liquidity = env.add_token_account(&ctoken_mint, &user, USER_LIQUIDITY);
    let wrong_collateral = env.add_token_account(&liquidity_mint, &user, 0);
    let mut ix = ix(&env, 1_000);
    ix.accounts[3].pubkey = wrong_liquidity;
    env.world.reject(&ix, BallastError::InvalidTokenAccountMint);
    let mut ix = self::ix(&env, 1_000);
    ix.accounts[4].pubkey = wrong_collateral;
    env.world.reject(&ix, BallastError::InvalidTokenAccountMint);
}

#[test]
fn rejects_the_vault_as_the_users_source() {
    let env = env();
    let mut ix = ix(&env, 1_000);
    ix.accounts[3].pubkey = env.keys.liquidity_vault;
    env.world.reject(&ix, BallastError::DuplicateAccount);
}

#[test]
fn rejects_a_wrong_market_authority() {
    let mut env = env();
    let fake = env.add_account(wallet(0));
    let mut ix = ix(&env, 1_000);
    ix.accounts[7].pubkey = fake;
    env.world.reject(&ix, BallastError::InvalidPda);
}

#[test]
fn rejects_a_token_program_other_than_spl_token() {
    let mut env = env();
    let token_2022 = Address::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
    env.world.set(token_2022, wallet(1));
    let mut ix = ix(&env, 1_000);
    assert_eq!(ix.accounts[8].pubkey, TOKEN_PROGRAM_ID);
    ix.accounts[8].pubkey = token_2022;
    env.world.reject(&ix, BallastError::InvalidTokenProgram);
}

#[test]
fn rejects_a_stale_reserve() {
    let mut env = env();
    env.edit_reserve(|r| r.last_update_slot = Le64::new(ballast_tests::lending::SLOT - 1));
    env.world.reject(&ix(&env, 1_000), BallastError::ReserveStale);
}

#[test]
fn rejects_deposits_in_emergency_mode() {
    let mut env = env();
    env.edit_market(|m| m.emergency_mode = ballast_interface::pod::Flag::ON);
    env.world.reject(&ix(&env, 1_000), BallastError::EmergencyMode);
}

#[test]
fn rejects_too_few_accounts() {
    let env = env();
    let mut ix = ix(&env, 1_000);
    ix.accounts.truncate(8);
    env.world.reject(&ix, BallastError::NotEnoughAccounts);
}

#[test]
fn rejects_truncated_or_extra_data() {
    let env = env();
    let mut short = ix(&env, 1_000);
    short.data.pop();
    env.world.reject(&short, BallastError::InvalidInstructionDataLength);
    let mut long = ix(&env, 1_000);
    long.data.push(0);
    env.world.reject(&long, BallastError::InvalidInstructionDataLength);
}

#[test]
fn rejects_a_corrupted_emergency_flag() {
    let mut env = env();
    env.edit_market(|m| m.emergency_mode = ballast_interface::pod::Flag(2));
    env.world.reject(&ix(&env, 1_000), BallastError::CorruptedAccountFlag);
}

/// A deleverage running on `side` of the reserve with its cap cut to `cap` (the total is 1,100,000).
fn under_deleverage(env: &mut Env, side: usize, cap: u64) {
    env.edit_reserve(|r| {
        r.deleverage[side] = DeleverageState {
            active: Flag::ON,
            target_cap: Le64::new(cap),
            start_slot: Le64::new(1),
            margin_call_end_slot: Le64::new(2),
            slots_per_bps: Le64::new(1),
            ..DeleverageState::default()
        }
    });
}

#[test]
fn refuses_a_deposit_that_pushes_the_supply_further_above_a_deleverage_cap() {
    let mut env = env();
    under_deleverage(&mut env, DELEVERAGE_SUPPLY, 1_000_000);
    env.world.reject(&ix(&env, 1_000), BallastError::DeleverageCapExceeded);
    env.world.reject(&ix(&env, 12), BallastError::DeleverageCapExceeded);
}

#[test]
fn accepts_a_deposit_up_to_the_deleverage_cap() {
    let mut env = env();
    under_deleverage(&mut env, DELEVERAGE_SUPPLY, 1_101_000);
    let (world, _) = env.world.apply(&ix(&env, 1_000));
    let after = Env { world, ..env.clone() };
    assert_eq!(after.reserve().available_amount.get(), AVAILABLE + 1_000);
    assert_eq!(after.reserve().deleverage, env.reserve().deleverage, "the deleverage keeps running");
    after.assert_balances_match();
    env.world.reject(&ix(&env, 1_001), BallastError::DeleverageCapExceeded);
}

#[test]
fn a_deleverage_cap_binds_only_while_active_and_only_on_the_supply_side() {
    // A borrow-side deleverage does not limit deposits.
    let mut env = env();
    under_deleverage(&mut env, DELEVERAGE_BORROW, 0);
    env.world.apply(&ix(&env, 1_000));
    // An ended (inactive) supply-side state does not either.
    let mut env = self::env();
    under_deleverage(&mut env, DELEVERAGE_SUPPLY, 0);
    env.edit_reserve(|r| r.deleverage[DELEVERAGE_SUPPLY].active = Flag::OFF);
    env.world.apply(&ix(&env, 1_000));
}

#[test]
fn rejects_a_deposit_on_a_corrupted_deleverage_flag() {
    let mut env = env();
    under_deleverage(&mut env, DELEVERAGE_SUPPLY, 2_000_000);
    env.edit_reserve(|r| r.deleverage[DELEVERAGE_SUPPLY].active = Flag(2));
    env.world.reject(&ix(&env, 1_000), BallastError::CorruptedAccountFlag);
}
