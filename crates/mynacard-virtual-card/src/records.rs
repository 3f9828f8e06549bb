//! The data objects stored in the card's EFs: JPKI token information, the
//! 券面事項入力補助AP (kenhojo) records and the 券面事項確認AP (kenkaku) records,
//! signed as described in card-apdu.md §7.3 / §7.4.

use rsa::{Pkcs1v15Sign, PrivateKey, PublicKey};
use sha2::{Digest, Sha256};

use super::BuildError;
use super::ber::{LengthForm, rsa_public_key, tlv, tlv_with};
use super::cv_certificate::sign_sha256;
use super::holder::Holder;
use super::images;
use super::profile::Profile;

/// JPKI EF `0006`: a 160-byte PKCS#11 `CK_TOKEN_INFO` whose first 32 bytes are the
/// space-padded token label.
pub(crate) fn token_info(profile: Profile) -> Vec<u8> {
    let mut out = Vec::with_capacity(160);
    for (text, width) in [
        (profile.token_label(), 32),
        ("TEST mynacard virtual card", 32),
        ("VIRTUAL", 16),
        ("TEST0000", 16),
    ] {
        let start = out.len();
        out.extend_from_slice(text.as_bytes());
        out.resize(start + width, b' ');
    }
    // flags, max/current sessions, max/current RW sessions, max/min PIN length and the
    // four memory sizes, as measured on a physical card (soltia48/myna-card
    // src/ap/jpki.rs, TokenInfo): one session, minimum PIN length 6, memory
    // CK_UNAVAILABLE_INFORMATION; versions are ASCII "03" / "01", not CK_VERSION.
    let ulongs: [u32; 11] = [
        0x0000_040D,
        1,
        0,
        1,
        0,
        16,
        6,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        u32::MAX,
    ];
    for v in ulongs {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(b"0301");
    out.resize(160, b' ');
    out
}

/// The card's 15-digit serial number (TEST: derived from the holder's 個人番号).
pub(crate) fn card_serial(holder: &Holder) -> String {
    let digest = Sha256::digest(holder.my_number.as_bytes());
    let mut serial = String::from("9");
    for b in digest.iter().take(14) {
        serial.push(char::from(b'0' + b % 10));
    }
    serial
}

/// 共通AP EF `0001` record 1: simple TLV `01 1C` + serial (15) + 全国地方公共団体コード
/// (5) + expiry `YYYYMMDD` (soltia48/myna-card src/ap/common.rs, CardInfo).
pub(crate) fn common_card_info(holder: &Holder, serial: &str) -> Vec<u8> {
    let mut out = vec![0x01, 0x1C];
    out.extend_from_slice(serial.as_bytes());
    out.extend_from_slice(holder.municipality_code.as_bytes());
    out.extend_from_slice(holder.card_expiry.as_bytes());
    out
}

/// JPKI EF `0008`: `8F` per present certificate (byte 0 sign, byte 1 auth).
pub(crate) fn certificate_availability(has_sign: bool) -> Vec<u8> {
    vec![if has_sign { 0x8F } else { 0x00 }, 0x8F, 0x00]
}

/// kenhojo EF `0001` object: `FF 10 0C` + 12 ASCII digits (15 bytes; the EF is 17
/// with two `FF` filler bytes).
pub(crate) fn kenhojo_my_number(holder: &Holder) -> Vec<u8> {
    tlv(&[0xFF, 0x10], holder.my_number.as_bytes())
}

/// kenhojo EF `0002` object: `FF 20 { DF21 offsets, DF22 name, DF23 address,
/// DF24 birth date, DF25 sex }` with offsets from the start of the file.
/// Returns the object and the byte range covered by the `DF32` digest.
pub(crate) fn kenhojo_basic4(holder: &Holder) -> (Vec<u8>, core::ops::Range<usize>) {
    let fields = [
        tlv(&[0xDF, 0x22], holder.name.as_bytes()),
        tlv(&[0xDF, 0x23], holder.address.as_bytes()),
        tlv(&[0xDF, 0x24], holder.birth_date.as_bytes()),
        tlv(&[0xDF, 0x25], &[holder.sex.digit()]),
    ];
    with_offset_table(&[0xFF, 0x20], &[0xDF, 0x21], &fields)
}

/// Builds `outer { offsets-tag <offsets>, fields… }`; the offsets point at each
/// field's tag, counted from the first byte of the object. Returns the object and
/// the range of the fields (after the offset table, up to the end of the value).
fn with_offset_table(
    outer: &[u8],
    offsets_tag: &[u8],
    fields: &[Vec<u8>],
) -> (Vec<u8>, core::ops::Range<usize>) {
    let fields_len: usize = fields.iter().map(Vec::len).sum();
    let table_len = offsets_tag.len() + 1 + 2 * fields.len();
    let value_len = table_len + fields_len;
    let mut header = outer.to_vec();
    super::ber::push_length(&mut header, value_len, LengthForm::Minimal);
    let mut offset = header.len() + table_len;
    let mut table = Vec::with_capacity(2 * fields.len());
    for f in fields {
        table.extend_from_slice(&u16::try_from(offset).unwrap_or(u16::MAX).to_be_bytes());
        offset += f.len();
    }
    let mut out = header;
    out.extend_from_slice(&tlv(offsets_tag, &table));
    let start = out.len();
    for f in fields {
        out.extend_from_slice(f);
    }
    let end = out.len();
    (out, start..end)
}

/// kenhojo EF `0003`: `FF 30 { DF31 SHA-256(EF 0001 incl. filler), DF32 SHA-256(EF
/// 0002 fields), DF33 signature over DF31‖DF32 }`.
pub(crate) fn kenhojo_integrity(
    ef0001: &[u8],
    basic4_fields: &[u8],
    signer: &PrivateKey,
) -> Result<Vec<u8>, BuildError> {
    let mut signed = tlv(&[0xDF, 0x31], &Sha256::digest(ef0001));
    signed.extend_from_slice(&tlv(&[0xDF, 0x32], &Sha256::digest(basic4_fields)));
    let sig = sign_sha256(signer, &signed)?;
    signed.extend_from_slice(&tlv(&[0xDF, 0x33], &sig));
    Ok(tlv(&[0xFF, 0x30], &signed))
}

/// kenhojo EF `0005`: `FF 40 82 00 9F { DF41 01 03 0E 01, DF42 key id, DF43 82 00 80
/// <32 bytes + 96 × FF> }`.
pub(crate) fn kenhojo_basic_info(key_id: &[u8; 16], card_key: &PublicKey) -> Vec<u8> {
    let mut df43 = Sha256::digest(super::ber::modulus(card_key)).to_vec();
    df43.resize(128, 0xFF);
    let mut v = tlv(&[0xDF, 0x41], &[0x01, 0x03, 0x0E, 0x01]);
    v.extend_from_slice(&tlv(&[0xDF, 0x42], key_id));
    v.extend_from_slice(&tlv_with(&[0xDF, 0x43], &df43, LengthForm::Long2));
    tlv_with(&[0xFF, 0x40], &v, LengthForm::Long2)
}

/// kenhojo EF `0006`: the public key for session-key delivery, `A1 { 90, 91 }` (a third
/// key, not the card key).
pub(crate) fn kenhojo_session_key(key: &PublicKey) -> Vec<u8> {
    tlv(&[0xA1], &rsa_public_key(key))
}

/// kenhojo EF `0007`: `FF 50 { DF51 card key, DF52 signature over DF51 }`.
pub(crate) fn kenhojo_signed_card_key(
    card_key: &PublicKey,
    signer: &PrivateKey,
) -> Result<Vec<u8>, BuildError> {
    signed_record(
        &[0xFF, 0x50],
        vec![tlv(&[0xDF, 0x51], &rsa_public_key(card_key))],
        &[0xDF, 0x52],
        signer,
    )
}

/// `outer { fields…, sig-tag signature over the fields }` (PKCS#1 v1.5 SHA-256).
fn signed_record(
    outer: &[u8],
    fields: Vec<Vec<u8>>,
    sig_tag: &[u8],
    signer: &PrivateKey,
) -> Result<Vec<u8>, BuildError> {
    let mut v = fields.concat();
    let sig = sign_sha256(signer, &v)?;
    v.extend_from_slice(&tlv(sig_tag, &sig));
    Ok(tlv(outer, &v))
}

/// kenkaku EF `0001` (age record): `FF 10 { DF11 birth date, DF12 card key, DF13
/// signature }`.
pub(crate) fn kenkaku_age(
    holder: &Holder,
    card_key: &PublicKey,
    signer: &PrivateKey,
) -> Result<Vec<u8>, BuildError> {
    signed_record(
        &[0xFF, 0x10],
        vec![
            tlv(&[0xDF, 0x11], holder.birth_date.as_bytes()),
            tlv(&[0xDF, 0x12], &rsa_public_key(card_key)),
        ],
        &[0xDF, 0x13],
        signer,
    )
}

fn image_seed(holder: &Holder, what: &str) -> Vec<u8> {
    let mut seed = what.as_bytes().to_vec();
    seed.extend_from_slice(holder.my_number.as_bytes());
    seed
}

/// kenkaku EF `0002` (card face): `FF 20 { DF21 offsets (9), DF22 birth date, DF23
/// sex, DF24 card key, DF25 name PNG, DF26 address PNG, DF27 photo JP2, DF28
/// signature, DF29 expiry, DF2A security-code PNG }`. `DF28` signs a SHA-256
/// DigestInfo whose 96-byte value is SHA256(DF22‖DF23‖DF24) ‖ SHA256(DF25‖DF26) ‖
/// SHA256(DF27) (TLVs as stored).
pub(crate) fn kenkaku_face(
    holder: &Holder,
    card_key: &PublicKey,
    signer: &PrivateKey,
) -> Result<Vec<u8>, BuildError> {
    let dob = tlv(&[0xDF, 0x22], holder.birth_date.as_bytes());
    let sex = tlv(&[0xDF, 0x23], &[holder.sex.digit()]);
    let key = tlv(&[0xDF, 0x24], &rsa_public_key(card_key));
    let name = tlv(
        &[0xDF, 0x25],
        &images::png(128, 16, &image_seed(holder, "name")),
    );
    let address = tlv(
        &[0xDF, 0x26],
        &images::png(256, 32, &image_seed(holder, "address")),
    );
    let photo = tlv(
        &[0xDF, 0x27],
        &images::jp2(90, 120, &image_seed(holder, "photo")),
    );
    let mut digests = Vec::with_capacity(96);
    digests.extend_from_slice(&Sha256::digest([&dob[..], &sex, &key].concat()));
    digests.extend_from_slice(&Sha256::digest([&name[..], &address].concat()));
    digests.extend_from_slice(&Sha256::digest(&photo));
    let mut digest_info = vec![
        0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x60,
    ];
    digest_info.extend_from_slice(&digests);
    let sig = signer
        .sign(Pkcs1v15Sign::new_unprefixed(), &digest_info)
        .map_err(|_| BuildError::Signing)?;
    let code = holder
        .security_code
        .as_ref()
        .map(|c| c.as_bytes().to_vec())
        .unwrap_or_default();
    let fields = [
        dob,
        sex,
        key,
        name,
        address,
        photo,
        tlv(&[0xDF, 0x28], &sig),
        tlv(&[0xDF, 0x29], holder.card_expiry.as_bytes()),
        tlv(
            &[0xDF, 0x2A],
            &images::png(24, 12, &[&b"code"[..], &code].concat()),
        ),
    ];
    Ok(with_offset_table(&[0xFF, 0x20], &[0xDF, 0x21], &fields).0)
}

/// kenkaku EF `0003` (AP basic info): `FF 30 { DF31 06 03 0E 01, DF32 key id, DF33
/// version, DF34 municipality code, DF35 key id + 256 opaque bytes (zero here) }`.
///
/// `DF35` names another key than `DF32` (on the real J-LIS test card `5900025/001` against
/// `6000024/001`) followed by 256 opaque bytes (an encrypted reference; algorithm and key
/// holder unknown): here `reference_key_id` and 256 bytes of a SHA-256 stream over the
/// municipality code — opaque, and derived from no personal value.
pub(crate) fn kenkaku_basic_info(
    key_id: &[u8; 16],
    reference_key_id: &[u8; 16],
    municipality: &str,
) -> Vec<u8> {
    let mut df35 = reference_key_id.to_vec();
    for block in 0u8..8 {
        let mut h = Sha256::new();
        h.update(b"mynacard TEST kenkaku DF35");
        h.update(municipality.as_bytes());
        h.update([block]);
        df35.extend_from_slice(&h.finalize());
    }
    let mut v = tlv(&[0xDF, 0x31], &[0x06, 0x03, 0x0E, 0x01]);
    v.extend_from_slice(&tlv(&[0xDF, 0x32], key_id));
    v.extend_from_slice(&tlv(&[0xDF, 0x33], &[0x01]));
    v.extend_from_slice(&tlv(&[0xDF, 0x34], municipality.as_bytes()));
    v.extend_from_slice(&tlv(&[0xDF, 0x35], &df35));
    tlv(&[0xFF, 0x30], &v)
}

/// kenkaku EF `0005` (個人番号 image): `FF 40 { DF41 PNG, DF42 card key, DF43
/// signature }`.
pub(crate) fn kenkaku_my_number_image(
    holder: &Holder,
    card_key: &PublicKey,
    signer: &PrivateKey,
) -> Result<Vec<u8>, BuildError> {
    signed_record(
        &[0xFF, 0x40],
        vec![
            tlv(
                &[0xDF, 0x41],
                &images::png(72, 12, &image_seed(holder, "number")),
            ),
            tlv(&[0xDF, 0x42], &rsa_public_key(card_key)),
        ],
        &[0xDF, 0x43],
        signer,
    )
}

/// Physical size of an EF holding a variable object: the next multiple of 256
/// strictly above the object (so at least one `FF` filler byte follows it).
pub(crate) fn padded_size(object_len: usize, minimum: usize) -> usize {
    minimum.max((object_len / 256 + 1) * 256)
}
