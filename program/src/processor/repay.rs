//! Repay: anyone repays liquidity to an obligation's borrow from a reserve.
//!
//! The borrow is brought up to the reserve's cumulative borrow index (rounded up: the borrower owes it), the
//! payer pays `min(amount, debt rounded up)` (`u64::MAX` repays the whole debt), and a borrow repaid to 0 is
//! removed. The reserve must be fresh (its index is current); the obligation need not be. Repaying only
//! lowers risk, so it is allowed in emergency mode. The obligation is marked stale.
//!
//! Accounts:
//! 0. `[w]` obligation: of this market, with a borrow from the reserve.
//! 1. `[w]` reserve: of this market, refreshed in this slot.
//! 2. `[]` market.
//! 3. `[s]` payer: any signer; owner of the payer liquidity token account.
//! 4. `[w]` payer liquidity token account: the source, holds the reserve's liquidity mint.
//! 5. `[w]` liquidity vault: the reserve's.
//! 6. `[]` token program: SPL Token.
//!
//! Data: [`AmountArgs`] (`amount: u64`, liquidity tokens, non-zero; `u64::MAX` for the whole debt).

use {
    crate::{
        state::{clock, load, load_mut, require_fresh_reserve, require_market},
        token::{self, require_token_account_mint, require_token_program},
        validation::{require_distinct, require_signer, require_writable, require_writable_vault},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, AmountArgs},
        logic::reserve::repay,
        state::{Market, Obligation, Reserve},
    },
    pinocchio::{AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [obligation, reserve, market, payer, payer_liquidity, liquidity_vault, token_program, ..] = accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: a non-zero liquidity amount.
    let amount = parse_args::<AmountArgs>(data)?.amount.get();
    if amount == 0 {
        return Err(BallastError::ZeroAmount.into());
    }

    // 2. Signers: the payer.
    require_signer(payer)?;

    // 3. Market: program-owned (emergency mode does not stop repayments).
    drop(load::<Market>(market, program_id)?);

    // 4. Reserve: writable, of this market, refreshed in this slot.
    let reserve_address = *reserve.address();
    let mut reserve_state = load_mut::<Reserve>(reserve, program_id)?;
    require_market(&reserve_state.market, market)?;
    require_fresh_reserve(&reserve_state, clock()?.slot)?;

    // 5. Obligation: writable, of this market.
    let mut obligation_state = load_mut::<Obligation>(obligation, program_id)?;
    require_market(&obligation_state.market, market)?;

    // 6. Token program.
    require_token_program(token_program)?;

    // 7. Liquidity vault: the reserve's, writable.
    require_writable_vault(liquidity_vault, &reserve_state.liquidity_vault)?;

    // 8. Payer liquidity token account: writable, not the vault, holding the reserve's liquidity mint.
    require_writable(payer_liquidity)?;
    require_distinct(payer_liquidity, liquidity_vault)?;
    require_token_account_mint(payer_liquidity, &reserve_state.liquidity_mint)?;

    // 9. The repayment: the borrow, its rescaled debt and the amount; checks everything before writing.
    let repayment = repay(&mut reserve_state, &reserve_address, &mut obligation_state, amount)?;
    drop(obligation_state);
    drop(reserve_state);

    if repayment.amount == 0 {
        return Ok(());
    }
    token::transfer(payer_liquidity, liquidity_vault, payer, repayment.amount)
}
