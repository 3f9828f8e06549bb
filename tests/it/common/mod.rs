//! What several test modules share: the TEST PKI's committed files and stores ([`pki`]), the
//! reception flows' PKI check ([`reception`]) and the generator of the TEST PKI itself
//! ([`gen_test_pki`]).

pub mod gen_test_pki;
pub mod pki;
pub mod reception;
