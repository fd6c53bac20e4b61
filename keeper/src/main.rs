//! `ballast-keeper`: finds and executes the risk engine's actions, and simulates stress scenarios.

use ballast_interface::state::Market;

fn main() {
    let command = std::env::args().nth(1);
    match command.as_deref() {
        Some("layout") => println!("market account: {} bytes", Market::SIZE),
        _ => {
            eprintln!("usage: ballast-keeper layout");
            std::process::exit(2);
        }
    }
}
