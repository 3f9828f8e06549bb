//! Element text ⇄ typed values, for the conversions between the private wire
//! structs (what quick-xml deserialises) and the public domain types.

use super::dates::{DateTime, parse_date, yyyymmdd};
use super::error::{EligibilityError, ValueError};
use super::personal::{BirthDate, PersonalText};
use crate::date::CalendarDate;

/// Serde's `skip_serializing_if` for wire fields: absent values write nothing.
pub(crate) trait Skip {
    /// True when nothing should be written.
    fn skip(&self) -> bool;
}

impl<T> Skip for Option<T> {
    fn skip(&self) -> bool {
        self.is_none()
    }
}

impl<T> Skip for Vec<T> {
    fn skip(&self) -> bool {
        self.is_empty()
    }
}

/// Declares a wire struct: PascalCase element names, every field defaulted
/// and skipped when absent.
macro_rules! wire {
    ($(#[$m:meta])* struct $name:ident { $( $(#[$fm:meta])* $f:ident : $t:ty ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        pub(crate) struct $name {
            $(
                $(#[$fm])*
                #[serde(default, skip_serializing_if = "crate::eligibility::fields::Skip::skip")]
                pub(crate) $f: $t,
            )*
        }
    };
}
pub(crate) use wire;

/// Where an element sits, for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At {
    pub(crate) record: Option<usize>,
}

impl At {
    pub(crate) const TOP: At = At { record: None };

    pub(crate) fn record(i: usize) -> At {
        At { record: Some(i) }
    }

    pub(crate) fn missing(self, element: &'static str) -> EligibilityError {
        EligibilityError::MissingElement {
            element,
            record: self.record,
            offset: None,
        }
    }

    pub(crate) fn invalid(self, element: &'static str, reason: ValueError) -> EligibilityError {
        EligibilityError::InvalidValue {
            element,
            record: self.record,
            offset: None,
            reason,
        }
    }

    /// Trimmed text; empty counts as absent.
    pub(crate) fn text(self, v: Option<String>) -> Option<String> {
        let v = v?;
        let t = v.trim();
        if t.is_empty() {
            None
        } else if t.len() == v.len() {
            Some(v)
        } else {
            Some(t.to_owned())
        }
    }

    pub(crate) fn required(
        self,
        v: Option<String>,
        element: &'static str,
    ) -> Result<String, EligibilityError> {
        self.text(v).ok_or(self.missing(element))
    }

    pub(crate) fn personal(self, v: Option<String>) -> Option<PersonalText> {
        self.text(v).map(PersonalText::new)
    }

    pub(crate) fn code<T>(self, v: Option<String>, f: fn(&str) -> T) -> Option<T> {
        self.text(v).map(|s| f(&s))
    }

    pub(crate) fn required_code<T>(
        self,
        v: Option<String>,
        element: &'static str,
        f: fn(&str) -> T,
    ) -> Result<T, EligibilityError> {
        self.required(v, element).map(|s| f(&s))
    }

    pub(crate) fn parsed<T, E: Into<ValueError>>(
        self,
        v: Option<String>,
        element: &'static str,
        f: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, EligibilityError> {
        match self.text(v) {
            None => Ok(None),
            Some(s) => f(&s).map(Some).map_err(|e| self.invalid(element, e.into())),
        }
    }

    pub(crate) fn required_parsed<T, E: Into<ValueError>>(
        self,
        v: Option<String>,
        element: &'static str,
        f: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, EligibilityError> {
        self.parsed(v, element, f)?.ok_or(self.missing(element))
    }

    pub(crate) fn date(
        self,
        v: Option<String>,
        element: &'static str,
    ) -> Result<Option<CalendarDate>, EligibilityError> {
        self.parsed(v, element, parse_date)
    }

    pub(crate) fn datetime(
        self,
        v: Option<String>,
        element: &'static str,
    ) -> Result<Option<DateTime>, EligibilityError> {
        self.parsed(v, element, DateTime::parse_compact)
    }

    /// A birth date: an invalid one is reported without its value.
    pub(crate) fn birth_date(
        self,
        v: Option<String>,
        element: &'static str,
    ) -> Result<Option<BirthDate>, EligibilityError> {
        self.parsed(v, element, |s| {
            BirthDate::parse_yyyymmdd(s).map_err(|_| ValueError::Personal {
                expected: "a date YYYYMMDD",
            })
        })
    }

    /// A non-negative amount of yen (ASCII digits, at most 10).
    pub(crate) fn amount(
        self,
        v: Option<String>,
        element: &'static str,
    ) -> Result<Option<u64>, EligibilityError> {
        self.parsed(v, element, parse_amount)
    }
}

pub(crate) fn parse_amount(s: &str) -> Result<u64, ValueError> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err(ValueError::Number {
            found: s.to_owned(),
            expected: "an amount of at most 10 digits",
        });
    }
    Ok(s.bytes().fold(0u64, |a, c| a * 10 + u64::from(c - b'0')))
}

pub(crate) fn opt_date(d: &Option<CalendarDate>) -> Option<String> {
    d.as_ref().map(yyyymmdd)
}

pub(crate) fn opt_datetime(d: &Option<DateTime>) -> Option<String> {
    d.as_ref().map(DateTime::to_compact)
}

pub(crate) fn opt_personal(p: &Option<PersonalText>) -> Option<String> {
    p.as_ref().map(|p| p.expose().to_owned())
}

/// Deserialises checked text into a wire struct.
pub(crate) fn deserialize<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, EligibilityError> {
    quick_xml::de::from_str(text).map_err(|e| EligibilityError::Structure(e.to_string()))
}

/// Serialises a wire struct under `XmlMsg` with a declaration, in `encoding`.
pub(crate) fn serialize<T: serde::Serialize>(
    wire: &T,
    encoding: super::xml_out::XmlEncoding,
) -> Result<Vec<u8>, EligibilityError> {
    let label = match encoding {
        super::xml_out::XmlEncoding::Utf8 => "UTF-8",
        super::xml_out::XmlEncoding::ShiftJis => "Shift_JIS",
    };
    let mut out = format!("<?xml version=\"1.0\" encoding=\"{label}\" standalone=\"yes\"?>\n");
    let mut ser = quick_xml::se::Serializer::with_root(&mut out, Some("XmlMsg"))
        .map_err(|e| EligibilityError::Write(e.to_string()))?;
    ser.indent(' ', 2);
    wire.serialize(ser)
        .map_err(|e| EligibilityError::Write(e.to_string()))?;
    out.push('\n');
    Ok(match encoding {
        super::xml_out::XmlEncoding::Utf8 => out.into_bytes(),
        super::xml_out::XmlEncoding::ShiftJis => {
            let bytes = encoding_rs::SHIFT_JIS.encode(&out).0.into_owned();
            // The UTF-8 copy holds personal data; only the caller's bytes remain.
            zeroize::Zeroize::zeroize(&mut out);
            bytes
        }
    })
}
