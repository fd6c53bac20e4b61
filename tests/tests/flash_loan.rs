//! FlashBorrow and FlashRepay, one transaction at a time in Mollusk (`process_transaction_instructions` runs
//! the instructions in one transaction context with the real instructions sysvar): success with the exact fee
//! and balances, and every rejection with its own error and every account unchanged.
//!
//! FlashRepay's own checks cannot be reached in a real transaction once FlashBorrow has matched the pair, so
//! they are exercised with an instructions sysvar account written for the test: the transaction itself runs
//! a system transfer at index 0 and the repayment at index 1, while the sysvar describes whatever index 0
//! the case needs.

use {
    ballast_interface::{
        client,
        error::BallastError,
        state::{Market, Reserve, FLASH_LOANS_DISABLED},
    },
    ballast_math::Fraction,
    ballast_tests::{
        fixtures::{market_state, program_account, reserve_state, token_account, token_amount, ReserveKeys},
        mollusk, read_state, swap, wallet,
    },
    mollusk_svm::{
        instructions_sysvar,
        program::{create_program_account_loader_v3, keyed_account_for_system_program},
        Mollusk,
    },
    mollusk_svm_result::{
        types::{TransactionProgramResult, TransactionResult},
        ProgramResult,
    },
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
    solana_program_error::ProgramError,
};

const SLOT: u64 = 1_000;
const DECIMALS: u8 = 6;
const AVAILABLE: u64 = 1_000_000_000;
const LOAN: u64 = 400_000_000;
/// The fixtures' flash-loan fee.
const FEE_BPS: u16 = 9;
/// ceil(400_000_000 × 9 / 10_000).
const FEE: u64 = 360_000;
const USER_BALANCE: u64 = 5_000_000;

struct Case {
    market: Address,
    market_state: Market,
    keys: ReserveKeys,
    reserve: Reserve,
    authority: Address,
    user: Address,
    user_tokens: Address,
    /// A second reserve of the same market, for the wrong-reserve cases.
    other_keys: ReserveKeys,
    other_reserve: Reserve,
    /// Tokens in the reserve's liquidity vault.
    vault_balance: u64,
    /// Tokens in the user's account.
    user_balance: u64,
    /// Pays for the filler instruction.
    payer: Address,
    /// Accounts added by a case (a written instructions sysvar, a foreign token account).
    extra: Vec<(Address, Account)>,
}

fn case() -> Case {
    let market = Address::new_unique();
    let market_state = market_state(&market, &Address::new_unique());
    let price = Fraction::from_integer(1);
    let keys = ReserveKeys::new();
    let mut reserve = reserve_state(&keys, &market, DECIMALS, price, SLOT);
    reserve.available_amount.set(AVAILABLE);
    reserve.collateral_supply.set(AVAILABLE);
    let other_keys = ReserveKeys { liquidity_mint: keys.liquidity_mint, ..ReserveKeys::new() };
    let mut other_reserve = reserve_state(&other_keys, &market, DECIMALS, price, SLOT);
    other_reserve.available_amount.set(AVAILABLE);
    Case {
        market,
        authority: market_state.authority,
        market_state,
        keys,
        reserve,
        user: Address::new_unique(),
        user_tokens: Address::new_unique(),
        other_keys,
        other_reserve,
        vault_balance: AVAILABLE,
        user_balance: USER_BALANCE,
        payer: Address::new_unique(),
        extra: Vec::new(),
    }
}

impl Case {
    fn accounts(&self) -> Vec<(Address, Account)> {
        let mut accounts = vec![
            (self.keys.reserve, program_account(&self.reserve)),
            (self.market, program_account(&self.market_state)),
            (
                self.keys.liquidity_vault,
                token_account(&self.keys.liquidity_mint, &self.authority, self.vault_balance),
            ),
            (self.user_tokens, token_account(&self.keys.liquidity_mint, &self.user, self.user_balance)),
            (self.payer, wallet(1_000_000_000)),
            (self.authority, Account::default()),
            (self.user, wallet(1_000_000_000)),
            mollusk_svm_programs_token::token::keyed_account(),
            (self.other_keys.reserve, program_account(&self.other_reserve)),
            (
                self.other_keys.liquidity_vault,
                token_account(&self.other_keys.liquidity_mint, &self.authority, AVAILABLE),
            ),
            keyed_account_for_system_program(),
        ];
        accounts.extend(self.extra.iter().cloned());
        accounts
    }

