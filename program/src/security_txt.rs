//! The program's `security.txt`: contact and policy details embedded in the deployed binary, in the format
//! of the `solana-security-txt` crate (NUL-terminated key and value strings between two markers), so that
//! explorers and `query-security-txt` can read it from the chain.
//!
//! Written by hand rather than through the crate's `security_txt!` macro: the program links with nothing
//! beyond pinocchio, and the bytes are identical. With Solana's platform tools (`target_os = "solana"`,
//! `cargo build-sbf`) the bytes sit in their own `.security.txt` section, as the macro puts them. The
//! upstream BPF path (`bpfel-unknown-none` linked by `sbpf-linker`) keeps only the sections the loader maps,
//! so there they stay in `.rodata`, where the readers, which scan the binary for the begin marker, still
//! find them. Host builds (tests, clippy, the keeper) do not carry the static.

/// The section's bytes: the begin marker, `name\0value\0` pairs, the end marker.
#[cfg(any(target_os = "solana", target_arch = "bpf"))]
#[used]
#[unsafe(export_name = "security_txt")]
#[cfg_attr(target_os = "solana", unsafe(link_section = ".security.txt"))]
pub static SECURITY_TXT_SECTION: [u8; SECURITY_TXT.len()] = match SECURITY_TXT.first_chunk() {
    Some(bytes) => *bytes,
    None => panic!("the section is the whole text"),
};

/// The same bytes, readable on the host (the tests check their format).
pub const SECURITY_TXT: &[u8] = b"=======BEGIN SECURITY.TXT V1=======\0\
name\0Ballast\0\
project_url\0https://github.com/ballast-protocol/ballast\0\
contacts\0link:https://github.com/ballast-protocol/ballast/security/advisories/new\0\
policy\0https://github.com/ballast-protocol/ballast/blob/main/SECURITY.md\0\
preferred_languages\0en\0\
source_code\0https://github.com/ballast-protocol/ballast\0\
source_release\0v0.1.0\0\
auditors\0None\0\
=======END SECURITY.TXT V1=======\0";
