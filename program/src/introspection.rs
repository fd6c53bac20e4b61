//! Reading the transaction through the instructions sysvar, for the flash-loan pair.
//!
//! `FlashBorrow` and `FlashRepay` must run at the top level of the transaction: a program calling them by CPI
//! could borrow and repay inside one instruction of its own, or interleave calls that the instructions sysvar
//! (which lists top-level instructions only) cannot show.

use {
    ballast_interface::error::BallastError,
    pinocchio::{
        account::Ref,
        sysvars::instructions::{Instructions, IntrospectedInstruction, INSTRUCTIONS_ID},
        AccountView, Address,
    },
    solana_address::address_eq,
};

/// Stack height of an instruction invoked by the transaction itself (a CPI runs at 2 or more).
const TRANSACTION_LEVEL_STACK_HEIGHT: u64 = 1;

/// The current invocation's stack height.
#[cfg(any(target_os = "solana", target_arch = "bpf"))]
#[inline(always)]
fn stack_height() -> u64 {
    // SAFETY: the syscall takes no arguments and only returns a number.
    unsafe { pinocchio::syscalls::sol_get_stack_height() }
}

/// Off chain there is no invocation stack: host builds only serve clippy and docs.
#[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
#[inline(always)]
fn stack_height() -> u64 {
    TRANSACTION_LEVEL_STACK_HEIGHT
}

/// The instructions sysvar account's data.
pub fn instructions(account: &AccountView) -> Result<Instructions<Ref<'_, [u8]>>, BallastError> {
    if !address_eq(account.address(), &INSTRUCTIONS_ID) {
        return Err(BallastError::InvalidInstructionsSysvar);
    }
    Instructions::try_from(account).map_err(|_| BallastError::InvalidInstructionsSysvar)
}

/// Requires the running instruction to be a top-level instruction of `program_id`, and returns its index in the
/// transaction. Both checks refuse a CPI: the stack height directly, and the top-level instruction at the
/// current index, which is the caller's instruction when this program runs inside another program's.
pub fn require_top_level(
    instructions: &Instructions<Ref<'_, [u8]>>,
    program_id: &Address,
) -> Result<usize, BallastError> {
    if stack_height() != TRANSACTION_LEVEL_STACK_HEIGHT {
        return Err(BallastError::FlashLoanCpiNotAllowed);
    }
    let current = usize::from(instructions.load_current_index());
    let instruction =
        instructions.load_instruction_at(current).map_err(|_| BallastError::InvalidInstructionsSysvar)?;
    if instruction.get_program_id() != program_id {
        return Err(BallastError::FlashLoanCpiNotAllowed);
    }
    Ok(current)
}

/// The address of an introspected instruction's first account, `None` when it has no account.
#[inline(always)]
pub fn first_account<'a>(instruction: &'a IntrospectedInstruction<'_>) -> Option<&'a Address> {
    instruction.get_instruction_account_at(0).ok().map(|account| &account.key)
}
