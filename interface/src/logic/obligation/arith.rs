//! The valuation math of [`super`], computed from 64-bit operations only.
//!
//! The upstream BPF backend (the offline `bpfel-unknown-none` build) has no 128-bit multiply or divide: every
//! `u128` product or quotient lowers to a `__multi3` / `__udivti3` library call, which that backend refuses.
//! `ballast_math` uses such products (`Fraction` × `Fraction`, the 256-bit intermediates of its conversions),
//! so the on-chain path here rebuilds the few operations an obligation needs from `u64` arithmetic (BPF has
//! native 64-bit `mul`, `div`, `mod`): 256-bit values are four `u64` limbs, a 64 × 64-bit product is built
//! from 32-bit halves, and a division by a 64-bit divisor takes two 32-bit quotient digits per limb
//! (Hacker's Delight `divlu`). Only a divisor wider than 64 bits (an interest index above 16) takes the
//! general long division on 32-bit digits. `u128` only appears in shifts by constants, additions and
//! comparisons, which lower to 64-bit code. The code is straight-line where it can be: it runs once per
//! position in `RefreshObligation`.
//!
//! Every function returns exactly what its `ballast_math` namesake returns (the tests below compare them on
//! many inputs), with every `MathError` reported as [`BallastError::MathOverflow`].

use {crate::error::BallastError, ballast_math::Fraction};

/// A 256-bit value in `u64` limbs, least significant first.
type U256 = [u64; 4];
/// A 256-bit value in base-2^32 digits, least significant first (the wide-divisor path only).
type Digits = [u32; 8];

const M32: u64 = 0xFFFF_FFFF;
/// Largest decimals `ballast_math::value` supports.
const MAX_DECIMALS: u8 = 38;
/// `10^0 ..= 10^19`, the powers of ten that fit in a `u64`.
const POW10_U64: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

#[inline(always)]
const fn limbs(x: u128) -> (u64, u64) {
    // Each `as u64` keeps exactly the 64 bits shifted down.
    (x as u64, (x >> 64) as u64)
}

/// The full product `a · b` as (high, low) halves, from four 32 × 32-bit products.
#[inline(always)]
const fn mul_wide(a: u64, b: u64) -> (u64, u64) {
    let (a1, a0) = (a >> 32, a & M32);
    let (b1, b0) = (b >> 32, b & M32);
    // Each factor is below 2^32, so no partial product wraps; the middle column sums three values below
    // 2^32 and the high half of a 128-bit product cannot wrap either.
    let p00 = a0.wrapping_mul(b0);
    let p01 = a0.wrapping_mul(b1);
    let p10 = a1.wrapping_mul(b0);
    let p11 = a1.wrapping_mul(b1);
    let mid = (p00 >> 32).wrapping_add(p01 & M32).wrapping_add(p10 & M32);
    let lo = (p00 & M32) | (mid << 32);
    let hi = p11.wrapping_add(p01 >> 32).wrapping_add(p10 >> 32).wrapping_add(mid >> 32);
    (hi, lo)
}

/// Adds the 128-bit `(hi, lo)` into `n` at limb `at` (`at` ≤ 2), carrying upwards. The callers add partial
/// products of a product that fits in 256 bits, so the carry never leaves the top limb.
#[inline(always)]
fn add_at(n: &mut U256, at: usize, hi: u64, lo: u64) {
    let mut carry = 0u64;
    for (i, limb) in n.iter_mut().enumerate().skip(at) {
        let add = if i == at {
            lo
        } else if i == at.wrapping_add(1) {
            hi
        } else {
            0
        };
        let (sum, c1) = limb.overflowing_add(add);
        let (sum, c2) = sum.overflowing_add(carry);
        *limb = sum;
        carry = u64::from(c1 | c2);
    }
}

/// The full product `a · b`, skipping the partial products of zero high halves.
#[inline(always)]
fn mul(a: u128, b: u128) -> U256 {
    let (a0, a1) = limbs(a);
    let (b0, b1) = limbs(b);
    let (h, l) = mul_wide(a0, b0);
    let mut n = [l, h, 0, 0];
    if b1 != 0 {
        let (h, l) = mul_wide(a0, b1);
        add_at(&mut n, 1, h, l);
    }
    if a1 != 0 {
        let (h, l) = mul_wide(a1, b0);
        add_at(&mut n, 1, h, l);
        if b1 != 0 {
            let (h, l) = mul_wide(a1, b1);
            add_at(&mut n, 2, h, l);
        }
    }
    n
}

