//! One pass over decoded XML: hostile markup is refused (DOCTYPE, undeclared
//! entities, nesting, text and element counts over [`XmlLimits`]) while an
//! arena of elements is built whose names and texts point into the document.
//!
//! Memory: the arena is sized once, before parsing, from the number of `<` in
//! the document (capped by `len / 4`, since the smallest element `<a/>` takes
//! four bytes, and by the element limit): 20 bytes per element, so at most
//! 5 bytes per input byte and no reallocation. Text is borrowed from the
//! document; only a text with entity or character references is copied, into
//! a zeroizing buffer.

use super::error::EligibilityError;
use super::input::XmlLimits;
use super::zbuf::ZBuf;
use alloc::vec::Vec;
#[cfg(feature = "std")]
use quick_xml::events::Event;

/// `text.1` of a text copied into `Tree::owned` (then `text.0` is its index).
const OWNED: u32 = u32::MAX;

/// One element: 20 bytes.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Byte offset of `<` (the name follows it).
    start: u32,
    /// The text: a byte range of the document, or (index, [`OWNED`]).
    text: (u32, u32),
    /// Byte offset after the end tag.
    end: u32,
    /// Index of the first node after this element's subtree.
    after: u32,
}

/// A parsed document.
pub(crate) struct Tree<'a> {
    doc: &'a str,
    nodes: Vec<Node>,
    owned: Vec<ZBuf>,
}

fn position(p: u64) -> u32 {
    // The document is at most u32::MAX bytes (checked in `parse`).
    u32::try_from(p).unwrap_or(u32::MAX)
}

impl<'a> Tree<'a> {
    /// Parses `doc` under `limits`.
    #[cfg(feature = "std")]
    pub(crate) fn parse(doc: &'a str, limits: &XmlLimits) -> Result<Self, EligibilityError> {
        Self::parse_with(doc, limits, false)
    }

