//! 256-bit intermediates built from `u64` operations only.
//!
//! The upstream BPF backend has native 64-bit `mul`, `div` and `mod` but no 128-bit multiply or divide:
//! any `u128` product, quotient or remainder lowers to a `__multi3`/`__udivti3`/`__umodti3` call that it
//! refuses. So every product here is schoolbook multiplication on 32-bit halves of `u64` limbs
//! ([`mul_u64_wide`]), and every quotient is long division on 32-bit digits (a `u64` dividend over a
//! 32-bit digit per step), Knuth's algorithm D when the divisor has more than one digit. `u128` appears
//! only in shifts, additions and comparisons, which lower to 64-bit code.
//!
//! Values cross function boundaries as arrays (`[u64; 2]`, [`Wide`]), which are passed by pointer, so no
//! call needs more than the backend's five argument registers.

use core::{
    hint::black_box,
    num::{NonZeroU32, NonZeroU64},
};

const LOW32: u64 = 0xFFFF_FFFF;

/// The limbs of a `u128`, least significant first.
#[inline(always)]
pub(crate) const fn split(x: u128) -> [u64; 2] {
    // Each `as u64` keeps exactly the 64 bits shifted down.
    [x as u64, (x >> 64) as u64]
}

/// The `u128` of two limbs, least significant first.
#[inline(always)]
pub(crate) const fn join(limbs: [u64; 2]) -> u128 {
    ((limbs[1] as u128) << 64) | limbs[0] as u128
}

/// A `u64` factor and its two 32-bit digits.
///
/// LLVM recognizes a schoolbook ladder as a 64 × 64 → 128-bit multiply and rewrites it into a `mul i128`,
/// which the BPF backend then lowers to the refused `__multi3` call. Taking the low digit of one factor
/// through [`black_box`] ([`Digits::hidden`]: a 32-bit stack store and load, whose load also zero-extends
/// it) hides that both digits come from the same value, so the pattern no longer matches. A factor shared
/// by several products is the one to hide, once.
#[derive(Clone, Copy)]
pub(crate) struct Digits {
    value: u64,
    hi: u64,
    lo: u64,
}

impl Digits {
    /// The digits of a factor whose products need no hiding (the other factor is hidden).
    #[inline(always)]
    pub(crate) const fn plain(value: u64) -> Self {
        Self { value, hi: value >> 32, lo: value & LOW32 }
    }

    /// The digits of a factor, the low one through [`black_box`].
    #[inline(always)]
    pub(crate) const fn hidden(value: u64) -> Self {
        Self { value, hi: value >> 32, lo: black_box(value as u32) as u64 }
    }

    /// Full product as `(high, low)` words, from four 32 × 32-bit products (Hacker's Delight `mulhu` for the
    /// high word, one native multiply for the low one). One of the two factors must be [`Digits::hidden`].
    #[inline(always)]
    pub(crate) const fn mul(self, other: Self) -> (u64, u64) {
        // Each product of two 32-bit digits is at most (2^32 − 1)^2 = 2^64 − 2^33 + 1, so adding up to two
        // more 32-bit values to one cannot wrap.
        let t = self.hi.wrapping_mul(other.lo).wrapping_add(self.lo.wrapping_mul(other.lo) >> 32);
        let mid = (t & LOW32).wrapping_add(self.lo.wrapping_mul(other.hi));
        // The whole product is below 2^128, so its high word cannot wrap; its low word is the wrapping product.
        let hi = self.hi.wrapping_mul(other.hi).wrapping_add(t >> 32).wrapping_add(mid >> 32);
        (hi, self.value.wrapping_mul(other.value))
    }
}

/// Full product of two `u64` values as `(high, low)` words.
#[inline(always)]
pub(crate) const fn mul_u64_wide(a: u64, b: u64) -> (u64, u64) {
    Digits::hidden(a).mul(Digits::plain(b))
}

/// Full product of a 128-bit value (limbs) and a `u64`: three limbs, least significant first.
#[inline(always)]
pub(crate) const fn mul_by_u64(a: [u64; 2], b: u64) -> [u64; 3] {
    mul_by_digits(a, Digits::hidden(b))
}

