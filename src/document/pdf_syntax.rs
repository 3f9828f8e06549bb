//! A bounded reader of the few PDF objects signature checking needs: dictionaries, arrays,
//! names, integers, indirect references and strings (ISO 32000-1 §7.2–7.3). Not a PDF
//! parser: content streams are never decoded, cross-reference tables never trusted. Every
//! loop is bounded by the input and by [`MAX_DEPTH`] / [`MAX_TOKENS`]; nothing panics.

use core::ops::Range;

/// Nesting of arrays and dictionaries.
pub(crate) const MAX_DEPTH: usize = 32;
/// Tokens read for one dictionary.
pub(crate) const MAX_TOKENS: usize = 100_000;

/// A value of a dictionary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// An integer (reals and out-of-range integers are [`Value::Other`]).
    Int(i64),
    /// `/Name`: the bytes after the slash (escapes not decoded).
    Name(Range<usize>),
    /// `<…>` hex string: the range of the whole string, delimiters included.
    Hex(Range<usize>),
    /// `n g R`.
    Ref(u32, u16),
    /// `[…]`.
    Array(Vec<Value>),
    /// `<<…>>`: the entries, with the range of the whole dictionary.
    Dict(Dict),
    /// Anything else (literal strings, reals, booleans, null).
    Other,
}

/// A dictionary: its entries in order and where it lies in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dict {
    /// From `<<` to after `>>`.
    pub(crate) span: Range<usize>,
    /// `(key name bytes, position of the key's slash, value)`.
    pub(crate) entries: Vec<(Range<usize>, usize, Value)>,
}

impl Dict {
    /// The value of the first entry named `key`.
    pub(crate) fn get<'a>(&'a self, pdf: &[u8], key: &[u8]) -> Option<&'a Value> {
        self.entries
            .iter()
            .find(|(k, _, _)| pdf.get(k.clone()) == Some(key))
            .map(|(_, _, v)| v)
    }
}

fn is_white(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// A cursor over the file with a token budget.
pub(crate) struct Reader<'a> {
    pdf: &'a [u8],
    pos: usize,
    tokens: usize,
}

/// Why a read failed (a static reason; the caller adds the offset).
pub(crate) type Fail = &'static str;

impl<'a> Reader<'a> {
    pub(crate) fn new(pdf: &'a [u8], pos: usize) -> Self {
        Self {
            pdf,
            pos,
            tokens: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.pdf.get(self.pos).copied()
    }

    fn at(&self, s: &[u8]) -> bool {
        self.pdf
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(s))
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn spend(&mut self) -> Result<(), Fail> {
        self.tokens += 1;
        if self.tokens > MAX_TOKENS {
            Err("too many tokens")
        } else {
            Ok(())
        }
    }

    /// A run of regular characters.
    fn regular(&mut self) -> Range<usize> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if is_white(b) || is_delim(b) {
                break;
            }
            self.pos += 1;
        }
        start..self.pos
    }

    /// Reads one value at the cursor.
    pub(crate) fn value(&mut self, depth: usize) -> Result<Value, Fail> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply");
        }
        self.spend()?;
        self.skip_space();
        match self.peek() {
            None => Err("ends inside an object"),
            Some(b'<') if self.at(b"<<") => self.dict(depth).map(Value::Dict),
            Some(b'<') => self.hex(),
            Some(b'(') => self.literal(),
            Some(b'/') => {
                self.pos += 1;
                Ok(Value::Name(self.regular()))
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.peek() {
                        None => return Err("array not closed"),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Value::Array(items));
                        }
                        Some(_) => items.push(self.value(depth + 1)?),
                    }
                }
            }
            Some(b) if is_delim(b) => Err("unexpected delimiter"),
            Some(_) => {
                let word = self.regular();
                let text = self.pdf.get(word.clone()).unwrap_or_default();
                let Some(n) = parse_int(text) else {
                    return Ok(Value::Other);
                };
                // `n g R`?
                let save = self.pos;
                self.skip_space();
                let g = self.regular();
                self.skip_space();
                let r = self.regular();
                let gen_num = parse_int(self.pdf.get(g).unwrap_or_default());
                if self.pdf.get(r) == Some(b"R".as_slice())
                    && let (Ok(obj), Some(Ok(gen_num))) =
                        (u32::try_from(n), gen_num.map(u16::try_from))
                {
                    return Ok(Value::Ref(obj, gen_num));
                }
                self.pos = save;
                Ok(Value::Int(n))
            }
        }
    }

    /// `<< /Key value … >>` at the cursor.
    pub(crate) fn dict(&mut self, depth: usize) -> Result<Dict, Fail> {
        self.skip_space();
        let start = self.pos;
        if !self.at(b"<<") {
            return Err("not a dictionary");
        }
        self.pos += 2;
        let mut entries = Vec::new();
        loop {
            self.spend()?;
            self.skip_space();
            if self.at(b">>") {
                self.pos += 2;
                return Ok(Dict {
                    span: start..self.pos,
                    entries,
                });
            }
            match self.peek() {
                None => return Err("dictionary not closed"),
                Some(b'/') => {
                    let at = self.pos;
                    self.pos += 1;
                    let key = self.regular();
                    let value = self.value(depth + 1)?;
                    entries.push((key, at, value));
                }
                Some(_) => return Err("dictionary key is not a name"),
            }
        }
    }

    fn hex(&mut self) -> Result<Value, Fail> {
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                return Ok(Value::Hex(start..self.pos));
            }
            if !(b.is_ascii_hexdigit() || is_white(b)) {
                return Err("hex string holds a non-hex character");
            }
        }
        Err("hex string not closed")
    }

    fn literal(&mut self) -> Result<Value, Fail> {
        self.pos += 1;
        let mut depth = 1usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(Value::Other);
                    }
                }
                _ => {}
            }
        }
        Err("string not closed")
    }
}