    /// [`Tree::parse`]; `strict` also refuses what a file read may carry but
    /// a value the caller adds must not (see [`strict_start`]): an XML
    /// declaration or processing instruction, and a start tag whose element
    /// or attribute names, attribute values or attribute set are not
    /// well-formed.
    #[cfg(feature = "std")]
    pub(crate) fn parse_with(
        doc: &'a str,
        limits: &XmlLimits,
        strict: bool,
    ) -> Result<Self, EligibilityError> {
        if u32::try_from(doc.len()).is_err() {
            return Err(EligibilityError::InputTooLarge {
                size: doc.len(),
                limit: u32::MAX as usize,
            });
        }
        // Counted 255 bytes at a time in a u8 (vectorises; a usize counter
        // widens every byte and costs a quarter of the parse).
        let lt: usize = doc
            .as_bytes()
            .chunks(255)
            .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'<'))))
            .sum();
        let capacity = lt.min(doc.len() / 4 + 1).min(limits.max_elements);
        let mut tree = Tree {
            doc,
            nodes: Vec::with_capacity(capacity),
            owned: Vec::new(),
        };
        let mut open: Vec<usize> = Vec::with_capacity(limits.max_depth.min(64));
        // A character XML 1.0 forbids makes the document not XML (and could
        // never be written back): refused before anything is read.
        if let Some(at) = crate::xml_text::forbidden_char(doc) {
            return Err(EligibilityError::Xml {
                offset: at as u64,
                reason: "a character XML 1.0 forbids",
            });
        }
        let mut reader = quick_xml::Reader::from_str(doc);
        let mut text_run = 0usize;
        loop {
            let at = reader.buffer_position();
            let event = reader.read_event().map_err(|e| EligibilityError::Xml {
                offset: reader.error_position(),
                reason: xml_reason(&e),
            })?;
            let after = reader.buffer_position();
            match event {
                Event::DocType(_) => return Err(EligibilityError::Doctype { offset: at }),
                Event::Start(ref e) | Event::Empty(ref e) => {
                    if strict && let Err(reason) = strict_start(e) {
                        return Err(EligibilityError::Xml { offset: at, reason });
                    }
                    let empty = matches!(event, Event::Empty(_));
                    if tree.nodes.len() >= limits.max_elements {
                        return Err(EligibilityError::TooManyElements {
                            limit: limits.max_elements,
                        });
                    }
                    if open.len() + 1 > limits.max_depth {
                        return Err(EligibilityError::TooDeep {
                            limit: limits.max_depth,
                            offset: at,
                        });
                    }
                    if open.is_empty() && !tree.nodes.is_empty() {
                        return Err(EligibilityError::Xml {
                            offset: at,
                            reason: "a second root element",
                        });
                    }
                    let start = position(at);
                    let index = tree.nodes.len();
                    tree.nodes.push(Node {
                        text: (0, 0),
                        start,
                        end: position(after),
                        after: position(index as u64 + 1),
                    });
                    if !empty {
                        open.push(index);
                    }
                    text_run = 0;
                }
                Event::End(_) => {
                    if let Some(index) = open.pop() {
                        let count = tree.nodes.len();
                        if let Some(node) = tree.nodes.get_mut(index) {
                            node.end = position(after);
                            node.after = position(count as u64);
                        }
                    }
                    text_run = 0;
                }
                Event::Text(ref t) => {
                    text_run = add_text(text_run, t.len(), limits, after)?;
                    tree.add_text(&open, (position(at), position(after)), None);
                }
                Event::CData(ref t) => {
                    text_run = add_text(text_run, t.len(), limits, after)?;
                    // `<![CDATA[` … `]]>`
                    let (s, e) = (position(at) + 9, position(after).saturating_sub(3));
                    tree.add_text(&open, (s, e.max(s)), None);
                }
                Event::GeneralRef(ref r) => {
                    let name: &[u8] = r;
                    let resolved = if r.is_char_ref() {
                        r.resolve_char_ref()
                            .map_err(|_| EligibilityError::Xml {
                                offset: at,
                                reason: "character reference to no valid XML character",
                            })?
                            .filter(|c| crate::xml_text::xml_char(*c))
                            .ok_or(EligibilityError::Xml {
                                offset: at,
                                reason: "character reference to a character XML 1.0 forbids",
                            })?
                    } else {
                        match name {
                            b"lt" => '<',
                            b"gt" => '>',
                            b"amp" => '&',
                            b"apos" => '\'',
                            b"quot" => '"',
                            _ => {
                                return Err(EligibilityError::UndeclaredEntity { offset: after });
                            }
                        }
                    };
                    text_run = add_text(text_run, name.len() + 2, limits, after)?;
                    tree.add_text(&open, (0, 0), Some(resolved));
                }
                Event::Eof => break,
                Event::Decl(_) | Event::PI(_) if strict => {
                    return Err(EligibilityError::Xml {
                        offset: at,
                        reason: "a declaration or processing instruction",
                    });
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
        if !open.is_empty() {
            return Err(EligibilityError::Xml {
                offset: reader.buffer_position(),
                reason: "document ends inside an element",
            });
        }
        if tree.nodes.is_empty() {
            return Err(EligibilityError::NoRoot);
        }
        Ok(tree)
    }

    /// Adds a piece of text (a document range, or one resolved character) to
    /// the innermost open element.
    fn add_text(&mut self, open: &[usize], span: (u32, u32), ch: Option<char>) {
        let Some(&index) = open.last() else {
            return; // text outside the root: whitespace only (quick-xml checks)
        };
        let doc = self.doc;
        let piece = doc.get(span.0 as usize..span.1 as usize).unwrap_or("");
        let push = |buf: &mut ZBuf| match ch {
            Some(c) => buf.push_char(c),
            None => buf.push_str(piece),
        };
        // Text beside child elements (indentation) is never read: skip it.
        if self.nodes.len() > index + 1 {
            return;
        }
        let Some(node) = self.nodes.get_mut(index) else {
            return;
        };
        match node.text {
            (i, OWNED) => {
                if let Some(buf) = self.owned.get_mut(i as usize) {
                    push(buf);
                }
            }
            (s, e) if s == e && ch.is_none() => node.text = span,
            (s, e) => {
                let mut buf = ZBuf::new();
                buf.push_str(doc.get(s as usize..e as usize).unwrap_or(""));
                push(&mut buf);
                node.text = (position(self.owned.len() as u64), OWNED);
                self.owned.push(buf);
            }
        }
    }

    /// The root element, which must be `expected`.
    pub(crate) fn root_named(
        &self,
        expected: &'static str,
    ) -> Result<El<'_, 'a>, EligibilityError> {
        let root = self.root();
        if root.name() != expected {
            return Err(EligibilityError::WrongRoot { expected });
        }
        Ok(root)
    }

    /// The root element.
    pub(crate) fn root(&self) -> El<'_, 'a> {
        El {
            tree: self,
            index: 0,
        }
    }
}

/// A fixed description of a quick-xml error: quick-xml's own messages quote
/// element names, entity names and character references out of the document,
/// and an error never repeats input text.
#[cfg(feature = "std")]
fn xml_reason(e: &quick_xml::Error) -> &'static str {
    use quick_xml::errors::{Error, IllFormedError, SyntaxError};
    match e {
        Error::Syntax(s) => match s {
            SyntaxError::InvalidBangMarkup => "unknown or missing symbol in markup",
            SyntaxError::UnclosedPIOrXmlDecl => "processing instruction or declaration not closed",
            SyntaxError::UnclosedComment => "comment not closed",
            SyntaxError::UnclosedDoctype => "DOCTYPE not closed",
            SyntaxError::UnclosedCData => "CDATA section not closed",
            SyntaxError::UnclosedTag => "tag not closed",
        },
        Error::IllFormed(i) => match i {
            IllFormedError::MissingDeclVersion(_) => "XML declaration without a version",
            IllFormedError::MissingDoctypeName => "DOCTYPE without a name",
            IllFormedError::MissingEndTag(_) => "element not closed",
            IllFormedError::UnmatchedEndTag(_) => "end tag without a start tag",
            IllFormedError::MismatchedEndTag { .. } => "end tag does not match the open element",
            IllFormedError::DoubleHyphenInComment => "`--` inside a comment",
            IllFormedError::UnclosedReference => "reference without `;`",
        },
        Error::InvalidAttr(_) => "malformed attribute",
        Error::Encoding(_) => "malformed encoding",
        Error::Escape(_) => "malformed escape or reference",
        Error::Namespace(_) => "malformed namespace",
        Error::Io(_) => "read error",
    }
}

