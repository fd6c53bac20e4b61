//! One module per instruction.

pub mod init_market;
