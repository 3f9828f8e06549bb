//! INTERNAL AUTHENTICATE `00 88 00 <80|SFI> Lc <challenge> 00`, as measured
//! (soltia48/myna-card `src/card.rs`, `src/ap/common.rs`; card-apdu.md §5.6, single
//! source): only the 共通AP key `0019` answers, with sha256WithRSAEncryption (PKCS#1
//! v1.5) over the challenge and no credential; PIN-protected keys answer `6982`, the
//! 券面 APs' keys `6985`.

use rsa::Pkcs1v15Sign;
use sha2::{Digest, Sha256};

use super::VirtualCard;
use super::command::CardCommand;
use super::file_system::{Access, CardApplication, EfBody};
use super::status::Sw;

impl VirtualCard {
    pub(super) fn internal_authenticate(&mut self, cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        if cmd.p1 != 0x00 {
            return Err(Sw::INCORRECT_P1P2);
        }
        let df = self
            .current_df
            .and_then(|i| self.dfs.get(i))
            .ok_or(Sw::FILE_NOT_FOUND)?;
        let index = match cmd.p2 {
            0x80 => self.current_ef.ok_or(Sw::NO_CURRENT_EF)?,
            p2 if p2 & 0xE0 == 0x80 && p2 & 0x1F != 0 => {
                df.ef_index_by_sfi(p2 & 0x1F).ok_or(Sw::FILE_NOT_FOUND)?
            }
            _ => return Err(Sw::INCORRECT_P1P2),
        };
        let ef = df.efs.get(index).ok_or(Sw::NO_CURRENT_EF)?;
        let EfBody::Key(key) = &ef.body else {
            return Err(Sw::INCOMPATIBLE_FILE);
        };
        if !cmd.has_lc || !(1..=255).contains(&cmd.data.len()) || cmd.ne.is_none() {
            return Err(Sw::WRONG_LENGTH);
        }
        match (df.app, &ef.access) {
            (CardApplication::Common, _) => {
                let digest = Sha256::digest(cmd.data);
                key.sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
                    .map_err(|_| Sw::CONDITIONS_NOT_SATISFIED)
            }
            (_, Access::AnyOf(_)) => Err(Sw::SECURITY_NOT_SATISFIED),
            _ => Err(Sw::CONDITIONS_NOT_SATISFIED),
        }
    }
}
