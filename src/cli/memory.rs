//! The process's allocator, told to keep the memory that ensembles free (glibc only).
//!
//! One ensemble of 2 000 runs allocates about 1.5 MB of state and monthly rows in blocks of a few
//! hundred kilobytes, which glibc's `malloc` maps fresh from the kernel and unmaps again when they
//! are freed, or trims off the top of its heap. The next ensemble then pays a page fault for every
//! 4 KB it touches: about 390 for a default ensemble, 1–9 % of its time on the 2-core machine of
//! the README's figures (§8, Benchmark). Commands that run many ensembles (`bench`, the
//! sensitivity analyses, sweeps, calibration) keep that memory instead. No number depends on it.
//! The page has no such cost: a wasm module's memory is never handed back.

/// Tells the allocator to keep freed memory for the next ensemble (where it is glibc's; elsewhere
/// nothing). Call before any thread starts. `tests/kept_memory.rs` counts the page faults.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::keep_freed_memory();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    /// `mallopt`'s parameters (glibc's `malloc.h`).
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_MMAP_THRESHOLD: i32 = -3;

    /// Blocks below this size come from the heap, not from a mapping of their own: the largest
    /// value `man mallopt` allows on 64-bit systems, above the 16.8 MB of each of a 100 000-run
    /// ensemble's state arrays (21 pairs × 100 000 runs × 8 bytes).
    const MAPPED_FROM_BYTES: i32 = 32 << 20;

    /// Free memory at the top of the heap is handed back to the kernel only beyond this much.
    const KEPT_FREE_BYTES: i32 = 256 << 20;

    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }

    pub fn keep_freed_memory() {
        // SAFETY: `mallopt` only sets the allocator's parameters; it is called before the
        // command starts any thread. Its answer is not read: glibc's answered 1 here even for a
        // threshold twice the documented limit, so `tests/kept_memory.rs` counts faults instead.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, MAPPED_FROM_BYTES);
            mallopt(M_TRIM_THRESHOLD, KEPT_FREE_BYTES);
        }
    }
}
