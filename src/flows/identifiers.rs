//! 資格確認書 / 記号・番号: no card. Staff enter the insurance identifiers printed
//! on the patient's 資格確認書; the reader asks only the consent the identifiers
//! request can carry (限度額); the outcome carries the request by identifiers
//! (照会区分 2) and no identity.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::completion::Completion;
use super::consent::ConsentItem;
use super::error::FlowError;
use super::event::{Event, Flow, Input};
use super::guidance::GuidanceId;
use super::outcome::{EligibilityRequest, Identity, Method};

/// The identifiers on a 資格確認書 (or an old 被保険者証). Personal data: zeroized
/// on drop, redacted by `Debug`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct InsuranceIdentifiers {
    insurer_number: String,
    symbol: Option<String>,
    number: String,
    branch: Option<String>,
    birth_date: String,
}

impl InsuranceIdentifiers {
    /// Checks and wraps the identifiers: 保険者番号 (6 or 8 digits), 記号
    /// (optional, may hold non-digits), 番号, 枝番 (optional, 2 digits), birth date
    /// `YYYYMMDD`.
    pub fn new(
        insurer_number: &str,
        symbol: Option<&str>,
        number: &str,
        branch: Option<&str>,
        birth_date: &str,
    ) -> Result<Self, FlowError> {
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !matches!(insurer_number.len(), 6 | 8) || !digits(insurer_number) {
            return Err(FlowError::Identifiers(
                "保険者番号 must be 6 or 8 digits".into(),
            ));
        }
        if number.is_empty() || number.chars().count() > 20 {
            return Err(FlowError::Identifiers(
                "番号 must be 1 to 20 characters".into(),
            ));
        }
        if let Some(s) = symbol
            && s.chars().count() > 20
        {
            return Err(FlowError::Identifiers(
                "記号 must be at most 20 characters".into(),
            ));
        }
        if let Some(b) = branch
            && (b.len() != 2 || !digits(b))
        {
            return Err(FlowError::Identifiers("枝番 must be 2 digits".into()));
        }
        if birth_date.len() != 8 || !digits(birth_date) {
            return Err(FlowError::Identifiers("birth date must be YYYYMMDD".into()));
        }
        Ok(Self {
            insurer_number: insurer_number.into(),
            symbol: symbol.map(Into::into),
            number: number.into(),
            branch: branch.map(Into::into),
            birth_date: birth_date.into(),
        })
    }

    /// 保険者番号.
    pub fn insurer_number(&self) -> &str {
        &self.insurer_number
    }

    /// 記号.
    pub fn symbol(&self) -> Option<&str> {
        self.symbol.as_deref()
    }

    /// 番号.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// 枝番.
    pub fn branch(&self) -> Option<&str> {
        self.branch.as_deref()
    }

    /// Birth date `YYYYMMDD`.
    pub fn birth_date(&self) -> &str {
        &self.birth_date
    }
}

impl fmt::Debug for InsuranceIdentifiers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InsuranceIdentifiers(redacted)")
    }
}

/// The 資格確認書 / 記号・番号 flow.
pub struct IdentifiersFlow {
    started: bool,
    tail: Completion,
}

impl IdentifiersFlow {
    /// A flow for one visit with the identifiers staff entered.
    pub fn new(identifiers: InsuranceIdentifiers) -> Self {
        Self {
            started: false,
            tail: Completion::new(
                Identity::InsuranceIdentifiers,
                Method::InsuranceIdentifiers,
                ConsentItem::IDENTIFIERS,
                GuidanceId::IdentifiersCheck,
                Some(EligibilityRequest::ByIdentifiers {
                    identifiers,
                    limit_consent: false,
                }),
            ),
        }
    }
}

impl Flow for IdentifiersFlow {
    fn resume(&mut self, input: Input) -> Result<Event, FlowError> {
        if !self.started {
            return match input {
                Input::Start => {
                    self.started = true;
                    Ok(self.tail.start())
                }
                other => Err(FlowError::UnexpectedInput {
                    expected: "start",
                    got: other.kind(),
                }),
            };
        }
        self.tail.resume(input)
    }
}
