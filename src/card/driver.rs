//! The blocking driver: runs the sans-IO builders and parsers of this module over
//! an [`Exchange`], with the fewest round trips.
//!
//! - an application already selected is not selected again;
//! - certificates and records are read by SFI (the first READ BINARY selects the
//!   EF) and sized by their own header; one extended READ when the link allows;
//! - VERIFY addresses the key by SFI (no SELECT of the key EF);
//! - the remaining tries are asked only when not already known in this session.

use crate::card::PinError;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::cv_certificate::CvCertificate;
use super::cv_trust::CvTrust;
use super::digest_info::{HashAlgorithm, SignInput};
use super::error::CardError;
use super::files;
use super::jpki::{self, JpkiCertificate, JpkiCertificateKind, JpkiKey, SignAddressing};
use super::kenhojo::{self, BasicFourInfo, IntegrityRecord, IntegrityReport};
use super::kenkaku::{self, CardFace, FaceSignatureReport};
use super::model::Application;
use super::pin::{
    BirthDateKey, Pin, Secret, SignPassword, VerificationNumberA, VerificationNumberB,
};
use super::pin_status::{self, KeyRef, LastTryGuard, PinStatus};
use super::recognise::{Recognition, recognise};
use super::token::{CERT_AVAILABILITY_LEN, CertAvailability, TOKEN_INFO_LEN, TokenInfo, TokenKind};
use crate::apdu::StatusWord;
use crate::exchange::{Counters, Exchange, FileRef, Framing, Limits};
use crate::my_number::MyNumber;
use crate::transport::{PinPad, PinPadRequest, Transport};

/// Driver options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CardOptions {
    /// How COMPUTE DIGITAL SIGNATURE names the key (default: SELECT of the key EF
    /// + `P2 = 80`, the widely observed form; `BySfi` is an opt-in, single-source ⚠).
    pub sign_addressing: SignAddressing,
}

