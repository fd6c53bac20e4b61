//! The cToken exchange and the debt rescaling of `ballast_math::reserve`, computed from 64-bit operations only.
//!
//! The upstream BPF backend (the offline `bpfel-unknown-none` build) has no 128-bit multiply or divide: it
//! refuses the `__multi3`/`__udivti3` library calls that any `u128` product or quotient lowers to, and
//! functions taking more than five register arguments. So the on-chain path builds 256-bit products and
//! quotients here from base-2^32 digits with `u64` arithmetic (BPF has native 64-bit `mul`, `div`, `mod`),
//! and uses `u128` only for shifts by constants, additions and comparisons, which lower to 64-bit code.
//! Each function returns exactly what its `ballast_math::reserve` namesake returns (the tests compare them),
//! with every `MathError` reported as [`BallastError::MathOverflow`].

use {crate::error::BallastError, ballast_math::Fraction, core::num::NonZeroU64};

/// Digits of a 256-bit value, least significant first.
type Digits = [u32; 8];

/// The four base-2^32 digits of `x`, least significant first.
const fn split(x: u128) -> [u32; 4] {
    // Each `as u32` keeps exactly the 32 bits shifted down.
    [x as u32, (x >> 32) as u32, (x >> 64) as u32, (x >> 96) as u32]
}

/// The value of `digits` if it fits in a `u128`.
fn join(digits: &Digits) -> Option<u128> {
    let [d0, d1, d2, d3, d4, d5, d6, d7] = *digits;
    if d4 | d5 | d6 | d7 != 0 {
        return None;
    }
    Some(u128::from(d0) | (u128::from(d1) << 32) | (u128::from(d2) << 64) | (u128::from(d3) << 96))
}

/// The full product `a · b` (schoolbook on 32-bit digits).
fn mul(a: u128, b: u128) -> Digits {
    let (a, b) = (split(a), split(b));
    let mut out = [0u32; 8];
    for (i, &ai) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &bj) in b.iter().enumerate() {
            // i, j < 4, so i + j < 8.
            let k = i.wrapping_add(j);
            // (2^32 − 1)^2 + 2 · (2^32 − 1) = 2^64 − 1: the digit product plus two digits never wraps.
            let t =
                u64::from(ai).wrapping_mul(u64::from(bj)).wrapping_add(u64::from(out[k])).wrapping_add(carry);
            out[k] = t as u32;
            carry = t >> 32;
        }
        // i + 4 < 8; the carry is below 2^32.
        out[i.wrapping_add(4)] = carry as u32;
    }
    out
}

