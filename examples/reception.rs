//! The clinic counter (受付) on the built-in virtual My Number Card: card + PIN,
//! card + face (with a demo face matcher), Android and iPhone smartphones, and the
//! 資格確認書 (記号・番号) way in — printing what the patient sees and hears, the
//! APDU count, the verification verdict, and the eligibility result: through
//! real files in a temporary folder served by the virtual 資格確認端末 (the
//! request into req/ and its answer from res/ for 記号・番号; the face result
//! the terminal writes itself after a card or phone was verified).
//!
//! ```sh
//! cargo run --example reception
//! cargo run --example reception --features pcsc -- --reader "NAME"   # card + PIN on a real reader
//! cargo run --example reception --features pcsc -- --reader "NAME" --jlis-test   # a J-LIS テスト用カード
//! ```
//!
//! Everything on the virtual card is TEST material (TEST holders, TEST PKI — not
//! J-LIS). On a real reader the J-LIS roots are used, the PIN is read from the
//! terminal, and revocation is reported as not checked (no CRL is loaded); with
//! `--jlis-test` a real J-LIS test card is verified under the JPKI-TEST roots, policies and
//! CV keys instead (feature `jlis-test`, on for this crate's examples), and the outcome says
//! `JlisTest`.

use std::process::ExitCode;

use mynacard::date::CalendarDate;
use mynacard::eligibility::{
    BirthDate, DateTime, InsurerNumber, MedicalInstitutionCode, PersonalText, SamplePatient,
    SearchInfo, XmlEncoding, parse_result,
};
use mynacard::flows::PkiCheck;
use mynacard::flows::{Awaits, Choice, Guidance};
use mynacard::flows::{
    CardFaceFlow, CardPinFlow, Flow, FlowError, IdentifiersFlow, SmartphoneFlow,
};
use mynacard::flows::{FaceImage, FaceMatcher, FaceVerdict, ScannedCardFace};
use mynacard::flows::{Identity, Outcome};
use mynacard::pki::{
    CrlIndex, CrlLimits, RelyingPartyPolicy, RevocationStatus, TrustStore, UnixTime, test_pki,
};
use mynacard::runner::{ChallengeSource, OsRandom, Patient, Reply, Runner, ScriptedPatient};
use mynacard::terminal::{
    Cancel, FaceWatch, FilePrefix, RequestName, TerminalFolder, VirtualTerminal,
};
use mynacard::transport::{LinkCapabilities, Traced, Transport};
use mynacard::virtual_card::{VirtualCard, VirtualCardOptions};
use std::time::Duration;
use zeroize::Zeroizing;

const HOLDERS: &str = include_str!("../crates/mynacard-virtual-card/data/holders.tsv");
/// The TEST PKI's CRLs are valid 2026-01-01 → 2036-01-01 and the `valid` holders'
/// certificates 2024-04-01 → 2030-03-31: the clock is used inside that window.
const WINDOW: (u64, u64) = (1_767_225_600, 1_901_199_599);

/// Prints every guidance as the reader would show and say it, and answers from a
/// script, echoing the answer.
struct Counter {
    script: ScriptedPatient,
}

impl Patient for Counter {
    fn show(&mut self, g: &Guidance) {
        println!("  ▶ [{}] {}", g.id(), g.ja());
        println!(
            "    {:width$} {}",
            "",
            g.en(),
            width = g.id().as_str().len() + 2
        );
    }

    fn reply(&mut self, g: &Guidance) -> Reply {
        let r = self.script.reply(g);
        let said = match (&r, g.awaits()) {
            (Reply::Digits(d), _) => format!("keypad: {}", "*".repeat(d.len())),
            (Reply::Yes, Awaits::StaffConfirmation) => "staff: はい / yes".into(),
            (Reply::Yes, _) => "はい / yes".into(),
            (Reply::No, _) => "いいえ / no".into(),
            (Reply::Choice(c), _) => format!("{} / {}", c.ja(), c.en()),
            _ => "取消 / cancel".into(),
        };
        println!("    ◀ {said}");
        r
    }
}

