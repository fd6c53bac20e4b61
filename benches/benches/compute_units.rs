//! Compute units of every instruction, run on the built SBF binary (`scripts/build-sbf.sh` first), with the
//! floor of each case beside it (see `ballast_tests::cu`). Rewrites the generated part of
//! `benches/compute_units.md` (between its `<!-- generated -->` markers) and keeps the notes around it.
//!
//! Run with `scripts/bench.sh` (`cargo bench --profile dev -p ballast-bench`; the host harness needs no optimized
//! build, the numbers come from the SBF binary).

use {ballast_tests::cu, std::fmt::Write as _};

const START: &str = "<!-- generated: cargo bench -p ballast-bench -->";
const END: &str = "<!-- /generated -->";
/// DESIGN §9 budget for the binary: 150 KB, taken as 150,000 bytes (the stricter reading).
const SIZE_BUDGET: u64 = 150_000;

fn main() {
    let rows = cu::all();
    let so = ballast_tests::program_so_path();
    let size = std::fs::metadata(&so).unwrap_or_else(|e| panic!("{}: {e}", so.display())).len();

    let mut generated = String::new();
    writeln!(generated, "{START}").unwrap();
    let verdict = if size <= SIZE_BUDGET { "within" } else { "**over**" };
    writeln!(
        generated,
        "\nBinary: `target/deploy/ballast_program.so` is {size} bytes ({:.1} KiB), {verdict} the {SIZE_BUDGET}-byte budget.\n",
        size as f64 / 1024.0,
    )
    .unwrap();
    generated.push_str(&cu::markdown(&rows));
    writeln!(generated, "\nDESIGN §9 budgets (CU without the CPIs):\n").unwrap();
    generated.push_str(&cu::budget_markdown(&rows));
    writeln!(generated, "\n{END}").unwrap();

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/compute_units.md");
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let text = match (existing.find(START), existing.find(END)) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}{}", &existing[..start], generated.trim_end(), &existing[end + END.len()..])
        }
        _ => format!("# Compute units\n\n{generated}"),
    };
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{path}: {e}"));
    print!("{generated}");
}