/// `floor(n / d)` and whether a remainder was left, or `None` when `d == 0`.
///
/// Knuth's algorithm D (TAOCP vol. 2, 4.3.1) on 32-bit digits, in the form of Hacker's Delight `divmnu`:
/// normalize so that the divisor's top digit has its high bit set, estimate each quotient digit from the top
/// two digits of the running remainder (at most two too large), correct it, multiply and subtract.
fn div_rem(n: &Digits, d: u128) -> Option<(Digits, bool)> {
    const BASE: u64 = 1 << 32;
    let v = split(d);
    // The number of digits of the divisor (1..=4) and of the numerator (0..=8).
    let vlen = v.iter().rposition(|&x| x != 0)?.wrapping_add(1);
    let mut q = [0u32; 8];
    let Some(top) = n.iter().rposition(|&x| x != 0) else {
        return Some((q, false));
    };
    let m = top.wrapping_add(1);
    if m < vlen {
        return Some((q, true));
    }
    if vlen == 1 {
        let d0 = NonZeroU64::new(u64::from(v[0]))?;
        let mut rem = 0u64;
        for j in (0..m).rev() {
            // rem < d0 < 2^32, so (rem << 32) | digit fits in a u64.
            let current = (rem << 32) | u64::from(n[j]);
            q[j] = (current / d0) as u32;
            rem = current % d0;
        }
        return Some((q, rem != 0));
    }

    // Normalize: shift both by s so that the divisor's top digit is at least 2^31. `u64 >> 32` is 0, so
    // s == 0 needs no special case.
    let last = vlen.wrapping_sub(1);
    let s = v[last].leading_zeros();
    let back = 32u32.wrapping_sub(s);
    let mut vn = [0u32; 4];
    for i in (1..vlen).rev() {
        vn[i] = (v[i] << s) | (u64::from(v[i.wrapping_sub(1)]) >> back) as u32;
    }
    vn[0] = v[0] << s;
    let mut un = [0u32; 9];
    un[m] = (u64::from(n[last_of(m)]) >> back) as u32;
    for i in (1..m).rev() {
        un[i] = (n[i] << s) | (u64::from(n[i.wrapping_sub(1)]) >> back) as u32;
    }
    un[0] = n[0] << s;

    // Normalized, the top digit is at least 2^31.
    let v_top = NonZeroU64::new(u64::from(vn[last]))?;
    let v_next = u64::from(vn[vlen.wrapping_sub(2)]);
    // m >= vlen, so m - vlen does not wrap.
    for j in (0..=m.wrapping_sub(vlen)).rev() {
        let jn = j.wrapping_add(vlen);
        // Both digits are below 2^32, so the pair fits in a u64; v_top >= 2^31.
        let pair = (u64::from(un[jn]) << 32) | u64::from(un[jn.wrapping_sub(1)]);
        let mut qhat = pair / v_top;
        let mut rhat = pair % v_top;
        // qhat is at most 2 too large; the product is only formed once qhat < 2^32 (no wrap), and the
        // shifted rhat only while rhat < 2^32.
        while qhat >= BASE || qhat.wrapping_mul(v_next) > ((rhat << 32) | u64::from(un[jn.wrapping_sub(2)])) {
            qhat = qhat.wrapping_sub(1);
            rhat = rhat.wrapping_add(v_top.get());
            if rhat >= BASE {
                break;
            }
        }
        // Multiply and subtract qhat · divisor from un[j..=j + vlen], with a signed borrow.
        let mut borrow = 0i64;
        for (&digit, u) in vn.iter().take(vlen).zip(un.iter_mut().skip(j)) {
            // qhat < 2^32 and the digit < 2^32: the product fits in a u64.
            let p = qhat.wrapping_mul(u64::from(digit));
            let t = i64::from(*u).wrapping_sub(borrow).wrapping_sub((p & 0xFFFF_FFFF) as i64);
            *u = t as u32;
            borrow = ((p >> 32) as i64).wrapping_sub(t >> 32);
        }
        let t = i64::from(un[jn]).wrapping_sub(borrow);
        un[jn] = t as u32;
        q[j] = qhat as u32;
        if t < 0 {
            // qhat was one too large: add the divisor back.
            q[j] = q[j].wrapping_sub(1);
            let mut carry = 0u64;
            for (&digit, u) in vn.iter().take(vlen).zip(un.iter_mut().skip(j)) {
                // Two digits and a carry of at most 1: below 2^33.
                let t = u64::from(*u).wrapping_add(u64::from(digit)).wrapping_add(carry);
                *u = t as u32;
                carry = t >> 32;
            }
            un[jn] = un[jn].wrapping_add(carry as u32);
        }
    }
    // The remainder is un[..vlen] shifted back by s: non-zero exactly when any of those digits is.
    let remainder = un.iter().take(vlen).any(|&x| x != 0);
    Some((q, remainder))
}

/// `m - 1` for the numerator length `m >= 1`.
const fn last_of(m: usize) -> usize {
    m.saturating_sub(1)
}

/// 1:1 while the reserve has no liquidity or no cTokens (as `ballast_math::reserve`).
const fn one_to_one(total_liquidity: Fraction, ctoken_supply: u64) -> bool {
    total_liquidity.is_zero() || ctoken_supply == 0
}

/// cTokens minted for a deposit of `liquidity`, `liquidity × supply / total`, rounded down (the depositor
/// receives them); 1:1 when either side is 0.
pub fn liquidity_to_collateral_floor(
    liquidity: u64,
    total_liquidity: Fraction,
    ctoken_supply: u64,
) -> Result<u64, BallastError> {
    if one_to_one(total_liquidity, ctoken_supply) {
        return Ok(liquidity);
    }
    // liquidity · supply < 2^128; then · 2^60 / total.raw.
    let product =
        join(&mul(u128::from(liquidity), u128::from(ctoken_supply))).ok_or(BallastError::MathOverflow)?;
    let (q, _) = div_rem(&mul(product, Fraction::ONE.raw()), total_liquidity.raw())
        .ok_or(BallastError::MathOverflow)?;
    to_u64(&q)
}

/// Liquidity paid for redeeming `ctokens`, `ctokens × total / supply`, rounded down (the redeemer receives
/// it); 1:1 when either side is 0.
pub fn collateral_to_liquidity_floor(
    ctokens: u64,
    total_liquidity: Fraction,
    ctoken_supply: u64,
) -> Result<u64, BallastError> {
    if one_to_one(total_liquidity, ctoken_supply) {
        return Ok(ctokens);
    }
    // supply < 2^64, so supply · 2^60 < 2^124.
    let divisor = u128::from(ctoken_supply) << Fraction::BITS;
    let (q, _) = div_rem(&mul(u128::from(ctokens), total_liquidity.raw()), divisor)
        .ok_or(BallastError::MathOverflow)?;
    to_u64(&q)
}

