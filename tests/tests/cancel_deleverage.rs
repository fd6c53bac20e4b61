//! CancelDeleverage: the council clears a running side; every rejection has its own error and leaves every
//! account unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        instruction::DeleverageSide,
        state::{DeleverageState, Reserve, DELEVERAGE_BORROW, DELEVERAGE_SUPPLY},
    },
    ballast_tests::{
        assert_rejected,
        deleverage::{at, running, World, NEW_CAP, STEP_SLOT},
        mollusk, read_state,
    },
    mollusk_svm_result::ProgramResult,
    solana_address::Address,
    solana_instruction::Instruction,
};

fn both_running() -> World {
    let mut world = World::new();
    world.edit_reserve(at::C_RESERVE, |r| {
        r.deleverage[DELEVERAGE_SUPPLY] = running(NEW_CAP);
        r.deleverage[DELEVERAGE_BORROW] = running(100);
    });
    world
}

fn reject(world: &World, ix: &Instruction, expected: BallastError) {
    let accounts = world.accounts_for(ix);
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(STEP_SLOT);
    let result = mollusk.process_instruction(ix, &accounts);
    assert_rejected(&result, &accounts, expected);
}

#[test]
fn clears_the_cancelled_side_only() {
    let world = both_running();
    let ix =
        client::cancel_deleverage(&world.c.reserve, &world.market, &world.council, DeleverageSide::Supply);
    let mut mollusk = mollusk();
    mollusk.warp_to_slot(STEP_SLOT);
    let result = mollusk.process_instruction(&ix, &world.accounts_for(&ix));
    assert_eq!(result.program_result, ProgramResult::Success);
    println!("CancelDeleverage CU: {}", result.compute_units_consumed);
    let after: Reserve = read_state(&result.resulting_accounts[0].1);
    let mut expected = world.reserve(at::C_RESERVE);
    expected.deleverage[DELEVERAGE_SUPPLY] = DeleverageState::default();
    assert_eq!(after, expected);
    assert!(after.deleverage[DELEVERAGE_BORROW].active.is_on());
}

#[test]
fn rejects_a_side_with_no_deleverage() {
    let world = World::new();
    let ix =
        client::cancel_deleverage(&world.c.reserve, &world.market, &world.council, DeleverageSide::Borrow);
    reject(&world, &ix, BallastError::DeleverageNotActive);
}

#[test]
fn rejects_anyone_but_the_council() {
    let mut world = both_running();
    let impostor = Address::new_unique();
    world.accounts.push((impostor, ballast_tests::wallet(1_000_000_000)));
    let ix = client::cancel_deleverage(&world.c.reserve, &world.market, &impostor, DeleverageSide::Supply);
    reject(&world, &ix, BallastError::InvalidAuthority);
    let mut unsigned =
        client::cancel_deleverage(&world.c.reserve, &world.market, &world.council, DeleverageSide::Supply);
    unsigned.accounts[2].is_signer = false;
    reject(&world, &unsigned, BallastError::MissingSigner);
}

#[test]
fn rejects_an_unknown_side_and_bad_data() {
    let world = both_running();
    let ix =
        client::cancel_deleverage(&world.c.reserve, &world.market, &world.council, DeleverageSide::Supply);
    let mut bad_side = ix.clone();
    bad_side.data[1] = 7;
    reject(&world, &bad_side, BallastError::InvalidDeleverageSide);
    let mut short = ix.clone();
    short.data.pop();
    reject(&world, &short, BallastError::InvalidInstructionDataLength);
    let mut other_market = world;
    other_market.edit_reserve(at::C_RESERVE, |r| r.market = Address::new_unique());
    reject(&other_market, &ix, BallastError::MarketMismatch);
}
