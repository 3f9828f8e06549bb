//! The 資格確認端末's folder exchange (feature `terminal-files`): the hospital
//! system writes a request into the shared `req/` folder, the terminal answers
//! in `res/` under the same name with `req_` → `res_`; after a card or phone
//! is verified at the reader the terminal writes a face result
//! (`OQSsiquc01res_face_…`) on its own.
//!
//! - [`RequestName`], [`Station`], [`AnswerKind`]: the file names (sans-IO);
//! - [`AnswerWait`], [`FaceWatch`]: the exchange's state, folder listings and time in (sans-IO):
//!   a file is read only once it has settled, nothing is deleted unconsumed;
//! - [`TerminalFolder`]: the std::fs driver — exclusive writes, waiting with a timeout and
//!   cancellation, answers checked against their request, face results claimed;
//! - [`VirtualTerminal`]: a TEST terminal in a thread, for tests and demos.
//!
//! # What the exchange guarantees on a hostile share
//!
//! The folders are a share other machines write: every entry is treated as
//! hostile.
//!
//! - **Writing a request never replaces anything.** The bytes go to a hidden
//!   temporary of this writer's own (`.<name>.<pid>_<random>.tmp`, created
//!   exclusively: a file or link planted under any name is never opened or
//!   truncated), flushed to disk, then published by a hard link, which fails
//!   when the name exists. Of two writers of one name, exactly one is told
//!   `Ok` and finds its own bytes; the other gets
//!   [`TerminalError::NameInUse`]. A share without hard links makes `submit`
//!   fail ([`TerminalError::Io`], operation `link`) rather than risk a
//!   replacing rename.
//! - **Names that cannot collide.** [`RequestName`]'s fields are private
//!   (every name was validated: it stays in its folder).
//!   [`RequestName::for_station`] is 12 digits, a per-workstation
//!   [`Station`] number then a serial: two workstations never produce one
//!   name; two writers on one workstation are separated by the exclusive
//!   publish ([`TerminalFolder::submit_new`] takes the next serial).
//! - **Reads are bounded and never follow a link.** A file is opened with
//!   `O_NOFOLLOW | O_NONBLOCK` (Unix) or `FILE_FLAG_OPEN_REPARSE_POINT`
//!   (Windows), must be a regular file, and on Unix must be the (device,
//!   inode) that was listed ([`TerminalError::NotRegular`],
//!   [`TerminalError::Swapped`]); at most [`TerminalFolder::max_answer`]
//!   bytes are read through that handle, whatever the listing said
//!   ([`TerminalError::TooLarge`]). On Windows std exposes no stable file
//!   index: the check there is "opened without following, a regular file".
//! - **A flooded folder hides nothing silently.** Answers are looked up by
//!   their expected names (three per poll), never found by listing `res/`;
//!   a listing stops at [`MAX_LISTING`] entries and reports
//!   [`TerminalError::Flooded`] (from `list`, `wait_face`, and from
//!   `wait_answer` when it times out over a flooded `res/`).
//! - **An answer is checked against its request.**
//!   [`TerminalFolder::wait_result`] refuses an answer whose echo (医療機関コード,
//!   `ArbitraryFileIdentifier`, 資格確認日, search keys) differs
//!   ([`TerminalError::NotForThisRequest`]); give each request a unique
//!   `ArbitraryFileIdentifier` (its [`RequestName::suffix`]).
//! - **One face result, one counter.** [`TerminalFolder::wait_face`] claims a
//!   face file by renaming it into `face/.claimed/` under a name of its own:
//!   of any number of counters exactly one rename succeeds, the others see it
//!   gone. The claimed file is then matched on every field it carries
//!   ([`FaceMatch`](crate::eligibility::FaceMatch): facility, method, time,
//!   照会番号) and put back (never over a file) when it is not this counter's.
//!
//! Bounds: a listing ≤ [`MAX_LISTING`] entries; an answer ≤ `max_answer`
//! bytes in memory; three lookups per poll while waiting for an answer;
//! [`FaceWatch`] remembers the names it reported (one per face file seen).
//!
//! ```
//! use mynacard::eligibility::*;
//! use mynacard::terminal::{Cancel, FilePrefix, RequestName, Station, TerminalFolder, VirtualTerminal};
//! use std::time::Duration;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::env::temp_dir().join(format!("mynacard-doc-{}", std::process::id()));
//! let folder = TerminalFolder::at(&dir)?;
//! let facility = MedicalInstitutionCode::parse("1310012345")?;
//! let clock = || DateTime::parse_compact("20260115093000").unwrap();
//! let terminal = VirtualTerminal::start(folder.clone(), facility.clone(), clock);
//! let mut search = SearchInfo::new(
//!     InsurerNumber::parse("01130012")?,
//!     PersonalText::new("0401"),
//!     BirthDate::parse_yyyymmdd("19900401")?,
//! );
//! search.limit_application_consent = true;
//! let mut request = EligibilityRequest::by_identifiers(facility, search);
//! let name = RequestName::for_station(FilePrefix::Qualification, Station::new(1).unwrap(), 1);
//! request.arbitrary_file_identifier = Some(name.suffix().to_owned());
//! folder.submit(&name, &request.to_xml(XmlEncoding::Utf8)?)?;
//! let (answer, result) =
//!     folder.wait_result(&name, &request, Duration::from_secs(10), &Cancel::new())?;
//! let record = &result.body.as_ref().unwrap().results[0];
//! assert_eq!(record.summary().to_string(),
//!     "氏名 試験　一郎 / 保険者番号 01130012 / 記号・番号・枝番 1234・0401・00 / 負担割合 3割 / 有効期限 - / 限度額区分 A03 ウ");
//! folder.consume(&answer)?;
//! drop(terminal);
//! std::fs::remove_dir_all(&dir)?;
//! # Ok(()) }
//! ```

mod folder;
mod fsops;
pub(crate) mod names;
mod virtual_terminal;
pub(crate) mod watch;

pub use folder::{Cancel, Received, TerminalError, TerminalFolder};
pub use names::{AnswerKind, FilePrefix, RequestName, Station};
pub use virtual_terminal::{Clock, VirtualTerminal, answer_qualification, test_patient_record};
pub use watch::{AnswerWait, FaceWatch, Listed, MAX_LISTING, Settle, WaitState};
