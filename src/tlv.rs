//! A zero-copy BER-TLV reader for the card's data objects.
//!
//! The 券面 APs write private-class tags in high-tag-number form even for small
//! numbers (`FF 20`, `DF 21`) and sometimes use non-minimal lengths (`82 00 9F`):
//! both are accepted. Tags are kept as raw bytes. Every error carries the byte
//! offset where it was found, relative to the start of the buffer given to
//! [`Reader::new`] (plus any base offset).

/// Why bytes are not well-formed BER-TLV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TlvError {
    /// The buffer ends inside a tag, a length, or a value.
    #[error("truncated TLV at offset {offset}: {needed} byte(s) needed, {available} available")]
    Truncated {
        /// Offset of the object's first byte.
        offset: usize,
        /// Bytes the object needs from its first byte.
        needed: usize,
        /// Bytes present from its first byte.
        available: usize,
    },
    /// A multi-byte tag longer than 4 bytes.
    #[error("tag longer than 4 bytes at offset {offset}")]
    TagTooLong {
        /// Offset of the tag.
        offset: usize,
    },
    /// The indefinite length form (`80`), which the card never uses.
    #[error("indefinite length at offset {offset}")]
    IndefiniteLength {
        /// Offset of the length byte.
        offset: usize,
    },
    /// A long-form length of more than 4 bytes (or the reserved `FF`).
    #[error("length field longer than 4 bytes at offset {offset}")]
    LengthTooLong {
        /// Offset of the length byte.
        offset: usize,
    },
}

/// The header of a TLV object: how long its tag and length fields are and how
/// long a value it declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Bytes of the tag field.
    pub tag_len: usize,
    /// Bytes of the length field.
    pub len_len: usize,
    /// The declared value length.
    pub value_len: usize,
}

impl Header {
    /// Parses the header at the start of `bytes`. Only the header needs to be
    /// present; the value may be missing (this is how a reader sizes a file from
    /// its first bytes). DER (X.509) headers are BER headers, so this also sizes
    /// certificates.
    pub fn parse(bytes: &[u8]) -> Result<Self, TlvError> {
        Self::parse_at(bytes, 0)
    }

    fn parse_at(bytes: &[u8], offset: usize) -> Result<Self, TlvError> {
        let truncated = |needed| TlvError::Truncated {
            offset,
            needed,
            available: bytes.len(),
        };
        let first = *bytes.first().ok_or(truncated(1))?;
        let mut tag_len = 1;
        if first & 0x1F == 0x1F {
            loop {
                let b = *bytes.get(tag_len).ok_or(truncated(tag_len + 1))?;
                tag_len += 1;
                if b & 0x80 == 0 {
                    break;
                }
                if tag_len >= 4 {
                    return Err(TlvError::TagTooLong { offset });
                }
            }
        }
        let l0 = *bytes.get(tag_len).ok_or(truncated(tag_len + 1))?;
        let (len_len, value_len) = match l0 {
            0x00..=0x7F => (1, l0 as usize),
            0x80 => {
                return Err(TlvError::IndefiniteLength {
                    offset: offset + tag_len,
                });
            }
            0x81..=0x84 => {
                let n = (l0 & 0x7F) as usize;
                let field = bytes
                    .get(tag_len + 1..tag_len + 1 + n)
                    .ok_or(truncated(tag_len + 1 + n))?;
                let v = field.iter().fold(0usize, |acc, &b| (acc << 8) | b as usize);
                (1 + n, v)
            }
            _ => {
                return Err(TlvError::LengthTooLong {
                    offset: offset + tag_len,
                });
            }
        };
        Ok(Self {
            tag_len,
            len_len,
            value_len,
        })
    }

    /// Tag plus length bytes.
    pub fn header_len(&self) -> usize {
        self.tag_len + self.len_len
    }

    /// Header plus value: the whole object's length.
    pub fn total_len(&self) -> usize {
        self.header_len().saturating_add(self.value_len)
    }
}

/// One TLV object, borrowed from the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    tag: &'a [u8],
    value: &'a [u8],
    raw: &'a [u8],
    offset: usize,
}

