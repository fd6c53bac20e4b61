//! A whole lending cycle on LiteSVM: lenders supply, a borrower deposits collateral and borrows, slots pass and
//! interest accrues, fees are collected, the borrower repays and withdraws, lenders redeem. DESIGN §8
//! invariants 1, 2 and 6 are checked exactly after every transaction, and invariant 7 (a failed transaction
//! changes no account) on the rejected ones.

use {
    ballast_interface::{
        client::{self, BorrowAccounts, WithdrawCollateralAccounts},
        logic::{interest, reserve::total_liquidity},
        state::Reserve,
    },
    ballast_math::{
        reserve::{collateral_to_liquidity_floor, liquidity_to_collateral_floor},
        Fraction,
    },
    ballast_tests::scenario::{MarketWorld, User},
    solana_address::Address,
    solana_instruction::Instruction,
};

const USDC: usize = 0;
const SOL: usize = 1;
const USDC_UNIT: u64 = 1_000_000;
const SOL_UNIT: u64 = 1_000_000_000;

fn world() -> MarketWorld {
    let mut world = MarketWorld::new();
    // $1.00 and $150.00, eight decimal places of price.
    world.add_reserve(6, 100_000_000, -8, |_| {});
    world.add_reserve(9, 15_000_000_000, -8, |_| {});
    world
}

/// Sends one transaction and checks the invariants after it.
fn step(world: &mut MarketWorld, label: &str, ixs: &[Instruction], signer: &User) {
    world.svm.must_send(label, ixs, &[&signer.keypair]);
    world.check_invariants();
}

fn refresh_obligation(world: &MarketWorld, obligation: &Address) -> Instruction {
    let state = world.obligation(obligation);
    let deposits: Vec<Address> = state.deposits().iter().map(|d| d.reserve).collect();
    let borrows: Vec<Address> = state.borrows().iter().map(|b| b.reserve).collect();
    client::refresh_obligation(obligation, &world.market, &deposits, &borrows)
}

/// Every account the flow touches, to compare before and after a rejected transaction.
fn snapshot(world: &MarketWorld, extra: &[Address]) -> Vec<Option<solana_account::Account>> {
    let mut keys = vec![world.market];
    for handle in &world.reserves {
        keys.extend([handle.reserve, handle.liquidity_vault, handle.collateral_mint, handle.fee_vault]);
    }
    keys.extend(world.obligations.iter().copied());
    keys.extend(extra.iter().copied());
    keys.iter().map(|k| world.svm.account(k)).collect()
}

