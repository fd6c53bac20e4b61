//! InitReserve: success with the exact reserve, vaults and cToken mint, and each rejection with its own error
//! and every account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pda,
        pod::{Le16, Le64},
        state::{AccountKind, Market, Reserve, ReserveConfig, CURRENT_VERSION},
    },
    ballast_math::Fraction,
    ballast_tests::{
        assert_rejected,
        fixtures::{
            market_state, mint_account, program_account, rent_exempt, reserve_config, TOKEN_PROGRAM_ID,
        },
        mollusk, read_state, wallet, zeroed_account,
    },
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

const PAYER_LAMPORTS: u64 = 10_000_000_000;
const TOKEN_2022_ID: Address = Address::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");

// Account indices, in the instruction's order.
const RESERVE: usize = 0;
const MARKET: usize = 1;
const OWNER: usize = 2;
const PAYER: usize = 3;
const MINT: usize = 4;
const LIQUIDITY_VAULT: usize = 5;
const FEE_VAULT: usize = 6;
const INSURANCE_VAULT: usize = 7;
const COLLATERAL_MINT: usize = 8;
const AUTHORITY: usize = 9;
const TOKEN_PROGRAM: usize = 10;
const SYSTEM_PROGRAM: usize = 11;

struct Case {
    reserve: Address,
    market: Address,
    market_state: Market,
    config: ReserveConfig,
    instruction: Instruction,
    accounts: Vec<(Address, Account)>,
}

fn empty() -> Account {
    wallet(0)
}

fn case() -> Case {
    let reserve = Address::new_unique();
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let payer = Address::new_unique();
    let liquidity_mint = Address::new_unique();
    let market_state = market_state(&market, &owner);
    let config = reserve_config(Address::new_unique().to_bytes());
    let instruction = client::init_reserve(&reserve, &market, &owner, &payer, &liquidity_mint, &config);
    let mut accounts: Vec<(Address, Account)> =
        instruction.accounts.iter().map(|m| (m.pubkey, empty())).collect();
    accounts[RESERVE].1 = zeroed_account(&ballast_interface::ID, Reserve::SIZE);
    accounts[MARKET].1 = program_account(&market_state);
    accounts[OWNER].1 = wallet(1_000_000_000);
    accounts[PAYER].1 = wallet(PAYER_LAMPORTS);
    accounts[MINT].1 = mint_account(Some(&Address::new_unique()), 1_000_000, 6);
    accounts[TOKEN_PROGRAM] = mollusk_svm_programs_token::token::keyed_account();
    accounts[SYSTEM_PROGRAM] = mollusk_svm::program::keyed_account_for_system_program();
    Case { reserve, market, market_state, config, instruction, accounts }
}

impl Case {
    fn run(&self) -> Vec<(Address, Account)> {
        let result = mollusk().process_instruction(&self.instruction, &self.accounts);
        assert_eq!(result.program_result, ProgramResult::Success);
        println!("InitReserve CU: {}", result.compute_units_consumed);
        result.resulting_accounts
    }

    fn reject(&self, expected: BallastError) {
        let result = mollusk().process_instruction(&self.instruction, &self.accounts);
        assert_rejected(&result, &self.accounts, expected);
    }

    /// Replaces the account at `index` by a fresh address holding `account`.
    fn substitute(&mut self, index: usize, address: Address, account: Account) {
        self.instruction.accounts[index].pubkey = address;
        self.accounts[index] = (address, account);
    }

    fn with_config(mut self, config: ReserveConfig) -> Self {
        let ix = client::init_reserve(
            &self.reserve,
            &self.market,
            &self.accounts[OWNER].0,
            &self.accounts[PAYER].0,
            &self.accounts[MINT].0,
            &config,
        );
        self.instruction.data = ix.data;
        self.config = config;
        self
    }
}

