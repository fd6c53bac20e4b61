//! The Pyth pull-oracle `PriceUpdateV2` account layout (Borsh-packed, so offsets are odd).
//!
//! Only the `Full` verification level is accepted; with it the layout is fixed. A `Partial` update carries
//! one more byte after the tag and is refused before any other field is read.

use solana_address::Address;

/// Owner of every `PriceUpdateV2` account: the Pyth receiver program.
pub const PYTH_RECEIVER_ID: Address = Address::from_str_const("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ");
/// Anchor discriminator of `PriceUpdateV2`.
pub const PRICE_UPDATE_V2_DISCRIMINATOR: [u8; 8] = [34, 241, 35, 99, 157, 126, 244, 205];
/// Allocated size of a `PriceUpdateV2` account.
pub const PRICE_UPDATE_V2_LEN: usize = 134;

/// Borsh tag of `VerificationLevel::Full`.
pub const VERIFICATION_LEVEL_FULL: u8 = 1;

pub const VERIFICATION_LEVEL_OFFSET: usize = 8 + 32;
pub const FEED_ID_OFFSET: usize = VERIFICATION_LEVEL_OFFSET + 1;
pub const PRICE_OFFSET: usize = FEED_ID_OFFSET + 32;
pub const CONF_OFFSET: usize = PRICE_OFFSET + 8;
pub const EXPONENT_OFFSET: usize = CONF_OFFSET + 8;
pub const PUBLISH_TIME_OFFSET: usize = EXPONENT_OFFSET + 4;
pub const PREV_PUBLISH_TIME_OFFSET: usize = PUBLISH_TIME_OFFSET + 8;
pub const EMA_PRICE_OFFSET: usize = PREV_PUBLISH_TIME_OFFSET + 8;
pub const EMA_CONF_OFFSET: usize = EMA_PRICE_OFFSET + 8;
pub const POSTED_SLOT_OFFSET: usize = EMA_CONF_OFFSET + 8;

const _: () = assert!(POSTED_SLOT_OFFSET + 8 == PRICE_UPDATE_V2_LEN - 1);

/// The fields of a fully verified `PriceUpdateV2`, for building accounts off chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceUpdate {
    pub write_authority: Address,
    pub feed_id: [u8; 32],
    pub price: i64,
    pub conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
    pub prev_publish_time: i64,
    pub ema_price: i64,
    pub ema_conf: u64,
    pub posted_slot: u64,
}

impl PriceUpdate {
    /// The account data of this update at the `Full` verification level.
    pub fn to_account_data(&self) -> [u8; PRICE_UPDATE_V2_LEN] {
        let mut data = [0u8; PRICE_UPDATE_V2_LEN];
        data[..8].copy_from_slice(&PRICE_UPDATE_V2_DISCRIMINATOR);
        data[8..40].copy_from_slice(self.write_authority.as_ref());
        data[VERIFICATION_LEVEL_OFFSET] = VERIFICATION_LEVEL_FULL;
        data[FEED_ID_OFFSET..PRICE_OFFSET].copy_from_slice(&self.feed_id);
        data[PRICE_OFFSET..CONF_OFFSET].copy_from_slice(&self.price.to_le_bytes());
        data[CONF_OFFSET..EXPONENT_OFFSET].copy_from_slice(&self.conf.to_le_bytes());
        data[EXPONENT_OFFSET..PUBLISH_TIME_OFFSET].copy_from_slice(&self.exponent.to_le_bytes());
        data[PUBLISH_TIME_OFFSET..PREV_PUBLISH_TIME_OFFSET].copy_from_slice(&self.publish_time.to_le_bytes());
        data[PREV_PUBLISH_TIME_OFFSET..EMA_PRICE_OFFSET]
            .copy_from_slice(&self.prev_publish_time.to_le_bytes());
        data[EMA_PRICE_OFFSET..EMA_CONF_OFFSET].copy_from_slice(&self.ema_price.to_le_bytes());
        data[EMA_CONF_OFFSET..POSTED_SLOT_OFFSET].copy_from_slice(&self.ema_conf.to_le_bytes());
        data[POSTED_SLOT_OFFSET..POSTED_SLOT_OFFSET + 8].copy_from_slice(&self.posted_slot.to_le_bytes());
        data
    }
}