/// Full product of a 128-bit value (limbs) and a hidden `u64` factor: three limbs, least significant first.
#[inline(always)]
const fn mul_by_digits(a: [u64; 2], b: Digits) -> [u64; 3] {
    let (h0, l0) = Digits::plain(a[0]).mul(b);
    if a[1] == 0 {
        return [l0, h0, 0];
    }
    let (h1, l1) = Digits::plain(a[1]).mul(b);
    let (mid, carry) = h0.overflowing_add(l1);
    // a · b < 2^192, so the top limb absorbs the carry without wrapping.
    [l0, mid, h1.wrapping_add(carry as u64)]
}

/// `(n / d, n % d)`, `const`. The divisor is a `NonZeroU64`, so the fallback arm is never taken and the
/// compiler drops it.
#[inline(always)]
const fn div_rem_nz(n: u64, d: NonZeroU64) -> (u64, u64) {
    match (n.checked_div(d.get()), n.checked_rem(d.get())) {
        (Some(q), Some(r)) => (q, r),
        _ => (0, n),
    }
}

/// One step of short division: `(rem · 2^64 + limb) / d` as a 64-bit quotient and the new remainder, on
/// two 32-bit digits. Requires `rem < d < 2^32`, so each digit quotient is below 2^32.
#[inline(always)]
const fn div_limb(rem: u64, limb: u64, d: NonZeroU64) -> (u64, u64) {
    // rem < d < 2^32: (rem << 32) | digit fits in a u64.
    let (q_hi, rem) = div_rem_nz((rem << 32) | (limb >> 32), d);
    let (q_lo, rem) = div_rem_nz((rem << 32) | (limb & LOW32), d);
    ((q_hi << 32) | q_lo, rem)
}

/// `n / d` and `n % d` for a divisor below 2^32 (four `u64` divisions and remainders). `const`, for the
/// constructors that divide by 100 or 10 000.
#[inline]
pub(crate) const fn div_u128_by_u32(n: u128, d: NonZeroU32) -> (u128, u64) {
    let d = nz_u64(d);
    let [lo, hi] = split(n);
    let (q_hi, rem) = div_limb(0, hi, d);
    let (q_lo, rem) = div_limb(rem, lo, d);
    (join([q_lo, q_hi]), rem)
}

/// `NonZeroU64::from`, `const`.
#[inline(always)]
const fn nz_u64(d: NonZeroU32) -> NonZeroU64 {
    match NonZeroU64::new(d.get() as u64) {
        Some(d) => d,
        None => NonZeroU64::MIN,
    }
}

/// An unsigned 256-bit value, little-endian `u64` limbs. An array, so it is passed by pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Wide(pub(crate) [u64; 4]);

impl Wide {
    pub(crate) const fn from_u128(value: u128) -> Self {
        let [l0, l1] = split(value);
        Self([l0, l1, 0, 0])
    }

    /// The upper 128 bits.
    #[inline(always)]
    const fn hi(&self) -> u128 {
        join([self.0[2], self.0[3]])
    }

    /// The lower 128 bits.
    #[inline(always)]
    const fn lo(&self) -> u128 {
        join([self.0[0], self.0[1]])
    }

    #[inline(always)]
    const fn from_halves(hi: u128, lo: u128) -> Self {
        let [l0, l1] = split(lo);
        let [l2, l3] = split(hi);
        Self([l0, l1, l2, l3])
    }

    /// `value << S` for `0 < S < 128`, exact (a `u128` shifted by less than 128 fits in 256 bits).
    pub(crate) const fn shl<const S: u32>(value: u128) -> Self {
        const { assert!(S > 0 && S < 128) };
        // The assertion above makes 128 - S lie in 1..128.
        Self::from_halves(value >> 128u32.wrapping_sub(S), value << S)
    }

    /// Full product of two `u128` values.
    #[inline(always)]
    pub(crate) const fn mul(a: u128, b: u128) -> Self {
        Self::mul_limbs(split(a), split(b))
    }

