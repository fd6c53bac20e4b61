//! Host-side checks against f64 (the `std` feature only).
#![cfg(feature = "std")]

use ballast_math::{interest, Fraction};
use proptest::prelude::*;

#[test]
fn to_f64_is_accurate() {
    assert_eq!(Fraction::ONE.to_f64(), 1.0);
    assert_eq!(Fraction::from_bps(2_500).to_f64(), 0.25);
    assert!((Fraction::from_bps(1).to_f64() - 1e-4).abs() < 1e-18);
    assert_eq!(Fraction::from_integer(1 << 40).to_f64(), (1u64 << 40) as f64);
}

/// The number of property-test cases: `default`, or `PROPTEST_CASES` when set (for longer runs).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    /// `compound` against `exp(n · ln(1 + apr / SLOTS_PER_YEAR))` in f64: agreement to f64 precision
    /// (the rigorous bound is tested against a 180-bit reference in `compound.rs`).
    #[test]
    fn compound_matches_f64(apr_bps in 0u64..=100_000, slots in 0u64..=2 * interest::SLOTS_PER_YEAR) {
        let apr = Fraction::from_bps(apr_bps);
        let Ok(g) = interest::compound(apr, slots) else { return Ok(()) };
        let per_slot = apr.to_f64() / interest::SLOTS_PER_YEAR as f64;
        let expected = (slots as f64 * per_slot.ln_1p()).exp();
        let rel = (g.to_f64() - expected).abs() / expected;
        prop_assert!(rel < 1e-12, "apr {apr_bps} bps, {slots} slots: {} vs {expected}", g.to_f64());
    }
}
