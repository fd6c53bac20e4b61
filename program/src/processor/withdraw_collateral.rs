//! WithdrawCollateral: takes cTokens out of an obligation's collateral and mints them back to the owner.
//!
//! Accounts:
//! 0. `[w]` obligation.
//! 1. `[]` reserve: the deposit's reserve. Read only: the cTokens return to a wallet and stay counted in
//!    `collateral_supply`, so the reserve does not change.
//! 2. `[]` market.
//! 3. `[s]` obligation owner.
//! 4. `[w]` destination: a token account of the reserve's cToken mint, receives the cTokens.
//! 5. `[w]` collateral mint: the reserve's cToken mint.
//! 6. `[]` market authority: the market's PDA, the mint authority.
//! 7. `[]` token program: SPL Token.
//!
//! Data: [`AmountArgs`], the cToken amount.
//!
//! With debt, the obligation and the reserve must be fresh with fully checked prices and the remaining
//! collateral must still cover the debt; without debt no refresh is needed. The obligation becomes stale.

use {
    crate::{
        state,
        token::{self, require_token_account_mint, require_token_program},
        validation::{require_signer, require_writable, require_writable_vault},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, AmountArgs},
        logic::obligation,
        state::{Market, Obligation, Reserve},
    },
    pinocchio::{cpi::Signer, AccountView, ProgramResult},
    solana_address::address_eq,
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [obligation_account, reserve_account, market_account, owner, destination, collateral_mint, market_authority, token_program, ..] =
        accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: a non-zero amount.
    let amount = parse_args::<AmountArgs>(data)?.amount.get();
    if amount == 0 {
        return Err(BallastError::ZeroAmount.into());
    }
    let slot = state::clock()?.slot;

    // 2. Signers: the obligation owner.
    require_signer(owner)?;

    // 3. Market: the program's, not in emergency mode.
    let market = state::load::<Market>(market_account, program_id)?;
    if market.emergency_mode.get().ok_or(BallastError::CorruptedAccountFlag)? {
        return Err(BallastError::EmergencyMode.into());
    }

    // 4. Reserve: the program's, of this market.
    let reserve = state::load::<Reserve>(reserve_account, program_id)?;
    state::require_market(&reserve.market, market_account)?;

    // 5. Obligation: the program's, writable, of this market, owned by the signer.
    let mut obligation = state::load_mut::<Obligation>(obligation_account, program_id)?;
    state::require_market(&obligation.market, market_account)?;
    if !address_eq(&obligation.owner, owner.address()) {
        return Err(BallastError::InvalidAuthority.into());
    }

    // 6. Token accounts: the reserve's cToken mint, a destination of that mint, the market authority, SPL
    //    Token.
    require_writable_vault(collateral_mint, &reserve.collateral_mint)?;
    require_writable(destination)?;
    require_token_account_mint(destination, &reserve.collateral_mint)?;
    if !address_eq(market_authority.address(), &market.authority) {
        return Err(BallastError::InvalidPda.into());
    }
    require_token_program(token_program)?;

    // 7. The withdrawal: deposit, amount, and with debt freshness, prices and health, all checked before it
    //    writes the obligation.
    obligation::withdraw_collateral(&mut obligation, &reserve, reserve_account.address(), amount, slot)?;
    drop(obligation);
    drop(reserve);

    // 8. Mint the cTokens back, signed by the market authority.
    let bump = [market.authority_bump];
    let seeds = token::market_authority_seeds(market_account.address(), &bump);
    let signer = Signer::from(&seeds);
    token::mint_collateral(collateral_mint, destination, market_authority, amount, &signer)
}
