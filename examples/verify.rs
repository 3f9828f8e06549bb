//! Verify a JPKI certificate (and optionally a signature) and print the verdict.
//!
//! ```text
//! cargo run --example verify -- CERT.der... [--sig SIG.bin --msg MSG.bin] [--crl CRL.der]...
//!                                [--time UNIX_SECONDS] [--test-pki | --jlis-test] [--grace]
//! cargo run --example verify            # demo on the TEST PKI (crates/mynacard-virtual-card/data/pki)
//! ```
//!
//! Without `--test-pki` the six compiled-in J-LIS roots are the anchors; each certificate given
//! is verified in turn and its path to the root printed, e.g.
//! `cargo run --example verify -- ../shared/data/real-auth-certificates/*.der --time 1717200000`. The purpose (signature /
//! user authentication) is taken from the issuing CA. With `--sig`/`--msg` a user-authentication
//! certificate goes through the one-call presentation check (`verify_presentation`, SHA-256
//! DigestInfo of MSG); for a signature certificate the signature over MSG is checked and the
//! holder's attributes are printed.
//!
//! `--jlis-test` verifies a real J-LIS test card's certificates under the JPKI-TEST roots
//! (`TrustStore::test_only_jlis_test_cards`, feature `jlis-test`), e.g.
//! `cargo run --example verify -- --jlis-test ../shared/data/jpki-test-card/jpki-auth-cert.der --time 1780272000`.

use std::error::Error;
use std::path::PathBuf;

use mynacard::pki::{
    self, CrlIndex, CrlLimits, CrlSet, HashAlgorithm, Presentation, Purpose, RelyingPartyPolicy,
    RevocationRequirement, RevocationSource, StalenessPolicy, TrustStore, UnixTime,
};

#[derive(Default)]
struct Args {
    certs: Vec<PathBuf>,
    sig: Option<PathBuf>,
    msg: Option<PathBuf>,
    crls: Vec<PathBuf>,
    time: Option<u64>,
    test_pki: bool,
    jlis_test: bool,
    grace: bool,
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut a = Args::default();
    let mut it = std::env::args_os().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .map(PathBuf::from)
                .ok_or(format!("{} needs a value", arg.to_string_lossy()))
        };
        match arg.to_str() {
            Some("--sig") => a.sig = Some(value()?),
            Some("--msg") => a.msg = Some(value()?),
            Some("--crl") => a.crls.push(value()?),
            Some("--time") => a.time = Some(value()?.to_string_lossy().parse()?),
            Some("--test-pki") => a.test_pki = true,
            Some("--jlis-test") => a.jlis_test = true,
            Some("--grace") => a.grace = true,
            Some(s) if s.starts_with("--") => return Err(format!("unknown option {s}").into()),
            _ => a.certs.push(PathBuf::from(arg)),
        }
    }
    Ok(a)
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()?;
    if args.certs.is_empty() {
        return demo();
    }
    let trust = if args.test_pki {
        TrustStore::test_only_mynacard_test_pki()?
    } else if args.jlis_test {
        TrustStore::test_only_jlis_test_cards()?
    } else {
        TrustStore::jlis()?
    };
    let time = args.time.map_or_else(UnixTime::now, UnixTime::from_secs);
    let mut crls = CrlSet::new();
    for c in &args.crls {
        crls.insert(CrlIndex::from_der(
            &std::fs::read(c)?,
            &trust,
            CrlLimits::default(),
        )?);
    }
    for cert_path in &args.certs {
        verify_one(&args, &trust, &crls, time, cert_path)?;
    }
    Ok(())
}

fn verify_one(
    args: &Args,
    trust: &TrustStore,
    crls: &CrlSet,
    time: UnixTime,
    cert_path: &PathBuf,
) -> Result<(), Box<dyn Error>> {
    let cert = std::fs::read(cert_path)?;
    let parsed = pki::Certificate::from_der(&cert)?;
    let purpose = trust
        .anchors()
        .iter()
        .find(|a| a.subject() == parsed.issuer())
        .map_or(Purpose::Authentication, |a| a.purpose());
    println!(
        "certificate {} (serial {}, {purpose})",
        cert_path.display(),
        parsed.serial_hex()
    );
    println!("  issuer   {}", parsed.issuer());
    println!(
        "  validity {} → {}",
        parsed.not_before(),
        parsed.not_after()
    );
    println!("  checked at {time}");
    let policy = RelyingPartyPolicy {
        card_auth_grace_months: if args.grace { 3 } else { 0 },
        revocation: if args.crls.is_empty() {
            RevocationRequirement::BestEffort
        } else {
            RevocationRequirement::Required
        },
        ..RelyingPartyPolicy::strict()
    };
    let signed = match (&args.sig, &args.msg) {
        (Some(s), Some(m)) => Some((std::fs::read(s)?, std::fs::read(m)?)),
        _ => None,
    };
    match (purpose, signed) {
        (Purpose::Authentication, Some((sig, msg))) => {
            match pki::verify_presentation(
                &Presentation::new(&cert, &msg, &sig),
                trust,
                crls,
                &policy,
                time,
            ) {
                Ok(id) => println!("VALID presentation: {id:#?}"),
                Err(e) => println!("INVALID: {e}"),
            }
        }
        _ => report_certificate(
            trust,
            crls,
            &cert,
            purpose,
            time,
            args.sig.as_ref().zip(args.msg.as_ref()),
        )?,
    }
    Ok(())
}

