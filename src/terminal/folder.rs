//! The std::fs driver over [`watch`](super::watch): the shared `req/`, `res/`
//! and face folders of a 資格確認端末.

use super::names::{AnswerKind, RequestName};
use super::{AnswerWait, FaceWatch, Listed, MAX_LISTING, WaitState};
use crate::eligibility::{FaceFileName, FaceMatch};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// Why an exchange through the folders failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TerminalError {
    /// A file operation failed.
    #[error("{operation} {path}: {source}")]
    Io {
        /// What was being done.
        operation: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A request or an answer of that name already exists (names are never
    /// reused while a file of the exchange is still there).
    #[error("file name {0} is already in use")]
    NameInUse(String),
    /// No answer within the time allowed.
    #[error("no answer within {0:?}")]
    TimedOut(Duration),
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The answer is larger than the limit.
    #[error("answer {name} is {len} bytes, over the limit of {limit}")]
    TooLarge {
        /// Its name.
        name: String,
        /// Its length.
        len: u64,
        /// The limit.
        limit: u64,
    },
}

impl TerminalError {
    /// A stable machine-readable code, e.g. `"terminal.timed_out"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "terminal.io",
            Self::NameInUse(_) => "terminal.name_in_use",
            Self::TimedOut(_) => "terminal.timed_out",
            Self::Cancelled => "terminal.cancelled",
            Self::TooLarge { .. } => "terminal.too_large",
        }
    }
}