/// The value of `n` if it fits in a `u128`.
#[inline(always)]
fn join(n: &U256) -> Option<u128> {
    if n[2] | n[3] != 0 {
        return None;
    }
    Some(u128::from(n[0]) | (u128::from(n[1]) << 64))
}

/// `floor(n / 2^60)` if it fits in a `u128`, and whether the 60 discarded bits held anything.
#[inline(always)]
fn shr_frac(n: &U256) -> (Option<u128>, bool) {
    const LOW: u64 = (1 << Fraction::BITS) - 1;
    let discarded = n[0] & LOW != 0;
    // 64 − 60 = 4: each output limb takes the top 4 bits of one limb and the low 60 of the next.
    let lo = (n[0] >> 60) | (n[1] << 4);
    let hi = (n[1] >> 60) | (n[2] << 4);
    if (n[2] >> 60) | n[3] != 0 {
        return (None, discarded);
    }
    (Some(u128::from(lo) | (u128::from(hi) << 64)), discarded)
}

/// `(r · 2^64 + u) / v` and its remainder, for a normalized `v` (top bit set) and `r < v`: Hacker's
/// Delight `divlu`, two 32-bit quotient digits each estimated from the top digit of `v` and corrected at
/// most twice.
#[inline(always)]
fn div_limb(r: u64, u: u64, v: u64) -> (u64, u64) {
    let (vn1, vn0) = (v >> 32, v & M32);
    let (un1, un0) = (u >> 32, u & M32);
    // vn1 >= 2^31 is non-zero: `checked_*` only makes that visible.
    let mut q1 = r.checked_div(vn1).unwrap_or(0);
    let mut rhat = r.wrapping_sub(q1.wrapping_mul(vn1));
    // The product is only formed once q1 <= M32 (no wrap), and the shifted rhat only while rhat <= M32.
    while q1 > M32 || q1.wrapping_mul(vn0) > ((rhat << 32) | un1) {
        q1 = q1.wrapping_sub(1);
        rhat = rhat.wrapping_add(vn1);
        if rhat > M32 {
            break;
        }
    }
    // The true partial remainder is below v < 2^64: computed modulo 2^64 it is exact.
    let un21 = (r << 32).wrapping_add(un1).wrapping_sub(q1.wrapping_mul(v));
    let mut q0 = un21.checked_div(vn1).unwrap_or(0);
    let mut rhat = un21.wrapping_sub(q0.wrapping_mul(vn1));
    while q0 > M32 || q0.wrapping_mul(vn0) > ((rhat << 32) | un0) {
        q0 = q0.wrapping_sub(1);
        rhat = rhat.wrapping_add(vn1);
        if rhat > M32 {
            break;
        }
    }
    let rem = (un21 << 32).wrapping_add(un0).wrapping_sub(q0.wrapping_mul(v));
    ((q1 << 32) | q0, rem)
}

/// Divides `n` in place by a non-zero `v`; returns whether a remainder was left.
fn div_u64(n: &mut U256, v: u64) -> bool {
    if v >> 32 == 0 {
        // A divisor below 2^32: two native divisions per limb, the remainder always below 2^32.
        let mut rem = 0u64;
        for limb in n.iter_mut().rev() {
            if rem == 0 && *limb == 0 {
                // Zero limbs on top divide to zero and leave nothing over.
                continue;
            }
            let hi = (rem << 32) | (*limb >> 32);
            let q1 = hi.checked_div(v).unwrap_or(0);
            rem = hi.wrapping_sub(q1.wrapping_mul(v));
            let lo = (rem << 32) | (*limb & M32);
            let q0 = lo.checked_div(v).unwrap_or(0);
            rem = lo.wrapping_sub(q0.wrapping_mul(v));
            *limb = (q1 << 32) | q0;
        }
        return rem != 0;
    }
    // Normalize: shift the divisor's top bit to bit 63 and the dividend by as much (one more limb on top).
    let s = v.leading_zeros();
    let v = v << s;
    let (top, shifted) = if s == 0 {
        (0, *n)
    } else {
        // 0 < s < 32 here, so 64 − s lies in 33..64.
        let back = 64u32.wrapping_sub(s);
        (
            n[3] >> back,
            [
                n[0] << s,
                (n[1] << s) | (n[0] >> back),
                (n[2] << s) | (n[1] >> back),
                (n[3] << s) | (n[2] >> back),
            ],
        )
    };
    // top < 2^s <= v: the precondition of `div_limb` holds, and each remainder stays below v.
    let mut rem = top;
    for (limb, &u) in n.iter_mut().zip(shifted.iter()).rev() {
        if rem == 0 && u < v {
            // The quotient digit is 0 and the limb is the remainder: no division needed.
            *limb = 0;
            rem = u;
            continue;
        }
        let (q, r) = div_limb(rem, u, v);
        *limb = q;
        rem = r;
    }
    rem != 0
}

