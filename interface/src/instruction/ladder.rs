use {
    crate::{
        error::BallastError,
        pod::{Flag, Le16, Le64},
    },
    bytemuck::{Pod, Zeroable},
};

/// `UpdateMarket`: the market's three emergency switches, each 0 or 1.
///
/// The owner may set any combination; the emergency council may only keep each flag or switch it on.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct UpdateMarketArgs {
    pub price_triggered_liquidation_disabled: Flag,
    pub borrow_disabled: Flag,
    pub emergency_mode: Flag,
}

const _: () = assert!(core::mem::size_of::<UpdateMarketArgs>() == 3);

impl UpdateMarketArgs {
    /// The three flags as booleans, refusing any byte other than 0 and 1.
    pub fn flags(&self) -> Result<[bool; 3], BallastError> {
        let get = |flag: Flag| flag.get().ok_or(BallastError::InvalidFlagValue);
        Ok([
            get(self.price_triggered_liquidation_disabled)?,
            get(self.borrow_disabled)?,
            get(self.emergency_mode)?,
        ])
    }
}

/// `SetPreLiquidation`: opt in (`enabled = 1`, with the terms) or out (`enabled = 0`, the terms are ignored
/// and stored as zero). Close factors and incentives in bps; incentives are at least 10,000 (the liquidator
/// receives repay × incentive of collateral).
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct SetPreLiquidationArgs {
    pub enabled: Flag,
    /// LTV above which pre-liquidation opens; 1..=9,999 bps.
    pub pre_ltv_bps: Le16,
    /// Share of the borrow one call may repay just above `pre_ltv`.
    pub close_factor_start_bps: Le16,
    /// Share of the borrow one call may repay as the LTV reaches the liquidation threshold; at most 10,000.
    pub close_factor_end_bps: Le16,
    pub incentive_start_bps: Le16,
    /// At most floor(10^8 / pre_ltv_bps): the incentive stays below 1 / LTV, so a pre-liquidation always
    /// lowers the LTV.
    pub incentive_end_bps: Le16,
}

const _: () = assert!(core::mem::size_of::<SetPreLiquidationArgs>() == 11);

/// `PreLiquidate` and `Liquidate`.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct LiquidateArgs {
    /// Most liquidity the liquidator repays; `u64::MAX` repays as much as allowed.
    pub repay_amount: Le64,
    /// Fewest withdraw-reserve liquidity tokens the liquidator accepts to receive (after the protocol fee).
    pub min_received: Le64,
}

const _: () = assert!(core::mem::size_of::<LiquidateArgs>() == 16);
