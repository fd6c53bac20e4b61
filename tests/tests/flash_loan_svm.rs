//! Flash loans in LiteSVM, in real transactions with the test swap program standing for an exchange: a loan
//! swapped out and back and repaid with its fee, with exact balances and the invariants of DESIGN §8 (vault
//! equals available liquidity, the cToken exchange rate unchanged, a failed transaction changes nothing).

use {
    ballast_interface::{client, error::BallastError, state::Reserve},
    ballast_math::Fraction,
    ballast_tests::{
        flash_market::{FlashMarket, COLLATERAL_TO_DEBT, DEBT_LIQUIDITY, DEBT_TO_COLLATERAL, POOL_DEPTH},
        swap,
    },
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
    solana_instruction_error::InstructionError,
    solana_transaction_error::TransactionError,
};

const LOAN: u64 = 2_500_000_000;
/// ceil(2_500_000_000 × 9 / 10_000).
const FEE: u64 = 2_250_000;

fn flash_borrow(m: &FlashMarket, amount: u64) -> Instruction {
    client::flash_borrow(
        &m.debt.keys.reserve,
        &m.market,
        &m.debt.keys.liquidity_vault,
        &m.borrower_debt,
        amount,
    )
}

fn flash_repay(m: &FlashMarket, amount: u64, borrow_index: u8) -> Instruction {
    client::flash_repay(
        &m.debt.keys.reserve,
        &m.market,
        &m.debt.keys.liquidity_vault,
        &m.borrower_debt,
        &m.owner(),
        amount,
        borrow_index,
    )
}

/// Every account a flash-loan transaction can touch, to compare before and after a failure.
fn snapshot(m: &FlashMarket) -> Vec<(Address, Option<Account>)> {
    [
        m.debt.keys.reserve,
        m.debt.keys.liquidity_vault,
        m.borrower_debt,
        m.borrower_collateral,
        m.buy_collateral.vault_in,
        m.buy_collateral.vault_out,
        m.sell_collateral.vault_in,
        m.sell_collateral.vault_out,
    ]
    .into_iter()
    .map(|address| (address, m.svm.account(&address)))
    .collect()
}

fn assert_custom(err: &TransactionError, index: u8, expected: BallastError) {
    assert_eq!(err, &TransactionError::InstructionError(index, InstructionError::Custom(expected.code())));
}

#[test]
fn a_flash_loan_swapped_out_and_back_is_repaid_with_its_fee() {
    let mut m = FlashMarket::new();
    // The borrower brings only the fee.
    let debt_mint = m.debt.keys.liquidity_mint;
    let borrower_debt = m.borrower_debt;
    m.svm.mint_to(&debt_mint, &borrower_debt, FEE);
    let total_before = m.total_liquidity(&m.debt);
    let reserve_before = m.reserve(&m.debt);

    let bought = swap::amount_out(LOAN, DEBT_TO_COLLATERAL.0, DEBT_TO_COLLATERAL.1).unwrap();
    let sold = swap::amount_out(bought, COLLATERAL_TO_DEBT.0, COLLATERAL_TO_DEBT.1).unwrap();
    assert_eq!((bought, sold), (LOAN * 10, LOAN));
    let owner = m.owner();
    let instructions = [
        flash_borrow(&m, LOAN),
        m.buy_collateral.swap(&m.borrower_debt, &m.borrower_collateral, &owner, LOAN),
        m.sell_collateral.swap(&m.borrower_collateral, &m.borrower_debt, &owner, bought),
        flash_repay(&m, LOAN, 0),
    ];
    let borrower = m.borrower.insecure_clone();
    m.svm.must_send("flash loan round trip", &instructions, &[&borrower]);

    // Exact balances: the borrower paid the fee and nothing else; each pool moved what it priced.
    assert_eq!(m.balance(&m.borrower_debt), 0);
    assert_eq!(m.balance(&m.borrower_collateral), 0);
    assert_eq!(m.balance(&m.buy_collateral.vault_in), LOAN);
    assert_eq!(m.balance(&m.buy_collateral.vault_out), POOL_DEPTH - bought);
    assert_eq!(m.balance(&m.sell_collateral.vault_in), bought);
    assert_eq!(m.balance(&m.sell_collateral.vault_out), POOL_DEPTH - LOAN);

    // The reserve: the fee is in the vault and is the protocol's; nothing else changed.
    let reserve = m.reserve(&m.debt);
    assert_eq!(reserve.available_amount.get(), DEBT_LIQUIDITY + FEE);
    assert_eq!(reserve.borrowed_amount_sf.get(), 0);
    assert_eq!(reserve.protocol_fees_sf.get(), Fraction::from_integer(FEE).raw());
    let mut expected = reserve_before;
    expected.available_amount.set(DEBT_LIQUIDITY + FEE);
    expected.protocol_fees_sf.set(Fraction::from_integer(FEE).raw());
    assert_eq!(reserve, expected);

    // Invariant 1: vault == available. Invariants 2 and 5: total liquidity and cToken supply are unchanged, so
    // lenders' cTokens are worth exactly what they were.
    m.assert_vault_matches(&m.debt);
    assert_eq!(m.total_liquidity(&m.debt), total_before);
    assert_eq!(reserve.collateral_supply.get(), reserve_before.collateral_supply.get());
}

