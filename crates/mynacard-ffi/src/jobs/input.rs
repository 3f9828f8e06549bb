//! JSON arguments in, typed values out, with errors that name where and why but
//! never what: serde's own messages quote the offending value (``invalid type:
//! integer `19900401`, expected a string``), and a birth date or a 番号 sent as a
//! number would come back in the error text. An input error here says which
//! field (the JSON path of known field names), the line and column, and the
//! kind of mistake — nothing of the input's text.

use serde::de::DeserializeOwned;

use super::Error;

/// Deserializes the JSON argument `what` (`"request"`, `"options"`, …).
pub(crate) fn from_json<T: DeserializeOwned>(what: &str, json: &str) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| Error::argument(what, describe(&path(e.path()), e.inner())))?;
    de.end()
        .map_err(|e| Error::argument(what, describe("$", &e)))?;
    Ok(value)
}

/// `"<reason> at <path> (line L, column C)"`.
pub(crate) fn describe(path: &str, e: &serde_json::Error) -> String {
    format!(
        "{} at {path} (line {}, column {})",
        reason(e),
        e.line(),
        e.column()
    )
}

/// The path with every segment that is not a plausible field name (a
/// lowercase ASCII identifier, as this library's JSON forms use) withheld: a
/// key is input text too, and an unknown key is skipped with its value.
fn path(p: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("$");
    for segment in p.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push('.');
                out.push_str(if is_field_name(key) { key } else { "(key)" });
            }
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

fn is_field_name(key: &str) -> bool {
    let mut bytes = key.bytes();
    key.len() <= 48
        && bytes
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == b'_')
        && bytes.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// A fixed description of the mistake, from serde_json's category and the
/// first words of serde's message (which are fixed text; what follows them is
/// the offending value).
fn reason(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => "read error".to_owned(),
        Category::Syntax => "not valid JSON".to_owned(),
        Category::Eof => "JSON ends early".to_owned(),
        Category::Data => {
            let message = e.to_string();
            // serde_json appends " at line L column C" (given separately).
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            data_reason(message.strip_suffix(&suffix).unwrap_or(&message))
        }
    }
}

fn data_reason(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        // `Unexpected`'s forms: only these carry no input text.
        const KINDS: [(&str, &str); 7] = [
            ("integer `", "a number"),
            ("floating point `", "a number"),
            ("boolean `", "a boolean"),
            ("null", "null"),
            ("map", "an object"),
            ("sequence", "an array"),
            ("unit", "null"),
        ];
        return match KINDS.iter().find(|(p, _)| rest.starts_with(p)) {
            Some((_, kind)) => match rest.rsplit_once(", expected ") {
                Some((_, expected)) => format!("wrong JSON type: {kind}, expected {expected}"),
                None => format!("wrong JSON type: {kind}"),
            },
            None => "wrong JSON type".to_owned(),
        };
    }
    const FIXED: [(&str, &str); 6] = [
        ("invalid value", "invalid value"),
        ("invalid length", "wrong number of elements"),
        ("unknown variant", "unknown variant"),
        ("unknown field", "unknown field"),
        ("missing field", "missing field"),
        ("duplicate field", "duplicate field"),
    ];
    FIXED
        .iter()
        .find(|(p, _)| message.starts_with(p))
        .map_or("invalid value", |(_, r)| r)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Person {
        name: String,
        birth: String,
        #[serde(default)]
        items: Vec<u32>,
    }

    fn message(json: &str) -> String {
        from_json::<Person>("request", json)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_number_where_a_string_is_expected_names_the_field_not_the_value() {
        let m = message(r#"{"name": "x", "birth": 19900401}"#);
        assert_eq!(
            m,
            "argument.request: wrong JSON type: a number, expected a string at $.birth \
             (line 1, column 31)"
        );
    }

    #[test]
    fn no_input_text_in_any_input_error() {
        let secrets = ["鈴木太郎", "19900401", "東京都千代田区", "スズキ"];
        let cases = [
            r#"{"name": "x", "birth": 19900401}"#,
            r#"{"name": ["鈴木太郎"], "birth": "x"}"#,
            r#"{"name": "鈴木太郎", "birth": "x", "items": ["東京都千代田区"]}"#,
            r#"{"name": "x", "birth": "x", "items": [19900401, "スズキ"]}"#,
            r#"{"鈴木太郎": [19900401}"#,
            r#"{"name": "x", "birth": "x", "東京都千代田区": {"スズキ": 19900401]}"#,
            r#"{"name": "鈴木太郎", "birth": "19900401"} スズキ"#,
            r#"{"name": "鈴木太郎"#,
            r#""鈴木太郎""#,
            r#"19900401"#,
            r#"{"name": "x", "birth": "x", "items": [-19900401]}"#,
            r#"{"name": "x", "birth": "x", "items": [19900401.5]}"#,
        ];
        for json in cases {
            let m = message(json);
            for s in secrets {
                assert!(!m.contains(s), "{json}: {m}");
            }
            let d = format!("{:?}", from_json::<Person>("request", json).unwrap_err());
            for s in secrets {
                assert!(!d.contains(s), "{json}: {d}");
            }
        }
    }

    #[test]
    fn field_names_are_kept_and_foreign_keys_withheld() {
        assert!(
            message(r#"{"name": "x", "birth": "x", "items": [1, "a"]}"#).contains("$.items[1]")
        );
        assert!(message(r#"{"鈴木": [}"#).contains("$.(key)"));
    }
}
