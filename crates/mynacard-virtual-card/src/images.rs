//! Placeholder images for the card face: small 1-bit PNGs (name, address,
//! security code, 個人番号) and a JPEG 2000 (JP2) photo. They are deterministic per
//! holder and plainly marked as test data; they render no real text or face.

use sha2::{Digest, Sha256};

const TEST_MARK: &str = "TEST DATA - mynacard virtual My Number Card placeholder";

/// A 1-bit greyscale PNG of `width` × `height` whose pixels are a pattern derived
/// from `seed`, with a `tEXt` comment saying it is test data.
pub(crate) fn png(width: u32, height: u32, seed: &[u8]) -> Vec<u8> {
    let row_len = width.div_ceil(8) as usize;
    let mut raw = Vec::with_capacity((row_len + 1) * height as usize);
    for row in 0..height {
        raw.push(0); // filter: none
        let mut h = Sha256::new();
        h.update(seed);
        h.update(row.to_be_bytes());
        let bits = h.finalize();
        raw.extend(bits.iter().cycle().take(row_len));
    }

    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]); // 1 bit, greyscale, deflate, filter 0, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    let mut text = b"Comment\0".to_vec();
    text.extend_from_slice(TEST_MARK.as_bytes());
    chunk(&mut out, b"tEXt", &text);
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A JP2 file (signature, `ftyp`, `jp2h` with `ihdr`/`colr` greyscale, `jp2c`) whose
/// codestream holds SOC, SIZ, a COM marker naming it test data, and EOC.
pub(crate) fn jp2(width: u32, height: u32, seed: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    jp2_box(&mut out, b"jP  ", &[0x0D, 0x0A, 0x87, 0x0A]);
    jp2_box(&mut out, b"ftyp", b"jp2 \0\0\0\0jp2 ");
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&[0x00, 0x01, 0x07, 0x07, 0x00, 0x00]); // 1 component, 8-bit, JPEG 2000
    let mut header = Vec::new();
    jp2_box(&mut header, b"ihdr", &ihdr);
    jp2_box(
        &mut header,
        b"colr",
        &[0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11],
    ); // greyscale
    jp2_box(&mut out, b"jp2h", &header);

    let mut cs = vec![0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29, 0x00, 0x00];
    for v in [width, height, 0, 0, width, height, 0, 0] {
        cs.extend_from_slice(&v.to_be_bytes());
    }
    cs.extend_from_slice(&[0x00, 0x01, 0x07, 0x01, 0x01]);
    let digest = Sha256::digest(seed);
    let mut comment = TEST_MARK.as_bytes().to_vec();
    comment.extend_from_slice(b" - face ");
    for b in digest {
        comment.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    let lcom = u16::try_from(comment.len() + 4).unwrap_or(u16::MAX);
    cs.extend_from_slice(&[0xFF, 0x64]);
    cs.extend_from_slice(&lcom.to_be_bytes());
    cs.extend_from_slice(&[0x00, 0x01]); // Rcom: Latin text
    cs.extend_from_slice(&comment);
    cs.extend_from_slice(&[0xFF, 0xD9]);
    jp2_box(&mut out, b"jp2c", &cs);
    out
}

fn jp2_box(out: &mut Vec<u8>, kind: &[u8; 4], payload: &[u8]) {
    let len = u32::try_from(payload.len() + 8).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(payload);
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(out.get(start..).unwrap_or_default());
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream made of stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(0xFFFF).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xFF, 0xFF]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_png_shape() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        let p = png(24, 12, b"seed");
        assert_eq!(p[..8], [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        assert_eq!(
            p[p.len() - 12..],
            [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]
        );
        assert_eq!(png(24, 12, b"seed"), p);
        assert_ne!(png(24, 12, b"other"), p);
    }

    #[test]
    fn jp2_shape() {
        let j = jp2(90, 120, b"seed");
        assert_eq!(
            j[..12],
            [
                0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A
            ]
        );
        assert_eq!(j[j.len() - 2..], [0xFF, 0xD9]);
    }
}
