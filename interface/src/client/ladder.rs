//! Builders of the risk-ladder instructions: market switches, pre-liquidation, liquidation, bad debt.

use {
    crate::instruction::{
        encode, BallastInstruction, LiquidateArgs, NoArgs, SetPreLiquidationArgs, UpdateMarketArgs,
    },
    solana_address::Address,
    solana_instruction::{AccountMeta, Instruction},
};

/// The SPL Token program, the only token program the lending program accepts.
const TOKEN_PROGRAM: Address = Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

/// `UpdateMarket`: `authority` is the market owner or its emergency council.
pub fn update_market(market: &Address, authority: &Address, args: &UpdateMarketArgs) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![AccountMeta::new(*market, false), AccountMeta::new_readonly(*authority, true)],
        data: encode(BallastInstruction::UpdateMarket, args),
    }
}

/// `SetPreLiquidation`: signed by the obligation's owner.
pub fn set_pre_liquidation(
    obligation: &Address,
    owner: &Address,
    args: &SetPreLiquidationArgs,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![AccountMeta::new(*obligation, false), AccountMeta::new_readonly(*owner, true)],
        data: encode(BallastInstruction::SetPreLiquidation, args),
    }
}

/// Accounts of `PreLiquidate` and `Liquidate`. For a position that borrows the asset it deposited, pass the
/// same reserve (and the same vault) on both sides.
#[derive(Clone, Copy, Debug)]
pub struct LiquidateAccounts {
    pub obligation: Address,
    pub market: Address,
    pub repay_reserve: Address,
    pub withdraw_reserve: Address,
    pub liquidator: Address,
    /// Holds the repay reserve's liquidity mint; pays the repay.
    pub source: Address,
    /// Holds the withdraw reserve's liquidity mint; receives the redeemed collateral.
    pub destination: Address,
    pub repay_vault: Address,
    pub withdraw_vault: Address,
    pub market_authority: Address,
}

fn liquidate_metas(a: &LiquidateAccounts) -> std::vec::Vec<AccountMeta> {
    std::vec![
        AccountMeta::new(a.obligation, false),
        AccountMeta::new_readonly(a.market, false),
        AccountMeta::new(a.repay_reserve, false),
        AccountMeta::new(a.withdraw_reserve, false),
        AccountMeta::new_readonly(a.liquidator, true),
        AccountMeta::new(a.source, false),
        AccountMeta::new(a.destination, false),
        AccountMeta::new(a.repay_vault, false),
        AccountMeta::new(a.withdraw_vault, false),
        AccountMeta::new_readonly(a.market_authority, false),
        AccountMeta::new_readonly(TOKEN_PROGRAM, false),
    ]
}

/// `Liquidate`: repay up to `repay_amount` (`u64::MAX`: as much as allowed), receive at least
/// `min_received` of the withdraw reserve's liquidity.
pub fn liquidate(accounts: &LiquidateAccounts, repay_amount: u64, min_received: u64) -> Instruction {
    let args = LiquidateArgs { repay_amount: repay_amount.into(), min_received: min_received.into() };
    Instruction {
        program_id: crate::ID,
        accounts: liquidate_metas(accounts),
        data: encode(BallastInstruction::Liquidate, &args),
    }
}

/// `PreLiquidate`: as [`liquidate`], on an obligation whose owner opted in to pre-liquidation.
pub fn pre_liquidate(accounts: &LiquidateAccounts, repay_amount: u64, min_received: u64) -> Instruction {
    let args = LiquidateArgs { repay_amount: repay_amount.into(), min_received: min_received.into() };
    Instruction {
        program_id: crate::ID,
        accounts: liquidate_metas(accounts),
        data: encode(BallastInstruction::PreLiquidate, &args),
    }
}

/// `CoverBadDebt` of the obligation's borrow from `reserve`.
pub fn cover_bad_debt(
    obligation: &Address,
    market: &Address,
    reserve: &Address,
    insurance_vault: &Address,
    liquidity_vault: &Address,
    market_authority: &Address,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*obligation, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new(*reserve, false),
            AccountMeta::new(*insurance_vault, false),
            AccountMeta::new(*liquidity_vault, false),
            AccountMeta::new_readonly(*market_authority, false),
            AccountMeta::new_readonly(TOKEN_PROGRAM, false),
        ],
        data: encode(BallastInstruction::CoverBadDebt, &NoArgs {}),
    }
}
