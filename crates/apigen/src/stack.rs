//! Running the recursive phases on a stack of known size.
//!
//! Parsing into `openapiv3` types, lowering and `syn` all recurse once per
//! nesting level of the document, and `openapiv3`'s untagged enums make
//! each level expensive (about 50 KiB in a debug build). The caller's stack
//! may be small (test threads get 2 MiB), so each phase runs on a thread
//! with [`DEEP_STACK`] bytes of stack; together with the limits on
//! document depth ([`crate::load::MAX_DEPTH`]) and schema nesting, no
//! document can overflow it. The memory is reserved, and only the pages a
//! run touches are used.

/// Stack size of the thread each phase runs on.
pub(crate) const DEEP_STACK: usize = 128 * 1024 * 1024;

/// Runs `work` on a thread with [`DEEP_STACK`] bytes of stack and returns
/// its result; a panic in `work` is resumed on the caller's thread. When
/// no thread can be started, `work` runs on the caller's thread.
pub(crate) fn on_deep_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let slot = std::sync::Mutex::new(Some(work));
    let take = || slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
    let spawned = std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("apigen-deep-stack".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, || take().map(|work| work()))
            .ok()?;
        Some(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    match spawned.flatten() {
        Some(result) => result,
        // Spawning failed, so the thread's closure never ran and `work` is
        // still in the slot.
        None => match take() {
            Some(work) => work(),
            None => unreachable!("the spawned thread ran the work and returned its result"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_result_and_borrows() {
        let text = String::from("abc");
        assert_eq!(on_deep_stack(|| text.len()), 3);
    }

    #[test]
    fn recursion_deeper_than_a_test_thread_allows_succeeds() {
        fn depth(n: u64) -> u64 {
            // About 4 KiB per frame: 8192 frames need about 32 MiB.
            let pad = std::hint::black_box([n as u8; 4096]);
            if n == 0 { u64::from(pad[0]) } else { 1 + depth(n - 1) }
        }
        assert_eq!(on_deep_stack(|| depth(8192)), 8192);
    }

    #[test]
    fn panics_are_resumed_on_the_caller() {
        let caught = std::panic::catch_unwind(|| on_deep_stack(|| panic!("inner")));
        let payload = caught.unwrap_err();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"inner"));
    }
}
