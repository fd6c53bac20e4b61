//! DepositCollateral: a borrower moves cTokens from a wallet into an obligation as collateral.
//!
//! The cTokens are burned from the user's account and recorded on the obligation, so the reserve's
//! `collateral_supply` (mint supply + cTokens held in obligations) does not change and the reserve is only
//! read. No exchange rate or price is used, so the reserve need not be fresh. The obligation is marked stale:
//! the next health check needs a RefreshObligation. Refused in emergency mode.
//!
//! Accounts:
//! 0. `[w]` obligation: of this market, owned by the signer.
//! 1. `[]` reserve: of this market.
//! 2. `[]` market.
//! 3. `[s]` obligation owner: also the owner of the user collateral token account.
//! 4. `[w]` user collateral token account: the cTokens are burned from it.
//! 5. `[w]` collateral mint: the reserve's cToken mint.
//! 6. `[]` token program: SPL Token.
//!
//! Data: [`AmountArgs`] (`amount: u64`, cTokens, non-zero).

use {
    crate::{
        state::{load, load_mut, require_market},
        token::{self, require_token_account_mint, require_token_program},
        validation::{require_signer, require_writable, require_writable_vault},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, AmountArgs},
        logic::reserve::deposit_collateral,
        state::{Market, Obligation, Reserve},
    },
    pinocchio::{AccountView, ProgramResult},
    solana_address::address_eq,
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [obligation, reserve, market, owner, user_collateral, collateral_mint, token_program, ..] = accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: a non-zero cToken amount.
    let ctokens = parse_args::<AmountArgs>(data)?.amount.get();
    if ctokens == 0 {
        return Err(BallastError::ZeroAmount.into());
    }

    // 2. Signers: the obligation owner.
    require_signer(owner)?;

    // 3. Market: program-owned, not in emergency mode.
    {
        let market_state = load::<Market>(market, program_id)?;
        if market_state.emergency_mode.get().ok_or(BallastError::CorruptedAccountFlag)? {
            return Err(BallastError::EmergencyMode.into());
        }
    }

    // 4. Reserve: of this market; only its cToken mint address is used.
    let (reserve_address, ctoken_mint) = {
        let reserve_state = load::<Reserve>(reserve, program_id)?;
        require_market(&reserve_state.market, market)?;
        (*reserve.address(), reserve_state.collateral_mint)
    };

    // 5. Obligation: writable, of this market, owned by the signer.
    let mut obligation_state = load_mut::<Obligation>(obligation, program_id)?;
    require_market(&obligation_state.market, market)?;
    if !address_eq(&obligation_state.owner, owner.address()) {
        return Err(BallastError::InvalidAuthority.into());
    }

    // 6. Token program.
    require_token_program(token_program)?;

    // 7. cToken mint: the reserve's, writable.
    require_writable_vault(collateral_mint, &ctoken_mint)?;

    // 8. User collateral token account: writable, holding the reserve's cTokens.
    require_writable(user_collateral)?;
    require_token_account_mint(user_collateral, &ctoken_mint)?;

    // 9. The deposit: a free slot when the obligation has none in this reserve yet.
    deposit_collateral(&mut obligation_state, &reserve_address, ctokens)?;
    drop(obligation_state);

    token::burn(user_collateral, collateral_mint, owner, ctokens)
}
