//! InitReserve: adds an asset to a market. Creates the reserve's liquidity, fee and insurance vaults (token
//! accounts of the liquidity mint owned by the market authority) and its cToken mint (the liquidity mint's
//! decimals, the market authority as mint authority, no freeze authority), all at PDAs of the reserve, and
//! writes the reserve with the given configuration. The reserve starts stale (`last_update_slot` 0) with no
//! price: it needs a `RefreshReserve` before any operation.
//!
//! Accounts:
//! 0. `[w]` reserve: zeroed, `Reserve::SIZE` bytes, owned by the program.
//! 1. `[]` market.
//! 2. `[s]` market owner.
//! 3. `[w, s]` payer: funds the four new accounts.
//! 4. `[]` liquidity mint: an initialized SPL Token mint.
//! 5. `[w]` liquidity vault: PDA `[LIQUIDITY_VAULT, reserve]`, not created yet.
//! 6. `[w]` fee vault: PDA `[FEE_VAULT, reserve]`, not created yet.
//! 7. `[w]` insurance vault: PDA `[INSURANCE_VAULT, reserve]`, not created yet.
//! 8. `[w]` collateral mint: PDA `[COLLATERAL_MINT, reserve]`, not created yet.
//! 9. `[]` market authority: the market's authority PDA.
//! 10. `[]` token program: SPL Token.
//! 11. `[]` system program.
//!
//! Data: [`ReserveConfigArgs`].

use {
    crate::{
        state::load,
        system::{create_pda, NewAccount},
        token::{require_token_program, SplToken, MINT_LEN, TOKEN_ACCOUNT_LEN},
        validation::{is_owned_by, require_len, require_owner, require_signer, require_writable},
    },
    ballast_interface::{
        error::BallastError,
        instruction::{parse_args, ReserveConfigArgs},
        pda::{COLLATERAL_MINT, FEE_VAULT, INSURANCE_VAULT, LIQUIDITY_VAULT},
        pod::Le128,
        state::{AccountHeader, AccountKind, Market, Reserve},
    },
    ballast_math::{value::MAX_DECIMALS, Fraction},
    pinocchio::{
        cpi::{Seed, Signer},
        error::ProgramError,
        sysvars::{rent::Rent, Sysvar},
        AccountView, Address, ProgramResult,
    },
    pinocchio_token::instructions::{InitializeAccount3, InitializeMint2},
};

/// Offset of `decimals` in an SPL mint.
const MINT_DECIMALS_OFFSET: usize = 44;
/// Offset of `is_initialized` in an SPL mint.
const MINT_INITIALIZED_OFFSET: usize = 45;

/// Checks the liquidity mint and returns its decimals.
fn liquidity_mint_decimals(mint: &AccountView) -> Result<u8, BallastError> {
    if !is_owned_by(mint, &SplToken::ID) || mint.data_len() != MINT_LEN {
        return Err(BallastError::InvalidLiquidityMint);
    }
    let data = mint.try_borrow().map_err(|_| BallastError::InvalidLiquidityMint)?;
    let decimals = data[MINT_DECIMALS_OFFSET];
    // Decimals above MAX_DECIMALS cannot be valued (10^decimals overflows a u128).
    if data[MINT_INITIALIZED_OFFSET] != 1 || decimals > MAX_DECIMALS {
        return Err(BallastError::InvalidLiquidityMint);
    }
    Ok(decimals)
}

/// Checks that `account` is the PDA `[seed, reserve]` and not created yet; returns its bump.
fn find_new_pda(
    account: &AccountView,
    seed: &[u8],
    reserve: &Address,
    program_id: &Address,
) -> Result<u8, BallastError> {
    let (address, bump) = Address::try_find_program_address(&[seed, reserve.as_ref()], program_id)
        .ok_or(BallastError::InvalidPda)?;
    if account.address() != &address {
        return Err(BallastError::InvalidPda);
    }
    require_writable(account)?;
    if !is_owned_by(account, &pinocchio_system::ID) || account.data_len() != 0 {
        return Err(BallastError::AccountAlreadyInitialized);
    }
    Ok(bump)
}

