//! What a run may leave undone because the process ends right after it. The `gov`
//! binary says so before it runs a command; the MCP server and the library's other
//! callers run many commands in one process and never do.

use std::sync::atomic::{AtomicBool, Ordering};

static ENDS_AFTER_RUN: AtomicBool = AtomicBool::new(false);

/// The process exits once this run's output is written.
pub fn ends_after_run() {
    ENDS_AFTER_RUN.store(true, Ordering::Relaxed);
}

/// Whether this process runs one command and exits: what it learns of the file
/// system (the root's handle, where a folder leads) then holds for the whole run.
pub fn is_single_run() -> bool {
    ENDS_AFTER_RUN.load(Ordering::Relaxed)
}

thread_local! {
    /// How many [`freeing`] calls this thread is inside.
    static FREEING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Frees a run's documents, unless the process is about to exit: freeing a
/// 10,000-packet snapshot one allocation at a time was 9% of a warm `gov status`
/// (callgrind), and the system takes the whole heap back at exit in one step.
pub fn release<T>(documents: T) {
    if keeps_for_exit(is_single_run()) {
        std::mem::forget(documents);
    }
}

/// Runs `f` with [`release`] freeing as usual, also in a single run: a combined run
/// (`gov check`) runs command after command in one process, and what each left for
/// the exit added up (spec-regression's and board-check's 10,000-packet snapshots
/// were still held while check loaded its own and the pre-work documents).
pub fn freeing<T>(f: impl FnOnce() -> T) -> T {
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            FREEING.with(|n| n.set(n.get() - 1));
        }
    }
    FREEING.with(|n| n.set(n.get() + 1));
    let _leave = Leave;
    f()
}

/// Whether [`release`] leaves documents to the exit, for a process that does or does
/// not end after this run.
fn keeps_for_exit(single_run: bool) -> bool {
    single_run && FREEING.with(|n| n.get()) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without [`ends_after_run`] (a server, a test) documents are dropped as usual.
    #[test]
    fn a_long_lived_process_still_frees() {
        let shared = std::rc::Rc::new(());
        release(std::rc::Rc::clone(&shared));
        assert_eq!(std::rc::Rc::strong_count(&shared), 1);
    }

    /// Inside [`freeing`] even a single run frees; outside it, it leaves to the exit.
    #[test]
    fn a_combined_runs_parts_free() {
        assert!(keeps_for_exit(true));
        assert!(!keeps_for_exit(false));
        freeing(|| {
            assert!(!keeps_for_exit(true));
            freeing(|| assert!(!keeps_for_exit(true)));
            assert!(
                !keeps_for_exit(true),
                "nested calls leave the outer one freeing"
            );
        });
        assert!(keeps_for_exit(true));
        // a part that panics still leaves the count as it found it
        let _ = std::panic::catch_unwind(|| freeing(|| panic!("part failed")));
        assert!(keeps_for_exit(true));
    }
}
