//! The Ballast lending program.
//!
//! `entrypoint` decodes the discriminator and dispatches to one processor per instruction. Each processor
//! documents its account list, validates every account and argument in numbered groups before it writes
//! anything, so that an instruction that fails leaves every account unchanged.
#![no_std]
#![deny(clippy::arithmetic_side_effects)]

pub mod entrypoint;
pub mod event;
pub mod introspection;
pub mod log;
#[cfg(all(target_arch = "bpf", not(target_os = "solana"), feature = "bpf-entrypoint"))]
mod mem;
pub mod processor;
pub mod validation;

pub use ballast_interface::ID;

#[cfg(feature = "bpf-entrypoint")]
mod bpf_entrypoint {
    pinocchio::program_entrypoint!(crate::entrypoint::process_instruction);
    pinocchio::no_allocator!();
    pinocchio::nostd_panic_handler!();
}
pub mod oracle;
pub mod security_txt;
pub mod state;
pub mod system;
pub mod token;