    /// Full product of two 128-bit values given as limbs: at most four [`mul_u64_wide`], fewer when a
    /// high limb is 0.
    pub(crate) const fn mul_limbs(a: [u64; 2], b: [u64; 2]) -> Self {
        let low = mul_by_digits(a, Digits::hidden(b[0]));
        if b[1] == 0 {
            return Self([low[0], low[1], low[2], 0]);
        }
        let high = mul_by_digits(a, Digits::hidden(b[1]));
        // Add `high` shifted up by one limb.
        let (w1, c1) = low[1].overflowing_add(high[0]);
        let (w2, c2) = low[2].overflowing_add(high[1]);
        let (w2, c3) = w2.overflowing_add(c1 as u64);
        // The product is below 2^256, so the top limb absorbs both carries without wrapping.
        let w3 = high[2].wrapping_add(c2 as u64).wrapping_add(c3 as u64);
        Self([low[0], w1, w2, w3])
    }

    /// `a²`: three limb products instead of four, the cross product counted twice.
    #[inline(never)]
    pub(crate) fn square(a: u128) -> Self {
        let [a0, a1] = split(a);
        let (a0, a1) = (Digits::hidden(a0), Digits::hidden(a1));
        let (h00, l00) = a0.mul(a0);
        let (h01, l01) = a0.mul(a1);
        let (h11, l11) = a1.mul(a1);
        // 2 · a0 · a1 < 2^129: three limbs (d2 is its top bit).
        let (d0, d1, d2) = (l01 << 1, (h01 << 1) | (l01 >> 63), h01 >> 63);
        let (w1, c1) = h00.overflowing_add(d0);
        let (w2, c2) = l11.overflowing_add(d1);
        let (w2, c3) = w2.overflowing_add(u64::from(c1));
        // a² < 2^256, so the top limb absorbs every carry without wrapping.
        let w3 = h11.wrapping_add(d2).wrapping_add(u64::from(c2)).wrapping_add(u64::from(c3));
        Self([l00, w1, w2, w3])
    }

    /// The value if it fits in a `u128`.
    pub(crate) const fn to_u128(self) -> Option<u128> {
        if self.0[2] | self.0[3] == 0 {
            Some(self.lo())
        } else {
            None
        }
    }

    /// `self + 1`, `None` on 256-bit overflow.
    #[cfg(test)]
    pub(crate) const fn checked_add_one(self) -> Option<Self> {
        let (lo, hi) = (self.lo(), self.hi());
        match lo.checked_add(1) {
            Some(lo) => Some(Self::from_halves(hi, lo)),
            None => match hi.checked_add(1) {
                Some(hi) => Some(Self::from_halves(hi, 0)),
                None => None,
            },
        }
    }

    /// `floor(self / 2^S)` if it fits in a `u128`, for `0 < S < 128`.
    pub(crate) const fn shr_to_u128<const S: u32>(self) -> Option<u128> {
        const { assert!(S > 0 && S < 128) };
        let (lo, hi) = (self.lo(), self.hi());
        if hi >> S != 0 {
            return None;
        }
        // The assertion above makes 128 - S lie in 1..128.
        Some((lo >> S) | (hi << 128u32.wrapping_sub(S)))
    }

    /// Whether any of the low `S` bits is set, i.e. whether `self >> S` discarded a remainder.
    pub(crate) const fn low_bits_set<const S: u32>(self) -> bool {
        const { assert!(S > 0 && S < 128) };
        // 2^S - 1 with S < 128 cannot wrap.
        self.lo() & (1u128 << S).wrapping_sub(1) != 0
    }

    /// `self`, plus 1 when `up`, if that fits in a `u128`: a quotient rounded up when `up` says a remainder
    /// was dropped.
    #[inline(always)]
    pub(crate) const fn round_to_u128(self, up: bool) -> Option<u128> {
        let [w0, w1, w2, w3] = self.0;
        if w2 | w3 != 0 {
            return None;
        }
        if !up {
            return Some(join([w0, w1]));
        }
        match w0.checked_add(1) {
            Some(lo) => Some(join([lo, w1])),
            None => match w1.checked_add(1) {
                Some(hi) => Some(join([0, hi])),
                None => None,
            },
        }
    }

