//! DepositLiquidity: a lender deposits liquidity tokens into a reserve's vault and receives cTokens.
//!
//! cTokens are minted at the reserve's exchange rate (total liquidity / cToken supply), rounded down: the
//! lender receives them. The deposit may not push the reserve's total liquidity over its deposit cap, nor,
//! while a supply-side deleverage runs on the reserve, further above the deleverage's new cap
//! (`DeleverageCapExceeded`; deposits that leave the total at or under that cap pass). Refused in emergency
//! mode.
//!
//! Accounts:
//! 0. `[w]` reserve: refreshed in this slot.
//! 1. `[]` market: the reserve's market.
//! 2. `[s]` user: owner of both token accounts.
//! 3. `[w]` user liquidity token account: the source, holds the reserve's liquidity mint.
//! 4. `[w]` user collateral token account: receives the cTokens.
//! 5. `[w]` liquidity vault: the reserve's.
//! 6. `[w]` collateral mint: the reserve's cToken mint.
//! 7. `[]` market authority: the market's stored authority PDA; mints the cTokens.
//! 8. `[]` token program: SPL Token.
//!
//! Data: [`AmountArgs`] (`amount: u64`, liquidity tokens, non-zero).

use {
    crate::{
        state::{clock, load, load_mut, require_fresh_reserve, require_market},
        token::{self, market_authority_seeds, require_token_account_mint, require_token_program},
        validation::{require_distinct, require_signer, require_writable},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, AmountArgs},
        logic::reserve::deposit_liquidity,
        state::{Market, Reserve},
    },
    pinocchio::{account::RefMut, cpi::Signer, error::ProgramError, AccountView, Address, ProgramResult},
    solana_address::address_eq,
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

    // 1. Arguments: a non-zero liquidity amount.
    let amount = parse_args::<AmountArgs>(data)?.amount.get();
    if amount == 0 {
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

    // 9. Amounts: a running supply-side deleverage's cap, the deposit cap, the exchange and its rounding;
    //    checks everything before writing the reserve.
    let ctokens = deposit_liquidity(&mut reserve_state, amount)?;
    drop(reserve_state);

    token::transfer(user_liquidity, liquidity_vault, user, amount)?;
    let bump = [authority_bump];
    let seeds = market_authority_seeds(market.address(), &bump);
    token::mint_collateral(collateral_mint, user_collateral, market_authority, ctokens, &Signer::from(&seeds))
}

/// The accounts after the signer that DepositLiquidity and RedeemCollateral share (same account list).
pub(super) struct LenderAccounts<'a> {
    pub market: &'a AccountView,
    pub user_liquidity: &'a AccountView,
    pub user_collateral: &'a AccountView,
    pub liquidity_vault: &'a AccountView,
    pub collateral_mint: &'a AccountView,
    pub market_authority: &'a AccountView,
    pub token_program: &'a AccountView,
}

impl LenderAccounts<'_> {
    /// The checks DepositLiquidity and RedeemCollateral share, in order:
    /// 3. market: program-owned, not in emergency mode;
    /// 4. reserve: writable, of this market, refreshed in this slot;
    /// 5. token program: SPL Token;
    /// 6. liquidity vault and cToken mint: the reserve's, writable;
    /// 7. market authority: the market's stored PDA;
    /// 8. user token accounts: writable, the liquidity one is not the vault, holding the reserve's liquidity
    ///    mint and cToken mint.
    ///
    /// Returns the reserve, borrowed for writing, and the market authority's bump. (The accounts travel in a
    /// struct because SBF passes at most five arguments in registers.)
    pub(super) fn check<'r>(
        &self,
        program_id: &Address,
        reserve: &'r mut AccountView,
    ) -> Result<(RefMut<'r, Reserve>, u8), ProgramError> {
        // 3. Market.
        let (authority, authority_bump) = {
            let market_state = load::<Market>(self.market, program_id)?;
            if market_state.emergency_mode.get().ok_or(BallastError::CorruptedAccountFlag)? {
                return Err(BallastError::EmergencyMode.into());
            }
            (market_state.authority, market_state.authority_bump)
        };

        // 4. Reserve.
        let reserve_state = load_mut::<Reserve>(reserve, program_id)?;
        require_market(&reserve_state.market, self.market)?;
        require_fresh_reserve(&reserve_state, clock()?.slot)?;

        // 5. Token program.
        require_token_program(self.token_program)?;

        // 6. Vault and cToken mint.
        if !address_eq(self.liquidity_vault.address(), &reserve_state.liquidity_vault)
            || !address_eq(self.collateral_mint.address(), &reserve_state.collateral_mint)
        {
            return Err(BallastError::InvalidVault.into());
        }
        require_writable(self.liquidity_vault)?;
        require_writable(self.collateral_mint)?;

        // 7. Market authority.
        if !address_eq(self.market_authority.address(), &authority) {
            return Err(BallastError::InvalidPda.into());
        }

        // 8. User token accounts.
        require_writable(self.user_liquidity)?;
        require_writable(self.user_collateral)?;
        require_distinct(self.user_liquidity, self.liquidity_vault)?;
        require_token_account_mint(self.user_liquidity, &reserve_state.liquidity_mint)?;
        require_token_account_mint(self.user_collateral, &reserve_state.collateral_mint)?;

        Ok((reserve_state, authority_bump))
    }
}
