//! Flash-loan builders, and the two leverage flows composed from them: opening a leveraged position and
//! closing it, each one transaction.
//!
//! The lending instructions inside the flows (refreshes, deposits, borrow, repay, withdraw, redeem) are built
//! here by private helpers with their documented account orders and data (one discriminator byte, then
//! [`AmountArgs`] where the instruction takes an amount).

use {
    crate::{
        instruction::{encode, BallastInstruction, FlashBorrowArgs, FlashRepayArgs},
        logic::flash::flash_loan_fee,
        pda,
        pod::Le64,
    },
    solana_address::Address,
    solana_instruction::{AccountMeta, Instruction},
    std::vec::Vec,
};

/// The SPL Token program, the only token program reserves accept.
pub const TOKEN_PROGRAM_ID: Address = Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
/// The instructions sysvar, which flash loans read to match a borrow with its repayment.
pub const INSTRUCTIONS_SYSVAR_ID: Address =
    Address::from_str_const("Sysvar1nstructions1111111111111111111111111");

/// `FlashBorrow`: lends `amount` from `reserve` to `destination` (a token account of the liquidity mint) until
/// the matching [`flash_repay`] later in the same transaction.
pub fn flash_borrow(
    reserve: &Address,
    market: &Address,
    liquidity_vault: &Address,
    destination: &Address,
    amount: u64,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*reserve, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new(*liquidity_vault, false),
            AccountMeta::new(*destination, false),
            AccountMeta::new_readonly(pda::find_market_authority(market).0, false),
            AccountMeta::new_readonly(INSTRUCTIONS_SYSVAR_ID, false),
            AccountMeta::new_readonly(TOKEN_PROGRAM_ID, false),
        ],
        data: encode(BallastInstruction::FlashBorrow, &FlashBorrowArgs { amount: Le64::new(amount) }),
    }
}

/// `FlashRepay`: repays the `FlashBorrow` of `amount` at top-level index `borrow_instruction_index`, taking
/// amount + fee from `source`, signed by `authority` (its owner or delegate).
pub fn flash_repay(
    reserve: &Address,
    market: &Address,
    liquidity_vault: &Address,
    source: &Address,
    authority: &Address,
    amount: u64,
    borrow_instruction_index: u8,
) -> Instruction {
    Instruction {
        program_id: crate::ID,
        accounts: std::vec![
            AccountMeta::new(*reserve, false),
            AccountMeta::new_readonly(*market, false),
            AccountMeta::new(*liquidity_vault, false),
            AccountMeta::new(*source, false),
            AccountMeta::new_readonly(*authority, true),
            AccountMeta::new_readonly(INSTRUCTIONS_SYSVAR_ID, false),
            AccountMeta::new_readonly(TOKEN_PROGRAM_ID, false),
        ],
        data: encode(
            BallastInstruction::FlashRepay,
            &FlashRepayArgs { amount: Le64::new(amount), borrow_instruction_index },
        ),
    }
}

/// What `FlashRepay` takes from the source for a loan of `amount` at `fee_bps`: amount + fee, the fee rounded
/// up. `None` when flash loans are off (`fee_bps` above 10,000, including the disabled sentinel) or on
/// overflow.
pub fn flash_repay_total(amount: u64, fee_bps: u16) -> Option<u64> {
    flash_loan_fee(amount, fee_bps).ok().and_then(|fee| amount.checked_add(fee))
}

/// The addresses of a reserve that the leverage flows use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeverageReserve {
    pub reserve: Address,
    pub liquidity_vault: Address,
    pub collateral_mint: Address,
    /// The reserve's Pyth `PriceUpdateV2` account; borrowing needs a fully checked price.
    pub price_update: Address,
}

