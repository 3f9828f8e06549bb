//! Schema names: the jp.mnc docType and namespaces (ISO/IEC 23220-1 with Japan's namespace),
//! and the element identifiers errors may name (an identifier outside this list is reported as
//! `"other"`, so no input text reaches an error).

/// docType of the My Number Card's カード代替電磁的記録 in Apple Wallet.
pub const DOC_TYPE_JP_MNC: &str = "org.iso.23220.1.jp.mnc";
/// Japan's namespace (`full_name_unicode`, `individual_number_unicode`, …).
pub const NS_JP: &str = "org.iso.23220.1.jp";
/// ISO/IEC 23220-1's namespace (`birth_date`, `sex`, `age_over_*`).
pub const NS_23220: &str = "org.iso.23220.1";
/// The mDL docType of ISO/IEC 18013-5 (the Annex D example).
pub const DOC_TYPE_MDL: &str = "org.iso.18013.5.1.mDL";

const KNOWN: &[&str] = &[
    "full_name_unicode",
    "resident_address_unicode",
    "sex_unicode",
    "local_gov_code_unicode",
    "individual_number_unicode",
    "portrait",
    "birth_date_unicode",
    "birth_date",
    "age_in_years",
    "age_over_18",
    "age_over_20",
    "age_over_21",
    "sex",
    "family_name",
    "given_name",
    "issue_date",
    "expiry_date",
    "issuing_country",
    "issuing_authority",
    "document_number",
    "driving_privileges",
    "un_distinguishing_sign",
];

/// The identifier as a static schema name when known, else `"other"`.
pub fn known_element(id: &str) -> &'static str {
    KNOWN.iter().find(|k| **k == id).copied().unwrap_or("other")
}
