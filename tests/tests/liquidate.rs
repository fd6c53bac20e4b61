//! Liquidate: exact token balances and state deltas of a liquidation (close factor, bonus, protocol fee,
//! same-reserve pair, dust, full obligation), the deleverage reason that points to Deleverage, and each
//! rejection with its own error and every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        logic::liquidation::{plan_liquidation, MarketRisk, ReservePair},
        pod::{Flag, Le128, Le16, Le64},
        state::{
            DeleverageState, Obligation, ObligationBorrow, Reserve, DELEVERAGE_BORROW, DELEVERAGE_SUPPLY,
            MAX_BORROWS, MAX_DEPOSITS,
        },
    },
    ballast_math::Fraction,
    ballast_tests::{
        assert_rejected,
        fixtures::{program_account, token_account, token_amount},
        ladder_fixtures::{add_borrow, add_deposit, health_of, LiquidationCase, SLOT, SOL, USDC},
        mollusk, read_state,
    },
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

/// Account indexes in `LiquidationCase::accounts` (the instruction order).
const OBLIGATION: usize = 0;
const MARKET: usize = 1;
const REPAY_RESERVE: usize = 2;
const WITHDRAW_RESERVE: usize = 3;
const SOURCE: usize = 5;
const DESTINATION: usize = 6;
const REPAY_VAULT: usize = 7;
const WITHDRAW_VAULT: usize = 8;
const AUTHORITY: usize = 9;
const TOKEN_PROGRAM: usize = 10;

fn ix(case: &LiquidationCase, repay: u64, min_received: u64) -> Instruction {
    client::liquidate(&case.liquidate_accounts(), repay, min_received)
}

fn run(case: &LiquidationCase, ix: &Instruction) -> mollusk_svm::result::InstructionResult {
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(case.slot);
    mollusk.process_instruction(ix, &case.accounts())
}

fn reject(case: &LiquidationCase, ix: &Instruction, expected: BallastError) {
    reject_with(case, ix, &case.accounts(), expected);
}

fn reject_with(
    case: &LiquidationCase,
    ix: &Instruction,
    accounts: &[(Address, Account)],
    expected: BallastError,
) {
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(case.slot);
    let result = mollusk.process_instruction(ix, accounts);
    assert_rejected(&result, accounts, expected);
}

fn expected_plan(
    case: &LiquidationCase,
    requested: u64,
) -> ballast_interface::logic::liquidation::LiquidationPlan {
    let pair = ReservePair {
        repay_address: &case.debt.reserve,
        repay: &case.debt_reserve,
        withdraw_address: &case.coll.reserve,
        withdraw: &case.coll_reserve,
    };
    plan_liquidation(
        &case.obligation_state,
        &pair,
        &MarketRisk::from_market(&case.market_state),
        case.slot,
        requested,
    )
    .unwrap()
}

