//! Compute-unit caps: every instruction case of `ballast_tests::cu` must stay within its cap, the last
//! measured value plus about 10%, so that a regression fails the tests. When a change lowers a number, lower
//! its cap here (and re-run the bench to update `benches/compute_units.md`).

use ballast_tests::cu;

/// (instruction, case, cap); each cap is the last known CU × 1.1, rounded.
const CAPS: &[(&str, &str, u64)] = &[
    // last known 4839
    ("InitMarket", "common", 5330),
    // last known 144
    ("UpdateMarket", "common", 160),
    // last known 23318
    ("InitReserve", "common", 25650),
    // last known 548
    ("UpdateReserveConfig", "common", 610),
    // last known 2821
    ("CollectFees", "both vaults", 3110),
    // last known 2460
    ("RefreshReserve", "price, 1 slot of interest", 2710),
    // last known 7748
    ("RefreshReserve", "price, 2 days of interest", 8530),
    // last known 652
    ("RefreshReserve", "price, same slot", 720),
    // last known 2098
    ("RefreshReserve", "no price, 1 slot", 2310),
    // last known 2078
    ("RefreshObligation", "1 deposit, 1 borrow", 2290),
    // last known 13938
    ("RefreshObligation", "full: 8 deposits, 5 borrows", 15340),
    // last known 3607
    ("DepositLiquidity", "common", 3970),
    // last known 3301
    ("RedeemCollateral", "common", 3640),
    // last known 6612
    ("InitObligation", "common", 7280),
    // last known 1630
    ("DepositCollateral", "new entry", 1800),
    // last known 1697
    ("DepositCollateral", "full: 8th deposit of 8", 1870),
    // last known 2836
    ("WithdrawCollateral", "with debt, 1 deposit, 1 borrow", 3120),
    // last known 2838
    ("WithdrawCollateral", "full: 8 deposits, 5 borrows", 3130),
    // last known 2413
    ("Borrow", "1 deposit, 1 borrow", 2660),
    // last known 2413
    ("Borrow", "full: 8 deposits, 5 borrows", 2660),
    // last known 1883
    ("Repay", "partial", 2080),
    // last known 1910
    ("Repay", "whole debt, removes the borrow", 2110),
    // last known 2234
    ("Repay", "full: whole first borrow of 5", 2460),
    // last known 154
    ("SetPreLiquidation", "common", 170),
    // last known 10545
    ("PreLiquidate", "1 deposit, 1 borrow", 11600),
    // last known 10567
    ("PreLiquidate", "full: 8 deposits, 5 borrows", 11630),
    // last known 11190
    ("Liquidate", "1 deposit, 1 borrow", 12310),
    // last known 11480
    ("Liquidate", "full: 8 deposits, 5 borrows", 12630),
    // last known 871
    ("StartDeleverage", "common", 960),
    // last known 8391
    ("Deleverage", "supply side, 2 deposits, 1 borrow", 9230),
    // last known 9516
    ("Deleverage", "full: 8 deposits, 5 borrows", 10470),
    // last known 683
    ("CancelDeleverage", "common", 760),
    // last known 3030
    ("CoverBadDebt", "insurance pays part", 3340),
    // last known 1997
    ("FlashBorrow", "common", 2200),
    // last known 1837
    ("FlashRepay", "common (pair − borrow)", 2020),
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
