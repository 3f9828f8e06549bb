//! Per-item consent to share information with the facility, asked at the reader
//! after the identity check and carried into the eligibility request.

/// One item the patient may agree to share (seed table 2, and 限度額).
/// `Display` and the serde form give its stable code ([`ConsentItem::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ConsentItem {
    /// 薬剤情報: past medication (dispensing) records.
    Medication,
    /// 診療情報: past clinical records (procedures, diagnoses).
    Clinical,
    /// 特定健診等情報: specific health check-up results.
    Checkup,
    /// 限度額適用認定証関連情報: the high-cost medical expense limit.
    LimitAmount,
}

impl ConsentItem {
    /// Every item, in the order the reader asks them.
    pub const ALL: &'static [ConsentItem] = &[
        Self::Medication,
        Self::Clinical,
        Self::Checkup,
        Self::LimitAmount,
    ];

    /// The items that the 記号・番号 request can carry (only 限度額).
    pub const IDENTIFIERS: &'static [ConsentItem] = &[Self::LimitAmount];

    /// The stable machine-readable code: `"medication"`, `"clinical"`,
    /// `"checkup"`, `"limit_amount"`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Medication => "medication",
            Self::Clinical => "clinical",
            Self::Checkup => "checkup",
            Self::LimitAmount => "limit_amount",
        }
    }

    /// Japanese name of the item.
    pub const fn ja(self) -> &'static str {
        match self {
            Self::Medication => "薬剤情報",
            Self::Clinical => "診療情報",
            Self::Checkup => "特定健診等情報",
            Self::LimitAmount => "限度額情報",
        }
    }

    /// English name of the item.
    pub const fn en(self) -> &'static str {
        match self {
            Self::Medication => "medication information",
            Self::Clinical => "clinical information",
            Self::Checkup => "health check-up information",
            Self::LimitAmount => "expense limit information",
        }
    }

    const fn index(self) -> usize {
        match self {
            Self::Medication => 0,
            Self::Clinical => 1,
            Self::Checkup => 2,
            Self::LimitAmount => 3,
        }
    }
}

impl core::fmt::Display for ConsentItem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.code())
    }
}

/// The patient's answer for one item (`Display` / serde: `"not_asked"`,
/// `"given"`, `"refused"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ConsentAnswer {
    /// Not asked (the way in does not carry this item, or the flow ended earlier).
    #[default]
    NotAsked,
    /// The patient agreed.
    Given,
    /// The patient declined.
    Refused,
}

impl ConsentAnswer {
    /// Whether consent was given.
    pub const fn is_given(self) -> bool {
        matches!(self, Self::Given)
    }

    /// The stable code: `"not_asked"`, `"given"`, `"refused"`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::NotAsked => "not_asked",
            Self::Given => "given",
            Self::Refused => "refused",
        }
    }
}

impl core::fmt::Display for ConsentAnswer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.code())
    }
}

/// The answers for every item. `Debug` and the serde form are keyed by item:
/// `{medication: given, clinical: refused, checkup: not_asked, limit_amount: given}`.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Consents {
    answers: [ConsentAnswer; 4],
}

impl Consents {
    /// No item asked yet.
    pub const fn new() -> Self {
        Self {
            answers: [ConsentAnswer::NotAsked; 4],
        }
    }

    /// Records the answer for an item.
    pub fn record(&mut self, item: ConsentItem, given: bool) {
        self.answers[item.index()] = if given {
            ConsentAnswer::Given
        } else {
            ConsentAnswer::Refused
        };
    }

    /// The answer for an item.
    pub const fn answer(&self, item: ConsentItem) -> ConsentAnswer {
        self.answers[item.index()]
    }

    /// Whether the patient agreed to share `item`.
    pub const fn given(&self, item: ConsentItem) -> bool {
        self.answer(item).is_given()
    }