fn token_account_fields(account: &Account) -> (Address, Address, u64, u8) {
    let data = &account.data;
    (
        Address::try_from(&data[0..32]).unwrap(),
        Address::try_from(&data[32..64]).unwrap(),
        u64::from_le_bytes(data[64..72].try_into().unwrap()),
        data[108],
    )
}

#[test]
fn creates_the_reserve_its_vaults_and_its_ctoken_mint() {
    let case = case();
    let after = case.run();

    let reserve: Reserve = read_state(&after[RESERVE].1);
    assert_eq!(reserve.header.discriminator, AccountKind::Reserve as u8);
    assert_eq!(reserve.header.version, CURRENT_VERSION);
    assert_eq!(reserve.market, case.market);
    assert_eq!(reserve.liquidity_mint, case.accounts[MINT].0);
    assert_eq!(reserve.token_program, TOKEN_PROGRAM_ID);
    assert_eq!(reserve.liquidity_vault, pda::find_liquidity_vault(&case.reserve).0);
    assert_eq!(reserve.fee_vault, pda::find_fee_vault(&case.reserve).0);
    assert_eq!(reserve.insurance_vault, pda::find_insurance_vault(&case.reserve).0);
    assert_eq!(reserve.collateral_mint, pda::find_collateral_mint(&case.reserve).0);
    assert_eq!(reserve.liquidity_decimals, 6);
    assert_eq!(reserve.price_status, 0);
    assert_eq!(reserve.last_update_slot.get(), 0);
    assert_eq!(reserve.available_amount.get(), 0);
    assert_eq!(reserve.collateral_supply.get(), 0);
    assert_eq!(reserve.borrowed_amount_sf.get(), 0);
    assert_eq!(reserve.cumulative_borrow_index_sf.get(), Fraction::ONE.raw());
    assert_eq!(reserve.protocol_fees_sf.get(), 0);
    assert_eq!(reserve.price_sf.get(), 0);
    assert_eq!(reserve.price_timestamp.get(), 0);
    assert_eq!(reserve.config, case.config);
    assert!(reserve.deleverage.iter().all(|d| *d == ballast_interface::state::DeleverageState::default()));
    assert!(reserve.reserved.iter().all(|b| *b == 0));

    let authority = case.market_state.authority;
    for index in [LIQUIDITY_VAULT, FEE_VAULT, INSURANCE_VAULT] {
        let vault = &after[index].1;
        assert_eq!(vault.owner, TOKEN_PROGRAM_ID);
        assert_eq!(vault.data.len(), 165);
        assert_eq!(vault.lamports, rent_exempt(165));
        assert_eq!(token_account_fields(vault), (case.accounts[MINT].0, authority, 0, 1));
    }

    let mint = &after[COLLATERAL_MINT].1;
    assert_eq!(mint.owner, TOKEN_PROGRAM_ID);
    assert_eq!(mint.data.len(), 82);
    assert_eq!(mint.lamports, rent_exempt(82));
    assert_eq!(&mint.data[0..4], &1u32.to_le_bytes(), "mint authority set");
    assert_eq!(&mint.data[4..36], authority.as_ref());
    assert_eq!(u64::from_le_bytes(mint.data[36..44].try_into().unwrap()), 0);
    assert_eq!(mint.data[44], 6, "decimals of the liquidity mint");
    assert_eq!(mint.data[45], 1, "initialized");
    assert_eq!(&mint.data[46..50], &0u32.to_le_bytes(), "no freeze authority");

    assert_eq!(after[PAYER].1.lamports, PAYER_LAMPORTS - 3 * rent_exempt(165) - rent_exempt(82));
    assert_eq!(after[MARKET].1, case.accounts[MARKET].1);
    assert_eq!(after[MINT].1, case.accounts[MINT].1);
}