#[test]
fn lenders_supply_borrowers_borrow_interest_accrues_fees_are_collected_and_everyone_exits() {
    let mut world = world();
    let usdc = world.reserves[USDC];
    let sol = world.reserves[SOL];

    // Lenders supply.
    let lender = world.new_user();
    world.fund(&lender, USDC, 1_000_000 * USDC_UNIT);
    world.fund(&lender, SOL, 500 * SOL_UNIT);
    world.refresh_all();
    let deposit_usdc = client::deposit_liquidity(
        &usdc.reserve,
        &world.market,
        &lender.address(),
        &lender.liquidity[USDC],
        &lender.collateral[USDC],
        1_000_000 * USDC_UNIT,
    );
    let deposit_sol = client::deposit_liquidity(
        &sol.reserve,
        &world.market,
        &lender.address(),
        &lender.liquidity[SOL],
        &lender.collateral[SOL],
        500 * SOL_UNIT,
    );
    step(&mut world, "deposit_liquidity", &[deposit_usdc, deposit_sol], &lender);
    assert_eq!(
        world.svm.token_balance(&lender.collateral[USDC]),
        1_000_000 * USDC_UNIT,
        "1:1 on an empty reserve"
    );
    assert_eq!(world.svm.token_balance(&usdc.liquidity_vault), 1_000_000 * USDC_UNIT);

    // A borrower deposits 100 SOL as collateral and borrows 7,000 USDC against $15,000 (LTV 75%).
    let borrower = world.new_user();
    world.fund(&borrower, SOL, 100 * SOL_UNIT);
    let obligation = world.init_obligation(&borrower, 0);
    let deposit = client::deposit_liquidity(
        &sol.reserve,
        &world.market,
        &borrower.address(),
        &borrower.liquidity[SOL],
        &borrower.collateral[SOL],
        100 * SOL_UNIT,
    );
    let collateral = client::deposit_collateral(
        &obligation,
        &sol.reserve,
        &world.market,
        &borrower.address(),
        &borrower.collateral[SOL],
        100 * SOL_UNIT,
    );
    step(&mut world, "deposit_and_collateralize", &[deposit, collateral], &borrower);
    assert_eq!(world.svm.token_balance(&borrower.collateral[SOL]), 0, "cTokens burned into the obligation");
    assert_eq!(world.obligation(&obligation).deposits()[0].collateral_amount.get(), 100 * SOL_UNIT);

    let borrow_accounts = |world: &MarketWorld| BorrowAccounts {
        obligation,
        reserve: usdc.reserve,
        market: world.market,
        owner: borrower.address(),
        liquidity_vault: usdc.liquidity_vault,
        destination: borrower.liquidity[USDC],
    };

    // Over-borrowing is refused and changes nothing (invariant 7).
    world.refresh_all();
    let before = snapshot(&world, &[borrower.liquidity[USDC]]);
    let too_much = client::borrow(&borrow_accounts(&world), 11_251 * USDC_UNIT);
    let refresh = refresh_obligation(&world, &obligation);
    assert!(world.svm.send("over_borrow", &[refresh.clone(), too_much], &[&borrower.keypair]).is_err());
    assert_eq!(snapshot(&world, &[borrower.liquidity[USDC]]), before, "a rejected borrow changed an account");

    let borrow = client::borrow(&borrow_accounts(&world), 7_000 * USDC_UNIT);
    step(&mut world, "borrow", &[refresh, borrow], &borrower);
    assert_eq!(world.svm.token_balance(&borrower.liquidity[USDC]), 7_000 * USDC_UNIT);
    assert_eq!(world.reserve(USDC).available_amount.get(), 993_000 * USDC_UNIT);

    // Slots pass: interest accrues exactly as the pure core computes it off chain.
    let before_accrual: Reserve = world.reserve(USDC);
    world.svm.warp_slots(1_000_000);
    world.set_price(USDC, 100_000_000);
    world.set_price(SOL, 15_000_000_000);
    let slot = world.svm.slot();
    world.refresh_all();
    let mut expected = before_accrual;
    interest::accrue(&mut expected, slot).expect("accrual");
    let accrued = world.reserve(USDC);
    assert_eq!(accrued.borrowed_amount_sf, expected.borrowed_amount_sf);
    assert_eq!(accrued.cumulative_borrow_index_sf, expected.cumulative_borrow_index_sf);
    assert_eq!(accrued.protocol_fees_sf, expected.protocol_fees_sf);
    assert!(accrued.borrowed_amount_sf.get() > before_accrual.borrowed_amount_sf.get(), "interest accrued");
    assert!(accrued.protocol_fees_sf.get() > 0);

    // The borrower repays everything (u64::MAX) with extra USDC for the interest.
    world.fund(&borrower, USDC, 1_000 * USDC_UNIT);
    let wallet_before = world.svm.token_balance(&borrower.liquidity[USDC]);
    let repay = client::repay(
        &obligation,
        &usdc.reserve,
        &world.market,
        &borrower.address(),
        &borrower.liquidity[USDC],
        u64::MAX,
    );
    step(&mut world, "repay_all", &[repay], &borrower);
    let paid = wallet_before - world.svm.token_balance(&borrower.liquidity[USDC]);
    assert!(paid > 7_000 * USDC_UNIT, "interest was paid: {paid}");
    assert_eq!(world.obligation(&obligation).borrow_count, 0);

    // Fees are collected: the protocol's whole-token claim leaves the vault, split with the insurance fund.
    let fees_before = Fraction::from_raw(world.reserve(USDC).protocol_fees_sf.get());
    let collect = client::collect_fees(&usdc.reserve, &world.market);
    step(&mut world, "collect_fees", &[collect], &borrower);
    let collected = world.svm.token_balance(&usdc.fee_vault) + world.svm.token_balance(&usdc.insurance_vault);
    assert_eq!(collected, fees_before.to_u64_floor().expect("fees"));
    assert_eq!(world.svm.token_balance(&usdc.insurance_vault), collected / 2, "50% insurance share, floor");

    // The borrower withdraws the collateral and redeems it.
    world.refresh_all();
    let withdraw = client::withdraw_collateral(
        &WithdrawCollateralAccounts {
            obligation,
            reserve: sol.reserve,
            market: world.market,
            owner: borrower.address(),
            destination: borrower.collateral[SOL],
            collateral_mint: sol.collateral_mint,
        },
        100 * SOL_UNIT,
    );
    let refresh = refresh_obligation(&world, &obligation);
    step(&mut world, "withdraw_collateral", &[refresh, withdraw], &borrower);
    let sol_reserve = world.reserve(SOL);
    let expected_sol = collateral_to_liquidity_floor(
        100 * SOL_UNIT,
        total_liquidity(&sol_reserve).expect("total"),
        sol_reserve.collateral_supply.get(),
    )
    .expect("redeem");
    let redeem = client::redeem_collateral(
        &sol.reserve,
        &world.market,
        &borrower.address(),
        &borrower.liquidity[SOL],
        &borrower.collateral[SOL],
        100 * SOL_UNIT,
    );
    step(&mut world, "redeem_collateral", &[redeem], &borrower);
    assert_eq!(world.svm.token_balance(&borrower.liquidity[SOL]), expected_sol);
    assert_eq!(expected_sol, 100 * SOL_UNIT, "no SOL was borrowed: the SOL rate stayed 1");

    // The lender redeems every USDC cToken and earns the lenders' share of the interest.
    let ctokens = world.svm.token_balance(&lender.collateral[USDC]);
    let usdc_reserve = world.reserve(USDC);
    let total = total_liquidity(&usdc_reserve).expect("total");
    let expected_usdc =
        collateral_to_liquidity_floor(ctokens, total, usdc_reserve.collateral_supply.get()).expect("redeem");
    let redeem = client::redeem_collateral(
        &usdc.reserve,
        &world.market,
        &lender.address(),
        &lender.liquidity[USDC],
        &lender.collateral[USDC],
        ctokens,
    );
    step(&mut world, "lender_redeem", &[redeem], &lender);
    let received = world.svm.token_balance(&lender.liquidity[USDC]);
    assert_eq!(received, expected_usdc);
    assert!(received > 1_000_000 * USDC_UNIT, "lenders earned interest: {received}");
    // What is left in the vault is the rounding the protocol kept, never more than one token unit per step.
    let leftover = world.reserve(USDC).available_amount.get();
    assert!(leftover <= 2, "leftover {leftover}");
    assert_eq!(liquidity_to_collateral_floor(0, total, 1).expect("zero"), 0);

    for (label, cu) in &world.svm.compute_units {
        println!("{label:32} {cu:>8} CU");
    }
}
