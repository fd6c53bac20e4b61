//! One module per instruction.

pub mod borrow;
pub mod collect_fees;
pub mod deposit_collateral;
pub mod deposit_liquidity;
pub mod init_market;
pub mod init_obligation;
pub mod init_reserve;
pub mod redeem_collateral;
pub mod refresh_obligation;
pub mod refresh_reserve;
pub mod repay;
pub mod update_reserve_config;
pub mod withdraw_collateral;
