//! The built program carries its `security.txt` (`program/src/security_txt.rs`) in the format of the
//! `solana-security-txt` crate: NUL-terminated `name` / `value` strings between the begin and end markers,
//! with the fields explorers require.

const BEGIN: &[u8] = b"=======BEGIN SECURITY.TXT V1=======\0";
const END: &[u8] = b"=======END SECURITY.TXT V1=======\0";

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn the_binary_embeds_a_well_formed_security_txt() {
    let elf = ballast_tests::program_elf();
    let start = find(&elf, BEGIN).expect("begin marker in the binary") + BEGIN.len();
    let end = start + find(&elf[start..], END).expect("end marker after the begin marker");
    let fields: Vec<&str> = elf[start..end]
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| std::str::from_utf8(s).expect("utf-8"))
        .collect();
    assert_eq!(fields.len() % 2, 0, "name / value pairs: {fields:?}");
    let pairs: Vec<(&str, &str)> = fields.chunks(2).map(|p| (p[0], p[1])).collect();
    for required in ["name", "project_url", "contacts", "policy"] {
        assert!(pairs.iter().any(|(k, v)| *k == required && !v.is_empty()), "missing {required}: {pairs:?}");
    }
    assert!(pairs.contains(&("name", "Ballast")));
    assert!(find(&elf, BEGIN[..BEGIN.len() - 1].as_ref()).is_some());
}