    /// `self`, plus 1 when `up`, if that fits in a `u64`.
    #[inline(always)]
    pub(crate) const fn round_to_u64(self, up: bool) -> Option<u64> {
        let [w0, w1, w2, w3] = self.0;
        if w1 | w2 | w3 != 0 {
            None
        } else {
            w0.checked_add(up as u64)
        }
    }

    /// `ceil(x / 2^S)` for a value `x` equal to `self` (`above` false) or strictly between `self` and
    /// `self + 1` (`above` true: a quotient that dropped a remainder), if it fits in a `u128`, for
    /// `0 < S < 128`. Either way that is `floor(self / 2^S)`, plus 1 unless `x` is a multiple of 2^S, and
    /// `self + 1` never needs forming: `ceil((self + 1) / 2^S)` is the same when `above`.
    #[inline(always)]
    pub(crate) const fn shr_ceil<const S: u32>(self, above: bool) -> Option<u128> {
        let up = above || self.low_bits_set::<S>();
        match self.shr_to_u128::<S>() {
            Some(floor) => Self::from_u128(floor).round_to_u128(up),
            None => None,
        }
    }

    /// Quotient by a divisor that fits in 64 bits and whether a remainder was dropped.
    #[inline(always)]
    pub(crate) fn div_rem_u64(self, d: NonZeroU64) -> (Self, bool) {
        let mut q = Self([0; 4]);
        // The divisor is non-zero, so there is always a quotient.
        let rem = div_rem_into(&self.0, u128::from(d.get()), &mut q.0).unwrap_or(false);
        (q, rem)
    }

    /// Quotient by `d` and whether a remainder was dropped; `None` when `d == 0`.
    #[inline(always)]
    pub(crate) fn div_rem(self, d: u128) -> Option<(Self, bool)> {
        let mut q = Self([0; 4]);
        let rem = div_rem_into(&self.0, d, &mut q.0)?;
        Some((q, rem))
    }
}

/// `n / d` into `q` (every limb written, first of all), and whether a remainder was dropped; `None` when
/// `d == 0`. In place, so no 256-bit quotient is copied out.
///
/// A `u64` over a `u64` is one native division; a divisor below 2^32 is short division (two `u64`
/// divisions per non-zero limb); a wider one is long division on 64-bit limbs ([`long_div_one`],
/// [`long_div_two`]).
#[inline(never)]
fn div_rem_into(n: &[u64; 4], d: u128, q: &mut [u64; 4]) -> Option<bool> {
    *q = [0; 4];
    let [n0, n1, n2, n3] = *n;
    let [d0, d1] = split(d);
    if d1 == 0 {
        let d0 = NonZeroU64::new(d0)?;
        if n1 | n2 | n3 == 0 {
            q[0] = n0 / d0;
            return Some(n0 % d0 != 0);
        }
        if d0.get() >> 32 == 0 {
            // Short division, skipping leading zero limbs.
            let mut rem = 0u64;
            for (limb, q) in n.iter().zip(q.iter_mut()).rev() {
                if rem == 0 && *limb == 0 {
                    continue;
                }
                (*q, rem) = div_limb(rem, *limb, d0);
            }
            return Some(rem != 0);
        }
        // The dividend's top non-zero limb (not 0: handled above).
        let top = if n3 != 0 {
            3
        } else if n2 != 0 {
            2
        } else {
            1
        };
        return Some(long_div_one(n, top, d0.get(), q));
    }
    Some(long_div_two(n, d0, d1, q))
}

/// Leading zeros of a non-zero `x` (below 64): its top bit isolated, then a de Bruijn multiply and a
/// 64-entry table. BPF has no count-leading-zeros instruction, and `u64::leading_zeros` expands to a
/// longer population count.
#[inline(always)]
fn leading_zeros(mut x: u64) -> u32 {
    const DE_BRUIJN: u64 = 0x03F7_9D71_B4CB_0A89;
    // The leading zeros of 2^k, indexed by the top six bits of 2^k · DE_BRUIJN (distinct for each k).
    const TABLE: [u8; 64] = {
        let mut t = [0u8; 64];
        let mut k = 0;
        while k < 64 {
            t[((1u64 << k).wrapping_mul(DE_BRUIJN) >> 58) as usize] = 63 - k as u8;
            k += 1;
        }
        t
    };
    for shift in [1, 2, 4, 8, 16, 32] {
        x |= x >> shift;
    }
    // All bits from the top one down are set: the top one alone is x − x / 2.
    let top = x ^ (x >> 1);
    u32::from(TABLE.get((top.wrapping_mul(DE_BRUIJN) >> 58) as usize).copied().unwrap_or(0))
}

