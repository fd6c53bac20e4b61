//! Pyth `PriceUpdateV2` reading and checks.
//!
//! Hard checks are errors: the account is the Pyth receiver's, a `PriceUpdateV2` of the right size, fully
//! verified, for the reserve's feed, recent enough (`publish_time + max_age >= now`) and not older than the
//! price already stored, with a positive price and an exponent in -18..=18.
//! Soft checks only decide whether the price is also [`PRICE_FULLY_CHECKED`]: the confidence interval
//! relative to the price, and the distance between the price and its EMA (the TWAP) relative to the EMA.
//! Liquidations can run on a loaded price when the soft checks fail; borrowing cannot.
//!
//! Fields are read with `from_le_bytes` on byte slices: the Borsh layout puts them at odd offsets.

use {
    ballast_interface::{
        error::BallastError,
        oracle::{
            CONF_OFFSET, EMA_PRICE_OFFSET, EXPONENT_OFFSET, FEED_ID_OFFSET, PRICE_OFFSET,
            PRICE_UPDATE_V2_DISCRIMINATOR, PRICE_UPDATE_V2_LEN, PUBLISH_TIME_OFFSET, PYTH_RECEIVER_ID,
            VERIFICATION_LEVEL_FULL, VERIFICATION_LEVEL_OFFSET,
        },
        state::{ReserveConfig, PRICE_FULLY_CHECKED, PRICE_LOADED},
    },
    ballast_math::{mul_div_ceil, Fraction},
    pinocchio::AccountView,
};

/// Largest accepted exponent magnitude: 10^18 fits in a `u64` divisor or multiplier.
pub const MAX_EXPONENT: i32 = 18;

/// A price that passed every hard check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OraclePrice {
    /// Quote currency per whole token.
    pub price: Fraction,
    /// Unix seconds.
    pub publish_time: i64,
    /// [`PRICE_LOADED`], plus [`PRICE_FULLY_CHECKED`] when the soft checks passed.
    pub status: u8,
}

#[inline(always)]
fn read_8(data: &[u8], offset: usize) -> [u8; 8] {
    let mut bytes = [0u8; 8];
    // Offsets are constants below PRICE_UPDATE_V2_LEN, whose length the caller checked.
    if let Some(src) = data.get(offset..offset.saturating_add(8)) {
        bytes.copy_from_slice(src);
    }
    bytes
}

#[inline(always)]
fn read_i64(data: &[u8], offset: usize) -> i64 {
    i64::from_le_bytes(read_8(data, offset))
}

#[inline(always)]
fn read_u64(data: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(read_8(data, offset))
}

/// `price × 10^exponent` as a Fraction, rounded down, for a positive price and an exponent in -18..=18.
pub fn scale_price(price: i64, exponent: i32) -> Result<Fraction, BallastError> {
    let price = u64::try_from(price).map_err(|_| BallastError::OraclePriceInvalid)?;
    if price == 0 || !(-MAX_EXPONENT..=MAX_EXPONENT).contains(&exponent) {
        return Err(BallastError::OraclePriceInvalid);
    }
    let power = 10u64.checked_pow(exponent.unsigned_abs()).ok_or(BallastError::OraclePriceInvalid)?;
    let whole = Fraction::from_integer(price);
    let scaled = if exponent < 0 {
        // Rounded down by at most 2^-60 of the quote currency: far below any price tick.
        whole.checked_div_int(power)
    } else {
        whole.checked_mul_int(power)
    };
    // A price beyond the Fraction range cannot be valued: the feed is unusable, not the arithmetic.
    scaled.map_err(|_| BallastError::OraclePriceInvalid)
}

/// Reads `account` as the reserve's price at `now` (unix seconds), given the publish time of the price the
/// reserve already holds.
pub fn read_price(
    account: &AccountView,
    config: &ReserveConfig,
    now: i64,
    stored_publish_time: i64,
) -> Result<OraclePrice, BallastError> {
    // 1. Owner: only the Pyth receiver writes verified updates.
    if !account.owned_by(&PYTH_RECEIVER_ID) {
        return Err(BallastError::InvalidOracleOwner);
    }
    let data = account.try_borrow().map_err(|_| BallastError::InvalidOracleAccount)?;

    // 2. Account type and size.
    if data.len() != PRICE_UPDATE_V2_LEN || data[..8] != PRICE_UPDATE_V2_DISCRIMINATOR {
        return Err(BallastError::InvalidOracleAccount);
    }

    // 3. Verification level: a partially verified update also has a different layout after this byte.
    if data[VERIFICATION_LEVEL_OFFSET] != VERIFICATION_LEVEL_FULL {
        return Err(BallastError::OracleNotFullyVerified);
    }

    // 4. Feed.
    if data[FEED_ID_OFFSET..PRICE_OFFSET] != config.pyth_feed_id {
        return Err(BallastError::OracleFeedMismatch);
    }

    // 5. Age: recent enough, and never older than the stored price (no replay of an older update).
    let publish_time = read_i64(&data, PUBLISH_TIME_OFFSET);
    let max_age = i64::try_from(config.max_price_age_secs.get()).unwrap_or(i64::MAX);
    if publish_time.saturating_add(max_age) < now || publish_time < stored_publish_time {
        return Err(BallastError::OraclePriceTooOld);
    }

    // 6. Price and exponent.
    let raw_price = read_i64(&data, PRICE_OFFSET);
    let mut exponent_bytes = [0u8; 4];
    exponent_bytes.copy_from_slice(&data[EXPONENT_OFFSET..PUBLISH_TIME_OFFSET]);
    let exponent = i32::from_le_bytes(exponent_bytes);
    let price = scale_price(raw_price, exponent)?;

    // 7. Soft checks, in the feed's own units (price, confidence and EMA share the exponent).
    let conf = read_u64(&data, CONF_OFFSET);
    let ema_price = read_i64(&data, EMA_PRICE_OFFSET);
    let confident = within_bps(conf, raw_price.unsigned_abs(), config.max_confidence_bps.get());
    let converged = u64::try_from(ema_price).ok().filter(|ema| *ema > 0).is_some_and(|ema| {
        within_bps(raw_price.unsigned_abs().abs_diff(ema), ema, config.max_twap_divergence_bps.get())
    });
    let status = if confident && converged { PRICE_LOADED | PRICE_FULLY_CHECKED } else { PRICE_LOADED };
    Ok(OraclePrice { price, publish_time, status })
}

/// `deviation / reference <= bps / 10_000`, exactly: `ceil(deviation × 10_000 / reference) <= bps` holds
/// exactly when the unrounded quotient does, since `bps` is an integer. A quotient beyond `u64` fails.
#[inline(always)]
fn within_bps(deviation: u64, reference: u64, bps: u16) -> bool {
    mul_div_ceil(deviation, 10_000, reference).is_ok_and(|ratio| ratio <= u64::from(bps))
}
