//! Program-derived address seeds.
//!
//! The program never searches for a bump: every bump is found once at initialization and stored in the
//! account that the address belongs to, so later instructions re-derive the address from the stored bump.

/// Signs token transfers out of every vault of a market and mints its cTokens: `[MARKET_AUTHORITY, market]`.
pub const MARKET_AUTHORITY: &[u8] = b"market_authority";

#[cfg(feature = "client")]
pub fn find_market_authority(market: &solana_address::Address) -> (solana_address::Address, u8) {
    solana_address::Address::find_program_address(&[MARKET_AUTHORITY, market.as_ref()], &crate::ID)
}
