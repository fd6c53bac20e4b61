//! Compute units of every instruction, run on the built SBF binary. Writes `benches/compute_units.md`
//! (a new table is prepended whenever a number changes). Run with `scripts/bench.sh`.

use {
    ballast_interface::{client, instruction::InitMarketArgs, state::Market},
    ballast_tests::{mollusk, wallet, zeroed_account},
    mollusk_svm_bencher::MolluskComputeUnitBencher,
    solana_address::Address,
};

fn main() {
    let market = Address::new_unique();
    let owner = Address::new_unique();
    let init_market = client::init_market(
        &market,
        &owner,
        &InitMarketArgs::with_defaults(b"USD", Address::new_unique(), Address::new_unique()),
    );
    let init_market_accounts =
        vec![(market, zeroed_account(&ballast_interface::ID, Market::SIZE)), (owner, wallet(1_000_000_000))];

    let mollusk = mollusk();
    let (flash_borrow, flash_borrow_accounts) =
        ballast_tests::flash::flash_borrow_alone(mollusk.sysvars.clock.slot);

    MolluskComputeUnitBencher::new(mollusk)
        .bench(("init_market", &init_market, &init_market_accounts))
        .bench(("flash_borrow", &flash_borrow, &flash_borrow_accounts))
        .must_pass(true)
        .out_dir(env!("CARGO_MANIFEST_DIR"))
        .execute();
}
