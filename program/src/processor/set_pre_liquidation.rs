//! SetPreLiquidation: the obligation's owner opts in to pre-liquidation with its terms, or opts out.
//!
//! Terms (bps): the pre-liquidation LTV, the close factor and the incentive at both ends of the window
//! between that LTV and the liquidation threshold. They are checked against the pre-liquidation LTV itself:
//! `close_factor_start ≤ close_factor_end ≤ 100%` and `100% ≤ incentive_start ≤ incentive_end ≤
//! floor(1 / pre_ltv)`. Since the window only opens above `pre_ltv`, the liquidation threshold there is
//! higher, and PreLiquidate further caps the incentive at floor(1 / LT) of the position at that moment, so a
//! pre-liquidation always lowers the LTV.
//!
//! Accounts:
//! 0. `[w]` obligation
//! 1. `[s]` owner: the obligation's owner.
//!
//! Data: [`SetPreLiquidationArgs`]. With `enabled = 0` the other fields are ignored and the stored terms
//! are cleared.

use {
    crate::{state::load_mut, validation::require_signer},
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, SetPreLiquidationArgs},
        pod::{Flag, Le16},
        state::{Obligation, PreLiquidationConfig},
    },
    ballast_math::{preliquidation::PreLiquidationParams, Fraction},
    pinocchio::{AccountView, Address, ProgramResult},
};

/// Whole-number bps of 100%.
const BPS_ONE: u16 = 10_000;

fn terms(args: &SetPreLiquidationArgs) -> Result<PreLiquidationConfig, BallastError> {
    let enabled = args.enabled.get().ok_or(BallastError::InvalidFlagValue)?;
    if !enabled {
        return Ok(PreLiquidationConfig::default());
    }
    let pre_ltv = args.pre_ltv_bps.get();
    if pre_ltv == 0 || pre_ltv >= BPS_ONE {
        return Err(BallastError::InvalidPreLiquidationParams);
    }
    let bps = |v: Le16| Fraction::from_bps(u64::from(v.get()));
    // Validated as if the liquidation threshold were `pre_ltv` and the window opened at 0: the close-factor
    // order and `1 ≤ incentive_start ≤ incentive_end ≤ floor(1 / pre_ltv)`.
    PreLiquidationParams {
        pre_ltv: Fraction::ZERO,
        liquidation_ltv: bps(args.pre_ltv_bps),
        close_factor_start: bps(args.close_factor_start_bps),
        close_factor_end: bps(args.close_factor_end_bps),
        incentive_start: bps(args.incentive_start_bps),
        incentive_end: bps(args.incentive_end_bps),
    }
    .validate()
    .map_err(|_| BallastError::InvalidPreLiquidationParams)?;
    Ok(PreLiquidationConfig {
        enabled: Flag::ON,
        padding: 0,
        pre_ltv_bps: args.pre_ltv_bps,
        close_factor_start_bps: args.close_factor_start_bps,
        close_factor_end_bps: args.close_factor_end_bps,
        incentive_start_bps: args.incentive_start_bps,
        incentive_end_bps: args.incentive_end_bps,
    })
}

pub fn process(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [obligation, owner, ..] = accounts else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: exact length, the terms in range.
    let args = parse_args::<SetPreLiquidationArgs>(data)?;
    let config = terms(args)?;

    // 2. Signers: the owner.
    require_signer(owner)?;

    // 3. The obligation: program-owned, writable, an obligation of this owner.
    let owner_address = *owner.address();
    let mut obligation = load_mut::<Obligation>(obligation, program_id)?;
    if obligation.owner != owner_address {
        return Err(BallastError::InvalidAuthority.into());
    }

    obligation.pre_liquidation = config;
    Ok(())
}
