//! Memory builtins for the upstream BPF build.
//!
//! Where the compiler does not expand a copy, fill or comparison inline (a size-optimised comparison of a
//! 32-byte `Address`, a fill of a whole account) it calls these builtins, and the linker's fallbacks loop
//! over bytes or words (a byte comparison costs about 8 CU per byte, a word fill 3 CU per 8 bytes). The
//! runtime's memory syscalls cost 10 CU up to 250 bytes. These strong definitions replace the linker's weak
//! ones. Platform-tools builds (`target_os = "solana"`) already route these builtins to the syscalls.

use pinocchio::syscalls::{sol_memcmp_, sol_memmove_, sol_memset_};

/// `memcmp`: the sign of the first differing byte, 0 when the `n` bytes are equal.
///
/// # Safety
/// `a` and `b` must be valid for reads of `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut result = 0i32;
    // SAFETY: the caller guarantees `n` readable bytes at `a` and `b`; `result` is a live local.
    unsafe { sol_memcmp_(a, b, n as u64, &mut result) };
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

/// `memcpy`. Through `sol_memmove_` (same cost): LLVM may copy a value onto itself with `memcpy`
/// (`dst == src`), which `sol_memcpy_` refuses as an overlap.
///
/// # Safety
/// `dst` must be valid for writes and `src` for reads of `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller guarantees both ranges; `sol_memmove_` accepts any overlap, equality included.
    unsafe { sol_memmove_(dst, src, n as u64) };
    dst
}

/// `memmove`: ranges may overlap.
///
/// # Safety
/// `dst` must be valid for writes and `src` for reads of `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller guarantees both ranges; `sol_memmove_` handles an overlap.
    unsafe { sol_memmove_(dst, src, n as u64) };
    dst
}

/// `memset`: fills `n` bytes at `dst` with the low byte of `value`.
///
/// # Safety
/// `dst` must be valid for writes of `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memset(dst: *mut u8, value: i32, n: usize) -> *mut u8 {
    // SAFETY: the caller guarantees `n` writable bytes at `dst`. C's memset takes the byte as an `int`.
    unsafe { sol_memset_(dst, value as u8, n as u64) };
    dst
}