#[test]
fn liquidates_a_quarter_of_the_debt_with_the_minimum_bonus() {
    // 10 SOL at $100 (LT 80%) against 850 USDC: LTV 85%.
    let case = LiquidationCase::new(850);
    let result = run(&case, &ix(&case, u64::MAX, 0));
    assert_eq!(result.program_result, ProgramResult::Success);
    println!("Liquidate CU: {}", result.compute_units_consumed);
    let plan = expected_plan(&case, u64::MAX);
    let out = &result.resulting_accounts;

    // Seed numbers: 25% of 850 USDC repaid; 212.5 × 1.05 = $223.125 of SOL seized; 10% of the bonus part
    // (≈ 0.10625 SOL) kept by the protocol.
    let repay = 212_500_000;
    assert_eq!(plan.repay, repay);
    let seized = plan.seize_ctokens;
    assert!((2_231_249_999..=2_231_250_000).contains(&seized));
    let fee = plan.protocol_fee;
    assert!((10_624_999..=10_625_001).contains(&fee));
    let received = seized - fee;

    // Tokens.
    assert_eq!(token_amount(&out[SOURCE].1), case.source_amount - repay);
    assert_eq!(token_amount(&out[REPAY_VAULT].1), 100_000 * USDC + repay);
    assert_eq!(token_amount(&out[DESTINATION].1), received);
    assert_eq!(token_amount(&out[WITHDRAW_VAULT].1), 1_000 * SOL - received);

    // Repay reserve: borrowed −= 212.5 USDC, available += 212.5 USDC.
    let debt: Reserve = read_state(&out[REPAY_RESERVE].1);
    assert_eq!(debt.available_amount.get(), 100_000 * USDC + repay);
    assert_eq!(debt.borrowed_amount_sf.get(), Fraction::from_integer(850 * USDC - repay).raw());
    // Withdraw reserve: the seized cTokens leave the supply, the fee stays as protocol fees, and the vault
    // still holds exactly the available amount.
    let coll: Reserve = read_state(&out[WITHDRAW_RESERVE].1);
    assert_eq!(coll.collateral_supply.get(), 1_000 * SOL - seized);
    assert_eq!(coll.available_amount.get(), 1_000 * SOL - received);
    assert_eq!(coll.available_amount.get(), token_amount(&out[WITHDRAW_VAULT].1));
    assert_eq!(coll.protocol_fees_sf.get(), Fraction::from_integer(fee).raw());

    // Obligation: the debt and the deposit shrink, it is stale, its cached values went down.
    let o: Obligation = read_state(&out[OBLIGATION].1);
    assert_eq!(o.deposits[0].collateral_amount.get(), 10 * SOL - seized);
    assert_eq!(o.borrows[0].borrowed_amount_sf.get(), Fraction::from_integer(850 * USDC - repay).raw());
    assert_eq!(o.last_refresh_slot.get(), 0);
    let (before, after) = (health_of(&case.obligation_state), health_of(&o));
    assert!(after.deposited_value < before.deposited_value);
    assert_eq!(
        after.borrowed_value,
        Fraction::from_integer(850 - 212).saturating_sub(Fraction::from_ratio(1, 2).unwrap())
    );
    assert!(after.ltv() < before.ltv());
    // Nothing else of the obligation changed.
    let mut same = o;
    same.deposits = case.obligation_state.deposits;
    same.borrows = case.obligation_state.borrows;
    same.deposited_value_sf = case.obligation_state.deposited_value_sf;
    same.allowed_borrow_value_sf = case.obligation_state.allowed_borrow_value_sf;
    same.unhealthy_borrow_value_sf = case.obligation_state.unhealthy_borrow_value_sf;
    same.borrowed_value_sf = case.obligation_state.borrowed_value_sf;
    same.debt_value_bf_sf = case.obligation_state.debt_value_bf_sf;
    same.last_refresh_slot = case.obligation_state.last_refresh_slot;
    assert_eq!(same, case.obligation_state);
}

#[test]
fn the_bonus_escalates_with_the_slots_since_the_obligation_became_liquidatable() {
    let mut case = LiquidationCase::new(850);
    case.obligation_state.liquidatable_since_slot.set(SLOT - 100);
    let result = run(&case, &ix(&case, u64::MAX, 0));
    assert_eq!(result.program_result, ProgramResult::Success);
    // 5% + 100 slots × 1 bps = 6%: 212.5 × 1.06 = $225.25 = 2.2525 SOL.
    let coll: Reserve = read_state(&result.resulting_accounts[WITHDRAW_RESERVE].1);
    let seized = 1_000 * SOL - coll.collateral_supply.get();
    assert!((2_252_499_999..=2_252_500_000).contains(&seized), "{seized}");
}

#[test]
fn honours_a_smaller_repay_and_the_slippage_bound() {
    let case = LiquidationCase::new(850);
    let plan = expected_plan(&case, 100 * USDC);
    let result = run(&case, &ix(&case, 100 * USDC, plan.received));
    assert_eq!(result.program_result, ProgramResult::Success);
    assert_eq!(token_amount(&result.resulting_accounts[SOURCE].1), case.source_amount - 100 * USDC);
    assert_eq!(token_amount(&result.resulting_accounts[DESTINATION].1), plan.received);
    reject(&case, &ix(&case, 100 * USDC, plan.received + 1), BallastError::LiquidationSlippage);
}

