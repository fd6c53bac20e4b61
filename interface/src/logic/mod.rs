//! The pure risk core: state transitions on `&mut Reserve` and `&mut Obligation` with plain values, free of
//! account loading, so that the program, the keeper and the tests run the same code.

pub mod deleverage;
pub mod flash;
pub mod interest;
pub mod liquidation;
pub mod obligation;
pub mod reserve;

/// A fixed xorshift sequence for the unit tests that sweep many inputs reproducibly.
#[cfg(test)]
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
