//! A market with reserves of several prices, a borrower and the borrower's obligation: the starting point of
//! the RefreshObligation, Borrow and WithdrawCollateral tests.
//!
//! Reserve 0 ("collateral") is a 6-decimal token at 1 quote unit whose cTokens are worth 1.1 tokens
//! (1,000 available + 100 borrowed for 1,000 cTokens); reserve 1 ("debt") is a 6-decimal token at 2 quote
//! units with 500 available and no cTokens. Every reserve was refreshed at [`SLOT`] with a fully checked
//! price, and token balances agree with the reserves: each vault holds `available_amount`, and each cToken
//! mint's supply plus the cTokens held by the obligation equals `collateral_supply`.

use {
    crate::{
        fixtures::{
            market_state, mint_account, mint_supply, obligation_state, program_account, reserve_state,
            token_account, ReserveKeys,
        },
        wallet,
    },
    ballast_interface::{
        client::{BorrowAccounts, WithdrawCollateralAccounts},
        logic::obligation::refresh_obligation,
        pda,
        pod::{Le128, Le64},
        state::{Market, Obligation, ObligationBorrow, ObligationDeposit, Reserve},
    },
    ballast_math::Fraction,
    solana_account::Account,
    solana_address::Address,
};

/// The slot every test runs in (the reserves were refreshed in it) and the liquidity decimals: the same as the
/// lending set-up, whose [`World`] runs the instructions.
pub use crate::lending::{DECIMALS, SLOT};
/// One whole token in base units.
pub const UNIT: u64 = 1_000_000;

/// The same account map and runner as the lending set-up, at the same [`SLOT`].
pub use crate::lending::World;

/// A reserve and the token accounts around it.
#[derive(Clone, Copy, Debug)]
pub struct TestReserve {
    pub keys: ReserveKeys,
    /// The borrower's token account of the liquidity mint.
    pub user_liquidity: Address,
    /// The borrower's token account of the cToken mint.
    pub user_collateral: Address,
}

/// The market, its reserves, the borrower and the borrower's obligation.
#[derive(Clone)]
pub struct Env {
    pub world: World,
    pub market: Address,
    pub authority: Address,
    pub user: Address,
    pub obligation: Address,
    pub reserves: Vec<TestReserve>,
    /// A second market with a reserve of its own (for market-mismatch cases).
    pub other_market: Address,
    pub other_reserve: Address,
}

/// Index of the collateral reserve in [`Env::reserves`].
pub const COLLATERAL: usize = 0;
/// Index of the debt reserve in [`Env::reserves`].
pub const DEBT: usize = 1;

pub fn env() -> Env {
    let market = Address::new_unique();
    let market_owner = Address::new_unique();
    let user = Address::new_unique();
    let (authority, _) = pda::find_market_authority(&market);
    let (obligation, obligation_state) = obligation_state(&market, &user, 0);
    let other_market = Address::new_unique();
    let other_keys = ReserveKeys::new();

    let mut world = World::default();
    world.set(market, program_account(&market_state(&market, &market_owner)));
    world.set(other_market, program_account(&market_state(&other_market, &market_owner)));
    world.set(
        other_keys.reserve,
        program_account(&reserve_state(&other_keys, &other_market, DECIMALS, Fraction::ONE, SLOT)),
    );
    world.set(obligation, program_account(&obligation_state));
    world.set(authority, wallet(0));
    world.set(user, wallet(10_000_000_000));
    world.set(
        mollusk_svm_programs_token::token::keyed_account().0,
        mollusk_svm_programs_token::token::account(),
    );

    let mut env = Env {
        world,
        market,
        authority,
        user,
        obligation,
        reserves: Vec::new(),
        other_market,
        other_reserve: other_keys.reserve,
    };
    // 1,000 available + 100 borrowed for 1,000 cTokens at price 1: one cToken is worth 1.1 tokens.
    env.add_reserve(Fraction::ONE, 1_000 * UNIT, 100 * UNIT, 1_000 * UNIT);
    env.add_reserve(Fraction::from_integer(2), 500 * UNIT, 0, 0);
    env
}

impl Env {
    /// Adds a reserve of this market at `price` with its vault, cToken mint and the user's token accounts
    /// (empty), and returns its index.
    pub fn add_reserve(
        &mut self,
        price: Fraction,
        available: u64,
        borrowed: u64,
        ctoken_supply: u64,
    ) -> usize {
        let keys = ReserveKeys::new();
        let mut reserve = reserve_state(&keys, &self.market, DECIMALS, price, SLOT);
        reserve.available_amount = Le64::new(available);
        reserve.borrowed_amount_sf = Le128::new(Fraction::from_integer(borrowed).raw());
        reserve.collateral_supply = Le64::new(ctoken_supply);
        let user_liquidity = Address::new_unique();
        let user_collateral = Address::new_unique();
        self.world.set(keys.reserve, program_account(&reserve));
        self.world.set(keys.liquidity_vault, token_account(&keys.liquidity_mint, &self.authority, available));
        self.world.set(keys.collateral_mint, mint_account(Some(&self.authority), ctoken_supply, DECIMALS));
        self.world.set(keys.liquidity_mint, mint_account(None, u64::MAX / 2, DECIMALS));
        self.world.set(user_liquidity, token_account(&keys.liquidity_mint, &self.user, 0));
        self.world.set(user_collateral, token_account(&keys.collateral_mint, &self.user, 0));
        self.reserves.push(TestReserve { keys, user_liquidity, user_collateral });
        self.reserves.len() - 1
    }

    pub fn reserve_address(&self, index: usize) -> Address {
        self.reserves[index].keys.reserve
    }

