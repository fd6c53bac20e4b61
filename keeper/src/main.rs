//! `ballast-keeper`: finds and executes the risk engine's actions on a cluster, and simulates stress
//! scenarios on an embedded LiteSVM with the built program.

use {
    ballast_keeper::{
        keeper::{Allowed, Keeper, Kind, TakeAll},
        rpc::{parse_address, RpcCluster},
        sim::{simulate, Scenario, SimConfig},
        svm::default_program_path,
    },
    clap::{Parser, Subcommand},
    std::{collections::HashMap, path::PathBuf, process::ExitCode, time::Duration},
};

#[derive(Parser)]
#[command(name = "ballast-keeper", about = "Keeper and stress simulator of the Ballast lending program")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs a scenario twice on the same seeded path (with the risk ladder, and with plain liquidation
    /// only) and prints the comparison.
    Simulate {
        scenario: Scenario,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Borrowers in the crowd (the scenario's default when absent).
        #[arg(long)]
        positions: Option<usize>,
        /// Steps of one hour (the scenario's default when absent).
        #[arg(long)]
        steps: Option<usize>,
        /// Folder for the SVG plots; none are written without it.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The program binary (built by scripts/build-sbf.sh).
        #[arg(long)]
        program: Option<PathBuf>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Runs the decision loop against a cluster.
    Run {
        #[arg(long)]
        rpc: String,
        /// Keypair file of the keeper: fee payer, liquidator and deleverage executor.
        #[arg(long)]
        keypair: PathBuf,
        #[arg(long)]
        market: String,
        /// RESERVE=PRICE_UPDATE_ACCOUNT, once per reserve.
        #[arg(long = "oracle")]
        oracles: Vec<String>,
        /// MINT=TOKEN_ACCOUNT: the keeper's token accounts that pay and receive.
        #[arg(long = "token-account")]
        token_accounts: Vec<String>,
        /// Seconds between scans.
        #[arg(long, default_value_t = 10)]
        interval: u64,
        /// One scan, then exit.
        #[arg(long)]
        once: bool,
        /// Scan and report without sending.
        #[arg(long)]
        dry_run: bool,
    },
    /// Prints the account sizes.
    Layout,
}

fn pairs(values: &[String]) -> Result<HashMap<solana_address::Address, solana_address::Address>, String> {
    values
        .iter()
        .map(|v| {
            let (a, b) = v.split_once('=').ok_or_else(|| format!("{v}: expected KEY=ADDRESS"))?;
            Ok((parse_address(a)?, parse_address(b)?))
        })
        .collect()
}

fn program_path(program: Option<PathBuf>) -> PathBuf {
    program.unwrap_or_else(|| {
        let local = PathBuf::from("target/deploy/ballast_program.so");
        if local.is_file() {
            local
        } else {
            default_program_path()
        }
    })
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Simulate { scenario, seed, positions, steps, out, program, quiet } => {
            let (default_positions, default_steps) = scenario.defaults();
            let config = SimConfig {
                scenario,
                seed,
                positions: positions.unwrap_or(default_positions),
                steps: steps.unwrap_or(default_steps),
                program: program_path(program),
                progress: !quiet,
            };
            let comparison = simulate(&config, out.as_deref())?;
            println!("{}", comparison.table);
            for file in comparison.files {
                println!("wrote {}", file.display());
            }
            Ok(())
        }
        Command::Run { rpc, keypair, market, oracles, token_accounts, interval, once, dry_run } => {
            let wallet = solana_keypair::read_keypair_file(&keypair)
                .map_err(|e| format!("{}: {e}", keypair.display()))?;
            let keeper = Keeper {
                market: parse_address(&market)?,
                wallet,
                oracles: pairs(&oracles)?,
                token_accounts: pairs(&token_accounts)?,
                allowed: Allowed::ALL,
            };
            let mut cluster = RpcCluster::new(&rpc);
            loop {
                let view = keeper.load(&cluster)?;
                let positions = keeper.scan(&view);
                let count = |k: Kind| positions.iter().filter(|p| p.kind == k).count();
                println!(
                    "slot {}: {} obligations: {} bad debt, {} liquidatable, {} deleverageable, {} pre-liquidatable",
                    view.slot,
                    positions.len(),
                    count(Kind::BadDebt),
                    count(Kind::Liquidatable),
                    count(Kind::Deleverageable),
                    count(Kind::PreLiquidatable)
                );
                if !dry_run {
                    for outcome in keeper.tick(&mut cluster, &mut TakeAll)? {
                        let p = &outcome.proposal;
                        match outcome.result {
                            Some(Ok(r)) => println!(
                                "  {:?} {}: repaid {} received {} ({} CU)",
                                p.action, p.obligation, p.repaid, p.received, r.compute_units
                            ),
                            Some(Err(e)) => println!("  {:?} {} failed: {e}", p.action, p.obligation),
                            None => println!("  {:?} {} passed", p.action, p.obligation),
                        }
                    }
                }
                if once {
                    return Ok(());
                }
                std::thread::sleep(Duration::from_secs(interval));
            }
        }
        Command::Layout => {
            use ballast_interface::state::{Market, Obligation, Reserve};
            println!(
                "market {} bytes, reserve {} bytes, obligation {} bytes",
                Market::SIZE,
                Reserve::SIZE,
                Obligation::SIZE
            );
            Ok(())
        }
    }
}
