//! Every guidance of every flow, spoken: its kana reading and its SSML rendering
//! go through `espeak-ng` (voice `ja`) to a WAV file, and `sox` checks that each
//! is non-silent and of a sane duration for its length.
//!
//! Skipped with a printed note where espeak-ng or sox is missing, unless
//! `MYNACARD_REQUIRE_SPEECH=1` (set by `.ci/run`, which installs both): then a
//! missing tool fails the test.

use std::path::Path;
use std::process::Command;

use mynacard::employer::{IntakeGuidance, IntakeGuidanceId};
use mynacard::flows::{Guidance, GuidanceId};

fn tool_present(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn tools() -> bool {
    let present = tool_present("espeak-ng") && tool_present("sox");
    if !present {
        assert!(
            std::env::var("MYNACARD_REQUIRE_SPEECH").as_deref() != Ok("1"),
            "espeak-ng and sox are required (MYNACARD_REQUIRE_SPEECH=1)"
        );
        eprintln!("skipped: espeak-ng or sox absent (apt-get install espeak-ng sox)");
    }
    present
}

/// `(length in seconds, RMS amplitude)` of a WAV file, from `sox <wav> -n stat`.
fn stat(wav: &Path) -> (f64, f64) {
    let out = Command::new("sox")
        .arg(wav)
        .args(["-n", "stat"])
        .output()
        .expect("sox runs");
    assert!(out.status.success(), "sox failed on {}", wav.display());
    // sox prints its statistics on stderr.
    let text = String::from_utf8_lossy(&out.stderr);
    let field = |name: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(':').next())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in sox output: {text}"))
    };
    (field("Length (seconds)"), field("RMS     amplitude"))
}

fn speak(dir: &Path, name: &str, text: &str, ssml: bool) -> (f64, f64) {
    let wav = dir.join(format!("{name}{}.wav", if ssml { ".ssml" } else { "" }));
    let mut cmd = Command::new("espeak-ng");
    cmd.args(["-v", "ja", "-w"]).arg(&wav);
    if ssml {
        cmd.arg("-m");
    }
    let out = cmd.arg(text).output().expect("espeak-ng runs");
    assert!(out.status.success(), "espeak-ng failed for {name}");
    stat(&wav)
}

/// Checks one guidance: both renderings are non-silent, neither is absurdly
/// short or long, and the kana reading takes a time proportional to its length.
fn check(dir: &Path, id: &str, kana: &str, ssml: &str) {
    let chars = kana.chars().count() as f64;
    let (len, rms) = speak(dir, id, kana, false);
    assert!(rms > 0.01, "{id}: kana rendering is silent (RMS {rms})");
    assert!(
        (0.5..=60.0).contains(&len) && len >= chars * 0.03 && len <= chars * 0.4 + 1.0,
        "{id}: kana rendering lasts {len:.2} s for {chars} characters"
    );
    let (len, rms) = speak(dir, id, ssml, true);
    assert!(rms > 0.01, "{id}: SSML rendering is silent (RMS {rms})");
    assert!(
        (0.5..=90.0).contains(&len),
        "{id}: SSML rendering lasts {len:.2} s"
    );
}

#[test]
fn every_guidance_renders_with_espeak_ng() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut rendered = 0;
    for id in GuidanceId::ALL {
        let g = Guidance::with_tries_left(*id, 2);
        check(dir.path(), id.as_str(), &g.kana(), &g.ssml());
        rendered += 1;
    }
    for id in IntakeGuidanceId::ALL {
        let g = IntakeGuidance::with_tries_left(*id, 2);
        check(dir.path(), id.as_str(), &g.kana(), &g.ssml());
        rendered += 1;
    }
    assert_eq!(
        rendered,
        GuidanceId::ALL.len() + IntakeGuidanceId::ALL.len()
    );
}

#[test]
fn a_lexicon_reading_replaces_the_term_when_spoken() {
    if !tools() {
        return;
    }
    // espeak-ng honours <sub alias>: the SSML of 暗証番号 sounds as long as its
    // reading, not as the four kanji spelled out.
    let dir = tempfile::tempdir().unwrap();
    let (ssml, _) = speak(
        dir.path(),
        "term",
        &mynacard::speech::ssml("暗証番号").unwrap(),
        true,
    );
    let (reading, _) = speak(dir.path(), "reading", "あんしょうばんごう", false);
    assert!(
        (ssml - reading).abs() < 0.2,
        "SSML {ssml:.2} s vs reading {reading:.2} s"
    );
}
