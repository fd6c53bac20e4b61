use {
    crate::processor,
    ballast_interface::instruction::{split_discriminator, BallastInstruction},
    pinocchio::{AccountView, Address, ProgramResult},
};

/// Dispatches on the first byte of the instruction data.
pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let (instruction, args) = split_discriminator(data)?;
    match instruction {
        // 0 - InitMarket
        BallastInstruction::InitMarket => processor::init_market::process(program_id, accounts, args),
        // 2 - InitReserve
        BallastInstruction::InitReserve => processor::init_reserve::process(program_id, accounts, args),
        // 3 - UpdateReserveConfig
        BallastInstruction::UpdateReserveConfig => {
            processor::update_reserve_config::process(program_id, accounts, args)
        }
        // 4 - CollectFees
        BallastInstruction::CollectFees => processor::collect_fees::process(program_id, accounts, args),
        // 5 - RefreshReserve
        BallastInstruction::RefreshReserve => processor::refresh_reserve::process(program_id, accounts, args),
        // 6 - RefreshObligation
        BallastInstruction::RefreshObligation => {
            processor::refresh_obligation::process(program_id, accounts, args)
        }
        // 7 - DepositLiquidity
        BallastInstruction::DepositLiquidity => {
            processor::deposit_liquidity::process(program_id, accounts, args)
        }
        // 8 - RedeemCollateral
        BallastInstruction::RedeemCollateral => {
            processor::redeem_collateral::process(program_id, accounts, args)
        }
        // 9 - InitObligation
        BallastInstruction::InitObligation => processor::init_obligation::process(program_id, accounts, args),
        // 10 - DepositCollateral
        BallastInstruction::DepositCollateral => {
            processor::deposit_collateral::process(program_id, accounts, args)
        }
        // 11 - WithdrawCollateral
        BallastInstruction::WithdrawCollateral => {
            processor::withdraw_collateral::process(program_id, accounts, args)
        }
        // 12 - Borrow
        BallastInstruction::Borrow => processor::borrow::process(program_id, accounts, args),
        // 13 - Repay
        BallastInstruction::Repay => processor::repay::process(program_id, accounts, args),
        // 1 - UpdateMarket
        BallastInstruction::UpdateMarket => processor::update_market::process(program_id, accounts, args),
        // 14 - SetPreLiquidation
        BallastInstruction::SetPreLiquidation => {
            processor::set_pre_liquidation::process(program_id, accounts, args)
        }
        // 15 - PreLiquidate
        BallastInstruction::PreLiquidate => processor::pre_liquidate::process(program_id, accounts, args),
        // 16 - Liquidate
        BallastInstruction::Liquidate => processor::liquidate::process(program_id, accounts, args),
        // 17 - StartDeleverage
        BallastInstruction::StartDeleverage => {
            processor::start_deleverage::process(program_id, accounts, args)
        }
        // 18 - Deleverage
        BallastInstruction::Deleverage => processor::deleverage::process(program_id, accounts, args),
        // 19 - CancelDeleverage
        BallastInstruction::CancelDeleverage => {
            processor::cancel_deleverage::process(program_id, accounts, args)
        }
        // 20 - CoverBadDebt
        BallastInstruction::CoverBadDebt => processor::cover_bad_debt::process(program_id, accounts, args),
        // 21 - FlashBorrow
        BallastInstruction::FlashBorrow => processor::flash_borrow::process(program_id, accounts, args),
        // 22 - FlashRepay
        BallastInstruction::FlashRepay => processor::flash_repay::process(program_id, accounts, args),
    }
}
