//! The employer's intake (雇入れ時の番号確認・身元確認): the new hire's card on a
//! PC/SC reader or the in-process virtual card; the 券面事項入力補助AP PIN and
//! the 署名用 password through the [`Host`]; the record — **個人番号 included**,
//! through the core's `serialize_disclosing_my_number` — as JSON.

use mynacard::card::CvTrust;
use mynacard::employer::{
    EmployerIntakeFlow, IntakeAwaits, IntakeError, IntakeGuidance, IntakeOutcome, IntakeVerifier,
    NewHire, run_intake,
};
use mynacard::pki::StalenessPolicy;
use mynacard::runner::Reply;
use mynacard::transport::Transport;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::card::{Guarded, HostLink, Waits};
use super::error::{Error, ErrorKind};
use super::pki::{Trust, TrustKind, time_or_now};
use super::reception::{Answer, CancelToken, Counter, GuidanceView, Host, Prompt};

/// The intake's settings, as JSON: `{"virtual_card": "yamada"}` or
/// `{"reader": "NAME"}`, and `"time"` (Unix seconds; default now).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeRunOptions {
    /// A PC/SC reader's name (feature `pcsc`).
    #[serde(default)]
    pub reader: Option<String>,
    /// A TEST holder of the in-process virtual card.
    #[serde(default)]
    pub virtual_card: Option<String>,
    /// Verification time (Unix seconds); the system clock when absent.
    #[serde(default)]
    pub time: Option<u64>,
    /// How long an empty reader is waited for (ms; default 30 000; 0: at once).
    #[serde(default)]
    pub card_wait_ms: Option<u64>,
    /// The whole intake's limit (ms; default none): `flow.timeout` past it.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

impl IntakeRunOptions {
    /// Parses the JSON form.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        super::input::from_json("options", json)
    }
}

fn view(g: &IntakeGuidance) -> GuidanceView {
    let prompt = match g.awaits() {
        IntakeAwaits::Keypad { digits } => Prompt::Keypad { digits },
        IntakeAwaits::Password { min, max } => Prompt::Password { min, max },
        IntakeAwaits::YesNo => Prompt::YesNo,
        _ => Prompt::Nothing,
    };
    GuidanceView {
        id: g.id().as_str(),
        ja: g.ja(),
        en: g.en(),
        prompt,
        tries_left: g.tries_left(),
    }
}

impl NewHire for Counter<'_> {
    fn show(&mut self, guidance: &IntakeGuidance) {
        let cancelled = view(&IntakeError::Cancelled.guidance());
        self.show_view(view(guidance), cancelled);
    }

    fn reply(&mut self, guidance: &IntakeGuidance) -> Reply {
        if self.stopped() {
            return Reply::Cancel;
        }
        let shown = self.view(view(guidance));
        match self.host.reply(&shown) {
            Ok(Answer::Digits(d)) => Reply::Digits(d),
            Ok(Answer::Yes) => Reply::Yes,
            Ok(Answer::No) => Reply::No,
            Ok(Answer::Cancel) => Reply::Cancel,
            Ok(Answer::Choice(c)) => {
                self.fail(format!("choice {c:?} answered to {}", guidance.id()));
                Reply::Cancel
            }
            Err(m) => {
                self.fail(m);
                Reply::Cancel
            }
        }
    }
}

