//! Independent jobs spread over threads, results in job order.
//!
//! Each thread takes the next job not yet taken (so a few slow jobs do not leave a thread idle),
//! and every result is put back at its job's index. Since each job's result depends only on the
//! job, the output is the same whatever the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` applied to every job on up to `threads` threads; results in the order of `jobs`.
pub fn map_in_parallel<J: Sync, R: Send>(jobs: &[J], threads: usize, work: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let threads = threads.clamp(1, jobs.len().max(1));
    if threads == 1 {
        return jobs.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(index) else { break };
                        mine.push((index, work(job)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a worker thread panicked"))
            .collect()
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_job_order_whatever_the_thread_count() {
        let jobs: Vec<u64> = (0..97).collect();
        let square = |x: &u64| x * x;
        let expected: Vec<u64> = jobs.iter().map(square).collect();
        for threads in [1, 2, 3, 8, 500] {
            assert_eq!(map_in_parallel(&jobs, threads, square), expected, "{threads} threads");
        }
        assert!(map_in_parallel(&[] as &[u64], 4, square).is_empty());
    }
}
