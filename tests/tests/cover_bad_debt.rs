//! CoverBadDebt: the insurance fund pays first, the rest is socialized, the borrow goes; and each rejection
//! with its own error and every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pod::Le128,
        state::{Obligation, Reserve},
    },
    ballast_math::Fraction,
    ballast_tests::{
        assert_rejected,
        fixtures::{program_account, token_account, token_amount},
        ladder_fixtures::{LiquidationCase, SLOT, USDC},
        mollusk, read_state,
    },
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

const OBLIGATION: usize = 0;
const MARKET: usize = 1;
const RESERVE: usize = 2;
const INSURANCE: usize = 3;
const VAULT: usize = 4;
const AUTHORITY: usize = 5;
const TOKEN_PROGRAM: usize = 6;

/// An obligation with no collateral left and a 100 USDC debt, an insurance fund of `insurance` USDC.
struct Case {
    inner: LiquidationCase,
    insurance: u64,
}

fn case(insurance: u64) -> Case {
    let mut inner = LiquidationCase::new(100);
    inner.obligation_state.deposit_count = 0;
    inner.obligation_state.deposits = Default::default();
    inner.refresh();
    Case { inner, insurance }
}

impl Case {
    fn ix(&self) -> Instruction {
        let c = &self.inner;
        client::cover_bad_debt(
            &c.obligation,
            &c.market,
            &c.debt.reserve,
            &c.debt.insurance_vault,
            &c.debt.liquidity_vault,
            &c.market_authority(),
        )
    }

    fn accounts(&self) -> Vec<(Address, Account)> {
        let c = &self.inner;
        let authority = c.market_authority();
        vec![
            (c.obligation, program_account(&c.obligation_state)),
            (c.market, program_account(&c.market_state)),
            (c.debt.reserve, program_account(&c.debt_reserve)),
            (c.debt.insurance_vault, token_account(&c.debt.liquidity_mint, &authority, self.insurance)),
            (
                c.debt.liquidity_vault,
                token_account(&c.debt.liquidity_mint, &authority, c.debt_reserve.available_amount.get()),
            ),
            (authority, Account::default()),
            mollusk_svm_programs_token::token::keyed_account(),
        ]
    }

    fn run_with(
        &self,
        ix: &Instruction,
        accounts: &[(Address, Account)],
    ) -> mollusk_svm::result::InstructionResult {
        let mut mollusk = mollusk();
        mollusk.warp_to_slot(self.inner.slot);
        mollusk.process_instruction(ix, accounts)
    }

    fn reject_with(&self, ix: &Instruction, accounts: &[(Address, Account)], expected: BallastError) {
        assert_rejected(&self.run_with(ix, accounts), accounts, expected);
    }

    fn reject(&self, expected: BallastError) {
        self.reject_with(&self.ix(), &self.accounts(), expected);
    }
}

#[test]
fn the_insurance_fund_pays_first_and_the_rest_is_socialized() {
    let case = case(30 * USDC);
    let result = case.run_with(&case.ix(), &case.accounts());
    assert_eq!(result.program_result, ProgramResult::Success);
    println!("CoverBadDebt CU: {}", result.compute_units_consumed);
    let out = &result.resulting_accounts;
    let before = case.inner.debt_reserve;
    assert_eq!(token_amount(&out[INSURANCE].1), 0);
    assert_eq!(token_amount(&out[VAULT].1), before.available_amount.get() + 30 * USDC);
    let reserve: Reserve = read_state(&out[RESERVE].1);
    assert_eq!(reserve.available_amount.get(), before.available_amount.get() + 30 * USDC);
    // The whole 100 USDC leave the borrowed total: 30 repaid by the fund, 70 written off.
    assert_eq!(reserve.borrowed_amount_sf.get(), 0);
    assert_eq!(reserve.collateral_supply, before.collateral_supply);
    let o: Obligation = read_state(&out[OBLIGATION].1);
    assert_eq!(o.borrow_count, 0);
    assert_eq!(o.borrowed_value_sf.get(), 0);
    assert_eq!(o.debt_value_bf_sf.get(), 0);
    assert_eq!(o.last_refresh_slot.get(), 0);
}

