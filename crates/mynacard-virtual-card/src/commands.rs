//! The card's command interpreter: SELECT, READ BINARY, VERIFY, COMPUTE DIGITAL
//! SIGNATURE, GET CHALLENGE and the iPhone end-of-transaction command; GET DATA,
//! INTERNAL AUTHENTICATE, READ RECORD, SET SESSION KEY and secure messaging live in
//! their own modules.

use rsa::Pkcs1v15Sign;

use super::VirtualCard;
use super::card_manager::{ISSUER_SECURITY_DOMAIN_AID, MF_INTERNAL_EF};
use super::change_pin::{CHANGE_KEY, CHANGE_REFERENCE_DATA};
use super::command::{CardCommand, Class, classify};
use super::file_system::{Access, CardApplication, EfBody};
use super::pin::VerifyOutcome;
use super::profile::Profile;
use super::status::Sw;

const SELECT: u8 = 0xA4;
const READ_BINARY: u8 = 0xB0;
const VERIFY: u8 = 0x20;
const GET_CHALLENGE: u8 = 0x84;
const COMPUTE_DIGITAL_SIGNATURE: u8 = 0x2A;
const END_OF_TRANSACTION: u8 = 0xFC;
const GET_DATA: u8 = 0xCA;
const INTERNAL_AUTHENTICATE: u8 = 0x88;
const READ_RECORD: u8 = 0xB2;
const SET_SESSION_KEY: u8 = 0xAE;
const SET_PUBLIC_IC_KEY: u8 = 0xA2;

impl VirtualCard {
    /// Runs one command; `Ok` data is answered with `9000`.
    pub(super) fn execute(&mut self, apdu: &[u8]) -> Result<Vec<u8>, Sw> {
        let (&cla, &ins) = match apdu {
            [cla, ins, _, _, ..] => (cla, ins),
            _ => return Err(Sw::WRONG_LENGTH),
        };
        let class = match classify(cla) {
            Err(Sw::SECURE_MESSAGING_NOT_SUPPORTED) => {
                return Err(Self::secure_messaging_without_session(ins));
            }
            other => other?,
        };
        let expected = match ins {
            SELECT
            | READ_BINARY
            | VERIFY
            | GET_CHALLENGE
            | GET_DATA
            | INTERNAL_AUTHENTICATE
            | CHANGE_REFERENCE_DATA
            | READ_RECORD => Class::InterIndustry,
            CHANGE_KEY
            | COMPUTE_DIGITAL_SIGNATURE
            | END_OF_TRANSACTION
            | SET_SESSION_KEY
            | SET_PUBLIC_IC_KEY => Class::Proprietary,
            _ => return Err(Sw::INS_NOT_SUPPORTED),
        };
        if class != expected {
            return Err(Sw::CLA_NOT_SUPPORTED);
        }
        let cmd = CardCommand::decode(apdu)?;
        match ins {
            SELECT => self.select(&cmd),
            READ_BINARY => self.read_binary(&cmd),
            VERIFY => self.verify(&cmd),
            GET_CHALLENGE => self.get_challenge(&cmd),
            COMPUTE_DIGITAL_SIGNATURE => self.compute_signature(&cmd),
            GET_DATA => self.get_data(&cmd),
            INTERNAL_AUTHENTICATE => self.internal_authenticate(&cmd),
            READ_RECORD => self.read_record(&cmd),
            CHANGE_REFERENCE_DATA | CHANGE_KEY => self.change_pin(ins, &cmd),
            SET_SESSION_KEY => self.set_session_key(&cmd),
            // SET PUBLIC IC KEY (terminal CV certificate against JPKI EF 0016): every P1-P2
            // tried on real cards answered 6A86 (soltia48/myna-card src/card.rs).
            SET_PUBLIC_IC_KEY => Err(Sw::INCORRECT_P1P2),
            _ => self.end_of_transaction(&cmd),
        }
    }