fn io(operation: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> TerminalError {
    let path = path.to_owned();
    move |source| TerminalError::Io {
        operation,
        path,
        source,
    }
}

/// A cancellation flag shared with the waiting thread.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every wait that holds this flag.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether it was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// A file read from `res/` or the face folder. The bytes hold personal data
/// and are zeroized on drop. The file stays until [`TerminalFolder::consume`].
#[derive(Debug)]
pub struct Received {
    /// Its path.
    pub path: PathBuf,
    /// `.xml`, `.zip` or `.pdf`.
    pub kind: AnswerKind,
    /// Its content.
    pub bytes: Zeroizing<Vec<u8>>,
}

/// The terminal's shared folders.
#[derive(Debug, Clone)]
pub struct TerminalFolder {
    /// Requests are written here.
    pub req: PathBuf,
    /// Answers appear here.
    pub res: PathBuf,
    /// Face results appear here (often the same as `res`).
    pub face: PathBuf,
    /// How often the folders are listed.
    pub poll: Duration,
    /// Largest answer read (default 64 MiB: bulk results).
    pub max_answer: u64,
}

impl TerminalFolder {
    /// `root/req`, `root/res` and `root/face`, created when missing.
    pub fn at(root: &Path) -> Result<Self, TerminalError> {
        let f = Self {
            req: root.join("req"),
            res: root.join("res"),
            face: root.join("face"),
            poll: Duration::from_millis(20),
            max_answer: 64 * 1024 * 1024,
        };
        for d in [&f.req, &f.res, &f.face] {
            std::fs::create_dir_all(d).map_err(io("create", d))?;
        }
        Ok(f)
    }

    /// Writes `bytes` into `dir/name` atomically: a hidden temporary file in
    /// the same folder, flushed to disk, then renamed.
    pub fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), TerminalError> {
        let tmp = dir.join(format!(".{name}.tmp"));
        let path = dir.join(name);
        let mut f = std::fs::File::create(&tmp).map_err(io("create", &tmp))?;
        f.write_all(bytes).map_err(io("write", &tmp))?;
        f.sync_all().map_err(io("sync", &tmp))?;
        drop(f);
        std::fs::rename(&tmp, &path).map_err(io("rename", &path))
    }

    /// Lists a folder (at most [`MAX_LISTING`] entries; hidden files skipped).
    pub fn list(dir: &Path) -> Result<Vec<Listed>, TerminalError> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir)
            .map_err(io("list", dir))?
            .take(MAX_LISTING)
        {
            let entry = entry.map_err(io("list", dir))?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let meta = entry.metadata().map_err(io("stat", &entry.path()))?;
            if meta.is_file() {
                out.push(Listed {
                    name,
                    len: meta.len(),
                });
            }
        }
        Ok(out)
    }

    /// Writes a request into `req/` under its name, refusing a name whose
    /// request or answer is still there.
    pub fn submit(&self, name: &RequestName, bytes: &[u8]) -> Result<(), TerminalError> {
        let req = name.to_string();
        let taken = self.req.join(&req).exists()
            || [AnswerKind::Xml, AnswerKind::Zip, AnswerKind::Pdf]
                .iter()
                .any(|k| self.res.join(name.answer(*k)).exists());
        if taken {
            return Err(TerminalError::NameInUse(req));
        }
        Self::write_atomically(&self.req, &req, bytes)
    }

    fn read(&self, path: PathBuf, kind: AnswerKind, len: u64) -> Result<Received, TerminalError> {
        if len > self.max_answer {
            return Err(TerminalError::TooLarge {
                name: path.display().to_string(),
                len,
                limit: self.max_answer,
            });
        }
        let bytes = Zeroizing::new(std::fs::read(&path).map_err(io("read", &path))?);
        Ok(Received { path, kind, bytes })
    }

    /// Waits for the answer to `name` in `res/`.
    pub fn wait_answer(
        &self,
        name: &RequestName,
        timeout: Duration,
        cancel: &Cancel,
    ) -> Result<Received, TerminalError> {
        let start = Instant::now();
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let mut wait = AnswerWait::new(name.clone(), ms(timeout));
        loop {
            if cancel.is_cancelled() {
                wait.cancel();
            }
            let listing = Self::list(&self.res)?;
            match wait.on_listing(&listing, ms(start.elapsed())) {
                WaitState::Ready { name, kind } => {
                    let len = listing.iter().find(|l| l.name == name).map_or(0, |l| l.len);
                    return self.read(self.res.join(name), kind, len);
                }
                WaitState::TimedOut => return Err(TerminalError::TimedOut(timeout)),
                WaitState::Cancelled => return Err(TerminalError::Cancelled),
                WaitState::Pending => std::thread::sleep(self.poll),
            }
        }
    }

    /// Waits for a face result that fits `wanted`, with `watch` remembering
    /// what was already reported.
    pub fn wait_face(
        &self,
        watch: &mut FaceWatch,
        wanted: &FaceMatch,
        timeout: Duration,
        cancel: &Cancel,
    ) -> Result<(FaceFileName, Received), TerminalError> {
        let start = Instant::now();
        loop {
            if cancel.is_cancelled() {
                return Err(TerminalError::Cancelled);
            }
            let listing = Self::list(&self.face)?;
            if let Some(name) = watch.on_listing(&listing, Some(wanted)).into_iter().next() {
                let file = name.to_string();
                let len = listing.iter().find(|l| l.name == file).map_or(0, |l| l.len);
                let got = self.read(self.face.join(&file), AnswerKind::Xml, len)?;
                return Ok((name, got));
            }
            if start.elapsed() >= timeout {
                return Err(TerminalError::TimedOut(timeout));
            }
            std::thread::sleep(self.poll);
        }
    }

    /// The hospital system has consumed a file: delete it (and, for an
    /// answer, its request).
    pub fn consume(&self, received: &Received) -> Result<(), TerminalError> {
        std::fs::remove_file(&received.path).map_err(io("remove", &received.path))?;
        let Some(name) = received.path.file_name().and_then(|n| n.to_str()) else {
            return Ok(());
        };
        if let Ok((request, _)) = super::names::parse_answer(name) {
            let req = self.req.join(request.to_string());
            if req.exists() {
                std::fs::remove_file(&req).map_err(io("remove", &req))?;
            }
        }
        Ok(())
    }
}
