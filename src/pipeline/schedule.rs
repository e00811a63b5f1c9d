//! Running units of work on several threads while handing their results on in input order.
//!
//! Workers take the next unit as soon as they are free, so a slow unit holds up only its own
//! worker; a finished result waits here until every result before it has been handed on.
//! The output therefore never depends on timing: it is the sequential run's, sooner.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};
use std::thread;

/// Calls `work` on every item, on up to `jobs` threads, and `emit` on each result in the
/// items' order, each as soon as it and all before it are done. With one job (or one item)
/// everything runs on the calling thread.
pub fn in_order<T: Send, R: Send>(
    items: Vec<T>,
    jobs: usize,
    work: &(dyn Fn(T) -> R + Sync),
    emit: &mut dyn FnMut(R),
) {
    let workers = jobs.min(items.len());
    if workers <= 1 {
        for item in items {
            emit(work(item));
        }
        return;
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let (sender, results) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let queue = &queue;
            scope.spawn(move || {
                loop {
                    // The lock guards only the hand-out of the next item, never the work; a
                    // worker that panicked elsewhere leaves the iterator itself intact.
                    let next = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
                    let Some((index, item)) = next else { break };
                    if sender.send((index, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        // Only the workers' senders remain: the loop below ends when the last worker does.
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (index, result) in results {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&next) {
                emit(result);
                next += 1;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn results_come_in_input_order_whatever_finishes_first() {
        for jobs in [1, 2, 3, 8, 64] {
            let items: Vec<u64> = (0..40).collect();
            let mut seen = Vec::new();
            // Early items take longest, so later ones finish first on any worker count.
            in_order(
                items,
                jobs,
                &|n: u64| {
                    thread::sleep(Duration::from_millis((40 - n) / 8));
                    n * 10
                },
                &mut |r| seen.push(r),
            );
            assert_eq!(
                seen,
                (0..40).map(|n| n * 10).collect::<Vec<_>>(),
                "jobs {jobs}"
            );
        }
    }

    #[test]
    fn work_runs_on_several_threads_when_asked() {
        let ids = Mutex::new(std::collections::HashSet::new());
        let barrier = std::sync::Barrier::new(2);
        in_order(
            vec![(), ()],
            2,
            &|()| {
                // Both items must be in work at once to pass the barrier.
                barrier.wait();
                ids.lock().unwrap().insert(thread::current().id());
            },
            &mut |()| {},
        );
        assert_eq!(ids.lock().unwrap().len(), 2);
    }

    #[test]
    fn nothing_to_do_is_fine() {
        let mut called = false;
        in_order(Vec::<u8>::new(), 4, &|n| n, &mut |_| called = true);
        assert!(!called);
    }
}
