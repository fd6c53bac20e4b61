//! Scenario runs are reproducible from their seed, and write their plots.

use ballast_keeper::{
    keeper::ActionKind,
    sim::{simulate, Scenario, SimConfig},
    svm::default_program_path,
};

fn config(scenario: Scenario, seed: u64, positions: usize, steps: usize) -> SimConfig {
    SimConfig { scenario, seed, positions, steps, program: default_program_path(), progress: false }
}

#[test]
fn the_same_seed_gives_the_same_table() {
    let config = config(Scenario::Crash, 3, 4, 12);
    let first = simulate(&config, None).expect("first run");
    let second = simulate(&config, None).expect("second run");
    assert_eq!(first.table, second.table);
    assert_eq!(first.ladder.series, second.ladder.series);
    println!("{}", first.table);
}

#[test]
fn the_whale_is_deleveraged_only_with_the_ladder_and_plots_are_written() {
    let out = std::env::temp_dir().join(format!("ballast-keeper-test-{}", std::process::id()));
    let comparison = simulate(&config(Scenario::Whale, 7, 2, 40), Some(&out)).expect("whale");
    println!("{}", comparison.table);
    let steps =
        |m: &ballast_keeper::sim::Metrics| m.actions.get(&ActionKind::Deleverage).copied().unwrap_or(0);
    assert!(steps(&comparison.ladder.metrics) > 0, "the ladder deleverages the whale");
    assert_eq!(steps(&comparison.plain.metrics), 0);
    assert_eq!(comparison.plain.metrics.actions.get(&ActionKind::PreLiquidate), None);
    assert_eq!(comparison.files.len(), 3);
    for file in &comparison.files {
        let svg = std::fs::read_to_string(file).expect("plot");
        assert!(svg.starts_with("<svg"), "{} is not an SVG", file.display());
    }
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn a_missing_program_is_a_clear_error() {
    let mut config = config(Scenario::Bankruptcy, 1, 1, 4);
    config.program = "no/such/program.so".into();
    let error = simulate(&config, None).expect_err("no program");
    assert!(error.contains("scripts/build-sbf.sh"), "{error}");
}
