//! Leverage flows in LiteSVM, each one transaction built by `client::open_leveraged_position` and
//! `client::close_leveraged_position`, with the test swap program standing for an exchange:
//! (a) open at 2x: flash-borrow the debt asset, swap it into the collateral asset, deposit, borrow, repay the
//!     flash loan;
//! (b) close: flash-borrow, repay the whole debt, withdraw and redeem the collateral, swap back, repay the
//!     flash loan; the equity stays with the borrower.
//! Exact balances and the invariants of DESIGN §8 after each transaction.
//!
//! Pending: these flows need RefreshReserve, RefreshObligation, DepositLiquidity, RedeemCollateral,
//! DepositCollateral, WithdrawCollateral, Borrow and Repay. Move this file to `tests/tests/` once they are in.

use {
    ballast_interface::{
        client::{self, CloseLeverageAmounts, OpenLeverageAmounts},
        instruction::BallastInstruction,
        state::{Obligation, Reserve},
    },
    ballast_math::{reserve::liquidity_to_collateral_floor, Fraction},
    ballast_tests::{
        fixtures::{obligation_state, program_account},
        flash_market::{
            FlashMarket, COLLATERAL_LIQUIDITY, COLLATERAL_TO_DEBT, DEBT_LIQUIDITY, DEBT_TO_COLLATERAL,
        },
        swap,
    },
    solana_account::Account,
    solana_address::Address,
    solana_instruction::{AccountMeta, Instruction},
    solana_instruction_error::InstructionError,
    solana_transaction_error::TransactionError,
};

/// The borrower's equity: 10 units of the collateral asset ($1,000).
const EQUITY: u64 = 10_000_000_000;
/// The flash loan that doubles it: $1,000 of the debt asset.
const OPEN_FLASH: u64 = 1_000_000_000;
/// ceil(1_000_000_000 × 9 / 10_000).
const OPEN_FEE: u64 = 900_000;
/// The debt after opening: the flash loan and its fee, borrowed to repay it.
const DEBT: u64 = OPEN_FLASH + OPEN_FEE;
/// ceil(1_000_900_000 × 9 / 10_000).
const CLOSE_FEE: u64 = 900_810;

fn with_obligation() -> FlashMarket {
    let mut m = FlashMarket::new();
    let (address, obligation) = obligation_state(&m.market, &m.owner(), 0);
    assert_eq!(address, m.obligation());
    m.svm.svm.set_account(address, program_account(&obligation)).expect("obligation");
    let (mint, account) = (m.collateral.keys.liquidity_mint, m.borrower_collateral);
    m.svm.mint_to(&mint, &account, EQUITY);
    m
}

/// RefreshReserve, RefreshReserve, RefreshObligation: brings the obligation's cached values up to date.
fn refresh_all(m: &FlashMarket, deposits: &[Address], borrows: &[Address]) -> Vec<Instruction> {
    let refresh_reserve = |r: &ballast_tests::flash_market::MarketReserve| Instruction {
        program_id: ballast_interface::ID,
        accounts: vec![
            AccountMeta::new(r.keys.reserve, false),
            AccountMeta::new_readonly(r.keys.price_update, false),
        ],
        data: vec![BallastInstruction::RefreshReserve as u8],
    };
    let mut obligation_accounts =
        vec![AccountMeta::new(m.obligation(), false), AccountMeta::new_readonly(m.market, false)];
    obligation_accounts.extend(deposits.iter().chain(borrows).map(|r| AccountMeta::new_readonly(*r, false)));
    vec![
        refresh_reserve(&m.debt),
        refresh_reserve(&m.collateral),
        Instruction {
            program_id: ballast_interface::ID,
            accounts: obligation_accounts,
            data: vec![BallastInstruction::RefreshObligation as u8],
        },
    ]
}

