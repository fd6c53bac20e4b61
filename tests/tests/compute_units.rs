//! Compute-unit caps: every instruction case of `ballast_tests::cu` must stay within its cap, the last
//! measured value plus about 10%, so that a regression fails the tests. When a change lowers a number, lower
//! its cap here (and re-run the bench to update `benches/compute_units.md`).

use ballast_tests::cu;

/// (instruction, case, cap); each cap is the last known CU × 1.1, rounded.
const CAPS: &[(&str, &str, u64)] = &[
    // last known 4839
    ("InitMarket", "common", 5320),
    // last known 144
    ("UpdateMarket", "common", 160),
    // last known 23318
    ("InitReserve", "common", 25650),
    // last known 548
    ("UpdateReserveConfig", "common", 600),
    // last known 2821
    ("CollectFees", "both vaults", 3100),
    // last known 2280
    ("RefreshReserve", "price, 1 slot of interest", 2510),
    // last known 7665
    ("RefreshReserve", "price, 2 days of interest", 8430),
    // last known 580
    ("RefreshReserve", "price, same slot", 640),
    // last known 1920
    ("RefreshReserve", "no price, 1 slot", 2110),
    // last known 1934
    ("RefreshObligation", "1 deposit, 1 borrow", 2130),
    // last known 12968
    ("RefreshObligation", "full: 8 deposits, 5 borrows", 14260),
    // last known 3597
    ("DepositLiquidity", "common", 3960),
    // last known 3294
    ("RedeemCollateral", "common", 3620),
    // last known 6612
    ("InitObligation", "common", 7270),
    // last known 1630
    ("DepositCollateral", "new entry", 1790),
    // last known 1697
    ("DepositCollateral", "full: 8th deposit of 8", 1870),
    // last known 2765
    ("WithdrawCollateral", "with debt, 1 deposit, 1 borrow", 3040),
    // last known 2767
    ("WithdrawCollateral", "full: 8 deposits, 5 borrows", 3040),
    // last known 2349
    ("Borrow", "1 deposit, 1 borrow", 2580),
    // last known 2349
    ("Borrow", "full: 8 deposits, 5 borrows", 2580),
    // last known 1863
    ("Repay", "partial", 2050),
    // last known 1890
    ("Repay", "whole debt, removes the borrow", 2080),
    // last known 2216
    ("Repay", "full: whole first borrow of 5", 2440),
    // last known 154
    ("SetPreLiquidation", "common", 170),
    // last known 10108
    ("PreLiquidate", "1 deposit, 1 borrow", 11120),
    // last known 10130
    ("PreLiquidate", "full: 8 deposits, 5 borrows", 11140),
    // last known 10833
    ("Liquidate", "1 deposit, 1 borrow", 11920),
    // last known 11123
    ("Liquidate", "full: 8 deposits, 5 borrows", 12240),
    // last known 871
    ("StartDeleverage", "common", 960),
    // last known 8237
    ("Deleverage", "supply side, 2 deposits, 1 borrow", 9060),
    // last known 683
    ("CancelDeleverage", "common", 750),
    // last known 2955
    ("CoverBadDebt", "insurance pays part", 3250),
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

/// The binary may not grow: last known 226,832 bytes (DESIGN §9 budget: 150 KiB, see
/// `benches/compute_units.md`).
const MAX_BINARY_BYTES: u64 = 230_000;

#[test]
fn the_binary_does_not_grow() {
    let size = std::fs::metadata(ballast_tests::program_so_path()).expect("built binary").len();
    println!("ballast_program.so: {size} bytes");
    assert!(size <= MAX_BINARY_BYTES, "{size} bytes > cap {MAX_BINARY_BYTES}");
}