/// A stand-in for the reader vendor's face matcher: it accepts a photo that is a
/// JPEG 2000 file (the card's photo format). A real matcher compares the camera
/// image with it.
struct DemoMatcher;

impl FaceMatcher for DemoMatcher {
    fn compare(&mut self, card_photo: &FaceImage) -> FaceVerdict {
        const JP2: [u8; 12] = [
            0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
        ];
        let ok = card_photo.jpeg2000().starts_with(&JP2);
        println!(
            "    ◀ camera: card photo {} bytes (JPEG 2000) → {}",
            card_photo.jpeg2000().len(),
            if ok { "match" } else { "no match" }
        );
        if ok {
            FaceVerdict::Match
        } else {
            FaceVerdict::Mismatch
        }
    }
}

fn pin(s: &str) -> Reply {
    Reply::Digits(Zeroizing::new(s.into()))
}

fn consents() -> [Reply; 4] {
    [Reply::Yes, Reply::Yes, Reply::No, Reply::Yes]
}

fn facility() -> MedicalInstitutionCode {
    MedicalInstitutionCode::parse("1310012345").expect("a valid facility code")
}

fn holder_row(id: &str) -> Option<&'static str> {
    HOLDERS.lines().find(|l| l.split('\t').next() == Some(id))
}

fn verdict(outcome: &Result<Outcome, FlowError>) {
    match outcome {
        Ok(o) => match &o.identity {
            Identity::Verified(id) => println!(
                "  verdict: VERIFIED — auth certificate serial {}, token {}, method {} ({}), revocation: {}{}",
                id.serial_hex(),
                id.token()
                    .map_or("label not read", mynacard::card::TokenKind::code),
                o.method.en(),
                o.method.ja(),
                match id.pki().revocation() {
                    RevocationStatus::Good { this_update, .. } =>
                        format!("good (CRL of {this_update})"),
                    other => format!("{other:?}"),
                },
                id.pki().grace().map_or(String::new(), |g| format!(
                    ", expired {} (grace {} months)",
                    g.expired_at, g.months
                )),
            ),
            other => println!("  verdict: {other:?} — method {}", o.method.en()),
        },
        Err(e) => println!("  verdict: NOT VERIFIED — {e}"),
    }
}

/// A file the desk read (and consumed): where it was, what it held.
struct Received {
    shown: String,
    bytes: Vec<u8>,
}

/// The clinic's 資格確認端末 in the demo: a virtual terminal serving real
/// req/res/face folders in a temporary directory.
struct Desk {
    dir: tempfile::TempDir,
    folder: TerminalFolder,
    terminal: VirtualTerminal,
    faces: FaceWatch,
    serial: u64,
}

impl Desk {
    fn open(at: DateTime) -> Result<Self, Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let folder = TerminalFolder::at(dir.path())?;
        let terminal = VirtualTerminal::start(folder.clone(), facility(), move || at);
        Ok(Self {
            dir,
            folder,
            terminal,
            faces: FaceWatch::new(),
            serial: 0,
        })
    }

    /// 記号・番号: the request file goes into req/, the answer comes from res/.
    /// Card / phone: the terminal writes the face result on its own; the
    /// hospital system picks it up from the face folder.
    fn confirm(
        &mut self,
        outcome: &Outcome,
        patient: &SamplePatient,
        at: DateTime,
    ) -> Result<Option<Received>, Box<dyn std::error::Error>> {
        let wait = Duration::from_secs(10);
        let got = match (&outcome.request, &outcome.face_match) {
            (Some(request), _) => {
                self.serial += 1;
                let name = RequestName::numbered(FilePrefix::Qualification, self.serial);
                self.folder.submit(
                    &name,
                    &request.clone().on(at.date()).to_xml(XmlEncoding::Utf8)?,
                )?;
                println!("  terminal: wrote req/{name}");
                self.folder.wait_answer(&name, wait, &Cancel::new())?
            }
            (None, Some(face)) => {
                self.terminal
                    .reception_completed(patient, &outcome.consents.to_flags(at))?;
                let wanted = face.clone().since(at);
                self.folder
                    .wait_face(&mut self.faces, &wanted, wait, &Cancel::new())?
                    .1
            }
            (None, None) => return Ok(None),
        };
        let shown = got
            .path
            .strip_prefix(self.dir.path())
            .unwrap_or(&got.path)
            .display()
            .to_string();
        let bytes = got.bytes.to_vec();
        self.folder.consume(&got)?;
        Ok(Some(Received { shown, bytes }))
    }
}