    fn borrow(&self, amount: u64) -> Instruction {
        client::flash_borrow(
            &self.keys.reserve,
            &self.market,
            &self.keys.liquidity_vault,
            &self.user_tokens,
            amount,
        )
    }

    fn repay(&self, amount: u64, borrow_index: u8) -> Instruction {
        client::flash_repay(
            &self.keys.reserve,
            &self.market,
            &self.keys.liquidity_vault,
            &self.user_tokens,
            &self.user,
            amount,
            borrow_index,
        )
    }

    /// A cheap instruction of another program, to take up an index.
    fn filler(&self) -> Instruction {
        solana_system_interface::instruction::transfer(&self.payer, &self.authority, 1)
    }

    fn run(&self, instructions: &[Instruction]) -> (TransactionResult, Vec<(Address, Account)>) {
        let accounts = self.accounts();
        (test_mollusk().process_transaction_instructions(instructions, &accounts), accounts)
    }

    fn reject(&self, instructions: &[Instruction], index: usize, expected: BallastError) {
        let (result, accounts) = self.run(instructions);
        assert_eq!(
            result.program_result,
            TransactionProgramResult::Failure(index, ProgramError::Custom(expected.code())),
            "expected {expected:?} at instruction {index}"
        );
        assert_eq!(result.resulting_accounts, accounts, "a failed transaction changed an account");
    }

    /// The reserve, its vault and the user's account as they stand while the loan of `LOAN` is out.
    fn loan_out(&mut self) {
        self.reserve.available_amount.set(AVAILABLE - LOAN);
        self.reserve.borrowed_amount_sf.set(Fraction::from_integer(LOAN).raw());
        self.vault_balance = AVAILABLE - LOAN;
        self.user_balance = USER_BALANCE + LOAN;
    }

    /// Runs `[filler, repay]` with an instructions sysvar that describes `[described_borrow, repay]`.
    fn reject_repay_after(
        &mut self,
        described_borrow: Instruction,
        repay: Instruction,
        expected: BallastError,
    ) {
        self.extra.push(instructions_sysvar::keyed_account([described_borrow, repay.clone()].iter()));
        self.reject(&[self.filler(), repay], 1, expected);
        self.extra.clear();
    }
}

fn test_mollusk() -> Mollusk {
    let mut mollusk = mollusk();
    swap::add_to_mollusk(&mut mollusk);
    mollusk.warp_to_slot(SLOT);
    mollusk
}

fn account<'a>(accounts: &'a [(Address, Account)], key: &Address) -> &'a Account {
    &accounts.iter().find(|(k, _)| k == key).expect("account").1
}

#[test]
fn borrows_and_repays_in_one_transaction_with_the_exact_fee() {
    let case = case();
    assert_eq!(ballast_interface::logic::flash::flash_loan_fee(LOAN, FEE_BPS), Ok(FEE));
    let (result, _) = case.run(&[case.borrow(LOAN), case.repay(LOAN, 0)]);
    assert_eq!(result.program_result, TransactionProgramResult::Success, "{:?}", result.raw_result);

    let accounts = &result.resulting_accounts;
    let reserve: Reserve = read_state(account(accounts, &case.keys.reserve));
    assert_eq!(reserve.available_amount.get(), AVAILABLE + FEE);
    assert_eq!(reserve.borrowed_amount_sf.get(), 0);
    assert_eq!(reserve.protocol_fees_sf.get(), Fraction::from_integer(FEE).raw());
    assert_eq!(reserve.collateral_supply.get(), AVAILABLE);
    assert_eq!(reserve.last_update_slot.get(), SLOT);
    let vault = token_amount(account(accounts, &case.keys.liquidity_vault));
    assert_eq!(vault, AVAILABLE + FEE);
    assert_eq!(vault, reserve.available_amount.get(), "vault == available");
    assert_eq!(token_amount(account(accounts, &case.user_tokens)), USER_BALANCE - FEE);
    // Everything else in the reserve is untouched.
    let mut expected = case.reserve;
    expected.available_amount.set(AVAILABLE + FEE);
    expected.protocol_fees_sf.set(Fraction::from_integer(FEE).raw());
    assert_eq!(reserve, expected);
    println!("FlashBorrow + FlashRepay: {} CU", result.compute_units_consumed);
}

