//! The interface of the Ballast lending program: account layouts, instruction data, errors and PDA seeds,
//! shared by the on-chain program, its tests, the keeper and integrators. With the `client` feature it also
//! builds instructions.
#![no_std]
// The upstream BPF build (already on `RUSTC_BOOTSTRAP` for `-Zbuild-std`) optimises the per-position
// valuation of RefreshObligation for speed inside this size-optimised crate; platform-tools and host builds
// compile it as the rest.
#![cfg_attr(all(target_arch = "bpf", not(target_os = "solana")), feature(optimize_attribute))]
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