/// Divides `n` in place by `10^decimals` (in steps of at most 10^19); returns whether a remainder was left.
/// `floor(floor(x / a) / b) = floor(x / ab)`, and the whole remainder is zero exactly when every step's is.
#[inline(always)]
fn div_pow10(n: &mut U256, decimals: u8) -> Result<bool, BallastError> {
    if decimals > MAX_DECIMALS {
        return Err(BallastError::MathOverflow);
    }
    let mut left = usize::from(decimals);
    let mut remainder = false;
    while left > 0 {
        let step = left.min(19);
        remainder |= div_u64(n, POW10_U64.get(step).copied().unwrap_or(1));
        left = left.saturating_sub(step);
    }
    Ok(remainder)
}

/// `n` divided by `d` (any width) and whether a remainder was left, or `None` when `d == 0`.
fn div_u128(n: &U256, d: u128) -> Option<(U256, bool)> {
    let (d0, d1) = limbs(d);
    if d1 == 0 {
        if d0 == 0 {
            return None;
        }
        let mut q = *n;
        let remainder = div_u64(&mut q, d0);
        return Some((q, remainder));
    }
    let mut digits = [0u32; 8];
    for (pair, &limb) in digits.chunks_exact_mut(2).zip(n.iter()) {
        // Each `as u32` keeps exactly the 32 bits shifted down.
        pair[0] = limb as u32;
        pair[1] = (limb >> 32) as u32;
    }
    let (q, remainder) = div_rem(&digits, d)?;
    let mut out = [0u64; 4];
    for (limb, pair) in out.iter_mut().zip(q.chunks_exact(2)) {
        *limb = u64::from(pair[0]) | (u64::from(pair[1]) << 32);
    }
    Some((out, remainder))
}

/// The four base-2^32 digits of `x`, least significant first.
#[inline(always)]
const fn split(x: u128) -> [u32; 4] {
    // Each `as u32` keeps exactly the 32 bits shifted down.
    [x as u32, (x >> 32) as u32, (x >> 64) as u32, (x >> 96) as u32]
}

/// Divides the `len` low digits of `n` in place by a non-zero `d < 2^32`; returns whether a remainder was left.
fn div_digits_small(n: &mut Digits, len: usize, d: u32) -> bool {
    let d = u64::from(d);
    let mut rem = 0u64;
    for digit in n.iter_mut().take(len).rev() {
        // rem < d < 2^32, so (rem << 32) | digit fits in a u64 and the quotient digit is below 2^32.
        let current = (rem << 32) | u64::from(*digit);
        *digit = current.checked_div(d).unwrap_or(0) as u32;
        rem = current.checked_rem(d).unwrap_or(0);
    }
    rem != 0
}

