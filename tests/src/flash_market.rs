//! A LiteSVM market for flash-loan and leverage-flow scenarios: a debt reserve (a USD stablecoin, 6 decimals)
//! and a collateral reserve (a 9-decimal asset at $100), both seeded with lender liquidity at a 1:1 cToken rate,
//! refreshed in the current slot, with real-format Pyth price accounts; two fixed-price pools of the test swap
//! program (debt to collateral and back); and a borrower with token accounts of both assets and of the
//! collateral cToken.
//!
//! Reserves are written from the fixtures (their vaults, cToken mints and token accounts are real SPL accounts
//! at the reserve's PDA addresses), so the scenarios do not depend on the reserve-administration instructions.

use {
    crate::{
        fixtures::{market_state, mint_account, program_account, reserve_state, token_account, ReserveKeys},
        svm::Svm,
        swap::{self, Pool},
    },
    ballast_interface::{
        client::{LeveragePosition, LeverageReserve},
        pda,
        state::{Market, Reserve},
    },
    ballast_math::Fraction,
    solana_address::Address,
    solana_keypair::Keypair,
    solana_signer::Signer,
};

pub const DEBT_DECIMALS: u8 = 6;
pub const COLLATERAL_DECIMALS: u8 = 9;
/// Pyth prices with exponent −8: $1 and $100.
pub const DEBT_PRICE: i64 = 100_000_000;
pub const COLLATERAL_PRICE: i64 = 10_000_000_000;
pub const PRICE_EXPONENT: i32 = -8;
/// Lender liquidity in each reserve: 100,000 USD of the stablecoin, 1,000 units of the collateral asset.
pub const DEBT_LIQUIDITY: u64 = 100_000_000_000;
pub const COLLATERAL_LIQUIDITY: u64 = 1_000_000_000_000;
/// Tokens in each vault of each pool.
pub const POOL_DEPTH: u64 = 1_000_000_000_000_000;
/// Debt-to-collateral pool: 10 collateral base units per debt base unit ($1 of 6 decimals buys 0.01 of 9).
pub const DEBT_TO_COLLATERAL: (u64, u64) = (10, 1);
/// Collateral-to-debt pool: the inverse price.
pub const COLLATERAL_TO_DEBT: (u64, u64) = (1, 10);

/// One reserve's addresses.
#[derive(Clone, Copy, Debug)]
pub struct MarketReserve {
    pub keys: ReserveKeys,
    pub decimals: u8,
}

impl MarketReserve {
    pub fn leverage(&self) -> LeverageReserve {
        LeverageReserve {
            reserve: self.keys.reserve,
            liquidity_vault: self.keys.liquidity_vault,
            collateral_mint: self.keys.collateral_mint,
            price_update: self.keys.price_update,
        }
    }
}

pub struct FlashMarket {
    pub svm: Svm,
    pub market: Address,
    pub authority: Address,
    pub debt: MarketReserve,
    pub collateral: MarketReserve,
    /// Pays debt asset, receives collateral asset.
    pub buy_collateral: Pool,
    /// Pays collateral asset, receives debt asset.
    pub sell_collateral: Pool,
    pub borrower: Keypair,
    pub borrower_debt: Address,
    pub borrower_collateral: Address,
    pub borrower_ctokens: Address,
}

impl FlashMarket {
    pub fn new() -> Self {
        let mut svm = Svm::new();
        svm.svm.add_program_from_file(swap::ID, swap::so_path()).expect("load ballast_test_swap.so");
        let market = Address::new_unique();
        let market_data = market_state(&market, &svm.payer.pubkey());
        let authority = market_data.authority;
        svm.svm.set_account(market, program_account(&market_data)).expect("market");

        let debt_mint = svm.create_mint(DEBT_DECIMALS);
        let collateral_mint = svm.create_mint(COLLATERAL_DECIMALS);
        let debt = Self::add_reserve(
            &mut svm,
            &market,
            &authority,
            debt_mint,
            DEBT_DECIMALS,
            DEBT_LIQUIDITY,
            DEBT_PRICE,
        );
        let collateral = Self::add_reserve(
            &mut svm,
            &market,
            &authority,
            collateral_mint,
            COLLATERAL_DECIMALS,
            COLLATERAL_LIQUIDITY,
            COLLATERAL_PRICE,
        );

        let buy_collateral = Self::add_pool(&mut svm, &debt_mint, &collateral_mint, DEBT_TO_COLLATERAL);
        let sell_collateral = Self::add_pool(&mut svm, &collateral_mint, &debt_mint, COLLATERAL_TO_DEBT);

        let borrower = svm.new_wallet(10_000_000_000);
        let owner = borrower.pubkey();
        let borrower_debt = svm.create_token_account(&debt_mint, &owner);
        let borrower_collateral = svm.create_token_account(&collateral_mint, &owner);
        let borrower_ctokens = svm.create_token_account(&collateral.keys.collateral_mint, &owner);
        Self {
            svm,
            market,
            authority,
            debt,
            collateral,
            buy_collateral,
            sell_collateral,
            borrower,
            borrower_debt,
            borrower_collateral,
            borrower_ctokens,
        }
    }

