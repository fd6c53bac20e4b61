//! A fixed-price swap program for tests: it stands for an exchange in the leverage flows, with real token
//! transfers, and carries a second instruction that calls Ballast's `FlashBorrow` by CPI so that tests can
//! show the refusal.
//!
//! A pool swaps one way, from the mint of `vault_in` to the mint of `vault_out`, at `numerator / denominator`
//! units out per unit in. Its vaults are owned by the pool authority PDA `[POOL_AUTHORITY, pool]`. Tests write
//! pool accounts directly ([`pool_data`]); there is no initialization instruction.
//!
//! Instructions (first data byte):
//! - [`SWAP`] `amount_in: u64`: moves `amount_in` from the user's source to `vault_in`, signed by the user, and
//!   `floor(amount_in × numerator / denominator)` from `vault_out` to the user's destination, signed by the
//!   pool authority. Accounts: 0. `[]` pool, 1. `[w]` user source, 2. `[w]` user destination, 3. `[w]` vault
//!   in, 4. `[w]` vault out, 5. `[s]` user, 6. `[]` pool authority, 7. `[]` token program.
//! - [`CPI_FLASH_BORROW`] then Ballast instruction data: invokes the program in account 0 with accounts 1..=7
//!   (the `FlashBorrow` accounts) and the rest of the data.
#![no_std]
#![deny(clippy::arithmetic_side_effects)]

use pinocchio::{
    cpi::{Seed, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
    AccountView, Address, ProgramResult,
};

/// The swap program's address.
pub const ID: Address = Address::new_from_array(*b"ballast-test-swap-program-000001");

/// Seed of the pool authority PDA: `[POOL_AUTHORITY, pool]`.
pub const POOL_AUTHORITY: &[u8] = b"pool_authority";

/// Discriminator of the swap.
pub const SWAP: u8 = 0;
/// Discriminator of the CPI into Ballast's `FlashBorrow`.
pub const CPI_FLASH_BORROW: u8 = 1;

/// Pool account length: vault in (32), vault out (32), numerator (u64 LE), denominator (u64 LE), authority
/// bump (1). Numerator and denominator must be below 2^32.
pub const POOL_LEN: usize = 81;

/// The bytes of a pool account.
pub fn pool_data(
    vault_in: &Address,
    vault_out: &Address,
    numerator: u64,
    denominator: u64,
    bump: u8,
) -> [u8; POOL_LEN] {
    let mut data = [0u8; POOL_LEN];
    data[0..32].copy_from_slice(vault_in.as_ref());
    data[32..64].copy_from_slice(vault_out.as_ref());
    data[64..72].copy_from_slice(&numerator.to_le_bytes());
    data[72..80].copy_from_slice(&denominator.to_le_bytes());
    data[80] = bump;
    data
}

/// `floor(amount_in × numerator / denominator)`; `None` for a zero denominator, a numerator or denominator of
/// 2^32 or more, or a result above `u64`.
///
/// Computed in `u64` as `(amount_in / d) × n + (amount_in % d) × n / d`, the first product in 32-bit halves:
/// the SBF target has no 128-bit multiply (nor an overflow-checked 64-bit one, which lowers to it).
pub fn amount_out(amount_in: u64, numerator: u64, denominator: u64) -> Option<u64> {
    if denominator == 0 || numerator >> 32 != 0 || denominator >> 32 != 0 {
        return None;
    }
    let whole = amount_in.checked_div(denominator)?;
    // Both factors of each product are below 2^32: none wraps.
    let high = (whole >> 32).wrapping_mul(numerator);
    let low = (whole & u64::from(u32::MAX)).wrapping_mul(numerator);
    if high >> 32 != 0 {
        return None;
    }
    let whole_out = (high << 32).checked_add(low)?;
    // (amount_in % d) × n < 2^64. Rounded down: the pool pays.
    let rest_out = amount_in.checked_rem(denominator)?.wrapping_mul(numerator).checked_div(denominator)?;
    whole_out.checked_add(rest_out)
}

#[cfg(feature = "bpf-entrypoint")]
mod bpf_entrypoint {
    pinocchio::program_entrypoint!(crate::process_instruction);
    pinocchio::no_allocator!();
    pinocchio::nostd_panic_handler!();
}

pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    match data.split_first() {
        Some((&SWAP, args)) => swap(program_id, accounts, args),
        Some((&CPI_FLASH_BORROW, args)) => cpi_flash_borrow(accounts, args),
        _ => Err(ProgramError::InvalidInstructionData),
    }
}

fn swap(program_id: &Address, accounts: &[AccountView], args: &[u8]) -> ProgramResult {
    let [pool, source, destination, vault_in, vault_out, user, authority, token_program, ..] = accounts
    else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    let amount_in = u64::from_le_bytes(args.try_into().map_err(|_| ProgramError::InvalidInstructionData)?);
    if !pool.owned_by(program_id) || pool.data_len() != POOL_LEN {
        return Err(ProgramError::InvalidAccountOwner);
    }
    if token_program.address() != &pinocchio_token::ID {
        return Err(ProgramError::IncorrectProgramId);
    }
    let (numerator, denominator, bump) = {
        let data = pool.try_borrow()?;
        if vault_in.address().as_ref() != &data[0..32] || vault_out.address().as_ref() != &data[32..64] {
            return Err(ProgramError::InvalidAccountData);
        }
        let word = |at: usize| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&data[at..at.saturating_add(8)]);
            u64::from_le_bytes(bytes)
        };
        (word(64), word(72), data[80])
    };
    let out = amount_out(amount_in, numerator, denominator).ok_or(ProgramError::ArithmeticOverflow)?;

    pinocchio_token::instructions::Transfer::new(source, vault_in, user, amount_in).invoke()?;
    let bump = [bump];
    let seeds = [Seed::from(POOL_AUTHORITY), Seed::from(pool.address().as_ref()), Seed::from(&bump)];
    pinocchio_token::instructions::Transfer::new(vault_out, destination, authority, out)
        .invoke_signed(&[Signer::from(&seeds)])
}

fn cpi_flash_borrow(accounts: &[AccountView], args: &[u8]) -> ProgramResult {
    let [program, a0, a1, a2, a3, a4, a5, a6, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    let views = [a0, a1, a2, a3, a4, a5, a6];
    let metas = views.map(InstructionAccount::from);
    let instruction = InstructionView { program_id: program.address(), data: args, accounts: &metas };
    pinocchio::cpi::invoke(&instruction, &views)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::amount_out;

    #[test]
    fn amount_out_is_the_exact_floor() {
        let cases = [
            (0u64, 1u64, 1u64),
            (1_000_000, 3, 7),
            (u64::MAX, 1, 1),
            (u64::MAX, 2, 3),
            (123_456_789_012_345, 4_000_000_000, 4_294_967_295),
            (987_654_321, 150_000, 1),
        ];
        for (amount, n, d) in cases {
            let exact = u128::from(amount) * u128::from(n) / u128::from(d);
            assert_eq!(amount_out(amount, n, d), u64::try_from(exact).ok(), "{amount} {n} {d}");
        }
        assert_eq!(amount_out(u64::MAX, 2, 1), None);
        assert_eq!(amount_out(1, 1, 0), None);
        assert_eq!(amount_out(1, 1 << 32, 1), None);
    }
}