#[test]
fn a_transaction_that_cannot_pay_the_fee_changes_nothing() {
    let mut m = FlashMarket::new();
    let before = snapshot(&m);
    let owner = m.owner();
    let bought = LOAN * 10;
    let instructions = [
        flash_borrow(&m, LOAN),
        m.buy_collateral.swap(&m.borrower_debt, &m.borrower_collateral, &owner, LOAN),
        m.sell_collateral.swap(&m.borrower_collateral, &m.borrower_debt, &owner, bought),
        flash_repay(&m, LOAN, 0),
    ];
    let borrower = m.borrower.insecure_clone();
    let failed = m.svm.send("unpaid fee", &instructions, &[&borrower]).expect_err("no fee in the account");
    // SPL Token's InsufficientFunds, from the repayment's transfer.
    assert_eq!(failed.err, TransactionError::InstructionError(3, InstructionError::Custom(1)));
    assert_eq!(snapshot(&m), before, "invariant 7: a failed transaction changes no account");
}

#[test]
fn a_loan_without_repayment_is_refused_and_changes_nothing() {
    let mut m = FlashMarket::new();
    let before = snapshot(&m);
    let owner = m.owner();
    let instructions = [
        flash_borrow(&m, LOAN),
        m.buy_collateral.swap(&m.borrower_debt, &m.borrower_collateral, &owner, LOAN),
    ];
    let borrower = m.borrower.insecure_clone();
    let failed = m.svm.send("no repayment", &instructions, &[&borrower]).expect_err("refused");
    assert_custom(&failed.err, 0, BallastError::FlashRepayMissing);
    assert_eq!(snapshot(&m), before);
    let reserve: Reserve = m.reserve(&m.debt);
    assert_eq!(reserve.available_amount.get(), DEBT_LIQUIDITY);
}

#[test]
fn a_program_cannot_flash_borrow_by_cpi() {
    let mut m = FlashMarket::new();
    let debt_mint = m.debt.keys.liquidity_mint;
    let borrower_debt = m.borrower_debt;
    m.svm.mint_to(&debt_mint, &borrower_debt, FEE);
    let before = snapshot(&m);
    let instructions = [swap::cpi_flash_borrow(&flash_borrow(&m, LOAN)), flash_repay(&m, LOAN, 0)];
    let borrower = m.borrower.insecure_clone();
    let failed = m.svm.send("flash borrow by cpi", &instructions, &[&borrower]).expect_err("refused");
    assert_custom(&failed.err, 0, BallastError::FlashLoanCpiNotAllowed);
    assert_eq!(snapshot(&m), before);
}