#[test]
fn repays_a_dust_borrow_whole() {
    // A $1.5 borrow against $1.7 of SOL: below the $2 full-liquidation value.
    let mut case = LiquidationCase::new(0);
    case.obligation_state.borrows[0].borrowed_amount_sf = Le128::new(Fraction::from_integer(1_500_000).raw());
    case.set_coll_price(Fraction::from_ratio(17, 100).unwrap());
    reject(&case, &ix(&case, 1_000_000, 0), BallastError::RepayTooSmallForFullLiquidation);
    let result = run(&case, &ix(&case, u64::MAX, 0));
    assert_eq!(result.program_result, ProgramResult::Success);
    assert_eq!(token_amount(&result.resulting_accounts[SOURCE].1), case.source_amount - 1_500_000);
    let o: Obligation = read_state(&result.resulting_accounts[OBLIGATION].1);
    assert_eq!(o.borrow_count, 0, "the borrow is gone");
    assert_eq!(o.borrows[0], ObligationBorrow::default());
    assert_eq!(o.deposit_count, 1);
}

#[test]
fn liquidates_a_borrow_and_a_deposit_of_the_same_reserve() {
    // Deposit 1 000 USDC of cTokens and borrow 850 USDC from the same reserve (LT 80%).
    let mut case = LiquidationCase::new(850);
    case.obligation_state.deposits[0].reserve = case.debt.reserve;
    case.obligation_state.deposits[0].collateral_amount = Le64::new(1_000 * USDC);
    case.debt_reserve.collateral_supply = Le64::new(100_850 * USDC);
    case.refresh();
    let mut accounts = case.liquidate_accounts();
    accounts.withdraw_reserve = case.debt.reserve;
    accounts.withdraw_vault = case.debt.liquidity_vault;
    let ix = client::liquidate(&accounts, u64::MAX, 0);
    let mut list = case.accounts();
    list[DESTINATION].1 = token_account(&case.debt.liquidity_mint, &case.liquidator, 0);
    list.remove(WITHDRAW_VAULT);
    list.remove(WITHDRAW_RESERVE);
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(case.slot);
    let result = mollusk.process_instruction(&ix, &list);
    assert_eq!(result.program_result, ProgramResult::Success);
    let out = &result.resulting_accounts;
    let repay = 212_500_000u64;
    // 1:1 exchange rate: 212.5 × 1.05 = 223.125 USDC redeemed, less 10% of the 10.625 bonus part.
    let reserve: Reserve = read_state(&out[REPAY_RESERVE].1);
    let seized = 100_850 * USDC - reserve.collateral_supply.get();
    assert!((223_124_999..=223_125_000).contains(&seized), "{seized}");
    let received = token_amount(&out[DESTINATION - 1].1);
    let fee = seized - received;
    assert!((1_062_499..=1_062_501).contains(&fee), "{fee}");
    // One vault: + repay − received, and it still equals the available amount.
    let vault = token_amount(&out[REPAY_VAULT - 1].1);
    assert_eq!(vault, 100_000 * USDC + repay - received);
    assert_eq!(reserve.available_amount.get(), vault);
    assert_eq!(reserve.borrowed_amount_sf.get(), Fraction::from_integer(850 * USDC - repay).raw());
    assert_eq!(reserve.protocol_fees_sf.get(), Fraction::from_integer(fee).raw());
}

#[test]
fn liquidates_a_full_obligation() {
    // 8 deposits and 5 borrows; the liquidated pair is the first deposit and the first borrow.
    let mut case = LiquidationCase::new(850);
    let others: Vec<(Address, Reserve)> = (0..MAX_DEPOSITS + MAX_BORROWS - 2)
        .map(|_| {
            let mut r = case.coll_reserve;
            r.config.liquidation_threshold_bps = Le16::new(8_000);
            (Address::new_unique(), r)
        })
        .collect();
    for (address, _) in &others[..MAX_DEPOSITS - 1] {
        add_deposit(&mut case.obligation_state, address, SOL / 100);
    }
    for (address, reserve) in &others[MAX_DEPOSITS - 1..] {
        add_borrow(&mut case.obligation_state, address, reserve, 1_000_000);
    }
    let mut reserves = case.reserves();
    reserves.extend(others);
    ballast_tests::ladder_fixtures::refresh(&mut case.obligation_state, &reserves, &case.market_state, SLOT);
    assert_eq!((case.obligation_state.deposit_count, case.obligation_state.borrow_count), (8, 5));
    let result = run(&case, &ix(&case, u64::MAX, 0));
    assert_eq!(result.program_result, ProgramResult::Success);
    println!("Liquidate CU (8 deposits, 5 borrows): {}", result.compute_units_consumed);
}