/// A debt brought from `snapshot_index` to `current_index`, `debt × current / snapshot`, rounded up (the
/// borrower owes it). A zero snapshot or a decreased index is refused.
pub fn rescale_debt_ceil(
    debt: Fraction,
    snapshot_index: Fraction,
    current_index: Fraction,
) -> Result<Fraction, BallastError> {
    if snapshot_index.is_zero() || current_index < snapshot_index {
        return Err(BallastError::MathOverflow);
    }
    if current_index == snapshot_index {
        return Ok(debt);
    }
    let (q, remainder) = div_rem(&mul(debt.raw(), current_index.raw()), snapshot_index.raw())
        .ok_or(BallastError::MathOverflow)?;
    let q = join(&q).ok_or(BallastError::MathOverflow)?;
    let q = if remainder { q.checked_add(1).ok_or(BallastError::MathOverflow)? } else { q };
    Ok(Fraction::from_raw(q))
}

fn to_u64(q: &Digits) -> Result<u64, BallastError> {
    let value = join(q).ok_or(BallastError::MathOverflow)?;
    u64::try_from(value).map_err(|_| BallastError::MathOverflow)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]
mod tests {
    use {super::*, ballast_math::reserve as reference};

    /// A small deterministic generator (xorshift64*) so the comparison covers many shapes of input.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        /// A value of a random bit length, so small, medium and full-width values all appear.
        fn u64(&mut self) -> u64 {
            let bits = self.next() % 65;
            if bits == 0 {
                0
            } else {
                self.next() >> (64 - bits)
            }
        }

        fn u128(&mut self) -> u128 {
            let bits = self.next() % 129;
            let raw = (u128::from(self.next()) << 64) | u128::from(self.next());
            if bits == 0 {
                0
            } else {
                raw >> (128 - bits)
            }
        }
    }

    fn same<T: PartialEq + core::fmt::Debug>(
        ours: Result<T, BallastError>,
        theirs: Result<T, ballast_math::MathError>,
    ) {
        assert_eq!(ours, theirs.map_err(BallastError::from));
    }

    #[test]
    fn matches_the_math_crate() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..200_000 {
            let (a, b) = (rng.u64(), rng.u64());
            let total = Fraction::from_raw(rng.u128());
            same(
                liquidity_to_collateral_floor(a, total, b),
                reference::liquidity_to_collateral_floor(a, total, b),
            );
            same(
                collateral_to_liquidity_floor(a, total, b),
                reference::collateral_to_liquidity_floor(a, total, b),
            );
            let (debt, x, y) = (rng.u128(), rng.u128(), rng.u128());
            let (snapshot, current) = (Fraction::from_raw(x.min(y)), Fraction::from_raw(x.max(y)));
            let debt = Fraction::from_raw(debt);
            assert_eq!(
                rescale_debt_ceil(debt, snapshot, current).ok(),
                reference::rescale_debt_ceil(debt, snapshot, current).ok()
            );
        }
    }

    #[test]
    fn edges() {
        let total = Fraction::from_integer(1_100);
        assert_eq!(liquidity_to_collateral_floor(100, total, 1_000), Ok(90));
        assert_eq!(collateral_to_liquidity_floor(9, total, 1_000), Ok(9));
        assert_eq!(liquidity_to_collateral_floor(7, Fraction::ZERO, 5), Ok(7));
        assert_eq!(
            rescale_debt_ceil(Fraction::from_integer(100), Fraction::ONE, Fraction::from_bps(12_500)),
            Ok(Fraction::from_integer(125))
        );
        assert_eq!(
            rescale_debt_ceil(Fraction::ONE, Fraction::ZERO, Fraction::ONE),
            Err(BallastError::MathOverflow)
        );
        assert_eq!(
            rescale_debt_ceil(Fraction::ONE, Fraction::ONE, Fraction::ZERO),
            Err(BallastError::MathOverflow)
        );
        for d in
            [1u128, 3, u128::from(u32::MAX), 1 << 32, u128::from(u64::MAX), 1 << 64, u128::MAX, (1 << 96) + 7]
        {
            for n in [0u128, 1, d, d.saturating_sub(1), u128::MAX, 1 << 100] {
                let (q, rem) = div_rem(&mul(n, 1), d).unwrap();
                assert_eq!(join(&q), Some(n / d), "{n} / {d}");
                assert_eq!(rem, n % d != 0, "{n} % {d}");
            }
        }
        assert_eq!(div_rem(&mul(5, 5), 0), None);
    }
}