fn eligibility(outcome: &Result<Outcome, FlowError>, holder: &str, at: DateTime, desk: &mut Desk) {
    let Ok(outcome) = outcome else { return };
    let Some(patient) = holder_row(holder).and_then(SamplePatient::from_holders_row) else {
        return;
    };
    let (path, xml) = match desk.confirm(outcome, &patient, at) {
        Ok(Some(got)) => (got.shown, got.bytes),
        Ok(None) => return,
        Err(e) => return println!("  terminal: {e}"),
    };
    match parse_result(&xml) {
        Ok(file) => {
            let body = file.body.as_ref();
            println!(
                "  terminal: read {path} ({} bytes) → 処理結果 {}, 資格有効性 {}",
                xml.len(),
                body.and_then(|b| b.processing_result_status.as_ref())
                    .and_then(|s| s.meaning())
                    .unwrap_or("?"),
                body.and_then(|b| b.qualification_validity.as_ref())
                    .and_then(|v| v.meaning())
                    .unwrap_or("?"),
            );
            for r in body.map(|b| b.results.as_slice()).unwrap_or_default() {
                println!("    {}", r.summary());
            }
        }
        Err(e) => println!("  eligibility: result not readable: {e}"),
    }
}

fn run_on<T: Transport>(
    transport: T,
    flow: &mut dyn Flow,
    replies: Vec<Reply>,
    matcher: &mut dyn FaceMatcher,
) -> (Result<Outcome, FlowError>, usize, usize) {
    let mut runner = Runner::new(Traced::new(transport));
    let mut patient = Counter {
        script: ScriptedPatient::new(replies),
    };
    let outcome = runner.run(flow, &mut patient, matcher);
    let t = runner.transport();
    (outcome, t.commands(), t.bytes_sent() + t.bytes_received())
}

/// Revocation as a clinic holds it: JPKI publishes one CRL per issuing municipality, named by
/// the directory-name distribution point in each certificate; the clinic loads (and refreshes
/// daily) the partitions of its patients' municipalities. Here: the TEST auth CA partitions of
/// the demo's holders (`crates/mynacard-virtual-card/data/pki/auth_ca.dp.<municipality>.crl.der`).
fn partitions_for(
    trust: &TrustStore,
    holders: &[&str],
) -> Result<mynacard::pki::CrlSet, Box<dyn std::error::Error>> {
    use mynacard::pki::{Certificate, CrlSet, certificate_distribution_points};
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/mynacard-virtual-card/data/pki"
    );
    let mut set = CrlSet::new();
    let mut loaded = Vec::new();
    for id in holders {
        let cert = Certificate::from_der(&std::fs::read(format!("{dir}/{id}_auth.der"))?)?;
        for dp in certificate_distribution_points(&cert) {
            let text = dp.to_string();
            let Some(city) = text
                .strip_prefix("CN=")
                .and_then(|rest| rest.split(',').next())
            else {
                continue;
            };
            if loaded.iter().any(|c| c == city) {
                continue;
            }
            let der = std::fs::read(format!("{dir}/auth_ca.dp.{city}.crl.der"))?;
            set.insert(CrlIndex::from_der(&der, trust, CrlLimits::default())?);
            loaded.push(city.to_owned());
        }
    }
    println!(
        "trust: TEST PKI (crates/mynacard-virtual-card/data/pki) — not J-LIS; revocation: TEST auth CA partitioned CRLs for {}",
        loaded.join(", ")
    );
    Ok(set)
}

