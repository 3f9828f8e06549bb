//! The exchange's state, with no I/O: folder listings and the time go in,
//! "read this file now" comes out.
//!
//! A file is read only once two successive listings show it with the same,
//! non-zero length (the terminal may still be writing it, 1 src: RAGENT's
//! rule), and the driver never deletes a file the hospital system has not
//! consumed.

use super::names::{AnswerKind, RequestName};
use crate::eligibility::{FaceFileName, FaceMatch};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use std::collections::{HashMap, HashSet};

/// Most entries of one listing looked at (a folder flooded with files costs
/// bounded memory).
pub const MAX_LISTING: usize = 10_000;

/// One file of a folder listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// File name (no directory).
    pub name: String,
    /// Length in bytes.
    pub len: u64,
}

/// Which files have settled (same non-zero length in two successive listings).
#[derive(Debug, Default, Clone)]
pub struct Settle {
    last: HashMap<String, u64>,
}

impl Settle {
    /// Feeds one listing; returns the names that are settled now.
    pub fn observe<'a>(&mut self, listing: &'a [Listed]) -> Vec<&'a str> {
        let mut next = HashMap::with_capacity(listing.len().min(MAX_LISTING));
        let mut settled = Vec::new();
        for f in listing.iter().take(MAX_LISTING) {
            if f.len > 0 && self.last.get(&f.name) == Some(&f.len) {
                settled.push(f.name.as_str());
            }
            next.insert(f.name.clone(), f.len);
        }
        self.last = next;
        settled
    }
}

/// What waiting for an answer gives after a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitState {
    /// Not there (or still being written).
    Pending,
    /// This file answers the request and may be read.
    Ready {
        /// Its name in `res/`.
        name: String,
        /// `.xml`, `.zip` or `.pdf`.
        kind: AnswerKind,
    },
    /// The deadline passed.
    TimedOut,
    /// The caller cancelled.
    Cancelled,
}

/// Waiting for the answer to one request.
#[derive(Debug, Clone)]
pub struct AnswerWait {
    request: RequestName,
    deadline_ms: u64,
    settle: Settle,
    cancelled: bool,
}

impl AnswerWait {
    /// Waits for `request`'s answer until `deadline_ms` (the caller's clock).
    pub fn new(request: RequestName, deadline_ms: u64) -> Self {
        Self {
            request,
            deadline_ms,
            settle: Settle::default(),
            cancelled: false,
        }
    }

    /// Stops waiting.
    pub fn cancel(&mut self) {
        self.cancelled = true;
    }

    /// Feeds a listing of `res/` taken at `now_ms`.
    pub fn on_listing(&mut self, listing: &[Listed], now_ms: u64) -> WaitState {
        if self.cancelled {
            return WaitState::Cancelled;
        }
        let ours: Vec<Listed> = listing
            .iter()
            .take(MAX_LISTING)
            .filter(|f| self.request.answered_by(&f.name).is_some())
            .cloned()
            .collect();
        if let Some(name) = self.settle.observe(&ours).first()
            && let Some(kind) = self.request.answered_by(name)
        {
            return WaitState::Ready {
                name: (*name).to_owned(),
                kind,
            };
        }
        if now_ms >= self.deadline_ms {
            return WaitState::TimedOut;
        }
        WaitState::Pending
    }
}

/// Watching the face folder for unsolicited `OQSsiquc01res_face_…` files.
#[derive(Debug, Default, Clone)]
pub struct FaceWatch {
    settle: Settle,
    reported: HashSet<String>,
}

impl FaceWatch {
    /// A watch that reports every face file once.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds a listing; returns the settled face files not reported before
    /// that fit `wanted` (every one when `None`), oldest first.
    pub fn on_listing(
        &mut self,
        listing: &[Listed],
        wanted: Option<&FaceMatch>,
    ) -> Vec<FaceFileName> {
        let faces: Vec<Listed> = listing
            .iter()
            .take(MAX_LISTING)
            .filter(|f| f.name.starts_with(FaceFileName::PREFIX))
            .cloned()
            .collect();
        let mut out: Vec<FaceFileName> = self
            .settle
            .observe(&faces)
            .into_iter()
            .filter(|n| !self.reported.contains(*n))
            .filter_map(|n| FaceFileName::parse(n).ok())
            .filter(|n| wanted.is_none_or(|m| m.matches_name(n)))
            .collect();
        out.sort_by_key(|n| n.written_at);
        for n in &out {
            self.reported.insert(n.to_string());
        }
        out
    }

    /// Reports `name` again when it is listed next (e.g. another counter held
    /// it and put it back).
    pub fn forget(&mut self, name: &FaceFileName) {
        self.reported.remove(&name.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::names::FilePrefix;
    use alloc::borrow::ToOwned;

    fn l(name: &str, len: u64) -> Listed {
        Listed {
            name: name.to_owned(),
            len,
        }
    }

    #[test]
    fn an_answer_is_read_only_once_it_has_settled() {
        let r = RequestName::new(FilePrefix::Qualification, "000000000001").unwrap();
        let mut w = AnswerWait::new(r, 1000);
        let name = "OQSsiquc01res_000000000001.xml";
        assert_eq!(w.on_listing(&[], 0), WaitState::Pending);
        assert_eq!(w.on_listing(&[l(name, 0)], 10), WaitState::Pending);
        assert_eq!(w.on_listing(&[l(name, 100)], 20), WaitState::Pending);
        assert_eq!(w.on_listing(&[l(name, 250)], 30), WaitState::Pending);
        assert_eq!(
            w.on_listing(
                &[l("OQSsiquc01res_000000000002.xml", 250), l(name, 250)],
                40
            ),
            WaitState::Ready {
                name: name.to_owned(),
                kind: AnswerKind::Xml
            }
        );
        let mut late = AnswerWait::new(
            RequestName::new(FilePrefix::Qualification, "000000000009").unwrap(),
            100,
        );
        assert_eq!(late.on_listing(&[], 100), WaitState::TimedOut);
        late.cancel();
        assert_eq!(late.on_listing(&[], 0), WaitState::Cancelled);
    }

    #[test]
    fn face_files_are_reported_once_when_settled() {
        let mut w = FaceWatch::new();
        let a = "OQSsiquc01res_face_1310012345ab_20260115093005.xml";
        assert!(w.on_listing(&[l(a, 10)], None).is_empty());
        let got = w.on_listing(&[l(a, 10), l("other.txt", 3)], None);
        assert_eq!(got.len(), 1);
        assert!(w.on_listing(&[l(a, 10)], None).is_empty());
    }
}
