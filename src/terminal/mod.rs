//! The 資格確認端末's folder exchange (feature `terminal-files`): the hospital
//! system writes a request into the shared `req/` folder, the terminal answers
//! in `res/` under the same name with `req_` → `res_`; after a card or phone
//! is verified at the reader the terminal writes a face result
//! (`OQSsiquc01res_face_…`) on its own.
//!
//! - [`RequestName`], [`AnswerKind`]: the file names (sans-IO);
//! - [`AnswerWait`], [`FaceWatch`]: the exchange's state, folder listings and time in (sans-IO):
//!   a file is read only once it has settled, nothing is deleted unconsumed;
//! - [`TerminalFolder`]: the std::fs driver — atomic writes (temporary name +
//!   rename), waiting with a timeout and cancellation, face-folder watching;
//! - [`VirtualTerminal`]: a TEST terminal in a thread, for tests and demos.
//!
//! ```
//! use mynacard::eligibility::*;
//! use mynacard::terminal::{Cancel, FilePrefix, RequestName, TerminalFolder, VirtualTerminal};
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
//! let request = EligibilityRequest::by_identifiers(facility, search);
//! let name = RequestName::numbered(FilePrefix::Qualification, 1);
//! folder.submit(&name, &request.to_xml(XmlEncoding::Utf8)?)?;
//! let answer = folder.wait_answer(&name, Duration::from_secs(10), &Cancel::new())?;
//! let result = parse_result(&answer.bytes)?;
//! let record = &result.body.as_ref().unwrap().results[0];
//! assert_eq!(record.summary().to_string(),
//!     "氏名 試験　一郎 / 保険者番号 01130012 / 記号・番号・枝番 1234・0401・00 / 負担割合 3割 / 有効期限 - / 限度額区分 A03 ウ");
//! folder.consume(&answer)?;
//! drop(terminal);
//! std::fs::remove_dir_all(&dir)?;
//! # Ok(()) }
//! ```

mod folder;
pub(crate) mod names;
mod virtual_terminal;
pub(crate) mod watch;

pub use folder::{Cancel, Received, TerminalError, TerminalFolder};
pub use names::{AnswerKind, FilePrefix, RequestName};
pub use virtual_terminal::{Clock, VirtualTerminal, answer_qualification, test_patient_record};
pub use watch::{AnswerWait, FaceWatch, Listed, MAX_LISTING, Settle, WaitState};
