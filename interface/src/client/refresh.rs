//! Builders for `RefreshObligation`, `Borrow` and `WithdrawCollateral`; see the instruction docs in
//! `program/src/processor`.

use {
    crate::{
        instruction::{encode, AmountArgs, BallastInstruction, NoArgs},
        pda,
        pod::Le64,
    },
    solana_address::Address,
    solana_instruction::{AccountMeta, Instruction},
};

/// SPL Token, the only token program the reserves accept.
const SPL_TOKEN_ID: Address = Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

/// `RefreshObligation`: `deposit_reserves` and `borrow_reserves` in the obligation's order.
pub fn refresh_obligation(
    obligation: &Address,
    market: &Address,
    deposit_reserves: &[Address],
    borrow_reserves: &[Address],
) -> Instruction {
    let mut accounts = std::vec::Vec::with_capacity(
        deposit_reserves.len().saturating_add(borrow_reserves.len()).saturating_add(2),
    );
    accounts.push(AccountMeta::new(*obligation, false));
    accounts.push(AccountMeta::new_readonly(*market, false));
    accounts.extend(
        deposit_reserves
            .iter()
            .chain(borrow_reserves)
            .map(|reserve| AccountMeta::new_readonly(*reserve, false)),
    );
    Instruction {
        program_id: crate::ID,
        accounts,
        data: encode(BallastInstruction::RefreshObligation, &NoArgs {}),
    }
}

/// Accounts of a `Borrow`.
#[derive(Clone, Copy, Debug)]
pub struct BorrowAccounts {
    pub obligation: Address,
    pub reserve: Address,
    pub market: Address,
    pub owner: Address,
    /// The reserve's liquidity vault.
    pub liquidity_vault: Address,
    /// The owner's token account of the liquidity mint that receives the tokens.
    pub destination: Address,
}

/// `Borrow` of `amount` liquidity base units; the market authority is derived from the market.
pub fn borrow(accounts: &BorrowAccounts, amount: u64) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(accounts.obligation, false),
            AccountMeta::new(accounts.reserve, false),
            AccountMeta::new_readonly(accounts.market, false),
            AccountMeta::new_readonly(accounts.owner, true),
            AccountMeta::new(accounts.liquidity_vault, false),
            AccountMeta::new(accounts.destination, false),
            AccountMeta::new_readonly(pda::find_market_authority(&accounts.market).0, false),
            AccountMeta::new_readonly(SPL_TOKEN_ID, false),
        ],
        data: encode(BallastInstruction::Borrow, &AmountArgs { amount: Le64::new(amount) }),
    }
}

/// Accounts of a `WithdrawCollateral`.
#[derive(Clone, Copy, Debug)]
pub struct WithdrawCollateralAccounts {
    pub obligation: Address,
    pub reserve: Address,
    pub market: Address,
    pub owner: Address,
    /// The owner's token account of the cToken mint that receives the cTokens.
    pub destination: Address,
    /// The reserve's cToken mint.
    pub collateral_mint: Address,
}

/// `WithdrawCollateral` of `amount` cTokens; the market authority is derived from the market.
pub fn withdraw_collateral(accounts: &WithdrawCollateralAccounts, amount: u64) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(accounts.obligation, false),
            AccountMeta::new_readonly(accounts.reserve, false),
            AccountMeta::new_readonly(accounts.market, false),
            AccountMeta::new_readonly(accounts.owner, true),
            AccountMeta::new(accounts.destination, false),
            AccountMeta::new(accounts.collateral_mint, false),
            AccountMeta::new_readonly(pda::find_market_authority(&accounts.market).0, false),
            AccountMeta::new_readonly(SPL_TOKEN_ID, false),
        ],
        data: encode(BallastInstruction::WithdrawCollateral, &AmountArgs { amount: Le64::new(amount) }),
    }
}
