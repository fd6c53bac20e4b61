//! Account builders: program accounts written straight from the interface layouts, SPL token accounts and
//! mints, and Pyth `PriceUpdateV2` accounts in their real format. Tests of one instruction start from these
//! instead of running every instruction before it.

use {
    ballast_interface::{
        oracle::{PriceUpdate, PYTH_RECEIVER_ID},
        pda,
        pod::{Flag, Le128, Le16, Le64, LeI64},
        state::{
            AccountHeader, AccountKind, DeleverageState, Market, Obligation, PreLiquidationConfig, Reserve,
            PRICE_FULLY_CHECKED, PRICE_LOADED,
        },
    },
    ballast_math::Fraction,
    solana_account::Account,
    solana_address::Address,
};

/// The SPL Token program id.
pub const TOKEN_PROGRAM_ID: Address = Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

pub use ballast_keeper::svm::{mint_supply, token_amount, MINT_LEN, TOKEN_ACCOUNT_LEN};

pub fn rent_exempt(len: usize) -> u64 {
    mollusk_svm::Mollusk::default().sysvars.rent.minimum_balance(len)
}

/// An account owned by the program holding `state`'s bytes.
pub fn program_account<T: bytemuck::Pod>(state: &T) -> Account {
    let data = bytemuck::bytes_of(state).to_vec();
    Account {
        lamports: rent_exempt(data.len()),
        data,
        owner: ballast_interface::ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// A market with the default risk parameters.
pub fn market_state(market: &Address, owner: &Address) -> Market {
    let (authority, authority_bump) = pda::find_market_authority(market);
    Market {
        header: AccountHeader::new(AccountKind::Market),
        owner: *owner,
        pending_owner: Address::default(),
        risk_council: Address::new_from_array([7; 32]),
        emergency_council: Address::new_from_array([8; 32]),
        quote_currency: {
            let mut q = [0u8; 32];
            q[..3].copy_from_slice(b"USD");
            q
        },
        authority_bump,
        close_factor_pct: Market::DEFAULT_CLOSE_FACTOR_PCT,
        insolvency_ltv_pct: Market::DEFAULT_INSOLVENCY_LTV_PCT,
        borrow_disabled: Flag::OFF,
        price_triggered_liquidation_disabled: Flag::OFF,
        emergency_mode: Flag::OFF,
        padding: [0; 2],
        max_liquidatable_value_at_once: Le64::new(Market::DEFAULT_MAX_LIQUIDATABLE_VALUE_AT_ONCE),
        min_full_liquidation_value: Le64::new(Market::DEFAULT_MIN_FULL_LIQUIDATION_VALUE),
        min_value_skip_ltv_checks: Le64::new(Market::DEFAULT_MIN_VALUE_SKIP_CHECKS),
        min_value_skip_bf_checks: Le64::new(Market::DEFAULT_MIN_VALUE_SKIP_CHECKS),
        authority,
        reserved: [0; 480],
    }
}

/// A typical reserve configuration: LTV 75%, liquidation threshold 80%, bonus 5..10%, a three-point curve.
pub use ballast_keeper::world::reserve_config;

/// Addresses of a reserve and its accounts.
#[derive(Clone, Copy, Debug)]
pub struct ReserveKeys {
    pub reserve: Address,
    pub liquidity_mint: Address,
    pub liquidity_vault: Address,
    pub fee_vault: Address,
    pub insurance_vault: Address,
    pub collateral_mint: Address,
    pub price_update: Address,
    pub feed_id: [u8; 32],
}

impl ReserveKeys {
    pub fn new() -> Self {
        let reserve = Address::new_unique();
        let feed_id = Address::new_unique().to_bytes();
        Self {
            reserve,
            liquidity_mint: Address::new_unique(),
            liquidity_vault: pda::find_liquidity_vault(&reserve).0,
            fee_vault: pda::find_fee_vault(&reserve).0,
            insurance_vault: pda::find_insurance_vault(&reserve).0,
            collateral_mint: pda::find_collateral_mint(&reserve).0,
            price_update: Address::new_unique(),
            feed_id,
        }
    }
}

impl Default for ReserveKeys {
    fn default() -> Self {
        Self::new()
    }
}

/// An initialized reserve with no liquidity, refreshed at `slot` with a fully checked `price`.
pub fn reserve_state(
    keys: &ReserveKeys,
    market: &Address,
    decimals: u8,
    price: Fraction,
    slot: u64,
) -> Reserve {
    Reserve {
        header: AccountHeader::new(AccountKind::Reserve),
        market: *market,
        liquidity_mint: keys.liquidity_mint,
        token_program: TOKEN_PROGRAM_ID,
        liquidity_vault: keys.liquidity_vault,
        fee_vault: keys.fee_vault,
        insurance_vault: keys.insurance_vault,
        collateral_mint: keys.collateral_mint,
        liquidity_decimals: decimals,
        price_status: PRICE_LOADED | PRICE_FULLY_CHECKED,
        padding: [0; 6],
        last_update_slot: Le64::new(slot),
        available_amount: Le64::new(0),
        collateral_supply: Le64::new(0),
        borrowed_amount_sf: Le128::new(0),
        cumulative_borrow_index_sf: Le128::new(Fraction::ONE.raw()),
        protocol_fees_sf: Le128::new(0),
        price_sf: Le128::new(price.raw()),
        price_timestamp: LeI64::new(0),
        config: reserve_config(keys.feed_id),
        deleverage: [DeleverageState::default(); 2],
        reserved: [0; 512],
    }
}

/// An empty obligation.
pub fn obligation_state(market: &Address, owner: &Address, seed: u8) -> (Address, Obligation) {
    let (address, bump) = pda::find_obligation(market, owner, seed);
    let obligation = Obligation {
        header: AccountHeader::new(AccountKind::Obligation),
        market: *market,
        owner: *owner,
        seed,
        bump,
        deposit_count: 0,
        borrow_count: 0,
        price_status: 0,
        padding: [0; 3],
        last_refresh_slot: Le64::new(0),
        liquidatable_since_slot: Le64::new(0),
        deposited_value_sf: Le128::new(0),
        borrowed_value_sf: Le128::new(0),
        debt_value_bf_sf: Le128::new(0),
        allowed_borrow_value_sf: Le128::new(0),
        unhealthy_borrow_value_sf: Le128::new(0),
        highest_borrow_factor_bps: Le16::new(0),
        lowest_liquidation_threshold_bps: Le16::new(0),
        pre_liquidation: PreLiquidationConfig::default(),
        padding2: [0; 4],
        deposits: Default::default(),
        borrows: Default::default(),
        reserved: [0; 256],
    };
    (address, obligation)
}

/// An SPL mint.
pub fn mint_account(authority: Option<&Address>, supply: u64, decimals: u8) -> Account {
    let mut data = vec![0u8; MINT_LEN];
    if let Some(authority) = authority {
        data[0..4].copy_from_slice(&1u32.to_le_bytes());
        data[4..36].copy_from_slice(authority.as_ref());
    }
    data[36..44].copy_from_slice(&supply.to_le_bytes());
    data[44] = decimals;
    data[45] = 1;
    Account {
        lamports: rent_exempt(MINT_LEN),
        data,
        owner: TOKEN_PROGRAM_ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// An initialized SPL token account.
pub fn token_account(mint: &Address, owner: &Address, amount: u64) -> Account {
    let mut data = vec![0u8; TOKEN_ACCOUNT_LEN];
    data[0..32].copy_from_slice(mint.as_ref());
    data[32..64].copy_from_slice(owner.as_ref());
    data[64..72].copy_from_slice(&amount.to_le_bytes());
    data[108] = 1;
    Account {
        lamports: rent_exempt(TOKEN_ACCOUNT_LEN),
        data,
        owner: TOKEN_PROGRAM_ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// A fully verified Pyth `PriceUpdateV2` account: `price` × 10^`exponent`, a tight confidence and the EMA
/// equal to the price, published at `publish_time`.
pub fn price_update_account(feed_id: [u8; 32], price: i64, exponent: i32, publish_time: i64) -> Account {
    let update = PriceUpdate {
        write_authority: Address::new_from_array([9; 32]),
        feed_id,
        price,
        conf: (price / 1_000).unsigned_abs(),
        exponent,
        publish_time,
        prev_publish_time: publish_time - 1,
        ema_price: price,
        ema_conf: (price / 1_000).unsigned_abs(),
        posted_slot: 0,
    };
    price_update_from(&update)
}

pub fn price_update_from(update: &PriceUpdate) -> Account {
    let data = update.to_account_data().to_vec();
    Account {
        lamports: rent_exempt(data.len()),
        data,
        owner: PYTH_RECEIVER_ID,
        executable: false,
        rent_epoch: 0,
    }
}