    fn select(&mut self, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        if !matches!(cmd.p2, 0x0C | 0x00) {
            return Err(Sw::INCORRECT_P1P2);
        }
        match cmd.p1 {
            // By DF name (AID); a partial name selects the first application it prefixes.
            0x04 => {
                if !(1..=16).contains(&cmd.data.len()) {
                    return Err(Sw::WRONG_LENGTH);
                }
                if cmd.data == ISSUER_SECURITY_DOMAIN_AID {
                    return self.select_issuer_security_domain();
                }
                let index = self
                    .dfs
                    .iter()
                    .position(|df| df.app.aid() == cmd.data)
                    .or_else(|| {
                        self.dfs
                            .iter()
                            .position(|df| df.app.aid().starts_with(cmd.data))
                    })
                    .ok_or(Sw::FILE_NOT_FOUND)?;
                if self.current_df != Some(index) {
                    self.verified.clear();
                }
                self.current_df = Some(index);
                self.current_ef = None;
                Ok(Vec::new())
            }
            // EF by FID under the current DF.
            0x02 => {
                let &[hi, lo] = cmd.data else {
                    return Err(Sw::WRONG_LENGTH);
                };
                // The MF's internal EF 001E is selectable (and unreadable).
                if self.current_df.is_none()
                    && u16::from_be_bytes([hi, lo]) == MF_INTERNAL_EF
                    && self.profile.has_card_face_applications()
                {
                    self.mf_ef_selected = true;
                    return Ok(Vec::new());
                }
                let df = self
                    .current_df
                    .and_then(|i| self.dfs.get(i))
                    .ok_or(Sw::FILE_NOT_FOUND)?;
                let index = df
                    .ef_index(u16::from_be_bytes([hi, lo]))
                    .ok_or(Sw::FILE_NOT_FOUND)?;
                self.current_ef = Some(index);
                Ok(Vec::new())
            }
            // MF: `00 A4 00 00` is refused right after reset and a no-op once an
            // application is selected; no file is selectable at MF level (`3F00` → 6A82).
            0x00 => match cmd.data {
                [] if self.current_df.is_some() => Ok(Vec::new()),
                [] => Err(Sw::INCORRECT_P1P2),
                [_, _] => Err(Sw::FILE_NOT_FOUND),
                _ => Err(Sw::WRONG_LENGTH),
            },
            _ => Err(Sw::INCORRECT_P1P2),
        }
    }

    fn read_binary(&mut self, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        if cmd.has_lc {
            return Err(Sw::WRONG_LENGTH);
        }
        let ne = cmd.ne.ok_or(Sw::WRONG_LENGTH)?;
        if self.current_df.is_none() && self.mf_ef_selected && cmd.p1 & 0x80 == 0 {
            return Err(Sw::INCOMPATIBLE_FILE);
        }
        let (ef_index, offset) = if cmd.p1 & 0x80 != 0 {
            let sfi = cmd.p1 & 0x1F;
            if cmd.p1 & 0x60 != 0 || sfi == 0 {
                return Err(Sw::INCORRECT_P1P2);
            }
            let df = self
                .current_df
                .and_then(|i| self.dfs.get(i))
                .ok_or(Sw::FILE_NOT_FOUND)?;
            let index = df.ef_index_by_sfi(sfi).ok_or(Sw::FILE_NOT_FOUND)?;
            self.current_ef = Some(index);
            (index, usize::from(cmd.p2))
        } else {
            let index = self.current_ef.ok_or(Sw::NO_CURRENT_EF)?;
            (index, usize::from(cmd.p1p2() & 0x7FFF))
        };
        let ef = self
            .current_df
            .and_then(|i| self.dfs.get(i))
            .and_then(|df| df.efs.get(ef_index))
            .ok_or(Sw::NO_CURRENT_EF)?;
        let EfBody::Binary(content) = &ef.body else {
            return Err(Sw::INCOMPATIBLE_FILE);
        };
        if !self.access_satisfied(&ef.access) {
            return Err(Sw::SECURITY_NOT_SATISFIED);
        }
        if offset >= content.len() {
            return Err(Sw::OFFSET_OUTSIDE_FILE);
        }
        let max_data = self.options.capabilities.max_response_len.saturating_sub(2);
        let end = offset.saturating_add(ne.min(max_data)).min(content.len());
        let data = content.get(offset..end).unwrap_or_default();
        // Room for SW1 SW2: appending them must not reallocate and free a copy.
        let mut out = Vec::with_capacity(data.len() + 2);
        out.extend_from_slice(data);
        Ok(out)
    }