fn open(m: &mut FlashMarket) {
    let collateral = m.reserve(&m.collateral);
    let bought = swap::amount_out(OPEN_FLASH, DEBT_TO_COLLATERAL.0, DEBT_TO_COLLATERAL.1).unwrap();
    assert_eq!(bought, EQUITY, "the swap's output equals the equity: 2x");
    let deposit = EQUITY + bought;
    let total = ballast_math::reserve::total_liquidity(
        collateral.available_amount.get(),
        Fraction::from_raw(collateral.borrowed_amount_sf.get()),
        Fraction::from_raw(collateral.protocol_fees_sf.get()),
    )
    .unwrap();
    let ctokens = liquidity_to_collateral_floor(deposit, total, collateral.collateral_supply.get()).unwrap();
    assert_eq!(ctokens, deposit, "the seeded reserve is at 1:1");
    assert_eq!(client::flash_repay_total(OPEN_FLASH, 9), Some(DEBT));

    let owner = m.owner();
    let swap = m.buy_collateral.swap(&m.borrower_debt, &m.borrower_collateral, &owner, OPEN_FLASH);
    let amounts = OpenLeverageAmounts {
        flash_amount: OPEN_FLASH,
        deposit_liquidity: deposit,
        deposit_ctokens: ctokens,
        borrow_amount: DEBT,
        debt_already_borrowed: false,
    };
    let instructions = client::open_leveraged_position(&m.position(), &amounts, swap, 0);
    let borrower = m.borrower.insecure_clone();
    let opened = m.svm.must_send("open 2x", &instructions, &[&borrower]);
    println!("open at 2x: {} instructions, {} CU", instructions.len(), opened.compute_units_consumed);
}

fn assert_invariants(m: &FlashMarket) {
    // 1. Each vault holds exactly its reserve's available liquidity.
    m.assert_vault_matches(&m.debt);
    m.assert_vault_matches(&m.collateral);
    // 2 and 5. Neither flow moves an exchange rate: total liquidity equals cToken supply (1:1) in both reserves.
    for (reserve, seeded) in [(&m.debt, DEBT_LIQUIDITY), (&m.collateral, COLLATERAL_LIQUIDITY)] {
        let state: Reserve = m.reserve(reserve);
        assert_eq!(m.total_liquidity(reserve), Fraction::from_integer(state.collateral_supply.get()).raw());
        assert!(state.collateral_supply.get() >= seeded);
    }
}

