//! Parses an eligibility XML file and prints it as JSON.
//!
//! ```text
//! cargo run --features serde --example eligibility -- tests/data/eligibility/full_utf8.xml
//! cargo run --features serde --example eligibility -- --kind medication FILE
//! ```
//!
//! Kinds: `result` (default), `request`, `medication` (`YZKsiquc01res`, 薬剤 +
//! 診療), `health-checkup` (`TKKsiquc01res`). Bad input prints one line naming what is wrong (the element,
//! for a missing or invalid one) and exits with status 1.

use mynacard::eligibility::{parse_health_checkups, parse_medication, parse_request, parse_result};
use std::io::Write;
use std::process::ExitCode;

fn to_json<T: serde::Serialize, E: std::fmt::Display>(r: Result<T, E>) -> Result<String, String> {
    let v = r.map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&v).map_err(|e| e.to_string())
}

fn run() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let mut kind = "result".to_owned();
    let mut path = None;
    while let Some(a) = args.next() {
        if a == "--kind" {
            kind = args.next().ok_or("--kind needs a value")?;
        } else {
            path = Some(a);
        }
    }
    let path =
        path.ok_or("usage: eligibility [--kind result|request|medication|health-checkup] FILE")?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let json = match kind.as_str() {
        "result" => to_json(parse_result(&bytes)),
        "request" => to_json(parse_request(&bytes)),
        "medication" => to_json(parse_medication(&bytes)),
        "health-checkup" => to_json(parse_health_checkups(&bytes)),
        other => return Err(format!("unknown kind {other:?}")),
    };
    json.map_err(|e| format!("{path}: {e}"))
}

fn main() -> ExitCode {
    match run() {
        Ok(json) => {
            // A closed pipe (`| head`) is not an error of the input.
            let _ = writeln!(std::io::stdout().lock(), "{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
