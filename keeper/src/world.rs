//! A whole market on LiteSVM, built by real transactions: the market, reserves with their vaults and cToken
//! mints, Pyth price accounts, users with token accounts. After every step the scenario tests call
//! [`MarketWorld::check_invariants`], which checks DESIGN §8 invariants 1, 2 and 6 exactly. The simulator
//! builds its markets with it too.

use {
    crate::svm::Svm,
    ballast_interface::{
        client,
        instruction::InitMarketArgs,
        logic::reserve::total_liquidity,
        pda,
        pod::{Flag, Le16, Le32, Le64},
        state::{CurvePoint, Market, Obligation, Reserve, ReserveConfig, MAX_CURVE_POINTS},
    },
    ballast_math::{reserve::collateral_to_liquidity_floor, Fraction},
    solana_address::Address,
    solana_instruction::Instruction,
    solana_keypair::Keypair,
    solana_signer::Signer,
    std::collections::HashMap,
};

/// One reserve of the world and the accounts that go with it.
#[derive(Clone, Copy, Debug)]
pub struct ReserveHandle {
    pub reserve: Address,
    pub mint: Address,
    pub collateral_mint: Address,
    pub liquidity_vault: Address,
    pub fee_vault: Address,
    pub insurance_vault: Address,
    pub price_update: Address,
    pub feed_id: [u8; 32],
    pub decimals: u8,
    pub exponent: i32,
}

/// A user and their token accounts, one liquidity and one cToken account per reserve.
pub struct User {
    pub keypair: Keypair,
    pub liquidity: Vec<Address>,
    pub collateral: Vec<Address>,
}

impl User {
    pub fn address(&self) -> Address {
        self.keypair.pubkey()
    }
}

pub struct MarketWorld {
    pub svm: Svm,
    pub owner: Keypair,
    pub market: Address,
    pub reserves: Vec<ReserveHandle>,
    /// Every obligation created so far (for the collateral-supply invariant).
    pub obligations: Vec<Address>,
    last_index: HashMap<Address, Fraction>,
}

impl MarketWorld {
    pub fn new() -> Self {
        Self::with_svm(Svm::new())
    }

    /// A market on `svm`, owned by a new wallet that is also its risk and emergency council.
    pub fn with_svm(mut svm: Svm) -> Self {
        let owner = svm.new_wallet(100_000_000_000);
        let market_keypair = svm.new_keypair();
        svm.create_account(&market_keypair, Market::SIZE, &ballast_interface::ID);
        let market = market_keypair.pubkey();
        let args = InitMarketArgs::with_defaults(b"USD", owner.pubkey(), owner.pubkey());
        svm.must_send("init_market", &[client::init_market(&market, &owner.pubkey(), &args)], &[&owner]);
        Self { svm, owner, market, reserves: Vec::new(), obligations: Vec::new(), last_index: HashMap::new() }
    }

    /// Adds a reserve of a new mint priced at `price` × 10^`exponent` quote per token, with the fixtures'
    /// default configuration edited by `edit`. Returns its index.
    pub fn add_reserve(
        &mut self,
        decimals: u8,
        price: i64,
        exponent: i32,
        edit: impl FnOnce(&mut ReserveConfig),
    ) -> usize {
        let mint = self.svm.create_mint(decimals);
        let reserve_keypair = self.svm.new_keypair();
        self.svm.create_account(&reserve_keypair, Reserve::SIZE, &ballast_interface::ID);
        let reserve = reserve_keypair.pubkey();
        let feed_id = self.svm.new_keypair().pubkey().to_bytes();
        let mut config = reserve_config(feed_id);
        edit(&mut config);
        let payer = self.svm.payer.pubkey();
        let ix = client::init_reserve(&reserve, &self.market, &self.owner.pubkey(), &payer, &mint, &config);
        let owner = self.owner.insecure_clone();
        self.svm.must_send("init_reserve", &[ix], &[&owner]);
        let handle = ReserveHandle {
            reserve,
            mint,
            collateral_mint: pda::find_collateral_mint(&reserve).0,
            liquidity_vault: pda::find_liquidity_vault(&reserve).0,
            fee_vault: pda::find_fee_vault(&reserve).0,
            insurance_vault: pda::find_insurance_vault(&reserve).0,
            price_update: self.svm.new_keypair().pubkey(),
            feed_id,
            decimals,
            exponent,
        };
        self.reserves.push(handle);
        self.set_price(self.reserves.len() - 1, price);
        self.reserves.len() - 1
    }

    /// Publishes a new price for reserve `index`, dated now.
    pub fn set_price(&mut self, index: usize, price: i64) {
        let handle = self.reserves[index];
        self.svm.set_price(&handle.price_update, handle.feed_id, price, handle.exponent);
    }

    pub fn refresh_reserve_ix(&self, index: usize) -> Instruction {
        let handle = &self.reserves[index];
        client::refresh_reserve(&handle.reserve, Some(&handle.price_update))
    }

    /// Refreshes every reserve in one transaction (new prices must be published in the same slot).
    pub fn refresh_all(&mut self) {
        let ixs: Vec<Instruction> = (0..self.reserves.len()).map(|i| self.refresh_reserve_ix(i)).collect();
        self.svm.must_send("refresh_reserves", &ixs, &[]);
        self.check_invariants();
    }

