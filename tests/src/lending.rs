//! A market with one reserve at a non-1 exchange rate, a user with liquidity and cTokens, and an empty
//! obligation: the starting point of the obligation, deposit, redeem and repay tests.
//!
//! The reserve holds 1,000,000 available and 100,000 borrowed for 1,000,000 cTokens, so one cToken is worth
//! 1.1 liquidity tokens. Token balances agree with the reserve: the vault holds `available_amount`, and the
//! cToken mint supply plus the cTokens held in obligations equals `collateral_supply`.

use {
    crate::{
        assert_rejected,
        fixtures::{
            market_state, mint_account, mint_supply, obligation_state, program_account, reserve_state,
            token_account, token_amount, ReserveKeys,
        },
        mollusk, wallet,
    },
    ballast_interface::{
        error::BallastError,
        pda,
        pod::{Le128, Le64},
        state::{Market, Obligation, ObligationBorrow, Reserve},
    },
    ballast_math::Fraction,
    mollusk_svm::result::InstructionResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

/// The slot every test runs in; the reserve was refreshed in it.
pub const SLOT: u64 = 1_000;
pub const DECIMALS: u8 = 6;
pub const AVAILABLE: u64 = 1_000_000;
pub const BORROWED: u64 = 100_000;
pub const CTOKEN_SUPPLY: u64 = 1_000_000;
pub const USER_LIQUIDITY: u64 = 10_000_000;
pub const USER_CTOKENS: u64 = 500_000;

/// Accounts by address, in insertion order.
#[derive(Clone, Default)]
pub struct World {
    pub accounts: Vec<(Address, Account)>,
}

impl World {
    pub fn set(&mut self, key: Address, account: Account) {
        match self.accounts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, existing)) => *existing = account,
            None => self.accounts.push((key, account)),
        }
    }

    pub fn get(&self, key: &Address) -> &Account {
        &self.accounts.iter().find(|(k, _)| k == key).unwrap_or_else(|| panic!("no account {key}")).1
    }

    pub fn get_mut(&mut self, key: &Address) -> &mut Account {
        &mut self.accounts.iter_mut().find(|(k, _)| k == key).unwrap_or_else(|| panic!("no account {key}")).1
    }

    pub fn state<T: bytemuck::Pod>(&self, key: &Address) -> T {
        bytemuck::pod_read_unaligned(&self.get(key).data)
    }

    /// Rewrites a program account's state in place.
    pub fn edit<T: bytemuck::Pod>(&mut self, key: &Address, edit: impl FnOnce(&mut T)) {
        let mut state: T = self.state(key);
        edit(&mut state);
        self.get_mut(key).data = bytemuck::bytes_of(&state).to_vec();
    }

    pub fn tokens(&self, key: &Address) -> u64 {
        token_amount(self.get(key))
    }

    /// The accounts an instruction names, each once, in the order it first names them.
    pub fn accounts_for(&self, instruction: &Instruction) -> Vec<(Address, Account)> {
        let mut out: Vec<(Address, Account)> = Vec::new();
        for meta in &instruction.accounts {
            if !out.iter().any(|(k, _)| *k == meta.pubkey) {
                out.push((meta.pubkey, self.get(&meta.pubkey).clone()));
            }
        }
        out
    }

    /// Runs the instruction at [`SLOT`].
    pub fn run(&self, instruction: &Instruction) -> InstructionResult {
        let mut mollusk = mollusk();
        mollusk.warp_to_slot(SLOT);
        mollusk.process_instruction(instruction, &self.accounts_for(instruction))
    }

    /// Runs the instruction, requires success, and returns the world after it.
    pub fn apply(&self, instruction: &Instruction) -> (World, InstructionResult) {
        let result = self.run(instruction);
        assert_eq!(
            result.program_result,
            mollusk_svm::result::ProgramResult::Success,
            "instruction failed: {:?}",
            result.program_result
        );
        let mut next = self.clone();
        for (key, account) in &result.resulting_accounts {
            next.set(*key, account.clone());
        }
        (next, result)
    }

    /// Requires the instruction to fail with `expected` and to leave every account unchanged.
    pub fn reject(&self, instruction: &Instruction, expected: BallastError) {
        let accounts = self.accounts_for(instruction);
        let mut mollusk = mollusk();
        mollusk.warp_to_slot(SLOT);
        let result = mollusk.process_instruction(instruction, &accounts);
        assert_rejected(&result, &accounts, expected);
    }
}

/// The market, its reserve, a user and the user's empty obligation.
#[derive(Clone)]
pub struct Env {
    pub world: World,
    pub market: Address,
    pub authority: Address,
    pub keys: ReserveKeys,
    pub user: Address,
    pub user_liquidity: Address,
    pub user_collateral: Address,
    pub obligation: Address,
    /// A second market with a reserve of its own (for market-mismatch cases).
    pub other_market: Address,
    pub other_reserve: Address,
}

