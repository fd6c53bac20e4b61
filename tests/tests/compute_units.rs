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
    // last known 2548
    ("RefreshReserve", "price, 1 slot of interest", 2800),
    // last known 7933
    ("RefreshReserve", "price, 2 days of interest", 8730),
    // last known 571
    ("RefreshReserve", "price, same slot", 630),
    // last known 2197
    ("RefreshReserve", "no price, 1 slot", 2420),
    // last known 1908
    ("RefreshObligation", "1 deposit, 1 borrow", 2100),
    // last known 15219
    ("RefreshObligation", "full: 8 deposits, 5 borrows", 16740),
    // last known 3632
    ("DepositLiquidity", "common", 4000),
    // last known 3285
    ("RedeemCollateral", "common", 3610),
    // last known 6612
    ("InitObligation", "common", 7270),
    // last known 1630
    ("DepositCollateral", "new entry", 1790),
    // last known 1697
    ("DepositCollateral", "full: 8th deposit of 8", 1870),
    // last known 2746
    ("WithdrawCollateral", "with debt, 1 deposit, 1 borrow", 3020),
    // last known 2748
    ("WithdrawCollateral", "full: 8 deposits, 5 borrows", 3020),
    // last known 2500
    ("Borrow", "1 deposit, 1 borrow", 2750),
    // last known 2500
    ("Borrow", "full: 8 deposits, 5 borrows", 2750),
    // last known 1863
    ("Repay", "partial", 2050),
    // last known 1890
    ("Repay", "whole debt, removes the borrow", 2080),
    // last known 2216
    ("Repay", "full: whole first borrow of 5", 2440),
    // last known 154
    ("SetPreLiquidation", "common", 170),
    // last known 13288
    ("PreLiquidate", "1 deposit, 1 borrow", 14620),
    // last known 13320
    ("PreLiquidate", "full: 8 deposits, 5 borrows", 14650),
    // last known 13792
    ("Liquidate", "1 deposit, 1 borrow", 15170),
    // last known 13770
    ("Liquidate", "full: 8 deposits, 5 borrows", 15150),
    // last known 871
    ("StartDeleverage", "common", 960),
    // last known 9700
    ("Deleverage", "supply side, 2 deposits, 1 borrow", 10670),
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
