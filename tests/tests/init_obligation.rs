//! InitObligation: creates the PDA with an empty obligation, and each rejection with its own error and every
//! account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        pda,
        state::{AccountKind, Obligation, CURRENT_VERSION},
    },
    ballast_tests::{
        fixtures::{program_account, rent_exempt},
        lending::{env, Env},
        wallet,
    },
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

const PAYER_LAMPORTS: u64 = 10_000_000_000;

struct Case {
    env: Env,
    owner: Address,
    payer: Address,
    seed: u8,
    obligation: Address,
}

fn case() -> Case {
    let mut env = env();
    let owner = Address::new_unique();
    let payer = Address::new_unique();
    let seed = 3;
    env.world.set(owner, wallet(0));
    env.world.set(payer, wallet(PAYER_LAMPORTS));
    let (obligation, _) = pda::find_obligation(&env.market, &owner, seed);
    env.world.set(obligation, Account::default());
    Case { env, owner, payer, seed, obligation }
}

impl Case {
    fn ix(&self) -> Instruction {
        let (ix, obligation) = client::init_obligation(&self.env.market, &self.owner, &self.payer, self.seed);
        assert_eq!(obligation, self.obligation);
        ix
    }

    fn reject(&self, ix: &Instruction, expected: BallastError) {
        self.env.world.reject(ix, expected);
    }
}

fn assert_empty_obligation(case: &Case, account: &Account) {
    assert_eq!(account.owner, ballast_interface::ID);
    assert_eq!(account.data.len(), Obligation::SIZE);
    assert_eq!(account.lamports, rent_exempt(Obligation::SIZE));
    let obligation: Obligation = bytemuck::pod_read_unaligned(&account.data);
    let (_, bump) = pda::find_obligation(&case.env.market, &case.owner, case.seed);
    let (_, mut expected) =
        ballast_tests::fixtures::obligation_state(&case.env.market, &case.owner, case.seed);
    expected.bump = bump;
    assert_eq!(obligation, expected);
    assert_eq!(obligation.header.discriminator, AccountKind::Obligation as u8);
    assert_eq!(obligation.header.version, CURRENT_VERSION);
    assert_eq!((obligation.deposit_count, obligation.borrow_count), (0, 0));
    assert_eq!(obligation.last_refresh_slot.get(), 0);
}

#[test]
fn creates_an_empty_obligation_at_its_pda() {
    let case = case();
    let (world, result) = case.env.world.apply(&case.ix());
    println!("InitObligation CU: {}", result.compute_units_consumed);
    assert_empty_obligation(&case, world.get(&case.obligation));
    assert_eq!(world.get(&case.payer).lamports, PAYER_LAMPORTS - rent_exempt(Obligation::SIZE));
}

#[test]
fn the_owner_may_pay_for_itself() {
    let mut case = case();
    case.env.world.set(case.owner, wallet(PAYER_LAMPORTS));
    case.payer = case.owner;
    let (world, _) = case.env.world.apply(&case.ix());
    assert_empty_obligation(&case, world.get(&case.obligation));
}

#[test]
fn creates_an_obligation_whose_address_was_prefunded() {
    let case = case();
    let mut world = case.env.world.clone();
    world.set(case.obligation, wallet(1_000));
    let (world, _) = world.apply(&case.ix());
    assert_empty_obligation(&case, world.get(&case.obligation));
    assert_eq!(world.get(&case.payer).lamports, PAYER_LAMPORTS - (rent_exempt(Obligation::SIZE) - 1_000));
}

#[test]
fn rejects_an_existing_obligation() {
    let case = case();
    let (world, _) = case.env.world.apply(&case.ix());
    world.reject(&case.ix(), BallastError::AccountAlreadyInitialized);
}

#[test]
fn rejects_a_system_account_that_holds_data() {
    let case = case();
    let mut world = case.env.world.clone();
    world.set(
        case.obligation,
        Account {
            lamports: 1_000_000,
            data: vec![0; 8],
            owner: Address::default(),
            executable: false,
            rent_epoch: 0,
        },
    );
    world.reject(&case.ix(), BallastError::AccountAlreadyInitialized);
}

#[test]
fn rejects_an_address_that_is_not_the_pda_of_its_seeds() {
    let mut case = case();
    // The PDA of another seed, of another owner, and a plain address.
    let other_seed = pda::find_obligation(&case.env.market, &case.owner, case.seed + 1).0;
    let other_owner = pda::find_obligation(&case.env.market, &case.payer, case.seed).0;
    for fake in [other_seed, other_owner, Address::new_unique()] {
        case.env.world.set(fake, Account::default());
        let mut ix = case.ix();
        ix.accounts[0].pubkey = fake;
        case.reject(&ix, BallastError::InvalidPda);
    }
}

#[test]
fn rejects_missing_signatures() {
    for index in [2, 3] {
        let case = case();
        let mut ix = case.ix();
        ix.accounts[index].is_signer = false;
        case.reject(&ix, BallastError::MissingSigner);
    }
}

#[test]
fn rejects_read_only_accounts_that_are_written() {
    for index in [0, 3] {
        let case = case();
        let mut ix = case.ix();
        ix.accounts[index].is_writable = false;
        case.reject(&ix, BallastError::AccountNotWritable);
    }
}

#[test]
fn rejects_a_market_not_owned_by_the_program() {
    let mut case = case();
    let market = case.env.market;
    case.env.world.get_mut(&market).owner = Address::new_unique();
    case.reject(&case.ix(), BallastError::InvalidAccountOwner);
}

#[test]
fn rejects_a_reserve_passed_as_the_market() {
    let case = case();
    let mut ix = case.ix();
    ix.accounts[1].pubkey = case.env.keys.reserve;
    case.reject(&ix, BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_a_wrong_system_program() {
    let mut case = case();
    let fake = case.env.add_account(program_account(&[0u8; 8]));
    let mut ix = case.ix();
    ix.accounts[4].pubkey = fake;
    case.reject(&ix, BallastError::InvalidProgramId);
}

#[test]
fn rejects_too_few_accounts() {
    let case = case();
    let mut ix = case.ix();
    ix.accounts.truncate(4);
    case.reject(&ix, BallastError::NotEnoughAccounts);
}

#[test]
fn rejects_truncated_or_extra_data() {
    let case = case();
    let mut short = case.ix();
    short.data.pop();
    case.reject(&short, BallastError::InvalidInstructionDataLength);
    let mut long = case.ix();
    long.data.push(0);
    case.reject(&long, BallastError::InvalidInstructionDataLength);
}
