//! SPL Token access: reading token accounts and mints the program does not own, and the CPIs it makes.
//!
//! Only the original SPL Token program is accepted: Token-2022 extensions (transfer fees, hooks, confidential
//! balances) would break the exact vault accounting every reserve relies on.

use {
    crate::validation::is_owned_by,
    ballast_interface::{error::BallastError, pda::MARKET_AUTHORITY},
    pinocchio::{
        cpi::{Seed, Signer},
        AccountView, Address, ProgramResult,
    },
    pinocchio_token::instructions::{Burn, MintTo, Transfer},
    solana_address::address_eq,
};

/// The SPL Token program, and only it. The CPI builders invoke this id; [`require_token_program`] checks that
/// the account passed for it is this program.
pub struct SplToken;

impl SplToken {
    pub const ID: Address = pinocchio_token::ID;
}

/// Length of an SPL token account.
pub const TOKEN_ACCOUNT_LEN: usize = 165;
/// Length of an SPL mint.
pub const MINT_LEN: usize = 82;
/// Offset of `state` in a token account: 0 uninitialized, 1 initialized, 2 frozen.
const TOKEN_ACCOUNT_STATE_OFFSET: usize = 108;
/// Offsets of `mint`, `owner` and `amount` in a token account.
const TOKEN_ACCOUNT_MINT_OFFSET: usize = 0;
const TOKEN_ACCOUNT_OWNER_OFFSET: usize = 32;
const TOKEN_ACCOUNT_AMOUNT_OFFSET: usize = 64;
const TOKEN_ACCOUNT_AMOUNT_END: usize = 72;

pub fn require_token_program(account: &AccountView) -> Result<(), BallastError> {
    if address_eq(account.address(), &SplToken::ID) {
        Ok(())
    } else {
        Err(BallastError::InvalidTokenProgram)
    }
}

/// Reads an initialized SPL token account, checks that it holds `mint`, and returns its amount.
#[inline(never)]
pub fn read_token_account(account: &AccountView, mint: &Address) -> Result<u64, BallastError> {
    if !is_owned_by(account, &SplToken::ID) {
        return Err(BallastError::InvalidTokenAccountOwner);
    }
    let data = account.try_borrow().map_err(|_| BallastError::InvalidTokenAccountOwner)?;
    if data.len() != TOKEN_ACCOUNT_LEN || data[TOKEN_ACCOUNT_STATE_OFFSET] == 0 {
        return Err(BallastError::InvalidTokenAccountOwner);
    }
    // The length was just checked: both reads are in bounds. Compared in place, nothing is copied out.
    let held_mint: &Address =
        bytemuck::from_bytes(&data[TOKEN_ACCOUNT_MINT_OFFSET..TOKEN_ACCOUNT_OWNER_OFFSET]);
    if !address_eq(held_mint, mint) {
        return Err(BallastError::InvalidTokenAccountMint);
    }
    let amount: &[u8; 8] = bytemuck::from_bytes(&data[TOKEN_ACCOUNT_AMOUNT_OFFSET..TOKEN_ACCOUNT_AMOUNT_END]);
    Ok(u64::from_le_bytes(*amount))
}

/// Checks that a token account holds `mint`.
#[inline(always)]
pub fn require_token_account_mint(account: &AccountView, mint: &Address) -> Result<(), BallastError> {
    read_token_account(account, mint).map(|_| ())
}

/// The signer seeds of the market authority PDA.
#[inline(always)]
pub fn market_authority_seeds<'a>(market: &'a Address, bump: &'a [u8; 1]) -> [Seed<'a>; 3] {
    [Seed::from(MARKET_AUTHORITY), Seed::from(market.as_ref()), Seed::from(bump)]
}

/// Moves `amount` from a user's account, signed by the user.
#[inline(always)]
pub fn transfer(from: &AccountView, to: &AccountView, authority: &AccountView, amount: u64) -> ProgramResult {
    invoke_transfer(&Transfer::new(from, to, authority, amount), &[])
}

/// Moves `amount` out of a vault, signed by the market authority.
#[inline(always)]
pub fn transfer_from_vault(
    vault: &AccountView,
    to: &AccountView,
    market_authority: &AccountView,
    amount: u64,
    signer: &Signer,
) -> ProgramResult {
    invoke_transfer(&Transfer::new(vault, to, market_authority, amount), core::slice::from_ref(signer))
}

/// Mints cTokens, signed by the market authority.
#[inline(always)]
pub fn mint_collateral(
    mint: &AccountView,
    to: &AccountView,
    market_authority: &AccountView,
    amount: u64,
    signer: &Signer,
) -> ProgramResult {
    invoke_mint_to(&MintTo::new(mint, to, market_authority, amount), signer)
}

/// Burns a user's tokens, signed by the user.
#[inline(always)]
pub fn burn(
    account: &AccountView,
    mint: &AccountView,
    authority: &AccountView,
    amount: u64,
) -> ProgramResult {
    invoke_burn(&Burn::new(account, mint, authority, amount))
}

// One out-of-line copy of each CPI: the account metas, the instruction data and the syscall are the same
// at every call site, and a call costs a few CU against a CPI's thousand.

#[inline(never)]
fn invoke_transfer(transfer: &Transfer<&AccountView>, signers: &[Signer]) -> ProgramResult {
    transfer.invoke_signed(signers)
}

#[inline(never)]
fn invoke_mint_to(mint_to: &MintTo<&AccountView>, signer: &Signer) -> ProgramResult {
    mint_to.invoke_signed(core::slice::from_ref(signer))
}

#[inline(never)]
fn invoke_burn(burn: &Burn<&AccountView>) -> ProgramResult {
    burn.invoke()
}
