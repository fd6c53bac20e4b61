//! FlashBorrow: lends `amount` out of a reserve's liquidity vault for the rest of the transaction. A later
//! top-level `FlashRepay` of this program must bring it back with the reserve's flash-loan fee; this
//! instruction reads the whole transaction through the instructions sysvar and refuses to lend unless that
//! repayment is there.
//!
//! Rules, each with its own error:
//! - only at the top level of the transaction, never by CPI (`FlashLoanCpiNotAllowed`);
//! - the reserve's fee is not [`FLASH_LOANS_DISABLED`] (`FlashLoansDisabled`), is at most 10,000 bps
//!   (`InvalidFlashLoanFee`) and charges `amount` without overflow; the market is not in
//!   emergency mode (`EmergencyMode`: a flash loan is a user operation like any other);
//! - the reserve was refreshed in this slot (`ReserveStale`): while the loan is out its amount counts as
//!   borrowed (see `ballast_interface::logic::flash`), and a fresh reserve guarantees that no slot, and so no
//!   interest, passes on it;
//! - `amount` is at most the available liquidity (`InsufficientLiquidity`);
//! - among the later top-level instructions of this program there is exactly one `FlashRepay` whose
//!   `borrow_instruction_index` is this instruction's index (`FlashRepayMissing`, `MultipleFlashRepays`), it
//!   names the same reserve and the same amount (`FlashRepayMismatch`), and no other `FlashBorrow` comes
//!   before it (`MultipleFlashBorrows`).
//!
//! Accounts:
//! 0. `[w]` reserve.
//! 1. `[]` market: the reserve's market.
//! 2. `[w]` liquidity vault: the reserve's.
//! 3. `[w]` destination: a token account of the liquidity mint.
//! 4. `[]` market authority: the market's authority PDA, which owns the vault.
//! 5. `[]` instructions sysvar.
//! 6. `[]` token program: SPL Token.
//!
//! Data: [`FlashBorrowArgs`].

use {
    crate::{
        introspection::{first_account, instructions, require_top_level},
        state::{clock, load, load_mut, require_fresh_reserve, require_market},
        token::{
            market_authority_seeds, require_token_account_mint, require_token_program, transfer_from_vault,
        },
        validation::{require_distinct, require_writable, require_writable_vault},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, BallastInstruction, FlashBorrowArgs, FlashRepayArgs},
        logic,
        state::{Market, Reserve, FLASH_LOANS_DISABLED},
    },
    pinocchio::{
        account::Ref, cpi::Signer, sysvars::instructions::Instructions, AccountView, Address, ProgramResult,
    },
    solana_address::address_eq,
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [reserve, market, vault, destination, market_authority, instructions_sysvar, token_program, ..] =
        accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments.
    let amount = parse_args::<FlashBorrowArgs>(data)?.amount.get();
    if amount == 0 {
        return Err(BallastError::ZeroAmount.into());
    }

    // 2. Caller: a top-level instruction of this program.
    let transaction = instructions(instructions_sysvar)?;
    let current = require_top_level(&transaction, program_id)?;

    // 3. Market.
    let market_state = load::<Market>(market, program_id)?;
    if market_state.emergency_mode.is_on() {
        return Err(BallastError::EmergencyMode.into());
    }

    // 4. Reserve: of this market, flash loans on, fresh, enough liquidity.
    let reserve_address = *reserve.address();
    let mut reserve_state = load_mut::<Reserve>(reserve, program_id)?;
    require_market(&reserve_state.market, market)?;
    let fee_bps = reserve_state.config.flash_loan_fee_bps.get();
    if fee_bps == FLASH_LOANS_DISABLED {
        return Err(BallastError::FlashLoansDisabled.into());
    }
    // The repayment must be computable: refuse here, not in FlashRepay, a fee it could not charge.
    logic::flash::flash_loan_fee(amount, fee_bps)?;
    require_fresh_reserve(&reserve_state, clock()?.slot)?;

    // 5. Token accounts: the reserve's vault, a distinct destination of the liquidity mint, the market
    //    authority, SPL Token.
    require_writable_vault(vault, &reserve_state.liquidity_vault)?;
    require_writable(destination)?;
    require_distinct(vault, destination)?;
    require_token_account_mint(destination, &reserve_state.liquidity_mint)?;
    if !address_eq(market_authority.address(), &market_state.authority) {
        return Err(BallastError::InvalidPda.into());
    }
    require_token_program(token_program)?;

    // 6. The repayment later in the transaction.
    require_matching_repay(&transaction, current, program_id, &reserve_address, amount)?;

    let bump = [market_state.authority_bump];
    let market_address = *market.address();
    drop(market_state);
    drop(transaction);

    // 7. Reserve state: `flash_borrow` checks the amount against the available liquidity and computes every
    //    field before it writes any.
    logic::flash::flash_borrow(&mut reserve_state, amount)?;
    drop(reserve_state);

    let seeds = market_authority_seeds(&market_address, &bump);
    transfer_from_vault(vault, destination, market_authority, amount, &Signer::from(&seeds))
}

/// Scans the top-level instructions after `current` for the `FlashRepay` of this loan.
fn require_matching_repay(
    transaction: &Instructions<Ref<'_, [u8]>>,
    current: usize,
    program_id: &Address,
    reserve: &Address,
    amount: u64,
) -> Result<(), BallastError> {
    let mut repaid = false;
    for index in current.saturating_add(1)..transaction.num_instructions() {
        let instruction =
            transaction.load_instruction_at(index).map_err(|_| BallastError::InvalidInstructionsSysvar)?;
        if instruction.get_program_id() != program_id {
            continue;
        }
        let Some((&discriminator, args)) = instruction.get_instruction_data().split_first() else {
            continue;
        };
        if discriminator == BallastInstruction::FlashBorrow as u8 && !repaid {
            return Err(BallastError::MultipleFlashBorrows);
        }
        if discriminator != BallastInstruction::FlashRepay as u8 {
            continue;
        }
        // Malformed data cannot repay anything: that instruction fails on its own and the transaction with it.
        let Ok(repay) = parse_args::<FlashRepayArgs>(args) else {
            continue;
        };
        if usize::from(repay.borrow_instruction_index) != current {
            continue;
        }
        if repaid {
            return Err(BallastError::MultipleFlashRepays);
        }
        if first_account(&instruction) != Some(reserve) || repay.amount.get() != amount {
            return Err(BallastError::FlashRepayMismatch);
        }
        repaid = true;
    }
    if repaid {
        Ok(())
    } else {
        Err(BallastError::FlashRepayMissing)
    }
}