/// How the 券面事項入力補助AP basic 4 attributes are opened.
#[derive(Debug, Clone, Copy)]
pub enum KenhojoCredential<'a> {
    /// 券面事項入力補助用暗証番号.
    Pin(&'a Pin),
    /// 照合番号B.
    NumberB(&'a VerificationNumberB),
}

/// How the 券面事項確認AP card face is opened.
#[derive(Debug, Clone, Copy)]
pub enum KenkakuCredential<'a> {
    /// 照合番号A (the 個人番号).
    NumberA(&'a VerificationNumberA),
    /// 照合番号B.
    NumberB(&'a VerificationNumberB),
}

/// A My Number Card (or phone JPKI token) behind a transport.
#[derive(Debug)]
pub struct Card<T> {
    ex: Exchange<T>,
    selected: Option<Application>,
    statuses: BTreeMap<KeyRef, PinStatus>,
    token: Option<TokenKind>,
    options: CardOptions,
}

impl<T: Transport> Card<T> {
    /// Wraps a transport.
    pub fn new(transport: T) -> Self {
        Self::from_exchange(Exchange::new(transport))
    }

    /// Wraps an exchange (to choose its [`Limits`]).
    pub fn from_exchange(ex: Exchange<T>) -> Self {
        Self {
            ex,
            selected: None,
            statuses: BTreeMap::new(),
            token: None,
            options: CardOptions::default(),
        }
    }

    /// Replaces the options.
    pub fn with_options(mut self, options: CardOptions) -> Self {
        self.options = options;
        self
    }

    /// Replaces the exchange limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.ex = self.ex.with_limits(limits);
        self
    }

    /// Commands and bytes exchanged so far.
    pub fn counters(&self) -> Counters {
        self.ex.counters()
    }

    /// The exchange underneath.
    pub fn exchange(&self) -> &Exchange<T> {
        &self.ex
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        self.ex.transport()
    }

    /// The transport, mutably (for a reconnect, say; call [`Card::forget_state`]
    /// afterwards).
    pub fn transport_mut(&mut self) -> &mut T {
        self.ex.transport_mut()
    }

    /// Unwraps the transport.
    pub fn into_inner(self) -> T {
        self.ex.into_inner()
    }

    /// The application the driver believes is selected.
    pub fn selected(&self) -> Option<Application> {
        self.selected
    }

    /// Forgets the selected application and the session's verified PINs (after a
    /// reset or reconnect: the next operation selects again). Remaining-try counts
    /// are forgotten too and asked again before the next VERIFY.
    pub fn forget_state(&mut self) {
        self.selected = None;
        self.statuses.clear();
        self.ex.refresh_capabilities();
    }

    /// Declares the token kind when the caller knows it (so no EF 0006 read is
    /// needed to decide the iPhone / Android behaviour).
    pub fn set_token_kind(&mut self, kind: TokenKind) {
        self.token = Some(kind);
    }

    /// The token kind, if read or declared.
    pub fn token_kind(&self) -> Option<TokenKind> {
        self.token
    }

    fn lost_link(&mut self, e: &crate::ExchangeError) {
        if matches!(e, crate::ExchangeError::Transport(_)) {
            self.selected = None;
            self.statuses.clear();
        }
    }

    pub(super) fn run<R>(
        &mut self,
        f: impl FnOnce(&mut Exchange<T>) -> Result<R, crate::ExchangeError>,
    ) -> Result<R, CardError> {
        f(&mut self.ex).map_err(|e| {
            self.lost_link(&e);
            CardError::Exchange(e)
        })
    }

    /// Selects an application unless it is already selected.
    pub fn select(&mut self, app: Application) -> Result<(), CardError> {
        if self.selected == Some(app) {
            return Ok(());
        }
        self.selected = None;
        // Security status does not survive an application change.
        self.statuses.retain(|_, s| s.remaining.is_some());
        self.run(|ex| ex.transmit_ok(&app.select()))?;
        self.selected = Some(app);
        Ok(())
    }

    fn read(
        &mut self,
        app: Application,
        sfi: u8,
        framing: Framing,
    ) -> Result<Zeroizing<Vec<u8>>, CardError> {
        self.select(app)?;
        self.run(|ex| ex.read_file(FileRef::Sfi(sfi), framing))
    }

    // ---- JPKI AP -------------------------------------------------------------

    /// Reads the token info (EF 0006) and remembers the token kind.
    pub fn token_info(&mut self) -> Result<TokenInfo, CardError> {
        let raw = self.read(
            Application::Jpki,
            files::jpki::TOKEN_INFO.sfi(),
            Framing::Fixed(TOKEN_INFO_LEN),
        )?;
        let info = TokenInfo::parse(&raw)?;
        self.token = Some(info.kind);
        Ok(info)
    }

    /// Recognises the card by what it answers, `atr` only a hint ([`super::recognise`]):
    /// SELECT of the JPKI AP, then its token label (EF `0006`). A 住基カード, a driving licence
    /// or any other card is [`CardError::NotMyNumberCard`].
    pub fn recognise(&mut self, atr: &[u8]) -> Result<Recognition, CardError> {
        self.selected = None;
        self.statuses.retain(|_, s| s.remaining.is_some());
        let select = self.run(|ex| ex.transmit(&Application::Jpki.select()))?;
        if !select.status().is_ok() {
            return recognise(atr, select.status(), None).map_err(Into::into);
        }
        self.selected = Some(Application::Jpki);
        let info = self.token_info()?;
        Ok(recognise(atr, select.status(), Some(info.kind))?)
    }

    /// Reads the certificate availability (EF 0008).
    pub fn cert_availability(&mut self) -> Result<CertAvailability, CardError> {
        let raw = self.read(
            Application::Jpki,
            files::jpki::CERT_AVAILABILITY.sfi(),
            Framing::Fixed(CERT_AVAILABILITY_LEN),
        )?;
        Ok(CertAvailability::parse(&raw)?)
    }

    /// Reads a certificate. The sign certificate needs
    /// [`Card::verify_sign_password`] first; on an Android token the auth
    /// certificate needs [`Card::verify_auth_pin`] first (the card answers `6982`).
    pub fn read_certificate(
        &mut self,
        kind: JpkiCertificateKind,
    ) -> Result<JpkiCertificate, CardError> {
        let der = self.read(Application::Jpki, kind.file().sfi(), Framing::Tlv)?;
        Ok(JpkiCertificate::parse(kind, der)?)
    }

    /// The status of a PIN: the cached one when known in this session, else asked
    /// with the case-1 query (which spends no try).
    pub fn pin_status(&mut self, key: KeyRef) -> Result<PinStatus, CardError> {
        if let Some(s) = self.statuses.get(&key)
            && (self.selected == Some(key.application()) || s.remaining.is_some())
        {
            return Ok(*s);
        }
        self.query_pin_status(key)
    }

    /// Asks the card for a PIN's status (always sends the query).
    pub fn query_pin_status(&mut self, key: KeyRef) -> Result<PinStatus, CardError> {
        self.select(key.application())?;
        let resp = self.run(|ex| ex.transmit(&key.query_command()))?;
        let status = PinStatus::from_query(key, resp.status())?;
        self.statuses.insert(key, status);
        Ok(status)
    }

    fn refuse_on_iphone(&self, key: KeyRef) -> Result<(), CardError> {
        match self.token {
            Some(token) if token.verifies_on_device() && key.application() == Application::Jpki => {
                Err(CardError::NotOnThisToken {
                    operation: "VERIFY (the holder is verified on the phone)",
                    token,
                })
            }
            _ => Ok(()),
        }
    }

    /// The lockout guard. With [`LastTryGuard::Refuse`] the remaining tries must be
    /// known (asked with the case-1 query when they are not) and the last one is
    /// refused. With [`LastTryGuard::Allow`] a known blocked state is still refused, but
    /// an unknown count is not asked: there is nothing left to refuse, and a
    /// blocked PIN answers `6984` without spending anything — one command saved.
    fn guard(&mut self, key: KeyRef, last_try: LastTryGuard) -> Result<(), CardError> {
        let known = self.statuses.get(&key).copied();
        let status = match (known, last_try) {
            (Some(s), _) => s,
            (None, LastTryGuard::Allow) => return Ok(()),
            (None, LastTryGuard::Refuse) => self.query_pin_status(key)?,
        };
        pin_status::guard(key, status, last_try)
    }

    /// VERIFY with the lockout guard (see [`LastTryGuard`]): refuses a secret of the
    /// wrong kind for `key`, refuses the last try unless allowed, sends the secret
    /// by SFI (no SELECT of the key EF), and never retries after a link failure.
    pub fn verify<S: Secret>(
        &mut self,
        key: KeyRef,
        secret: &S,
        last_try: LastTryGuard,
    ) -> Result<(), CardError> {
        let cmd = key.verify_command(secret)?;
        self.refuse_on_iphone(key)?;
        self.guard(key, last_try)?;
        self.select(key.application())?;
        let resp = match self.ex.transmit(&cmd) {
            Ok(r) => r,
            Err(crate::ExchangeError::Transport(source)) => {
                self.selected = None;
                self.statuses.clear();
                return Err(CardError::Pin(PinError::VerifyInterrupted { key, source }));
            }
            Err(e) => return Err(CardError::Exchange(e)),
        };
        self.record_verify(key, resp.status())
    }

    fn record_verify(&mut self, key: KeyRef, sw: StatusWord) -> Result<(), CardError> {
        match pin_status::status_after_verify(sw) {
            Some(s) => {
                self.statuses.insert(key, s);
            }
            None => {
                self.statuses.remove(&key);
            }
        }
        pin_status::parse_verify(key, sw)
    }

    /// VERIFY the JPKI auth PIN.
    pub fn verify_auth_pin(&mut self, pin: &Pin, last_try: LastTryGuard) -> Result<(), CardError> {
        self.verify(KeyRef::JpkiAuthPin, pin, last_try)
    }

    /// VERIFY the JPKI sign password.
    pub fn verify_sign_password(
        &mut self,
        password: &SignPassword,
        last_try: LastTryGuard,
    ) -> Result<(), CardError> {
        self.verify(KeyRef::JpkiSignPassword, password, last_try)
    }

    /// Signs with a JPKI key (after its VERIFY; an iPhone token needs none). The
    /// DigestInfo is built here from the message or digest. Returns the 256-byte
    /// signature. By default the key EF is selected and `80 2A 00 80` sent; the
    /// single-source SFI form is used only when [`CardOptions::sign_addressing`]
    /// opts in (see [`SignAddressing`]).
    pub fn sign(
        &mut self,
        key: JpkiKey,
        algorithm: HashAlgorithm,
        input: SignInput<'_>,
    ) -> Result<Vec<u8>, CardError> {
        let di = input.digest_info(algorithm)?;
        self.select(Application::Jpki)?;
        let addressing = self.options.sign_addressing;
        let cmd = jpki::sign_command(key, &di, addressing);
        let resp = self.run(|ex| {
            if addressing == SignAddressing::SelectThenCurrent {
                ex.transmit_ok(&key.file().select())?;
            }
            ex.transmit_ok(&cmd)
        })?;
        Ok(jpki::parse_signature(resp.into_data())?)
    }

    /// Ends the transaction: sends `80 FC 00 00` when the token is an iPhone
    /// (read or declared); does nothing otherwise. Returns whether it was sent.
    pub fn end_transaction(&mut self) -> Result<bool, CardError> {
        if self.token != Some(TokenKind::Iphone) {
            return Ok(false);
        }
        self.select(Application::Jpki)?;
        self.run(|ex| ex.transmit_ok(&jpki::end_of_transaction_command()))?;
        Ok(true)
    }

    // ---- 券面事項入力補助AP ---------------------------------------------------

    fn open_kenhojo(
        &mut self,
        credential: KenhojoCredential<'_>,
        last_try: LastTryGuard,
    ) -> Result<(), CardError> {
        match credential {
            KenhojoCredential::Pin(p) => self.verify(KeyRef::KenhojoPin, p, last_try),
            KenhojoCredential::NumberB(b) => self.verify(KeyRef::KenhojoNumberB, b, last_try),
        }
    }

    /// Reads the basic 4 attributes (never EF 0001). Commands: SELECT (if needed),
    /// the try-count query (if not known), VERIFY, READ.
    pub fn read_basic_four(
        &mut self,
        credential: KenhojoCredential<'_>,
        last_try: LastTryGuard,
    ) -> Result<BasicFourInfo, CardError> {
        self.open_kenhojo(credential, last_try)?;
        let raw = self.read(
            Application::Kenhojo,
            files::kenhojo::BASIC_FOUR.sfi(),
            Framing::Tlv,
        )?;
        Ok(kenhojo::parse_basic_four(&raw)?.info)
    }

    /// Reads the basic 4 attributes and checks them down the whole chain: the
    /// integrity record (EF 0003), its signature under the AP's CV certificate
    /// (EF 0004), and EF 0004 under the J-LIS CV CA key `trust` holds for its
    /// issuer (an unknown issuer is "not checked", never "failed"). The 個人番号
    /// digest is reported as not checked (EF 0001 is not read).
    pub fn read_basic_four_checked(
        &mut self,
        credential: KenhojoCredential<'_>,
        last_try: LastTryGuard,
        trust: &CvTrust,
    ) -> Result<(BasicFourInfo, IntegrityReport), CardError> {
        self.open_kenhojo(credential, last_try)?;
        let (file, report) = self.read_kenhojo_checked(None, trust)?;
        Ok((file.info, report))
    }

    /// The one integrity read of the 券面事項入力補助AP: EF 0002, EF 0003 and EF 0004,
    /// checked with the physical EF 0001 when the caller read it.
    fn read_kenhojo_checked(
        &mut self,
        my_number_file: Option<&[u8]>,
        trust: &CvTrust,
    ) -> Result<(kenhojo::BasicFourFile, IntegrityReport), CardError> {
        let raw = self.read(
            Application::Kenhojo,
            files::kenhojo::BASIC_FOUR.sfi(),
            Framing::Tlv,
        )?;
        let file = kenhojo::parse_basic_four(&raw)?;
        let rec = self.read(
            Application::Kenhojo,
            files::kenhojo::INTEGRITY.sfi(),
            Framing::Tlv,
        )?;
        let record = IntegrityRecord::parse(&rec)?;
        let cv = self.read(
            Application::Kenhojo,
            files::kenhojo::CV_CERT.sfi(),
            Framing::Tlv,
        )?;
        let cv = CvCertificate::parse(kenhojo::EF4, &cv)?;
        let report = kenhojo::check_integrity(&file, my_number_file, &record, &cv, trust);
        Ok((file, report))
    }

    fn read_my_number(&mut self) -> Result<MyNumber, CardError> {
        let raw = self.read(
            Application::Kenhojo,
            files::kenhojo::MY_NUMBER.sfi(),
            Framing::Fixed(kenhojo::MY_NUMBER_EF_LEN),
        )?;
        Ok(kenhojo::parse_my_number(&raw)?)
    }

    /// Reads the 個人番号 after the 券面事項入力補助用暗証番号. The only methods that
    /// read EF 0001 are this one and
    /// [`Card::read_my_number_with_verification_number_a`]; no reception flow may
    /// call either.
    pub fn read_my_number_with_pin(
        &mut self,
        pin: &Pin,
        last_try: LastTryGuard,
    ) -> Result<MyNumber, CardError> {
        self.verify(KeyRef::KenhojoPin, pin, last_try)?;
        self.read_my_number()
    }

    /// Reads the 個人番号 after 照合番号A (see [`Card::read_my_number_with_pin`]).
    pub fn read_my_number_with_verification_number_a(
        &mut self,
        number_a: &VerificationNumberA,
        last_try: LastTryGuard,
    ) -> Result<MyNumber, CardError> {
        self.verify(KeyRef::KenhojoNumberA, number_a, last_try)?;
        self.read_my_number()
    }

    /// Reads the 個人番号 and the basic 4 attributes after the 券面事項入力補助用暗証番号
    /// and checks the whole integrity record down the chain: both digests (`DF31`
    /// over the physical EF 0001, `DF32` over EF 0002), the record signature, and
    /// EF 0004 under the J-LIS CV CA key in `trust`. Reads EF 0001 (see
    /// [`Card::read_my_number_with_pin`]).
    pub fn read_my_number_checked_with_pin(
        &mut self,
        pin: &Pin,
        last_try: LastTryGuard,
        trust: &CvTrust,
    ) -> Result<(MyNumber, BasicFourInfo, IntegrityReport), CardError> {
        self.verify(KeyRef::KenhojoPin, pin, last_try)?;
        let ef1 = self.read(
            Application::Kenhojo,
            files::kenhojo::MY_NUMBER.sfi(),
            Framing::Fixed(kenhojo::MY_NUMBER_EF_LEN),
        )?;
        let number = kenhojo::parse_my_number(&ef1)?;
        let (file, report) = self.read_kenhojo_checked(Some(&ef1), trust)?;
        Ok((number, file.info, report))
    }

    // ---- 券面事項確認AP -------------------------------------------------------

    /// Reads the card face and checks it down the whole chain: the `DF28`
    /// signature (photo included) under the AP's CV certificate (EF 0004), and
    /// EF 0004 under the J-LIS CV CA key `trust` holds for its issuer.
    pub fn read_card_face(
        &mut self,
        credential: KenkakuCredential<'_>,
        last_try: LastTryGuard,
        trust: &CvTrust,
    ) -> Result<(CardFace, FaceSignatureReport), CardError> {
        match credential {
            KenkakuCredential::NumberA(a) => self.verify(KeyRef::KenkakuNumberA, a, last_try)?,
            KenkakuCredential::NumberB(b) => self.verify(KeyRef::KenkakuNumberB, b, last_try)?,
        }
        let raw = self.read(
            Application::Kenkaku,
            files::kenkaku::FACE.sfi(),
            Framing::Tlv,
        )?;
        let file = kenkaku::parse_card_face(&raw)?;
        let cv = self.read(
            Application::Kenkaku,
            files::kenkaku::CV_CERT.sfi(),
            Framing::Tlv,
        )?;
        let cv = CvCertificate::parse(kenkaku::EF4, &cv)?;
        let report = kenkaku::check_face(&file, &cv, trust);
        Ok((file.face, report))
    }

    /// VERIFY the 券面事項確認AP birth-date key (opens only the age record).
    pub fn verify_birth_date_key(
        &mut self,
        key: &BirthDateKey,
        last_try: LastTryGuard,
    ) -> Result<(), CardError> {
        self.verify(KeyRef::KenkakuBirthDate, key, last_try)
    }
}

impl<T: Transport + PinPad> Card<T> {
    /// VERIFY with the PIN typed on the reader's keypad (CCID
    /// FEATURE_VERIFY_PIN_DIRECT): the PIN never passes through the host. Same
    /// lockout guard as [`Card::verify`]. Only 4-digit PINs.
    pub fn verify_on_pin_pad(
        &mut self,
        key: KeyRef,
        last_try: LastTryGuard,
    ) -> Result<(), CardError> {
        self.refuse_on_iphone(key)?;
        self.guard(key, last_try)?;
        self.select(key.application())?;
        let request = PinPadRequest {
            header: [0x00, 0x20, 0x00, key.p2()],
            min_digits: 4,
            max_digits: 4,
        };
        let raw = match self.ex.transport_mut().verify_on_pin_pad(&request) {
            Ok(r) => r,
            Err(source) => {
                self.selected = None;
                self.statuses.clear();
                return Err(CardError::Pin(PinError::VerifyInterrupted { key, source }));
            }
        };
        let resp =
            crate::apdu::Response::from_vec(raw).map_err(|e| CardError::Exchange(e.into()))?;
        match resp.status().to_u16() {
            0x6400 => Err(CardError::Pin(PinError::PinPadTimeout { key })),
            0x6401 => Err(CardError::Pin(PinError::PinPadCancelled { key })),
            _ => self.record_verify(key, resp.status()),
        }
    }
}

#[cfg(test)]
#[path = "driver_tests.rs"]
mod tests;
