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

    // 6025 - reserve configuration
    /// LTV must be below the liquidation threshold, which must be below 100%.
    InvalidLoanToValue,
    /// The liquidation threshold must be at least the LTV and below 100%, and with the maximum bonus must not
    /// exceed 100% (a liquidation must be able to pay its bonus).
    InvalidLiquidationThreshold,
    /// The borrow factor must be at least 100%.
    InvalidBorrowFactor,
    /// Liquidation bonuses must satisfy min <= max and a bad-debt bonus below 1%.
    InvalidLiquidationBonus,
    /// A protocol fee share (take rate, liquidation fee, insurance share) exceeds 100%.
    InvalidProtocolFee,
    // 6030
    /// The borrow-rate curve has too few or too many points, or is not monotone.
    InvalidBorrowRateCurve,
    /// The oracle configuration is incomplete (zero feed id, zero max age, zero confidence or divergence bound).
    InvalidOracleConfig,
    /// The utilization cap must be within 1..=10000 bps.
    InvalidUtilizationCap,
    /// The flash-loan fee must be at most 10000 bps or the disabled sentinel.
    InvalidFlashLoanFee,
    /// The emergency council may only disable borrowing; any other change needs the owner.
    EmergencyCouncilMayOnlyDisable,

    // 6035 - tokens
    /// A token account or mint is not owned by the reserve's token program.
    InvalidTokenAccountOwner,
    /// A token account holds a different mint than the reserve requires.
    InvalidTokenAccountMint,
    /// A vault or mint account is not the one the reserve stores.
    InvalidVault,
    /// The liquidity mint is not a valid SPL mint.
    InvalidLiquidityMint,
    /// The token program account is not the reserve's token program.
    InvalidTokenProgram,

    // 6040 - freshness and oracle
    /// The reserve was not refreshed in the current slot.
    ReserveStale,
    /// The obligation was not refreshed in the current slot.
    ObligationStale,
    /// The price account is not owned by the Pyth receiver program.
    InvalidOracleOwner,
    /// The price account is not a `PriceUpdateV2` (discriminator or size).
    InvalidOracleAccount,
    /// The price update is only partially verified.
    OracleNotFullyVerified,
    // 6045
    /// The price update is for another feed than the reserve's.
    OracleFeedMismatch,
    /// The price was published longer ago than the reserve's max age.
    OraclePriceTooOld,
    /// The oracle price is zero or negative, or its exponent is out of range.
    OraclePriceInvalid,
    /// The confidence interval is wider than the reserve allows.
    OracleConfidenceTooWide,
    /// The price is too far from its EMA.
    OracleTwapDivergenceTooLarge,
    // 6050
    /// The operation needs a price that passed every oracle check in this slot.
    PriceNotFullyChecked,
    /// The operation needs a loaded price in this slot.
    PriceNotLoaded,

    // 6052 - lending
    /// The market is in emergency mode.
    EmergencyMode,
    /// Borrowing is disabled for the market or for this reserve.
    BorrowingDisabled,
    /// The deposit would push the reserve's total supply over its deposit cap.
    DepositCapExceeded,
    // 6055
    /// The borrow would push the reserve's borrowed total over its borrow cap.
    BorrowCapExceeded,
    /// The borrow would push the reserve's utilization over its utilization cap.
    UtilizationCapExceeded,
    /// The reserve's vault does not hold enough available liquidity.
    InsufficientLiquidity,
    /// The borrow or withdrawal would leave the obligation's debt above its allowed borrow value.
    ObligationUnhealthy,
    /// The obligation already holds the maximum number of deposits.
    TooManyDeposits,
    // 6060
    /// The obligation already holds the maximum number of borrows.
    TooManyBorrows,
    /// The obligation has no deposit in this reserve.
    DepositNotFound,
    /// The obligation has no borrow from this reserve.
    BorrowNotFound,
    /// The amount is larger than the obligation's deposit.
    WithdrawTooLarge,
    /// The amount converts to zero tokens on the other side, which would be a donation or a free mint.
    AmountTooSmall,
    // 6065
    /// The reserves passed to refresh the obligation do not match its deposits and borrows, in order.
    ObligationReserveMismatch,
    /// An intermediate value overflowed or a division by zero was attempted.
    MathOverflow,
    /// The obligation still has deposits or borrows.
    ObligationNotEmpty,

    // 6068 - lending core
    /// The reserve has cTokens outstanding but no liquidity behind them: a deposit would be diluted.
    ReserveDepleted,
    // 6069 - liquidation
    /// No liquidation reason applies: the obligation is healthy.
    ObligationHealthy,
    /// The obligation is over its liquidation threshold, but the market has paused price-triggered
    /// liquidations and no other reason applies.
    PriceTriggeredLiquidationDisabled,
    /// The chosen debt or collateral leg is not the riskiest one (highest borrow factor, lowest liquidation
    /// threshold) and is worth more than the market's skip value.
    LiquidationPriorityViolation,
    /// The liquidator would receive less than its `min_received`.
    LiquidationSlippage,
    /// The liquidation would repay, seize or redeem nothing.
    LiquidationTooSmall,
    /// A borrow below the full-liquidation value must be repaid whole; the requested amount is smaller.
    RepayTooSmallForFullLiquidation,
    /// The obligation's owner has not opted in to pre-liquidation.
    PreLiquidationDisabled,
    /// The obligation is liquidatable: use Liquidate.
    ObligationLiquidatable,
    /// The obligation's LTV is not above its pre-liquidation LTV.
    NotPreLiquidatable,
    /// Pre-liquidation settings out of range (LTV, close factor or incentive bounds).
    InvalidPreLiquidationParams,
    /// CoverBadDebt needs an obligation with no collateral left and a borrow from the reserve.
    NotBadDebt,
    /// The emergency council may only switch a market flag on; switching it off needs the owner.
    EmergencyCouncilMayOnlyEnable,
    // 6081 - flash loans
    /// The reserve's flash-loan fee is the disabled sentinel.
    FlashLoansDisabled,
    /// A flash-loan instruction was invoked through CPI instead of at the top level of the transaction.
    FlashLoanCpiNotAllowed,
    /// The account passed as the instructions sysvar is not the instructions sysvar.
    InvalidInstructionsSysvar,
    /// No later top-level `FlashRepay` of this program points back to this `FlashBorrow`.
    FlashRepayMissing,
    /// The `FlashRepay` that points back to this `FlashBorrow` names another reserve or another amount.
    FlashRepayMismatch,
    /// Another `FlashBorrow` of this program comes before this loan's `FlashRepay`.
    MultipleFlashBorrows,
    /// More than one `FlashRepay` points back to the same `FlashBorrow`.
    MultipleFlashRepays,
    /// `FlashRepay`'s borrow index does not name an earlier top-level `FlashBorrow` of this program.
    FlashBorrowNotFound,
    /// The `FlashBorrow` that `FlashRepay` points to names another reserve or another amount.
    FlashBorrowMismatch,
    // 6090 - deleverage
    /// The deleverage side byte is neither 0 (supply) nor 1 (borrow).
    InvalidDeleverageSide,
    /// The new cap must be below the side's current total.
    DeleverageCapNotBelowTotal,
    /// A deleverage is already running on this side of the reserve.
    DeleverageAlreadyActive,
    /// No deleverage is running on this side of the reserve.
    DeleverageNotActive,
    /// The margin call is still running: no deleverage before it ends.
    MarginCallActive,
    /// The obligation's LTV does not exceed the current deleverage LTV.
    NotDeleverageable,
    /// The obligation holds none of the deleveraged asset on the deleveraged side.
    DeleverageAssetNotHeld,
    /// The executor would receive fewer tokens than its minimum.
    DeleverageSlippage,
    /// The operation would push a reserve total under deleverage further above its new cap.
    DeleverageCapExceeded,
    /// The minimum deleverage penalty exceeds the reserve's max liquidation bonus.
    DeleveragePenaltyTooHigh,
    // 6100 - liquidation reasons
    /// Liquidate found no price reason (or price-triggered liquidation is paused) but the obligation is
    /// eligible for the running deleverage of one of the two reserves: use Deleverage.
    ObligationDeleverageable,
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

impl From<ballast_math::MathError> for BallastError {
    fn from(_: ballast_math::MathError) -> Self {
        BallastError::MathOverflow
    }
}