#[test]
fn creates_vaults_at_prefunded_addresses() {
    let mut case = case();
    case.accounts[LIQUIDITY_VAULT].1 = wallet(1_000);
    case.accounts[COLLATERAL_MINT].1 = wallet(rent_exempt(82) + 5);
    let after = case.run();
    assert_eq!(after[LIQUIDITY_VAULT].1.lamports, rent_exempt(165));
    assert_eq!(after[LIQUIDITY_VAULT].1.owner, TOKEN_PROGRAM_ID);
    assert_eq!(after[COLLATERAL_MINT].1.lamports, rent_exempt(82) + 5);
    assert_eq!(after[COLLATERAL_MINT].1.data[45], 1);
    assert_eq!(after[PAYER].1.lamports, PAYER_LAMPORTS - (rent_exempt(165) - 1_000) - 2 * rent_exempt(165));
}

#[test]
fn takes_the_decimals_of_the_liquidity_mint() {
    let mut case = case();
    case.accounts[MINT].1 = mint_account(None, 0, 9);
    let after = case.run();
    let reserve: Reserve = read_state(&after[RESERVE].1);
    assert_eq!(reserve.liquidity_decimals, 9);
    assert_eq!(after[COLLATERAL_MINT].1.data[44], 9);
}

#[test]
fn accepts_a_non_collateral_asset() {
    let mut config = case().config;
    config.loan_to_value_bps = Le16::new(0);
    config.liquidation_threshold_bps = Le16::new(0);
    let case = case().with_config(config);
    let reserve: Reserve = read_state(&case.run()[RESERVE].1);
    assert_eq!(reserve.config.loan_to_value_bps.get(), 0);
}

#[test]
fn rejects_missing_signatures() {
    let mut case = case();
    case.instruction.accounts[OWNER].is_signer = false;
    case.reject(BallastError::MissingSigner);

    let mut case = self::case();
    case.instruction.accounts[PAYER].is_signer = false;
    case.reject(BallastError::MissingSigner);
}

#[test]
fn rejects_a_signer_who_is_not_the_market_owner() {
    let mut case = case();
    case.substitute(OWNER, Address::new_unique(), wallet(1_000_000_000));
    case.reject(BallastError::InvalidAuthority);
}