#[test]
fn open_at_2x_then_close_leaves_the_equity_with_the_borrower() {
    let mut m = with_obligation();
    open(&mut m);

    // (a) Exact balances after opening.
    assert_eq!(m.balance(&m.borrower_debt), 0, "the borrow repaid the flash loan and its fee exactly");
    assert_eq!(m.balance(&m.borrower_collateral), 0);
    assert_eq!(m.balance(&m.borrower_ctokens), 0);
    let obligation: Obligation = m.svm.state(&m.obligation());
    assert_eq!(obligation.deposit_count, 1);
    assert_eq!(obligation.deposits[0].reserve, m.collateral.keys.reserve);
    assert_eq!(obligation.deposits[0].collateral_amount.get(), 2 * EQUITY);
    assert_eq!(obligation.borrow_count, 1);
    assert_eq!(obligation.borrows[0].reserve, m.debt.keys.reserve);
    assert_eq!(obligation.borrows[0].borrowed_amount_sf.get(), Fraction::from_integer(DEBT).raw());
    let debt_reserve = m.reserve(&m.debt);
    assert_eq!(debt_reserve.available_amount.get(), DEBT_LIQUIDITY - DEBT + OPEN_FEE);
    assert_eq!(debt_reserve.borrowed_amount_sf.get(), Fraction::from_integer(DEBT).raw());
    assert_eq!(debt_reserve.protocol_fees_sf.get(), Fraction::from_integer(OPEN_FEE).raw());
    let collateral_reserve = m.reserve(&m.collateral);
    assert_eq!(collateral_reserve.available_amount.get(), COLLATERAL_LIQUIDITY + 2 * EQUITY);
    assert_eq!(collateral_reserve.collateral_supply.get(), COLLATERAL_LIQUIDITY + 2 * EQUITY);
    assert_eq!(m.svm.mint_supply(&m.collateral.keys.collateral_mint), COLLATERAL_LIQUIDITY);
    assert_invariants(&m);

    // 3. The position is healthy, at about 2x: $2,000 of collateral against $1,000.90 of debt.
    let refresh = refresh_all(&m, &[m.collateral.keys.reserve], &[m.debt.keys.reserve]);
    m.svm.must_send("refresh", &refresh, &[]);
    let obligation: Obligation = m.svm.state(&m.obligation());
    let deposited = Fraction::from_raw(obligation.deposited_value_sf.get()).to_f64();
    let debt = Fraction::from_raw(obligation.debt_value_bf_sf.get()).to_f64();
    assert!(obligation.debt_value_bf_sf.get() <= obligation.allowed_borrow_value_sf.get());
    assert!((deposited - 2_000.0).abs() < 0.01, "{deposited}");
    assert!((debt - 1_000.9).abs() < 0.01, "{debt}");
    let leverage = deposited / (deposited - debt);
    assert!((leverage - 2.0).abs() < 0.01, "{leverage}");

    // (b) Close in the same slot: the debt is exactly DEBT.
    let needed = client::flash_repay_total(DEBT, 9).unwrap();
    assert_eq!(needed, DEBT + CLOSE_FEE);
    // The collateral to sell for `needed` at 1 debt unit per 10 collateral units.
    let sell = needed * COLLATERAL_TO_DEBT.1 / COLLATERAL_TO_DEBT.0;
    assert_eq!(swap::amount_out(sell, COLLATERAL_TO_DEBT.0, COLLATERAL_TO_DEBT.1), Some(needed));
    let owner = m.owner();
    let swap = m.sell_collateral.swap(&m.borrower_collateral, &m.borrower_debt, &owner, sell);
    let amounts = CloseLeverageAmounts { flash_amount: DEBT, withdraw_ctokens: 2 * EQUITY };
    let instructions = client::close_leveraged_position(&m.position(), &amounts, swap, 0);
    let borrower = m.borrower.insecure_clone();
    let closed = m.svm.must_send("close", &instructions, &[&borrower]);
    println!("close: {} instructions, {} CU", instructions.len(), closed.compute_units_consumed);

    // The equity, less the two flash fees paid in the collateral asset, is the borrower's.
    let equity_left = 2 * EQUITY - sell;
    assert_eq!(equity_left, EQUITY - (OPEN_FEE + CLOSE_FEE) * 10);
    assert_eq!(m.balance(&m.borrower_collateral), equity_left);
    assert_eq!(m.balance(&m.borrower_debt), 0);
    assert_eq!(m.balance(&m.borrower_ctokens), 0);
    let obligation: Obligation = m.svm.state(&m.obligation());
    let deposits = &obligation.deposits[..usize::from(obligation.deposit_count)];
    let borrows = &obligation.borrows[..usize::from(obligation.borrow_count)];
    assert!(deposits.iter().all(|d| d.collateral_amount.get() == 0), "no collateral left");
    assert!(borrows.iter().all(|b| b.borrowed_amount_sf.get() == 0), "no debt left");
    let debt_reserve = m.reserve(&m.debt);
    assert_eq!(debt_reserve.available_amount.get(), DEBT_LIQUIDITY + OPEN_FEE + CLOSE_FEE);
    assert_eq!(debt_reserve.borrowed_amount_sf.get(), 0);
    assert_eq!(debt_reserve.protocol_fees_sf.get(), Fraction::from_integer(OPEN_FEE + CLOSE_FEE).raw());
    let collateral_reserve = m.reserve(&m.collateral);
    assert_eq!(collateral_reserve.available_amount.get(), COLLATERAL_LIQUIDITY);
    assert_eq!(collateral_reserve.collateral_supply.get(), COLLATERAL_LIQUIDITY);
    assert_invariants(&m);
}

#[test]
fn a_close_whose_swap_falls_short_changes_nothing() {
    let mut m = with_obligation();
    open(&mut m);
    let watched = [
        m.obligation(),
        m.debt.keys.reserve,
        m.debt.keys.liquidity_vault,
        m.collateral.keys.reserve,
        m.collateral.keys.liquidity_vault,
        m.collateral.keys.collateral_mint,
        m.borrower_debt,
        m.borrower_collateral,
        m.borrower_ctokens,
    ];
    let snapshot =
        |m: &FlashMarket| -> Vec<Option<Account>> { watched.iter().map(|a| m.svm.account(a)).collect() };
    let before = snapshot(&m);

    // One collateral unit short of the flash repayment.
    let sell = (DEBT + CLOSE_FEE) * 10 - 10;
    let owner = m.owner();
    let swap = m.sell_collateral.swap(&m.borrower_collateral, &m.borrower_debt, &owner, sell);
    let amounts = CloseLeverageAmounts { flash_amount: DEBT, withdraw_ctokens: 2 * EQUITY };
    let instructions = client::close_leveraged_position(&m.position(), &amounts, swap, 0);
    let borrower = m.borrower.insecure_clone();
    let failed =
        m.svm.send("short close", &instructions, &[&borrower]).expect_err("cannot repay the flash loan");
    // SPL Token's InsufficientFunds in the flash repayment, the last instruction.
    let last = u8::try_from(instructions.len() - 1).unwrap();
    assert_eq!(failed.err, TransactionError::InstructionError(last, InstructionError::Custom(1)));
    assert_eq!(snapshot(&m), before, "invariant 7: a failed transaction changes no account");
}
