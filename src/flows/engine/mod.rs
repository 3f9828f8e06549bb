//! The one engine under every card conversation — the reception flows of
//! [`crate::flows`] and the employer intake of [`crate::employer`] (and the
//! conversations still to come) — each a state machine over:
//!
//! - one step vocabulary ([`step`]): the machine is fed an `In` and asks for an `Out`
//!   (a command, a whole file, or one of its own public events);
//! - one link adaptor ([`link`]): the logical operations become raw command APDUs
//!   (GET RESPONSE, re-issue, chunked reads, the power-up `6F00` resend) and the
//!   caller's [`crate::flows::Input`] goes in;
//! - one PIN / lockout stage ([`pin`]);
//! - one VERIFY→sign tail ([`key`]);
//!
//! and driven by one blocking driver ([`crate::runner`], whose byte transmission
//! the intake's `run_intake` shares). Each conversation keeps only what is its own:
//! its states (one per step, each carrying what it knows, as rustls's handshake),
//! its guidance, its verification, its errors.

pub(crate) mod key;
pub(crate) mod link;
pub(crate) mod pin;
pub(crate) mod step;
