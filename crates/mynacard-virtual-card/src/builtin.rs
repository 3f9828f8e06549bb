//! Built-in TEST holders, parsed from `data/holders.tsv` (the single source
//! shared with the test PKI generator).

use super::builder::{BuildError, rsa_key_from_pkcs8_der};
use super::file_system::CardApplication;
use super::holder::{Holder, HolderSex};
use super::options::VirtualCardOptions;
use super::profile::Profile;

/// The holder table, compiled in.
const HOLDERS_TSV: &str = include_str!("../data/holders.tsv");

/// Ids of the built-in test holders (column `id` of `data/holders.tsv`).
pub const TEST_HOLDER_IDS: [&str; 8] = [
    "yamada",
    "sato",
    "suzuki",
    "watanabe",
    "takahashi",
    "nakamura",
    "ito",
    "kato",
];

/// The 券面 AP files of a physical card that `examples/dump_virtual_card.rs` writes
/// to the repository's `tests/data/card/<id>/<name>.bin` (physical content, filler included).
pub const RECORD_FILES: [(CardApplication, u16, &str); 12] = [
    (CardApplication::Kenhojo, 0x0001, "kenhojo_0001"),
    (CardApplication::Kenhojo, 0x0002, "kenhojo_0002"),
    (CardApplication::Kenhojo, 0x0003, "kenhojo_0003"),
    (CardApplication::Kenhojo, 0x0004, "kenhojo_0004"),
    (CardApplication::Kenhojo, 0x0005, "kenhojo_0005"),
    (CardApplication::Kenhojo, 0x0006, "kenhojo_0006"),
    (CardApplication::Kenhojo, 0x0007, "kenhojo_0007"),
    (CardApplication::Kenkaku, 0x0001, "kenkaku_0001"),
    (CardApplication::Kenkaku, 0x0002, "kenkaku_0002"),
    (CardApplication::Kenkaku, 0x0003, "kenkaku_0003"),
    (CardApplication::Kenkaku, 0x0004, "kenkaku_0004"),
    (CardApplication::Kenkaku, 0x0005, "kenkaku_0005"),
];

/// One row of the holder table.
pub(crate) struct TestHolderRow {
    pub(crate) profile: Profile,
    pub(crate) holder: Holder,
}

/// Finds and parses the row of `id`.
pub(crate) fn test_holder_row(id: &str) -> Result<TestHolderRow, BuildError> {
    for (index, line) in HOLDERS_TSV.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.first() != Some(&id) {
            continue;
        }
        return parse_row(&cols).map_err(|reason| BuildError::HolderTable {
            line: index + 1,
            reason,
        });
    }
    Err(BuildError::UnknownTestHolder(id.to_owned()))
}

fn parse_row(cols: &[&str]) -> Result<TestHolderRow, &'static str> {
    let &[
        _id,
        token,
        name,
        _name_flags,
        address,
        _address_flags,
        birth,
        _cert_sex,
        card_sex,
        my_number,
        auth_pin,
        sign_password,
        kenhojo_pin,
        card_expiry,
        security_code,
        _certs,
    ] = cols
    else {
        return Err("expected 16 tab-separated columns");
    };
    let profile = match token {
        "card" => Profile::Card,
        "android" => Profile::Android,
        "iphone" => Profile::Iphone,
        _ => return Err("unknown token kind"),
    };
    let sex = card_sex
        .as_bytes()
        .first()
        .copied()
        .and_then(HolderSex::from_digit)
        .ok_or("card_sex is not 1, 2 or 9")?;
    let mut holder =
        Holder::new(name, address, birth, sex, my_number, card_expiry).with_auth_pin(auth_pin);
    if sign_password != "-" {
        holder = holder.with_sign_password(sign_password);
    }
    if kenhojo_pin != "-" {
        holder = holder.with_kenhojo_pin(kenhojo_pin);
    }
    if security_code != "-" {
        holder = holder.with_security_code(security_code);
    }
    Ok(TestHolderRow { profile, holder })
}

macro_rules! pki {
    ($($file:expr),+) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/pki/", $($file),+)).as_slice()
    };
}

