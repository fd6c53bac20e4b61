//! Shared set-up for the integration tests. Every test runs the built SBF binary
//! (`target/deploy/ballast_program.so`, made by `scripts/build-sbf.sh`), never a host build of the program.

use {
    ballast_interface::error::BallastError,
    mollusk_svm::{program::loader_keys::LOADER_V3, result::InstructionResult, Mollusk},
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_program_error::ProgramError,
    std::path::PathBuf,
};

pub mod cu;
pub mod deleverage;
pub mod fixtures;
pub mod flash;
pub mod flash_market;
pub mod health;
pub mod ladder_fixtures;
pub mod lending;
pub mod scenario;
pub mod svm;
pub mod swap;

pub use mollusk_svm_result;

/// Path of the program binary the tests load.
pub fn program_so_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/ballast_program.so")
}

/// The program's ELF; panics with the command to run when it has not been built.
pub fn program_elf() -> Vec<u8> {
    let path = program_so_path();
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; build it first with scripts/build-sbf.sh", path.display()))
}

/// A Mollusk instance with the Ballast program (upgradeable loader, as deployed) and the token program.
pub fn mollusk() -> Mollusk {
    let mut mollusk = Mollusk::default();
    mollusk.add_program_with_loader_and_elf(&ballast_interface::ID, &LOADER_V3, &program_elf());
    mollusk_svm_programs_token::token::add_program(&mut mollusk);
    if std::env::var_os(PROGRAM_LOGS_VAR).is_some() {
        mollusk.logger = Some(solana_svm_log_collector::LogCollector::new_ref());
    }
    mollusk
}

/// Set this environment variable to collect the program's log in every `mollusk()` (printed by
/// [`print_program_logs`]): how a `sol_log_compute_units` probe is read.
pub const PROGRAM_LOGS_VAR: &str = "BALLAST_PROGRAM_LOGS";

/// Prints and clears the log collected since the last call, when [`PROGRAM_LOGS_VAR`] is set.
pub fn print_program_logs(mollusk: &Mollusk, label: &str) {
    if let Some(logger) = &mollusk.logger {
        let messages = logger.borrow().get_recorded_content().to_vec();
        logger.replace(solana_svm_log_collector::LogCollector::default());
        for message in messages {
            println!("[{label}] {message}");
        }
    }
}

/// A rent-exempt account of `len` zero bytes owned by `owner`.
pub fn zeroed_account(owner: &Address, len: usize) -> Account {
    Account {
        lamports: mollusk_svm::Mollusk::default().sysvars.rent.minimum_balance(len),
        data: vec![0; len],
        owner: *owner,
        executable: false,
        rent_epoch: 0,
    }
}

/// A system-owned wallet holding `lamports`.
pub fn wallet(lamports: u64) -> Account {
    Account { lamports, data: vec![], owner: Address::default(), executable: false, rent_epoch: 0 }
}

/// The custom error code the program returns for `error`.
pub fn custom(error: BallastError) -> ProgramResult {
    ProgramResult::Failure(ProgramError::Custom(error.code()))
}

/// Asserts that the instruction failed with `expected` and left every account byte-for-byte unchanged.
pub fn assert_rejected(result: &InstructionResult, accounts: &[(Address, Account)], expected: BallastError) {
    assert_eq!(result.program_result, custom(expected), "expected {expected:?}");
    assert_eq!(result.resulting_accounts.len(), accounts.len());
    for ((key, before), (result_key, after)) in accounts.iter().zip(&result.resulting_accounts) {
        assert_eq!(key, result_key);
        assert_eq!(before, after, "account {key} changed by a failed instruction");
    }
}

/// Reads account data as the program's `T` layout.
pub fn read_state<T: bytemuck::Pod>(account: &Account) -> T {
    bytemuck::pod_read_unaligned(&account.data)
}
