//! A whole market on LiteSVM, built by real transactions (`MarketWorld`), shared with the simulator in the
//! keeper library.

pub use ballast_keeper::world::*;