/// TEST certificates and keys of one holder, from `data/pki/`.
struct HolderPki {
    auth: &'static [u8],
    auth_key: &'static [u8],
    sign: Option<(&'static [u8], &'static [u8])>,
}

fn holder_pki(id: &str) -> Option<HolderPki> {
    macro_rules! holder {
        ($id:literal) => {
            HolderPki {
                auth: pki!($id, "_auth.der"),
                auth_key: pki!($id, "_auth.key.der"),
                sign: Some((pki!($id, "_sign.der"), pki!($id, "_sign.key.der"))),
            }
        };
    }
    Some(match id {
        "yamada" => holder!("yamada"),
        "sato" => holder!("sato"),
        "suzuki" => holder!("suzuki"),
        "watanabe" => holder!("watanabe"),
        "takahashi" => holder!("takahashi"),
        "nakamura" => HolderPki {
            auth: pki!("nakamura_auth.der"),
            auth_key: pki!("nakamura_auth.key.der"),
            sign: None,
        },
        "ito" => holder!("ito"),
        "kato" => holder!("kato"),
        _ => return None,
    })
}

/// The TEST auth CA certificate (`data/pki/auth_ca.der`).
pub const TEST_AUTH_CA_DER: &[u8] = pki!("auth_ca.der");
/// The TEST sign CA certificate (`data/pki/sign_ca.der`).
pub const TEST_SIGN_CA_DER: &[u8] = pki!("sign_ca.der");

impl super::VirtualCard {
    /// A built-in TEST holder's card (ids in [`TEST_HOLDER_IDS`]; rows of
    /// `data/holders.tsv`, certificates and keys of `data/pki/`), with
    /// default options.
    pub fn test_holder(id: &str) -> Result<Self, BuildError> {
        Self::test_holder_with(id, VirtualCardOptions::default())
    }

    /// A built-in TEST holder's card with the given options.
    pub fn test_holder_with(id: &str, options: VirtualCardOptions) -> Result<Self, BuildError> {
        let row = test_holder_row(id)?;
        let pki = holder_pki(id).ok_or_else(|| BuildError::UnknownTestHolder(id.to_owned()))?;
        let mut builder = Self::builder(row.holder)
            .profile(row.profile)
            .options(options)
            .auth(
                rsa_key_from_pkcs8_der(pki.auth_key, "auth key")?,
                pki.auth.to_vec(),
            )
            .auth_ca_certificate(TEST_AUTH_CA_DER.to_vec())
            .sign_ca_certificate(TEST_SIGN_CA_DER.to_vec())
            .card_data_signer(rsa_key_from_pkcs8_der(
                pki!("card_data_signer.key.der"),
                "card data signer key",
            )?)
            .cv_ca(rsa_key_from_pkcs8_der(pki!("cv_ca.key.der"), "CV CA key")?)
            .card_key(rsa_key_from_pkcs8_der(
                pki!("card_internal.key.der"),
                "card key",
            )?);
        if let Some((cert, key)) = pki.sign {
            builder = builder.sign(rsa_key_from_pkcs8_der(key, "sign key")?, cert.to_vec());
        }
        builder.build()
    }

    /// The holder description and profile of a built-in test holder (for building
    /// a card with your own keys, or for tests that need the holder's PINs).
    pub fn test_holder_description(id: &str) -> Result<(Holder, Profile), BuildError> {
        let row = test_holder_row(id)?;
        Ok((row.holder, row.profile))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_holder_parses() {
        for id in TEST_HOLDER_IDS {
            let row = test_holder_row(id).unwrap();
            assert_eq!(row.holder.auth_pin.as_ref().unwrap().len(), 4, "{id}");
        }
        assert_eq!(test_holder_row("yamada").unwrap().profile, Profile::Card);
        assert_eq!(test_holder_row("ito").unwrap().profile, Profile::Android);
        assert_eq!(test_holder_row("kato").unwrap().profile, Profile::Iphone);
        assert!(
            test_holder_row("nakamura")
                .unwrap()
                .holder
                .sign_password
                .is_none()
        );
        for id in TEST_HOLDER_IDS {
            assert!(holder_pki(id).is_some(), "{id}");
        }
        assert!(matches!(
            test_holder_row("nobody"),
            Err(BuildError::UnknownTestHolder(_))
        ));
    }
}
