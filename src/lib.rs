#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![doc = include_str!("../README.md")]

pub mod apdu;
pub mod error;
pub mod exchange;
pub mod my_number;
pub mod pki;
pub mod tlv;
pub mod transport;

pub use error::Error;
pub use my_number::MyNumber;
