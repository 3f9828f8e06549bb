//! JPKI (公的個人認証サービス) certificates: profile, trust anchors, path validation, revocation
//! and signature verification.

pub mod test_pki;
mod time;

pub use time::UnixTime;