pub fn env() -> Env {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let keys = ReserveKeys::new();
    let user = Address::new_unique();
    let user_liquidity = Address::new_unique();
    let user_collateral = Address::new_unique();
    let (authority, _) = pda::find_market_authority(&market);

    let mut reserve = reserve_state(&keys, &market, DECIMALS, Fraction::from_integer(1), SLOT);
    reserve.available_amount = Le64::new(AVAILABLE);
    reserve.borrowed_amount_sf = Le128::new(Fraction::from_integer(BORROWED).raw());
    reserve.collateral_supply = Le64::new(CTOKEN_SUPPLY);

    let (obligation, obligation_state) = obligation_state(&market, &user, 0);

    let other_market = Address::new_unique();
    let other_keys = ReserveKeys::new();
    let other_reserve = reserve_state(&other_keys, &other_market, DECIMALS, Fraction::from_integer(1), SLOT);

    let mut world = World::default();
    world.set(market, program_account(&market_state(&market, &owner)));
    world.set(other_market, program_account(&market_state(&other_market, &owner)));
    world.set(keys.reserve, program_account(&reserve));
    world.set(other_keys.reserve, program_account(&other_reserve));
    world.set(obligation, program_account(&obligation_state));
    world.set(keys.liquidity_vault, token_account(&keys.liquidity_mint, &authority, AVAILABLE));
    world.set(keys.collateral_mint, mint_account(Some(&authority), CTOKEN_SUPPLY, DECIMALS));
    world.set(keys.liquidity_mint, mint_account(None, 1_000_000_000_000, DECIMALS));
    world.set(authority, wallet(0));
    world.set(user, wallet(10_000_000_000));
    world.set(user_liquidity, token_account(&keys.liquidity_mint, &user, USER_LIQUIDITY));
    world.set(user_collateral, token_account(&keys.collateral_mint, &user, USER_CTOKENS));
    world.set(
        mollusk_svm_programs_token::token::keyed_account().0,
        mollusk_svm_programs_token::token::account(),
    );
    let (system_id, system_account) = mollusk_svm::program::keyed_account_for_system_program();
    world.set(system_id, system_account);

    Env {
        world,
        market,
        authority,
        keys,
        user,
        user_liquidity,
        user_collateral,
        obligation,
        other_market,
        other_reserve: other_keys.reserve,
    }
}

impl Env {
    pub fn reserve(&self) -> Reserve {
        self.world.state(&self.keys.reserve)
    }

    pub fn obligation(&self) -> Obligation {
        self.world.state(&self.obligation)
    }

    pub fn edit_reserve(&mut self, edit: impl FnOnce(&mut Reserve)) {
        self.world.edit(&self.keys.reserve, edit);
    }

    pub fn edit_market(&mut self, edit: impl FnOnce(&mut Market)) {
        self.world.edit(&self.market, edit);
    }

    pub fn edit_obligation(&mut self, edit: impl FnOnce(&mut Obligation)) {
        self.world.edit(&self.obligation, edit);
    }

    /// Sets the reserve's available liquidity and the vault balance together.
    pub fn set_available(&mut self, available: u64) {
        self.edit_reserve(|r| r.available_amount = Le64::new(available));
        self.world.set(
            self.keys.liquidity_vault,
            token_account(&self.keys.liquidity_mint, &self.authority, available),
        );
    }

    /// Adds a new token account holding `mint`, owned by `owner`, and returns its address.
    pub fn add_token_account(&mut self, mint: &Address, owner: &Address, amount: u64) -> Address {
        let key = Address::new_unique();
        self.world.set(key, token_account(mint, owner, amount));
        key
    }

    /// Adds an arbitrary account and returns its address.
    pub fn add_account(&mut self, account: Account) -> Address {
        let key = Address::new_unique();
        self.world.set(key, account);
        key
    }

    /// Moves `ctokens` of the user's wallet cTokens into the obligation, as DepositCollateral would: the
    /// mint supply falls, `collateral_supply` does not.
    pub fn deposit_into_obligation(&mut self, reserve: Address, ctokens: u64) {
        self.edit_obligation(|o| {
            let index = usize::from(o.deposit_count);
            o.deposits[index].reserve = reserve;
            o.deposits[index].collateral_amount = Le64::new(ctokens);
            o.deposit_count += 1;
        });
        let supply = mint_supply(self.world.get(&self.keys.collateral_mint));
        let user = self.world.tokens(&self.user_collateral);
        self.world.get_mut(&self.keys.collateral_mint).data[36..44]
            .copy_from_slice(&(supply - ctokens).to_le_bytes());
        self.world.get_mut(&self.user_collateral).data[64..72]
            .copy_from_slice(&(user - ctokens).to_le_bytes());
    }

    /// Gives the obligation a borrow from `reserve` of `debt` at index `snapshot`.
    pub fn add_borrow(&mut self, reserve: Address, debt: Fraction, snapshot: Fraction) {
        self.edit_obligation(|o| {
            let index = usize::from(o.borrow_count);
            o.borrows[index] = ObligationBorrow {
                reserve,
                borrowed_amount_sf: Le128::new(debt.raw()),
                cumulative_borrow_index_sf: Le128::new(snapshot.raw()),
                market_value_sf: Le128::new(0),
            };
            o.borrow_count += 1;
        });
    }

    /// Invariants 1 and 2 as balances: the vault holds exactly `available_amount`, and the cToken mint
    /// supply plus the cTokens held by this env's obligation equals `collateral_supply`.
    pub fn assert_balances_match(&self) {
        let reserve = self.reserve();
        assert_eq!(self.world.tokens(&self.keys.liquidity_vault), reserve.available_amount.get(), "vault");
        let in_obligation: u64 = self
            .obligation()
            .deposits()
            .iter()
            .filter(|d| d.reserve == self.keys.reserve)
            .map(|d| d.collateral_amount.get())
            .sum();
        assert_eq!(
            mint_supply(self.world.get(&self.keys.collateral_mint)) + in_obligation,
            reserve.collateral_supply.get(),
            "cToken supply"
        );
    }
}