    pub fn reserve(&self, index: usize) -> Reserve {
        self.world.state(&self.reserve_address(index))
    }

    pub fn market_state(&self) -> Market {
        self.world.state(&self.market)
    }

    pub fn obligation(&self) -> Obligation {
        self.world.state(&self.obligation)
    }

    pub fn edit_reserve(&mut self, index: usize, edit: impl FnOnce(&mut Reserve)) {
        let key = self.reserve_address(index);
        self.world.edit(&key, edit);
    }

    pub fn edit_market(&mut self, edit: impl FnOnce(&mut Market)) {
        self.world.edit(&self.market, edit);
    }

    pub fn edit_obligation(&mut self, edit: impl FnOnce(&mut Obligation)) {
        self.world.edit(&self.obligation, edit);
    }

    /// Adds an arbitrary account and returns its address.
    pub fn add_account(&mut self, account: Account) -> Address {
        let key = Address::new_unique();
        self.world.set(key, account);
        key
    }

    /// Puts `ctokens` of reserve `index` into the obligation as DepositCollateral would: they leave the cToken
    /// mint's supply, `collateral_supply` is unchanged.
    pub fn deposit(&mut self, index: usize, ctokens: u64) {
        let reserve = self.reserve_address(index);
        self.edit_obligation(|o| {
            let slot = usize::from(o.deposit_count);
            o.deposits[slot] = ObligationDeposit {
                reserve,
                collateral_amount: Le64::new(ctokens),
                market_value_sf: Le128::new(0),
            };
            o.deposit_count += 1;
        });
        let mint = self.reserves[index].keys.collateral_mint;
        let supply = mint_supply(self.world.get(&mint));
        self.world.get_mut(&mint).data[36..44].copy_from_slice(&(supply - ctokens).to_le_bytes());
    }

    /// Gives the obligation a debt of `debt` tokens of reserve `index` at index `snapshot`, and books it as
    /// borrowed on the reserve (out of its available liquidity and vault).
    pub fn add_borrow(&mut self, index: usize, debt: Fraction, snapshot: Fraction) {
        let reserve = self.reserve_address(index);
        self.edit_obligation(|o| {
            let slot = usize::from(o.borrow_count);
            o.borrows[slot] = ObligationBorrow {
                reserve,
                borrowed_amount_sf: Le128::new(debt.raw()),
                cumulative_borrow_index_sf: Le128::new(snapshot.raw()),
                market_value_sf: Le128::new(0),
            };
            o.borrow_count += 1;
        });
        let whole = debt.to_u64_ceil().unwrap();
        self.edit_reserve(index, |r| {
            r.available_amount = Le64::new(r.available_amount.get() - whole);
            r.borrowed_amount_sf = Le128::new(r.borrowed_amount_sf.get() + debt.raw());
        });
        let vault = self.reserves[index].keys.liquidity_vault;
        let mint = self.reserves[index].keys.liquidity_mint;
        let available = self.reserve(index).available_amount.get();
        self.world.set(vault, token_account(&mint, &self.authority, available));
    }

    /// Refreshes the obligation off chain with the same pure logic the program runs, at [`SLOT`].
    pub fn refresh(&mut self) {
        let market = self.market_state();
        let mut obligation = self.obligation();
        let reserves: Vec<(Address, Reserve)> = obligation
            .deposits()
            .iter()
            .map(|d| d.reserve)
            .chain(obligation.borrows().iter().map(|b| b.reserve))
            .map(|key| (key, self.world.state::<Reserve>(&key)))
            .collect();
        refresh_obligation(&mut obligation, &market, &reserves, SLOT).expect("refresh");
        self.edit_obligation(|o| *o = obligation);
    }

    /// The reserves of the obligation's deposits and borrows, in its order.
    pub fn position_reserves(&self) -> (Vec<Address>, Vec<Address>) {
        let obligation = self.obligation();
        (
            obligation.deposits().iter().map(|d| d.reserve).collect(),
            obligation.borrows().iter().map(|b| b.reserve).collect(),
        )
    }

    pub fn borrow_accounts(&self, index: usize) -> BorrowAccounts {
        let reserve = &self.reserves[index];
        BorrowAccounts {
            obligation: self.obligation,
            reserve: reserve.keys.reserve,
            market: self.market,
            owner: self.user,
            liquidity_vault: reserve.keys.liquidity_vault,
            destination: reserve.user_liquidity,
        }
    }

    pub fn withdraw_accounts(&self, index: usize) -> WithdrawCollateralAccounts {
        let reserve = &self.reserves[index];
        WithdrawCollateralAccounts {
            obligation: self.obligation,
            reserve: reserve.keys.reserve,
            market: self.market,
            owner: self.user,
            destination: reserve.user_collateral,
            collateral_mint: reserve.keys.collateral_mint,
        }
    }

    /// Invariants 1 and 2 as balances for reserve `index`: the vault holds exactly `available_amount`, and
    /// the cToken mint supply plus the cTokens held by the obligation equals `collateral_supply`.
    pub fn assert_balances_match(&self, index: usize) {
        let reserve = self.reserve(index);
        let keys = &self.reserves[index].keys;
        assert_eq!(self.world.tokens(&keys.liquidity_vault), reserve.available_amount.get(), "vault");
        let in_obligation: u64 = self
            .obligation()
            .deposits()
            .iter()
            .filter(|d| d.reserve == keys.reserve)
            .map(|d| d.collateral_amount.get())
            .sum();
        assert_eq!(
            mint_supply(self.world.get(&keys.collateral_mint)) + in_obligation,
            reserve.collateral_supply.get(),
            "cToken supply"
        );
    }
}