/// `floor(n / d)` and whether a remainder was left, or `None` when `d == 0`.
///
/// Knuth's algorithm D (TAOCP vol. 2, 4.3.1) on 32-bit digits, in the form of Hacker's Delight `divmnu`:
/// normalize so that the divisor's top digit has its high bit set, estimate each quotient digit from the top
/// two digits of the running remainder (at most two too large), correct it, multiply and subtract.
fn div_rem(n: &Digits, d: u128) -> Option<(Digits, bool)> {
    const BASE: u64 = 1 << 32;
    let v = split(d);
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
        q = *n;
        let remainder = div_digits_small(&mut q, m, v[0]);
        return Some((q, remainder));
    }

    // Normalize by s so that the divisor's top digit is at least 2^31; `u64 >> 32` is 0, so s == 0 needs no
    // special case.
    let last = vlen.wrapping_sub(1);
    let s = v[last].leading_zeros();
    let back = 32u32.wrapping_sub(s);
    let mut vn = [0u32; 4];
    for i in (1..vlen).rev() {
        vn[i] = (v[i] << s) | (u64::from(v[i.wrapping_sub(1)]) >> back) as u32;
    }
    vn[0] = v[0] << s;
    let mut un = [0u32; 9];
    un[m] = (u64::from(n[m.wrapping_sub(1)]) >> back) as u32;
    for i in (1..m).rev() {
        un[i] = (n[i] << s) | (u64::from(n[i.wrapping_sub(1)]) >> back) as u32;
    }
    un[0] = n[0] << s;

    let v_top = u64::from(vn[last]);
    let v_next = u64::from(vn[vlen.wrapping_sub(2)]);
    // m >= vlen, so m - vlen does not wrap.
    for j in (0..=m.wrapping_sub(vlen)).rev() {
        let jn = j.wrapping_add(vlen);
        // Both digits are below 2^32, so the pair fits in a u64; v_top >= 2^31 is non-zero.
        let pair = (u64::from(un[jn]) << 32) | u64::from(un[jn.wrapping_sub(1)]);
        let mut qhat = pair.checked_div(v_top)?;
        let mut rhat = pair.checked_rem(v_top)?;
        // qhat is at most 2 too large; the product is only formed once qhat < 2^32 (no wrap), and the
        // shifted rhat only while rhat < 2^32.
        while qhat >= BASE || qhat.wrapping_mul(v_next) > ((rhat << 32) | u64::from(un[jn.wrapping_sub(2)])) {
            qhat = qhat.wrapping_sub(1);
            rhat = rhat.wrapping_add(v_top);
            if rhat >= BASE {
                break;
            }
        }
        // Multiply and subtract qhat · divisor from un[j..=j + vlen], with a signed borrow.
        let mut borrow = 0i64;
        for (i, &digit) in vn.iter().enumerate().take(vlen) {
            let k = i.wrapping_add(j);
            // qhat < 2^32 and the digit < 2^32: the product fits in a u64.
            let p = qhat.wrapping_mul(u64::from(digit));
            let t = i64::from(un[k]).wrapping_sub(borrow).wrapping_sub((p & 0xFFFF_FFFF) as i64);
            un[k] = t as u32;
            borrow = ((p >> 32) as i64).wrapping_sub(t >> 32);
        }
        let t = i64::from(un[jn]).wrapping_sub(borrow);
        un[jn] = t as u32;
        q[j] = qhat as u32;
        if t < 0 {
            // qhat was one too large: add the divisor back.
            q[j] = q[j].wrapping_sub(1);
            let mut carry = 0u64;
            for (i, &digit) in vn.iter().enumerate().take(vlen) {
                let k = i.wrapping_add(j);
                // Two digits and a carry of at most 1: below 2^33.
                let t = u64::from(un[k]).wrapping_add(u64::from(digit)).wrapping_add(carry);
                un[k] = t as u32;
                carry = t >> 32;
            }
            un[jn] = un[jn].wrapping_add(carry as u32);
        }
    }
    // The remainder is un[..vlen] shifted back by s: non-zero exactly when any of those digits is.
    Some((q, un.iter().take(vlen).any(|&x| x != 0)))
}

#[inline(always)]
fn round_up(value: u128, up: bool) -> Result<u128, BallastError> {
    if up {
        value.checked_add(1).ok_or(BallastError::MathOverflow)
    } else {
        Ok(value)
    }
}

/// `bps / 10 000` rounded down, as `Fraction::from_bps`: `floor(bps · 2^60 / 10 000)`.
#[inline(always)]
pub fn from_bps(bps: u16) -> Fraction {
    // bps · 2^60 / 10 000 = (bps · 2^24) · 2^32 / 625. With x = bps · 2^24 = q · 625 + r, the floor is
    // q · 2^32 + floor(r · 2^32 / 625). x < 2^40 and r · 2^32 < 2^42: every step fits in a u64, and the result,
    // below 6.6 · 2^60, too.
    let x = u64::from(bps) << 24;
    let (q, r) = (x / 625, x % 625);
    Fraction::from_raw(u128::from((q << 32) | ((r << 32) / 625)))
}

