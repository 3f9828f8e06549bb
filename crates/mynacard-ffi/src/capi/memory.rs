//! Buffers handed to the caller, and the handle table.
//!
//! Every buffer is a leaked `Box<[u8]>` whose address and length are registered;
//! [`mynacard_free`] looks the address up, zeroizes and drops it. An address that
//! is not live (freed already, or never ours) is refused instead of being passed
//! to the allocator. Handles are `Arc`s in a table keyed by address: a call clones
//! the `Arc` out, so freeing a handle while another thread uses it is safe.

use std::any::Any;
use std::collections::HashMap;
use std::ffi::{c_char, c_void};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use zeroize::Zeroize;

use super::boundary::{Failure, MynacardStatus, guard};
use crate::jobs::Error;

/// Live buffers: address → length.
static BUFFERS: LazyLock<Mutex<HashMap<usize, usize>>> = LazyLock::new(Default::default);

/// Live handles: address → the object.
static HANDLES: LazyLock<Mutex<HashMap<usize, Arc<dyn Any + Send + Sync>>>> =
    LazyLock::new(Default::default);

fn lock<T>(m: &'static Mutex<T>) -> MutexGuard<'static, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Hands a copy of `bytes` plus a terminating NUL to the caller; returns the
/// address. The copy is allocated at its final size (no reallocation leaves a
/// stray copy behind); the caller's source is the caller's to zeroize.
fn give(bytes: &[u8]) -> *mut u8 {
    let mut copy = Vec::with_capacity(bytes.len() + 1);
    copy.extend_from_slice(bytes);
    copy.push(0);
    let boxed = copy.into_boxed_slice();
    let len = boxed.len();
    let ptr = Box::into_raw(boxed).cast::<u8>();
    lock(&BUFFERS).insert(ptr as usize, len);
    ptr
}

/// A NUL-terminated UTF-8 string for the caller (freed with [`mynacard_free`]).
pub(crate) fn give_string(s: String) -> *mut c_char {
    give(s.as_bytes()).cast()
}

/// A string holding personal data (the 個人番号): the source is zeroized when
/// dropped, the copy by [`mynacard_free`].
pub(crate) fn give_secret(s: &zeroize::Zeroizing<String>) -> *mut c_char {
    give(s.as_bytes()).cast()
}

/// A byte buffer for the caller (NUL-terminated for convenience; the length
/// excludes it).
pub(crate) fn give_bytes(bytes: Vec<u8>) -> (*mut u8, usize) {
    (give(&bytes), bytes.len())
}

/// Frees a string or byte buffer returned by this library, zeroizing it first.
/// NULL is accepted and ignored. A pointer that is not a live buffer of this
/// library (already freed, or never returned by it) is refused with
/// `MYNACARD_STATUS_INVALID_ARGUMENT` and left alone.
///
/// # Safety
/// `ptr` is NULL or a pointer obtained from this library. (Foreign and stale
/// pointers are detected by address, but a freed address can be reused by a
/// later buffer: free each buffer exactly once.)
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_free(ptr: *mut c_void) -> MynacardStatus {
    guard(|| {
        if ptr.is_null() {
            return Ok(());
        }
        let Some(len) = lock(&BUFFERS).remove(&(ptr as usize)) else {
            return Err(Error::argument(
                "not_live",
                "not a live buffer of this library (freed twice, or not ours)",
            )
            .into());
        };
        // SAFETY: `ptr`/`len` were produced by `Box::into_raw` of a `Box<[u8]>` in
        // `give` and removed from the table just now, so this is the only owner.
        let mut boxed =
            unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr.cast::<u8>(), len)) };
        boxed.zeroize();
        drop(boxed);
        Ok(())
    })
}

/// Registers a handle; returns its address (the opaque pointer the caller holds).
pub(crate) fn new_handle<T: Send + Sync + 'static>(value: T) -> *mut T {
    let arc = Arc::new(value);
    let ptr = Arc::as_ptr(&arc).cast_mut();
    lock(&HANDLES).insert(ptr as usize, arc);
    ptr
}

/// The live handle of type `T` at `ptr`.
pub(crate) fn handle<T: Send + Sync + 'static>(
    ptr: *const T,
    what: &str,
) -> Result<Arc<T>, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    let found = lock(&HANDLES).get(&(ptr as usize)).cloned();
    found
        .and_then(|any| any.downcast::<T>().ok())
        .ok_or_else(|| {
            Error::argument(
                "not_live",
                format!("{what} is not a live handle of its type (freed, or not ours)"),
            )
            .into()
        })
}

/// Releases the handle of type `T` at `ptr` (NULL accepted and ignored).
pub(crate) fn free_handle<T: Send + Sync + 'static>(ptr: *const T, what: &str) -> MynacardStatus {
    guard(|| {
        if ptr.is_null() {
            return Ok(());
        }
        // Checks the type before removing.
        handle(ptr, what)?;
        lock(&HANDLES).remove(&(ptr as usize));
        Ok(())
    })
}