/// `n / d` into `q` for a one-limb divisor `d >= 2^32` and a dividend whose top non-zero limb is `top`, and
/// whether a remainder was dropped: the divisor and the dividend shifted so that the divisor's top bit is
/// set (the quotient unchanged, the remainder shifted), then one [`div_limb_normalized`] per quotient limb
/// from `top` down (the limbs above it are 0).
///
/// Out of line, with a loop whose trip count is only known at run time: unrolled, it would be four
/// copies of `div_limb_normalized`.
#[inline(never)]
fn long_div_one(n: &[u64; 4], top: usize, d: u64, q: &mut [u64; 4]) -> bool {
    // d >= 2^32, so s < 32 and `(x >> 1) >> (63 - s)` is `x >> (64 - s)` (0 when s == 0).
    let s = leading_zeros(d) & 31;
    let back = 63u32.wrapping_sub(s);
    let v = Divisor::new(d << s);
    // The remainder, below v: at first the bits shifted out of the top limb, below 2^s <= v.
    let mut rem = (limb(n, top) >> 1) >> back;
    let mut j = top.wrapping_add(1);
    while j > 0 {
        j = j.wrapping_sub(1);
        // Limb j of the shifted dividend (below limb 0, `limb` reads 0).
        let u = (limb(n, j) << s) | ((limb(n, j.wrapping_sub(1)) >> 1) >> back);
        if rem == 0 && u < v.v {
            // A zero quotient limb, and the limb is the remainder.
            rem = u;
            continue;
        }
        let (qj, r) = div_limb_normalized(rem, u, &v);
        rem = r;
        if let Some(q) = q.get_mut(j) {
            *q = qj;
        }
    }
    // The remainder is `rem >> s`: non-zero exactly when `rem` is.
    rem != 0
}

/// `n[i]`, or 0 past its end.
#[inline(always)]
fn limb(n: &[u64], i: usize) -> u64 {
    n.get(i).copied().unwrap_or(0)
}

