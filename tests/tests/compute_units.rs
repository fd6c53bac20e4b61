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
    // last known 2969
    ("CollectFees", "both vaults", 3270),
    // last known 1878
    ("RefreshReserve", "price, 1 slot of interest", 2070),
    // last known 5027
    ("RefreshReserve", "price, 2 days of interest", 5530),
    // last known 709
    ("RefreshReserve", "price, same slot", 780),
    // last known 1528
    ("RefreshReserve", "no price, 1 slot", 1690),
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
    // last known 2734
    ("WithdrawCollateral", "with debt, 1 deposit, 1 borrow", 3010),
    // last known 2736
    ("WithdrawCollateral", "full: 8 deposits, 5 borrows", 3010),
    // last known 2406
    ("Borrow", "1 deposit, 1 borrow", 2650),
    // last known 2407
    ("Borrow", "full: 8 deposits, 5 borrows", 2650),
    // last known 1896
    ("Repay", "partial", 2090),
    // last known 1926
    ("Repay", "whole debt, removes the borrow", 2120),
    // last known 1993
    ("Repay", "full: whole first borrow of 5", 2200),
    // last known 206
    ("SetPreLiquidation", "common", 230),
    // last known 8568
    ("PreLiquidate", "1 deposit, 1 borrow", 9430),
    // last known 8581
    ("PreLiquidate", "full: 8 deposits, 5 borrows", 9440),
    // last known 8638
    ("Liquidate", "1 deposit, 1 borrow", 9510),
    // last known 8795
    ("Liquidate", "full: 8 deposits, 5 borrows", 9680),
    // last known 967
    ("StartDeleverage", "common", 1070),
    // last known 7439
    ("Deleverage", "supply side, 2 deposits, 1 borrow", 8190),
    // last known 8685
    ("Deleverage", "full: 8 deposits, 5 borrows", 9560),
    // last known 779
    ("CancelDeleverage", "common", 860),
    // last known 3062
    ("CoverBadDebt", "insurance pays part", 3370),
    // last known 2145
    ("FlashBorrow", "common", 2360),
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
