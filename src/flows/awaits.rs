//! What a guidance waits for ([`Awaits`]) and the options a patient can choose
//! ([`Choice`]): the vocabulary of the guidance catalogue's `awaits` column.

use super::consent::ConsentItem;

/// An option the patient (or staff) can choose (serde: `"face"`, `"pin"`,
/// `"staff_check"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Choice {
    /// Face recognition (顔認証).
    Face,
    /// PIN (暗証番号).
    Pin,
    /// Check by staff (職員による目視確認).
    StaffCheck,
}

impl Choice {
    /// Japanese label, for a button or for speech.
    pub const fn ja(self) -> &'static str {
        match self {
            Self::Face => "顔認証",
            Self::Pin => "暗証番号",
            Self::StaffCheck => "職員による確認",
        }
    }

    /// English label.
    pub const fn en(self) -> &'static str {
        match self {
            Self::Face => "Face recognition",
            Self::Pin => "PIN",
            Self::StaffCheck => "Check by staff",
        }
    }
}

/// What a guidance waits for before the flow can go on: the clinic flows'
/// [`crate::flows::Guidance`] and the employer intake's
/// [`crate::employer::IntakeGuidance`] (whose `IntakeAwaits` is this type) alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Awaits {
    /// Nothing: show or speak it and go on (`Input::Continue`).
    Nothing,
    /// Digits on the reader's numeric keypad (`Input::Digits`, or `Input::PinPad`
    /// from a reader that collected them).
    Keypad {
        /// How many digits.
        digits: u8,
    },
    /// A password on a full keyboard (the intake's 署名用パスワード;
    /// `Input::Digits` carries the characters).
    Password {
        /// Fewest characters.
        min: u8,
        /// Most characters.
        max: u8,
    },
    /// Yes or no from the patient.
    YesNo,
    /// Yes or no for one consent item.
    Consent(ConsentItem),
    /// One of these options.
    Choice(&'static [Choice]),
    /// The reader's camera: a face-match verdict from the vendor's matcher.
    FaceCapture,
    /// A staff member's yes or no (目視確認).
    StaffConfirmation,
}

#[cfg(feature = "serde")]
impl serde::Serialize for Awaits {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        match self {
            Self::Nothing => m.serialize_entry("kind", "nothing")?,
            Self::Keypad { digits } => {
                m.serialize_entry("kind", "keypad")?;
                m.serialize_entry("digits", digits)?;
            }
            Self::Password { min, max } => {
                m.serialize_entry("kind", "password")?;
                m.serialize_entry("min", min)?;
                m.serialize_entry("max", max)?;
            }
            Self::YesNo => m.serialize_entry("kind", "yes_no")?,
            Self::Consent(item) => {
                m.serialize_entry("kind", "consent")?;
                m.serialize_entry("item", item)?;
            }
            Self::Choice(options) => {
                m.serialize_entry("kind", "choice")?;
                m.serialize_entry("options", options)?;
            }
            Self::FaceCapture => m.serialize_entry("kind", "face_capture")?,
            Self::StaffConfirmation => m.serialize_entry("kind", "staff_confirmation")?,
        }
        m.end()
    }
}
