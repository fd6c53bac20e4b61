use {
    crate::processor,
    ballast_interface::instruction::{split_discriminator, BallastInstruction},
    pinocchio::{AccountView, Address, ProgramResult},
};

/// Dispatches on the first byte of the instruction data. Inlined into the entrypoint: with the program id,
/// two slices and a returned `Result` it would need six argument registers, one more than BPF has.
#[inline(always)]
pub fn process_instruction(
    _program_id: &Address,
    accounts: &mut [AccountView],
    data: &[u8],
) -> ProgramResult {
    let (instruction, args) = split_discriminator(data)?;
    match instruction {
        // 0 - InitMarket
        BallastInstruction::InitMarket => processor::init_market::process(accounts, args),
        // 2 - InitReserve
        BallastInstruction::InitReserve => processor::init_reserve::process(accounts, args),
        // 3 - UpdateReserveConfig
        BallastInstruction::UpdateReserveConfig => processor::update_reserve_config::process(accounts, args),
        // 4 - CollectFees
        BallastInstruction::CollectFees => processor::collect_fees::process(accounts, args),
        // 5 - RefreshReserve
        BallastInstruction::RefreshReserve => processor::refresh_reserve::process(accounts, args),
        // 6 - RefreshObligation
        BallastInstruction::RefreshObligation => processor::refresh_obligation::process(accounts, args),
        // 7 - DepositLiquidity
        BallastInstruction::DepositLiquidity => processor::deposit_liquidity::process(accounts, args),
        // 8 - RedeemCollateral
        BallastInstruction::RedeemCollateral => processor::redeem_collateral::process(accounts, args),
        // 9 - InitObligation
        BallastInstruction::InitObligation => processor::init_obligation::process(accounts, args),
        // 10 - DepositCollateral
        BallastInstruction::DepositCollateral => processor::deposit_collateral::process(accounts, args),
        // 11 - WithdrawCollateral
        BallastInstruction::WithdrawCollateral => processor::withdraw_collateral::process(accounts, args),
        // 12 - Borrow
        BallastInstruction::Borrow => processor::borrow::process(accounts, args),
        // 13 - Repay
        BallastInstruction::Repay => processor::repay::process(accounts, args),
        // 1 - UpdateMarket
        BallastInstruction::UpdateMarket => processor::update_market::process(accounts, args),
        // 14 - SetPreLiquidation
        BallastInstruction::SetPreLiquidation => processor::set_pre_liquidation::process(accounts, args),
        // 15 - PreLiquidate
        BallastInstruction::PreLiquidate => processor::pre_liquidate::process(accounts, args),
        // 16 - Liquidate
        BallastInstruction::Liquidate => processor::liquidate::process(accounts, args),
        // 17 - StartDeleverage
        BallastInstruction::StartDeleverage => processor::start_deleverage::process(accounts, args),
        // 18 - Deleverage
        BallastInstruction::Deleverage => processor::deleverage::process(accounts, args),
        // 19 - CancelDeleverage
        BallastInstruction::CancelDeleverage => processor::cancel_deleverage::process(accounts, args),
        // 20 - CoverBadDebt
        BallastInstruction::CoverBadDebt => processor::cover_bad_debt::process(accounts, args),
        // 21 - FlashBorrow
        BallastInstruction::FlashBorrow => processor::flash_borrow::process(accounts, args),
        // 22 - FlashRepay
        BallastInstruction::FlashRepay => processor::flash_repay::process(accounts, args),
    }
}
