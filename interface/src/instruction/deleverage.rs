//! Arguments of the auto-deleverage instructions: `StartDeleverage`, `Deleverage`, `CancelDeleverage`.

use {
    crate::{
        error::BallastError,
        pod::{Le16, Le64},
        state::{DELEVERAGE_BORROW, DELEVERAGE_SUPPLY},
    },
    bytemuck::{Pod, Zeroable},
};

/// Margin call used when `StartDeleverage` passes 0 slots: 72 hours at 2 slots per second.
pub const DEFAULT_MARGIN_CALL_SLOTS: u64 = 518_400;

/// `Deleverage::max_repay` value that repays as much as the instruction allows.
pub const DELEVERAGE_MAX: u64 = u64::MAX;

/// Which total of a reserve a deleverage brings down to its new cap.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleverageSide {
    /// Total supply (available + borrowed − protocol fees): the asset as collateral.
    Supply = 0,
    /// Total borrowed: the asset as debt.
    Borrow = 1,
}

impl DeleverageSide {
    /// Decodes the side byte of the instruction data.
    pub fn from_u8(value: u8) -> Result<Self, BallastError> {
        match value {
            0 => Ok(Self::Supply),
            1 => Ok(Self::Borrow),
            _ => Err(BallastError::InvalidDeleverageSide),
        }
    }

    /// Index of this side in `Reserve::deleverage`.
    pub const fn index(self) -> usize {
        match self {
            Self::Supply => DELEVERAGE_SUPPLY,
            Self::Borrow => DELEVERAGE_BORROW,
        }
    }
}

/// `StartDeleverage`: cut one side's cap below its current total and open the margin call.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct StartDeleverageArgs {
    /// 0 supply, 1 borrow ([`DeleverageSide`]).
    pub side: u8,
    /// The cap the total must come down to, in liquidity tokens; below the current total.
    pub new_cap: Le64,
    /// Length of the margin call in slots; 0 selects [`DEFAULT_MARGIN_CALL_SLOTS`].
    pub margin_call_slots: Le64,
    /// The deleverage LTV falls by 1 bps every this many slots after the margin call; non-zero.
    pub slots_per_bps: Le64,
    /// Penalty at the end of the margin call; at most the reserve's max liquidation bonus.
    pub min_penalty_bps: Le16,
}

const _: () = assert!(core::mem::size_of::<StartDeleverageArgs>() == 1 + 3 * 8 + 2);

/// `CancelDeleverage`: the side to stop.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct CancelDeleverageArgs {
    /// 0 supply, 1 borrow ([`DeleverageSide`]).
    pub side: u8,
}

/// `Deleverage`: one step on one obligation.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct DeleverageArgs {
    /// 0 supply (target = withdraw reserve), 1 borrow (target = repay reserve).
    pub side: u8,
    /// Most liquidity the executor repays; [`DELEVERAGE_MAX`] for as much as allowed.
    pub max_repay: Le64,
    /// Fewest withdraw-reserve liquidity tokens the executor accepts (slippage bound).
    pub min_received: Le64,
}

const _: () = assert!(core::mem::size_of::<DeleverageArgs>() == 1 + 2 * 8);
