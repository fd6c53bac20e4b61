//! Compute-unit caps: every instruction case of `ballast_tests::cu` must stay within its cap, the last
//! measured value plus about 10%, so that a regression fails the tests. When a change lowers a number, lower
//! its cap here (and re-run the bench to update `benches/compute_units.md`).

use ballast_tests::cu;

/// (instruction, case, cap); each cap is the last known CU × 1.1, rounded.
const CAPS: &[(&str, &str, u64)] = &[
    // last known 4911
    ("InitMarket", "common", 5410),
    // last known 218
    ("UpdateMarket", "common", 240),
    // last known 23508
    ("InitReserve", "common", 25860),
    // last known 591
    ("UpdateReserveConfig", "common", 660),
    // last known 2969
    ("CollectFees", "both vaults", 3270),
    // last known 1979
    ("RefreshReserve", "price, 1 slot of interest", 2180),
    // last known 5128
    ("RefreshReserve", "price, 2 days of interest", 5650),
    // last known 711
    ("RefreshReserve", "price, same slot", 790),
    // last known 1627
    ("RefreshReserve", "no price, 1 slot", 1790),
    // last known 1944
    ("RefreshObligation", "1 deposit, 1 borrow", 2140),
    // last known 12832
    ("RefreshObligation", "full: 8 deposits, 5 borrows", 14120),
    // last known 3520
    ("DepositLiquidity", "common", 3880),
    // last known 3323
    ("RedeemCollateral", "common", 3660),
    // last known 6175
    ("InitObligation", "common", 6800),
    // last known 1677
    ("DepositCollateral", "new entry", 1850),
    // last known 1910
    ("DepositCollateral", "full: 8th deposit of 8", 2110),
    // last known 2735
    ("WithdrawCollateral", "with debt, 1 deposit, 1 borrow", 3010),
    // last known 2737
    ("WithdrawCollateral", "full: 8 deposits, 5 borrows", 3020),
    // last known 2421
    ("Borrow", "1 deposit, 1 borrow", 2670),
    // last known 2422
    ("Borrow", "full: 8 deposits, 5 borrows", 2670),
    // last known 1902
    ("Repay", "partial", 2100),
    // last known 1932
    ("Repay", "whole debt, removes the borrow", 2130),
    // last known 1999
    ("Repay", "full: whole first borrow of 5", 2200),
    // last known 206
    ("SetPreLiquidation", "common", 230),
    // last known 8719
    ("PreLiquidate", "1 deposit, 1 borrow", 9600),
    // last known 8732
    ("PreLiquidate", "full: 8 deposits, 5 borrows", 9610),
    // last known 8775
    ("Liquidate", "1 deposit, 1 borrow", 9660),
    // last known 8932
    ("Liquidate", "full: 8 deposits, 5 borrows", 9830),
    // last known 987
    ("StartDeleverage", "common", 1090),
    // last known 7589
    ("Deleverage", "supply side, 2 deposits, 1 borrow", 8350),
    // last known 8835
    ("Deleverage", "full: 8 deposits, 5 borrows", 9720),
    // last known 804
    ("CancelDeleverage", "common", 890),
    // last known 3082
    ("CoverBadDebt", "insurance pays part", 3400),
    // last known 2143
    ("FlashBorrow", "common", 2360),
    // last known 1933
    ("FlashRepay", "common (pair − borrow)", 2130),
];

#[test]
fn every_instruction_stays_within_its_cap() {
    let rows = cu::all();
    let mut failures = Vec::new();
    for row in &rows {
        println!("{:20} {:40} {:>7} CU (floor {})", row.instruction, row.case, row.cu, row.floor.total());
        match CAPS.iter().find(|(i, c, _)| *i == row.instruction && *c == row.case) {
            Some((_, _, cap)) if row.cu > *cap => {
                failures.push(format!("{} / {}: {} CU > cap {}", row.instruction, row.case, row.cu, cap))
            }
            Some(_) => {}
            None => failures.push(format!("{} / {}: no cap", row.instruction, row.case)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// DESIGN §9's budget for the binary, 150 KB, read as 150,000 bytes (see `benches/compute_units.md`).
const MAX_BINARY_BYTES: u64 = 150_000;

#[test]
fn the_binary_stays_within_its_budget() {
    let size = std::fs::metadata(ballast_tests::program_so_path()).expect("built binary").len();
    println!("ballast_program.so: {size} bytes");
    assert!(size <= MAX_BINARY_BYTES, "{size} bytes > cap {MAX_BINARY_BYTES}");
}
