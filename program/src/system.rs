//! Creating the program's own accounts and the PDAs it hands to the token program.

use {
    pinocchio::{cpi::Signer, AccountView, Address, ProgramResult},
    pinocchio_system::instructions::{Allocate, Assign, CreateAccount, Transfer},
};

/// The account to create: its size, the lamports it must hold (its rent-exempt minimum) and its owner.
pub struct NewAccount<'a> {
    pub space: u64,
    pub lamports: u64,
    pub owner: &'a Address,
}

/// Creates `account` at a program-derived address, paid by `payer` and signed by the address's own seeds.
///
/// An address that already holds lamports (anyone can send lamports to a PDA before it exists) cannot be
/// created with `CreateAccount`; it is topped up, allocated and assigned instead, so a prefunded address
/// cannot block the instruction. (`pinocchio_system::create_account_with_minimum_balance_signed` does the
/// same, but takes more arguments than BPF passes in registers, so each caller would inline its own copy.)
#[inline(never)]
pub fn create_pda(
    payer: &AccountView,
    account: &AccountView,
    new: &NewAccount,
    signer: &Signer,
) -> ProgramResult {
    let signers = core::slice::from_ref(signer);
    let (space, owner) = (new.space, new.owner);
    let current = account.lamports();
    if current == 0 {
        return CreateAccount { from: payer, to: account, lamports: new.lamports, space, owner }
            .invoke_signed(signers);
    }
    let top_up = new.lamports.saturating_sub(current);
    if top_up > 0 {
        Transfer { from: payer, to: account, lamports: top_up }.invoke()?;
    }
    Allocate { account, space }.invoke_signed(signers)?;
    Assign { account, owner }.invoke_signed(signers)
}
