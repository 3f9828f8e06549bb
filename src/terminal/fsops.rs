//! The file operations the exchange trusts a hostile share with: exclusive
//! temporaries, publishing without replacing, opening without following links,
//! bounded reads through the opened handle, and atomic claims.
//!
//! Unix: `O_NOFOLLOW | O_NONBLOCK` on every open of a listed file (a link is
//! refused, a FIFO does not block), then the opened file's (device, inode)
//! compared with the listing's. Windows: `FILE_FLAG_OPEN_REPARSE_POINT` on every
//! open (a symbolic link or junction is opened as itself, never followed), then
//! the opened handle must be a regular file and not a reparse point; std offers
//! no stable file index on Windows, so the identity check there is "the name,
//! opened without following, is a regular file of the listed folder".

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use zeroize::Zeroizing;

/// Why a listed file was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// It is (now) a symbolic link, junction or other non-regular file.
    NotRegular,
    /// The file opened is not the one listed (swapped in between).
    Swapped,
    /// More bytes than the limit were read.
    TooLarge,
}

/// What identifies a file within a listing (Unix: device and inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileId(#[allow(dead_code)] pub(crate) Option<(u64, u64)>);

impl FileId {
    #[cfg(unix)]
    pub(crate) fn of(meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Self(Some((meta.dev(), meta.ino())))
    }

    #[cfg(not(unix))]
    pub(crate) fn of(_meta: &std::fs::Metadata) -> Self {
        Self(None)
    }
}

#[cfg(windows)]
const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;

/// Options that never follow a link at the last component.
fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        options.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT);
    }
    options
}

/// Creates `path` exclusively (fails when anything, a dangling link included,
/// is there) and writes `bytes` to disk. The file is removed again on failure.
pub(crate) fn create_exclusive(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = no_follow(OpenOptions::new().write(true).create_new(true)).open(path)?;
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    if written.is_err() {
        drop(f);
        let _ = std::fs::remove_file(path);
    }
    written
}

/// Gives the file at `tmp` the name `path` without ever replacing what is
/// there: a hard link (fails with `AlreadyExists` when `path` exists), then
/// the temporary name removed. A file system without hard links fails here
/// rather than fall back to a rename that could replace.
pub(crate) fn publish(tmp: &Path, path: &Path) -> std::io::Result<()> {
    let linked = std::fs::hard_link(tmp, path);
    let _ = std::fs::remove_file(tmp);
    linked
}

/// Opens the listed regular file `path` without following links and checks it
/// is the one listed (`listed`), then reads at most `max` bytes through that
/// handle into a zeroizing buffer.
pub(crate) fn read_listed(
    path: &Path,
    listed: Option<FileId>,
    max: u64,
) -> std::io::Result<Result<Zeroizing<Vec<u8>>, Refusal>> {
    let file = match no_follow(OpenOptions::new().read(true)).open(path) {
        Ok(f) => f,
        // Linux: ELOOP for a link opened with O_NOFOLLOW.
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Ok(Err(Refusal::NotRegular)),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.file_type().is_file() || meta.file_type().is_symlink() {
        return Ok(Err(Refusal::NotRegular));
    }
    if let Some(id) = listed
        && id.0.is_some()
        && FileId::of(&meta) != id
    {
        return Ok(Err(Refusal::Swapped));
    }
    read_bounded(file, meta.len(), max)
}

/// Reads through `file` until EOF, refusing more than `max` bytes. The buffer
/// is sized from `hint` (bounded by `max`) and, if the file grows, moved into
/// a larger zeroizing buffer (the old one is wiped), so no copy of the content
/// is left in freed memory.
fn read_bounded(
    mut file: File,
    hint: u64,
    max: u64,
) -> std::io::Result<Result<Zeroizing<Vec<u8>>, Refusal>> {
    let cap = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    // One byte over the size: EOF is seen without growing.
    let mut buf = Zeroizing::new(vec![0u8; cap(hint.min(max).saturating_add(1))]);
    let mut n = 0usize;
    loop {
        if n == buf.len() {
            if n as u64 > max {
                return Ok(Err(Refusal::TooLarge));
            }
            let grown = n
                .saturating_mul(2)
                .min(cap(max.saturating_add(1)))
                .max(n.saturating_add(1));
            let mut bigger = Zeroizing::new(vec![0u8; grown]);
            bigger[..n].copy_from_slice(&buf[..n]);
            buf = bigger;
        }
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if n as u64 > max {
        return Ok(Err(Refusal::TooLarge));
    }
    buf.truncate(n);
    Ok(Ok(buf))
}

/// Takes `path` for this claimant by renaming it to `claimed` (a name no one
/// else uses): of several claimants exactly one rename finds the file, the
/// others get `NotFound`.
pub(crate) fn claim(path: &Path, claimed: &Path) -> std::io::Result<bool> {
    match std::fs::rename(path, claimed) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// A folder of our own under `dir` (created when missing): refused when the
/// name is taken by anything but a directory (a planted link included).
pub(crate) fn own_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = std::fs::symlink_metadata(dir)?;
            if meta.file_type().is_dir() {
                Ok(())
            } else {
                Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "not a directory of our own",
                ))
            }
        }
        Err(e) => Err(e),
    }
}

/// 16 hex digits from the OS CSPRNG and the process id, for names no other
/// writer uses.
pub(crate) fn unique_token() -> std::io::Result<String> {
    let mut r = [0u8; 8];
    getrandom::fill(&mut r).map_err(|_| std::io::Error::other("random generator unavailable"))?;
    Ok(format!(
        "{}_{:016x}",
        std::process::id(),
        u64::from_le_bytes(r)
    ))
}
