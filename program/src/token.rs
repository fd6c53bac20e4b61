//! SPL Token access: reading token accounts and mints the program does not own, and the CPIs it makes.
//!
//! Only the original SPL Token program is accepted: Token-2022 extensions (transfer fees, hooks, confidential
//! balances) would break the exact vault accounting every reserve relies on.

use {
    ballast_interface::{error::BallastError, pda::MARKET_AUTHORITY},
    pinocchio::{
        cpi::{Seed, Signer},
        AccountView, Address, ProgramResult,
    },
    pinocchio_token::instructions::{Burn, MintTo, Transfer},
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

/// The fields of a token account the program reads.
pub struct TokenAccountInfo {
    pub mint: Address,
    pub owner: Address,
    pub amount: u64,
}

pub fn require_token_program(account: &AccountView) -> Result<(), BallastError> {
    if account.address() == &SplToken::ID {
        Ok(())
    } else {
        Err(BallastError::InvalidTokenProgram)
    }
}

/// Reads an initialized SPL token account and checks that it holds `mint`.
pub fn read_token_account(account: &AccountView, mint: &Address) -> Result<TokenAccountInfo, BallastError> {
    if !account.owned_by(&SplToken::ID) {
        return Err(BallastError::InvalidTokenAccountOwner);
    }
    let data = account.try_borrow().map_err(|_| BallastError::InvalidTokenAccountOwner)?;
    if data.len() != TOKEN_ACCOUNT_LEN || data[TOKEN_ACCOUNT_STATE_OFFSET] == 0 {
        return Err(BallastError::InvalidTokenAccountOwner);
    }
    let mut mint_bytes = [0u8; 32];
    mint_bytes.copy_from_slice(&data[0..32]);
    let mut owner_bytes = [0u8; 32];
    owner_bytes.copy_from_slice(&data[32..64]);
    let mut amount_bytes = [0u8; 8];
    amount_bytes.copy_from_slice(&data[64..72]);
    let info = TokenAccountInfo {
        mint: Address::new_from_array(mint_bytes),
        owner: Address::new_from_array(owner_bytes),
        amount: u64::from_le_bytes(amount_bytes),
    };
    if &info.mint != mint {
        return Err(BallastError::InvalidTokenAccountMint);
    }
    Ok(info)
}

/// Checks that a token account holds `mint` without reading anything else.
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
    Transfer::new(from, to, authority, amount).invoke()
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
    Transfer::new(vault, to, market_authority, amount).invoke_signed(core::slice::from_ref(signer))
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
    MintTo::new(mint, to, market_authority, amount).invoke_signed(core::slice::from_ref(signer))
}

/// Burns a user's tokens, signed by the user.
#[inline(always)]
pub fn burn(
    account: &AccountView,
    mint: &AccountView,
    authority: &AccountView,
    amount: u64,
) -> ProgramResult {
    Burn::new(account, mint, authority, amount).invoke()
}