/// One borrower, one obligation, a collateral reserve and a debt reserve, and the borrower's token accounts.
/// The flows handle an obligation whose positions are only in these two reserves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeveragePosition {
    pub market: Address,
    /// Signs the transaction: owns the obligation and every token account below.
    pub owner: Address,
    pub obligation: Address,
    pub collateral: LeverageReserve,
    pub debt: LeverageReserve,
    /// The owner's token account of the debt asset: receives the flash loan and the borrow, pays them back.
    pub owner_debt_liquidity: Address,
    /// The owner's token account of the collateral asset.
    pub owner_collateral_liquidity: Address,
    /// The owner's account of the collateral reserve's cToken.
    pub owner_collateral_ctokens: Address,
}

/// Opening (or adding to) a leveraged position: the amounts of each step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenLeverageAmounts {
    /// Debt asset flash-borrowed and swapped into the collateral asset.
    pub flash_amount: u64,
    /// Collateral-asset liquidity deposited into the collateral reserve (the owner's equity plus the swap's
    /// output).
    pub deposit_liquidity: u64,
    /// cTokens moved into the obligation: what `deposit_liquidity` mints at the reserve's exchange rate.
    pub deposit_ctokens: u64,
    /// Debt asset borrowed against the new collateral: at least [`flash_repay_total`] of `flash_amount`, so that
    /// the flash loan can be repaid from it.
    pub borrow_amount: u64,
    /// Whether the obligation already has a borrow from the debt reserve (it must be listed when the
    /// obligation is refreshed).
    pub debt_already_borrowed: bool,
}

/// Closing a leveraged position: the amounts of each step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CloseLeverageAmounts {
    /// Debt asset flash-borrowed to repay the whole debt: at least the debt after this slot's interest.
    pub flash_amount: u64,
    /// cTokens withdrawn from the obligation and redeemed for collateral-asset liquidity.
    pub withdraw_ctokens: u64,
}

/// Opening a leveraged position in one transaction: flash-borrow the debt asset, swap it into the collateral
/// asset, deposit it, borrow the debt asset against it, repay the flash loan. At 2x the owner's equity in the
/// collateral asset equals the swap's output.
///
/// `swap` is the caller's exchange instruction that turns `flash_amount` of the debt asset in
/// `owner_debt_liquidity` into the collateral asset in `owner_collateral_liquidity`. `first_index` is the
/// top-level index of the first returned instruction in the transaction (0 when nothing comes before them),
/// which the flash repayment points back from.
///
/// Instructions: RefreshReserve (debt), RefreshReserve (collateral), FlashBorrow, `swap`, DepositLiquidity,
/// DepositCollateral, RefreshObligation, Borrow, FlashRepay.
pub fn open_leveraged_position(
    position: &LeveragePosition,
    amounts: &OpenLeverageAmounts,
    swap: Instruction,
    first_index: u8,
) -> Vec<Instruction> {
    let p = position;
    let borrow_index = first_index.saturating_add(2);
    let borrows: &[Address] = if amounts.debt_already_borrowed { &[p.debt.reserve] } else { &[] };
    std::vec![
        refresh_reserve(&p.debt),
        refresh_reserve(&p.collateral),
        flash_borrow(
            &p.debt.reserve,
            &p.market,
            &p.debt.liquidity_vault,
            &p.owner_debt_liquidity,
            amounts.flash_amount
        ),
        swap,
        deposit_liquidity(p, amounts.deposit_liquidity),
        deposit_collateral(p, amounts.deposit_ctokens),
        refresh_obligation(p, &[p.collateral.reserve], borrows),
        borrow(p, amounts.borrow_amount),
        flash_repay(
            &p.debt.reserve,
            &p.market,
            &p.debt.liquidity_vault,
            &p.owner_debt_liquidity,
            &p.owner,
            amounts.flash_amount,
            borrow_index,
        ),
    ]
}

