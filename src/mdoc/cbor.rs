//! A bounded CBOR reader that keeps every item's exact bytes.
//!
//! mdoc signatures and digests cover bytes as the holder sent them (IssuerSignedItemBytes,
//! DeviceEngagementBytes, ItemsRequestBytes, DeviceNameSpacesBytes): a decoded value is never
//! re-encoded for a check. Each [`Node`] borrows its span of the input. Limits: nesting depth,
//! total item count, and no length may exceed the bytes left (so nothing allocates ahead of the
//! input). Indefinite-length strings are refused; indefinite arrays and maps are read.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::MdocError;

/// Deepest nesting accepted (a DeviceResponse nests about 9 levels).
pub const MAX_DEPTH: usize = 24;
/// Most items (of any kind) in one decoded message.
pub const MAX_ITEMS: usize = 65_536;

/// A decoded CBOR item and its exact encoding.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// The item's bytes in the input (header and content).
    pub raw: &'a [u8],
    /// Offset of `raw` in the decoded input.
    pub offset: usize,
    /// The decoded value.
    pub value: Value<'a>,
}

/// A CBOR value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Major type 0.
    Uint(u64),
    /// Major type 1: the value is `-1 - n`.
    Nint(u64),
    /// Byte string.
    Bytes(&'a [u8]),
    /// Text string (UTF-8 checked).
    Text(&'a str),
    /// Array.
    Array(Vec<Node<'a>>),
    /// Map, in encoded order.
    Map(Vec<(Node<'a>, Node<'a>)>),
    /// Tagged item.
    Tag(u64, Box<Node<'a>>),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `undefined`.
    Undefined,
    /// A float (half, single or double), as f64.
    Float(f64),
    /// Another simple value.
    Simple(u8),
}

/// Decodes exactly one item filling `input`.
pub fn decode(input: &[u8]) -> Result<Node<'_>, MdocError> {
    let mut d = Decoder {
        input,
        pos: 0,
        items: 0,
    };
    let node = d.item(0)?;
    if d.pos != input.len() {
        return Err(MdocError::Cbor {
            offset: d.pos,
            reason: "trailing bytes after the item",
        });
    }
    Ok(node)
}

struct Decoder<'a> {
    input: &'a [u8],
    pos: usize,
    items: usize,
}

const BREAK: u8 = 0xff;

impl<'a> Decoder<'a> {
    fn err(&self, reason: &'static str) -> MdocError {
        MdocError::Cbor {
            offset: self.pos,
            reason,
        }
    }

    fn byte(&mut self) -> Result<u8, MdocError> {
        let b = *self
            .input
            .get(self.pos)
            .ok_or_else(|| self.err("truncated"))?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], MdocError> {
        let n = usize::try_from(n).map_err(|_| self.err("length beyond the input"))?;
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.input.len())
            .ok_or_else(|| self.err("length beyond the input"))?;
        let s = &self.input[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// The argument of a header with additional information `ai`; `None` = indefinite.
    fn argument(&mut self, ai: u8) -> Result<Option<u64>, MdocError> {
        let n = match ai {
            0..=23 => return Ok(Some(u64::from(ai))),
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            31 => return Ok(None),
            _ => return Err(self.err("reserved additional information")),
        };
        let bytes = self.take(n)?;
        Ok(Some(
            bytes.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b)),
        ))
    }

    fn count(&mut self) -> Result<(), MdocError> {
        self.items += 1;
        if self.items > MAX_ITEMS {
            Err(self.err("too many items"))
        } else {
            Ok(())
        }
    }

    fn item(&mut self, depth: usize) -> Result<Node<'a>, MdocError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        self.count()?;
        let start = self.pos;
        let head = self.byte()?;
        let (major, ai) = (head >> 5, head & 0x1f);
        let arg = self.argument(ai)?;
        let value = match (major, arg) {
            (0, Some(n)) => Value::Uint(n),
            (1, Some(n)) => Value::Nint(n),
            (2, Some(n)) => Value::Bytes(self.take(n)?),
            (3, Some(n)) => {
                let at = self.pos;
                let s = self.take(n)?;
                Value::Text(core::str::from_utf8(s).map_err(|_| MdocError::Cbor {
                    offset: at,
                    reason: "text is not UTF-8",
                })?)
            }
            (2 | 3, None) => return Err(self.err("indefinite-length string")),
            (4, n) => {
                let mut v = Vec::new();
                let mut i = 0u64;
                loop {
                    match n {
                        Some(n) if i == n => break,
                        None if self.input.get(self.pos) == Some(&BREAK) => {
                            self.pos += 1;
                            break;
                        }
                        _ => {}
                    }
                    v.push(self.item(depth + 1)?);
                    i += 1;
                }
                Value::Array(v)
            }
            (5, n) => {
                let mut v = Vec::new();
                let mut i = 0u64;
                loop {
                    match n {
                        Some(n) if i == n => break,
                        None if self.input.get(self.pos) == Some(&BREAK) => {
                            self.pos += 1;
                            break;
                        }
                        _ => {}
                    }
                    let k = self.item(depth + 1)?;
                    let val = self.item(depth + 1)?;
                    v.push((k, val));
                    i += 1;
                }
                Value::Map(v)
            }
            (6, Some(t)) => Value::Tag(t, Box::new(self.item(depth + 1)?)),
            (7, Some(n)) => match (ai, n) {
                (20, _) => Value::Bool(false),
                (21, _) => Value::Bool(true),
                (22, _) => Value::Null,
                (23, _) => Value::Undefined,
                (24, n) => Value::Simple(n as u8),
                (25, n) => Value::Float(half(n as u16)),
                (26, n) => Value::Float(f64::from(f32::from_bits(n as u32))),
                (27, n) => Value::Float(f64::from_bits(n)),
                (_, n) => Value::Simple(n as u8),
            },
            _ => return Err(self.err("unexpected break or indefinite item")),
        };
        Ok(Node {
            raw: &self.input[start..self.pos],
            offset: start,
            value,
        })
    }
}

