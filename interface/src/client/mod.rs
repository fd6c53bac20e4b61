//! Instruction builders for integrators, tests and the keeper.

use {
    crate::instruction::{encode, BallastInstruction, InitMarketArgs},
    solana_address::Address,
    solana_instruction::{AccountMeta, Instruction},
};

/// `InitMarket`: `market` must already exist, zeroed, `Market::SIZE` bytes, owned by the program.
pub fn init_market(market: &Address, owner: &Address, args: &InitMarketArgs) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![AccountMeta::new(*market, false), AccountMeta::new_readonly(*owner, true)],
        data: encode(BallastInstruction::InitMarket, args),
    }
}

mod deleverage;
mod flash;
mod ladder;
mod lending;
mod refresh;
mod reserve;

pub use {deleverage::*, flash::*, ladder::*, lending::*, refresh::*, reserve::*};
