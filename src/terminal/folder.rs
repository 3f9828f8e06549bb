//! The std::fs driver over [`watch`](super::watch): the shared `req/`, `res/`
//! and face folders of a 資格確認端末.

use super::fsops::{self, FileId, Refusal};
use super::names::{AnswerKind, FilePrefix, RequestName, Station};
use super::{AnswerWait, FaceWatch, Listed, MAX_LISTING, WaitState};
use crate::eligibility::{
    EchoMismatch, EligibilityError, EligibilityRequest, FaceFileName, FaceMatch, ResultFile,
    parse_result,
};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// Why an exchange through the folders failed. No variant carries file
/// content or a personal value: names, paths, limits and element names only.
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
    /// reused while a file of the exchange is still there, and a request is
    /// never replaced: of two writers of one name, the second gets this).
    #[error("file name {0} is already in use")]
    NameInUse(String),
    /// No answer within the time allowed.
    #[error("no answer within {0:?}")]
    TimedOut(Duration),
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The answer has more bytes than the limit (counted on the bytes read,
    /// not on what the folder listing said).
    #[error("answer {name} is over the limit of {limit} bytes")]
    TooLarge {
        /// Its name.
        name: String,
        /// The limit.
        limit: u64,
    },
    /// The file is (now) a symbolic link, a junction or not a regular file:
    /// never followed, never read.
    #[error("{name} is not a regular file (a link is never followed)")]
    NotRegular {
        /// Its name.
        name: String,
    },
    /// The file opened is not the one listed: it was replaced in between.
    #[error("{name} was replaced between the listing and the read")]
    Swapped {
        /// Its name.
        name: String,
    },
    /// A folder holds more than [`MAX_LISTING`] entries: it is not listed (a
    /// present file could hide behind the limit). Answers are looked up by
    /// name and still found; face results cannot be, and are not guessed.
    #[error("{folder} holds more than {limit} entries: flooded")]
    Flooded {
        /// The folder.
        folder: PathBuf,
        /// The limit.
        limit: usize,
    },
    /// The answer does not parse as a result file.
    #[error("answer {name}: {source}")]
    Unreadable {
        /// Its name.
        name: String,
        /// Why.
        source: EligibilityError,
    },
    /// The answer is not the answer to this request (its echo differs).
    #[error("answer {name}: {source}")]
    NotForThisRequest {
        /// Its name.
        name: String,
        /// The element that differs.
        source: EchoMismatch,
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
            Self::NotRegular { .. } => "terminal.not_regular",
            Self::Swapped { .. } => "terminal.swapped",
            Self::Flooded { .. } => "terminal.flooded",
            Self::Unreadable { .. } => "terminal.unreadable",
            Self::NotForThisRequest { .. } => "terminal.not_for_this_request",
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

/// The folder the face results a counter claimed are moved into (hidden:
/// never listed).
const CLAIMED: &str = ".claimed";

/// Most names [`TerminalFolder::submit_new`] tries before giving up.
const SUBMIT_TRIES: u64 = 64;

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
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

    /// Writes `bytes` into `dir/name` without ever replacing a file: a hidden
    /// temporary of this writer's own (created exclusively, never through a
    /// link), flushed to disk, then linked to `name` — which fails with
    /// [`TerminalError::NameInUse`] when `name` exists.
    pub fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), TerminalError> {
        let token = fsops::unique_token().map_err(io("create", dir))?;
        let tmp = dir.join(format!(".{name}.{token}.tmp"));
        let path = dir.join(name);
        fsops::create_exclusive(&tmp, bytes).map_err(io("create", &tmp))?;
        match fsops::publish(&tmp, &path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(TerminalError::NameInUse(name.to_owned()))
            }
            Err(e) => Err(io("link", &path)(e)),
        }
    }

    /// Lists a folder's regular files (hidden files, links and folders
    /// skipped), with what identifies each. More than [`MAX_LISTING`] entries:
    /// [`TerminalError::Flooded`].
    fn list_ids(dir: &Path) -> Result<Vec<(Listed, FileId)>, TerminalError> {
        let mut out = Vec::new();
        for (seen, entry) in std::fs::read_dir(dir).map_err(io("list", dir))?.enumerate() {
            if seen >= MAX_LISTING {
                return Err(TerminalError::Flooded {
                    folder: dir.to_owned(),
                    limit: MAX_LISTING,
                });
            }
            let entry = entry.map_err(io("list", dir))?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            // Not followed: a link is listed as a link, and skipped.
            let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
                continue;
            };
            if meta.file_type().is_file() {
                out.push((
                    Listed {
                        name,
                        len: meta.len(),
                    },
                    FileId::of(&meta),
                ));
            }
        }
        Ok(out)
    }

    /// Lists a folder's regular files (hidden files, links and folders
    /// skipped). More than [`MAX_LISTING`] entries: [`TerminalError::Flooded`].
    pub fn list(dir: &Path) -> Result<Vec<Listed>, TerminalError> {
        Ok(Self::list_ids(dir)?.into_iter().map(|(l, _)| l).collect())
    }

    /// Writes a request into `req/` under its name. Refused with
    /// [`TerminalError::NameInUse`] when its request or one of its answers is
    /// still there, or when another writer publishes the same name first.
    pub fn submit(&self, name: &RequestName, bytes: &[u8]) -> Result<(), TerminalError> {
        let req = name.to_string();
        let answered = [AnswerKind::Xml, AnswerKind::Zip, AnswerKind::Pdf]
            .iter()
            .any(|k| std::fs::symlink_metadata(self.res.join(name.answer(*k))).is_ok());
        if answered {
            return Err(TerminalError::NameInUse(req));
        }
        Self::write_atomically(&self.req, &req, bytes)
    }

    /// Writes a request under a fresh name of the [`RequestName::for_station`]
    /// scheme (the serial from the clock, in tenths of a second), taking the
    /// next serial while a name is in use; returns the name.
    pub fn submit_new(
        &self,
        prefix: FilePrefix,
        station: Station,
        bytes: &[u8],
    ) -> Result<RequestName, TerminalError> {
        let tenths = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() / 100);
        let first = u64::try_from(tenths).unwrap_or(0);
        let mut last = None;
        for i in 0..SUBMIT_TRIES {
            let name = RequestName::for_station(prefix, station, first.wrapping_add(i));
            match self.submit(&name, bytes) {
                Ok(()) => return Ok(name),
                Err(e @ TerminalError::NameInUse(_)) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or(TerminalError::NameInUse(String::new())))
    }

    fn read(
        &self,
        path: PathBuf,
        kind: AnswerKind,
        id: Option<FileId>,
    ) -> Result<Received, TerminalError> {
        let name = file_name(&path);
        match fsops::read_listed(&path, id, self.max_answer).map_err(io("read", &path))? {
            Ok(bytes) => Ok(Received { path, kind, bytes }),
            Err(Refusal::TooLarge) => Err(TerminalError::TooLarge {
                name,
                limit: self.max_answer,
            }),
            Err(Refusal::NotRegular) => Err(TerminalError::NotRegular { name }),
            Err(Refusal::Swapped) => Err(TerminalError::Swapped { name }),
        }
    }

    /// The answers to `name` present in `res/`, looked up by name (never by
    /// listing: a flooded folder hides nothing).
    fn lookup_answers(&self, name: &RequestName) -> Vec<(Listed, FileId)> {
        [AnswerKind::Xml, AnswerKind::Zip, AnswerKind::Pdf]
            .into_iter()
            .filter_map(|k| {
                let file = name.answer(k);
                let meta = std::fs::symlink_metadata(self.res.join(&file)).ok()?;
                meta.file_type().is_file().then(|| {
                    (
                        Listed {
                            name: file,
                            len: meta.len(),
                        },
                        FileId::of(&meta),
                    )
                })
            })
            .collect()
    }

    /// Waits for the answer to `name` in `res/` and reads it (at most
    /// [`TerminalFolder::max_answer`] bytes, through the handle opened without
    /// following links, which must be the file looked up). On timeout a
    /// flooded `res/` is reported as [`TerminalError::Flooded`].
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
            let found = self.lookup_answers(name);
            let listing: Vec<Listed> = found.iter().map(|(l, _)| l.clone()).collect();
            match wait.on_listing(&listing, ms(start.elapsed())) {
                WaitState::Ready { name, kind } => {
                    let id = found.iter().find(|(l, _)| l.name == name).map(|(_, i)| *i);
                    return self.read(self.res.join(name), kind, id);
                }
                WaitState::TimedOut => {
                    Self::list_ids(&self.res)?;
                    return Err(TerminalError::TimedOut(timeout));
                }
                WaitState::Cancelled => return Err(TerminalError::Cancelled),
                WaitState::Pending => std::thread::sleep(self.poll),
            }
        }
    }

    /// [`TerminalFolder::wait_answer`] for a 資格確認 `request`, parsed and
    /// checked against the request's echo ([`ResultFile::check_answers`]): an
    /// answer for any other request is refused with
    /// [`TerminalError::NotForThisRequest`] (and left in place).
    pub fn wait_result(
        &self,
        name: &RequestName,
        request: &EligibilityRequest,
        timeout: Duration,
        cancel: &Cancel,
    ) -> Result<(Received, ResultFile), TerminalError> {
        let got = self.wait_answer(name, timeout, cancel)?;
        let file = parse_result(&got.bytes).map_err(|source| TerminalError::Unreadable {
            name: file_name(&got.path),
            source,
        })?;
        file.check_answers(request)
            .map_err(|source| TerminalError::NotForThisRequest {
                name: file_name(&got.path),
                source,
            })?;
        Ok((got, file))
    }

    /// Claims the face file `file` (listed as `id`) for this caller: moved into
    /// `face/.claimed/` under a name of its own, so no other counter can take
    /// it. `None` when another counter was first.
    fn claim_face(&self, file: &str, id: FileId) -> Result<Option<Received>, TerminalError> {
        let dir = self.face.join(CLAIMED);
        fsops::own_dir(&dir).map_err(io("create", &dir))?;
        let token = fsops::unique_token().map_err(io("claim", &dir))?;
        let claimed = dir.join(format!("{token}_{file}"));
        let from = self.face.join(file);
        if !fsops::claim(&from, &claimed).map_err(io("claim", &from))? {
            return Ok(None);
        }
        // A rename keeps the file's identity: it must still be the one listed.
        self.read(claimed, AnswerKind::Xml, Some(id)).map(Some)
    }

    /// Puts a claimed face file that is not this counter's back (never over a
    /// file of that name).
    fn release_face(&self, claimed: &Path, file: &str) {
        let _ = fsops::publish(claimed, &self.face.join(file));
    }

    /// Waits for a face result that fits `wanted`, with `watch` remembering
    /// what was already looked at. A file whose name fits is **claimed**
    /// (moved into `face/.claimed/`: of several counters exactly one gets it),
    /// read (bounded, never through a link), parsed and matched on every
    /// field it carries ([`FaceMatch::matches_result`]); one that does not fit
    /// is put back for the others. The returned [`Received`] is the claimed
    /// file; [`TerminalFolder::consume`] deletes it. A flooded face folder is
    /// [`TerminalError::Flooded`].
    pub fn wait_face(
        &self,
        watch: &mut FaceWatch,
        wanted: &FaceMatch,
        timeout: Duration,
        cancel: &Cancel,
    ) -> Result<(FaceFileName, Received, ResultFile), TerminalError> {
        let start = Instant::now();
        loop {
            if cancel.is_cancelled() {
                return Err(TerminalError::Cancelled);
            }
            let listed = Self::list_ids(&self.face)?;
            let listing: Vec<Listed> = listed.iter().map(|(l, _)| l.clone()).collect();
            for name in watch.on_listing(&listing, Some(wanted)) {
                let file = name.to_string();
                let Some(id) = listed.iter().find(|(l, _)| l.name == file).map(|(_, i)| *i) else {
                    continue;
                };
                let got = match self.claim_face(&file, id) {
                    Ok(Some(got)) => got,
                    // Held by another counter: look again if it is put back.
                    Ok(None) => {
                        watch.forget(&name);
                        continue;
                    }
                    // Hostile (a link, a swapped file): never read, left in
                    // `.claimed/` for the administrator.
                    Err(TerminalError::NotRegular { .. } | TerminalError::Swapped { .. }) => {
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                match parse_result(&got.bytes) {
                    Ok(parsed) if wanted.matches_result(&parsed) => return Ok((name, got, parsed)),
                    _ => self.release_face(&got.path, &file),
                }
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
            if std::fs::symlink_metadata(&req).is_ok() {
                std::fs::remove_file(&req).map_err(io("remove", &req))?;
            }
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
crate::error_report::serialize_coded!(TerminalError);