/// A start tag of a strict parse: names XML allows, attributes well-formed
/// and not repeated.
#[cfg(feature = "std")]
fn strict_start(e: &quick_xml::events::BytesStart<'_>) -> Result<(), &'static str> {
    if !is_name(e.name().as_ref()) {
        return Err("an element name XML does not allow");
    }
    for a in e.attributes().with_checks(true) {
        let a = a.map_err(|_| "a malformed attribute")?;
        if !is_name(a.key.as_ref()) || !good_attribute_value(&a.value) {
            return Err("a malformed attribute");
        }
    }
    Ok(())
}

/// Whether `s` is an XML name (a conservative reading of XML 1.0's
/// productions: letters, digits, `_`, `-`, `.`, `:`, U+10000–U+EFFFF, not
/// starting with a digit, `-` or `.`).
#[cfg(feature = "std")]
fn is_name(s: &[u8]) -> bool {
    let Ok(s) = core::str::from_utf8(s) else {
        return false;
    };
    // XML 1.0 (5th ed.) allows U+10000–U+EFFFF anywhere in a name.
    let astral = |c: char| ('\u{10000}'..='\u{EFFFF}').contains(&c);
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':' || astral(c))
        && chars.all(|c| {
            c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '\u{B7}') || astral(c)
        })
}

/// A reference (`&…;` without the delimiters) XML allows: a predefined entity
/// or a character reference to a character XML allows.
#[cfg(feature = "std")]
fn good_reference(name: &[u8]) -> bool {
    let num = |digits: &[u8], radix: u32| {
        core::str::from_utf8(digits)
            .ok()
            .filter(|d| !d.is_empty())
            .and_then(|d| u32::from_str_radix(d, radix).ok())
            .and_then(char::from_u32)
            .is_some_and(crate::xml_text::xml_char)
    };
    match name {
        b"lt" | b"gt" | b"amp" | b"apos" | b"quot" => true,
        [b'#', b'x', hex @ ..] => num(hex, 16),
        [b'#', dec @ ..] => num(dec, 10),
        _ => false,
    }
}

/// Whether an attribute value as written is well-formed: no `<`, every `&`
/// starting an allowed reference.
#[cfg(feature = "std")]
fn good_attribute_value(v: &[u8]) -> bool {
    if v.contains(&b'<') {
        return false;
    }
    let mut rest = v;
    while let Some(i) = rest.iter().position(|&b| b == b'&') {
        let after = rest.get(i + 1..).unwrap_or(&[]);
        let Some(end) = after.iter().position(|&b| b == b';') else {
            return false;
        };
        if !good_reference(after.get(..end).unwrap_or(&[])) {
            return false;
        }
        rest = after.get(end + 1..).unwrap_or(&[]);
    }
    true
}

