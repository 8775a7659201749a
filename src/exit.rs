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

/// Frees a run's documents, unless the process is about to exit: freeing a
/// 10,000-packet snapshot one allocation at a time was 9% of a warm `gov status`
/// (callgrind), and the system takes the whole heap back at exit in one step.
pub fn release<T>(documents: T) {
    if is_single_run() {
        std::mem::forget(documents);
    }
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
}
