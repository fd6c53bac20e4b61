//! What the keeper needs from a cluster, implemented for the embedded LiteSVM ([`crate::svm::Svm`]) and for
//! a JSON-RPC node ([`crate::rpc::RpcCluster`]).

use {
    crate::svm::Svm,
    ballast_interface::state::AccountKind,
    solana_account::{Account, ReadableAccount},
    solana_address::Address,
    solana_instruction::Instruction,
    solana_keypair::Keypair,
};

/// A landed transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Receipt {
    pub compute_units: u64,
    pub logs: Vec<String>,
}

pub trait Cluster {
    /// The slot the next transaction executes in (as far as the cluster can tell).
    fn slot(&self) -> Result<u64, String>;
    fn account(&self, address: &Address) -> Result<Option<Account>, String>;
    /// Every Ballast account of `kind`, sorted by address.
    fn program_accounts(&self, kind: AccountKind) -> Result<Vec<(Address, Account)>, String>;
    /// Sends one transaction paid by `signers[0]` and signed by every signer it needs.
    fn send(
        &mut self,
        label: &str,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Receipt, String>;
}

/// Whether `account` is a Ballast account of `kind` (owner and discriminator).
pub fn is_program_account(account: &Account, kind: AccountKind) -> bool {
    account.owner == ballast_interface::ID && account.data.first() == Some(&(kind as u8))
}

impl Cluster for Svm {
    fn slot(&self) -> Result<u64, String> {
        Ok(Svm::slot(self))
    }

    fn account(&self, address: &Address) -> Result<Option<Account>, String> {
        Ok(Svm::account(self, address))
    }

    fn program_accounts(&self, kind: AccountKind) -> Result<Vec<(Address, Account)>, String> {
        let mut found: Vec<(Address, Account)> = self
            .svm
            .accounts_db()
            .inner
            .iter()
            .filter(|(_, shared)| {
                *shared.owner() == ballast_interface::ID && shared.data().first() == Some(&(kind as u8))
            })
            .map(|(address, shared)| (*address, Account::from(shared.clone())))
            .collect();
        found.sort_by_key(|(address, _)| *address);
        Ok(found)
    }

    fn send(
        &mut self,
        label: &str,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Receipt, String> {
        let (payer, rest) = signers.split_first().ok_or("a transaction needs a fee payer")?;
        match self.send_paid_by(label, instructions, payer, rest) {
            Ok(meta) => Ok(Receipt { compute_units: meta.compute_units_consumed, logs: meta.logs }),
            Err(failed) => Err(format!("{label}: {:?}\n{}", failed.err, failed.meta.logs.join("\n"))),
        }
    }
}
