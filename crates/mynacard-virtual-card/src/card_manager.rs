//! The card-manager (MF) level: GET DATA objects, the GlobalPlatform Issuer Security
//! Domain and the MF's internal EF `001E`, as measured on real cards (soltia48/myna-card
//! `src/mf.rs`, `src/card.rs`; card-apdu.md §1 and §3.5, single source).
//!
//! The values are TEST data derived from the holder: a real card's objects (its CV
//! chain, identification number) are the issuer's.

use super::VirtualCard;
use super::command::CardCommand;
use super::status::Sw;

/// The GlobalPlatform Issuer Security Domain's default AID.
pub const ISSUER_SECURITY_DOMAIN_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00];

/// GET DATA tag of the contact ATR (without TS); answered with an application selected
/// too.
pub const TAG_CONTACT_ATR: u16 = 0x5F51;

/// The MF's internal EF: selectable, unreadable (`6981`).
pub(crate) const MF_INTERNAL_EF: u16 = 0x001E;

/// The GET DATA objects of the MF level (tag, value), built from the holder.
#[derive(Clone, Debug, Default)]
pub(crate) struct MfObjects {
    pub(crate) objects: Vec<(u16, Vec<u8>)>,
}

impl MfObjects {
    fn get(&self, tag: u16) -> Option<&[u8]> {
        self.objects
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, v)| v.as_slice())
    }
}

impl VirtualCard {
    /// GET DATA `00 CA <tag> Le`: the MF-level objects with no application selected
    /// (5F51 everywhere); absent object `6A88`; an object over 256 bytes needs an
    /// extended Le (short Le answers `6700`, not `6Cxx`).
    pub(super) fn get_data(&mut self, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        if cmd.has_lc {
            return Err(Sw::WRONG_LENGTH);
        }
        let ne = cmd.ne.ok_or(Sw::WRONG_LENGTH)?;
        let tag = cmd.p1p2();
        let value: Vec<u8> = if tag == TAG_CONTACT_ATR && self.profile.has_card_face_applications()
        {
            self.options.atr.get(1..).unwrap_or_default().to_vec()
        } else if self.current_df.is_none() {
            self.mf_objects
                .get(tag)
                .ok_or(Sw::REFERENCED_DATA_NOT_FOUND)?
                .to_vec()
        } else {
            return Err(Sw::REFERENCED_DATA_NOT_FOUND);
        };
        if value.len() > 256 && !cmd.extended {
            return Err(Sw::WRONG_LENGTH);
        }
        Ok(value
            .get(..ne.min(value.len()))
            .unwrap_or_default()
            .to_vec())
    }

    /// SELECT of the Issuer Security Domain: back to the card-manager state (no
    /// application current, every verified PIN forgotten). Phones have none (`6A82`).
    pub(super) fn select_issuer_security_domain(&mut self) -> Result<Vec<u8>, Sw> {
        if !self.profile.has_card_face_applications() {
            return Err(Sw::FILE_NOT_FOUND);
        }
        self.clear_session();
        Ok(Vec::new())
    }
}