#[test]
fn the_loan_may_sit_anywhere_in_the_transaction_with_other_instructions_around_it() {
    let case = case();
    let instructions = [case.filler(), case.borrow(LOAN), case.filler(), case.repay(LOAN, 1), case.filler()];
    let (result, _) = case.run(&instructions);
    assert_eq!(result.program_result, TransactionProgramResult::Success, "{:?}", result.raw_result);
    let reserve: Reserve = read_state(account(&result.resulting_accounts, &case.keys.reserve));
    assert_eq!(reserve.available_amount.get(), AVAILABLE + FEE);
}

#[test]
fn two_loans_one_after_the_other_are_two_pairs() {
    let case = case();
    let instructions = [case.borrow(LOAN), case.repay(LOAN, 0), case.borrow(1), case.repay(1, 2)];
    let (result, _) = case.run(&instructions);
    assert_eq!(result.program_result, TransactionProgramResult::Success, "{:?}", result.raw_result);
    let reserve: Reserve = read_state(account(&result.resulting_accounts, &case.keys.reserve));
    // The 1-unit loan still pays the minimum fee of 1.
    assert_eq!(reserve.available_amount.get(), AVAILABLE + FEE + 1);
    assert_eq!(token_amount(account(&result.resulting_accounts, &case.user_tokens)), USER_BALANCE - FEE - 1);
}

#[test]
fn a_zero_fee_reserve_lends_for_free() {
    let mut case = case();
    case.reserve.config.flash_loan_fee_bps.set(0);
    let (result, _) = case.run(&[case.borrow(LOAN), case.repay(LOAN, 0)]);
    assert_eq!(result.program_result, TransactionProgramResult::Success, "{:?}", result.raw_result);
    let reserve: Reserve = read_state(account(&result.resulting_accounts, &case.keys.reserve));
    assert_eq!(reserve, case.reserve);
    assert_eq!(token_amount(account(&result.resulting_accounts, &case.user_tokens)), USER_BALANCE);
}

#[test]
fn cu_of_each_instruction() {
    let mut case = case();
    // FlashBorrow alone, with a sysvar that shows its repayment.
    let accounts = {
        case.extra.push(instructions_sysvar::keyed_account([case.borrow(LOAN), case.repay(LOAN, 0)].iter()));
        case.accounts()
    };
    let borrow = test_mollusk().process_instruction(&case.borrow(LOAN), &accounts);
    assert_eq!(borrow.program_result, ProgramResult::Success);
    case.extra.clear();
    let (pair, _) = case.run(&[case.borrow(LOAN), case.repay(LOAN, 0)]);
    assert_eq!(pair.program_result, TransactionProgramResult::Success);
    println!(
        "FlashBorrow: {} CU, FlashRepay: {} CU (each including its token transfer CPI)",
        borrow.compute_units_consumed,
        pair.compute_units_consumed - borrow.compute_units_consumed
    );
}

// FlashBorrow rejections.

#[test]
fn rejects_a_borrow_without_repayment() {
    let case = case();
    case.reject(&[case.borrow(LOAN)], 0, BallastError::FlashRepayMissing);
    case.reject(&[case.borrow(LOAN), case.filler()], 0, BallastError::FlashRepayMissing);
    // A repayment that points elsewhere is not this loan's.
    case.reject(&[case.filler(), case.borrow(LOAN), case.repay(LOAN, 0)], 1, BallastError::FlashRepayMissing);
    // A repayment before the borrow does not count.
    case.reject(&[case.repay(LOAN, 1), case.borrow(LOAN)], 0, BallastError::FlashBorrowNotFound);
}