fn virtual_counter() -> Result<(), Box<dyn std::error::Error>> {
    let now = UnixTime::now();
    let time = if (WINDOW.0..=WINDOW.1).contains(&now.as_secs()) {
        println!("time: {now} (system clock)");
        now
    } else {
        println!(
            "time: {} (the TEST PKI's reference time; the clock, {now}, is outside its validity)",
            test_pki::REFERENCE_TIME
        );
        test_pki::REFERENCE_TIME
    };
    let trust = TrustStore::test_only_mynacard_test_pki()?;
    let crl = partitions_for(&trust, &["yamada", "ito", "kato"])?;
    let policy = RelyingPartyPolicy::medical_eligibility();
    let check = PkiCheck {
        trust: &trust,
        revocation: &crl,
        policy: &policy,
        time,
    };
    let at = DateTime::parse_compact(&compact(time))?;
    let mut desk = Desk::open(at)?;
    let mut rng = OsRandom;
    let short = |id: &str| -> Result<VirtualCard, Box<dyn std::error::Error>> {
        let mut o = VirtualCardOptions::default();
        o.capabilities = LinkCapabilities::SHORT;
        Ok(VirtualCard::test_holder_with(id, o)?)
    };

    let scenarios: [(&str, &str); 5] = [
        (
            "1. Card + PIN (山田 太郎, physical card, short APDUs)",
            "yamada",
        ),
        (
            "2. Card + face recognition (山田 太郎, demo matcher)",
            "yamada",
        ),
        ("3. Smartphone, Android (伊藤 健)", "ito"),
        ("4. Smartphone, iPhone (加藤 美咲)", "kato"),
        ("5. 資格確認書 (記号・番号), no card", "yamada"),
    ];
    for (n, (title, holder)) in scenarios.into_iter().enumerate() {
        println!("\n== {title}");
        let (outcome, commands, bytes) = match n {
            0 => {
                let mut flow = CardPinFlow::new(facility(), rng.challenge()?, check);
                let mut r = vec![pin("1234")];
                r.extend(consents());
                run_on(short(holder)?, &mut flow, r, &mut DemoMatcher)
            }
            1 => {
                let scanned = ScannedCardFace {
                    birth_date: CalendarDate::new(1990, 4, 1)?,
                    expiry_year: 2035,
                    security_code: "2285".into(),
                };
                let mut flow = CardFaceFlow::new(facility(), rng.challenge()?, check, scanned);
                // No 特定機関認証 on this terminal: after the face match the PIN
                // makes the signature (see flows::terminal).
                let mut r = vec![Reply::Choice(Choice::Face), pin("1234")];
                r.extend(consents());
                run_on(short(holder)?, &mut flow, r, &mut DemoMatcher)
            }
            2 => {
                let mut flow = SmartphoneFlow::new(facility(), rng.challenge()?, check);
                let mut r = vec![pin("4680")];
                r.extend(consents());
                run_on(short(holder)?, &mut flow, r, &mut DemoMatcher)
            }
            3 => {
                let mut flow = SmartphoneFlow::new(facility(), rng.challenge()?, check);
                run_on(
                    short(holder)?,
                    &mut flow,
                    consents().into(),
                    &mut DemoMatcher,
                )
            }
            _ => {
                let search = SearchInfo {
                    insurer_number: InsurerNumber::parse("01130012")?,
                    insured_card_symbol: Some(PersonalText::new("１２３")),
                    insured_identification_number: PersonalText::new("0401"),
                    insured_branch_number: Some(PersonalText::new("00")),
                    birthdate: BirthDate::parse_yyyymmdd("19900401")?,
                    limit_application_consent: false,
                    arbitrary_identifier: None,
                    unknown: Default::default(),
                };
                let mut flow = IdentifiersFlow::new(facility(), search);
                run_on(
                    short(holder)?,
                    &mut flow,
                    vec![Reply::Yes],
                    &mut DemoMatcher,
                )
            }
        };
        println!("  APDUs: {commands} commands, {bytes} bytes on the link");
        verdict(&outcome);
        eligibility(&outcome, holder, at, &mut desk);
    }
    Ok(())
}

