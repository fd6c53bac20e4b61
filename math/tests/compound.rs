//! `interest::compound` against a rigorous high-precision reference, and its stated error bound.
//!
//! The reference brackets the exact growth factor `G = (1 + apr / SLOTS_PER_YEAR)^n` between a lower
//! and an upper value computed with 180 fractional bits (every operation rounded down for the lower
//! value and up for the upper one), so `lo ≤ G ≤ hi` holds exactly and `hi − lo` is far below 2^-60.

use ballast_math::{
    interest::{compound, compound_error_bound, SLOTS_PER_YEAR},
    Fraction, MathError,
};
use proptest::prelude::*;

uint::construct_uint! {
    struct U512(8);
}

const F: usize = 180;
/// Results at or above 2^68 overflow a Fraction; the reference stops tracking beyond 2^70.
const LIMIT_BITS: usize = F + 70;

fn one() -> U512 {
    U512::one() << F
}

fn mul(a: U512, b: U512, ceil: bool) -> Option<U512> {
    if a.bits() + b.bits() > 511 {
        return None;
    }
    let p = a * b;
    let q = p >> F;
    let rounded = if ceil && (q << F) != p { q + U512::one() } else { q };
    if rounded.bits() > LIMIT_BITS {
        None
    } else {
        Some(rounded)
    }
}

fn pow(base: U512, mut n: u64, ceil: bool) -> Option<U512> {
    let mut acc = one();
    let mut b = base;
    loop {
        if n & 1 == 1 {
            acc = mul(acc, b, ceil)?;
        }
        n >>= 1;
        if n == 0 {
            return Some(acc);
        }
        b = mul(b, b, ceil)?;
    }
}

/// `(lo, hi)` around `G · 2^180`; `None` for a side that grows past 2^70.
fn reference(apr: Fraction, n: u64) -> (Option<U512>, Option<U512>) {
    let num = U512::from(apr.raw()) << (F - 60);
    let (q, r) = num.div_mod(U512::from(SLOTS_PER_YEAR));
    let b_lo = one() + q;
    let b_hi = if r.is_zero() { b_lo } else { b_lo + U512::one() };
    (pow(b_lo, n, false), pow(b_hi, n, true))
}

fn scaled(g: Fraction) -> U512 {
    U512::from(g.raw()) << (F - 60)
}

fn check(apr: Fraction, n: u64) -> Result<(), TestCaseError> {
    let (lo, hi) = reference(apr, n);
    match compound(apr, n) {
        Ok(g) => {
            let hi = hi.ok_or_else(|| TestCaseError::fail("reference overflowed but compound did not"))?;
            let lo = lo.ok_or_else(|| TestCaseError::fail("reference overflowed but compound did not"))?;
            let got = scaled(g);
            prop_assert!(got <= hi, "compound rounded above the exact value: apr {apr:?} n {n}");
            let bound = scaled(compound_error_bound(n, g));
            let err = if lo > got { lo - got } else { U512::zero() };
            prop_assert!(err < bound, "error {err} above bound {bound}: apr {apr:?} n {n}");
            // The headline claim: below 16, and for any realistic n, within 2 units of 2^-60.
            if g < Fraction::from_integer(16) && n < (1 << 56) {
                prop_assert!(err < U512::from(2u8) << (F - 60), "more than 2 ulps off: apr {apr:?} n {n}");
            }
        }
        Err(MathError::Overflow) => {
            // Overflow means some computed value reached 2^68, and computed values never exceed exact ones.
            if let Some(hi) = hi {
                prop_assert!(hi >= (U512::one() << (F + 68)), "spurious overflow: apr {apr:?} n {n}");
            }
        }
        Err(e) => prop_assert!(false, "unexpected error {e:?}"),
    }
    Ok(())
}

#[test]
fn fixed_cases_including_the_60_bit_path() {
    let cases: &[(Fraction, u64)] = &[
        (Fraction::from_bps(1), 1),
        (Fraction::from_percent(10), 1),
        (Fraction::from_percent(10), 2),
        (Fraction::from_percent(10), 1_000),
        (Fraction::from_percent(10), SLOTS_PER_YEAR),
        (Fraction::from_percent(300), SLOTS_PER_YEAR), // e^3 ≈ 20: crosses 16
        (Fraction::from_percent(1_000), SLOTS_PER_YEAR), // e^10 ≈ 22 026
        (Fraction::from_percent(4_000), SLOTS_PER_YEAR), // e^40 ≈ 2.4e17
        (Fraction::from_percent(5_000), SLOTS_PER_YEAR), // e^50 > 2^68: overflow
        (Fraction::from_integer(20 * SLOTS_PER_YEAR), 10), // per-slot factor 21 starts at 60 bits
        (Fraction::from_integer(3 * SLOTS_PER_YEAR), 30), // per-slot factor 4: squares cross 16 at once
        (Fraction::from_raw(1), u64::MAX),             // the smallest rate, the most slots
        (Fraction::from_bps(1), 1 << 40),
        (Fraction::MAX, 1),
        (Fraction::MAX, 2),
    ];
    for &(apr, n) in cases {
        check(apr, n).unwrap();
    }
}

#[test]
fn slow_path_error_is_within_sixteen_ulps_relative() {
    for (apr, n) in
        [(Fraction::from_percent(300), SLOTS_PER_YEAR), (Fraction::from_percent(1_000), SLOTS_PER_YEAR)]
    {
        let g = compound(apr, n).unwrap();
        assert!(g >= Fraction::from_integer(16));
        let (lo, _) = reference(apr, n);
        let err = lo.unwrap().saturating_sub(scaled(g));
        // Relative error below 2^-56 (plus the 124-bit term, negligible here).
        let allowed = scaled(g) >> 56;
        assert!(err <= allowed, "{err} > {allowed}");
    }
}

fn slots() -> impl Strategy<Value = u64> {
    (0u32..40).prop_flat_map(|k| 0u64..=(1u64 << k))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn matches_the_reference_within_the_bound(apr in 0u128..=(40u128 << 60), n in slots()) {
        check(Fraction::from_raw(apr), n)?;
    }

    #[test]
    fn small_rates_many_slots(apr in 0u128..=(1u128 << 50), n in any::<u64>()) {
        check(Fraction::from_raw(apr), n)?;
    }
}
