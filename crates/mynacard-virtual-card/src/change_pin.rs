//! Changing a PIN, in the two forms real cards are reported to answer (card-apdu.md §5.4;
//! **weaker evidence**: soltia48/myna-card implements both and tests them against a mock,
//! jpki/myna's README calls its CHANGE REFERENCE DATA "未テスト"):
//! - CHANGE REFERENCE DATA `00 24 01 80 Lc <new value>` — JPKI `0018` / `001B`, 券面事項入力補助AP
//!   `0011`;
//! - JICSAP CHANGE KEY `80 32 00 80 Lc <new value>` — 共通AP `001C`, 住基AP `001C`.
//!
//! Both act on the current EF (the key EF just selected) after a VERIFY of its current value
//! in this session. Modelled answers, where the sources say nothing (guessed, ISO meaning):
//! not verified `6982`; a blocked key the VERIFY status (`6984` by default); the other form of
//! the two, or a key EF of an AP that has no PIN change, `6985`; no current EF `6986`; not a
//! key EF `6981`; a value of the wrong length (or, for the sign password, outside `A–Z0–9`)
//! `6700`, nothing changed. On success the counter is back at its maximum and the key stays
//! verified.

use super::VirtualCard;
use super::command::CardCommand;
use super::file_system::{CardApplication, EfBody};
use super::status::Sw;

/// `00 24` CHANGE REFERENCE DATA.
pub(crate) const CHANGE_REFERENCE_DATA: u8 = 0x24;
/// `80 32` JICSAP CHANGE KEY.
pub(crate) const CHANGE_KEY: u8 = 0x32;

impl VirtualCard {
    /// CHANGE REFERENCE DATA (`ins` `24`) or CHANGE KEY (`ins` `32`) on the current key EF.
    pub(super) fn change_pin(&mut self, ins: u8, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        let p1 = if ins == CHANGE_REFERENCE_DATA {
            0x01
        } else {
            0x00
        };
        if cmd.p1 != p1 || cmd.p2 != 0x80 {
            return Err(Sw::INCORRECT_P1P2);
        }
        let app = self.current_application().ok_or(Sw::NO_CURRENT_EF)?;
        let index = self.current_ef.ok_or(Sw::NO_CURRENT_EF)?;
        let blocked_sw = Sw::from(self.options.blocked_status);
        let ef = self
            .current_df
            .and_then(|i| self.dfs.get_mut(i))
            .and_then(|df| df.efs.get_mut(index))
            .ok_or(Sw::NO_CURRENT_EF)?;
        let fid = ef.fid;
        let EfBody::Pin(counter) = &mut ef.body else {
            return Err(Sw::INCOMPATIBLE_FILE);
        };
        let form_ok = matches!(
            (app, fid, ins),
            (
                CardApplication::Jpki,
                0x0018 | 0x001B,
                CHANGE_REFERENCE_DATA
            ) | (CardApplication::Kenhojo, 0x0011, CHANGE_REFERENCE_DATA)
                | (
                    CardApplication::Common | CardApplication::Juki,
                    0x001C,
                    CHANGE_KEY
                )
        );
        if !form_ok {
            return Err(Sw::CONDITIONS_NOT_SATISFIED);
        }
        if counter.is_blocked() {
            return Err(blocked_sw);
        }
        if !self.verified.contains(&fid) {
            return Err(Sw::SECURITY_NOT_SATISFIED);
        }
        let well_formed = if fid == 0x001B && app == CardApplication::Jpki {
            cmd.data
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        } else {
            cmd.data.iter().all(u8::is_ascii_digit)
        };
        if !cmd.has_lc || cmd.ne.is_some() || !counter.accepts_len(cmd.data.len()) || !well_formed {
            return Err(Sw::WRONG_LENGTH);
        }
        counter.change(cmd.data);
        Ok(Vec::new())
    }
}
