//! Entry points for fuzzing the parsers that verified inputs reach only after a signature
//! check (which a fuzzer cannot pass). Not part of the stable API: never use them to decide
//! anything about a CRL or an OCSP response.

use super::{CrlLimits, crl, ocsp};
use crate::pki::PkiError;

/// Parses a CRL's header and entries **without** checking its signature; returns the number
/// of entries.
pub fn parse_crl_unverified(der: &[u8], limits: CrlLimits) -> Result<usize, PkiError> {
    crl::parse_unverified(der, limits)
}

/// Parses an OCSP response down to its single responses **without** checking anything;
/// returns how many answers it holds.
pub fn parse_ocsp_response_unverified(der: &[u8]) -> Result<usize, PkiError> {
    ocsp::parse_unverified(der)
}
