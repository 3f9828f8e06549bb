//! Which device the virtual card impersonates: a physical card or a smartphone
//! serving the JPKI AP from its secure element.

/// The kind of JPKI token the virtual card is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Profile {
    /// A physical My Number Card: token label `JPKIAPICCTOKEN2`, all five
    /// applications, the auth certificate readable without a PIN, and `80 FC 00 00`
    /// answered `6700`.
    #[default]
    Card,
    /// An Android スマホ用電子証明書 (GP-SE): token label `JPKIAPGPSETOKEN`, JPKI AP
    /// only, the auth certificate readable only after the auth PIN. `80 FC 00 00` is
    /// answered `6700` as on a card (the sources only describe it for the iPhone).
    Android,
    /// An iPhone (Wallet) JPKI token: token label `JPKIAPIOSTOKEN`, JPKI AP only,
    /// `80 FC 00 00` (end of transaction) answered `9000`. By default the keys need
    /// no VERIFY (the holder was verified with Face ID on the phone); see
    /// [`VirtualCardOptions::iphone_requires_verify`](super::VirtualCardOptions::iphone_requires_verify).
    Iphone,
}

impl Profile {
    /// The token label stored in JPKI EF `0006` (first 32 bytes, space-padded).
    pub const fn token_label(self) -> &'static str {
        match self {
            Profile::Card => "JPKIAPICCTOKEN2",
            Profile::Android => "JPKIAPGPSETOKEN",
            Profile::Iphone => "JPKIAPIOSTOKEN",
        }
    }

    /// Whether the 券面 / 住基 / 共通 applications exist (physical card only).
    pub const fn has_card_face_applications(self) -> bool {
        matches!(self, Profile::Card)
    }
}
