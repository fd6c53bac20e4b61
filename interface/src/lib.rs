//! The interface of the Ballast lending program: account layouts, instruction data, errors and PDA seeds,
//! shared by the on-chain program, its tests, the keeper and integrators. With the `client` feature it also
//! builds instructions.
#![no_std]
#![deny(clippy::arithmetic_side_effects)]

#[cfg(feature = "client")]
extern crate std;

pub mod error;
pub mod instruction;
pub mod logic;
pub mod oracle;
pub mod pda;
pub mod pod;
pub mod state;

#[cfg(feature = "client")]
pub mod client;

/// The program's address.
pub const ID: solana_address::Address =
    solana_address::Address::from_str_const("BaLLastRiskEngine111111111111111111111111111");
