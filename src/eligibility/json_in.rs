//! The terminal's JSON answer (照会区分 2, the web endpoint of
//! `eligibility-interface.md` §1.1 row D): the same `XmlMsg` tree as JSON —
//! an object is an element whose keys are its children, a string (or number)
//! a leaf's text, `null` an absent element, and an array either the children
//! of a list element (`"ResultList": [{"ResultOfQualificationConfirmation":
//! {…}}, …]`, objects) or a repeated leaf (texts). It is rewritten, in one
//! streaming pass, into the XML it mirrors and read by the same parser, so a
//! JSON answer and an XML file give the same values and the same errors.
//!
//! Every key must be an XML name (a key that is not — `"a><b"` — is refused,
//! never written); text is escaped. A JSON error names the line and column
//! and a fixed reason, never input text. Byte offsets in the errors of the
//! XML reader then count bytes of the rewritten document.

use super::error::EligibilityError;
use alloc::string::String;
use core::fmt;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

/// The XML `bytes` (a JSON document) mirrors.
pub(crate) fn to_xml(bytes: &[u8]) -> Result<String, EligibilityError> {
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let mut out = String::with_capacity(body.len().saturating_mul(2));
    let mut de = serde_json::Deserializer::from_slice(body);
    let written = Children { out: &mut out }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    match written {
        Ok(()) => Ok(out),
        Err(e) => {
            zeroize::Zeroize::zeroize(&mut out);
            Err(EligibilityError::Json {
                line: e.line(),
                column: e.column(),
                reason: match e.classify() {
                    serde_json::error::Category::Syntax => "not well-formed JSON",
                    serde_json::error::Category::Eof => "the JSON ends too early",
                    serde_json::error::Category::Io => "read error",
                    serde_json::error::Category::Data => {
                        "not the terminal's JSON shape (an object of elements \
                         named as XML names; arrays of objects or of texts)"
                    }
                },
            })
        }
    }
}

/// Whether `s` is an XML name this reader accepts as an element name.
fn element_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// An object's members, written as elements into `out`.
struct Children<'o> {
    out: &'o mut String,
}

impl<'de> DeserializeSeed<'de> for Children<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Children<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of elements")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key>()? {
            map.next_value_seed(Element {
                name: &key.0,
                out: self.out,
            })?;
        }
        Ok(())
    }
}

/// A member's key (owned: a key with escapes is not borrowable).
struct Key(String);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let k = String::deserialize(d)?;
        if element_name(&k) {
            Ok(Key(k))
        } else {
            Err(D::Error::custom("a key that is not an XML name"))
        }
    }
}

/// One member's value, written as the element(s) `name`.
struct Element<'n, 'o> {
    name: &'n str,
    out: &'o mut String,
}

fn tag(out: &mut String, name: &str, end: bool) {
    out.push_str(if end { "</" } else { "<" });
    out.push_str(name);
    out.push('>');
}

impl Element<'_, '_> {
    fn leaf(self, text: &str) {
        tag(self.out, self.name, false);
        escape(self.out, text);
        tag(self.out, self.name, true);
    }
}

impl<'de> DeserializeSeed<'de> for Element<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Element<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object, a text, a number, null or an array")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.leaf(v);
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.leaf(&alloc::format!("{v}"));
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.leaf(&alloc::format!("{v}"));
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom("a fractional number"))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom("a boolean"))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(()) // null: the element is absent
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        tag(self.out, self.name, false);
        Children { out: self.out }.visit_map(map)?;
        tag(self.out, self.name, true);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Objects: the children of one list element; texts: a repeated leaf.
        let mut list_open = false;
        let mut texts = false;
        while let Some(item) = seq.next_element::<Item>()? {
            match item {
                Item::Text(t) if !list_open => {
                    texts = true;
                    Element {
                        name: self.name,
                        out: self.out,
                    }
                    .leaf(&t);
                }
                Item::Text(_) => return Err(A::Error::custom("an array of objects and texts")),
                Item::Object(raw) if !texts => {
                    if !list_open {
                        tag(self.out, self.name, false);
                        list_open = true;
                    }
                    self.out.push_str(&raw);
                }
                Item::Object(_) => return Err(A::Error::custom("an array of objects and texts")),
            }
        }
        if list_open {
            tag(self.out, self.name, true);
        }
        Ok(())
    }
}

/// One array item: an object's children written as XML, or a text (an array
/// inside an array is refused).
enum Item {
    Object(zeroize::Zeroizing<String>),
    Text(zeroize::Zeroizing<String>),
}

impl<'de> serde::Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or a text")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Item, E> {
                Ok(Item::Text(zeroize::Zeroizing::new(v.into())))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Item, E> {
                Ok(Item::Text(zeroize::Zeroizing::new(alloc::format!("{v}"))))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item, A::Error> {
                let mut raw = zeroize::Zeroizing::new(String::new());
                Children { out: &mut raw }.visit_map(map)?;
                Ok(Item::Object(raw))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(json: &str) -> Result<String, EligibilityError> {
        to_xml(json.as_bytes())
    }

    #[test]
    fn objects_lists_and_leaves_become_the_xml_they_mirror() {
        let j = r#"{"XmlMsg": {"MessageHeader": {"SegmentOfResult": "1", "N": 3, "E": null},
            "MessageBody": {"ResultList": [{"R": {"Name": "a<&>b"}}, {"R": {"Name": "c"}}],
            "Ref": ["1", "2"], "Empty": []}}}"#;
        assert_eq!(
            xml(j).unwrap(),
            "<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult><N>3</N></MessageHeader>\
             <MessageBody><ResultList><R><Name>a&lt;&amp;&gt;b</Name></R><R><Name>c</Name></R>\
             </ResultList><Ref>1</Ref><Ref>2</Ref></MessageBody></XmlMsg>"
        );
        use crate::eligibility::input::is_json_answer;
        assert!(is_json_answer(b"\xEF\xBB\xBF \n{}") && !is_json_answer(b"<XmlMsg/>"));
    }

    /// Attacks: a key that would write markup, mixed or nested arrays, and
    /// broken JSON: refused with line/column and no input text.
    #[test]
    fn hostile_json_is_refused_without_its_text() {
        for bad in [
            r#"{"XmlMsg": {"a><Secret>x</Secret><b": "7001"}}"#,
            r#"{"XmlMsg": {"L": [{"A": "1"}, "7001"]}}"#,
            r#"{"XmlMsg": {"L": [["7001"]]}}"#,
            r#"{"XmlMsg": {"L": true}}"#,
            r#"{"XmlMsg": {"L": "7001""#,
            r#"{"XmlMsg": {"L": "7001"}} trailing"#,
            "[\"7001\"]",
        ] {
            let e = xml(bad).unwrap_err();
            assert_eq!(e.code(), "eligibility.json", "{bad}");
            assert!(!e.to_string().contains("7001"), "{e}");
            assert!(e.to_string().contains("line 1"), "{e}");
        }
    }
}
