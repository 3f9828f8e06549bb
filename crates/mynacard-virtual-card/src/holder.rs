//! The holder description a virtual card is built from: card-face data, 個人番号,
//! PINs, expiry and security code. Personal data is zeroized on drop and
//! redacted by `Debug`.

use zeroize::Zeroizing;

/// HolderSex as printed on the card face and stored in the 券面 APs (ISO 5218 / JIS X 0303
/// digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HolderSex {
    /// `1`.
    Male,
    /// `2`.
    Female,
    /// `9` not applicable.
    NotApplicable,
}

impl HolderSex {
    /// The ASCII digit stored on the card.
    pub const fn digit(self) -> u8 {
        match self {
            HolderSex::Male => b'1',
            HolderSex::Female => b'2',
            HolderSex::NotApplicable => b'9',
        }
    }

    /// Parses the card-face digit `1`, `2` or `9`.
    pub fn from_digit(digit: u8) -> Option<Self> {
        match digit {
            b'1' => Some(HolderSex::Male),
            b'2' => Some(HolderSex::Female),
            b'9' => Some(HolderSex::NotApplicable),
            _ => None,
        }
    }
}

/// The person a virtual card belongs to.
///
/// ```
/// use mynacard_virtual_card::{Holder, HolderSex};
/// let holder = Holder::new(
///     "試験　花子",
///     "東京都千代田区永田町１－１",
///     "19800217",
///     HolderSex::Female,
///     "123456789018",
///     "20350217",
/// )
/// .with_auth_pin("1234")
/// .with_sign_password("TEST1980")
/// .with_kenhojo_pin("1234")
/// .with_security_code("2285");
/// assert!(!format!("{holder:?}").contains("試験"));
/// ```
#[derive(Clone)]
pub struct Holder {
    pub(crate) name: Zeroizing<String>,
    pub(crate) address: Zeroizing<String>,
    pub(crate) birth_date: Zeroizing<String>,
    pub(crate) sex: HolderSex,
    pub(crate) my_number: Zeroizing<String>,
    pub(crate) card_expiry: String,
    pub(crate) auth_pin: Option<Zeroizing<String>>,
    pub(crate) sign_password: Option<Zeroizing<String>>,
    pub(crate) kenhojo_pin: Option<Zeroizing<String>>,
    pub(crate) juki_pin: Option<Zeroizing<String>>,
    pub(crate) security_code: Option<Zeroizing<String>>,
    pub(crate) municipality_code: String,
}

impl core::fmt::Debug for Holder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Holder")
            .field("personal_data", &"<redacted>")
            .field("card_expiry", &self.card_expiry)
            .finish()
    }
}

impl Holder {
    /// A holder with name (family and given name separated by U+3000), address,
    /// birth date and card expiry (`YYYYMMDD`, Gregorian), sex and 個人番号 (12 ASCII
    /// digits; the card stores them as given and checks no check digit, so a host's
    /// validation can be tested with a wrong one).
    /// PINs are added with the `with_*` methods; the builder checks them.
    pub fn new(
        name: &str,
        address: &str,
        birth_date: &str,
        sex: HolderSex,
        my_number: &str,
        card_expiry: &str,
    ) -> Self {
        Self {
            name: Zeroizing::new(name.to_owned()),
            address: Zeroizing::new(address.to_owned()),
            birth_date: Zeroizing::new(birth_date.to_owned()),
            sex,
            my_number: Zeroizing::new(my_number.to_owned()),
            card_expiry: card_expiry.to_owned(),
            auth_pin: None,
            sign_password: None,
            kenhojo_pin: None,
            juki_pin: None,
            security_code: None,
            municipality_code: "99999".to_owned(),
        }
    }

    /// 利用者証明用 PIN (4 digits).
    pub fn with_auth_pin(mut self, pin: &str) -> Self {
        self.auth_pin = Some(Zeroizing::new(pin.to_owned()));
        self
    }

    /// 署名用パスワード (6–16 of `A–Z0–9`). Without one the card has no signature
    /// certificate (as for holders under 15).
    pub fn with_sign_password(mut self, password: &str) -> Self {
        self.sign_password = Some(Zeroizing::new(password.to_owned()));
        self
    }

    /// 券面事項入力補助用暗証番号 (4 digits); also used for the 住基 / 共通 PIN unless
    /// [`Holder::with_juki_pin`] sets another.
    pub fn with_kenhojo_pin(mut self, pin: &str) -> Self {
        self.kenhojo_pin = Some(Zeroizing::new(pin.to_owned()));
        self
    }

