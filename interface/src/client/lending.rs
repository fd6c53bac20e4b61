//! Builders for the obligation and the lender and borrower flows that need no health check. Account order
//! and roles are documented in `program/src/processor/<instruction>.rs`.

use {
    crate::{
        instruction::{encode, AmountArgs, BallastInstruction, InitObligationArgs},
        pda,
        pod::Le64,
    },
    solana_address::Address,
    solana_instruction::{AccountMeta, Instruction},
};

const SYSTEM_PROGRAM_ID: Address = Address::from_str_const("11111111111111111111111111111111");
const TOKEN_PROGRAM_ID: Address = Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

fn amount_data(instruction: BallastInstruction, amount: u64) -> std::vec::Vec<u8> {
    encode(instruction, &AmountArgs { amount: Le64::new(amount) })
}

/// `InitObligation`: creates the obligation PDA `[OBLIGATION, market, owner, [seed]]`, paid by `payer`.
/// Returns the instruction and the obligation's address.
pub fn init_obligation(
    market: &Address,
    owner: &Address,
    payer: &Address,
    seed: u8,
) -> (Instruction, Address) {
    let (obligation, _) = pda::find_obligation(market, owner, seed);
    let instruction = Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(obligation, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new_readonly(*owner, true),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(SYSTEM_PROGRAM_ID, false),
        ],
        data: encode(BallastInstruction::InitObligation, &InitObligationArgs { seed }),
    };
    (instruction, obligation)
}

/// The account list shared by `DepositLiquidity` and `RedeemCollateral`.
fn lender_accounts(
    reserve: &Address,
    market: &Address,
    user: &Address,
    user_liquidity: &Address,
    user_collateral: &Address,
) -> std::vec::Vec<AccountMeta> {
    std::vec![
        AccountMeta::new(*reserve, false),
        AccountMeta::new_readonly(*market, false),
        AccountMeta::new_readonly(*user, true),
        AccountMeta::new(*user_liquidity, false),
        AccountMeta::new(*user_collateral, false),
        AccountMeta::new(pda::find_liquidity_vault(reserve).0, false),
        AccountMeta::new(pda::find_collateral_mint(reserve).0, false),
        AccountMeta::new_readonly(pda::find_market_authority(market).0, false),
        AccountMeta::new_readonly(TOKEN_PROGRAM_ID, false),
    ]
}

/// `DepositLiquidity`: deposits `amount` liquidity tokens from `user_liquidity` and mints cTokens to
/// `user_collateral`.
pub fn deposit_liquidity(
    reserve: &Address,
    market: &Address,
    user: &Address,
    user_liquidity: &Address,
    user_collateral: &Address,
    amount: u64,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: lender_accounts(reserve, market, user, user_liquidity, user_collateral),
        data: amount_data(BallastInstruction::DepositLiquidity, amount),
    }
}

/// `RedeemCollateral`: burns `amount` cTokens from `user_collateral` and pays their liquidity to
/// `user_liquidity`.
pub fn redeem_collateral(
    reserve: &Address,
    market: &Address,
    user: &Address,
    user_liquidity: &Address,
    user_collateral: &Address,
    amount: u64,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: lender_accounts(reserve, market, user, user_liquidity, user_collateral),
        data: amount_data(BallastInstruction::RedeemCollateral, amount),
    }
}

/// `DepositCollateral`: burns `amount` cTokens from `user_collateral` and records them on the obligation.
pub fn deposit_collateral(
    obligation: &Address,
    reserve: &Address,
    market: &Address,
    owner: &Address,
    user_collateral: &Address,
    amount: u64,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*obligation, false),
            AccountMeta::new_readonly(*reserve, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new_readonly(*owner, true),
            AccountMeta::new(*user_collateral, false),
            AccountMeta::new(pda::find_collateral_mint(reserve).0, false),
            AccountMeta::new_readonly(TOKEN_PROGRAM_ID, false),
        ],
        data: amount_data(BallastInstruction::DepositCollateral, amount),
    }
}

/// `Repay`: repays up to `amount` liquidity (`u64::MAX`: the whole debt) of the obligation's borrow from
/// `reserve`, paid from `payer_liquidity` by `payer`.
pub fn repay(
    obligation: &Address,
    reserve: &Address,
    market: &Address,
    payer: &Address,
    payer_liquidity: &Address,
    amount: u64,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*obligation, false),
            AccountMeta::new(*reserve, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new_readonly(*payer, true),
            AccountMeta::new(*payer_liquidity, false),
            AccountMeta::new(pda::find_liquidity_vault(reserve).0, false),
            AccountMeta::new_readonly(TOKEN_PROGRAM_ID, false),
        ],
        data: amount_data(BallastInstruction::Repay, amount),
    }
}