#[inline(never)]
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    // The program only ever runs at its own address, and one fewer argument keeps `process` within the
    // five argument registers of BPF.
    let program_id = &crate::ID;
    let [reserve_account, market_account, owner, payer, liquidity_mint, liquidity_vault, fee_vault, insurance_vault, collateral_mint, market_authority, token_program, system_program, ..] =
        accounts
    else {
        return Err(BallastError::NotEnoughAccounts.into());
    };

    // 1. Arguments: exact length, every bound of the configuration.
    let config = &parse_args::<ReserveConfigArgs>(data)?.config;
    config.validate()?;

    // 2. Signers: the market owner, and the payer (writable: it funds the new accounts).
    require_signer(owner)?;
    require_signer(payer)?;
    require_writable(payer)?;

    // 3. The market: program-owned market account whose owner signed.
    let market = load::<Market>(market_account, program_id)?;
    if owner.address() != &market.owner {
        return Err(BallastError::InvalidAuthority.into());
    }
    let authority = market.authority;
    drop(market);

    // 4. The reserve account: program-owned, writable, the reserve's size, not yet initialized.
    require_owner(reserve_account, program_id)?;
    require_writable(reserve_account)?;
    require_len(reserve_account, Reserve::SIZE)?;
    {
        let data = reserve_account.try_borrow()?;
        if data[0] != AccountKind::Uninitialized as u8 {
            return Err(BallastError::AccountAlreadyInitialized.into());
        }
    }
    let reserve_address = *reserve_account.address();

    // 5. The liquidity mint: an initialized SPL Token mint.
    let decimals = liquidity_mint_decimals(liquidity_mint)?;

    // 6. Programs: SPL Token (never Token-2022) and the system program.
    require_token_program(token_program)?;
    if system_program.address() != &pinocchio_system::ID {
        return Err(BallastError::InvalidProgramId.into());
    }

    // 7. The market authority: the market's stored PDA.
    if market_authority.address() != &authority {
        return Err(BallastError::InvalidPda.into());
    }

    // 8. The new accounts: the reserve's PDAs, not created yet. The bump search runs once, here.
    let liquidity_vault_bump = find_new_pda(liquidity_vault, LIQUIDITY_VAULT, &reserve_address, program_id)?;
    let fee_vault_bump = find_new_pda(fee_vault, FEE_VAULT, &reserve_address, program_id)?;
    let insurance_vault_bump = find_new_pda(insurance_vault, INSURANCE_VAULT, &reserve_address, program_id)?;
    let collateral_mint_bump = find_new_pda(collateral_mint, COLLATERAL_MINT, &reserve_address, program_id)?;
    let rent = Rent::get()?;
    let vault_lamports = rent.try_minimum_balance(TOKEN_ACCOUNT_LEN)?;
    let mint_lamports = rent.try_minimum_balance(MINT_LEN)?;

    // State. Written field by field over zeroed bytes: a whole `Reserve` value built first would be
    // copied into the account word by word.
    {
        let mut data = reserve_account.try_borrow_mut()?;
        data.fill(0);
        let reserve: &mut Reserve = bytemuck::try_from_bytes_mut(&mut data)
            .map_err(|_| ProgramError::from(BallastError::InvalidAccountSize))?;
        reserve.header = AccountHeader::new(AccountKind::Reserve);
        reserve.market = *market_account.address();
        reserve.liquidity_mint = *liquidity_mint.address();
        reserve.token_program = SplToken::ID;
        reserve.liquidity_vault = *liquidity_vault.address();
        reserve.fee_vault = *fee_vault.address();
        reserve.insurance_vault = *insurance_vault.address();
        reserve.collateral_mint = *collateral_mint.address();
        reserve.liquidity_decimals = decimals;
        reserve.cumulative_borrow_index_sf = Le128::new(Fraction::ONE.raw());
        reserve.config = *config;
    }

    // Accounts: create each PDA signed by its own seeds, then initialize it with the token program. One
    // loop for the four, so the creation CPIs are in the program once.
    let new_accounts = [
        (&*liquidity_vault, LIQUIDITY_VAULT, liquidity_vault_bump),
        (&*fee_vault, FEE_VAULT, fee_vault_bump),
        (&*insurance_vault, INSURANCE_VAULT, insurance_vault_bump),
        (&*collateral_mint, COLLATERAL_MINT, collateral_mint_bump),
    ];
    for (account, seed, bump) in new_accounts {
        let is_mint = seed == COLLATERAL_MINT;
        let (space, lamports) =
            if is_mint { (MINT_LEN, mint_lamports) } else { (TOKEN_ACCOUNT_LEN, vault_lamports) };
        let bump = [bump];
        let seeds = [Seed::from(seed), Seed::from(reserve_address.as_ref()), Seed::from(&bump)];
        let new = NewAccount { space: space as u64, lamports, owner: &SplToken::ID };
        create_pda(payer, account, &new, &Signer::from(&seeds))?;
        if is_mint {
            InitializeMint2::new(account, decimals, &authority, None).invoke()?;
        } else {
            InitializeAccount3::new(account, liquidity_mint, &authority).invoke()?;
        }
    }
    Ok(())
}