    /// 住民基本台帳用暗証番号 (4 digits) for the 住基 and 共通 APs.
    pub fn with_juki_pin(mut self, pin: &str) -> Self {
        self.juki_pin = Some(Zeroizing::new(pin.to_owned()));
        self
    }

    /// The 4-digit security code printed on the card face (part of 照合番号B).
    pub fn with_security_code(mut self, code: &str) -> Self {
        self.security_code = Some(Zeroizing::new(code.to_owned()));
        self
    }

    /// 全国地方公共団体コード (5 digits) stored in kenkaku EF `0003`
    /// (default `99999`, which no municipality has).
    pub fn with_municipality_code(mut self, code: &str) -> Self {
        self.municipality_code = code.to_owned();
        self
    }

    /// 照合番号B: birth date as 和暦 `YYMMDD` + expiry year + security code (14
    /// digits), or `None` without a security code or with an invalid date.
    pub fn verification_number_b(&self) -> Option<Zeroizing<String>> {
        let code = self.security_code.as_ref()?;
        let wareki = wareki_yymmdd(&self.birth_date)?;
        let year = self.card_expiry.get(..4)?;
        Some(Zeroizing::new(format!(
            "{}{year}{}",
            wareki.as_str(),
            code.as_str()
        )))
    }

    /// The kenkaku birth-date key: birth date as 和暦 `YYMMDD`.
    pub fn birth_key(&self) -> Option<Zeroizing<String>> {
        wareki_yymmdd(&self.birth_date)
    }

    /// The JPKI auth PIN set on this holder (for test helpers that drive the card as its
    /// holder would, e.g. `mynacard::relying_party::testing`).
    pub fn auth_pin(&self) -> Option<Zeroizing<String>> {
        self.auth_pin.clone()
    }
}

/// Converts a Gregorian `YYYYMMDD` date to 和暦 `YYMMDD` (era year, two digits).
pub(crate) fn wareki_yymmdd(date: &str) -> Option<Zeroizing<String>> {
    let (y, m, d) = parse_date(date)?;
    let ymd = y * 10000 + m * 100 + d;
    // (first day, first Gregorian year) of 令和, 平成, 昭和, 大正, 明治.
    const ERAS: [(u32, u32); 5] = [
        (20190501, 2019),
        (19890108, 1989),
        (19261225, 1926),
        (19120730, 1912),
        (18680125, 1868),
    ];
    let (_, first_year) = ERAS.iter().find(|(start, _)| ymd >= *start)?;
    let era_year = y - first_year + 1;
    if era_year > 99 {
        return None;
    }
    Some(Zeroizing::new(format!("{era_year:02}{m:02}{d:02}")))
}

/// Splits a `YYYYMMDD` date, checking digits and month/day ranges.
pub(crate) fn parse_date(date: &str) -> Option<(u32, u32, u32)> {
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: u32 = date.get(..4)?.parse().ok()?;
    let m: u32 = date.get(4..6)?.parse().ok()?;
    let d: u32 = date.get(6..8)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wareki_conversion() {
        assert_eq!(wareki_yymmdd("19800217").unwrap().as_str(), "550217");
        assert_eq!(wareki_yymmdd("19890107").unwrap().as_str(), "640107");
        assert_eq!(wareki_yymmdd("19890108").unwrap().as_str(), "010108");
        assert_eq!(wareki_yymmdd("20190430").unwrap().as_str(), "310430");
        assert_eq!(wareki_yymmdd("20190501").unwrap().as_str(), "010501");
        assert_eq!(wareki_yymmdd("19450818").unwrap().as_str(), "200818");
        assert!(wareki_yymmdd("1980021").is_none());
        assert!(wareki_yymmdd("19801317").is_none());
    }

    #[test]
    fn verification_number_b_matches_the_sheet_example() {
        // card-apdu.md §4: DOB 1980-02-17 (昭和55), expiry 2035, code 2285.
        let h = Holder::new(
            "試験　太郎",
            "東京都",
            "19800217",
            HolderSex::Male,
            "123456789018",
            "20350217",
        )
        .with_security_code("2285");
        assert_eq!(
            h.verification_number_b().unwrap().as_str(),
            "55021720352285"
        );
        assert_eq!(h.birth_key().unwrap().as_str(), "550217");
    }
}
