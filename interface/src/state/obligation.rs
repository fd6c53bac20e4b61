use {
    super::{AccountHeader, AccountKind, ProgramAccount},
    crate::pod::{Flag, Le128, Le16, Le64},
    bytemuck::{Pod, Zeroable},
    solana_address::Address,
};

pub const MAX_DEPOSITS: usize = 8;
pub const MAX_BORROWS: usize = 5;

/// Collateral of one reserve held by an obligation, in that reserve's cTokens.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct ObligationDeposit {
    pub reserve: Address,
    pub collateral_amount: Le64,
    /// Value at the last refresh, quote currency, raw `Fraction`.
    pub market_value_sf: Le128,
}

/// Debt owed to one reserve.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct ObligationBorrow {
    pub reserve: Address,
    /// Debt in liquidity tokens as of `cumulative_borrow_index_sf`, raw `Fraction`.
    pub borrowed_amount_sf: Le128,
    /// The reserve's index when the debt was last brought up to date.
    pub cumulative_borrow_index_sf: Le128,
    /// Value at the last refresh without the borrow factor, quote currency, raw `Fraction`.
    pub market_value_sf: Le128,
}

/// A borrower's opt-in pre-liquidation terms (Morpho model). Close factors and incentives in bps; incentives
/// are at least 10,000 (the liquidator receives repay × incentive of collateral).
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct PreLiquidationConfig {
    pub enabled: Flag,
    pub padding: u8,
    pub pre_ltv_bps: Le16,
    pub close_factor_start_bps: Le16,
    pub close_factor_end_bps: Le16,
    pub incentive_start_bps: Le16,
    pub incentive_end_bps: Le16,
}

/// A borrower's position in one market: collateral deposits, borrows, and the health cached by the last
/// `RefreshObligation`. Deposits occupy `deposits[..deposit_count]` and borrows `borrows[..borrow_count]`.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct Obligation {
    pub header: AccountHeader,
    pub market: Address,
    pub owner: Address,
    /// The obligation is the PDA `[OBLIGATION, market, owner, [seed]]`.
    pub seed: u8,
    pub bump: u8,
    pub deposit_count: u8,
    pub borrow_count: u8,
    /// [`crate::state::PRICE_LOADED`] | [`crate::state::PRICE_FULLY_CHECKED`] common to every reserve at
    /// the last refresh.
    pub price_status: u8,
    pub padding: [u8; 3],
    pub last_refresh_slot: Le64,
    /// First slot at which a refresh found the obligation liquidatable; 0 while it is healthy.
    pub liquidatable_since_slot: Le64,
    /// Σ deposit value.
    pub deposited_value_sf: Le128,
    /// Σ borrow value without borrow factors.
    pub borrowed_value_sf: Le128,
    /// Σ borrow value × borrow factor: the debt side of every health check.
    pub debt_value_bf_sf: Le128,
    /// Σ deposit value × LTV.
    pub allowed_borrow_value_sf: Le128,
    /// Σ deposit value × liquidation threshold.
    pub unhealthy_borrow_value_sf: Le128,
    /// Highest borrow factor among borrows worth at least the market's skip value (liquidation priority).
    pub highest_borrow_factor_bps: Le16,
    /// Lowest liquidation threshold among deposits worth at least the market's skip value.
    pub lowest_liquidation_threshold_bps: Le16,
    pub pre_liquidation: PreLiquidationConfig,
    pub padding2: [u8; 4],
    pub deposits: [ObligationDeposit; MAX_DEPOSITS],
    pub borrows: [ObligationBorrow; MAX_BORROWS],
    pub reserved: [u8; 256],
}

const _: () = assert!(core::mem::align_of::<Obligation>() == 1);
const _: () = assert!(core::mem::size_of::<Obligation>() == Obligation::SIZE);

impl Obligation {
    pub const SIZE: usize =
        8 + 64 + 8 + 16 + 5 * 16 + 4 + 12 + 4 + MAX_DEPOSITS * 56 + MAX_BORROWS * 80 + 256;

    pub fn deposits(&self) -> &[ObligationDeposit] {
        &self.deposits[..usize::from(self.deposit_count).min(MAX_DEPOSITS)]
    }

    pub fn borrows(&self) -> &[ObligationBorrow] {
        &self.borrows[..usize::from(self.borrow_count).min(MAX_BORROWS)]
    }

    pub fn find_deposit(&self, reserve: &Address) -> Option<usize> {
        self.deposits().iter().position(|d| d.reserve == *reserve)
    }

    pub fn find_borrow(&self, reserve: &Address) -> Option<usize> {
        self.borrows().iter().position(|b| b.reserve == *reserve)
    }
}

impl ProgramAccount for Obligation {
    const KIND: AccountKind = AccountKind::Obligation;

    fn header(&self) -> &AccountHeader {
        &self.header
    }
}
