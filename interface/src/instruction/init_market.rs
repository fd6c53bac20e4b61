use {
    crate::{error::BallastError, pod::Le64, state::Market},
    bytemuck::{Pod, Zeroable},
    solana_address::Address,
};

/// Arguments of `InitMarket`.
///
/// Accounts:
/// 0. `[w]` market: a zeroed account of `Market::SIZE` bytes owned by the program.
/// 1. `[s]` owner: becomes the market owner.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct InitMarketArgs {
    pub quote_currency: [u8; 32],
    pub risk_council: Address,
    pub emergency_council: Address,
    pub close_factor_pct: u8,
    pub insolvency_ltv_pct: u8,
    pub max_liquidatable_value_at_once: Le64,
    pub min_full_liquidation_value: Le64,
    pub min_value_skip_ltv_checks: Le64,
    pub min_value_skip_bf_checks: Le64,
}

const _: () = assert!(core::mem::size_of::<InitMarketArgs>() == 32 * 3 + 2 + 4 * 8);

impl InitMarketArgs {
    /// A market with the default risk parameters.
    pub fn with_defaults(quote_currency: &[u8], risk_council: Address, emergency_council: Address) -> Self {
        let mut quote = [0u8; 32];
        let len = quote_currency.len().min(32);
        quote[..len].copy_from_slice(&quote_currency[..len]);
        Self {
            quote_currency: quote,
            risk_council,
            emergency_council,
            close_factor_pct: Market::DEFAULT_CLOSE_FACTOR_PCT,
            insolvency_ltv_pct: Market::DEFAULT_INSOLVENCY_LTV_PCT,
            max_liquidatable_value_at_once: Le64::new(Market::DEFAULT_MAX_LIQUIDATABLE_VALUE_AT_ONCE),
            min_full_liquidation_value: Le64::new(Market::DEFAULT_MIN_FULL_LIQUIDATION_VALUE),
            min_value_skip_ltv_checks: Le64::new(Market::DEFAULT_MIN_VALUE_SKIP_CHECKS),
            min_value_skip_bf_checks: Le64::new(Market::DEFAULT_MIN_VALUE_SKIP_CHECKS),
        }
    }

    /// Checks every parameter, each with its own error.
    pub fn validate(&self) -> Result<(), BallastError> {
        if self.quote_currency[0] == 0 {
            return Err(BallastError::InvalidQuoteCurrency);
        }
        if self.risk_council == Address::default() || self.emergency_council == Address::default() {
            return Err(BallastError::InvalidCouncil);
        }
        if !(Market::MIN_CLOSE_FACTOR_PCT..=100).contains(&self.close_factor_pct) {
            return Err(BallastError::InvalidCloseFactor);
        }
        if !(Market::MIN_INSOLVENCY_LTV_PCT..=100).contains(&self.insolvency_ltv_pct) {
            return Err(BallastError::InvalidInsolvencyLtv);
        }
        let max_at_once = self.max_liquidatable_value_at_once.get();
        if max_at_once == 0 {
            return Err(BallastError::InvalidMaxLiquidatableValue);
        }
        if self.min_full_liquidation_value.get() > max_at_once {
            return Err(BallastError::InvalidMinFullLiquidationValue);
        }
        if self.min_value_skip_ltv_checks.get() > max_at_once
            || self.min_value_skip_bf_checks.get() > max_at_once
        {
            return Err(BallastError::InvalidSkipCheckValue);
        }
        Ok(())
    }
}
