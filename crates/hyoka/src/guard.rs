//! The guard around third-party parsers (calamine, lopdf): a panic inside
//! one fails its file, not the batch, and becomes the file's error.
//!
//! While a guard runs, [`panic_is_caught`] is true on its thread, so a
//! program's panic hook can stay quiet: the panic is reported as the file's
//! error, and Rust's "thread panicked at …" with a backtrace would only
//! frighten the person reading it.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`, catching a panic; [`panic_is_caught`] is true meanwhile.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    DEPTH.with(|d| d.set(d.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get() - 1));
    result
}

/// Whether this thread is inside the library's guard against a panicking
/// parser, where a panic becomes the file's error. A panic hook that
/// stays quiet then keeps stderr for messages people can act on:
///
/// ```
/// let default = std::panic::take_hook();
/// std::panic::set_hook(Box::new(move |info| {
///     if !hyoka::panic_is_caught() {
///         default(info);
///     }
/// }));
/// assert!(!hyoka::panic_is_caught());
/// ```
pub fn panic_is_caught() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_caught_and_flagged() {
        let seen = catch(panic_is_caught);
        assert_eq!(seen.ok(), Some(true));
        assert!(catch(|| panic!("a parser bug")).is_err());
        assert!(!panic_is_caught());
    }
}
