//! The pure risk core: state transitions on `&mut Reserve` and `&mut Obligation` with plain values, free of
//! account loading, so that the program, the keeper and the tests run the same code.

pub mod deleverage;
pub mod flash;
pub mod interest;
pub mod liquidation;
pub mod obligation;
pub mod reserve;