/// The outcome's JSON: `{"kind": "recorded", "record": {...}}` (the record with
/// the 個人番号, zeroized when dropped) or `{"kind": "number_check_needs_card",
/// "token": "android" | "iphone"}`.
fn outcome_json(outcome: &IntakeOutcome) -> Result<Zeroizing<String>, Error> {
    let internal =
        |e: serde_json::Error| Error::new(ErrorKind::Internal, "internal.json", e.to_string());
    match outcome {
        IntakeOutcome::NumberCheckNeedsCard { token } => Ok(Zeroizing::new(
            serde_json::json!({
                "kind": "number_check_needs_card",
                "token": token.code(),
            })
            .to_string(),
        )),
        IntakeOutcome::Recorded(record) => {
            let mut bytes = Zeroizing::new(Vec::with_capacity(4096));
            bytes.extend_from_slice(br#"{"kind":"recorded","record":"#);
            record
                .serialize_disclosing_my_number(&mut serde_json::Serializer::new(&mut *bytes))
                .map_err(internal)?;
            bytes.push(b'}');
            let text = core::str::from_utf8(&bytes)
                .map_err(|e| Error::new(ErrorKind::Internal, "internal.utf8", e.to_string()))?;
            Ok(Zeroizing::new(text.to_owned()))
        }
        _ => Err(Error::new(
            ErrorKind::Unsupported,
            "unsupported.intake_outcome",
            "an intake outcome this library version does not know",
        )),
    }
}

impl From<IntakeError> for Error {
    fn from(e: IntakeError) -> Self {
        let kind = match e {
            IntakeError::Cancelled | IntakeError::LastTryDeclined => ErrorKind::Cancelled,
            IntakeError::CardRemoved { .. } | IntakeError::Card { .. } => ErrorKind::Card,
            _ => ErrorKind::Flow,
        };
        Error::new(kind, e.code(), e.to_string())
    }
}

fn drive<T: Transport>(
    card: T,
    flow: &mut EmployerIntakeFlow<'_>,
    host: &mut dyn Host,
    cancel: &CancelToken,
    waits: Waits,
) -> Result<Zeroizing<String>, Error> {
    let mut counter = Counter::new(host, cancel.clone(), waits);
    let mut card = Guarded::new(card, cancel.clone(), waits);
    let result = run_intake(&mut card, flow, &mut counter);
    super::reception::settle(result, &counter, card.stop).and_then(|o| outcome_json(&o))
}

fn verifier_parts(trust: &Trust) -> CvTrust {
    match trust.kind() {
        TrustKind::Test => CvTrust::test_only(),
        _ => CvTrust::jlis_production(),
    }
}

/// Runs the intake, verifying the 署名用 certificate against `trust` (and the
/// signing CA's CRL loaded into it) and the card's records against the J-LIS CV
/// keys (TEST keys for a `test` trust store), on the card `options` names.
pub fn run(
    trust: &Trust,
    options: &IntakeRunOptions,
    host: &mut dyn Host,
    cancel: &CancelToken,
) -> Result<Zeroizing<String>, Error> {
    let waits = Waits::new(options.card_wait_ms, options.timeout_ms);
    with_flow(trust, options, |flow| {
        match (&options.reader, &options.virtual_card) {
            (None, Some(holder)) => drive(
                super::card::virtual_card(holder)?,
                flow,
                host,
                cancel,
                waits,
            ),
            (Some(reader), None) => on_reader(reader, flow, host, cancel, waits),
            _ => Err(Error::argument(
                "options",
                "exactly one of \"reader\" and \"virtual_card\" must be given",
            )),
        }
    })
}

/// Runs the intake over the host's own link (`options` names no `reader` nor
/// `virtual_card`).
pub fn run_with_transport(
    trust: &Trust,
    options: &IntakeRunOptions,
    transport: &mut dyn Transport,
    host: &mut dyn Host,
    cancel: &CancelToken,
) -> Result<Zeroizing<String>, Error> {
    if options.reader.is_some() || options.virtual_card.is_some() {
        return Err(Error::argument(
            "options",
            "with the host's transport, \"reader\" and \"virtual_card\" are not taken",
        ));
    }
    let waits = Waits::new(options.card_wait_ms, options.timeout_ms);
    with_flow(trust, options, |flow| {
        drive(HostLink(transport), flow, host, cancel, waits)
    })
}

fn with_flow<R>(
    trust: &Trust,
    options: &IntakeRunOptions,
    go: impl FnOnce(&mut EmployerIntakeFlow<'_>) -> Result<R, Error>,
) -> Result<R, Error> {
    let cv_trust = verifier_parts(trust);
    let crls = trust.crls();
    let verifier = IntakeVerifier {
        trust: trust.store(),
        revocation: &crls,
        staleness: StalenessPolicy::Reject,
        cv_trust: &cv_trust,
        time: time_or_now(options.time),
    };
    let mut flow = EmployerIntakeFlow::new(verifier)
        .map_err(|e| Error::new(ErrorKind::Flow, e.code(), e.to_string()))?;
    go(&mut flow)
}

#[cfg(feature = "pcsc")]
fn on_reader(
    reader: &str,
    flow: &mut EmployerIntakeFlow<'_>,
    host: &mut dyn Host,
    cancel: &CancelToken,
    waits: Waits,
) -> Result<Zeroizing<String>, Error> {
    let transport = super::card::connect_reader(reader, cancel, &waits)?;
    drive(transport, flow, host, cancel, waits)
}

#[cfg(not(feature = "pcsc"))]
fn on_reader(
    _reader: &str,
    _flow: &mut EmployerIntakeFlow<'_>,
    _host: &mut dyn Host,
    _cancel: &CancelToken,
    _waits: Waits,
) -> Result<Zeroizing<String>, Error> {
    Err(super::card::no_pcsc())
}