    /// The consents as the terminal records them in the face result, given
    /// at `at` (an item not asked counts as not given).
    pub fn to_flags(&self, at: crate::eligibility::DateTime) -> crate::eligibility::ConsentFlags {
        crate::eligibility::ConsentFlags::given_at(
            at,
            self.given(ConsentItem::Medication),
            self.given(ConsentItem::Clinical),
            self.given(ConsentItem::Checkup),
            self.given(ConsentItem::LimitAmount),
        )
    }

    /// The items the patient agreed to share.
    pub fn given_items(&self) -> impl Iterator<Item = ConsentItem> + '_ {
        ConsentItem::ALL.iter().copied().filter(|i| self.given(*i))
    }
}

impl core::fmt::Debug for Consents {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        /// A code printed bare by `Debug`.
        struct Bare(&'static str);
        impl core::fmt::Debug for Bare {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.0)
            }
        }
        f.debug_map()
            .entries(
                ConsentItem::ALL
                    .iter()
                    .map(|i| (Bare(i.code()), Bare(self.answer(*i).code()))),
            )
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Consents {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(ConsentItem::ALL.len()))?;
        for item in ConsentItem::ALL {
            m.serialize_entry(item.code(), &self.answer(*item))?;
        }
        m.end()
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Consents {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = alloc::collections::BTreeMap::<ConsentItem, ConsentAnswer>::deserialize(d)?;
        let mut c = Self::new();
        for (item, answer) in map {
            c.answers[item.index()] = answer;
        }
        Ok(c)
    }
}

/// Asks each item of a list in turn: the part of every flow that collects consent.
#[derive(Debug, Clone)]
pub(crate) struct ConsentQueue {
    items: &'static [ConsentItem],
    next: usize,
    consents: Consents,
}

impl ConsentQueue {
    pub(crate) const fn new(items: &'static [ConsentItem]) -> Self {
        Self {
            items,
            next: 0,
            consents: Consents::new(),
        }
    }

    /// The item to ask now, if any is left.
    pub(crate) fn current(&self) -> Option<ConsentItem> {
        self.items.get(self.next).copied()
    }

    /// Records the answer to the current item and moves on.
    pub(crate) fn answer(&mut self, given: bool) {
        if let Some(item) = self.current() {
            self.consents.record(item, given);
            self.next += 1;
        }
    }

    pub(crate) const fn consents(&self) -> Consents {
        self.consents
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    #[test]
    fn records_per_item() {
        let mut c = Consents::new();
        assert_eq!(c.answer(ConsentItem::Medication), ConsentAnswer::NotAsked);
        c.record(ConsentItem::Medication, true);
        c.record(ConsentItem::Checkup, false);
        assert_eq!(c.answer(ConsentItem::Medication), ConsentAnswer::Given);
        assert_eq!(c.answer(ConsentItem::Checkup), ConsentAnswer::Refused);
        assert_eq!(c.answer(ConsentItem::Clinical), ConsentAnswer::NotAsked);
        assert_eq!(
            c.given_items().collect::<Vec<_>>(),
            vec![ConsentItem::Medication]
        );
    }

    #[test]
    fn debug_is_keyed_by_item() {
        let mut c = Consents::new();
        c.record(ConsentItem::Medication, true);
        c.record(ConsentItem::Clinical, false);
        assert_eq!(
            format!("{c:?}"),
            "{medication: given, clinical: refused, checkup: not_asked, limit_amount: not_asked}"
        );
        assert_eq!(ConsentItem::LimitAmount.to_string(), "limit_amount");
    }

    #[test]
    fn queue_asks_each_item_once_in_order() {
        let mut q = ConsentQueue::new(ConsentItem::ALL);
        let mut asked = Vec::new();
        while let Some(item) = q.current() {
            asked.push(item);
            q.answer(item != ConsentItem::Clinical);
        }
        assert_eq!(asked, ConsentItem::ALL);
        assert!(q.consents().given(ConsentItem::LimitAmount));
        assert!(!q.consents().given(ConsentItem::Clinical));
        q.answer(true);
        assert_eq!(
            q.consents().answer(ConsentItem::Clinical),
            ConsentAnswer::Refused
        );
    }
}
