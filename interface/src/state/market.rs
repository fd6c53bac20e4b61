use {
    super::{AccountHeader, AccountKind, ProgramAccount},
    crate::pod::{Flag, Le64},
    bytemuck::{Pod, Zeroable},
    solana_address::Address,
};

/// Market-wide risk parameters and the authorities of a lending market.
///
/// Values are in whole units of the quote currency (for a USD market, dollars).
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct Market {
    pub header: AccountHeader,
    /// Changes every parameter and every switch; transferred in two steps through `pending_owner`.
    pub owner: Address,
    /// Set by the owner, accepted by itself; the default address when no transfer is pending.
    pub pending_owner: Address,
    /// Starts and cancels protocol-wide deleverages; may be a multisig address.
    pub risk_council: Address,
    /// May only switch the market's emergency flags on.
    pub emergency_council: Address,
    /// Name of the currency prices are quoted in, e.g. `b"USD"` zero-padded.
    pub quote_currency: [u8; 32],
    /// Bump of the market authority PDA ([`crate::pda::MARKET_AUTHORITY`]).
    pub authority_bump: u8,
    /// Share of the total debt value that one liquidation may repay, in percent.
    pub close_factor_pct: u8,
    /// From this LTV on, a liquidation may repay the whole debt, in percent.
    pub insolvency_ltv_pct: u8,
    /// Refuses every new borrow.
    pub borrow_disabled: Flag,
    /// Refuses liquidations whose reason is price (LTV over the threshold), for oracle incidents.
    pub price_triggered_liquidation_disabled: Flag,
    /// Refuses every user operation except repaying.
    pub emergency_mode: Flag,
    pub padding: [u8; 2],
    /// Largest debt value one liquidation may repay.
    pub max_liquidatable_value_at_once: Le64,
    /// A borrow worth less than this is liquidated whole, never in part.
    pub min_full_liquidation_value: Le64,
    /// A deposit worth less than this is not held to the lowest-liquidation-threshold-first rule.
    pub min_value_skip_ltv_checks: Le64,
    /// A borrow worth less than this is not held to the highest-borrow-factor-first rule.
    pub min_value_skip_bf_checks: Le64,
    /// The market authority PDA `[MARKET_AUTHORITY, market, [authority_bump]]`, stored so that instructions
    /// check it by comparison instead of re-deriving it.
    pub authority: Address,
    pub reserved: [u8; 480],
}

const _: () = assert!(core::mem::align_of::<Market>() == 1);
const _: () = assert!(core::mem::size_of::<Market>() == Market::SIZE);

impl Market {
    /// Account data length of a market.
    pub const SIZE: usize = 8 + 5 * 32 + 8 + 4 * 8 + 32 + 480;

    pub const DEFAULT_CLOSE_FACTOR_PCT: u8 = 25;
    pub const DEFAULT_INSOLVENCY_LTV_PCT: u8 = 95;
    pub const DEFAULT_MAX_LIQUIDATABLE_VALUE_AT_ONCE: u64 = 500_000;
    pub const DEFAULT_MIN_FULL_LIQUIDATION_VALUE: u64 = 2;
    pub const DEFAULT_MIN_VALUE_SKIP_CHECKS: u64 = 5;

    pub const MIN_CLOSE_FACTOR_PCT: u8 = 5;
    pub const MIN_INSOLVENCY_LTV_PCT: u8 = 50;
}

impl ProgramAccount for Market {
    const KIND: AccountKind = AccountKind::Market;

    fn header(&self) -> &AccountHeader {
        &self.header
    }
}
