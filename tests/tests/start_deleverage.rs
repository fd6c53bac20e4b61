//! StartDeleverage: both sides start with the exact state, every rejection has its own error and leaves every
//! account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        instruction::{DeleverageSide, StartDeleverageArgs, DEFAULT_MARGIN_CALL_SLOTS},
        state::{Reserve, DELEVERAGE_BORROW, DELEVERAGE_SUPPLY},
    },
    ballast_tests::{
        assert_rejected,
        deleverage::{at, running, World, NEW_CAP, SLOTS_PER_BPS, STEP_SLOT, TOKEN},
        mollusk, read_state,
    },
    mollusk_svm_result::ProgramResult,
    solana_address::Address,
    solana_instruction::Instruction,
};

fn args(side: DeleverageSide, new_cap: u64, margin_call_slots: u64) -> StartDeleverageArgs {
    client::start_deleverage_args(side, new_cap, margin_call_slots, SLOTS_PER_BPS, 50)
}

fn start(world: &World, reserve: &Address, args: &StartDeleverageArgs) -> Instruction {
    client::start_deleverage(reserve, &world.market, &world.council, args)
}

fn run(world: &World, ix: &Instruction) -> mollusk_svm::result::InstructionResult {
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(STEP_SLOT);
    mollusk.process_instruction(ix, &world.accounts_for(ix))
}

fn reject(world: &World, ix: &Instruction, expected: BallastError) {
    let accounts = world.accounts_for(ix);
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(STEP_SLOT);
    let result = mollusk.process_instruction(ix, &accounts);
    assert_rejected(&result, &accounts, expected);
}

#[test]
fn starts_a_supply_side_deleverage_with_the_default_margin_call() {
    let world = World::new();
    let ix = start(&world, &world.c.reserve, &args(DeleverageSide::Supply, NEW_CAP, 0));
    let result = run(&world, &ix);
    assert_eq!(result.program_result, ProgramResult::Success);
    println!("StartDeleverage CU: {}", result.compute_units_consumed);

    let before = world.reserve(at::C_RESERVE);
    let after: Reserve = read_state(&result.resulting_accounts[0].1);
    let state = after.deleverage[DELEVERAGE_SUPPLY];
    assert!(state.active.is_on());
    assert_eq!(state.target_cap.get(), NEW_CAP);
    assert_eq!(state.start_slot.get(), STEP_SLOT);
    assert_eq!(state.margin_call_end_slot.get(), STEP_SLOT + DEFAULT_MARGIN_CALL_SLOTS);
    assert_eq!(state.slots_per_bps.get(), SLOTS_PER_BPS);
    assert_eq!(state.min_penalty_bps.get(), 50);
    // Nothing else in the reserve changed.
    let mut expected = before;
    expected.deleverage[DELEVERAGE_SUPPLY] = state;
    assert_eq!(after, expected);
    assert_eq!(DEFAULT_MARGIN_CALL_SLOTS, 518_400);
}

#[test]
fn starts_a_borrow_side_deleverage_with_its_own_margin_call() {
    let world = World::new();
    // D has 1,000 borrowed: cut to 800 with a 1,000-slot margin call.
    let ix = start(&world, &world.d.reserve, &args(DeleverageSide::Borrow, NEW_CAP, 1_000));
    let result = run(&world, &ix);
    assert_eq!(result.program_result, ProgramResult::Success);
    let after: Reserve = read_state(&result.resulting_accounts[0].1);
    let state = after.deleverage[DELEVERAGE_BORROW];
    assert!(state.active.is_on());
    assert_eq!(state.margin_call_end_slot.get(), STEP_SLOT + 1_000);
    assert!(!after.deleverage[DELEVERAGE_SUPPLY].active.is_on());
}

#[test]
fn rejects_a_signer_that_is_not_the_risk_council() {
    let mut world = World::new();
    let impostor = Address::new_unique();
    world.accounts.push((impostor, ballast_tests::wallet(1_000_000_000)));
    let ix = client::start_deleverage(
        &world.c.reserve,
        &world.market,
        &impostor,
        &args(DeleverageSide::Supply, NEW_CAP, 0),
    );
    reject(&world, &ix, BallastError::InvalidAuthority);
}