#[test]
fn rejects_a_repayment_of_another_amount() {
    let case = case();
    case.reject(&[case.borrow(LOAN), case.repay(LOAN - 1, 0)], 0, BallastError::FlashRepayMismatch);
    case.reject(&[case.borrow(LOAN), case.repay(LOAN + 1, 0)], 0, BallastError::FlashRepayMismatch);
}

#[test]
fn rejects_a_repayment_to_another_reserve() {
    let case = case();
    let other = client::flash_repay(
        &case.other_keys.reserve,
        &case.market,
        &case.other_keys.liquidity_vault,
        &case.user_tokens,
        &case.user,
        LOAN,
        0,
    );
    case.reject(&[case.borrow(LOAN), other], 0, BallastError::FlashRepayMismatch);
}

#[test]
fn rejects_a_second_borrow_before_the_repayment() {
    let case = case();
    let instructions = [case.borrow(LOAN), case.borrow(LOAN), case.repay(LOAN, 0)];
    case.reject(&instructions, 0, BallastError::MultipleFlashBorrows);
    // Nested pairs are refused too, even on another reserve.
    let other_borrow = client::flash_borrow(
        &case.other_keys.reserve,
        &case.market,
        &case.other_keys.liquidity_vault,
        &case.user_tokens,
        1,
    );
    let other_repay = client::flash_repay(
        &case.other_keys.reserve,
        &case.market,
        &case.other_keys.liquidity_vault,
        &case.user_tokens,
        &case.user,
        1,
        1,
    );
    let nested = [case.borrow(LOAN), other_borrow, other_repay, case.repay(LOAN, 0)];
    case.reject(&nested, 0, BallastError::MultipleFlashBorrows);
}

#[test]
fn rejects_two_repayments_of_one_borrow() {
    let case = case();
    case.reject(
        &[case.borrow(LOAN), case.repay(LOAN, 0), case.repay(LOAN, 0)],
        0,
        BallastError::MultipleFlashRepays,
    );
}

#[test]
fn rejects_a_borrow_by_cpi() {
    let case = case();
    let through_swap = swap::cpi_flash_borrow(&case.borrow(LOAN));
    case.reject(&[through_swap, case.repay(LOAN, 0)], 0, BallastError::FlashLoanCpiNotAllowed);
}

#[test]
fn rejects_a_cpi_even_when_the_top_level_instruction_looks_like_its_own() {
    // The sysvar describes a plain borrow-and-repay pair, so the check of the top-level instruction's program
    // passes; the stack height still shows the CPI.
    // Ballast appears only as an account of the swap instruction here, so the program account is passed.
    let program = (ballast_interface::ID, create_program_account_loader_v3(&ballast_interface::ID));
    let mut case = case();
    case.extra.push(program.clone());
    case.extra.push(instructions_sysvar::keyed_account([case.borrow(LOAN), case.repay(LOAN, 0)].iter()));
    case.reject(&[swap::cpi_flash_borrow(&case.borrow(LOAN))], 0, BallastError::FlashLoanCpiNotAllowed);

    case.extra = vec![program];
    case.loan_out();
    case.extra.push(instructions_sysvar::keyed_account([case.borrow(LOAN), case.repay(LOAN, 0)].iter()));
    let repay_by_cpi = swap::cpi_flash_borrow(&case.repay(LOAN, 0));
    case.reject(&[case.filler(), repay_by_cpi], 1, BallastError::FlashLoanCpiNotAllowed);
}

#[test]
fn rejects_a_reserve_with_flash_loans_disabled() {
    let mut case = case();
    case.reserve.config.flash_loan_fee_bps.set(FLASH_LOANS_DISABLED);
    case.reject(&[case.borrow(LOAN), case.repay(LOAN, 0)], 0, BallastError::FlashLoansDisabled);
    case.reserve.config.flash_loan_fee_bps.set(10_001);
    case.reject(&[case.borrow(LOAN), case.repay(LOAN, 0)], 0, BallastError::InvalidFlashLoanFee);
}

