use {
    super::{AccountHeader, AccountKind, ProgramAccount},
    crate::pod::{Flag, Le128, Le16, Le32, Le64, LeI64},
    bytemuck::{Pod, Zeroable},
    solana_address::Address,
};

/// Number of points a borrow-rate curve can hold.
pub const MAX_CURVE_POINTS: usize = 11;

/// `Reserve::price_status` bit: the reserve holds a price read from its oracle in `last_update_slot`.
pub const PRICE_LOADED: u8 = 1 << 0;
/// `Reserve::price_status` bit: that price also passed the confidence and TWAP-divergence checks, which
/// borrowing and withdrawing against debt require.
pub const PRICE_FULLY_CHECKED: u8 = 1 << 1;

/// Sentinel flash-loan fee that turns flash loans off for a reserve.
pub const FLASH_LOANS_DISABLED: u16 = u16::MAX;

/// Index of each side in `Reserve::deleverage`.
pub const DELEVERAGE_SUPPLY: usize = 0;
pub const DELEVERAGE_BORROW: usize = 1;

/// One point of the borrow-rate curve: utilization in bps, APR in bps.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct CurvePoint {
    pub utilization_bps: Le32,
    pub rate_bps: Le32,
}

/// A reserve's risk, fee, cap and oracle parameters. Set by `InitReserve`, replaced by `UpdateReserveConfig`.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct ReserveConfig {
    /// Share of a deposit's value that may be borrowed against.
    pub loan_to_value_bps: Le16,
    /// Share of a deposit's value from which the position becomes liquidatable.
    pub liquidation_threshold_bps: Le16,
    /// Multiplies the value of this asset's debt in every health computation; at least 10,000.
    pub borrow_factor_bps: Le16,
    pub min_liquidation_bonus_bps: Le16,
    pub max_liquidation_bonus_bps: Le16,
    /// Bonus when the position is at or near insolvency (LTV without borrow factor at or above 99%).
    pub bad_debt_liquidation_bonus_bps: Le16,
    /// How much the minimum bonus rises for every slot the position stays liquidatable.
    pub bonus_escalation_bps_per_slot: Le16,
    /// Protocol's share of a liquidation bonus.
    pub protocol_liquidation_fee_bps: Le16,
    /// Protocol's share of borrow interest.
    pub protocol_take_rate_bps: Le16,
    /// Share of collected protocol fees that goes to the insurance fund.
    pub insurance_fee_share_bps: Le16,
    /// New borrows are refused when they would push utilization above this.
    pub utilization_cap_bps: Le16,
    /// Fee on flash loans; [`FLASH_LOANS_DISABLED`] turns them off.
    pub flash_loan_fee_bps: Le16,
    /// Largest accepted confidence interval, relative to the price.
    pub max_confidence_bps: Le16,
    /// Largest accepted distance between the price and its EMA (the TWAP), relative to the EMA.
    pub max_twap_divergence_bps: Le16,
    /// Set by the owner or the emergency council: refuses new borrows from this reserve.
    pub borrowing_disabled: Flag,
    /// Number of used points in `borrow_rate_curve`.
    pub curve_point_count: u8,
    pub padding: [u8; 2],
    /// Largest total supply (available + borrowed - protocol fees), in liquidity tokens.
    pub deposit_cap: Le64,
    /// Largest total borrowed amount, in liquidity tokens.
    pub borrow_cap: Le64,
    /// Oldest accepted oracle publish time, in seconds before the current clock.
    pub max_price_age_secs: Le64,
    /// Pyth feed id the reserve's `PriceUpdateV2` accounts must carry.
    pub pyth_feed_id: [u8; 32],
    pub borrow_rate_curve: [CurvePoint; MAX_CURVE_POINTS],
    pub reserved: [u8; 64],
}

const _: () = assert!(core::mem::size_of::<ReserveConfig>() == 32 + 24 + 32 + 88 + 64);

/// State of a protocol-wide deleverage on one side (supply or borrow) of a reserve.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct DeleverageState {
    pub active: Flag,
    pub padding: [u8; 5],
    /// Penalty at the end of the margin call, before it grows with LTV and time.
    pub min_penalty_bps: Le16,
    /// The cap the total must come down to, in liquidity tokens.
    pub target_cap: Le64,
    pub start_slot: Le64,
    /// No deleverage and no penalty before this slot: borrowers act on their own until then.
    pub margin_call_end_slot: Le64,
    /// The deleverage LTV decays by 1 bps every this many slots after the margin call.
    pub slots_per_bps: Le64,
}

/// One asset of a market: its vaults, its cToken, its interest state, its last price and its config.
///
/// The liquidity vault holds exactly `available_amount` tokens. cTokens deposited as collateral are burned
/// from the cToken mint and kept on the obligation, so `collateral_supply` = mint supply + cTokens held in
/// obligations, and the exchange rate is `total_liquidity / collateral_supply`.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct Reserve {
    pub header: AccountHeader,
    pub market: Address,
    pub liquidity_mint: Address,
    /// Token program of the liquidity mint (and of every vault and the cToken mint).
    pub token_program: Address,
    /// PDA `[LIQUIDITY_VAULT, reserve]`; its authority is the market authority.
    pub liquidity_vault: Address,
    /// PDA `[FEE_VAULT, reserve]`: collected protocol fees.
    pub fee_vault: Address,
    /// PDA `[INSURANCE_VAULT, reserve]`: the insurance fund that covers bad debt first.
    pub insurance_vault: Address,
    /// PDA `[COLLATERAL_MINT, reserve]`: the cToken mint; its authority is the market authority.
    pub collateral_mint: Address,
    pub liquidity_decimals: u8,
    /// [`PRICE_LOADED`] | [`PRICE_FULLY_CHECKED`], as of `last_update_slot`.
    pub price_status: u8,
    pub padding: [u8; 6],
    /// Slot of the last `RefreshReserve`; instructions that need fresh state require the current slot.
    pub last_update_slot: Le64,
    /// Liquidity tokens in the liquidity vault.
    pub available_amount: Le64,
    /// cTokens in existence: minted and in wallets, plus deposited in obligations.
    pub collateral_supply: Le64,
    /// Borrowed liquidity including accrued interest, as a raw `Fraction`.
    pub borrowed_amount_sf: Le128,
    /// Grows with interest from 1.0; a borrow's debt is scaled by the ratio of the index now to its snapshot.
    pub cumulative_borrow_index_sf: Le128,
    /// Protocol's accrued share of interest and liquidation fees not collected yet, as a raw `Fraction`.
    pub protocol_fees_sf: Le128,
    /// Last accepted oracle price, quote currency per whole token, as a raw `Fraction`.
    pub price_sf: Le128,
    /// Oracle publish time of `price_sf`, unix seconds.
    pub price_timestamp: LeI64,
    pub config: ReserveConfig,
    /// Indexed by [`DELEVERAGE_SUPPLY`] and [`DELEVERAGE_BORROW`].
    pub deleverage: [DeleverageState; 2],
    pub reserved: [u8; 512],
}

const _: () = assert!(core::mem::align_of::<Reserve>() == 1);
const _: () = assert!(core::mem::size_of::<Reserve>() == Reserve::SIZE);

impl Reserve {
    pub const SIZE: usize = 8 + 7 * 32 + 8 + 3 * 8 + 4 * 16 + 8 + 240 + 2 * 40 + 512;
}

impl ProgramAccount for Reserve {
    const KIND: AccountKind = AccountKind::Reserve;

    fn header(&self) -> &AccountHeader {
        &self.header
    }
}