/// `n / (d1 · 2^64 + d0)` into `q` for `d1 != 0`, and whether a remainder was dropped: Knuth's algorithm D on
/// 64-bit limbs, the divisor and the dividend shifted so that the divisor's top bit is set (the quotient
/// unchanged, the remainder shifted).
///
/// Each quotient limb is estimated from the top two limbs of the running remainder by
/// [`div_limb_normalized`], then corrected against the low divisor limb on the three-limb window, which
/// makes it exact (Knuth's test is exact when the divisor has two limbs): the remainder is the window minus
/// a 128-bit product and never needs adding back.
#[inline(always)]
fn long_div_two(n: &[u64; 4], d0: u64, d1: u64, q: &mut [u64; 4]) -> bool {
    let [n0, n1, n2, n3] = *n;
    // d1 != 0, so s < 64; `(x >> 1) >> (63 - s)` is `x >> (64 - s)`, and 0 when s == 0.
    let s = leading_zeros(d1) & 63;
    let back = 63u32.wrapping_sub(s);
    let carry = |x: u64| (x >> 1) >> back;
    let (v1, v0) = ((d1 << s) | carry(d0), d0 << s);
    let v = Divisor::new(v1);
    // The dividend shifted left by s: `lows[j]` ends the window of quotient limb j.
    let lows = [n0 << s, (n1 << s) | carry(n0), (n2 << s) | carry(n1)];
    // The running remainder (r1, r0) stays below the divisor: at first it is the top of the dividend, below
    // 2^s · 2^64 <= (v1, v0).
    let (mut r1, mut r0) = (carry(n3), (n3 << s) | carry(n2));
    let mut j = lows.len();
    while j > 0 {
        j = j.wrapping_sub(1);
        let low = limb(&lows, j);
        // Quotient limb j divides the window (r1, r0, low) by (v1, v0).
        if r1 == 0 && (r0 < v1 || (r0 == v1 && low < v0)) {
            // The window is below the divisor: a zero limb, and the window is the remainder.
            (r1, r0) = (r0, low);
            continue;
        }
        let (mut qhat, mut rhat, mut rhat_overflow) = if r1 >= v1 {
            // The remainder invariant makes r1 == v1 here; the estimate is capped at 2^64 − 1.
            let (r, o) = r0.overflowing_add(v1);
            (u64::MAX, r, o)
        } else {
            let (q, r) = div_limb_normalized(r1, r0, &v);
            (q, r, false)
        };
        // Now (r1, r0) = qhat · v1 + rhat, so the window minus qhat · (v1, v0) is (rhat, low) − qhat · v0.
        let (mut p1, mut p0) = mul_u64_wide(qhat, v0);
        // At most two corrections: while qhat · v0 > rhat · 2^64 + low, qhat is too large. Once rhat reaches
        // 2^64 the window part exceeds any product, so qhat is exact.
        while !rhat_overflow && (p1 > rhat || (p1 == rhat && p0 > low)) {
            qhat = qhat.wrapping_sub(1);
            // p > 0 is a multiple of v0, so subtracting v0 from it cannot go below 0.
            p1 = p1.wrapping_sub(u64::from(p0 < v0));
            p0 = p0.wrapping_sub(v0);
            (rhat, rhat_overflow) = rhat.overflowing_add(v1);
        }
        // The remainder is below the divisor, so computing it modulo 2^128 is exact (rhat may have overflowed
        // into a 65th bit).
        let (lo, borrow) = low.overflowing_sub(p0);
        (r1, r0) = (rhat.wrapping_sub(p1).wrapping_sub(u64::from(borrow)), lo);
        if let Some(q) = q.get_mut(j) {
            *q = qhat;
        }
    }
    // The remainder is (r1, r0) shifted back by s: non-zero exactly when either limb is.
    r1 | r0 != 0
}

/// A normalized divisor limb (top bit set) and its two 32-bit digits.
struct Divisor {
    v: u64,
    hi: NonZeroU64,
    lo: u64,
}

impl Divisor {
    #[inline(always)]
    fn new(v: u64) -> Self {
        // v >= 2^63, so its top digit is at least 2^31.
        Self { v, hi: NonZeroU64::new(v >> 32).unwrap_or(NonZeroU64::MIN), lo: v & LOW32 }
    }
}

/// `(r · 2^64 + u) / v` and its remainder for a normalized `v` and `r < v`: Hacker's Delight `divlu`, two
/// 32-bit quotient digits, each estimated from the top digit of `v` and corrected at most twice.
#[inline(always)]
fn div_limb_normalized(r: u64, u: u64, v: &Divisor) -> (u64, u64) {
    let (un1, un0) = (u >> 32, u & LOW32);
    let mut q1 = r / v.hi;
    let mut rhat = r % v.hi;
    // The product is only formed once q1 <= LOW32 (no wrap), and the shifted rhat only while rhat <= LOW32.
    while q1 > LOW32 || q1.wrapping_mul(v.lo) > ((rhat << 32) | un1) {
        q1 = q1.wrapping_sub(1);
        rhat = rhat.wrapping_add(v.hi.get());
        if rhat > LOW32 {
            break;
        }
    }
    // The true partial remainder is below v < 2^64: computed modulo 2^64 it is exact.
    let un21 = (r << 32).wrapping_add(un1).wrapping_sub(q1.wrapping_mul(v.v));
    let mut q0 = un21 / v.hi;
    let mut rhat = un21 % v.hi;
    while q0 > LOW32 || q0.wrapping_mul(v.lo) > ((rhat << 32) | un0) {
        q0 = q0.wrapping_sub(1);
        rhat = rhat.wrapping_add(v.hi.get());
        if rhat > LOW32 {
            break;
        }
    }
    let rem = (un21 << 32).wrapping_add(un0).wrapping_sub(q0.wrapping_mul(v.v));
    ((q1 << 32) | q0, rem)
}

