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
    crate::validation::is_owned_by,
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
    // A table lookup: `checked_pow` would need a 128-bit multiply, which BPF cannot emit.
    let power = usize::try_from(exponent.unsigned_abs())
        .ok()
        .and_then(|e| ballast_math::POW10_U64.get(e).copied())
        .ok_or(BallastError::OraclePriceInvalid)?;
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
    if !is_owned_by(account, &PYTH_RECEIVER_ID) {
        return Err(BallastError::InvalidOracleOwner);
    }
    let data = account.try_borrow().map_err(|_| BallastError::InvalidOracleAccount)?;
    parse_price_update(&data, config, now, stored_publish_time)
}

/// Checks the data of a Pyth-owned account (steps 2 to 7 of [`read_price`]); separate so that the keeper
/// and host tests run the same checks on raw bytes.
pub fn parse_price_update(
    data: &[u8],
    config: &ReserveConfig,
    now: i64,
    stored_publish_time: i64,
) -> Result<OraclePrice, BallastError> {
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
    let publish_time = read_i64(data, PUBLISH_TIME_OFFSET);
    let max_age = i64::try_from(config.max_price_age_secs.get()).unwrap_or(i64::MAX);
    if publish_time.saturating_add(max_age) < now || publish_time < stored_publish_time {
        return Err(BallastError::OraclePriceTooOld);
    }

    // 6. Price and exponent.
    let raw_price = read_i64(data, PRICE_OFFSET);
    let mut exponent_bytes = [0u8; 4];
    exponent_bytes.copy_from_slice(&data[EXPONENT_OFFSET..PUBLISH_TIME_OFFSET]);
    let exponent = i32::from_le_bytes(exponent_bytes);
    let price = scale_price(raw_price, exponent)?;

    // 7. Soft checks, in the feed's own units (price, confidence and EMA share the exponent).
    let conf = read_u64(data, CONF_OFFSET);
    let ema_price = read_i64(data, EMA_PRICE_OFFSET);
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

#[cfg(test)]
mod tests {
    use {
        super::*,
        ballast_interface::{oracle::PriceUpdate, pod::Le16},
        bytemuck::Zeroable,
        solana_address::Address,
    };

    const NOW: i64 = 1_700_000_000;

    fn config() -> ReserveConfig {
        let mut config = ReserveConfig::zeroed();
        config.pyth_feed_id = [3; 32];
        config.max_price_age_secs.set(60);
        config.max_confidence_bps = Le16::new(200);
        config.max_twap_divergence_bps = Le16::new(500);
        config
    }

    fn update() -> PriceUpdate {
        PriceUpdate {
            write_authority: Address::new_from_array([9; 32]),
            feed_id: [3; 32],
            price: 12_345_678,
            conf: 1_000,
            exponent: -6,
            publish_time: NOW - 5,
            prev_publish_time: NOW - 6,
            ema_price: 12_345_678,
            ema_conf: 1_000,
            posted_slot: 7,
        }
    }

    fn parse(update: &PriceUpdate) -> Result<OraclePrice, BallastError> {
        parse_price_update(&update.to_account_data(), &config(), NOW, NOW - 100)
    }

    #[test]
    fn scales_prices() {
        // 12345678 × 10^-6 = 12.345678, rounded down to 60 fractional bits.
        let price = scale_price(12_345_678, -6).unwrap();
        assert_eq!(price, Fraction::from_integer(12_345_678).checked_div_int(1_000_000).unwrap());
        assert_eq!(scale_price(5, 0), Ok(Fraction::from_integer(5)));
        assert_eq!(scale_price(5, 18), Ok(Fraction::from_integer(5_000_000_000_000_000_000)));
        assert_eq!(scale_price(1, -18), Ok(Fraction::from_raw((1u128 << 60) / 10u128.pow(18))));
        assert_eq!(scale_price(0, 0), Err(BallastError::OraclePriceInvalid));
        assert_eq!(scale_price(-1, 0), Err(BallastError::OraclePriceInvalid));
        assert_eq!(scale_price(1, 19), Err(BallastError::OraclePriceInvalid));
        assert_eq!(scale_price(1, -19), Err(BallastError::OraclePriceInvalid));
        // 2^63 × 10^18 does not fit 68 integer bits.
        assert_eq!(scale_price(i64::MAX, 18), Err(BallastError::OraclePriceInvalid));
    }

    #[test]
    fn parses_a_fully_checked_update() {
        let price = parse(&update()).unwrap();
        assert_eq!(price.price, scale_price(12_345_678, -6).unwrap());
        assert_eq!(price.publish_time, NOW - 5);
        assert_eq!(price.status, PRICE_LOADED | PRICE_FULLY_CHECKED);
    }

    #[test]
    fn hard_checks() {
        let data = update().to_account_data();
        let mut wrong = data;
        wrong[0] ^= 1;
        assert_eq!(parse_price_update(&wrong, &config(), NOW, 0), Err(BallastError::InvalidOracleAccount));
        assert_eq!(
            parse_price_update(&data[..133], &config(), NOW, 0),
            Err(BallastError::InvalidOracleAccount)
        );
        let mut partial = data;
        partial[VERIFICATION_LEVEL_OFFSET] = 0;
        assert_eq!(
            parse_price_update(&partial, &config(), NOW, 0),
            Err(BallastError::OracleNotFullyVerified)
        );

        let mut u = update();
        u.feed_id[0] = 4;
        assert_eq!(parse(&u), Err(BallastError::OracleFeedMismatch));

        let mut u = update();
        u.publish_time = NOW - 60;
        assert!(parse(&u).is_ok());
        u.publish_time = NOW - 61;
        assert_eq!(parse(&u), Err(BallastError::OraclePriceTooOld));
        let u = update();
        assert_eq!(
            parse_price_update(&u.to_account_data(), &config(), NOW, NOW - 4),
            Err(BallastError::OraclePriceTooOld)
        );
        assert!(parse_price_update(&u.to_account_data(), &config(), NOW, NOW - 5).is_ok());

        let mut u = update();
        u.price = 0;
        assert_eq!(parse(&u), Err(BallastError::OraclePriceInvalid));
        u.price = -3;
        assert_eq!(parse(&u), Err(BallastError::OraclePriceInvalid));
    }

    #[test]
    fn soft_checks() {
        let mut u = update();
        u.price = 1_000_000;
        u.ema_price = 1_000_000;
        u.conf = 20_000;
        assert_eq!(parse(&u).unwrap().status, PRICE_LOADED | PRICE_FULLY_CHECKED);
        u.conf = 20_001;
        assert_eq!(parse(&u).unwrap().status, PRICE_LOADED);

        u.conf = 0;
        // |p - ema| / ema <= 5%: ema in [952_381, 1_052_631].
        for (ema, fully) in [
            (952_381, true),
            (952_380, false),
            (1_052_631, true),
            (1_052_632, false),
            (0, false),
            (-1, false),
        ] {
            u.ema_price = ema;
            let expected = if fully { PRICE_LOADED | PRICE_FULLY_CHECKED } else { PRICE_LOADED };
            assert_eq!(parse(&u).unwrap().status, expected, "ema {ema}");
        }
    }

    #[test]
    fn within_bps_is_exact() {
        assert!(within_bps(5, 100, 500));
        assert!(!within_bps(6, 100, 500));
        assert!(within_bps(0, 1, 0));
        assert!(!within_bps(1, u64::MAX, 0));
        assert!(within_bps(u64::MAX, u64::MAX, 10_000));
        assert!(!within_bps(1, 0, 10_000));
    }
}
