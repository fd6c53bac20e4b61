//! A ready-made FlashBorrow for the compute-unit bench: one instruction with the accounts it needs and an
//! instructions sysvar that shows its repayment, so that it runs alone (`process_instruction`). FlashRepay
//! cannot run as the first instruction of a transaction (its borrow must come before it), so its compute units
//! are measured in `tests/tests/flash_loan.rs` from a whole borrow-and-repay transaction.

use {
    crate::{
        fixtures::{market_state, program_account, reserve_state, token_account, ReserveKeys},
        wallet,
    },
    ballast_interface::client,
    ballast_math::Fraction,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

/// FlashBorrow of 400 tokens out of a reserve of 1,000 refreshed at `slot`.
pub fn flash_borrow_alone(slot: u64) -> (Instruction, Vec<(Address, Account)>) {
    let market = Address::new_unique();
    let market_data = market_state(&market, &Address::new_unique());
    let keys = ReserveKeys::new();
    let mut reserve = reserve_state(&keys, &market, 6, Fraction::from_integer(1), slot);
    reserve.available_amount.set(1_000_000_000);
    let user = Address::new_unique();
    let user_tokens = Address::new_unique();
    let amount = 400_000_000;
    let borrow = client::flash_borrow(&keys.reserve, &market, &keys.liquidity_vault, &user_tokens, amount);
    let repay =
        client::flash_repay(&keys.reserve, &market, &keys.liquidity_vault, &user_tokens, &user, amount, 0);
    let accounts = vec![
        (keys.reserve, program_account(&reserve)),
        (market, program_account(&market_data)),
        (keys.liquidity_vault, token_account(&keys.liquidity_mint, &market_data.authority, 1_000_000_000)),
        (user_tokens, token_account(&keys.liquidity_mint, &user, 0)),
        (market_data.authority, Account::default()),
        mollusk_svm::instructions_sysvar::keyed_account([borrow.clone(), repay].iter()),
        mollusk_svm_programs_token::token::keyed_account(),
        (user, wallet(1_000_000_000)),
    ];
    (borrow, accounts)
}
