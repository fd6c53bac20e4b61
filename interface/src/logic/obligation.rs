//! See `logic`.