/// `a × b` rounded down (`Fraction::checked_mul`) or, with `CEIL`, up (`Fraction::checked_mul_ceil`).
///
/// Rounding is a const parameter and the public functions here are inlined: the BPF backend passes at most
/// five registers (a `u128` takes two, a returned `Result` one) and refuses calls that need more.
#[inline(always)]
pub fn mul_frac<const CEIL: bool>(a: Fraction, b: Fraction) -> Result<Fraction, BallastError> {
    // A factor of exactly 1 (a 100% weight) is the common case and needs no product.
    if b == Fraction::ONE {
        return Ok(a);
    }
    let (b0, b1) = limbs(b.raw());
    let n = if b1 == 0 {
        // A factor below 2^64 (every weight up to 1,600%): two limb products.
        let (a0, a1) = limbs(a.raw());
        let (h0, l0) = mul_wide(a0, b0);
        let (h1, l1) = mul_wide(a1, b0);
        let (mid, carry) = h0.overflowing_add(l1);
        // h1 < 2^64 − 1 (the high half of a product of two u64), so adding the carry cannot wrap.
        [l0, mid, h1.wrapping_add(u64::from(carry)), 0]
    } else {
        mul(a.raw(), b.raw())
    };
    let (q, discarded) = shr_frac(&n);
    let q = q.ok_or(BallastError::MathOverflow)?;
    Ok(Fraction::from_raw(round_up(q, CEIL && discarded)?))
}

/// `x × m` exactly, `None` above `Fraction::MAX`.
#[inline(always)]
pub fn mul_int(x: Fraction, m: u64) -> Option<Fraction> {
    join(&mul(x.raw(), u128::from(m))).map(Fraction::from_raw)
}

/// `amount × price / 10^decimals`, rounded down (`value::market_value`) or, with `CEIL`, up
/// (`value::market_value_ceil`).
#[inline(always)]
pub fn market_value<const CEIL: bool>(
    amount: u64,
    price: Fraction,
    decimals: u8,
) -> Result<Fraction, BallastError> {
    let mut n = mul(u128::from(amount), price.raw());
    let remainder = div_pow10(&mut n, decimals)?;
    let q = join(&n).ok_or(BallastError::MathOverflow)?;
    Ok(Fraction::from_raw(round_up(q, CEIL && remainder)?))
}

/// Value of a Fraction of base units, rounded up (`value::market_value_of_fraction_ceil`).
#[inline(always)]
pub fn market_value_of_fraction_ceil(
    amount: Fraction,
    price: Fraction,
    decimals: u8,
) -> Result<Fraction, BallastError> {
    let mut n = mul(amount.raw(), price.raw());
    let remainder = div_pow10(&mut n, decimals)?;
    let (q, discarded) = shr_frac(&n);
    let q = q.ok_or(BallastError::MathOverflow)?;
    // ceil(x / (10^d · 2^60)) = floor + 1 exactly when either division left something.
    Ok(Fraction::from_raw(round_up(q, remainder || discarded)?))
}

/// Liquidity that `ctokens` are worth, `ctokens × total / supply`, rounded down
/// (`reserve::collateral_to_liquidity_floor`) or, with `CEIL`, up (`reserve::collateral_to_liquidity_ceil`);
/// 1:1 while the reserve has no liquidity or no cTokens.
#[inline(always)]
pub fn collateral_to_liquidity<const CEIL: bool>(
    ctokens: u64,
    total_liquidity: Fraction,
    ctoken_supply: u64,
) -> Result<u64, BallastError> {
    if total_liquidity.is_zero() || ctoken_supply == 0 {
        return Ok(ctokens);
    }
    // ctokens · total.raw / supply, then / 2^60: nested floors equal the single floor, and the single
    // ceiling is the floor plus one exactly when either division left something.
    let mut n = mul(u128::from(ctokens), total_liquidity.raw());
    let remainder = div_u64(&mut n, ctoken_supply);
    let (q, discarded) = shr_frac(&n);
    let q = round_up(q.ok_or(BallastError::MathOverflow)?, CEIL && (remainder || discarded))?;
    u64::try_from(q).map_err(|_| BallastError::MathOverflow)
}

/// A debt brought from `snapshot_index` to `current_index`, `debt × current / snapshot`, rounded up
/// (`reserve::rescale_debt_ceil`). A zero snapshot or a decreased index is refused.
#[inline(always)]
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
    let (q, remainder) = div_u128(&mul(debt.raw(), current_index.raw()), snapshot_index.raw())
        .ok_or(BallastError::MathOverflow)?;
    let q = join(&q).ok_or(BallastError::MathOverflow)?;
    Ok(Fraction::from_raw(round_up(q, remainder)?))
}