#[test]
fn rejects_a_stale_reserve() {
    let mut case = case();
    case.reserve.last_update_slot.set(SLOT - 1);
    case.reject(&[case.borrow(LOAN), case.repay(LOAN, 0)], 0, BallastError::ReserveStale);
}

#[test]
fn rejects_more_than_the_available_liquidity_and_zero() {
    let case = case();
    case.reject(
        &[case.borrow(AVAILABLE + 1), case.repay(AVAILABLE + 1, 0)],
        0,
        BallastError::InsufficientLiquidity,
    );
    case.reject(&[case.borrow(0), case.repay(0, 0)], 0, BallastError::ZeroAmount);
}

#[test]
fn rejects_a_borrow_in_emergency_mode() {
    let mut case = case();
    case.market_state.emergency_mode.0 = 1;
    case.reject(&[case.borrow(LOAN), case.repay(LOAN, 0)], 0, BallastError::EmergencyMode);
}

#[test]
fn rejects_a_reserve_of_another_market() {
    let mut case = case();
    case.reserve.market = Address::new_unique();
    case.reject(&[case.borrow(LOAN), case.repay(LOAN, 0)], 0, BallastError::MarketMismatch);
}

#[test]
fn rejects_wrong_borrow_accounts() {
    type Edit = fn(&mut Instruction, &Case);
    let stranger = Address::new_unique();
    let cases: Vec<(Edit, BallastError)> = vec![
        (|ix, c| ix.accounts[2].pubkey = c.other_keys.liquidity_vault, BallastError::InvalidVault),
        (|ix, c| ix.accounts[3].pubkey = c.keys.liquidity_vault, BallastError::DuplicateAccount),
        (|ix, c| ix.accounts[4].pubkey = c.user, BallastError::InvalidPda),
        (|ix, c| ix.accounts[6].pubkey = c.user, BallastError::InvalidTokenProgram),
        (|ix, c| ix.accounts[5].pubkey = c.user, BallastError::InvalidInstructionsSysvar),
        (|ix, c| ix.accounts[1].pubkey = c.keys.reserve, BallastError::InvalidAccountDiscriminator),
    ];
    for (edit, expected) in cases {
        let case = case();
        let mut borrow = case.borrow(LOAN);
        edit(&mut borrow, &case);
        case.reject(&[borrow, case.repay(LOAN, 0)], 0, expected);
    }
    // Writability is per transaction: the repayment would make these accounts writable, so the borrow runs
    // alone (its account checks come before it looks for the repayment).
    for index in [0, 2, 3] {
        let case = case();
        let mut borrow = case.borrow(LOAN);
        borrow.accounts[index].is_writable = false;
        case.reject(&[borrow], 0, BallastError::AccountNotWritable);
    }
    // A destination of another mint.
    let mut case = case();
    case.extra.push((stranger, token_account(&Address::new_unique(), &case.user, 0)));
    let mut borrow = case.borrow(LOAN);
    borrow.accounts[3].pubkey = stranger;
    case.reject(&[borrow, case.repay(LOAN, 0)], 0, BallastError::InvalidTokenAccountMint);
    // Too few accounts and malformed data.
    let mut short = case.borrow(LOAN);
    short.accounts.truncate(6);
    case.reject(&[short, case.repay(LOAN, 0)], 0, BallastError::NotEnoughAccounts);
    let mut long_data = case.borrow(LOAN);
    long_data.data.push(0);
    case.reject(&[long_data, case.repay(LOAN, 0)], 0, BallastError::InvalidInstructionDataLength);
}

// FlashRepay rejections, reached with a written instructions sysvar (see the module doc).

