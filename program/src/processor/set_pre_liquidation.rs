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
        pod::Flag,
        state::{Obligation, PreLiquidationConfig},
    },
    pinocchio::{AccountView, ProgramResult},
};

/// Whole-number bps of 100%.
const BPS_ONE: u16 = 10_000;
const BPS_ONE_SQUARED: u64 = 100_000_000;

fn terms(args: &SetPreLiquidationArgs) -> Result<PreLiquidationConfig, BallastError> {
    let enabled = args.enabled.get().ok_or(BallastError::InvalidFlagValue)?;
    if !enabled {
        return Ok(PreLiquidationConfig::default());
    }
    let pre_ltv = u64::from(args.pre_ltv_bps.get());
    let (cf_start, cf_end) = (args.close_factor_start_bps.get(), args.close_factor_end_bps.get());
    let (if_start, if_end) =
        (u64::from(args.incentive_start_bps.get()), u64::from(args.incentive_end_bps.get()));
    // The rules of `PreLiquidationParams::validate` with the liquidation threshold taken as `pre_ltv` (the
    // lowest it can be while the window is open), in whole bps so that no fixed-point division is needed:
    // `incentive_end ≤ floor(1 / pre_ltv)` in bps is `incentive_end_bps × pre_ltv_bps ≤ 10^8`.
    let valid = pre_ltv > 0
        && pre_ltv < u64::from(BPS_ONE)
        && cf_start <= cf_end
        && cf_end <= BPS_ONE
        && u64::from(BPS_ONE) <= if_start
        && if_start <= if_end
        && if_end.checked_mul(pre_ltv).is_some_and(|p| p <= BPS_ONE_SQUARED);
    if !valid {
        return Err(BallastError::InvalidPreLiquidationParams);
    }
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

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
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
