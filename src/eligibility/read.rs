//! Reading typed values out of a parsed [`Tree`](super::tree::Tree): each block
//! walks its children once, keeps the known ones in slots and the others as
//! [`UnknownElements`]; the slots are then converted with the helpers here,
//! whose errors name the element, the record and the byte offset — never the
//! value of a personal element.

use super::dates::{DateTime, parse_date};
use super::error::{EligibilityError, ValueError};
use super::personal::{BirthDate, PersonalText};
use super::tree::El;
use super::unknown::{Parent, UnknownElements};
use crate::date::CalendarDate;
use alloc::borrow::ToOwned;
use alloc::string::String;

/// A known child element found in a block (at most one).
pub(crate) type Slot<'t, 'a> = Option<El<'t, 'a>>;

/// Stores `el` in `slot`; a second one is a structure error.
pub(crate) fn set<'t, 'a>(slot: &mut Slot<'t, 'a>, el: El<'t, 'a>) -> Result<(), EligibilityError> {
    if slot.is_some() {
        return Err(EligibilityError::Structure(format!(
            "element <{}> repeated at byte offset {}",
            el.name(),
            el.offset()
        )));
    }
    *slot = Some(el);
    Ok(())
}

/// Keeps an unknown child.
pub(crate) fn keep(unknown: &mut UnknownElements, parent: Parent, el: El<'_, '_>) {
    unknown.push(parent, el.raw());
}

/// Where a block sits, for errors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    /// 0-based record index, inside a record.
    pub(crate) record: Option<usize>,
    /// Byte offset of the block's start tag.
    pub(crate) offset: u64,
}

impl Ctx {
    pub(crate) fn top(el: El<'_, '_>) -> Ctx {
        Ctx {
            record: None,
            offset: el.offset(),
        }
    }

    pub(crate) fn block(self, el: El<'_, '_>) -> Ctx {
        Ctx {
            record: self.record,
            offset: el.offset(),
        }
    }

    pub(crate) fn record(index: usize, el: El<'_, '_>) -> Ctx {
        Ctx {
            record: Some(index),
            offset: el.offset(),
        }
    }

    pub(crate) fn missing(self, element: &'static str) -> EligibilityError {
        EligibilityError::MissingElement {
            element,
            record: self.record,
            offset: Some(self.offset),
        }
    }

    fn invalid(
        self,
        el: El<'_, '_>,
        element: &'static str,
        reason: ValueError,
    ) -> EligibilityError {
        EligibilityError::InvalidValue {
            element,
            record: self.record,
            offset: Some(el.offset()),
            reason,
        }
    }

