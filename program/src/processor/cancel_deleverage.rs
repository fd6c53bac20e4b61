//! Not written yet: refused as an unknown instruction until its processor lands.

use {
    ballast_interface::error::BallastError,
    pinocchio::{AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(_accounts: &mut [AccountView], _data: &[u8]) -> ProgramResult {
    Err(BallastError::UnknownInstruction.into())
}