#[test]
fn rejects_a_healthy_obligation() {
    let case = LiquidationCase::new(700);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::ObligationHealthy);
}

#[test]
fn rejects_when_price_triggered_liquidation_is_disabled() {
    let mut case = LiquidationCase::new(850);
    case.market_state.price_triggered_liquidation_disabled = Flag::ON;
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::PriceTriggeredLiquidationDisabled);
}

#[test]
fn rejects_a_leg_that_is_not_the_riskiest_unless_it_is_small() {
    // A borrow with a higher borrow factor exists elsewhere in the obligation.
    let mut case = LiquidationCase::new(850);
    case.obligation_state.highest_borrow_factor_bps.set(15_000);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::LiquidationPriorityViolation);
    // ... unless this borrow is worth less than the skip value.
    case.market_state.min_value_skip_bf_checks = Le64::new(1_000);
    assert_eq!(run(&case, &ix(&case, u64::MAX, 0)).program_result, ProgramResult::Success);

    // A deposit with a lower liquidation threshold exists elsewhere.
    let mut case = LiquidationCase::new(850);
    case.obligation_state.lowest_liquidation_threshold_bps.set(7_000);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::LiquidationPriorityViolation);
    case.market_state.min_value_skip_ltv_checks = Le64::new(1_001);
    assert_eq!(run(&case, &ix(&case, u64::MAX, 0)).program_result, ProgramResult::Success);
}

#[test]
fn rejects_a_zero_amount_and_bad_data() {
    let case = LiquidationCase::new(850);
    reject(&case, &ix(&case, 0, 0), BallastError::ZeroAmount);
    let mut short = ix(&case, 1, 0);
    short.data.pop();
    reject(&case, &short, BallastError::InvalidInstructionDataLength);
    let mut few = ix(&case, 1, 0);
    few.accounts.truncate(TOKEN_PROGRAM);
    reject_with(&case, &few, &case.accounts()[..TOKEN_PROGRAM], BallastError::NotEnoughAccounts);
}