    /// The trimmed text of a leaf; empty counts as absent.
    pub(crate) fn text<'t>(
        self,
        slot: Slot<'t, '_>,
        element: &'static str,
    ) -> Result<Option<&'t str>, EligibilityError> {
        let Some(el) = slot else { return Ok(None) };
        if el.has_children() {
            return Err(EligibilityError::Structure(format!(
                "<{element}> at byte offset {} holds elements where text was expected",
                el.offset()
            )));
        }
        let t = el.text().trim();
        Ok((!t.is_empty()).then_some(t))
    }

    /// Text as an owned `String` (non-personal elements).
    pub(crate) fn string(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
    ) -> Result<Option<String>, EligibilityError> {
        Ok(self.text(slot, element)?.map(str::to_owned))
    }

    /// Personal text: one exact allocation, zeroized on drop.
    pub(crate) fn personal(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
    ) -> Result<Option<PersonalText>, EligibilityError> {
        Ok(self.text(slot, element)?.map(PersonalText::new))
    }

    pub(crate) fn required_personal(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
    ) -> Result<PersonalText, EligibilityError> {
        self.personal(slot, element)?.ok_or(self.missing(element))
    }

    pub(crate) fn code<T>(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
        f: fn(&str) -> T,
    ) -> Result<Option<T>, EligibilityError> {
        Ok(self.text(slot, element)?.map(f))
    }

    pub(crate) fn required_code<T>(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
        f: fn(&str) -> T,
    ) -> Result<T, EligibilityError> {
        self.code(slot, element, f)?.ok_or(self.missing(element))
    }

    pub(crate) fn parsed<T, E: Into<ValueError>>(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
        f: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, EligibilityError> {
        let Some(t) = self.text(slot, element)? else {
            return Ok(None);
        };
        let el = slot.ok_or(self.missing(element))?;
        f(t).map(Some)
            .map_err(|e| self.invalid(el, element, e.into()))
    }

    pub(crate) fn required_parsed<T, E: Into<ValueError>>(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
        f: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, EligibilityError> {
        self.parsed(slot, element, f)?.ok_or(self.missing(element))
    }

    pub(crate) fn date(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
    ) -> Result<Option<CalendarDate>, EligibilityError> {
        self.parsed(slot, element, parse_date)
    }

    pub(crate) fn datetime(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
    ) -> Result<Option<DateTime>, EligibilityError> {
        self.parsed(slot, element, DateTime::parse_compact)
    }

    /// A birth date: an invalid one is reported without its value.
    pub(crate) fn birth_date(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
    ) -> Result<Option<BirthDate>, EligibilityError> {
        self.parsed(slot, element, |s| {
            BirthDate::parse_yyyymmdd(s).map_err(|_| ValueError::Personal {
                expected: "a date YYYYMMDD",
            })
        })
    }

    pub(crate) fn amount(
        self,
        slot: Slot<'_, '_>,
        element: &'static str,
    ) -> Result<Option<u64>, EligibilityError> {
        self.parsed(slot, element, super::fields::parse_amount)
    }
}

/// Declares the known children of a block: a struct of slots (and lists of
/// repeated elements) filled in one walk over the children; every other child
/// is kept in the block's [`UnknownElements`].
///
/// With `Slots, NAMES: Names { … }` it also declares a constant `NAMES` whose
/// fields are the same element names: the block's reader (for its errors) and
/// writer spell an element as `NAMES.field`, so each name is written once, in
/// this table, and drives the parse, the error label and the write.
macro_rules! slots {
    (
        $name:ident, $cname:ident : $nty:ident { $( $field:ident = $elem:literal ),* $(,)? }
        $( lists { $( $lfield:ident = $lelem:literal ),* $(,)? } )?
    ) => {
        $crate::eligibility::read::slots! {
            $name { $( $field = $elem, )* } $( lists { $( $lfield = $lelem, )* } )?
        }

        /// The element names of the block, one field per slot.
        #[allow(dead_code)]
        struct $nty {
            $( $field: &'static str, )*
            $( $( $lfield: &'static str, )* )?
        }

        /// The block's element names (see `slots!`).
        const $cname: $nty = $nty {
            $( $field: $elem, )*
            $( $( $lfield: $lelem, )* )?
        };
    };
    (
        $name:ident { $( $field:ident = $elem:literal ),* $(,)? }
        $( lists { $( $lfield:ident = $lelem:literal ),* $(,)? } )?
    ) => {
        #[derive(Default)]
        struct $name<'t, 'a> {
            $( $field: $crate::eligibility::read::Slot<'t, 'a>, )*
            $( $( $lfield: Vec<$crate::eligibility::tree::El<'t, 'a>>, )* )?
        }

        impl<'t, 'a> $name<'t, 'a> {
            fn collect(
                el: $crate::eligibility::tree::El<'t, 'a>,
                parent: $crate::eligibility::unknown::Parent,
                unknown: &mut $crate::eligibility::unknown::UnknownElements,
            ) -> Result<Self, $crate::eligibility::error::EligibilityError> {
                let mut s = Self::default();
                // A block of many children may hold many unknown ones: size
                // the buffers once (no regrowth copies) from the block itself.
                let many = el.children().nth(64).is_some();
                if many {
                    unknown.reserve(el.children().count(), el.raw().len());
                }
                for c in el.children() {
                    match c.name() {
                        $( $elem => $crate::eligibility::read::set(&mut s.$field, c)?, )*
                        $( $( $lelem => s.$lfield.push(c), )* )?
                        _ => $crate::eligibility::read::keep(unknown, parent, c),
                    }
                }
                Ok(s)
            }
        }
    };
}
pub(crate) use slots;
