//! CollectFees: moves the protocol's accrued fees out of the liquidity vault, the insurance-fund share to
//! the insurance vault and the rest to the fee vault. Permissionless: the destinations are fixed.
//!
//! The amount is `min(floor(protocol_fees), available)`: the protocol takes only whole tokens it has earned,
//! and only what the vault holds (fees not yet repaid by borrowers stay a claim). The insurance part is
//! `floor(amount × insurance_fee_share)`. Both `available_amount` and `protocol_fees_sf` fall by the amount,
//! so the lenders' total liquidity is unchanged.
//!
//! Accounts:
//! 0. `[w]` reserve: refreshed in this slot.
//! 1. `[]` market: the reserve's market.
//! 2. `[w]` liquidity vault: the reserve's.
//! 3. `[w]` fee vault: the reserve's.
//! 4. `[w]` insurance vault: the reserve's.
//! 5. `[]` market authority: the market's authority PDA, owner of the vaults.
//! 6. `[]` token program: SPL Token.
//!
//! Data: none ([`NoArgs`]).

use {
    crate::{
        state::{clock, load, load_mut, require_fresh_reserve, require_market},
        token::{market_authority_seeds, require_token_program, transfer_from_vault},
        validation::require_writable_vault,
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, NoArgs},
        state::{Market, Reserve},
    },
    ballast_math::{mul_div_floor, Fraction},
    pinocchio::{cpi::Signer, AccountView, ProgramResult},
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [reserve_account, market_account, liquidity_vault, fee_vault, insurance_vault, market_authority, token_program, ..] =
        accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: none.
    parse_args::<NoArgs>(data)?;

    // 2. The market: program-owned market account.
    let market = load::<Market>(market_account, program_id)?;

    // 3. The reserve: program-owned, writable, of this market, refreshed in this slot.
    let mut reserve = load_mut::<Reserve>(reserve_account, program_id)?;
    require_market(&reserve.market, market_account)?;
    require_fresh_reserve(&reserve, clock()?.slot)?;

    // 4. Vaults: the reserve's own, writable.
    require_writable_vault(liquidity_vault, &reserve.liquidity_vault)?;
    require_writable_vault(fee_vault, &reserve.fee_vault)?;
    require_writable_vault(insurance_vault, &reserve.insurance_vault)?;

    // 5. Market authority and token program.
    if market_authority.address() != &market.authority {
        return Err(BallastError::InvalidPda.into());
    }
    require_token_program(token_program)?;

    // 6. Amounts.
    let fees = Fraction::from_raw(reserve.protocol_fees_sf.get());
    let available = reserve.available_amount.get();
    // Floor: the protocol takes only whole tokens it has earned.
    let amount = fees.to_u64_floor().map_err(BallastError::from)?.min(available);
    if amount == 0 {
        return Err(BallastError::ZeroAmount.into());
    }
    // Floor: the insurance fund receives whole tokens; the remainder stays with the fee vault.
    let to_insurance = mul_div_floor(amount, u64::from(reserve.config.insurance_fee_share_bps.get()), 10_000)
        .map_err(BallastError::from)?;
    let to_fees = amount.checked_sub(to_insurance).ok_or(BallastError::MathOverflow)?;
    let new_available = available.checked_sub(amount).ok_or(BallastError::MathOverflow)?;
    let new_fees = fees.checked_sub(Fraction::from_integer(amount)).map_err(BallastError::from)?;

    // State.
    reserve.available_amount.set(new_available);
    reserve.protocol_fees_sf.set(new_fees.raw());
    drop(reserve);

    // Token transfers, signed by the market authority.
    let market_address = *market_account.address();
    let bump = [market.authority_bump];
    drop(market);
    let seeds = market_authority_seeds(&market_address, &bump);
    let signer = Signer::from(&seeds);
    if to_insurance > 0 {
        transfer_from_vault(liquidity_vault, insurance_vault, market_authority, to_insurance, &signer)?;
    }
    if to_fees > 0 {
        transfer_from_vault(liquidity_vault, fee_vault, market_authority, to_fees, &signer)?;
    }
    Ok(())
}