/// IEEE 754 half precision to f64.
fn half(h: u16) -> f64 {
    let exp = (h >> 10) & 0x1f;
    let mant = f64::from(h & 0x3ff);
    // 2^k as an f64 built from its exponent bits (k in −24..=15 here).
    let pow2 = |k: i32| f64::from_bits(((1023 + k) as u64) << 52);
    let v = match exp {
        0 => mant * pow2(-24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + mant / 1024.0) * pow2(i32::from(e) - 15),
    };
    if h & 0x8000 != 0 { -v } else { v }
}

impl<'a> Node<'a> {
    /// The text, or a typed error naming `field`.
    pub fn text(&self, field: &'static str) -> Result<&'a str, MdocError> {
        match self.value {
            Value::Text(t) => Ok(t),
            _ => Err(MdocError::Field {
                field,
                reason: "not a text string",
            }),
        }
    }

    /// The byte string, or a typed error naming `field`.
    pub fn bytes(&self, field: &'static str) -> Result<&'a [u8], MdocError> {
        match self.value {
            Value::Bytes(b) => Ok(b),
            _ => Err(MdocError::Field {
                field,
                reason: "not a byte string",
            }),
        }
    }

    /// The unsigned integer, or a typed error naming `field`.
    pub fn uint(&self, field: &'static str) -> Result<u64, MdocError> {
        match self.value {
            Value::Uint(n) => Ok(n),
            _ => Err(MdocError::Field {
                field,
                reason: "not an unsigned integer",
            }),
        }
    }

    /// The integer (major type 0 or 1) as i64, if it fits.
    pub fn int(&self) -> Option<i64> {
        match self.value {
            Value::Uint(n) => i64::try_from(n).ok(),
            Value::Nint(n) => i64::try_from(n).ok().map(|n| -1 - n),
            _ => None,
        }
    }

    /// The array's items, or a typed error naming `field`.
    pub fn array(&self, field: &'static str) -> Result<&[Node<'a>], MdocError> {
        match &self.value {
            Value::Array(v) => Ok(v),
            _ => Err(MdocError::Field {
                field,
                reason: "not an array",
            }),
        }
    }

    /// The map's entries, or a typed error naming `field`.
    pub fn map(&self, field: &'static str) -> Result<&[(Node<'a>, Node<'a>)], MdocError> {
        match &self.value {
            Value::Map(v) => Ok(v),
            _ => Err(MdocError::Field {
                field,
                reason: "not a map",
            }),
        }
    }

    /// The content of `#6.24(bstr)` (embedded CBOR), or a typed error naming `field`.
    pub fn tag24(&self, field: &'static str) -> Result<&'a [u8], MdocError> {
        match &self.value {
            Value::Tag(24, inner) => inner.bytes(field),
            _ => Err(MdocError::Field {
                field,
                reason: "not an embedded CBOR item (tag 24)",
            }),
        }
    }

    /// Whether this is the text `key`.
    pub fn is_text(&self, key: &str) -> bool {
        matches!(self.value, Value::Text(t) if t == key)
    }

    /// Whether this is the integer `key`.
    pub fn is_int(&self, key: i64) -> bool {
        self.int() == Some(key)
    }
}

/// The value under text key `key` of a map's entries.
pub fn get<'n, 'a>(map: &'n [(Node<'a>, Node<'a>)], key: &str) -> Option<&'n Node<'a>> {
    map.iter().find(|(k, _)| k.is_text(key)).map(|(_, v)| v)
}

/// The value under integer key `key` of a map's entries.
pub fn get_int<'n, 'a>(map: &'n [(Node<'a>, Node<'a>)], key: i64) -> Option<&'n Node<'a>> {
    map.iter().find(|(k, _)| k.is_int(key)).map(|(_, v)| v)
}

/// The value under `key`, or a `mdoc.missing_field` error.
pub fn require<'n, 'a>(
    map: &'n [(Node<'a>, Node<'a>)],
    key: &'static str,
) -> Result<&'n Node<'a>, MdocError> {
    get(map, key).ok_or(MdocError::MissingField { field: key })
}

// ---- encoding -------------------------------------------------------------------------------

/// Appends a CBOR header (shortest form).
pub fn put_header(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n <= 0xff {
        out.extend_from_slice(&[m | 24, n as u8]);
    } else if n <= 0xffff {
        out.push(m | 25);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else if n <= 0xffff_ffff {
        out.push(m | 26);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// Appends a byte string.
pub fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_header(out, 2, b.len() as u64);
    out.extend_from_slice(b);
}

/// Appends a text string.
pub fn put_text(out: &mut Vec<u8>, t: &str) {
    put_header(out, 3, t.len() as u64);
    out.extend_from_slice(t.as_bytes());
}

/// `#6.24(bstr .cbor item)` around already-encoded `item`.
pub fn tag24(item: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(item.len() + 6);
    put_header(&mut out, 6, 24);
    put_bytes(&mut out, item);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_and_bounds() {
        // {"a": 24(h'01'), "b": [1, -2]}
        let bytes = [
            0xa2, 0x61, b'a', 0xd8, 0x18, 0x41, 0x01, 0x61, b'b', 0x82, 0x01, 0x21,
        ];
        let n = decode(&bytes).expect("decode");
        let m = n.map("root").expect("map");
        let a = get(m, "a").expect("a");
        assert_eq!(a.raw, &[0xd8, 0x18, 0x41, 0x01]);
        assert_eq!(a.tag24("a").expect("tag"), &[0x01]);
        let b = get(m, "b").expect("b").array("b").expect("array");
        assert_eq!(b[1].int(), Some(-2));
        // A length past the input, deep nesting, trailing bytes: typed errors, no panic.
        assert!(matches!(
            decode(&[0x5a, 0xff, 0xff, 0xff, 0xff]),
            Err(MdocError::Cbor { .. })
        ));
        assert!(matches!(decode(&[0x81; 64]), Err(MdocError::Cbor { .. })));
        assert!(matches!(
            decode(&[0x01, 0x02]),
            Err(MdocError::Cbor { offset: 1, .. })
        ));
        assert!(decode(&[0x9f, 0x01, 0xff]).is_ok());
        assert!(matches!(
            decode(&[0x5f, 0x41, 0x00, 0xff]),
            Err(MdocError::Cbor { .. })
        ));
        let mut enc = Vec::new();
        put_header(&mut enc, 2, 300);
        assert_eq!(enc, [0x59, 0x01, 0x2c]);
    }
}
