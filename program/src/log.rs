//! Structured program logs (`sol_log_data`): each entry is a list of byte fields, base64-encoded by the
//! runtime into a `Program data:` line that indexers and the keeper decode.

/// Logs `fields` as one `Program data:` entry. A no-op off chain, where there is no runtime to log to.
#[inline(always)]
pub fn log_data(fields: &[&[u8]]) {
    #[cfg(any(target_os = "solana", target_arch = "bpf"))]
    // SAFETY: the syscall reads `fields.len()` (pointer, length) pairs from `fields.as_ptr()`, which is the
    // in-memory layout of a `&[u8]` slice on the SBF target, and each pair points to a live byte slice.
    unsafe {
        pinocchio::syscalls::sol_log_data(fields.as_ptr().cast::<u8>(), fields.len() as u64);
    }
    #[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
    let _ = fields;
}
