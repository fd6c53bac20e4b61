//! CoverBadDebt: clears one borrow of an obligation that has debt and no collateral left.
//!
//! The reserve's insurance fund pays first: `min(insurance vault balance, ceil(debt))` moves from the
//! insurance vault into the liquidity vault (available += covered). The rest of the debt is socialized: it
//! leaves the reserve's borrowed total without being repaid, so the cToken exchange rate falls and the
//! lenders share the loss. The borrow is removed from the obligation, which becomes stale. Anyone may call
//! it; both amounts are logged as `["cover_bad_debt", obligation, reserve, covered (u64 LE), socialized
//! (raw Fraction, u128 LE)]`.
//!
//! Accounts:
//! 0. `[w]` obligation: no deposits, a borrow from the reserve.
//! 1. `[]` market
//! 2. `[w]` reserve: the borrow's reserve, refreshed in this slot.
//! 3. `[w]` the reserve's insurance vault
//! 4. `[w]` the reserve's liquidity vault
//! 5. `[]` market authority
//! 6. `[]` token program (SPL Token)
//!
//! Data: none.

use {
    crate::{
        log::log_data,
        state::{clock, load, load_mut, require_fresh_reserve, require_market},
        token::{market_authority_seeds, read_token_account, require_token_program, transfer_from_vault},
        validation::require_writable,
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, NoArgs},
        logic::liquidation::{
            apply_cover_bad_debt_obligation, apply_cover_bad_debt_reserve, plan_cover_bad_debt,
        },
        state::{Market, Obligation, Reserve},
    },
    pinocchio::{cpi::Signer, AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [obligation_account, market_account, reserve_account, insurance_vault, liquidity_vault, market_authority, token_program, ..] =
        accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: none.
    parse_args::<NoArgs>(data)?;

    // 2. Market.
    let slot = clock()?.slot;
    let market = load::<Market>(market_account, program_id)?;

    // 3. Obligation: of this market.
    let obligation_address = *obligation_account.address();
    let mut obligation = load_mut::<Obligation>(obligation_account, program_id)?;
    if obligation.market != *market_account.address() {
        return Err(BallastError::MarketMismatch.into());
    }

    // 4. Reserve: of this market, refreshed in this slot (its index brings the debt up to date).
    let reserve_address = *reserve_account.address();
    let mut reserve = load_mut::<Reserve>(reserve_account, program_id)?;
    require_market(&reserve.market, market_account)?;
    require_fresh_reserve(&reserve, slot)?;

    // 5. Token accounts: the SPL Token program, the market authority, the reserve's own vaults.
    require_token_program(token_program)?;
    if market_authority.address() != &market.authority {
        return Err(BallastError::InvalidPda.into());
    }
    if insurance_vault.address() != &reserve.insurance_vault
        || liquidity_vault.address() != &reserve.liquidity_vault
    {
        return Err(BallastError::InvalidVault.into());
    }
    // Both vaults move tokens: refused here with its own error rather than by the runtime.
    require_writable(insurance_vault)?;
    require_writable(liquidity_vault)?;
    let insurance_balance = read_token_account(insurance_vault, &reserve.liquidity_mint)?;

    // 6. The bad debt: no collateral, a borrow from this reserve; what the insurance fund covers.
    let plan = plan_cover_bad_debt(&obligation, &reserve_address, &reserve, insurance_balance)?;

    // State writes.
    apply_cover_bad_debt_reserve(&mut reserve, &plan);
    apply_cover_bad_debt_obligation(&mut obligation, &plan, reserve.config.borrow_factor_bps.get());
    let bump = [market.authority_bump];
    let market_address = *market_account.address();
    drop(reserve);
    drop(obligation);
    drop(market);

    // Token transfer: the insurance fund's share into the liquidity vault.
    if plan.covered > 0 {
        let seeds = market_authority_seeds(&market_address, &bump);
        let signer = Signer::from(&seeds);
        transfer_from_vault(insurance_vault, liquidity_vault, market_authority, plan.covered, &signer)?;
    }
    log_data(&[
        b"cover_bad_debt",
        obligation_address.as_ref(),
        reserve_address.as_ref(),
        &plan.covered.to_le_bytes(),
        &plan.socialized.raw().to_le_bytes(),
    ]);
    Ok(())
}
