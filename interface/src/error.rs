//! Program errors. Every rejection has its own code so that a client, a test or an auditor can tell exactly
//! which check refused an instruction.
//!
//! Codes are part of the interface: never renumber a variant, only append. They start at 6000 so that they
//! never collide with the codes of the token or system programs that Ballast calls.

use solana_program_error::ProgramError;

#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BallastError {
    // 6000 - instruction decoding
    /// The instruction data is empty or starts with an unknown discriminator.
    UnknownInstruction = 6000,
    /// The instruction data is shorter or longer than the instruction's layout.
    InvalidInstructionDataLength,
    /// Fewer accounts than the instruction needs.
    NotEnoughAccounts,
    /// A flag byte in the instruction data is neither 0 nor 1.
    InvalidFlagValue,
    /// An argument that must be non-zero is zero.
    ZeroAmount,

    // 6005 - account validation
    /// A required signer did not sign.
    MissingSigner,
    /// An account that is written to was passed read-only.
    AccountNotWritable,
    /// An account is not owned by the program that must own it.
    InvalidAccountOwner,
    /// The account data length does not match the account type.
    InvalidAccountSize,
    /// The account's discriminator byte is not the expected account type.
    InvalidAccountDiscriminator,
    // 6010
    /// The account is already initialized.
    AccountAlreadyInitialized,
    /// The account's layout version is not supported by this program.
    UnsupportedAccountVersion,
    /// The same account was passed in two roles that must be distinct.
    DuplicateAccount,
    /// A program-derived address does not match its seeds.
    InvalidPda,
    /// An account belongs to a different market.
    MarketMismatch,
    // 6015
    /// The signer is not the authority this instruction requires.
    InvalidAuthority,
    /// A program id account is not the expected program.
    InvalidProgramId,
    /// A stored flag byte is corrupted (neither 0 nor 1).
    CorruptedAccountFlag,

    // 6018 - market parameters
    /// The close factor must be within 5..=100 percent.
    InvalidCloseFactor,
    /// The insolvency LTV must be within 50..=100 percent.
    InvalidInsolvencyLtv,
    // 6020
    /// The maximum value liquidatable at once must be non-zero.
    InvalidMaxLiquidatableValue,
    /// The minimum full-liquidation value must not exceed the maximum liquidatable at once.
    InvalidMinFullLiquidationValue,
    /// A council address must not be the default (all-zero) address.
    InvalidCouncil,
    /// The quote currency must not be empty.
    InvalidQuoteCurrency,
    /// A minimum value to skip liquidation priority checks must not exceed the maximum liquidatable at once.
    InvalidSkipCheckValue,
}

impl BallastError {
    pub const fn code(self) -> u32 {
        self as u32
    }
}

impl From<BallastError> for ProgramError {
    fn from(error: BallastError) -> Self {
        ProgramError::Custom(error as u32)
    }
}
