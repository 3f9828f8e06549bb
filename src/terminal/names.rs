//! File names of the req/res exchange (sans-IO): `<prefix>req_<suffix>.xml`
//! is answered by `<prefix>res_<suffix>.xml` (`.zip` for bulk results, `.pdf`
//! for PDF views).

use crate::eligibility::FileNameError;
use alloc::borrow::ToOwned;
use alloc::string::String;
use core::fmt;

/// The interface a file belongs to (the name's prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FilePrefix {
    /// `OQSsiquc01`: 資格確認 of one patient (confirmed).
    Qualification,
    /// `OQSmuquc01`: 一括照会 upload (confirmed).
    BulkUpload,
    /// `OQSmuquc02`: 一括照会 download (confirmed).
    BulkDownload,
    /// `YZKsiquc01`: 薬剤情報 (+ 診療情報) view (1 src).
    Medication,
    /// `TKKsiquc01`: 特定健診情報 view (1 src).
    HealthCheckup,
}

impl FilePrefix {
    /// Every prefix.
    pub const ALL: [FilePrefix; 5] = [
        Self::Qualification,
        Self::BulkUpload,
        Self::BulkDownload,
        Self::Medication,
        Self::HealthCheckup,
    ];

    /// The prefix as written in names.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Qualification => "OQSsiquc01",
            Self::BulkUpload => "OQSmuquc01",
            Self::BulkDownload => "OQSmuquc02",
            Self::Medication => "YZKsiquc01",
            Self::HealthCheckup => "TKKsiquc01",
        }
    }
}

/// What kind of file an answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnswerKind {
    /// `.xml`.
    Xml,
    /// `.zip` (bulk results).
    Zip,
    /// `.pdf` (PDF views).
    Pdf,
}

impl AnswerKind {
    fn extension(self) -> &'static str {
        match self {
            Self::Xml => ".xml",
            Self::Zip => ".zip",
            Self::Pdf => ".pdf",
        }
    }
}

/// A request's name: prefix + suffix (the client's unique id for it; real
/// clients use 12 alphanumeric characters). The fields are private: every
/// name was validated (1–64 ASCII letters, digits or `_`), so it never
/// leaves the folder it is written into.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestName {
    prefix: FilePrefix,
    suffix: String,
}

/// A workstation's number within one facility, `00`–`99`: assigned once per
/// workstation (hospital system, reception PC…) by whoever sets up the
/// terminal's shared folders, never shared by two machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Station(u8);

impl Station {
    /// Station `n` (0–99).
    pub fn new(n: u8) -> Option<Self> {
        (n < 100).then_some(Self(n))
    }

    /// Its number.
    pub fn number(self) -> u8 {
        self.0
    }
}

const MAX_SUFFIX: usize = 64;