/// `floor(a · b / d)` with a 256-bit intermediate; `None` when `d == 0` or the quotient exceeds `u128`.
/// Inlined: its three `u128` arguments would take six registers in a call.
#[inline(always)]
pub(crate) fn mul_div_floor(a: u128, b: u128, d: u128) -> Option<u128> {
    Wide::mul(a, b).div_rem(d)?.0.round_to_u128(false)
}

/// `ceil(a · b / d)` with a 256-bit intermediate; `None` when `d == 0` or the quotient exceeds `u128`.
/// Inlined for the same reason as [`mul_div_floor`].
#[inline(always)]
pub(crate) fn mul_div_ceil(a: u128, b: u128, d: u128) -> Option<u128> {
    let (q, rem) = Wide::mul(a, b).div_rem(d)?;
    q.round_to_u128(rem)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "host reference arithmetic")]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;

    #[allow(clippy::all, reason = "code generated by uint's macro")]
    pub(crate) mod big {
        uint::construct_uint! {
            /// Four-limb reference integer (host tests only).
            pub(crate) struct U256(4);
        }
    }
    use big::U256;

    fn to_big(w: Wide) -> U256 {
        U256(w.0)
    }

    fn reference_mul(a: u128, b: u128) -> U256 {
        U256::from(a).overflowing_mul(U256::from(b)).0
    }

    /// A value of random bit length, so small, medium and full-width values all appear.
    pub(crate) fn any_width_u128() -> impl Strategy<Value = u128> {
        (any::<u128>(), 0u32..=128).prop_map(|(x, bits)| if bits == 0 { 0 } else { x >> (128 - bits) })
    }

    pub(crate) fn any_width_u64() -> impl Strategy<Value = u64> {
        (any::<u64>(), 0u32..=64).prop_map(|(x, bits)| if bits == 0 { 0 } else { x >> (64 - bits) })
    }

    fn wide() -> impl Strategy<Value = Wide> {
        (any_width_u128(), any_width_u128(), 0u32..4).prop_map(|(hi, lo, shape)| match shape {
            0 => Wide::from_u128(lo),
            _ => Wide::from_halves(hi, lo),
        })
    }

    const EDGES: [u128; 12] = [
        0,
        1,
        2,
        12345,
        u32::MAX as u128,
        1 << 32,
        u64::MAX as u128,
        (u64::MAX as u128) + 1,
        (1 << 96) + 7,
        1 << 127,
        u128::MAX - 1,
        u128::MAX,
    ];

    #[test]
    fn mul_matches_reference_on_edges() {
        for &a in &EDGES {
            for &b in &EDGES {
                assert_eq!(to_big(Wide::mul(a, b)), reference_mul(a, b), "{a} * {b}");
            }
        }
    }

    #[test]
    fn div_rem_matches_reference_on_edges() {
        let nums = [
            Wide::from_u128(5),
            Wide::from_halves(1, 0),
            Wide::from_halves(u128::MAX, u128::MAX),
            Wide::mul(u128::MAX, 1 << 100),
        ];
        for &n in &nums {
            for &d in &EDGES {
                let got = n.div_rem(d);
                if d == 0 {
                    assert_eq!(got, None);
                    continue;
                }
                let (q, rem) = got.unwrap();
                let (eq, er) = to_big(n).div_mod(U256::from(d));
                assert_eq!(to_big(q), eq, "{n:?} / {d}");
                assert_eq!(rem, !er.is_zero(), "{n:?} % {d}");
            }
        }
    }

    #[test]
    fn shifts() {
        let w = Wide::shl::<60>(u128::MAX);
        assert_eq!(w.shr_to_u128::<60>(), Some(u128::MAX));
        assert!(!w.low_bits_set::<60>());
        assert_eq!(Wide::mul(u128::MAX, u128::MAX).shr_to_u128::<60>(), None);
        assert_eq!(Wide::from_halves(u128::MAX, u128::MAX).checked_add_one(), None);
        assert_eq!(Wide::from_u128(u128::MAX).checked_add_one(), Some(Wide::from_halves(1, 0)));
    }

    fn config() -> ProptestConfig {
        // PROPTEST_CASES, when set, replaces the default number of cases (for longer runs).
        let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2048);
        // A zero divisor (about one case in 65) is rejected: allow that many rejections on long runs too.
        let max_global_rejects = cases.max(1024);
        ProptestConfig { cases, max_global_rejects, failure_persistence: None, ..ProptestConfig::default() }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn mul_u64_wide_matches_u128(a in any_width_u64(), b in any_width_u64()) {
            let (hi, lo) = mul_u64_wide(a, b);
            prop_assert_eq!(join([lo, hi]), u128::from(a) * u128::from(b));
        }

        #[test]
        fn mul_by_u64_matches_reference(a in any_width_u128(), b in any_width_u64()) {
            let [l0, l1, l2] = mul_by_u64(split(a), b);
            prop_assert_eq!(U256([l0, l1, l2, 0]), reference_mul(a, u128::from(b)));
            if let Some(p) = a.checked_mul(u128::from(b)) {
                prop_assert_eq!((l2, join([l0, l1])), (0, p));
            }
        }

        #[test]
        fn mul_matches_reference(a in any_width_u128(), b in any_width_u128()) {
            let w = Wide::mul(a, b);
            prop_assert_eq!(to_big(w), reference_mul(a, b));
            prop_assert_eq!(w.to_u128(), a.checked_mul(b));
        }

        #[test]
        fn div_u128_by_u32_matches_u128(n in any_width_u128(), d in 1u32..) {
            let (q, rem) = div_u128_by_u32(n, NonZeroU32::new(d).unwrap());
            prop_assert_eq!(q, n / u128::from(d));
            prop_assert_eq!(u128::from(rem), n % u128::from(d));
        }

        #[test]
        fn div_rem_of_u128_matches_u128(n in any_width_u128(), d in any_width_u128()) {
            let got = Wide::from_u128(n).div_rem(d);
            if d == 0 {
                prop_assert_eq!(got, None);
            } else {
                let (q, rem) = got.unwrap();
                prop_assert_eq!(q.to_u128(), n.checked_div(d));
                prop_assert_eq!(rem, n.checked_rem(d) != Some(0));
            }
        }

        #[test]
        fn div_rem_matches_reference(n in wide(), d in any_width_u128()) {
            prop_assume!(d != 0);
            let (q, rem) = n.div_rem(d).unwrap();
            let (eq, er) = to_big(n).div_mod(U256::from(d));
            prop_assert_eq!(to_big(q), eq);
            prop_assert_eq!(rem, !er.is_zero());
        }

        #[test]
        fn div_rem_u64_matches_reference(n in wide(), d in any_width_u64()) {
            prop_assume!(d != 0);
            let (q, rem) = n.div_rem_u64(NonZeroU64::new(d).unwrap());
            let (eq, er) = to_big(n).div_mod(U256::from(d));
            prop_assert_eq!(to_big(q), eq);
            prop_assert_eq!(rem, !er.is_zero());
        }

        #[test]
        fn product_over_a_factor_is_exact(a in any_width_u128(), b in any_width_u128()) {
            prop_assume!(b != 0);
            // (a · b) / b = a with no remainder: exercises every quotient-digit correction path.
            prop_assert_eq!(mul_div_floor(a, b, b), Some(a));
            prop_assert_eq!(mul_div_ceil(a, b, b), Some(a));
            let (q, rem) = Wide::mul(a, b).checked_add_one().unwrap().div_rem(b).unwrap();
            prop_assert_eq!(q.to_u128(), if b == 1 { a.checked_add(1) } else { Some(a) });
            prop_assert_eq!(rem, b != 1);
        }

        #[test]
        fn mul_div_matches_reference(a in any_width_u128(), b in any_width_u128(), d in any_width_u128()) {
            let floor = mul_div_floor(a, b, d);
            let ceil = mul_div_ceil(a, b, d);
            if d == 0 {
                prop_assert_eq!((floor, ceil), (None, None));
            } else {
                let (q, r) = reference_mul(a, b).div_mod(U256::from(d));
                let fits = |x: U256| if x.bits() <= 128 { Some(x.low_u128()) } else { None };
                prop_assert_eq!(floor, fits(q));
                let qc = if r.is_zero() { q } else { q + U256::one() };
                prop_assert_eq!(ceil, fits(qc));
            }
        }
    }
}
