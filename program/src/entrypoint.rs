use {
    crate::processor,
    ballast_interface::instruction::{split_discriminator, BallastInstruction},
    pinocchio::{AccountView, Address, ProgramResult},
};

/// Dispatches on the first byte of the instruction data.
pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let (instruction, args) = split_discriminator(data)?;
    match instruction {
        // 0 - InitMarket
        BallastInstruction::InitMarket => processor::init_market::process(program_id, accounts, args),
        _ => Err(ballast_interface::error::BallastError::UnknownInstruction.into()),
    }
}
