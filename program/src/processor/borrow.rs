//! Borrow: lends liquidity from a reserve's vault to an obligation's owner, against the obligation's
//! collateral. A borrow may not push the reserve's borrowed total further above the new cap of a running
//! borrow-side deleverage (`DeleverageCapExceeded`).
//!
//! Accounts:
//! 0. `[w]` obligation: refreshed in this slot, with every price fully checked.
//! 1. `[w]` reserve: the reserve lent from, refreshed in this slot.
//! 2. `[]` market.
//! 3. `[s]` obligation owner.
//! 4. `[w]` liquidity vault: the reserve's.
//! 5. `[w]` destination: a token account of the reserve's liquidity mint, receives the tokens.
//! 6. `[]` market authority: the market's PDA, signs the transfer out of the vault.
//! 7. `[]` token program: SPL Token.
//!
//! Data: [`AmountArgs`], the liquidity amount in base units.
//!
//! While a borrow-side deleverage runs on the reserve, a borrow that would push the borrowed total further
//! above the deleverage's new cap is refused with `DeleverageCapExceeded`.
//!
//! The obligation becomes stale: its cached debt grows by the new borrow's value (rounded up) so that it
//! never understates the debt, and the next health check needs a new `RefreshObligation`.

use {
    crate::{
        state,
        token::{self, require_token_account_mint, require_token_program},
        validation::{require_distinct, require_signer, require_writable, require_writable_vault},
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
    let [obligation_account, reserve_account, market_account, owner, vault, destination, market_authority, token_program, ..] =
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

    // 3. Market: the program's, not in emergency mode, borrowing enabled.
    let market = state::load::<Market>(market_account, program_id)?;
    if market.emergency_mode.get().ok_or(BallastError::CorruptedAccountFlag)? {
        return Err(BallastError::EmergencyMode.into());
    }
    if market.borrow_disabled.get().ok_or(BallastError::CorruptedAccountFlag)? {
        return Err(BallastError::BorrowingDisabled.into());
    }

    // 4. Reserve: the program's, writable, of this market.
    let reserve_address = *reserve_account.address();
    let mut reserve = state::load_mut::<Reserve>(reserve_account, program_id)?;
    state::require_market(&reserve.market, market_account)?;

    // 5. Obligation: the program's, writable, of this market, owned by the signer.
    let mut obligation = state::load_mut::<Obligation>(obligation_account, program_id)?;
    state::require_market(&obligation.market, market_account)?;
    if !address_eq(&obligation.owner, owner.address()) {
        return Err(BallastError::InvalidAuthority.into());
    }

    // 6. Token accounts: the reserve's vault, a destination of the liquidity mint that is not the vault, the
    //    market authority, SPL Token.
    require_writable_vault(vault, &reserve.liquidity_vault)?;
    require_distinct(vault, destination)?;
    require_writable(destination)?;
    require_token_account_mint(destination, &reserve.liquidity_mint)?;
    if !address_eq(market_authority.address(), &market.authority) {
        return Err(BallastError::InvalidPda.into());
    }
    require_token_program(token_program)?;

    // 7. The borrow: caps, liquidity, freshness, prices and health are all checked before it writes the
    //    obligation and the reserve.
    obligation::borrow(&mut obligation, &mut reserve, &reserve_address, amount, slot)?;
    drop(obligation);
    drop(reserve);

    // 8. Transfer out of the vault, signed by the market authority.
    let bump = [market.authority_bump];
    let seeds = token::market_authority_seeds(market_account.address(), &bump);
    let signer = Signer::from(&seeds);
    token::transfer_from_vault(vault, destination, market_authority, amount, &signer)
}
