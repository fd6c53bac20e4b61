//! Memory comparison for the upstream BPF build.
//!
//! Where the compiler does not expand a comparison inline (size-optimised code compares each 32-byte
//! `Address` this way) it calls `bcmp` or `memcmp`, and the linker's fallbacks compare one byte per loop
//! turn (about 8 CU per byte). The runtime's `sol_memcmp_` costs 10 CU up to 250 bytes. These strong
//! definitions replace the linker's weak ones. Platform-tools builds (`target_os = "solana"`) already route
//! these builtins to the syscalls.

/// `memcmp`: the sign of the first differing byte, 0 when the `n` bytes are equal.
///
/// # Safety
/// `a` and `b` must be valid for reads of `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut result = 0i32;
    // SAFETY: the caller guarantees `n` readable bytes at `a` and `b`; `result` is a live local.
    unsafe { pinocchio::syscalls::sol_memcmp_(a, b, n as u64, &mut result) };
    result
}

/// `bcmp`: 0 when the `n` bytes are equal, non-zero otherwise.
///
/// # Safety
/// `a` and `b` must be valid for reads of `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: same contract as `memcmp`.
    unsafe { memcmp(a, b, n) }
}