    /// A reserve refreshed now, holding `liquidity` from lenders who hold as many cTokens; its vault and cToken
    /// mint are SPL accounts at the reserve's PDA addresses, owned by the market authority.
    fn add_reserve(
        svm: &mut Svm,
        market: &Address,
        authority: &Address,
        mint: Address,
        decimals: u8,
        liquidity: u64,
        price: i64,
    ) -> MarketReserve {
        let keys = ReserveKeys { liquidity_mint: mint, ..ReserveKeys::new() };
        let whole_token_price =
            Fraction::from_ratio(u64::try_from(price).expect("positive"), 100_000_000).expect("price");
        let mut reserve = reserve_state(&keys, market, decimals, whole_token_price, svm.slot());
        reserve.available_amount.set(liquidity);
        reserve.collateral_supply.set(liquidity);
        svm.svm.set_account(keys.reserve, program_account(&reserve)).expect("reserve");
        svm.svm.set_account(keys.liquidity_vault, token_account(&mint, authority, liquidity)).expect("vault");
        svm.svm
            .set_account(keys.collateral_mint, mint_account(Some(authority), liquidity, decimals))
            .expect("cToken mint");
        svm.set_price(&keys.price_update, keys.feed_id, price, PRICE_EXPONENT);
        MarketReserve { keys, decimals }
    }

    fn add_pool(
        svm: &mut Svm,
        mint_in: &Address,
        mint_out: &Address,
        (numerator, denominator): (u64, u64),
    ) -> Pool {
        let pool = Address::new_unique();
        let (pool_authority, _) = swap::pool_authority(&pool);
        let vault_in = svm.create_token_account(mint_in, &pool_authority);
        let vault_out = svm.create_token_account(mint_out, &pool_authority);
        svm.mint_to(mint_out, &vault_out, POOL_DEPTH);
        svm.svm
            .set_account(pool, swap::pool_account(&pool, &vault_in, &vault_out, numerator, denominator))
            .expect("pool");
        Pool { pool, vault_in, vault_out }
    }

    pub fn owner(&self) -> Address {
        self.borrower.pubkey()
    }

    pub fn reserve(&self, reserve: &MarketReserve) -> Reserve {
        self.svm.state(&reserve.keys.reserve)
    }

    pub fn market_state(&self) -> Market {
        self.svm.state(&self.market)
    }

    pub fn balance(&self, account: &Address) -> u64 {
        self.svm.token_balance(account)
    }

    /// The borrower's obligation with seed 0.
    pub fn obligation(&self) -> Address {
        pda::find_obligation(&self.market, &self.owner(), 0).0
    }

    pub fn position(&self) -> LeveragePosition {
        LeveragePosition {
            market: self.market,
            owner: self.owner(),
            obligation: self.obligation(),
            collateral: self.collateral.leverage(),
            debt: self.debt.leverage(),
            owner_debt_liquidity: self.borrower_debt,
            owner_collateral_liquidity: self.borrower_collateral,
            owner_collateral_ctokens: self.borrower_ctokens,
        }
    }

    /// Publishes both prices again at the current clock, for a scenario that moved time.
    pub fn set_prices_now(&mut self) {
        let (debt, collateral) = (self.debt.keys, self.collateral.keys);
        self.svm.set_price(&debt.price_update, debt.feed_id, DEBT_PRICE, PRICE_EXPONENT);
        self.svm.set_price(&collateral.price_update, collateral.feed_id, COLLATERAL_PRICE, PRICE_EXPONENT);
    }

    /// Invariant 1 of DESIGN §8 for one reserve: the vault holds exactly the available liquidity (which includes
    /// the uncollected protocol fees paid in tokens).
    pub fn assert_vault_matches(&self, reserve: &MarketReserve) {
        let state = self.reserve(reserve);
        assert_eq!(
            self.balance(&reserve.keys.liquidity_vault),
            state.available_amount.get(),
            "vault == available liquidity"
        );
    }

    /// Total liquidity of a reserve, `available + borrowed − protocol fees`, as a raw `Fraction`.
    pub fn total_liquidity(&self, reserve: &MarketReserve) -> u128 {
        let state = self.reserve(reserve);
        ballast_math::reserve::total_liquidity(
            state.available_amount.get(),
            Fraction::from_raw(state.borrowed_amount_sf.get()),
            Fraction::from_raw(state.protocol_fees_sf.get()),
        )
        .expect("total liquidity")
        .raw()
    }
}

impl Default for FlashMarket {
    fn default() -> Self {
        Self::new()
    }
}
