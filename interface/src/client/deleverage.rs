//! Builders of the auto-deleverage instructions; see the instruction docs in `program/src/processor`.

use {
    crate::{
        instruction::{
            encode, BallastInstruction, CancelDeleverageArgs, DeleverageArgs, DeleverageSide,
            StartDeleverageArgs,
        },
        pod::{Le16, Le64},
    },
    solana_address::Address,
    solana_instruction::{AccountMeta, Instruction},
};

/// The SPL Token program id, the only token program the program accepts.
const TOKEN_PROGRAM_ID: Address = Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

/// `StartDeleverage` arguments from plain values.
pub fn start_deleverage_args(
    side: DeleverageSide,
    new_cap: u64,
    margin_call_slots: u64,
    slots_per_bps: u64,
    min_penalty_bps: u16,
) -> StartDeleverageArgs {
    StartDeleverageArgs {
        side: side as u8,
        new_cap: Le64::new(new_cap),
        margin_call_slots: Le64::new(margin_call_slots),
        slots_per_bps: Le64::new(slots_per_bps),
        min_penalty_bps: Le16::new(min_penalty_bps),
    }
}

/// `StartDeleverage`: accounts `[w] reserve, [] market, [s] risk council`.
pub fn start_deleverage(
    reserve: &Address,
    market: &Address,
    risk_council: &Address,
    args: &StartDeleverageArgs,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*reserve, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new_readonly(*risk_council, true),
        ],
        data: encode(BallastInstruction::StartDeleverage, args),
    }
}

/// `CancelDeleverage`: accounts `[w] reserve, [] market, [s] risk council`.
pub fn cancel_deleverage(
    reserve: &Address,
    market: &Address,
    risk_council: &Address,
    side: DeleverageSide,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*reserve, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new_readonly(*risk_council, true),
        ],
        data: encode(BallastInstruction::CancelDeleverage, &CancelDeleverageArgs { side: side as u8 }),
    }
}

/// Accounts of a `Deleverage` instruction.
#[derive(Clone, Debug)]
pub struct DeleverageAccounts {
    pub obligation: Address,
    pub market: Address,
    pub repay_reserve: Address,
    pub withdraw_reserve: Address,
    pub executor: Address,
    /// Executor's token account of the repay reserve's liquidity mint.
    pub executor_source: Address,
    /// Executor's token account of the withdraw reserve's liquidity mint.
    pub executor_destination: Address,
    pub repay_vault: Address,
    pub withdraw_vault: Address,
    /// Every reserve of the obligation other than the repay and withdraw reserves.
    pub other_reserves: std::vec::Vec<Address>,
}

/// `Deleverage`: `side` selects the target (supply: the withdraw reserve; borrow: the repay reserve);
/// `max_repay` of `u64::MAX` repays as much as allowed; `min_received` bounds slippage.
pub fn deleverage(
    accounts: &DeleverageAccounts,
    side: DeleverageSide,
    max_repay: u64,
    min_received: u64,
) -> Instruction {
    let (market_authority, _) = crate::pda::find_market_authority(&accounts.market);
    let mut metas = std::vec![
        AccountMeta::new(accounts.obligation, false),
        AccountMeta::new_readonly(accounts.market, false),
        AccountMeta::new(accounts.repay_reserve, false),
        AccountMeta::new(accounts.withdraw_reserve, false),
        AccountMeta::new_readonly(accounts.executor, true),
        AccountMeta::new(accounts.executor_source, false),
        AccountMeta::new(accounts.executor_destination, false),
        AccountMeta::new(accounts.repay_vault, false),
        AccountMeta::new(accounts.withdraw_vault, false),
        AccountMeta::new_readonly(market_authority, false),
        AccountMeta::new_readonly(TOKEN_PROGRAM_ID, false),
    ];
    metas.extend(accounts.other_reserves.iter().map(|r| AccountMeta::new_readonly(*r, false)));
    let args = DeleverageArgs {
        side: side as u8,
        max_repay: Le64::new(max_repay),
        min_received: Le64::new(min_received),
    };
    Instruction {
        program_id: crate::ID,
        accounts: metas,
        data: encode(BallastInstruction::Deleverage, &args),
    }
}