#[test]
fn rejects_a_missing_signature_and_read_only_accounts() {
    let case = LiquidationCase::new(850);
    let mut no_signer = ix(&case, u64::MAX, 0);
    no_signer.accounts[4].is_signer = false;
    reject(&case, &no_signer, BallastError::MissingSigner);
    for index in [OBLIGATION, REPAY_RESERVE, WITHDRAW_RESERVE] {
        let mut read_only = ix(&case, u64::MAX, 0);
        read_only.accounts[index].is_writable = false;
        reject(&case, &read_only, BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_foreign_and_confused_accounts() {
    let case = LiquidationCase::new(850);
    let good = ix(&case, u64::MAX, 0);
    for index in [OBLIGATION, MARKET, REPAY_RESERVE, WITHDRAW_RESERVE] {
        let mut accounts = case.accounts();
        accounts[index].1.owner = Address::new_unique();
        reject_with(&case, &good, &accounts, BallastError::InvalidAccountOwner);
    }
    // A reserve passed as the obligation, an obligation passed as a reserve.
    let mut accounts = case.accounts();
    accounts[OBLIGATION].1 = program_account(&case.coll_reserve);
    reject_with(&case, &good, &accounts, BallastError::InvalidAccountDiscriminator);
    let mut accounts = case.accounts();
    accounts[REPAY_RESERVE].1 = program_account(&case.obligation_state);
    reject_with(&case, &good, &accounts, BallastError::InvalidAccountDiscriminator);
    // Another market's obligation or reserve.
    let mut other = LiquidationCase::new(850);
    other.obligation_state.market = Address::new_unique();
    reject(&other, &ix(&other, u64::MAX, 0), BallastError::MarketMismatch);
    let mut other = LiquidationCase::new(850);
    other.coll_reserve.market = Address::new_unique();
    reject(&other, &ix(&other, u64::MAX, 0), BallastError::MarketMismatch);
}

#[test]
fn rejects_stale_state_and_unloaded_prices() {
    type Edit = fn(&mut LiquidationCase);
    let cases: Vec<(Edit, BallastError)> = vec![
        (|c| c.obligation_state.last_refresh_slot.set(SLOT - 1), BallastError::ObligationStale),
        (|c| c.debt_reserve.last_update_slot.set(SLOT - 1), BallastError::ReserveStale),
        (|c| c.coll_reserve.last_update_slot.set(SLOT - 1), BallastError::ReserveStale),
        (|c| c.obligation_state.price_status = 0, BallastError::PriceNotLoaded),
        (|c| c.debt_reserve.price_status = 0, BallastError::PriceNotLoaded),
        (|c| c.coll_reserve.price_status = 0, BallastError::PriceNotLoaded),
    ];
    for (edit, expected) in cases {
        let mut case = LiquidationCase::new(850);
        edit(&mut case);
        reject(&case, &ix(&case, u64::MAX, 0), expected);
    }
}

#[test]
fn rejects_wrong_token_accounts() {
    let case = LiquidationCase::new(850);
    let good = ix(&case, u64::MAX, 0);
    // Vaults that are not the reserves'.
    for index in [REPAY_VAULT, WITHDRAW_VAULT] {
        let mut wrong = good.clone();
        let mut accounts = case.accounts();
        let fake = Address::new_unique();
        wrong.accounts[index].pubkey = fake;
        accounts[index].0 = fake;
        reject_with(&case, &wrong, &accounts, BallastError::InvalidVault);
    }
    // A destination of the wrong mint, a source of the wrong mint.
    let mut accounts = case.accounts();
    accounts[DESTINATION].1 = token_account(&case.debt.liquidity_mint, &case.liquidator, 0);
    reject_with(&case, &good, &accounts, BallastError::InvalidTokenAccountMint);
    let mut accounts = case.accounts();
    accounts[SOURCE].1 = token_account(&case.coll.liquidity_mint, &case.liquidator, 1_000 * SOL);
    reject_with(&case, &good, &accounts, BallastError::InvalidTokenAccountMint);
    // The repay vault as the source, the withdraw vault as the destination.
    let mut wrong = good.clone();
    wrong.accounts[SOURCE].pubkey = case.debt.liquidity_vault;
    let mut accounts = case.accounts();
    accounts.remove(SOURCE);
    reject_with(&case, &wrong, &accounts, BallastError::DuplicateAccount);
    // Another token program, another market authority.
    let mut wrong = good.clone();
    let fake = Address::new_unique();
    wrong.accounts[TOKEN_PROGRAM].pubkey = fake;
    let mut accounts = case.accounts();
    accounts[TOKEN_PROGRAM] = (fake, Account::default());
    reject_with(&case, &wrong, &accounts, BallastError::InvalidTokenProgram);
    let mut wrong = good;
    wrong.accounts[AUTHORITY].pubkey = fake;
    let mut accounts = case.accounts();
    accounts[AUTHORITY].0 = fake;
    reject_with(&case, &wrong, &accounts, BallastError::InvalidPda);
}

#[test]
fn rejects_legs_the_obligation_does_not_hold_and_missing_liquidity() {
    // The withdraw reserve's vault cannot pay the redeemed liquidity: all but 1 SOL is lent out.
    let mut case = LiquidationCase::new(850);
    case.coll_reserve.available_amount = Le64::new(SOL);
    case.coll_reserve.borrowed_amount_sf = Le128::new(Fraction::from_integer(999 * SOL).raw());
    case.refresh();
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::InsufficientLiquidity);
    // No deposit in the withdraw reserve.
    let mut case = LiquidationCase::new(850);
    case.obligation_state.deposits[0].reserve = Address::new_unique();
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::DepositNotFound);
    let mut case = LiquidationCase::new(850);
    case.obligation_state.borrows[0].reserve = Address::new_unique();
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::BorrowNotFound);
}