    fn verify(&mut self, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        if cmd.p1 != 0x00 {
            return Err(Sw::INCORRECT_P1P2);
        }
        let index = match cmd.p2 {
            0x80 => self.current_ef.ok_or(Sw::NO_CURRENT_EF)?,
            p2 if p2 & 0xE0 == 0x80 && p2 & 0x1F != 0 => self
                .current_df
                .and_then(|i| self.dfs.get(i))
                .and_then(|df| df.ef_index_by_sfi(p2 & 0x1F))
                .ok_or(Sw::FILE_NOT_FOUND)?,
            _ => return Err(Sw::INCORRECT_P1P2),
        };
        let blocked_sw = Sw::from(self.options.blocked_status);
        let query_ok = self.options.query_ok_when_verified;
        let costs = self.options.wrong_length_costs_try;
        let ef = self
            .current_df
            .and_then(|i| self.dfs.get_mut(i))
            .and_then(|df| df.efs.get_mut(index))
            .ok_or(Sw::NO_CURRENT_EF)?;
        let fid = ef.fid;
        let EfBody::Pin(counter) = &mut ef.body else {
            return Err(Sw::INCOMPATIBLE_FILE);
        };
        if cmd.is_case1() {
            // Retry query: never spends a try.
            return if counter.is_blocked() {
                Err(Sw::remaining(0))
            } else if query_ok && self.verified.contains(&fid) {
                Ok(Vec::new())
            } else {
                Err(Sw::remaining(counter.remaining()))
            };
        }
        if !cmd.has_lc || cmd.ne.is_some() || cmd.data.len() > 16 {
            return Err(Sw::WRONG_LENGTH);
        }
        let outcome = if counter.accepts_len(cmd.data.len()) {
            counter.verify(cmd.data)
        } else if counter.is_blocked() {
            VerifyOutcome::Blocked
        } else if costs {
            counter.spend()
        } else {
            return Err(Sw::WRONG_LENGTH);
        };
        match outcome {
            VerifyOutcome::Verified => {
                if !self.verified.contains(&fid) {
                    self.verified.push(fid);
                }
                Ok(Vec::new())
            }
            VerifyOutcome::Wrong(left) => {
                self.verified.retain(|&f| f != fid);
                Err(Sw::remaining(left))
            }
            VerifyOutcome::Blocked => Err(blocked_sw),
        }
    }

    fn get_challenge(&mut self, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        if cmd.p1p2() != 0 {
            return Err(Sw::INCORRECT_P1P2);
        }
        if cmd.has_lc {
            return Err(Sw::WRONG_LENGTH);
        }
        if cmd.extended {
            return Err(Sw::CONDITIONS_NOT_SATISFIED);
        }
        let ne = cmd.ne.ok_or(Sw::WRONG_LENGTH)?;
        Ok(self.challenge.next_bytes(ne))
    }

    fn compute_signature(&mut self, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        if cmd.p1 > 0x05 {
            return Err(Sw::INCORRECT_P1P2);
        }
        let df = self.current_df.and_then(|i| self.dfs.get(i));
        let index = match cmd.p2 {
            0x80 => self.current_ef.ok_or(Sw::NO_CURRENT_EF)?,
            p2 if p2 & 0xE0 == 0x80 && p2 & 0x1F != 0 => df
                .and_then(|df| df.ef_index_by_sfi(p2 & 0x1F))
                .ok_or(Sw::FILE_NOT_FOUND)?,
            // 券面 APs: `80 2A 00 00` signs with the AP's own card key, no credential.
            0x00 => match df {
                Some(df) if df.app == CardApplication::Kenhojo => df.ef_index(0x0013),
                Some(df) if df.app == CardApplication::Kenkaku => df.ef_index(0x001A),
                _ => None,
            }
            .ok_or(Sw::INCORRECT_P1P2)?,
            _ => return Err(Sw::INCORRECT_P1P2),
        };
        let ef = df
            .and_then(|df| df.efs.get(index))
            .ok_or(Sw::NO_CURRENT_EF)?;
        let EfBody::Key(key) = &ef.body else {
            return Err(Sw::INCOMPATIBLE_FILE);
        };
        if !self.access_satisfied(&ef.access) {
            return Err(Sw::SECURITY_NOT_SATISFIED);
        }
        if !cmd.has_lc || cmd.ne.is_none_or(|ne| ne < 256) {
            return Err(Sw::WRONG_LENGTH);
        }
        if cmd.p2 == 0x00 {
            // The 券面 APs' card key: scheme 00 only.
            if cmd.p1 != 0x00 {
                return Err(Sw::INCORRECT_P1P2);
            }
            if cmd.data.len() > super::signature_schemes::MAX_SIGN_INPUT {
                return Err(Sw::WRONG_LENGTH);
            }
            return key
                .sign(Pkcs1v15Sign::new_unprefixed(), cmd.data)
                .map_err(|_| Sw::CONDITIONS_NOT_SATISFIED);
        }
        let key = key.clone();
        super::signature_schemes::sign(&key, cmd.p1, cmd.data, &mut self.challenge)
    }

    fn end_of_transaction(&mut self, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        if self.profile != Profile::Iphone {
            return Err(Sw::WRONG_LENGTH);
        }
        if cmd.p1p2() != 0 {
            return Err(Sw::INCORRECT_P1P2);
        }
        if !cmd.is_case1() {
            return Err(Sw::WRONG_LENGTH);
        }
        Ok(Vec::new())
    }

    /// Whether the current security state opens `access` in the current application.
    pub(super) fn access_satisfied(&self, access: &Access) -> bool {
        match access {
            Access::Free => true,
            Access::Never => false,
            Access::AnyOf(keys) => {
                let phone_verified = self.profile == Profile::Iphone
                    && !self.options.iphone_requires_verify
                    && self.current_application() == Some(CardApplication::Jpki);
                phone_verified || keys.iter().any(|k| self.verified.contains(k))
            }
        }
    }
}