/// Closing a leveraged position in one transaction: flash-borrow the debt asset, repay the whole debt,
/// withdraw and redeem the collateral, swap enough of it back into the debt asset, repay the flash loan. What
/// is left (collateral asset and any debt asset beyond the flash repayment) is the owner's equity and stays in
/// the owner's accounts.
///
/// `swap` is the caller's exchange instruction that turns collateral asset in `owner_collateral_liquidity` into
/// at least [`flash_repay_total`] of `flash_amount`, less what `flash_amount` left over after the repayment, in
/// `owner_debt_liquidity`. `first_index` is as in [`open_leveraged_position`].
///
/// Instructions: RefreshReserve (debt), RefreshReserve (collateral), FlashBorrow, Repay (whole debt),
/// WithdrawCollateral, RedeemCollateral, `swap`, FlashRepay. With no debt left the withdrawal needs no
/// obligation refresh.
pub fn close_leveraged_position(
    position: &LeveragePosition,
    amounts: &CloseLeverageAmounts,
    swap: Instruction,
    first_index: u8,
) -> Vec<Instruction> {
    let p = position;
    let borrow_index = first_index.saturating_add(2);
    std::vec![
        refresh_reserve(&p.debt),
        refresh_reserve(&p.collateral),
        flash_borrow(
            &p.debt.reserve,
            &p.market,
            &p.debt.liquidity_vault,
            &p.owner_debt_liquidity,
            amounts.flash_amount
        ),
        repay(p, u64::MAX),
        withdraw_collateral(p, amounts.withdraw_ctokens),
        redeem_collateral(p, amounts.withdraw_ctokens),
        swap,
        flash_repay(
            &p.debt.reserve,
            &p.market,
            &p.debt.liquidity_vault,
            &p.owner_debt_liquidity,
            &p.owner,
            amounts.flash_amount,
            borrow_index,
        ),
    ]
}

// The flows compose the same builders integrators call one by one.

fn refresh_reserve(reserve: &LeverageReserve) -> Instruction {
    super::refresh_reserve(&reserve.reserve, Some(&reserve.price_update))
}

fn refresh_obligation(p: &LeveragePosition, deposits: &[Address], borrows: &[Address]) -> Instruction {
    super::refresh_obligation(&p.obligation, &p.market, deposits, borrows)
}

fn deposit_liquidity(p: &LeveragePosition, amount: u64) -> Instruction {
    super::deposit_liquidity(
        &p.collateral.reserve,
        &p.market,
        &p.owner,
        &p.owner_collateral_liquidity,
        &p.owner_collateral_ctokens,
        amount,
    )
}

fn redeem_collateral(p: &LeveragePosition, ctokens: u64) -> Instruction {
    super::redeem_collateral(
        &p.collateral.reserve,
        &p.market,
        &p.owner,
        &p.owner_collateral_liquidity,
        &p.owner_collateral_ctokens,
        ctokens,
    )
}

fn deposit_collateral(p: &LeveragePosition, ctokens: u64) -> Instruction {
    super::deposit_collateral(
        &p.obligation,
        &p.collateral.reserve,
        &p.market,
        &p.owner,
        &p.owner_collateral_ctokens,
        ctokens,
    )
}

fn withdraw_collateral(p: &LeveragePosition, ctokens: u64) -> Instruction {
    super::withdraw_collateral(
        &super::WithdrawCollateralAccounts {
            obligation: p.obligation,
            reserve: p.collateral.reserve,
            market: p.market,
            owner: p.owner,
            destination: p.owner_collateral_ctokens,
            collateral_mint: p.collateral.collateral_mint,
        },
        ctokens,
    )
}

fn borrow(p: &LeveragePosition, amount: u64) -> Instruction {
    super::borrow(
        &super::BorrowAccounts {
            obligation: p.obligation,
            reserve: p.debt.reserve,
            market: p.market,
            owner: p.owner,
            liquidity_vault: p.debt.liquidity_vault,
            destination: p.owner_debt_liquidity,
        },
        amount,
    )
}

fn repay(p: &LeveragePosition, amount: u64) -> Instruction {
    super::repay(&p.obligation, &p.debt.reserve, &p.market, &p.owner, &p.owner_debt_liquidity, amount)
}