#[cfg(test)]
mod tests {
    use {
        super::*,
        ballast_math::{reserve, value},
    };

    /// xorshift64*, so the comparison covers many shapes of input deterministically.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        /// A value of random bit length, so small, medium and full-width values all appear.
        fn u64(&mut self) -> u64 {
            let bits = self.next() % 65;
            if bits == 0 {
                0
            } else {
                self.next() >> 64u64.wrapping_sub(bits)
            }
        }

        fn u128(&mut self) -> u128 {
            let bits = self.next() % 129;
            let raw = (u128::from(self.next()) << 64) | u128::from(self.next());
            if bits == 0 {
                0
            } else {
                raw >> 128u64.wrapping_sub(bits)
            }
        }

        fn frac(&mut self) -> Fraction {
            Fraction::from_raw(self.u128())
        }
    }

    fn same<T: PartialEq + core::fmt::Debug>(
        ours: Result<T, BallastError>,
        reference: Result<T, ballast_math::MathError>,
    ) {
        assert_eq!(ours, reference.map_err(|_| BallastError::MathOverflow));
    }

    #[test]
    fn bps_and_products_match_fraction() {
        for bps in [0u16, 1, 625, 7_500, 8_000, 9_999, 10_000, 12_345, u16::MAX] {
            assert_eq!(from_bps(bps), Fraction::from_bps(u64::from(bps)));
        }
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for _ in 0..20_000 {
            let (a, b) = (rng.frac(), rng.frac());
            same(mul_frac::<false>(a, b), a.checked_mul(b));
            same(mul_frac::<true>(a, b), a.checked_mul_ceil(b));
            let m = rng.u64();
            assert_eq!(mul_int(a, m), a.checked_mul_int(m).ok());
        }
    }

    #[test]
    fn values_match_ballast_math() {
        let mut rng = Rng(0x0bad_cafe_f00d_0001);
        for _ in 0..20_000 {
            let (amount, price, decimals) = (rng.u64(), rng.frac(), (rng.next() % 40) as u8);
            same(
                market_value::<false>(amount, price, decimals),
                value::market_value(amount, price, decimals),
            );
            same(
                market_value::<true>(amount, price, decimals),
                value::market_value_ceil(amount, price, decimals),
            );
            let debt = rng.frac();
            same(
                market_value_of_fraction_ceil(debt, price, decimals),
                value::market_value_of_fraction_ceil(debt, price, decimals),
            );
        }
    }

    #[test]
    fn exchange_and_rescale_match_ballast_math() {
        let mut rng = Rng(0xfeed_beef_0000_0042);
        for _ in 0..20_000 {
            let (ctokens, total, supply) = (rng.u64(), rng.frac(), rng.u64());
            same(
                collateral_to_liquidity::<false>(ctokens, total, supply),
                reserve::collateral_to_liquidity_floor(ctokens, total, supply),
            );
            same(
                collateral_to_liquidity::<true>(ctokens, total, supply),
                reserve::collateral_to_liquidity_ceil(ctokens, total, supply),
            );
            let (debt, a, b) = (rng.frac(), rng.frac(), rng.frac());
            same(rescale_debt_ceil(debt, a, b), reserve::rescale_debt_ceil(debt, a, b));
        }
        // Realistic shapes: an index a little above its snapshot, a rate a little above 1.
        for _ in 0..5_000 {
            let snapshot = Fraction::ONE.saturating_add(Fraction::from_raw(rng.u128() >> 70));
            let current = snapshot.saturating_add(Fraction::from_raw(rng.u128() >> 66));
            let debt = Fraction::from_raw(rng.u128() >> 4);
            same(
                rescale_debt_ceil(debt, snapshot, current),
                reserve::rescale_debt_ceil(debt, snapshot, current),
            );
            let supply = rng.u64() | 1;
            let total = Fraction::from_integer(supply).saturating_add(Fraction::from_raw(rng.u128() >> 70));
            let ctokens = rng.u64() % supply;
            same(
                collateral_to_liquidity::<true>(ctokens, total, supply),
                reserve::collateral_to_liquidity_ceil(ctokens, total, supply),
            );
        }
    }
}
