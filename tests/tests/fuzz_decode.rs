//! Instruction decoding on arbitrary bytes: `split_discriminator` and `parse_args` of every argument type
//! never panic, accept exactly the layout's length, and the validators of decoded arguments never panic.
//! `PROPTEST_CASES` raises the number of cases for long runs.

use {
    ballast_interface::{
        error::BallastError,
        instruction::{
            parse_args, split_discriminator, AmountArgs, BallastInstruction, CancelDeleverageArgs,
            DeleverageArgs, DeleverageSide, FlashBorrowArgs, FlashRepayArgs, InitMarketArgs,
            InitObligationArgs, LiquidateArgs, NoArgs, ReserveConfigArgs, SetPreLiquidationArgs,
            StartDeleverageArgs, UpdateMarketArgs,
        },
    },
    proptest::prelude::*,
};

/// Decodes `data` exactly as the entrypoint and processors do: the discriminator, then the instruction's
/// argument layout, then the argument checks that need no account. Returns the argument length accepted.
fn decode(data: &[u8]) -> Result<usize, BallastError> {
    fn len<T: bytemuck::Pod>(args: &[u8]) -> Result<usize, BallastError> {
        parse_args::<T>(args).map(|_| core::mem::size_of::<T>())
    }
    let (instruction, args) = split_discriminator(data)?;
    use BallastInstruction::*;
    match instruction {
        InitMarket => {
            let parsed = parse_args::<InitMarketArgs>(args)?;
            let _ = parsed.validate();
            Ok(args.len())
        }
        UpdateMarket => {
            let parsed = parse_args::<UpdateMarketArgs>(args)?;
            let _ = parsed.flags();
            Ok(args.len())
        }
        InitReserve | UpdateReserveConfig => {
            let parsed = parse_args::<ReserveConfigArgs>(args)?;
            let config = parsed.config;
            let _ = config.validate();
            let _ = config.curve();
            Ok(args.len())
        }
        CollectFees | RefreshReserve | RefreshObligation | CoverBadDebt => len::<NoArgs>(args),
        DepositLiquidity | RedeemCollateral | DepositCollateral | WithdrawCollateral | Borrow | Repay => {
            len::<AmountArgs>(args)
        }
        InitObligation => len::<InitObligationArgs>(args),
        SetPreLiquidation => len::<SetPreLiquidationArgs>(args),
        PreLiquidate | Liquidate => len::<LiquidateArgs>(args),
        StartDeleverage => {
            let parsed = parse_args::<StartDeleverageArgs>(args)?;
            let _ = DeleverageSide::from_u8(parsed.side);
            Ok(args.len())
        }
        Deleverage => {
            let parsed = parse_args::<DeleverageArgs>(args)?;
            let _ = DeleverageSide::from_u8(parsed.side);
            Ok(args.len())
        }
        CancelDeleverage => {
            let parsed = parse_args::<CancelDeleverageArgs>(args)?;
            let _ = DeleverageSide::from_u8(parsed.side);
            Ok(args.len())
        }
        FlashBorrow => len::<FlashBorrowArgs>(args),
        FlashRepay => len::<FlashRepayArgs>(args),
    }
}

/// The argument length of every instruction.
fn args_len(discriminator: u8) -> Option<usize> {
    use {core::mem::size_of, BallastInstruction::*};
    let instruction = BallastInstruction::try_from(discriminator).ok()?;
    Some(match instruction {
        InitMarket => size_of::<InitMarketArgs>(),
        UpdateMarket => size_of::<UpdateMarketArgs>(),
        InitReserve | UpdateReserveConfig => size_of::<ReserveConfigArgs>(),
        CollectFees | RefreshReserve | RefreshObligation | CoverBadDebt => 0,
        DepositLiquidity | RedeemCollateral | DepositCollateral | WithdrawCollateral | Borrow | Repay => {
            size_of::<AmountArgs>()
        }
        InitObligation => size_of::<InitObligationArgs>(),
        SetPreLiquidation => size_of::<SetPreLiquidationArgs>(),
        PreLiquidate | Liquidate => size_of::<LiquidateArgs>(),
        StartDeleverage => size_of::<StartDeleverageArgs>(),
        Deleverage => size_of::<DeleverageArgs>(),
        CancelDeleverage => size_of::<CancelDeleverageArgs>(),
        FlashBorrow => size_of::<FlashBorrowArgs>(),
        FlashRepay => size_of::<FlashRepayArgs>(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_096))]

    /// Arbitrary bytes: decoding never panics, and succeeds exactly for a known discriminator followed by
    /// its layout's length.
    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..1_200)) {
        let result = decode(&data);
        match data.first().and_then(|d| args_len(*d)) {
            None => prop_assert_eq!(result, Err(BallastError::UnknownInstruction)),
            Some(len) if data.len() - 1 == len => prop_assert_eq!(result, Ok(len)),
            Some(_) => prop_assert_eq!(result, Err(BallastError::InvalidInstructionDataLength)),
        }
    }

    /// A valid discriminator with argument bytes of every length around its layout's: only the exact length
    /// decodes.
    #[test]
    fn every_length_but_the_layout_is_refused(discriminator in 0u8..23, fill in any::<u8>(), delta in -64i64..64) {
        let len = args_len(discriminator).expect("known");
        let Ok(actual) = usize::try_from(len as i64 + delta) else { return Ok(()); };
        let mut data = vec![fill; actual + 1];
        data[0] = discriminator;
        let result = decode(&data);
        if actual == len {
            prop_assert_eq!(result, Ok(len));
        } else {
            prop_assert_eq!(result, Err(BallastError::InvalidInstructionDataLength));
        }
    }
}

#[test]
fn every_discriminator_is_covered_and_the_next_is_unknown() {
    for discriminator in 0u8..=22 {
        assert!(args_len(discriminator).is_some());
    }
    for discriminator in 23u8..=255 {
        assert_eq!(decode(&[discriminator]), Err(BallastError::UnknownInstruction));
    }
    assert_eq!(decode(&[]), Err(BallastError::UnknownInstruction));
}
