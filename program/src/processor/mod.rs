//! One module per instruction.

pub mod borrow;
pub mod cancel_deleverage;
pub mod collect_fees;
pub mod cover_bad_debt;
pub mod deleverage;
pub mod deposit_collateral;
pub mod deposit_liquidity;
pub mod flash_borrow;
pub mod flash_repay;
pub mod init_market;
pub mod init_obligation;
pub mod init_reserve;
pub mod liquidate;
pub mod pre_liquidate;
pub mod redeem_collateral;
pub mod refresh_obligation;
pub mod refresh_reserve;
pub mod repay;
pub mod set_pre_liquidation;
pub mod start_deleverage;
pub mod update_market;
pub mod update_reserve_config;
pub mod withdraw_collateral;
