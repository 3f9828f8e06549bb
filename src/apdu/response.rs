//! Response APDUs.

use super::StatusWord;
use alloc::vec::Vec;
use core::fmt;
use zeroize::Zeroizing;

/// Why response bytes are not a response APDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// Fewer than the two status-word bytes.
    #[error("response of {0} byte(s) is shorter than a status word")]
    TooShort(usize),
}

/// A response APDU: data field and status word.
///
/// The data field may be personal (certificates, the basic 4 attributes, the
/// card-face record): it is held in zeroizing storage, wiped when the response is
/// dropped, and `Debug` shows only its length.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    data: Zeroizing<Vec<u8>>,
    sw: StatusWord,
}

impl Response {
    /// Builds a response from its parts.
    pub fn new(data: impl Into<Zeroizing<Vec<u8>>>, sw: StatusWord) -> Self {
        Self {
            data: data.into(),
            sw,
        }
    }

    /// Parses response bytes (data followed by SW1 SW2).
    pub fn parse(bytes: &[u8]) -> Result<Self, ResponseError> {
        Self::from_vec(bytes.to_vec())
    }

    /// Parses response bytes, reusing the vector for the data field.
    pub fn from_vec(mut bytes: Vec<u8>) -> Result<Self, ResponseError> {
        let n = bytes.len();
        if n < 2 {
            return Err(ResponseError::TooShort(n));
        }
        let sw = StatusWord::new(bytes[n - 2], bytes[n - 1]);
        bytes.truncate(n - 2);
        Ok(Self {
            data: Zeroizing::new(bytes),
            sw,
        })
    }

    /// The data field.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Takes the data field. The caller becomes responsible for wiping it; see
    /// [`Response::into_zeroizing`] for personal data.
    pub fn into_data(mut self) -> Vec<u8> {
        core::mem::take(&mut *self.data)
    }

    /// Takes the data field in zeroizing storage (no copy).
    pub fn into_zeroizing(mut self) -> Zeroizing<Vec<u8>> {
        core::mem::take(&mut self.data)
    }

    /// The status word.
    pub fn status(&self) -> StatusWord {
        self.sw
    }

    /// Encodes back to bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.data.len() + 2);
        v.extend_from_slice(&self.data);
        v.extend_from_slice(&self.sw.to_bytes());
        v
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Response data may be personal (certificates, 4 attributes): show only its size.
        f.debug_struct("Response")
            .field("data_len", &self.data.len())
            .field("sw", &self.sw)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_data_and_status() {
        let r = Response::parse(&[1, 2, 3, 0x90, 0x00]).unwrap();
        assert_eq!(r.data(), &[1, 2, 3]);
        assert_eq!(r.status(), StatusWord::Ok);
        assert_eq!(r.to_bytes(), vec![1, 2, 3, 0x90, 0x00]);
        let r = Response::parse(&[0x63, 0xC1]).unwrap();
        assert_eq!(r.data(), &[] as &[u8]);
        assert_eq!(r.status(), StatusWord::RemainingTries(1));
    }

    #[test]
    fn too_short() {
        assert_eq!(Response::parse(&[]), Err(ResponseError::TooShort(0)));
        assert_eq!(Response::parse(&[0x90]), Err(ResponseError::TooShort(1)));
    }

    #[test]
    fn debug_hides_data() {
        let r = Response::parse(&[0x41, 0x42, 0x90, 0x00]).unwrap();
        let s = format!("{r:?}");
        assert!(s.contains("data_len: 2"), "{s}");
        assert!(!s.contains("65"), "{s}");
    }
}
