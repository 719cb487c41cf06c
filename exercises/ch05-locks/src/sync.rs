//! The primitives the exercises are built from, switched between `std` and
//! `loom`: atomics and cells (spin lock, one-shot channel), and `Mutex` and
//! `Condvar` (semaphore, bounded queue).
//!
//! A normal build uses the standard library. Built with
//! `RUSTFLAGS="--cfg loom"`, the same names come from `loom`, which runs a
//! test under every interleaving and every weak-memory outcome the C++/Rust
//! memory model allows, and reports a read of `UnsafeCell` data that is not
//! ordered after its write. That is how a `Relaxed` where `Acquire`/`Release`
//! is needed gets caught. You do not need to edit this file.

#[cfg(loom)]
pub use loom::cell::{MutPtr, UnsafeCell};
#[cfg(loom)]
pub use loom::hint::spin_loop;
#[cfg(loom)]
pub use loom::sync::Arc;
#[cfg(loom)]
pub use loom::sync::atomic::{AtomicBool, AtomicU8, Ordering};
#[cfg(loom)]
pub use loom::sync::{Condvar, Mutex, MutexGuard};
#[cfg(loom)]
pub use loom::thread::yield_now;

#[cfg(not(loom))]
pub use std::hint::spin_loop;
#[cfg(not(loom))]
pub use std::sync::Arc;
#[cfg(not(loom))]
pub use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
#[cfg(not(loom))]
pub use std::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
pub use std::thread::yield_now;
#[cfg(not(loom))]
pub use std_cell::{MutPtr, UnsafeCell};

/// `std`'s `UnsafeCell` behind the API of `loom::cell::UnsafeCell`, so one
/// piece of code compiles against both.
#[cfg(not(loom))]
mod std_cell {
    /// Interior mutability without any checking: the caller proves exclusivity.
    #[derive(Debug)]
    pub struct UnsafeCell<T: ?Sized>(std::cell::UnsafeCell<T>);

    /// A raw pointer to the cell's content (loom's version also tracks the access).
    #[derive(Debug)]
    pub struct MutPtr<T: ?Sized>(*mut T);

    impl<T> UnsafeCell<T> {
        /// Wraps `value`.
        pub const fn new(value: T) -> Self {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }
    }

    impl<T: ?Sized> UnsafeCell<T> {
        /// A pointer for writing; dereferencing it is `unsafe`.
        pub fn get_mut(&self) -> MutPtr<T> {
            MutPtr(self.0.get())
        }

        /// Calls `f` with a raw pointer to the content.
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }

        /// Calls `f` with a read-only pointer to the content (loom checks
        /// that no write happens at the same time; readers may overlap).
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }
    }

    impl<T: ?Sized> MutPtr<T> {
        /// Borrows the content mutably.
        ///
        /// # Safety
        /// No other reference to the content may exist while the result lives.
        #[allow(clippy::mut_from_ref)]
        pub unsafe fn deref(&self) -> &mut T {
            // Safety: the caller guarantees exclusive access (see above).
            unsafe { &mut *self.0 }
        }
    }
}
