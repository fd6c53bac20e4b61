//! InitMarket: writes a new market's parameters and authorities into a zeroed program-owned account.
//!
//! Accounts:
//! 0. `[w]` market: zeroed, `Market::SIZE` bytes, owned by the program.
//! 1. `[s]` owner: becomes the market owner.
//!
//! Data: [`InitMarketArgs`].

use {
    crate::validation::{require_distinct, require_len, require_owner, require_signer, require_writable},
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, InitMarketArgs},
        pda::MARKET_AUTHORITY,
        pod::Flag,
        state::{AccountHeader, AccountKind, Market},
    },
    pinocchio::{error::ProgramError, AccountView, Address, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [market, owner, ..] = accounts else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: exact length, every parameter in range.
    let args = parse_args::<InitMarketArgs>(data)?;
    args.validate()?;

    // 2. Signers: the owner.
    require_signer(owner)?;

    // 3. The market account: program-owned, writable, the market's size, not yet initialized, and not the
    //    owner itself.
    require_owner(market, program_id)?;
    require_writable(market)?;
    require_len(market, Market::SIZE)?;
    require_distinct(market, owner)?;
    let market_address = *market.address();
    let mut market_data = market.try_borrow_mut()?;
    if market_data.first().copied() != Some(AccountKind::Uninitialized as u8) {
        return Err(BallastError::AccountAlreadyInitialized.into());
    }

    // 4. The market authority PDA: searched once here, stored, and re-derived from the stored bump later.
    let (authority, authority_bump) =
        Address::try_find_program_address(&[MARKET_AUTHORITY, market_address.as_ref()], program_id)
            .ok_or(ProgramError::from(BallastError::InvalidPda))?;

    let state: &mut Market = bytemuck::try_from_bytes_mut(&mut market_data)
        .map_err(|_| ProgramError::from(BallastError::InvalidAccountSize))?;
    *state = Market {
        header: AccountHeader::new(AccountKind::Market),
        owner: *owner.address(),
        pending_owner: Address::default(),
        risk_council: args.risk_council,
        emergency_council: args.emergency_council,
        quote_currency: args.quote_currency,
        authority_bump,
        close_factor_pct: args.close_factor_pct,
        insolvency_ltv_pct: args.insolvency_ltv_pct,
        borrow_disabled: Flag::OFF,
        price_triggered_liquidation_disabled: Flag::OFF,
        emergency_mode: Flag::OFF,
        padding: [0; 2],
        max_liquidatable_value_at_once: args.max_liquidatable_value_at_once,
        min_full_liquidation_value: args.min_full_liquidation_value,
        min_value_skip_ltv_checks: args.min_value_skip_ltv_checks,
        min_value_skip_bf_checks: args.min_value_skip_bf_checks,
        authority,
        reserved: [0; 480],
    };
    Ok(())
}
