//! Program-derived address seeds.
//!
//! The program never searches for a bump: every bump is found once at initialization and stored in the
//! account that the address belongs to, so later instructions re-derive the address from the stored bump.

/// Signs token transfers out of every vault of a market and mints its cTokens: `[MARKET_AUTHORITY, market]`.
pub const MARKET_AUTHORITY: &[u8] = b"market_authority";
/// A reserve's liquidity vault: `[LIQUIDITY_VAULT, reserve]`.
pub const LIQUIDITY_VAULT: &[u8] = b"liquidity_vault";
/// A reserve's protocol fee vault: `[FEE_VAULT, reserve]`.
pub const FEE_VAULT: &[u8] = b"fee_vault";
/// A reserve's insurance fund vault: `[INSURANCE_VAULT, reserve]`.
pub const INSURANCE_VAULT: &[u8] = b"insurance_vault";
/// A reserve's cToken mint: `[COLLATERAL_MINT, reserve]`.
pub const COLLATERAL_MINT: &[u8] = b"collateral_mint";
/// A borrower's obligation: `[OBLIGATION, market, owner, [seed]]`.
pub const OBLIGATION: &[u8] = b"obligation";

#[cfg(feature = "client")]
pub fn find_market_authority(market: &solana_address::Address) -> (solana_address::Address, u8) {
    solana_address::Address::find_program_address(&[MARKET_AUTHORITY, market.as_ref()], &crate::ID)
}

#[cfg(feature = "client")]
fn find(seeds: &[&[u8]]) -> (solana_address::Address, u8) {
    solana_address::Address::find_program_address(seeds, &crate::ID)
}

#[cfg(feature = "client")]
pub fn find_liquidity_vault(reserve: &solana_address::Address) -> (solana_address::Address, u8) {
    find(&[LIQUIDITY_VAULT, reserve.as_ref()])
}

#[cfg(feature = "client")]
pub fn find_fee_vault(reserve: &solana_address::Address) -> (solana_address::Address, u8) {
    find(&[FEE_VAULT, reserve.as_ref()])
}

#[cfg(feature = "client")]
pub fn find_insurance_vault(reserve: &solana_address::Address) -> (solana_address::Address, u8) {
    find(&[INSURANCE_VAULT, reserve.as_ref()])
}

#[cfg(feature = "client")]
pub fn find_collateral_mint(reserve: &solana_address::Address) -> (solana_address::Address, u8) {
    find(&[COLLATERAL_MINT, reserve.as_ref()])
}

#[cfg(feature = "client")]
pub fn find_obligation(
    market: &solana_address::Address,
    owner: &solana_address::Address,
    seed: u8,
) -> (solana_address::Address, u8) {
    find(&[OBLIGATION, market.as_ref(), owner.as_ref(), &[seed]])
}