impl<'a> Tlv<'a> {
    /// Parses exactly one object at the start of `bytes`; returns it and the
    /// number of bytes it occupies. `base` is added to offsets in errors.
    pub fn parse(bytes: &'a [u8], base: usize) -> Result<(Self, usize), TlvError> {
        let h = Header::parse_at(bytes, base)?;
        let total = h.total_len();
        if total > bytes.len() {
            return Err(TlvError::Truncated {
                offset: base,
                needed: total,
                available: bytes.len(),
            });
        }
        Ok((
            Self {
                tag: &bytes[..h.tag_len],
                value: &bytes[h.header_len()..total],
                raw: &bytes[..total],
                offset: base,
            },
            total,
        ))
    }

    /// The tag bytes (`[0xFF, 0x20]`, `[0xDF, 0x21]`, `[0x30]`…).
    pub fn tag(&self) -> &'a [u8] {
        self.tag
    }

    /// The value bytes.
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The whole object: tag, length and value, as stored.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Offset of the tag's first byte.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Offset of the value's first byte.
    pub fn value_offset(&self) -> usize {
        self.offset + (self.raw.len() - self.value.len())
    }

    /// Whether the constructed bit (b6 of the first tag byte) is set.
    pub fn is_constructed(&self) -> bool {
        self.tag[0] & 0x20 != 0
    }

    /// The objects inside this one's value.
    pub fn children(&self) -> Reader<'a> {
        Reader::with_base(self.value, self.value_offset())
    }
}

/// An iterator over consecutive TLV objects in a buffer. It stops (without
/// error) at the end of the buffer or at filler: a `00` byte, or `FF` followed by
/// `FF` or by the end of the buffer. After an error it yields nothing more.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
    done: bool,
}

