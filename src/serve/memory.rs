//! The allocator's habits under a server's load.
//!
//! A search builds maps and lists of up to a few MB (a notice's scores, the
//! sections a word matched) and frees them when it answers. glibc's
//! allocator gives large blocks back to the kernel on free: blocks over its
//! mmap threshold are unmapped, and the free top of a thread's heap is
//! trimmed. The next search then faults the same pages back in, zero-filled
//! by the kernel: at 100k notices about 80 page faults a request, a quarter
//! of a millisecond of system time in three milliseconds (scripts/load-serve.sh
//! prints both; BENCHMARKS.md). The server asks the allocator instead to
//! serve blocks under 32 MiB from its heaps and to keep up to 64 MiB free
//! at a heap's top, so a search reuses the memory the one before it freed.
//! What is kept is bounded by the largest searches' working memory (16 MiB
//! more resident at 100k notices); a larger block is still mapped and
//! unmapped on its own.

/// Largest block served from the heaps: half a thread heap (64 MiB on
/// 64-bit, 32 MiB on 32-bit, where glibc refuses more); a larger one is rare
/// and mapped on its own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = if cfg!(target_pointer_width = "64") {
    32 << 20
} else {
    16 << 20
};

/// Most free memory kept at the top of a heap.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: libc::c_int = 64 << 20;

/// Ask the allocator to keep freed memory for the next search (glibc on
/// Linux; elsewhere the allocator's own policy stands). True when it took
/// the settings.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn keep_freed_memory() -> bool {
    // SAFETY: mallopt only sets the allocator's parameters (taking its own
    // lock); it is given valid option numbers and values, and no memory is
    // touched.
    let (mmap, trim) = unsafe {
        (
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD),
            libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD),
        )
    };
    mmap == 1 && trim == 1
}

/// Ask the allocator to keep freed memory for the next search (glibc on
/// Linux; elsewhere the allocator's own policy stands). True when it took
/// the settings.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn keep_freed_memory() -> bool {
    false
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::*;

    /// Minor page faults of the calling thread so far.
    fn thread_faults() -> libc::c_long {
        // SAFETY: getrusage writes one rusage into the zeroed value given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
        assert_eq!(ok, 0, "getrusage failed");
        usage.ru_minflt
    }

    #[test]
    fn a_thread_reuses_the_memory_it_freed() {
        assert!(keep_freed_memory(), "glibc refused the settings");
        // a search thread's habit: blocks of 100 KiB to 3 MiB written and
        // freed, again and again (sizes from a fixed sequence)
        let faults = std::thread::spawn(|| {
            let mut x: u64 = 12345;
            let mut size = || {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (100 << 10) + (x >> 33) as usize % (3 << 20)
            };
            let mut before = 0;
            for round in 0..60 {
                if round == 10 {
                    before = thread_faults();
                }
                let blocks: Vec<Vec<u8>> = (0..4).map(|_| vec![1u8; size()]).collect();
                drop(std::hint::black_box(blocks));
            }
            thread_faults() - before
        })
        .join()
        .expect("the thread ran");
        // (50 rounds of about 6 MiB written: ~75,000 faults when every
        // block's pages come back from the kernel zero-filled)
        assert!(faults < 2_000, "{faults} page faults in 50 rounds");
    }
}
