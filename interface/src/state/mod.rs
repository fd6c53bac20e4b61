//! Account layouts.
//!
//! Every account starts with an 8-byte [`AccountHeader`] and is an alignment-1 `Pod` struct: numbers are
//! little-endian byte arrays ([`crate::pod`]) and flags are single bytes ([`crate::pod::Flag`]), so every
//! field is valid for any bit pattern and the layout is the same on every target. Each account ends with a
//! reserved tail for later versions. Sizes are asserted at compile time and tested.

mod market;
mod obligation;
mod reserve;
pub mod reserve_config;

pub use {market::*, obligation::*, reserve::*};

use bytemuck::{Pod, Zeroable};

/// Discriminators are written on chain: never change a value, only add new ones.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountKind {
    /// A zeroed account that has not been initialized yet.
    Uninitialized = 0,
    Market = 1,
    Reserve = 2,
    Obligation = 3,
}

/// The layout version written by this program.
pub const CURRENT_VERSION: u8 = 1;

#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct AccountHeader {
    pub discriminator: u8,
    pub version: u8,
    /// Keeps the body 8-byte aligned relative to the start of the account.
    pub padding: [u8; 6],
}

impl AccountHeader {
    pub const fn new(kind: AccountKind) -> Self {
        Self { discriminator: kind as u8, version: CURRENT_VERSION, padding: [0; 6] }
    }
}

/// An account type stored by the program.
pub trait ProgramAccount: Pod {
    const KIND: AccountKind;
    const LEN: usize = core::mem::size_of::<Self>();

    fn header(&self) -> &AccountHeader;
}