#[test]
fn repay_rejects_an_index_that_is_not_an_earlier_flash_borrow() {
    let mut case = case();
    case.loan_out();
    let borrow = case.borrow(LOAN);
    // Pointing at itself.
    case.reject_repay_after(borrow.clone(), case.repay(LOAN, 1), BallastError::FlashBorrowNotFound);
    // Past the end.
    case.reject_repay_after(borrow.clone(), case.repay(LOAN, 7), BallastError::FlashBorrowNotFound);
    // Another program's instruction.
    let filler = case.filler();
    case.reject_repay_after(filler, case.repay(LOAN, 0), BallastError::FlashBorrowNotFound);
    // Another Ballast instruction with the same data length.
    let mut not_a_borrow = borrow.clone();
    not_a_borrow.data[0] = ballast_interface::instruction::BallastInstruction::Borrow as u8;
    case.reject_repay_after(not_a_borrow, case.repay(LOAN, 0), BallastError::FlashBorrowNotFound);
    // A FlashBorrow with malformed data.
    let mut malformed = borrow;
    malformed.data.pop();
    case.reject_repay_after(malformed, case.repay(LOAN, 0), BallastError::FlashBorrowNotFound);
}

#[test]
fn repay_rejects_a_borrow_of_another_amount_or_reserve() {
    let mut case = case();
    case.loan_out();
    let borrow = case.borrow(LOAN + 1);
    case.reject_repay_after(borrow, case.repay(LOAN, 0), BallastError::FlashBorrowMismatch);
    let other = client::flash_borrow(
        &case.other_keys.reserve,
        &case.market,
        &case.other_keys.liquidity_vault,
        &case.user_tokens,
        LOAN,
    );
    case.reject_repay_after(other, case.repay(LOAN, 0), BallastError::FlashBorrowMismatch);
}

#[test]
fn repay_rejects_disabled_flash_loans_and_wrong_accounts() {
    let mut case = case();
    case.loan_out();
    let borrow = case.borrow(LOAN);
    case.reserve.config.flash_loan_fee_bps.set(FLASH_LOANS_DISABLED);
    case.reject_repay_after(borrow.clone(), case.repay(LOAN, 0), BallastError::FlashLoansDisabled);
    case.reserve.config.flash_loan_fee_bps.set(FEE_BPS);

    type Edit = fn(&mut Instruction, &Case);
    let cases: Vec<(Edit, BallastError)> = vec![
        (|ix, _| ix.accounts[4].is_signer = false, BallastError::MissingSigner),
        (|ix, c| ix.accounts[2].pubkey = c.other_keys.liquidity_vault, BallastError::InvalidVault),
        (|ix, _| ix.accounts[3].is_writable = false, BallastError::AccountNotWritable),
        (|ix, c| ix.accounts[3].pubkey = c.keys.liquidity_vault, BallastError::DuplicateAccount),
        (|ix, c| ix.accounts[6].pubkey = c.user, BallastError::InvalidTokenProgram),
        (|ix, c| ix.accounts[5].pubkey = c.user, BallastError::InvalidInstructionsSysvar),
    ];
    for (edit, expected) in cases {
        let mut repay = case.repay(LOAN, 0);
        edit(&mut repay, &case);
        case.reject_repay_after(borrow.clone(), repay, expected);
    }
    let mut zero = case.repay(0, 0);
    zero.data[1..9].copy_from_slice(&0u64.to_le_bytes());
    case.reject_repay_after(case.borrow(0), zero, BallastError::ZeroAmount);
}

#[test]
fn repay_succeeds_alone_against_a_matching_borrow() {
    let mut case = case();
    case.loan_out();
    case.extra.push(instructions_sysvar::keyed_account([case.borrow(LOAN), case.repay(LOAN, 0)].iter()));
    let (result, _) = case.run(&[case.filler(), case.repay(LOAN, 0)]);
    assert_eq!(result.program_result, TransactionProgramResult::Success, "{:?}", result.raw_result);
    let reserve: Reserve = read_state(account(&result.resulting_accounts, &case.keys.reserve));
    assert_eq!(reserve.available_amount.get(), AVAILABLE + FEE);
    assert_eq!(reserve.borrowed_amount_sf.get(), 0);
    assert_eq!(
        token_amount(account(&result.resulting_accounts, &case.keys.liquidity_vault)),
        AVAILABLE + FEE
    );
}
