//! Events: fixed-layout records written with `sol_log_data`, so that keepers and notifiers decode them from
//! the transaction's "Program data:" log lines. Each event is logged as two fields: its tag, then the bytes of
//! its `Pod` layout (see `ballast_interface::logic::deleverage` for the deleverage events).

/// Logs `tag` and `event`'s bytes as one `sol_log_data` record. A no-op off chain.
#[inline(always)]
pub fn emit<T: bytemuck::Pod>(tag: &[u8], event: &T) {
    log_data(&[tag, bytemuck::bytes_of(event)]);
}

#[cfg(any(target_os = "solana", target_arch = "bpf"))]
fn log_data(fields: &[&[u8]]) {
    // SAFETY: `fields` is a live slice of slices; a `&[u8]` has the (pointer, length) layout the syscall reads
    // for each field, and the runtime only reads `fields.len()` of them.
    unsafe { pinocchio::syscalls::sol_log_data(fields.as_ptr() as *const u8, fields.len() as u64) };
}

#[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
fn log_data(_fields: &[&[u8]]) {}
