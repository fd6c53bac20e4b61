use {
    crate::{pod::Le64, state::ReserveConfig},
    bytemuck::{Pod, Zeroable},
};

/// Arguments of instructions that take none: the data is the discriminator alone.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct NoArgs {}

/// A token amount: `DepositLiquidity` (liquidity), `RedeemCollateral` (cTokens), `DepositCollateral`
/// (cTokens), `WithdrawCollateral` (cTokens), `Borrow` (liquidity), `Repay` (liquidity; `u64::MAX` repays the
/// whole debt).
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct AmountArgs {
    pub amount: Le64,
}

/// `InitReserve` and `UpdateReserveConfig`: the whole reserve configuration.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct ReserveConfigArgs {
    pub config: ReserveConfig,
}

/// `InitObligation`: the seed that makes the obligation PDA `[OBLIGATION, market, owner, [seed]]`.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct InitObligationArgs {
    pub seed: u8,
}