fn valid_suffix(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SUFFIX
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl RequestName {
    /// A name; the suffix must be 1–64 ASCII letters, digits or `_`.
    pub fn new(prefix: FilePrefix, suffix: &str) -> Result<Self, FileNameError> {
        if !valid_suffix(suffix) {
            return Err(FileNameError::Part {
                part: "suffix",
                position: prefix.as_str().len() + 5,
            });
        }
        Ok(Self {
            prefix,
            suffix: suffix.to_owned(),
        })
    }

    /// A 12-digit suffix from a counter (`stamp` mod 10¹²). Only for a single
    /// writer: two workstations counting alike collide (see
    /// [`RequestName::for_station`] for a scheme that cannot).
    pub fn numbered(prefix: FilePrefix, stamp: u64) -> Self {
        Self {
            prefix,
            suffix: format!("{:012}", stamp % 1_000_000_000_000),
        }
    }

    /// The request-id scheme of this crate: 12 digits, the [`Station`]'s two
    /// then `serial` mod 10¹⁰. Two workstations never produce the same name
    /// (their station digits differ); two writers on one workstation that
    /// pick the same serial are told apart by the exclusive publish of
    /// [`TerminalFolder::submit`](super::TerminalFolder::submit) (the second
    /// gets `NameInUse` and takes the next serial, as
    /// [`TerminalFolder::submit_new`](super::TerminalFolder::submit_new) does).
    pub fn for_station(prefix: FilePrefix, station: Station, serial: u64) -> Self {
        Self {
            prefix,
            suffix: format!("{:02}{:010}", station.0, serial % 10_000_000_000),
        }
    }

    /// The interface.
    pub fn prefix(&self) -> FilePrefix {
        self.prefix
    }

    /// The unique part (also a good `ArbitraryFileIdentifier` for the request:
    /// the terminal echoes it).
    pub fn suffix(&self) -> &str {
        &self.suffix
    }

    /// Parses `<prefix>req_<suffix>.xml`.
    pub fn parse(name: &str) -> Result<Self, FileNameError> {
        let (prefix, rest) = split(name, "req_")?;
        let suffix = rest
            .strip_suffix(".xml")
            .ok_or(FileNameError::Extension { expected: ".xml" })?;
        Self::new(prefix, suffix)
    }

    /// The name of one possible answer.
    pub fn answer(&self, kind: AnswerKind) -> String {
        format!(
            "{}res_{}{}",
            self.prefix.as_str(),
            self.suffix,
            kind.extension()
        )
    }

    /// Which answer `name` is, if it answers this request.
    pub fn answered_by(&self, name: &str) -> Option<AnswerKind> {
        [AnswerKind::Xml, AnswerKind::Zip, AnswerKind::Pdf]
            .into_iter()
            .find(|k| self.answer(*k) == name)
    }
}

impl fmt::Display for RequestName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}req_{}.xml", self.prefix.as_str(), self.suffix)
    }
}

fn split<'a>(name: &'a str, infix: &str) -> Result<(FilePrefix, &'a str), FileNameError> {
    for p in FilePrefix::ALL {
        if let Some(rest) = name
            .strip_prefix(p.as_str())
            .and_then(|r| r.strip_prefix(infix))
        {
            return Ok((p, rest));
        }
    }
    Err(FileNameError::Prefix {
        expected: "OQSsiquc01 / OQSmuquc01 / OQSmuquc02 / YZKsiquc01 / TKKsiquc01",
    })
}

/// The request an answer file answers, and its kind.
pub fn parse_answer(name: &str) -> Result<(RequestName, AnswerKind), FileNameError> {
    let (prefix, rest) = split(name, "res_")?;
    for kind in [AnswerKind::Xml, AnswerKind::Zip, AnswerKind::Pdf] {
        if let Some(suffix) = rest.strip_suffix(kind.extension()) {
            return Ok((RequestName::new(prefix, suffix)?, kind));
        }
    }
    Err(FileNameError::Extension {
        expected: ".xml, .zip or .pdf",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn request_and_answer_names() {
        let r = RequestName::numbered(FilePrefix::Qualification, 42);
        assert_eq!(r.to_string(), "OQSsiquc01req_000000000042.xml");
        let r = RequestName::new(FilePrefix::Qualification, "260115090001").unwrap();
        assert_eq!(r.to_string(), "OQSsiquc01req_260115090001.xml");
        assert_eq!(RequestName::parse(&r.to_string()).unwrap(), r);
        assert_eq!(r.answer(AnswerKind::Xml), "OQSsiquc01res_260115090001.xml");
        assert_eq!(
            r.answered_by("OQSsiquc01res_260115090001.xml"),
            Some(AnswerKind::Xml)
        );
        assert_eq!(r.answered_by("OQSsiquc01res_260115090002.xml"), None);
        let bulk = RequestName::new(FilePrefix::BulkDownload, "000000000007").unwrap();
        assert_eq!(
            parse_answer("OQSmuquc02res_000000000007.zip").unwrap(),
            (bulk, AnswerKind::Zip)
        );
        assert!(RequestName::parse("OQSsiquc01req_../x.xml").is_err());
        assert!(RequestName::parse("XYZreq_1.xml").is_err());
        assert!(parse_answer("OQSsiquc01res_1.txt").is_err());
        let s = RequestName::for_station(FilePrefix::Qualification, Station::new(7).unwrap(), 42);
        assert_eq!(s.to_string(), "OQSsiquc01req_070000000042.xml");
        assert!(Station::new(100).is_none());
    }
}