#[test]
fn rejects_read_only_accounts() {
    for index in [RESERVE, PAYER, LIQUIDITY_VAULT, FEE_VAULT, INSURANCE_VAULT, COLLATERAL_MINT] {
        let mut case = case();
        case.instruction.accounts[index].is_writable = false;
        case.reject(BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_a_reserve_account_not_owned_by_the_program() {
    let mut case = case();
    case.accounts[RESERVE].1.owner = Address::new_unique();
    case.reject(BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_a_reserve_account_of_the_wrong_size() {
    for len in [0, Reserve::SIZE - 1, Reserve::SIZE + 1] {
        let mut case = case();
        case.accounts[RESERVE].1 = zeroed_account(&ballast_interface::ID, len);
        case.reject(BallastError::InvalidAccountSize);
    }
}

#[test]
fn rejects_an_already_initialized_reserve() {
    let case = case();
    let accounts = case.run();
    let result = mollusk().process_instruction(&case.instruction, &accounts);
    assert_rejected(&result, &accounts, BallastError::AccountAlreadyInitialized);
}

#[test]
fn rejects_a_market_not_owned_by_the_program_or_of_another_type() {
    let mut case = case();
    case.accounts[MARKET].1.owner = Address::new_unique();
    case.reject(BallastError::InvalidAccountOwner);

    let mut case = self::case();
    case.accounts[MARKET].1.data[0] = AccountKind::Reserve as u8;
    case.reject(BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_an_invalid_liquidity_mint() {
    let edits: Vec<fn(&mut Account)> =
        vec![|a| a.owner = TOKEN_2022_ID, |a| a.data.push(0), |a| a.data[45] = 0, |a| a.data[44] = 39];
    for edit in edits {
        let mut case = case();
        edit(&mut case.accounts[MINT].1);
        case.reject(BallastError::InvalidLiquidityMint);
    }
}

#[test]
fn rejects_vault_and_mint_addresses_that_are_not_the_reserves_pdas() {
    for index in [LIQUIDITY_VAULT, FEE_VAULT, INSURANCE_VAULT, COLLATERAL_MINT] {
        let mut case = case();
        case.substitute(index, Address::new_unique(), empty());
        case.reject(BallastError::InvalidPda);
    }
    // The right seeds of another reserve.
    let mut case = case();
    case.substitute(LIQUIDITY_VAULT, pda::find_liquidity_vault(&Address::new_unique()).0, empty());
    case.reject(BallastError::InvalidPda);
    // Two roles swapped.
    let mut case = self::case();
    let fee_vault = case.accounts[FEE_VAULT].0;
    let insurance_vault = case.accounts[INSURANCE_VAULT].0;
    case.instruction.accounts[FEE_VAULT].pubkey = insurance_vault;
    case.instruction.accounts[INSURANCE_VAULT].pubkey = fee_vault;
    case.accounts.swap(FEE_VAULT, INSURANCE_VAULT);
    case.reject(BallastError::InvalidPda);
}

#[test]
fn rejects_a_vault_address_that_already_holds_an_account() {
    let mut case = case();
    case.accounts[FEE_VAULT].1 =
        ballast_tests::fixtures::token_account(&case.accounts[MINT].0, &Address::new_unique(), 0);
    case.reject(BallastError::AccountAlreadyInitialized);
}

#[test]
fn rejects_a_wrong_market_authority() {
    let mut case = case();
    case.substitute(AUTHORITY, Address::new_unique(), empty());
    case.reject(BallastError::InvalidPda);
}

#[test]
fn rejects_token_2022_and_a_wrong_system_program() {
    let mut case = case();
    case.substitute(TOKEN_PROGRAM, TOKEN_2022_ID, empty());
    case.reject(BallastError::InvalidTokenProgram);

    let mut case = self::case();
    case.substitute(SYSTEM_PROGRAM, Address::new_unique(), empty());
    case.reject(BallastError::InvalidProgramId);
}

#[test]
fn rejects_invalid_configs() {
    type Edit = fn(&mut ReserveConfig);
    let cases: Vec<(Edit, BallastError)> = vec![
        (|c| c.loan_to_value_bps = Le16::new(10_000), BallastError::InvalidLoanToValue),
        (|c| c.max_liquidation_bonus_bps = Le16::new(2_501), BallastError::InvalidLiquidationThreshold),
        (|c| c.borrow_factor_bps = Le16::new(50_001), BallastError::InvalidBorrowFactor),
        (|c| c.min_liquidation_bonus_bps = Le16::new(1_001), BallastError::InvalidLiquidationBonus),
        (|c| c.protocol_take_rate_bps = Le16::new(10_001), BallastError::InvalidProtocolFee),
        (|c| c.borrow_rate_curve[2].utilization_bps.set(9_999), BallastError::InvalidBorrowRateCurve),
        (|c| c.pyth_feed_id = [0; 32], BallastError::InvalidOracleConfig),
        (|c| c.utilization_cap_bps = Le16::new(10_001), BallastError::InvalidUtilizationCap),
        (|c| c.flash_loan_fee_bps = Le16::new(20_000), BallastError::InvalidFlashLoanFee),
        (|c| c.borrowing_disabled.0 = 7, BallastError::InvalidFlagValue),
        (|c| c.max_price_age_secs = Le64::new(0), BallastError::InvalidOracleConfig),
    ];
    for (edit, expected) in cases {
        let mut config = case().config;
        edit(&mut config);
        case().with_config(config).reject(expected);
    }
}

#[test]
fn rejects_wrong_data_length_and_too_few_accounts() {
    let mut case = case();
    case.instruction.data.pop();
    case.reject(BallastError::InvalidInstructionDataLength);

    let mut case = self::case();
    case.instruction.accounts.truncate(SYSTEM_PROGRAM);
    case.accounts.truncate(SYSTEM_PROGRAM);
    case.reject(BallastError::NotEnoughAccounts);
}