fn add_text(
    run: usize,
    len: usize,
    limits: &XmlLimits,
    at: u64,
) -> Result<usize, EligibilityError> {
    let run = run.saturating_add(len);
    if run > limits.max_text_bytes {
        return Err(EligibilityError::TextTooLong {
            limit: limits.max_text_bytes,
            offset: at,
        });
    }
    Ok(run)
}

/// One element of a [`Tree`].
#[derive(Clone, Copy)]
pub(crate) struct El<'t, 'a> {
    tree: &'t Tree<'a>,
    index: usize,
}

impl<'t, 'a> El<'t, 'a> {
    fn node(&self) -> Node {
        // `index` always comes from the tree itself.
        self.tree.nodes.get(self.index).copied().unwrap_or(Node {
            text: (0, 0),
            start: 0,
            end: 0,
            after: 0,
        })
    }

    /// The element's name.
    pub(crate) fn name(&self) -> &'t str {
        let n = self.node();
        let tag = self.tree.doc.get(n.start as usize + 1..).unwrap_or("");
        let len = tag
            .bytes()
            .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>'))
            .unwrap_or(tag.len());
        tag.get(..len).unwrap_or("")
    }

    /// Byte offset of the element's `<` in the decoded document.
    pub(crate) fn offset(&self) -> u64 {
        u64::from(self.node().start)
    }

    /// Whether the element has child elements.
    pub(crate) fn has_children(&self) -> bool {
        self.node().after as usize > self.index + 1
    }

    /// The element's text (references resolved, not trimmed), `""` when none.
    pub(crate) fn text(&self) -> &'t str {
        match self.node().text {
            (i, OWNED) => self
                .tree
                .owned
                .get(i as usize)
                .map(ZBuf::as_str)
                .unwrap_or(""),
            (s, e) => self.tree.doc.get(s as usize..e as usize).unwrap_or(""),
        }
    }

    /// The element as written in the document, start tag to end tag.
    pub(crate) fn raw(&self) -> &'t str {
        let n = self.node();
        self.tree
            .doc
            .get(n.start as usize..n.end as usize)
            .unwrap_or("")
    }

    /// The child elements, in document order.
    pub(crate) fn children(&self) -> Children<'t, 'a> {
        Children {
            tree: self.tree,
            next: self.index + 1,
            end: self.node().after as usize,
        }
    }
}

/// Iterator over child elements.
pub(crate) struct Children<'t, 'a> {
    tree: &'t Tree<'a>,
    next: usize,
    end: usize,
}

impl<'t, 'a> Iterator for Children<'t, 'a> {
    type Item = El<'t, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let el = El {
            tree: self.tree,
            index: self.next,
        };
        self.next = el.node().after as usize;
        if self.next <= el.index {
            self.next = self.end; // never loop on a corrupt node
        }
        Some(el)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Tree<'_>, EligibilityError> {
        Tree::parse(s, &XmlLimits::default())
    }

    #[test]
    fn names_texts_children_and_raw() {
        let doc = "<a><b>x&amp;y</b><c/><d><![CDATA[<z>]]></d>\n</a>";
        let t = parse(doc).unwrap();
        let root = t.root();
        assert_eq!(root.name(), "a");
        let kids: Vec<_> = root
            .children()
            .map(|c| (c.name(), c.text(), c.raw()))
            .collect();
        assert_eq!(
            kids,
            [
                ("b", "x&y", "<b>x&amp;y</b>"),
                ("c", "", "<c/>"),
                ("d", "<z>", "<d><![CDATA[<z>]]></d>")
            ]
        );
        assert!(root.has_children());
    }

    #[test]
    fn hostile_markup_is_refused() {
        assert!(matches!(
            parse("<a><b></a>"),
            Err(EligibilityError::Xml { .. })
        ));
        assert!(matches!(parse("<a>"), Err(EligibilityError::Xml { .. })));
        assert!(matches!(
            parse("<a/><b/>"),
            Err(EligibilityError::Xml { .. })
        ));
        assert!(matches!(parse("  "), Err(EligibilityError::NoRoot)));
        assert!(matches!(
            parse("<a>&x;</a>"),
            Err(EligibilityError::UndeclaredEntity { .. })
        ));
        let small = XmlLimits {
            max_elements: 3,
            ..XmlLimits::default()
        };
        assert!(matches!(
            Tree::parse("<a><b/><c/><d/></a>", &small),
            Err(EligibilityError::TooManyElements { limit: 3 })
        ));
    }
}