    /// A funded user with token accounts for every reserve.
    pub fn new_user(&mut self) -> User {
        let keypair = self.svm.new_wallet(10_000_000_000);
        let owner = keypair.pubkey();
        let mut liquidity = Vec::new();
        let mut collateral = Vec::new();
        for handle in self.reserves.clone() {
            liquidity.push(self.svm.create_token_account(&handle.mint, &owner));
            collateral.push(self.svm.create_token_account(&handle.collateral_mint, &owner));
        }
        User { keypair, liquidity, collateral }
    }

    /// Mints liquidity tokens of reserve `index` to `user`.
    pub fn fund(&mut self, user: &User, index: usize, amount: u64) {
        let mint = self.reserves[index].mint;
        self.svm.mint_to(&mint, &user.liquidity[index], amount);
    }

    pub fn reserve(&self, index: usize) -> Reserve {
        self.svm.state(&self.reserves[index].reserve)
    }

    pub fn obligation(&self, address: &Address) -> Obligation {
        self.svm.state(address)
    }

    /// Creates the user's obligation with `seed`.
    pub fn init_obligation(&mut self, user: &User, seed: u8) -> Address {
        let payer = self.svm.payer.pubkey();
        let (ix, obligation) = client::init_obligation(&self.market, &user.address(), &payer, seed);
        self.svm.must_send("init_obligation", &[ix], &[&user.keypair]);
        self.obligations.push(obligation);
        obligation
    }

    /// DESIGN §8 invariants over every reserve, checked exactly:
    /// 1. the liquidity vault holds exactly `available_amount`;
    /// 2. cTokens in existence (mint supply + held in obligations) equal `collateral_supply`, and all of them
    ///    redeemed at the current rate (rounded down) are covered by the reserve's total liquidity;
    /// 6. the cumulative borrow index never decreases.
    pub fn check_invariants(&mut self) {
        for handle in self.reserves.clone() {
            let reserve: Reserve = self.svm.state(&handle.reserve);
            assert_eq!(
                self.svm.token_balance(&handle.liquidity_vault),
                reserve.available_amount.get(),
                "invariant 1: vault balance == available liquidity"
            );
            let in_obligations: u64 = self
                .obligations
                .iter()
                .map(|o| {
                    let obligation: Obligation = self.svm.state(o);
                    obligation
                        .deposits()
                        .iter()
                        .filter(|d| d.reserve == handle.reserve)
                        .map(|d| d.collateral_amount.get())
                        .sum::<u64>()
                })
                .sum();
            let supply = reserve.collateral_supply.get();
            assert_eq!(
                self.svm.mint_supply(&handle.collateral_mint) + in_obligations,
                supply,
                "cTokens in existence == collateral_supply"
            );
            let total = total_liquidity(&reserve).expect("total liquidity");
            let redeemable = collateral_to_liquidity_floor(supply, total, supply).expect("redeem value");
            assert!(
                Fraction::from_integer(redeemable) <= total,
                "invariant 2: cToken supply × rate <= total liquidity"
            );
            let index = Fraction::from_raw(reserve.cumulative_borrow_index_sf.get());
            if let Some(previous) = self.last_index.insert(handle.reserve, index) {
                assert!(index >= previous, "invariant 6: the borrow index never decreases");
            }
        }
    }
}

impl Default for MarketWorld {
    fn default() -> Self {
        Self::new()
    }
}

/// A typical reserve configuration: LTV 75%, liquidation threshold 80%, bonus 5..10%, a three-point curve.
pub fn reserve_config(feed_id: [u8; 32]) -> ReserveConfig {
    let mut curve = [CurvePoint::default(); MAX_CURVE_POINTS];
    let points = [(0u32, 0u32), (8_000, 1_000), (10_000, 10_000)];
    for (slot, (u, r)) in curve.iter_mut().zip(points) {
        *slot = CurvePoint { utilization_bps: Le32::new(u), rate_bps: Le32::new(r) };
    }
    ReserveConfig {
        loan_to_value_bps: Le16::new(7_500),
        liquidation_threshold_bps: Le16::new(8_000),
        borrow_factor_bps: Le16::new(10_000),
        min_liquidation_bonus_bps: Le16::new(500),
        max_liquidation_bonus_bps: Le16::new(1_000),
        bad_debt_liquidation_bonus_bps: Le16::new(99),
        bonus_escalation_bps_per_slot: Le16::new(1),
        protocol_liquidation_fee_bps: Le16::new(1_000),
        protocol_take_rate_bps: Le16::new(1_000),
        insurance_fee_share_bps: Le16::new(5_000),
        utilization_cap_bps: Le16::new(9_500),
        flash_loan_fee_bps: Le16::new(9),
        max_confidence_bps: Le16::new(200),
        max_twap_divergence_bps: Le16::new(500),
        borrowing_disabled: Flag::OFF,
        curve_point_count: points.len() as u8,
        padding: [0; 2],
        deposit_cap: Le64::new(u64::MAX / 4),
        borrow_cap: Le64::new(u64::MAX / 4),
        max_price_age_secs: Le64::new(60),
        pyth_feed_id: feed_id,
        borrow_rate_curve: curve,
        reserved: [0; 64],
    }
}
