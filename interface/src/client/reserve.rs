//! Builders of the reserve administration and refresh instructions: `InitReserve`, `UpdateReserveConfig`,
//! `RefreshReserve`, `CollectFees`. Account orders are those documented in `program/src/processor`.

use {
    crate::{
        instruction::{encode, BallastInstruction, NoArgs, ReserveConfigArgs},
        pda,
        state::ReserveConfig,
    },
    solana_address::Address,
    solana_instruction::{AccountMeta, Instruction},
};

/// The SPL Token program, the only token program reserves accept.
pub const SPL_TOKEN_ID: Address = Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
/// The system program.
pub const SYSTEM_PROGRAM_ID: Address = Address::from_str_const("11111111111111111111111111111111");

/// `InitReserve`: `reserve` must already exist, zeroed, `Reserve::SIZE` bytes, owned by the program. The
/// vault and cToken mint PDAs and the market authority are derived here.
pub fn init_reserve(
    reserve: &Address,
    market: &Address,
    market_owner: &Address,
    payer: &Address,
    liquidity_mint: &Address,
    config: &ReserveConfig,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*reserve, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new_readonly(*market_owner, true),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(*liquidity_mint, false),
            AccountMeta::new(pda::find_liquidity_vault(reserve).0, false),
            AccountMeta::new(pda::find_fee_vault(reserve).0, false),
            AccountMeta::new(pda::find_insurance_vault(reserve).0, false),
            AccountMeta::new(pda::find_collateral_mint(reserve).0, false),
            AccountMeta::new_readonly(pda::find_market_authority(market).0, false),
            AccountMeta::new_readonly(SPL_TOKEN_ID, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM_ID, false),
        ],
        data: encode(BallastInstruction::InitReserve, &ReserveConfigArgs { config: *config }),
    }
}

/// `UpdateReserveConfig`: `authority` is the market owner, or the emergency council disabling borrowing.
pub fn update_reserve_config(
    reserve: &Address,
    market: &Address,
    authority: &Address,
    config: &ReserveConfig,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*reserve, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new_readonly(*authority, true),
        ],
        data: encode(BallastInstruction::UpdateReserveConfig, &ReserveConfigArgs { config: *config }),
    }
}

/// `RefreshReserve`: with `price_update`, also reads the reserve's Pyth price; without, accrues interest only.
pub fn refresh_reserve(reserve: &Address, price_update: Option<&Address>) -> Instruction {
    let mut accounts = std::vec![AccountMeta::new(*reserve, false)];
    if let Some(price_update) = price_update {
        accounts.push(AccountMeta::new_readonly(*price_update, false));
    }
    Instruction {
        program_id: crate::ID,
        accounts,
        data: encode(BallastInstruction::RefreshReserve, &NoArgs {}),
    }
}

/// `CollectFees`: permissionless; the reserve must be refreshed in the same slot.
pub fn collect_fees(reserve: &Address, market: &Address) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*reserve, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new(pda::find_liquidity_vault(reserve).0, false),
            AccountMeta::new(pda::find_fee_vault(reserve).0, false),
            AccountMeta::new(pda::find_insurance_vault(reserve).0, false),
            AccountMeta::new_readonly(pda::find_market_authority(market).0, false),
            AccountMeta::new_readonly(SPL_TOKEN_ID, false),
        ],
        data: encode(BallastInstruction::CollectFees, &NoArgs {}),
    }
}
