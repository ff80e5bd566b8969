//! The command line keeps the memory its ensembles free (`cli::keep_freed_memory`), so that the
//! next ensemble does not take a page fault for every page it touches. Counted with the kernel's
//! minor-fault counter; one test in this file, so no other test allocates meanwhile.

#![cfg(all(target_os = "linux", target_env = "gnu"))]

/// The process's minor page faults so far (field 10 of /proc/self/stat).
fn minor_faults() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("Linux has /proc/self/stat");
    // Fields after the command name, which ends at the last ')': state is field 3, minflt field 10.
    let after_name = &stat[stat.rfind(')').expect("a command name in parentheses") + 1..];
    after_name
        .split_whitespace()
        .nth(7)
        .and_then(|f| f.parse().ok())
        .expect("minflt")
}

/// Faults taken while allocating, touching and freeing what an ensemble of 2 000 runs of 21 pairs
/// allocates in large blocks (five blocks of 21 × 2 000 doubles), `rounds` times after a first.
fn faults_of_later_rounds(rounds: usize) -> (u64, u64) {
    let round = || {
        let blocks: Vec<Vec<f64>> = (0..5).map(|b| vec![b as f64 + 0.5; 21 * 2000]).collect();
        std::hint::black_box(&blocks);
    };
    round();
    let before = minor_faults();
    for _ in 0..rounds {
        round();
    }
    let pages_touched = (rounds * 5 * 21 * 2000 * 8 / 4096) as u64;
    (minor_faults() - before, pages_touched)
}

#[test]
fn freed_blocks_are_reused_without_page_faults() {
    alignment_sim::cli::keep_freed_memory();
    let (faults, pages) = faults_of_later_rounds(20);
    // Without the setting glibc unmaps or trims the blocks and faults on about every page again
    // (measured: nearly one fault per page touched).
    assert!(
        faults * 20 < pages,
        "{faults} page faults in rounds that touched {pages} pages"
    );
}
