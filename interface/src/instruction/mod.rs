//! Instruction discriminators and argument layouts.
//!
//! Instruction data is one discriminator byte followed by the instruction's argument struct, an alignment-1
//! `Pod` layout read in place. The data length must equal `1 + size_of::<Args>()` exactly: truncated and
//! oversized data are both refused.

mod args;
mod deleverage;
mod flash;
mod init_market;
mod ladder;

pub use {args::*, deleverage::*, flash::*, init_market::*, ladder::*};

use {crate::error::BallastError, bytemuck::Pod};

/// Instruction discriminators. They are part of the interface: never renumber, only append.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BallastInstruction {
    InitMarket = 0,
    UpdateMarket = 1,
    InitReserve = 2,
    UpdateReserveConfig = 3,
    CollectFees = 4,
    RefreshReserve = 5,
    RefreshObligation = 6,
    DepositLiquidity = 7,
    RedeemCollateral = 8,
    InitObligation = 9,
    DepositCollateral = 10,
    WithdrawCollateral = 11,
    Borrow = 12,
    Repay = 13,
    SetPreLiquidation = 14,
    PreLiquidate = 15,
    Liquidate = 16,
    StartDeleverage = 17,
    Deleverage = 18,
    CancelDeleverage = 19,
    CoverBadDebt = 20,
    FlashBorrow = 21,
    FlashRepay = 22,
}

impl TryFrom<u8> for BallastInstruction {
    type Error = BallastError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        use BallastInstruction::*;
        const ALL: [BallastInstruction; 23] = [
            InitMarket,
            UpdateMarket,
            InitReserve,
            UpdateReserveConfig,
            CollectFees,
            RefreshReserve,
            RefreshObligation,
            DepositLiquidity,
            RedeemCollateral,
            InitObligation,
            DepositCollateral,
            WithdrawCollateral,
            Borrow,
            Repay,
            SetPreLiquidation,
            PreLiquidate,
            Liquidate,
            StartDeleverage,
            Deleverage,
            CancelDeleverage,
            CoverBadDebt,
            FlashBorrow,
            FlashRepay,
        ];
        ALL.get(usize::from(value)).copied().ok_or(BallastError::UnknownInstruction)
    }
}

/// Splits instruction data into its discriminator and the rest.
pub fn split_discriminator(data: &[u8]) -> Result<(BallastInstruction, &[u8]), BallastError> {
    let (first, rest) = data.split_first().ok_or(BallastError::UnknownInstruction)?;
    Ok((BallastInstruction::try_from(*first)?, rest))
}

/// Views `args` as `T`, refusing any length other than `size_of::<T>()`.
pub fn parse_args<T: Pod>(args: &[u8]) -> Result<&T, BallastError> {
    // Alignment-1 layouts never fail on alignment, so the only failure left is the length.
    bytemuck::try_from_bytes(args).map_err(|_| BallastError::InvalidInstructionDataLength)
}

/// The full instruction data (discriminator then arguments) for `args`.
#[cfg(feature = "client")]
pub fn encode<T: Pod>(instruction: BallastInstruction, args: &T) -> std::vec::Vec<u8> {
    let mut data = std::vec::Vec::with_capacity(core::mem::size_of::<T>().saturating_add(1));
    data.push(instruction as u8);
    data.extend_from_slice(bytemuck::bytes_of(args));
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_discriminator_round_trips_and_the_next_is_unknown() {
        for value in 0u8..=22 {
            assert_eq!(BallastInstruction::try_from(value).map(|i| i as u8), Ok(value));
        }
        for value in 23u8..=255 {
            assert_eq!(BallastInstruction::try_from(value), Err(BallastError::UnknownInstruction));
        }
        assert_eq!(split_discriminator(&[]).err(), Some(BallastError::UnknownInstruction));
    }
}