/// A PDF integer (optional sign, digits); `None` for anything else.
pub(crate) fn parse_int(text: &[u8]) -> Option<i64> {
    let (neg, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = digits
        .iter()
        .fold(0i64, |a, d| a * 10 + i64::from(d - b'0'));
    Some(if neg { -n } else { n })
}

/// The bytes of a hex string (delimiters included in `range`), whitespace skipped, an odd
/// last digit read as followed by 0.
pub(crate) fn decode_hex(pdf: &[u8], range: Range<usize>) -> Vec<u8> {
    let inner = pdf
        .get(range.start.saturating_add(1)..range.end.saturating_sub(1))
        .unwrap_or_default();
    let mut out = Vec::with_capacity(inner.len() / 2 + 1);
    let mut high: Option<u8> = None;
    for &c in inner {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => continue,
        };
        match high.take() {
            None => high = Some(v),
            Some(h) => out.push(h << 4 | v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    out
}

/// Every position of `needle` in `hay` (at most `limit`; `None` when there are more).
pub(crate) fn find_all(hay: &[u8], needle: &[u8], limit: usize) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let Some(&first) = needle.first() else {
        return Some(out);
    };
    let mut i = 0;
    while let Some(off) = hay
        .get(i..)
        .and_then(|h| h.iter().position(|&b| b == first))
    {
        let at = i + off;
        if hay.get(at..).is_some_and(|h| h.starts_with(needle)) {
            if out.len() == limit {
                return None;
            }
            out.push(at);
        }
        i = at + 1;
    }
    Some(out)
}

/// The last position of `needle` in `hay[..end]`.
pub(crate) fn rfind(hay: &[u8], needle: &[u8], end: usize) -> Option<usize> {
    let hay = hay.get(..end.min(hay.len()))?;
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay.get(i..i + needle.len()) == Some(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_signature_dictionary() {
        let pdf = b"<< /Type /Sig /ByteRange [0 10 20 30] /Contents <3082 00> /P 3 0 R /M (D:2026(x)\\)) >>";
        let d = Reader::new(pdf, 0).dict(0).expect("dict");
        assert_eq!(d.span, 0..pdf.len());
        assert_eq!(
            d.get(pdf, b"ByteRange"),
            Some(&Value::Array(vec![
                Value::Int(0),
                Value::Int(10),
                Value::Int(20),
                Value::Int(30)
            ]))
        );
        assert_eq!(d.get(pdf, b"P"), Some(&Value::Ref(3, 0)));
        let Some(Value::Hex(h)) = d.get(pdf, b"Contents") else {
            panic!("hex")
        };
        assert_eq!(decode_hex(pdf, h.clone()), vec![0x30, 0x82, 0x00]);
    }

    #[test]
    fn hostile_dictionaries_fail_typed() {
        let deep = [b"<< /A ".repeat(40), b">>".repeat(40)].concat();
        assert_eq!(Reader::new(&deep, 0).dict(0), Err("nested too deeply"));
        assert!(Reader::new(b"<< /A (unclosed", 0).dict(0).is_err());
        assert!(Reader::new(b"<< /A <12 zz> >>", 0).dict(0).is_err());
        assert!(Reader::new(b"<< 12 /A >>", 0).dict(0).is_err());
        assert_eq!(parse_int(b"-12"), Some(-12));
        assert_eq!(parse_int(b"1234567890123456789"), None);
        assert_eq!(find_all(b"aXaXa", b"a", 2), None);
        assert_eq!(rfind(b"abcabc", b"bc", 6), Some(4));
    }
}
