//! READ RECORD `00 B2 <record> <SFI<<3 | 4> Le` on record-structured EFs (the 共通AP's
//! EF `0001`), as measured (soltia48/myna-card `src/card.rs`, `src/mf.rs`,
//! `src/ap/common.rs`; card-apdu.md §5.6, single source): past the last record `6A83`,
//! the multi-record form (P2 low bits `101`) `6A81`, a transparent or internal EF `6981`.

use super::VirtualCard;
use super::command::CardCommand;
use super::file_system::EfBody;
use super::status::Sw;

impl VirtualCard {
    pub(super) fn read_record(&mut self, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        if cmd.has_lc {
            return Err(Sw::WRONG_LENGTH);
        }
        let ne = cmd.ne.ok_or(Sw::WRONG_LENGTH)?;
        match cmd.p2 & 0x07 {
            0x04 => {}
            0x05 => return Err(Sw::FUNCTION_NOT_SUPPORTED),
            _ => return Err(Sw::INCORRECT_P1P2),
        }
        if self.current_df.is_none() && self.mf_ef_selected && cmd.p2 >> 3 == 0 {
            return Err(Sw::INCOMPATIBLE_FILE);
        }
        let df = self
            .current_df
            .and_then(|i| self.dfs.get(i))
            .ok_or(Sw::FILE_NOT_FOUND)?;
        let index = match cmd.p2 >> 3 {
            0 => self.current_ef.ok_or(Sw::NO_CURRENT_EF)?,
            sfi => df.ef_index_by_sfi(sfi).ok_or(Sw::FILE_NOT_FOUND)?,
        };
        let ef = df.efs.get(index).ok_or(Sw::NO_CURRENT_EF)?;
        let EfBody::Records(records) = &ef.body else {
            return Err(Sw::INCOMPATIBLE_FILE);
        };
        if !self.access_satisfied(&ef.access) {
            return Err(Sw::SECURITY_NOT_SATISFIED);
        }
        let record = usize::from(cmd.p1)
            .checked_sub(1)
            .and_then(|i| records.get(i))
            .ok_or(Sw::RECORD_NOT_FOUND)?
            .clone();
        self.current_ef = Some(index);
        Ok(record
            .get(..ne.min(record.len()))
            .unwrap_or_default()
            .to_vec())
    }
}
