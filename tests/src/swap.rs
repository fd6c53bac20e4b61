//! The tests' swap program (`tests/swap/`, built into `target/deploy/ballast_test_swap.so`): loading it, its
//! pool accounts and its instructions.

use {
    ballast_test_swap::{pool_data, CPI_FLASH_BORROW, POOL_AUTHORITY, POOL_LEN, SWAP},
    mollusk_svm::{program::loader_keys::LOADER_V3, Mollusk},
    solana_account::Account,
    solana_address::Address,
    solana_instruction::{AccountMeta, Instruction},
    std::path::PathBuf,
};

pub use ballast_test_swap::{amount_out, ID};

pub fn so_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/ballast_test_swap.so")
}

/// Adds the swap program to a Mollusk instance.
pub fn add_to_mollusk(mollusk: &mut Mollusk) {
    let path = so_path();
    let elf = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; build it first with scripts/build-sbf.sh", path.display()));
    mollusk.add_program_with_loader_and_elf(&ID, &LOADER_V3, &elf);
}

/// The pool authority PDA and its bump.
pub fn pool_authority(pool: &Address) -> (Address, u8) {
    Address::find_program_address(&[POOL_AUTHORITY, pool.as_ref()], &ID)
}

/// A pool account paying `numerator / denominator` units of `vault_out`'s mint per unit of `vault_in`'s.
pub fn pool_account(
    pool: &Address,
    vault_in: &Address,
    vault_out: &Address,
    numerator: u64,
    denominator: u64,
) -> Account {
    let data = pool_data(vault_in, vault_out, numerator, denominator, pool_authority(pool).1).to_vec();
    assert_eq!(data.len(), POOL_LEN);
    Account {
        lamports: crate::fixtures::rent_exempt(POOL_LEN),
        data,
        owner: ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// The addresses of one pool.
#[derive(Clone, Copy, Debug)]
pub struct Pool {
    pub pool: Address,
    pub vault_in: Address,
    pub vault_out: Address,
}

impl Pool {
    /// Swap `amount_in` from `source` (signed by `user`) into `destination`.
    pub fn swap(
        &self,
        source: &Address,
        destination: &Address,
        user: &Address,
        amount_in: u64,
    ) -> Instruction {
        let mut data = vec![SWAP];
        data.extend_from_slice(&amount_in.to_le_bytes());
        Instruction {
            program_id: ID,
            accounts: vec![
                AccountMeta::new_readonly(self.pool, false),
                AccountMeta::new(*source, false),
                AccountMeta::new(*destination, false),
                AccountMeta::new(self.vault_in, false),
                AccountMeta::new(self.vault_out, false),
                AccountMeta::new_readonly(*user, true),
                AccountMeta::new_readonly(pool_authority(&self.pool).0, false),
                AccountMeta::new_readonly(crate::fixtures::TOKEN_PROGRAM_ID, false),
            ],
            data,
        }
    }
}

/// The swap program calling `flash_borrow` (a Ballast `FlashBorrow` instruction, or any Ballast instruction
/// of seven accounts) by CPI.
pub fn cpi_flash_borrow(flash_borrow: &Instruction) -> Instruction {
    let mut accounts = vec![AccountMeta::new_readonly(flash_borrow.program_id, false)];
    accounts.extend(flash_borrow.accounts.iter().cloned());
    let mut data = vec![CPI_FLASH_BORROW];
    data.extend_from_slice(&flash_borrow.data);
    Instruction { program_id: ID, accounts, data }
}
