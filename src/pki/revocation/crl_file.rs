//! Reading a CRL from a file: one error for "could not read" and "not a valid
//! CRL", so [`super::CrlIndex::from_file`] returns a single `Result`.

use core::fmt;

use crate::pki::PkiError;

/// Why [`super::CrlIndex::from_file`] failed. Names the failing step, never the
/// path or the file's content.
#[derive(Debug)]
#[non_exhaustive]
pub enum CrlFileError {
    /// The file could not be read (missing, permissions, I/O).
    Read(std::io::Error),
    /// The bytes are not a CRL the store accepts.
    Crl(PkiError),
}

impl CrlFileError {
    /// A stable code: `pki.crl_file.read`, or the CRL's own `pki.*` code.
    ///
    /// ```
    /// use mynacard::pki::{CrlIndex, CrlLimits, TrustStore};
    /// let store = TrustStore::jlis().unwrap();
    /// let e = CrlIndex::from_file("/nonexistent.crl", &store, CrlLimits::default()).unwrap_err();
    /// assert_eq!(e.code(), "pki.crl_file.read");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::Read(_) => "pki.crl_file.read",
            Self::Crl(e) => e.code(),
        }
    }
}

impl fmt::Display for CrlFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read(e) => write!(f, "CRL file could not be read ({})", e.kind()),
            Self::Crl(e) => write!(f, "CRL file: {e}"),
        }
    }
}

impl std::error::Error for CrlFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Read(e) => Some(e),
            Self::Crl(e) => Some(e),
        }
    }
}

impl From<PkiError> for CrlFileError {
    fn from(e: PkiError) -> Self {
        Self::Crl(e)
    }
}

/// `{"code": …, "message": …}` (feature `serde`).
#[cfg(feature = "serde")]
impl serde::Serialize for CrlFileError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("CrlFileError", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}