#[test]
fn a_large_fund_covers_the_debt_with_interest_in_full() {
    let mut case = case(500 * USDC);
    // The index rose 10% since the last refresh: the debt is 110 USDC.
    case.inner.debt_reserve.cumulative_borrow_index_sf = Le128::new(Fraction::from_percent(110).raw());
    case.inner.debt_reserve.borrowed_amount_sf = Le128::new(Fraction::from_integer(110 * USDC).raw());
    let result = case.run_with(&case.ix(), &case.accounts());
    assert_eq!(result.program_result, ProgramResult::Success);
    let out = &result.resulting_accounts;
    assert_eq!(token_amount(&out[INSURANCE].1), 390 * USDC);
    let reserve: Reserve = read_state(&out[RESERVE].1);
    assert_eq!(reserve.available_amount.get(), case.inner.debt_reserve.available_amount.get() + 110 * USDC);
    // The debt, rescaled and rounded up, leaves the borrowed total: only the rounding of 1.1 in binary is left.
    let debt = ballast_math::reserve::rescale_debt_ceil(
        Fraction::from_integer(100 * USDC),
        Fraction::ONE,
        Fraction::from_percent(110),
    )
    .unwrap();
    assert_eq!(reserve.borrowed_amount_sf.get(), Fraction::from_integer(110 * USDC).raw() - debt.raw());
    assert!(reserve.borrowed_amount_sf.get() < Fraction::ONE.raw());
}

#[test]
fn rejects_an_obligation_that_is_not_bad_debt() {
    let mut with_collateral = LiquidationCase::new(850);
    with_collateral.refresh();
    let case_with = Case { inner: with_collateral, insurance: 0 };
    case_with.reject(BallastError::NotBadDebt);
    let mut no_borrow = case(0);
    no_borrow.inner.obligation_state.borrows[0].reserve = Address::new_unique();
    no_borrow.reject(BallastError::NotBadDebt);
}

#[test]
fn rejects_stale_foreign_and_confused_accounts() {
    let mut stale = case(0);
    stale.inner.debt_reserve.last_update_slot.set(SLOT - 1);
    stale.reject(BallastError::ReserveStale);
    let mut foreign = case(0);
    foreign.inner.obligation_state.market = Address::new_unique();
    foreign.reject(BallastError::MarketMismatch);
    let mut foreign = case(0);
    foreign.inner.debt_reserve.market = Address::new_unique();
    foreign.reject(BallastError::MarketMismatch);
    let c = case(0);
    for index in [OBLIGATION, MARKET, RESERVE] {
        let mut accounts = c.accounts();
        accounts[index].1.owner = Address::new_unique();
        c.reject_with(&c.ix(), &accounts, BallastError::InvalidAccountOwner);
    }
    let mut accounts = c.accounts();
    accounts[OBLIGATION].1 = program_account(&c.inner.debt_reserve);
    c.reject_with(&c.ix(), &accounts, BallastError::InvalidAccountDiscriminator);
    for index in [OBLIGATION, RESERVE] {
        let mut ix = c.ix();
        ix.accounts[index].is_writable = false;
        c.reject_with(&ix, &c.accounts(), BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_wrong_vaults_authority_and_token_program() {
    let c = case(10 * USDC);
    let fake = Address::new_unique();
    for (index, expected) in [
        (INSURANCE, BallastError::InvalidVault),
        (VAULT, BallastError::InvalidVault),
        (AUTHORITY, BallastError::InvalidPda),
        (TOKEN_PROGRAM, BallastError::InvalidTokenProgram),
    ] {
        let mut ix = c.ix();
        ix.accounts[index].pubkey = fake;
        let mut accounts = c.accounts();
        accounts[index].0 = fake;
        if index == TOKEN_PROGRAM {
            accounts[index].1 = Account::default();
        }
        c.reject_with(&ix, &accounts, expected);
    }
    // The insurance vault holding another mint.
    let mut accounts = c.accounts();
    accounts[INSURANCE].1 = token_account(&Address::new_unique(), &c.inner.market_authority(), 10 * USDC);
    c.reject_with(&c.ix(), &accounts, BallastError::InvalidTokenAccountMint);
    // Bad data.
    let mut long = c.ix();
    long.data.push(0);
    c.reject_with(&long, &c.accounts(), BallastError::InvalidInstructionDataLength);
}
