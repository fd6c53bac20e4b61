//! RedeemCollateral: a lender burns cTokens and receives liquidity from the reserve's vault.
//!
//! The liquidity paid is the cTokens' worth at the reserve's exchange rate, rounded down: the lender
//! receives it. It must be available in the vault (borrowed liquidity cannot be redeemed). Refused in
//! emergency mode.
//!
//! Accounts:
//! 0. `[w]` reserve: refreshed in this slot.
//! 1. `[]` market: the reserve's market.
//! 2. `[s]` user: owner of both token accounts.
//! 3. `[w]` user liquidity token account: receives the liquidity.
//! 4. `[w]` user collateral token account: the cTokens are burned from it.
//! 5. `[w]` liquidity vault: the reserve's.
//! 6. `[w]` collateral mint: the reserve's cToken mint.
//! 7. `[]` market authority: the market's stored authority PDA; signs the transfer out of the vault.
//! 8. `[]` token program: SPL Token.
//!
//! Data: [`AmountArgs`] (`amount: u64`, cTokens, non-zero).

use {
    super::deposit_liquidity::LenderAccounts,
    crate::{
        token::{self, market_authority_seeds},
        validation::require_signer,
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, AmountArgs},
        logic::reserve::redeem_collateral,
    },
    pinocchio::{cpi::Signer, AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [reserve, market, user, user_liquidity, user_collateral, liquidity_vault, collateral_mint, market_authority, token_program, ..] =
        accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: a non-zero cToken amount.
    let ctokens = parse_args::<AmountArgs>(data)?.amount.get();
    if ctokens == 0 {
        return Err(BallastError::ZeroAmount.into());
    }

    // 2. Signers: the user.
    require_signer(user)?;

    // 3.-8. Market, reserve, token program, vault, cToken mint, market authority, user token accounts.
    let lender = LenderAccounts {
        market,
        user_liquidity,
        user_collateral,
        liquidity_vault,
        collateral_mint,
        market_authority,
        token_program,
    };
    let (mut reserve_state, authority_bump) = lender.check(program_id, reserve)?;

    // 9. Amounts: the exchange and its rounding, and the vault's available liquidity.
    let liquidity = redeem_collateral(&mut reserve_state, ctokens)?;
    drop(reserve_state);

    token::burn(user_collateral, collateral_mint, user, ctokens)?;
    let bump = [authority_bump];
    let seeds = market_authority_seeds(market.address(), &bump);
    token::transfer_from_vault(
        liquidity_vault,
        user_liquidity,
        market_authority,
        liquidity,
        &Signer::from(&seeds),
    )
}
