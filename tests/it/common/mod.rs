//! What several test modules share: the generator of the TEST PKI ([`gen_test_pki`]).

pub mod gen_test_pki;