/// `YYYYMMDDHHMMSS` (UTC) of a Unix time.
fn compact(t: UnixTime) -> String {
    t.to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect()
}

#[cfg(feature = "pcsc")]
fn real_reader(name: &str, jlis_test: bool) -> Result<(), Box<dyn std::error::Error>> {
    use mynacard::pcsc::{ConnectOptions, ExtendedApdu, PcscContext};
    use mynacard::pki::{NoRevocationSource, RevocationRequirement};
    use std::io::BufRead;

    /// The person at a real reader types on this terminal.
    struct Terminal;
    impl Patient for Terminal {
        fn show(&mut self, g: &Guidance) {
            println!("  ▶ [{}] {}\n    {}", g.id(), g.ja(), g.en());
        }
        fn reply(&mut self, g: &Guidance) -> Reply {
            let mut line = String::new();
            if std::io::stdin().lock().read_line(&mut line).is_err() {
                return Reply::Cancel;
            }
            let line = Zeroizing::new(line.trim().to_owned());
            match g.awaits() {
                Awaits::Keypad { .. } => Reply::Digits(line),
                Awaits::Choice(options) => options
                    .iter()
                    .find(|c| c.en().eq_ignore_ascii_case(&line))
                    .map_or(Reply::Cancel, |c| Reply::Choice(*c)),
                _ if line.starts_with('y') => Reply::Yes,
                _ => Reply::No,
            }
        }
    }

    let ctx = PcscContext::establish()?;
    println!("waiting for a card in {name} …");
    ctx.wait_for_card(name, Some(std::time::Duration::from_secs(30)))?;
    let transport = ctx.connect(
        name,
        ConnectOptions {
            exclusive: true,
            extended: ExtendedApdu::FromReader,
        },
    )?;
    let trust = if jlis_test {
        TrustStore::test_only_jlis_test_cards()?
    } else {
        TrustStore::jlis()?
    };
    let mut policy = RelyingPartyPolicy::medical_eligibility();
    policy.revocation = RevocationRequirement::BestEffort;
    let check = PkiCheck {
        trust: &trust,
        revocation: &NoRevocationSource,
        policy: &policy,
        time: UnixTime::now(),
    };
    println!(
        "trust: {}; revocation: not checked (no CRL loaded)",
        if jlis_test {
            "JPKI-TEST roots of J-LIS test cards (TEST ONLY)"
        } else {
            "J-LIS roots"
        }
    );
    let mut flow = CardPinFlow::new(facility(), OsRandom.challenge()?, check);
    let mut runner = Runner::new(Traced::new(transport));
    // With a PIN-pad reader the PIN is typed on the reader and never reaches the host.
    let outcome = runner.run_with_pin_pad(&mut flow, &mut Terminal, &mut DemoMatcher);
    println!("  APDUs: {} commands", runner.transport().commands());
    verdict(&outcome);
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().position(|a| a == "--reader") {
        None => virtual_counter(),
        Some(i) => match args.get(i + 1) {
            #[cfg(feature = "pcsc")]
            Some(name) => real_reader(name, args.iter().any(|a| a == "--jlis-test")),
            #[cfg(not(feature = "pcsc"))]
            Some(_) => Err("--reader needs the `pcsc` feature: cargo run --example reception --features pcsc -- --reader NAME".into()),
            None => Err("usage: reception [--reader NAME [--jlis-test]]".into()),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reception: {e}");
            ExitCode::FAILURE
        }
    }
}
