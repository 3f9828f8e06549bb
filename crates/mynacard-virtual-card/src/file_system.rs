//! The card's file system: applications (DFs named by AID) holding elementary
//! files, each with its access rule.

use std::sync::Arc;

use rsa::PrivateKey;
use zeroize::Zeroizing;

use super::pin::PinCounter;

/// The applications of a My Number Card, by AID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CardApplication {
    /// 公的個人認証AP (JPKI), `D3 92 F0 00 26 01 00 00 00 01`.
    Jpki,
    /// 券面事項入力補助AP (kenhojo), `D3 92 10 00 31 00 01 01 04 08`.
    Kenhojo,
    /// 券面事項確認AP (kenkaku), `D3 92 10 00 31 00 01 01 04 02`.
    Kenkaku,
    /// 住基AP, `D3 92 10 00 31 00 01 01 04 01`.
    Juki,
    /// 共通カードAP, `D3 92 10 00 31 00 01 01 01 00`.
    Common,
}

impl CardApplication {
    /// Every application, in the order the card searches them for a partial DF name.
    pub const ALL: [CardApplication; 5] = [
        CardApplication::Jpki,
        CardApplication::Kenhojo,
        CardApplication::Kenkaku,
        CardApplication::Juki,
        CardApplication::Common,
    ];

    /// The application's DF name (AID).
    pub const fn aid(self) -> [u8; 10] {
        match self {
            CardApplication::Jpki => [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01],
            CardApplication::Kenhojo => {
                [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08]
            }
            CardApplication::Kenkaku => {
                [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02]
            }
            CardApplication::Juki => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01],
            CardApplication::Common => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00],
        }
    }
}

/// Who may read a transparent EF or use a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Access {
    /// No credential needed.
    Free,
    /// Any one of these key references (FIDs of PIN EFs in the same application)
    /// verified in the current session.
    AnyOf(Vec<u16>),
    /// No credential the holder has opens it (measured: JPKI `0009`).
    Never,
}

/// What an elementary file holds. Contents and keys never change once the card is built, so
/// they are shared between clones of a card (a clone is a fresh session over the same chip,
/// made per input by the fuzzer); the last clone to go zeroizes them.
#[derive(Clone)]
pub(crate) enum EfBody {
    /// A transparent EF: the physical content (object followed by `FF` filler).
    Binary(Arc<Zeroizing<Vec<u8>>>),
    /// A key reference (PIN, password, 照合番号).
    Pin(PinCounter),
    /// A private key usable by COMPUTE DIGITAL SIGNATURE.
    Key(Arc<PrivateKey>),
    /// A record-structured EF (READ RECORD), records numbered from 1.
    Records(Arc<[Vec<u8>]>),
    /// An internal EF (a key reference the card uses itself): selectable, but READ
    /// BINARY / READ RECORD answer `6981`.
    Internal,
}

/// One elementary file.
#[derive(Clone)]
pub(crate) struct Ef {
    pub(crate) fid: u16,
    pub(crate) access: Access,
    pub(crate) body: EfBody,
}

impl Ef {
    /// A transparent EF holding `object` padded with `FF` up to `size` bytes
    /// (never shorter than the object).
    pub(crate) fn binary(fid: u16, access: Access, object: &[u8], size: usize) -> Self {
        let mut content = Zeroizing::new(Vec::with_capacity(size.max(object.len())));
        content.extend_from_slice(object);
        content.resize(size.max(object.len()), 0xFF);
        Self {
            fid,
            access,
            body: EfBody::Binary(Arc::new(content)),
        }
    }

    /// A key reference.
    pub(crate) fn pin(fid: u16, counter: PinCounter) -> Self {
        Self {
            fid,
            access: Access::Free,
            body: EfBody::Pin(counter),
        }
    }

    /// A private key guarded by `access`.
    pub(crate) fn key(fid: u16, access: Access, key: PrivateKey) -> Self {
        Self {
            fid,
            access,
            body: EfBody::Key(Arc::new(key)),
        }
    }

    /// A record-structured EF.
    pub(crate) fn records(fid: u16, access: Access, records: Vec<Vec<u8>>) -> Self {
        Self {
            fid,
            access,
            body: EfBody::Records(records.into()),
        }
    }

    /// An internal EF.
    pub(crate) fn internal(fid: u16) -> Self {
        Self {
            fid,
            access: Access::Never,
            body: EfBody::Internal,
        }
    }

    /// The short EF identifier: the FID's low 5 bits (all EFs are `0001`–`001E`).
    pub(crate) fn sfi(&self) -> u8 {
        (self.fid & 0x1F) as u8
    }
}

/// An application with its files.
#[derive(Clone)]
pub(crate) struct Df {
    pub(crate) app: CardApplication,
    pub(crate) efs: Vec<Ef>,
}

impl Df {
    pub(crate) fn ef(&self, fid: u16) -> Option<&Ef> {
        self.efs.iter().find(|e| e.fid == fid)
    }

    pub(crate) fn ef_index(&self, fid: u16) -> Option<usize> {
        self.efs.iter().position(|e| e.fid == fid)
    }

    pub(crate) fn ef_index_by_sfi(&self, sfi: u8) -> Option<usize> {
        self.efs.iter().position(|e| e.sfi() == sfi)
    }
}
