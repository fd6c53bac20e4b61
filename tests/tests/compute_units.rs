//! Compute-unit caps: every instruction case of `ballast_tests::cu` must stay within its cap, the last
//! measured value plus about 10%, so that a regression fails the tests. When a change lowers a number, lower
//! its cap here (and re-run the bench to update `benches/compute_units.md`).

use ballast_tests::cu;

/// (instruction, case, cap); each cap is the last known CU × 1.1, rounded.
const CAPS: &[(&str, &str, u64)] = &[
    // last known 4876
    ("InitMarket", "common", 5370),
    // last known 175
    ("UpdateMarket", "common", 200),
    // last known 23376
    ("InitReserve", "common", 25720),
    // last known 459
    ("UpdateReserveConfig", "common", 510),
    // last known 2894
    ("CollectFees", "both vaults", 3190),
    // last known 1872
    ("RefreshReserve", "price, 1 slot of interest", 2060),
    // last known 5021
    ("RefreshReserve", "price, 2 days of interest", 5530),
    // last known 709
    ("RefreshReserve", "price, same slot", 780),
    // last known 1522
    ("RefreshReserve", "no price, 1 slot", 1680),
    // last known 1850
    ("RefreshObligation", "1 deposit, 1 borrow", 2040),
    // last known 12248
    ("RefreshObligation", "full: 8 deposits, 5 borrows", 13480),
    // last known 3502
    ("DepositLiquidity", "common", 3860),
    // last known 3323
    ("RedeemCollateral", "common", 3660),
    // last known 6175
    ("InitObligation", "common", 6800),
    // last known 1673
    ("DepositCollateral", "new entry", 1850),
    // last known 1876
    ("DepositCollateral", "full: 8th deposit of 8", 2070),
    // last known 2669
    ("WithdrawCollateral", "with debt, 1 deposit, 1 borrow", 2940),
    // last known 2671
    ("WithdrawCollateral", "full: 8 deposits, 5 borrows", 2940),
    // last known 2406
    ("Borrow", "1 deposit, 1 borrow", 2650),
    // last known 2407
    ("Borrow", "full: 8 deposits, 5 borrows", 2650),
    // last known 1868
    ("Repay", "partial", 2060),
    // last known 1883
    ("Repay", "whole debt, removes the borrow", 2080),
    // last known 1950
    ("Repay", "full: whole first borrow of 5", 2150),
    // last known 206
    ("SetPreLiquidation", "common", 230),
    // last known 8547
    ("PreLiquidate", "1 deposit, 1 borrow", 9410),
    // last known 8560
    ("PreLiquidate", "full: 8 deposits, 5 borrows", 9420),
    // last known 8597
    ("Liquidate", "1 deposit, 1 borrow", 9460),
    // last known 8754
    ("Liquidate", "full: 8 deposits, 5 borrows", 9630),
    // last known 967
    ("StartDeleverage", "common", 1070),
    // last known 7423
    ("Deleverage", "supply side, 2 deposits, 1 borrow", 8170),
    // last known 8669
    ("Deleverage", "full: 8 deposits, 5 borrows", 9540),
    // last known 779
    ("CancelDeleverage", "common", 860),
    // last known 3036
    ("CoverBadDebt", "insurance pays part", 3340),
    // last known 2149
    ("FlashBorrow", "common", 2370),
    // last known 1935
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
