//! Ending a card session: a real logout after a flow that verified a PIN.
//!
//! What clears a My Number Card's verified PINs, as measured on real cards
//! (soltia48/myna-card `src/transport/pcsc.rs` and `src/sm.rs`; card-apdu.md §1,
//! single source):
//!
//! - **removing power** (PC/SC `SCARD_UNPOWER_CARD`, the card leaving the field) clears
//!   everything — the only certain logout;
//! - **selecting another application** clears the security status of the one that was
//!   selected;
//! - a **warm reset** (`SCARD_RESET_CARD`) and a **reconnect** clear **nothing**: on a
//!   shared reader, a signing key unlocked before them stays usable by the next process.
//!
//! [`logout`] therefore powers the card off where the link can
//! ([`Transport::power_cycle`]), and otherwise selects the GlobalPlatform Issuer
//! Security Domain (`A0 00 00 01 51 00 00`, which makes no application current and
//! restores the card's power-on state). It says which it did: a phone token has no
//! Issuer Security Domain and no power control over NFC, and then the session ends
//! only when the phone leaves the field ([`Logout::Unconfirmed`]).
//!
//! The first command after power-up may be answered `6F00` (measured); [`logout`]
//! absorbs it with one retry so that the next operation starts clean.
//!
//! ```
//! # #[cfg(feature = "virtual-card")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use mynacard::session::{Logout, logout};
//! use mynacard::transport::Transport;
//! use mynacard::virtual_card::VirtualCard;
//!
//! let mut card = VirtualCard::test_holder("yamada")?;
//! card.transmit(&[0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01])?;
//! card.transmit(&[0x00, 0x20, 0x00, 0x98, 0x04, b'1', b'2', b'3', b'4'])?; // auth PIN verified
//! assert_eq!(logout(&mut card)?, Logout::PowerCycled);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "virtual-card"))]
//! # fn main() {}
//! ```

use crate::exchange::PowerUp;
use crate::transport::{Transport, TransportError};

/// SELECT of the GlobalPlatform Issuer Security Domain by its default AID, no FCI.
pub const SELECT_ISSUER_SECURITY_DOMAIN: [u8; 12] = [
    0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00,
];

/// How [`logout`] ended the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Logout {
    /// The card lost power (`SCARD_UNPOWER_CARD`): every verified PIN is gone.
    PowerCycled,
    /// The link has no power control; the Issuer Security Domain was selected, so no
    /// application is current and none keeps a verified PIN.
    SelectedIssuerSecurityDomain,
    /// Neither was possible (a phone token over NFC answers the ISD SELECT with this
    /// status word): the verified state lasts until the token leaves the field. Ask the
    /// holder to take the phone or card away.
    Unconfirmed {
        /// The status word the SELECT was answered with.
        sw: u16,
    },
}

/// Logs out of the card behind `transport`; see the module documentation.
pub fn logout<T: Transport + ?Sized>(transport: &mut T) -> Result<Logout, TransportError> {
    let powered_off = transport.power_cycle()?;
    // Absorb the measured 6F00 answer to the first command after power-up (the ISD SELECT
    // changes nothing on a freshly powered card).
    let mut power_up = PowerUp::armed();
    let mut answer = transport.transmit(&SELECT_ISSUER_SECURITY_DOMAIN)?;
    if power_up.resend(&answer) {
        answer = transport.transmit(&SELECT_ISSUER_SECURITY_DOMAIN)?;
    }
    if powered_off {
        return Ok(Logout::PowerCycled);
    }
    let sw = status(&answer);
    Ok(if sw == 0x9000 {
        Logout::SelectedIssuerSecurityDomain
    } else {
        Logout::Unconfirmed { sw }
    })
}

/// SW1 SW2 of a response (`0` for a response too short to carry one).
fn status(response: &[u8]) -> u16 {
    match response {
        [.., sw1, sw2] => u16::from_be_bytes([*sw1, *sw2]),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::Transcript;

    #[test]
    fn without_power_control_the_isd_is_selected() {
        let mut t = Transcript::parse("> 00A4040C07 A0000001510000\n< 9000\n").unwrap();
        assert_eq!(
            logout(&mut t).unwrap(),
            Logout::SelectedIssuerSecurityDomain
        );
        t.finish().unwrap();
    }

    #[test]
    fn a_phone_token_is_reported_unconfirmed() {
        let mut t = Transcript::parse("> 00A4040C07 A0000001510000\n< 6A82\n").unwrap();
        assert_eq!(logout(&mut t).unwrap(), Logout::Unconfirmed { sw: 0x6A82 });
        t.finish().unwrap();
    }

    #[test]
    fn one_6f00_is_retried() {
        let mut t = Transcript::parse(
            "> 00A4040C07 A0000001510000\n< 6F00\n> 00A4040C07 A0000001510000\n< 9000\n",
        )
        .unwrap();
        assert_eq!(
            logout(&mut t).unwrap(),
            Logout::SelectedIssuerSecurityDomain
        );
        t.finish().unwrap();
    }

    #[test]
    fn a_short_response_is_not_a_success() {
        assert_eq!(status(&[0x90]), 0);
        assert_eq!(status(&[0x01, 0x90, 0x00]), 0x9000);
    }
}
