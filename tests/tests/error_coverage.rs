//! Every `BallastError` variant is triggered by at least one test, or is listed below as unreachable with the
//! reason; and every variant has its row in SECURITY.md's error table.
//!
//! A test triggers a variant when it names `BallastError::<Variant>` (the per-instruction tests, through
//! `assert_rejected`) or pins it in the adversarial table (`tests/tests/adversarial/expected.rs`).
//! `BALLAST_UPDATE_SECURITY_MD=1` rewrites the table in SECURITY.md from the tests.

use std::{collections::BTreeMap, path::PathBuf};

/// Variants no instruction returns, with the reason. The test fails if the program or the interface starts
/// returning one of them: it then needs a test instead.
const UNREACHABLE: &[(&str, &str)] = &[
    (
        "OracleConfidenceTooWide",
        "the confidence check is soft: a wide interval clears PRICE_FULLY_CHECKED (then PriceNotFullyChecked)",
    ),
    (
        "OracleTwapDivergenceTooLarge",
        "the EMA divergence check is soft: it clears PRICE_FULLY_CHECKED (then PriceNotFullyChecked)",
    ),
    ("ObligationNotEmpty", "reserved for closing an obligation; no instruction closes one yet"),
];

const TABLE_START: &str = "<!-- error-table:start -->";
const TABLE_END: &str = "<!-- error-table:end -->";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn variants() -> Vec<String> {
    let source = std::fs::read_to_string(root().join("interface/src/error.rs")).expect("error.rs");
    let body =
        source.split("pub enum BallastError {").nth(1).expect("enum").split("\n}").next().expect("end");
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .map(|l| l.split(['=', ',']).next().expect("name").trim().to_string())
        .collect()
}

fn rust_files(dir: &PathBuf, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether `text` names `BallastError::<name>` as a whole word.
fn names_variant(text: &str, name: &str) -> bool {
    let needle = format!("BallastError::{name}");
    text.match_indices(&needle).any(|(i, _)| {
        !text[i + needle.len()..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// For each variant, the test files that trigger it and the number of adversarial mutations pinned to it.
fn coverage() -> BTreeMap<String, (Vec<String>, usize)> {
    let mut files = Vec::new();
    rust_files(&root().join("tests/tests"), &mut files);
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let name = p.strip_prefix(root().join("tests/tests")).expect("prefix").display().to_string();
            (name, std::fs::read_to_string(p).expect("read"))
        })
        .filter(|(name, _)| name != "error_coverage.rs")
        .collect();
    let table =
        texts.iter().find(|(n, _)| n.ends_with("expected.rs")).map(|(_, t)| t.clone()).unwrap_or_default();
    variants()
        .into_iter()
        .map(|v| {
            let tests: Vec<String> =
                texts.iter().filter(|(_, t)| names_variant(t, &v)).map(|(n, _)| n.clone()).collect();
            let quoted = format!("\"{v}\"),");
            let mutations = table.lines().filter(|l| l.trim_end().ends_with(&quoted)).count();
            (v, (tests, mutations))
        })
        .collect()
}

fn table_rows(coverage: &BTreeMap<String, (Vec<String>, usize)>) -> String {
    let mut rows = String::from("| code | variant | triggered by |\n|---|---|---|\n");
    for (code, name) in variants().iter().enumerate() {
        let (tests, mutations) = &coverage[name];
        let mut by: Vec<String> = tests.iter().map(|t| format!("`{}`", t.trim_end_matches(".rs"))).collect();
        if *mutations > 0 {
            by.push(format!("{mutations} adversarial mutations"));
        }
        if let Some((_, reason)) = UNREACHABLE.iter().find(|(n, _)| n == name) {
            by.push(format!("unreachable: {reason}"));
        }
        rows.push_str(&format!("| {} | `{name}` | {} |\n", 6000 + code, by.join(", ")));
    }
    rows
}

#[test]
fn every_error_variant_is_triggered_by_a_test_or_listed_unreachable() {
    let coverage = coverage();
    let mut missing = Vec::new();
    for (name, (tests, mutations)) in &coverage {
        let unreachable = UNREACHABLE.iter().any(|(n, _)| n == name);
        let tested = !tests.is_empty() || *mutations > 0;
        if !tested && !unreachable {
            missing.push(format!("{name}: no test triggers it"));
        }
        if tested && unreachable {
            missing.push(format!("{name}: listed unreachable but a test triggers it"));
        }
    }
    // An unreachable variant must not be returned anywhere in the program or the interface.
    let mut sources = Vec::new();
    rust_files(&root().join("program/src"), &mut sources);
    rust_files(&root().join("interface/src"), &mut sources);
    for (name, _) in UNREACHABLE {
        for path in &sources {
            let text = std::fs::read_to_string(path).expect("read");
            if !path.ends_with("error.rs") && names_variant(&text, name) {
                missing.push(format!("{name}: listed unreachable but {} uses it", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn security_md_has_a_row_for_every_error_variant() {
    let path = root().join("SECURITY.md");
    let text = std::fs::read_to_string(&path).expect("SECURITY.md");
    let rows = table_rows(&coverage());
    if std::env::var("BALLAST_UPDATE_SECURITY_MD").is_ok() {
        let (head, rest) = text.split_once(TABLE_START).expect("table start marker");
        let (_, tail) = rest.split_once(TABLE_END).expect("table end marker");
        let updated = format!("{head}{TABLE_START}\n{rows}{TABLE_END}{tail}");
        std::fs::write(&path, updated).expect("write SECURITY.md");
        return;
    }
    let table = text.split(TABLE_START).nth(1).and_then(|t| t.split(TABLE_END).next()).expect("error table");
    for name in variants() {
        assert!(
            table.contains(&format!("| `{name}` |")),
            "SECURITY.md has no row for {name}: run BALLAST_UPDATE_SECURITY_MD=1 cargo test -p ballast-tests \
             --test error_coverage"
        );
    }
}
