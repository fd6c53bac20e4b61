//! FlashRepay: brings back a flash loan with its fee. The amount returns to the reserve's available liquidity
//! and leaves its borrowed total; the fee, `ceil(amount × flash_loan_fee_bps / 10000)`, is added to the
//! available liquidity and to the protocol's fees, to be split with the insurance fund by `CollectFees`.
//!
//! Rules, each with its own error:
//! - only at the top level of the transaction, never by CPI (`FlashLoanCpiNotAllowed`);
//! - `borrow_instruction_index` names an earlier top-level instruction that is this program's `FlashBorrow`
//!   (`FlashBorrowNotFound`) of the same reserve and the same amount (`FlashBorrowMismatch`). That
//!   `FlashBorrow` ran (the transaction is atomic) and checked that this is its only repayment;
//! - the reserve's fee is not [`FLASH_LOANS_DISABLED`] (`FlashLoansDisabled`): a configuration changed between
//!   the two instructions fails the whole transaction rather than repaying at an undefined fee.
//!
//! Repaying works in emergency mode and needs no fresh reserve: it only brings liquidity back.
//!
//! Accounts:
//! 0. `[w]` reserve.
//! 1. `[]` market: the reserve's market.
//! 2. `[w]` liquidity vault: the reserve's.
//! 3. `[w]` source: a token account of the liquidity mint holding amount + fee.
//! 4. `[s]` user transfer authority: owner or delegate of the source.
//! 5. `[]` instructions sysvar.
//! 6. `[]` token program: SPL Token.
//!
//! Data: [`FlashRepayArgs`].

use {
    crate::{
        introspection::{first_account, instructions, require_top_level},
        state::{load, load_mut, require_market},
        token::{require_token_account_mint, require_token_program, transfer},
        validation::{require_distinct, require_signer, require_writable, require_writable_vault},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, BallastInstruction, FlashBorrowArgs, FlashRepayArgs},
        logic,
        state::{Market, Reserve, FLASH_LOANS_DISABLED},
    },
    pinocchio::{account::Ref, sysvars::instructions::Instructions, AccountView, Address, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [reserve, market, vault, source, authority, instructions_sysvar, token_program, ..] = accounts else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments.
    let args = parse_args::<FlashRepayArgs>(data)?;
    let amount = args.amount.get();
    if amount == 0 {
        return Err(BallastError::ZeroAmount.into());
    }

    // 2. Signers: the source's transfer authority.
    require_signer(authority)?;

    // 3. Caller: a top-level instruction of this program.
    let transaction = instructions(instructions_sysvar)?;
    let current = require_top_level(&transaction, program_id)?;

    // 4. The loan: an earlier FlashBorrow of this program, same reserve, same amount.
    require_matching_borrow(
        &transaction,
        current,
        usize::from(args.borrow_instruction_index),
        program_id,
        reserve.address(),
        amount,
    )?;
    drop(transaction);

    // 5. Market and reserve.
    let market_state = load::<Market>(market, program_id)?;
    let mut reserve_state = load_mut::<Reserve>(reserve, program_id)?;
    require_market(&reserve_state.market, market)?;
    let fee_bps = reserve_state.config.flash_loan_fee_bps.get();
    if fee_bps == FLASH_LOANS_DISABLED {
        return Err(BallastError::FlashLoansDisabled.into());
    }
    drop(market_state);

    // 6. Token accounts: the reserve's vault, a distinct source of the liquidity mint, SPL Token.
    require_writable_vault(vault, &reserve_state.liquidity_vault)?;
    require_writable(source)?;
    require_distinct(vault, source)?;
    require_token_account_mint(source, &reserve_state.liquidity_mint)?;
    require_token_program(token_program)?;

    // 7. Fee, then the reserve state: `flash_repay` computes every field before it writes any.
    let fee = logic::flash::flash_loan_fee(amount, fee_bps)?;
    let total = amount.checked_add(fee).ok_or(BallastError::MathOverflow)?;
    logic::flash::flash_repay(&mut reserve_state, amount, fee)?;
    drop(reserve_state);

    transfer(source, vault, authority, total)
}

/// Checks that the top-level instruction at `borrow_index` is this program's `FlashBorrow` of `amount` from
/// `reserve`, and that it comes before the current one.
fn require_matching_borrow(
    transaction: &Instructions<Ref<'_, [u8]>>,
    current: usize,
    borrow_index: usize,
    program_id: &Address,
    reserve: &Address,
    amount: u64,
) -> Result<(), BallastError> {
    if borrow_index >= current {
        return Err(BallastError::FlashBorrowNotFound);
    }
    let instruction =
        transaction.load_instruction_at(borrow_index).map_err(|_| BallastError::InvalidInstructionsSysvar)?;
    if instruction.get_program_id() != program_id {
        return Err(BallastError::FlashBorrowNotFound);
    }
    let Some((&discriminator, args)) = instruction.get_instruction_data().split_first() else {
        return Err(BallastError::FlashBorrowNotFound);
    };
    if discriminator != BallastInstruction::FlashBorrow as u8 {
        return Err(BallastError::FlashBorrowNotFound);
    }
    // A FlashBorrow with malformed data never ran successfully, so it lent nothing.
    let borrow = parse_args::<FlashBorrowArgs>(args).map_err(|_| BallastError::FlashBorrowNotFound)?;
    if first_account(&instruction) != Some(reserve) || borrow.amount.get() != amount {
        return Err(BallastError::FlashBorrowMismatch);
    }
    Ok(())
}