impl<'a> Reader<'a> {
    /// Reads objects from the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self::with_base(bytes, 0)
    }

    /// Reads objects from `bytes`, reporting offsets as `base + position`.
    pub fn with_base(bytes: &'a [u8], base: usize) -> Self {
        Self {
            bytes,
            pos: 0,
            base,
            done: false,
        }
    }

    /// Finds the first object with the given tag (errors on the way are returned).
    pub fn find(self, tag: &[u8]) -> Result<Option<Tlv<'a>>, TlvError> {
        for item in self {
            let tlv = item?;
            if tlv.tag() == tag {
                return Ok(Some(tlv));
            }
        }
        Ok(None)
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Tlv<'a>, TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = &self.bytes[self.pos..];
        let is_filler = matches!(rest, [] | [0x00, ..] | [0xFF] | [0xFF, 0xFF, ..]);
        if is_filler {
            self.done = true;
            return None;
        }
        match Tlv::parse(rest, self.base + self.pos) {
            Ok((tlv, used)) => {
                self.pos += used;
                Some(Ok(tlv))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn private_tags_and_non_minimal_length() {
        // FF 40 82 00 09 { DF 41 04 01 03 0E 01, DF 42 01 AA } then filler
        let data = [
            0xFF, 0x40, 0x82, 0x00, 0x0B, 0xDF, 0x41, 0x04, 0x01, 0x03, 0x0E, 0x01, 0xDF, 0x42,
            0x01, 0xAA, 0xFF, 0xFF, 0xFF,
        ];
        let mut r = Reader::new(&data);
        let outer = r.next().unwrap().unwrap();
        assert!(r.next().is_none(), "filler ends the iteration");
        assert_eq!(outer.tag(), &[0xFF, 0x40]);
        assert!(outer.is_constructed());
        assert_eq!(outer.value().len(), 11);
        assert_eq!(outer.value_offset(), 5);
        let kids: Vec<_> = outer.children().map(Result::unwrap).collect();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[0].tag(), &[0xDF, 0x41]);
        assert_eq!(kids[0].value(), &[0x01, 0x03, 0x0E, 0x01]);
        assert_eq!(kids[0].offset(), 5);
        assert_eq!(kids[1].tag(), &[0xDF, 0x42]);
        assert_eq!(kids[1].value(), &[0xAA]);
        assert_eq!(kids[1].offset(), 12);
        assert!(!kids[1].is_constructed());
        assert_eq!(
            outer
                .children()
                .find(&[0xDF, 0x42])
                .unwrap()
                .unwrap()
                .value(),
            &[0xAA]
        );
        assert_eq!(outer.children().find(&[0xDF, 0x43]).unwrap(), None);
    }

    #[test]
    fn header_sizes_a_file_from_its_first_bytes() {
        assert_eq!(
            Header::parse(&[0x30, 0x82, 0x06, 0x2B, 0x30]).unwrap(),
            Header {
                tag_len: 1,
                len_len: 3,
                value_len: 0x62B
            }
        );
        assert_eq!(
            Header::parse(&[0x30, 0x82, 0x06, 0x2B])
                .unwrap()
                .total_len(),
            1583
        );
        assert_eq!(
            Header::parse(&[0x7F, 0x21, 0x82, 0x02, 0x33]).unwrap(),
            Header {
                tag_len: 2,
                len_len: 3,
                value_len: 0x233
            }
        );
        assert_eq!(
            Header::parse(&[0xFF, 0x10, 0x0C]).unwrap(),
            Header {
                tag_len: 2,
                len_len: 1,
                value_len: 12
            }
        );
        assert_eq!(
            Header::parse(&[0x04, 0x84, 0x00, 0x00, 0x01, 0x00])
                .unwrap()
                .value_len,
            256
        );
    }

    #[test]
    fn truncated_header_and_value() {
        assert_eq!(
            Header::parse(&[]),
            Err(TlvError::Truncated {
                offset: 0,
                needed: 1,
                available: 0
            })
        );
        assert_eq!(
            Header::parse(&[0xFF]),
            Err(TlvError::Truncated {
                offset: 0,
                needed: 2,
                available: 1
            })
        );
        assert_eq!(
            Header::parse(&[0x30, 0x82, 0x06]),
            Err(TlvError::Truncated {
                offset: 0,
                needed: 4,
                available: 3
            })
        );
        let data = [0xDF, 0x22, 0x05, 1, 2];
        assert_eq!(
            Reader::new(&data).next().unwrap(),
            Err(TlvError::Truncated {
                offset: 0,
                needed: 8,
                available: 5
            })
        );
    }

    #[test]
    fn length_beyond_buffer_in_nested_object_reports_absolute_offset() {
        // outer is fine, inner claims 0x10 bytes but only 2 exist inside the outer value
        let data = [0xFF, 0x20, 0x04, 0xDF, 0x21, 0x10, 0x00];
        let outer = Reader::new(&data).next().unwrap().unwrap();
        assert_eq!(
            outer.children().next().unwrap(),
            Err(TlvError::Truncated {
                offset: 3,
                needed: 19,
                available: 4
            })
        );
    }

    #[test]
    fn rejected_forms() {
        assert_eq!(
            Header::parse(&[0x30, 0x80]),
            Err(TlvError::IndefiniteLength { offset: 1 })
        );
        assert_eq!(
            Header::parse(&[0x30, 0x85, 0, 0, 0, 0, 1]),
            Err(TlvError::LengthTooLong { offset: 1 })
        );
        assert_eq!(
            Header::parse(&[0xDF, 0x21, 0xFF]),
            Err(TlvError::LengthTooLong { offset: 2 })
        );
        assert_eq!(
            Header::parse(&[0x1F, 0x81, 0x82, 0x83, 0x04, 0x00]),
            Err(TlvError::TagTooLong { offset: 0 })
        );
    }

    #[test]
    fn errors_stop_the_iteration() {
        let data = [0x30, 0x80, 0x01, 0x01, 0x00];
        let mut r = Reader::new(&data);
        assert!(matches!(
            r.next(),
            Some(Err(TlvError::IndefiniteLength { .. }))
        ));
        assert!(r.next().is_none());
    }

    #[test]
    fn zero_filler_and_empty_values() {
        let data = [0xDF, 0x25, 0x00, 0x00, 0x00];
        let items: Vec<_> = Reader::new(&data).collect();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].unwrap().value(), &[] as &[u8]);
    }
}
