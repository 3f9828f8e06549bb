//! The card + PIN flow driven from an async (tokio) task, with no `Transport` at
//! all: the virtual card runs in its own task behind a channel, as a reader's
//! NFC stack or a remote card service would, and the flow only ever asks for
//! bytes to be sent and is handed the raw answers.
//!
//! ```sh
//! cargo run --example async_card_pin
//! ```

use mynacard::eligibility::MedicalInstitutionCode;
use mynacard::flows::Awaits;
use mynacard::flows::{CardPinFlow, Event, Flow, Input};
use mynacard::flows::{KeyProofChallenge, PkiCheck};
use mynacard::pki::{CrlIndex, CrlLimits, RelyingPartyPolicy, TrustStore, test_pki};
use mynacard::transport::LinkCapabilities;
use mynacard::virtual_card::VirtualCard;
use tokio::sync::{mpsc, oneshot};
use zeroize::Zeroizing;

/// One command's bytes and where to send the card's answer.
type CardRequest = (Vec<u8>, oneshot::Sender<Vec<u8>>);

/// The card's task: answers each command with its raw response bytes.
async fn card_task(mut card: VirtualCard, mut requests: mpsc::Receiver<CardRequest>) {
    while let Some((command, reply)) = requests.recv().await {
        // `process` is the card itself: bytes in, bytes out.
        let _ = reply.send(card.process(&command));
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let trust = TrustStore::test_only_mynacard_test_pki()?;
    let crl = CrlIndex::from_der(
        include_bytes!("../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der"),
        &trust,
        CrlLimits::default(),
    )?;
    let policy = RelyingPartyPolicy::medical_eligibility();
    let check = PkiCheck {
        trust: &trust,
        revocation: &crl,
        policy: &policy,
        time: test_pki::REFERENCE_TIME,
    };

    let (to_card, requests) = mpsc::channel::<CardRequest>(1);
    let card = tokio::spawn(card_task(VirtualCard::test_holder("yamada")?, requests));

    // A short-APDU link (what most contactless readers offer).
    let caps = LinkCapabilities::SHORT;
    let mut challenge = [0u8; 32];
    getrandom::fill(&mut challenge)?;
    let facility = MedicalInstitutionCode::parse("1310012345")?;
    let mut flow = CardPinFlow::new(facility, KeyProofChallenge::new(challenge), check);

    let mut commands = 0;
    let mut input = Input::Start(caps);
    let outcome = loop {
        input = match flow.resume(input)? {
            Event::Send(command) => {
                let bytes = Zeroizing::new(command.encode_auto(caps.extended)?);
                let (reply, answer) = oneshot::channel();
                to_card.send((bytes.to_vec(), reply)).await?;
                commands += 1;
                Input::from_card(
                    answer
                        .await
                        .map_err(|_| mynacard::transport::TransportError::CardRemoved),
                )
            }
            Event::Guide(guidance) => {
                println!("[{}] {}", guidance.id(), guidance.en());
                match guidance.awaits() {
                    Awaits::Keypad { .. } => Input::Digits(Zeroizing::new("1234".into())),
                    Awaits::Nothing | Awaits::FaceCapture => Input::Continue,
                    // Every consent item: yes.
                    _ => Input::YesNo(true),
                }
            }
            Event::Done(outcome) => break outcome,
            other => return Err(format!("unexpected event {other:?}").into()),
        };
    };
    drop(to_card);
    card.await?;

    let holder = outcome.identity.verified().ok_or("no verified identity")?;
    println!(
        "verified {} by {} in {commands} commands; consents {:?}",
        holder.serial_hex(),
        outcome.method,
        outcome.consents
    );
    Ok(())
}