/// The case with a deleverage running on `side` of `reserve` (the collateral's supply or the debt's
/// borrows), its cap at `cap` tokens, the margin call ended at `SLOT - since_end`, 1 bps of decay per slot.
fn with_deleverage(
    case: &mut LiquidationCase,
    side: usize,
    cap: u64,
    since_end: u64,
) -> &mut LiquidationCase {
    let state = DeleverageState {
        active: Flag::ON,
        target_cap: Le64::new(cap),
        start_slot: Le64::new(1),
        margin_call_end_slot: Le64::new(SLOT - since_end),
        slots_per_bps: Le64::new(1),
        ..DeleverageState::default()
    };
    match side {
        DELEVERAGE_SUPPLY => case.coll_reserve.deleverage[DELEVERAGE_SUPPLY] = state,
        _ => case.debt_reserve.deleverage[DELEVERAGE_BORROW] = state,
    }
    case
}

#[test]
fn points_a_deleverageable_obligation_to_deleverage() {
    // LTV 75 % (healthy): the supply-side deleverage LTV has decayed from 80 % to 74 % after 600 slots.
    let mut case = LiquidationCase::new(750);
    with_deleverage(&mut case, DELEVERAGE_SUPPLY, 500 * SOL, 600);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::ObligationDeleverageable);
    // The same on the borrow side of the debt reserve (750 USDC borrowed in all, cap 500).
    let mut case = LiquidationCase::new(750);
    with_deleverage(&mut case, DELEVERAGE_BORROW, 500 * USDC, 600);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::ObligationDeleverageable);
    // And when the position is liquidatable but price-triggered liquidation is paused.
    let mut case = LiquidationCase::new(850);
    case.market_state.price_triggered_liquidation_disabled = Flag::ON;
    with_deleverage(&mut case, DELEVERAGE_SUPPLY, 500 * SOL, 0);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::ObligationDeleverageable);
}

#[test]
fn the_price_reason_comes_before_the_deleverage_reason() {
    let mut case = LiquidationCase::new(850);
    with_deleverage(&mut case, DELEVERAGE_SUPPLY, 500 * SOL, 600);
    let result = run(&case, &ix(&case, u64::MAX, 0));
    assert_eq!(result.program_result, ProgramResult::Success);
}

#[test]
fn a_deleverage_that_cannot_take_the_obligation_leaves_the_usual_errors() {
    // LTV 75 % is not above the deleverage LTV 76 % (400 slots of decay).
    let mut case = LiquidationCase::new(750);
    with_deleverage(&mut case, DELEVERAGE_SUPPLY, 500 * SOL, 400);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::ObligationHealthy);
    // The margin call is still running.
    let mut case = LiquidationCase::new(750);
    with_deleverage(&mut case, DELEVERAGE_SUPPLY, 500 * SOL, 0);
    case.coll_reserve.deleverage[DELEVERAGE_SUPPLY].margin_call_end_slot = Le64::new(SLOT + 1);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::ObligationHealthy);
    // The total is already at the cap: the deleverage is over, whoever records it.
    let mut case = LiquidationCase::new(750);
    with_deleverage(&mut case, DELEVERAGE_SUPPLY, 1_000 * SOL, 600);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::ObligationHealthy);
    // A corrupted flag reads as no deleverage.
    let mut case = LiquidationCase::new(750);
    with_deleverage(&mut case, DELEVERAGE_SUPPLY, 500 * SOL, 600);
    case.coll_reserve.deleverage[DELEVERAGE_SUPPLY].active = Flag(2);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::ObligationHealthy);
    // Paused price liquidations and no deleverage reason: the paused error stays.
    let mut case = LiquidationCase::new(850);
    case.market_state.price_triggered_liquidation_disabled = Flag::ON;
    with_deleverage(&mut case, DELEVERAGE_BORROW, 500 * USDC, 0);
    case.debt_reserve.deleverage[DELEVERAGE_BORROW].margin_call_end_slot = Le64::new(SLOT + 1);
    reject(&case, &ix(&case, u64::MAX, 0), BallastError::PriceTriggeredLiquidationDisabled);
}
