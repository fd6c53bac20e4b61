//! `ballast-keeper`: the keeper's decision loop (find pre-liquidatable, liquidatable, deleverageable and
//! bad-debt obligations and send the transactions that act on them), the clusters it runs against
//! (LiteSVM with the built program, or a JSON-RPC node), and the stress simulator built on both.

pub mod cluster;
pub mod keeper;
pub mod plot;
pub mod rpc;
pub mod sim;
pub mod svm;
pub mod world;