#[test]
fn rejects_a_council_that_did_not_sign() {
    let world = World::new();
    let mut ix = start(&world, &world.c.reserve, &args(DeleverageSide::Supply, NEW_CAP, 0));
    ix.accounts[2].is_signer = false;
    reject(&world, &ix, BallastError::MissingSigner);
}

#[test]
fn rejects_an_unknown_side() {
    let world = World::new();
    let mut a = args(DeleverageSide::Supply, NEW_CAP, 0);
    a.side = 2;
    reject(&world, &start(&world, &world.c.reserve, &a), BallastError::InvalidDeleverageSide);
}

#[test]
fn rejects_a_cap_not_below_the_total() {
    let world = World::new();
    // Supply total 1,000; borrow total 200.
    for (side, cap) in [
        (DeleverageSide::Supply, 1_000 * TOKEN),
        (DeleverageSide::Supply, 2_000 * TOKEN),
        (DeleverageSide::Borrow, 200 * TOKEN),
    ] {
        reject(
            &world,
            &start(&world, &world.c.reserve, &args(side, cap, 0)),
            BallastError::DeleverageCapNotBelowTotal,
        );
    }
}

#[test]
fn rejects_a_second_start_on_the_same_side() {
    let mut world = World::new();
    world.edit_reserve(at::C_RESERVE, |r| r.deleverage[DELEVERAGE_SUPPLY] = running(900 * TOKEN));
    reject(
        &world,
        &start(&world, &world.c.reserve, &args(DeleverageSide::Supply, NEW_CAP, 0)),
        BallastError::DeleverageAlreadyActive,
    );
}

#[test]
fn rejects_zero_slots_per_bps_and_a_penalty_above_the_max_bonus() {
    let world = World::new();
    let zero = client::start_deleverage_args(DeleverageSide::Supply, NEW_CAP, 0, 0, 50);
    reject(&world, &start(&world, &world.c.reserve, &zero), BallastError::ZeroAmount);
    let high = client::start_deleverage_args(DeleverageSide::Supply, NEW_CAP, 0, SLOTS_PER_BPS, 1_001);
    reject(&world, &start(&world, &world.c.reserve, &high), BallastError::DeleveragePenaltyTooHigh);
}

#[test]
fn rejects_a_stale_reserve() {
    let mut world = World::new();
    world.edit_reserve(at::C_RESERVE, |r| r.last_update_slot.set(STEP_SLOT - 1));
    reject(
        &world,
        &start(&world, &world.c.reserve, &args(DeleverageSide::Supply, NEW_CAP, 0)),
        BallastError::ReserveStale,
    );
}

#[test]
fn rejects_a_reserve_of_another_market() {
    let mut world = World::new();
    world.edit_reserve(at::C_RESERVE, |r| r.market = Address::new_unique());
    reject(
        &world,
        &start(&world, &world.c.reserve, &args(DeleverageSide::Supply, NEW_CAP, 0)),
        BallastError::MarketMismatch,
    );
}

#[test]
fn rejects_a_read_only_reserve_and_a_non_reserve() {
    let world = World::new();
    let mut ix = start(&world, &world.c.reserve, &args(DeleverageSide::Supply, NEW_CAP, 0));
    ix.accounts[0].is_writable = false;
    reject(&world, &ix, BallastError::AccountNotWritable);
    let ix = start(&world, &world.obligation, &args(DeleverageSide::Supply, NEW_CAP, 0));
    reject(&world, &ix, BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_truncated_or_oversized_data_and_missing_accounts() {
    let world = World::new();
    let ix = start(&world, &world.c.reserve, &args(DeleverageSide::Supply, NEW_CAP, 0));
    let mut short = ix.clone();
    short.data.pop();
    reject(&world, &short, BallastError::InvalidInstructionDataLength);
    let mut long = ix.clone();
    long.data.push(0);
    reject(&world, &long, BallastError::InvalidInstructionDataLength);
    let mut few = ix;
    few.accounts.pop();
    reject(&world, &few, BallastError::NotEnoughAccounts);
}
