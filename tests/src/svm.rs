//! The LiteSVM cluster of multi-transaction scenarios lives in the keeper library, which the simulator
//! shares; the tests use it from there.

pub use ballast_keeper::svm::*;