fn report_certificate(
    trust: &TrustStore,
    crls: &dyn RevocationSource,
    cert: &[u8],
    purpose: Purpose,
    time: UnixTime,
    signed: Option<(&PathBuf, &PathBuf)>,
) -> Result<(), Box<dyn Error>> {
    let v = match trust.verify_certificate(cert, purpose, time) {
        Ok(v) => v,
        Err(e) => {
            println!("INVALID: {e}");
            return Ok(());
        }
    };
    println!(
        "VALID certificate under {} — kind {:?}",
        v.anchor(),
        v.kind()
    );
    if let Some(a) = trust
        .anchors()
        .iter()
        .find(|a| a.sha256_fingerprint() == *v.anchor_fingerprint())
    {
        let fp: String = a
            .sha256_fingerprint()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        println!(
            "  path     {} → {} ({} root{}, serial {}, SHA-256 {fp})",
            v.certificate().serial_hex(),
            a.label(),
            a.purpose(),
            a.generation().map(|g| format!(" {g}")).unwrap_or_default(),
            a.serial_hex(),
        );
    }
    println!(
        "  revocation: {:?}",
        crls.status(&v, time, StalenessPolicy::ReportNotChecked)?
    );
    if let Some((sig, msg)) = signed {
        match v.verify_message(
            HashAlgorithm::Sha256,
            &std::fs::read(msg)?,
            &std::fs::read(sig)?,
        ) {
            Ok(()) => println!("  signature over {}: VALID", msg.display()),
            Err(e) => println!("  signature over {}: INVALID ({e})", msg.display()),
        }
    }
    if purpose == Purpose::Signature {
        let a = v.holder_attributes()?;
        let b = a.birth_date();
        println!("  氏名     {}", a.name());
        println!("  住所     {}", a.address());
        println!(
            "  生年月日 {:?} {:?}-{:?}-{:?}",
            b.era(),
            b.year(),
            b.month(),
            b.day()
        );
        println!("  性別     {:?}", a.sex());
        println!("  代替文字 name {:?}", a.name_flags().flags());
        println!("  代替文字 address {:?}", a.address_flags().flags());
        for o in a.other_names() {
            println!("  other    {} ({} bytes)", o.oid, o.value_der.len());
        }
    }
    Ok(())
}

/// Demo on the TEST PKI at its reference time.
fn demo() -> Result<(), Box<dyn Error>> {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("crates/mynacard-virtual-card/data/pki");
    let read = |f: &str| std::fs::read(dir.join(f));
    println!(
        "TEST-ONLY demo (crates/mynacard-virtual-card/data/pki) at {}",
        pki::test_pki::REFERENCE_TIME
    );
    let trust = TrustStore::test_only_mynacard_test_pki()?;
    let mut crls = CrlSet::new();
    for f in ["auth_ca.crl.der", "sign_ca.crl.der"] {
        crls.insert(CrlIndex::from_der(&read(f)?, &trust, CrlLimits::default())?);
    }
    let t = pki::test_pki::REFERENCE_TIME;
    println!("\n== signature certificate of holder `takahashi`");
    report_certificate(
        &trust,
        &crls,
        &read("takahashi_sign.der")?,
        Purpose::Signature,
        t,
        None,
    )?;
    let challenge = b"demo challenge";
    for holder in ["yamada", "ito", "sato", "watanabe"] {
        let key = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::from_pkcs8_der(&read(&format!(
            "{holder}_auth.key.der"
        ))?)?;
        let sig = key.sign(challenge).to_vec();
        let cert = read(&format!("{holder}_auth.der"))?;
        for (label, policy) in [
            ("strict", RelyingPartyPolicy::strict()),
            ("medical", RelyingPartyPolicy::medical_eligibility()),
        ] {
            let r = pki::verify_presentation(
                &Presentation::new(&cert, challenge, &sig),
                &trust,
                &crls,
                &policy,
                t,
            );
            match r {
                Ok(id) => println!(
                    "{holder:>9} [{label}]: VALID serial {:02X?} form {:?} grace {:?}",
                    id.serial(),
                    id.form(),
                    id.grace()
                ),
                Err(e) => println!("{holder:>9} [{label}]: INVALID — {e}"),
            }
        }
    }
    Ok(())
}
