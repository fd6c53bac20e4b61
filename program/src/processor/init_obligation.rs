//! InitObligation: creates a borrower's empty obligation at the PDA `[OBLIGATION, market, owner, [seed]]`.
//!
//! The bump is searched once here and stored; later instructions trust the account through its owner and
//! discriminator, and its `market` and `owner` fields. An account that someone pre-funded with lamports is
//! still created (topped up, allocated and assigned), so nobody can block an obligation address by sending it
//! lamports.
//!
//! Accounts:
//! 0. `[w]` obligation: the PDA, not created yet (system-owned, no data).
//! 1. `[]` market.
//! 2. `[s]` owner: the borrower.
//! 3. `[w, s]` payer: pays the rent.
//! 4. `[]` system program.
//!
//! Data: [`InitObligationArgs`] (`seed: u8`).

use {
    crate::{
        state::load,
        system::{create_pda, NewAccount},
        validation::{is_owned_by, require_signer, require_writable},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, InitObligationArgs},
        pda::OBLIGATION,
        state::{AccountHeader, AccountKind, Market, Obligation},
    },
    bytemuck::Zeroable,
    pinocchio::{
        cpi::{Seed, Signer},
        error::ProgramError,
        sysvars::{rent::Rent, Sysvar},
        AccountView, Address, ProgramResult,
    },
};

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [obligation, market, owner, payer, system_program, ..] = accounts else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: any seed.
    let seed = parse_args::<InitObligationArgs>(data)?.seed;

    // 2. Signers: the owner, and the payer, which must also be writable.
    require_signer(owner)?;
    require_signer(payer)?;
    require_writable(payer)?;

    // 3. Market: a program-owned market (its fields are not needed).
    drop(load::<Market>(market, program_id)?);

    // 4. System program.
    if system_program.address() != &pinocchio_system::ID {
        return Err(BallastError::InvalidProgramId.into());
    }

    // 5. Obligation: writable, not created yet, and the PDA of (market, owner, seed).
    require_writable(obligation)?;
    if !is_owned_by(obligation, &pinocchio_system::ID) || !obligation.is_data_empty() {
        return Err(BallastError::AccountAlreadyInitialized.into());
    }
    let seed_bytes = [seed];
    let (expected, bump) = Address::try_find_program_address(
        &[OBLIGATION, market.address().as_ref(), owner.address().as_ref(), &seed_bytes],
        program_id,
    )
    .ok_or(ProgramError::from(BallastError::InvalidPda))?;
    if obligation.address() != &expected {
        return Err(BallastError::InvalidPda.into());
    }

    // Create the account, signed by the obligation's own seeds.
    let bump_bytes = [bump];
    let signer_seeds = [
        Seed::from(OBLIGATION),
        Seed::from(market.address().as_ref()),
        Seed::from(owner.address().as_ref()),
        Seed::from(&seed_bytes),
        Seed::from(&bump_bytes),
    ];
    let new = NewAccount {
        space: Obligation::SIZE as u64,
        lamports: Rent::get()?.try_minimum_balance(Obligation::SIZE)?,
        owner: program_id,
    };
    create_pda(payer, obligation, &new, &Signer::from(&signer_seeds))?;

    let mut obligation_data = obligation.try_borrow_mut()?;
    let state: &mut Obligation = bytemuck::try_from_bytes_mut(&mut obligation_data)
        .map_err(|_| ProgramError::from(BallastError::InvalidAccountSize))?;
    *state = Obligation::zeroed();
    state.header = AccountHeader::new(AccountKind::Obligation);
    state.market = *market.address();
    state.owner = *owner.address();
    state.seed = seed;
    state.bump = bump;
    Ok(())
}
