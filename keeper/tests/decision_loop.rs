//! The decision loop on LiteSVM with the built program: positions opened by real transactions, one of each
//! kind, classified off chain and acted on with the action their kind calls for.

use {
    ballast_interface::{client, instruction::DeleverageSide, state::Obligation},
    ballast_keeper::{
        cluster::Cluster,
        keeper::{ActionKind, Allowed, Keeper, Kind, TakeAll},
        sim::{keeper_for, open_position, opt_in_terms, UNIT, USDC},
        world::MarketWorld,
    },
    solana_address::Address,
    solana_signer::Signer,
    std::collections::HashMap,
};

const A: usize = 1;
const B: usize = 2;
const C: usize = 3;

fn price(dollars: f64) -> i64 {
    (dollars * 1e8) as i64
}

struct Positions {
    healthy: Address,
    pre_liquidatable: Address,
    liquidatable: Address,
    deleverageable: Address,
    insolvent: Address,
}

/// USDC and three $10 assets. A backs a healthy (40 %), an opted-in (65 %, pre-LTV 60 %) and a 74 %
/// position; B backs a 70 % position; C a 74 % one. Then the council cuts B's supply cap, the margin call
/// passes, A falls 10 % and C 70 %.
fn market() -> (MarketWorld, Keeper, Positions) {
    let mut world = MarketWorld::new();
    world.add_reserve(6, price(1.0), -8, |_| {});
    for _ in 0..3 {
        world.add_reserve(6, price(10.0), -8, |_| {});
    }
    let lender = world.new_user();
    world.fund(&lender, USDC, 1_000_000 * UNIT);
    let usdc = world.reserves[USDC];
    let deposit = client::deposit_liquidity(
        &usdc.reserve,
        &world.market,
        &lender.address(),
        &lender.liquidity[USDC],
        &lender.collateral[USDC],
        1_000_000 * UNIT,
    );
    let refresh = world.refresh_reserve_ix(USDC);
    world.svm.must_send("deposit_liquidity", &[refresh, deposit], &[&lender.keypair]);

    let open = |world: &mut MarketWorld, index, ltv, terms| {
        open_position(world, index, 1_000 * UNIT, 10.0, ltv, terms).expect("open position")
    };
    let positions = Positions {
        healthy: open(&mut world, A, 4_000, None),
        pre_liquidatable: open(&mut world, A, 6_500, Some(opt_in_terms(6_000))),
        liquidatable: open(&mut world, A, 7_400, None),
        deleverageable: open(&mut world, B, 7_000, None),
        insolvent: open(&mut world, C, 7_400, None),
    };
    let keeper = keeper_for(&mut world, 1_000_000 * UNIT, Allowed::ALL);

    // The council halves B's supply cap with a 10-slot margin call and 1 bps of decay per slot.
    let b = world.reserves[B];
    let args = client::start_deleverage_args(DeleverageSide::Supply, 500 * UNIT, 10, 1, 50);
    let owner = world.owner.insecure_clone();
    let ixs = [
        world.refresh_reserve_ix(B),
        client::start_deleverage(&b.reserve, &world.market, &owner.pubkey(), &args),
    ];
    world.svm.must_send("start_deleverage", &ixs, &[&owner]);

    // 3,000 slots later the deleverage LTV is 80 % − 29.9 % (B's position at 70 % is eligible).
    world.svm.warp_slots(3_000);
    for (index, dollars) in [(USDC, 1.0), (A, 9.0), (B, 10.0), (C, 3.0)] {
        world.set_price(index, price(dollars));
    }
    (world, keeper, positions)
}

fn kinds(world: &MarketWorld, keeper: &Keeper) -> HashMap<Address, Kind> {
    let view = keeper.load(&world.svm).expect("load");
    keeper.scan(&view).into_iter().map(|p| (p.address, p.kind)).collect()
}

#[test]
fn each_kind_of_position_gets_its_action() {
    let (mut world, keeper, p) = market();

    let kinds_before = kinds(&world, &keeper);
    assert_eq!(kinds_before[&p.healthy], Kind::Healthy);
    assert_eq!(kinds_before[&p.pre_liquidatable], Kind::PreLiquidatable);
    assert_eq!(kinds_before[&p.liquidatable], Kind::Liquidatable);
    assert_eq!(kinds_before[&p.deleverageable], Kind::Deleverageable);
    assert_eq!(kinds_before[&p.insolvent], Kind::Liquidatable);

    let outcomes = keeper.tick(&mut world.svm, &mut TakeAll).expect("tick");
    let mut taken = HashMap::new();
    for outcome in outcomes {
        let receipt = outcome.result.expect("acted").unwrap_or_else(|e| panic!("{e}"));
        assert!(receipt.compute_units > 0);
        assert!(outcome.proposal.repaid > 0 && outcome.proposal.received > 0);
        taken.insert(outcome.proposal.obligation, outcome.proposal.action);
    }
    assert_eq!(taken.get(&p.healthy), None, "a healthy position is left alone");
    assert_eq!(taken[&p.pre_liquidatable], ActionKind::PreLiquidate);
    assert_eq!(taken[&p.liquidatable], ActionKind::Liquidate);
    assert_eq!(taken[&p.deleverageable], ActionKind::Deleverage);
    assert_eq!(taken[&p.insolvent], ActionKind::Liquidate);
    world.check_invariants();

    // The insolvent position lost all its collateral and kept debt: bad debt, covered on the next tick.
    assert_eq!(kinds(&world, &keeper)[&p.insolvent], Kind::BadDebt);
    let outcomes = keeper.tick(&mut world.svm, &mut TakeAll).expect("tick");
    let cover = outcomes.iter().find(|o| o.proposal.obligation == p.insolvent).expect("insolvent acted on");
    assert_eq!(cover.proposal.action, ActionKind::CoverBadDebt);
    assert!(matches!(cover.result, Some(Ok(_))));
    assert!(cover.proposal.socialized.raw() > 0, "no insurance fund: the loss is socialized");
    let insolvent: Obligation = world.svm.state(&p.insolvent);
    assert_eq!((insolvent.deposit_count, insolvent.borrow_count), (0, 0));
    world.check_invariants();
}

#[test]
fn disallowed_actions_are_not_taken() {
    let (mut world, mut keeper, p) = market();
    keeper.allowed =
        Allowed { pre_liquidate: false, liquidate: true, deleverage: false, cover_bad_debt: true };
    let outcomes = keeper.tick(&mut world.svm, &mut TakeAll).expect("tick");
    let taken: HashMap<Address, ActionKind> =
        outcomes.iter().map(|o| (o.proposal.obligation, o.proposal.action)).collect();
    assert_eq!(taken.get(&p.pre_liquidatable), None);
    assert_eq!(taken.get(&p.deleverageable), None);
    assert_eq!(taken[&p.liquidatable], ActionKind::Liquidate);
    assert!(
        world.svm.program_accounts(ballast_interface::state::AccountKind::Obligation).unwrap().len() >= 5
    );
}
