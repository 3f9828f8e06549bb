//! Serves a virtual My Number Card to pcscd through vsmartcard's vpcd driver, so
//! that PC/SC tools (opensc-tool, pkcs15-tool, your reader software) see a card in
//! the reader "Virtual PCD 00 00".
//!
//! ```sh
//! pcscd --foreground &                      # with vsmartcard-vpcd installed
//! cargo run --example vpcd_card -- --holder yamada --port 35963
//! opensc-tool -l
//! ```
//!
//! Options: `--holder ID` (a built-in TEST holder, default `yamada`), `--host`
//! (default `127.0.0.1`), `--port` (default 35963; vpcd's second reader "Virtual PCD
//! 00 01" listens on 35964), `--short` (short APDUs only), `--atr 2024` (the 19-byte
//! ATR of cards issued from about 2024 instead of the older one), `--power-up-6f00`
//! (answer `6F00` to the first command after power-up, as measured — the virtual card's
//! default, turned off here unless asked because OpenSC's tools do not expect it),
//! `--reset-clears`
//! (a warm reset clears the verified state, the ISO reading; real cards keep it),
//! `--once` (exit when vpcd closes the connection instead of reconnecting).

use std::net::TcpStream;
use std::time::Duration;

use mynacard::transport::LinkCapabilities;
use mynacard::virtual_card::{
    CONTACT_ATR, CONTACT_ATR_2024, TEST_HOLDER_IDS, VirtualCard, VirtualCardOptions, vpcd,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut holder = "yamada".to_owned();
    let mut host = "127.0.0.1".to_owned();
    let mut port = vpcd::DEFAULT_PORT;
    let mut options = VirtualCardOptions::default();
    options.answer_6f00_after_power_up = false;
    let mut once = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--holder" => holder = args.next().ok_or("--holder needs an id")?,
            "--host" => host = args.next().ok_or("--host needs an address")?,
            "--port" => port = args.next().ok_or("--port needs a number")?.parse()?,
            "--short" => options.capabilities = LinkCapabilities::SHORT,
            "--atr" => {
                options.atr = match args.next().as_deref() {
                    Some("2024") => CONTACT_ATR_2024.to_vec(),
                    Some("old") => CONTACT_ATR.to_vec(),
                    _ => return Err("--atr takes 2024 or old".into()),
                }
            }
            "--power-up-6f00" => options.answer_6f00_after_power_up = true,
            "--reset-clears" => options.warm_reset_keeps_security_state = false,
            "--once" => once = true,
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: vpcd_card [--holder {}] [--host H] [--port P] [--short] [--atr 2024|old] [--power-up-6f00] [--reset-clears] [--once]",
                    TEST_HOLDER_IDS.join("|")
                )
                .into());
            }
        }
    }
    let mut card = VirtualCard::test_holder_with(&holder, options)?;
    eprintln!(
        "virtual card: TEST holder {holder} ({:?}), vpcd at {host}:{port}",
        card.profile()
    );
    loop {
        let mut stream = match TcpStream::connect((host.as_str(), port)) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("waiting for vpcd: {e}");
                std::thread::sleep(Duration::from_millis(500));
                continue;
            }
        };
        stream.set_nodelay(true)?;
        eprintln!("connected to vpcd");
        let result = vpcd::serve(&mut card, &mut stream);
        eprintln!(
            "vpcd connection closed ({}); {} commands so far",
            result
                .err()
                .map_or_else(|| "eof".to_owned(), |e| e.to_string()),
            card.command_count()
        );
        if once {
            return Ok(());
        }
        card.power_off();
        std::thread::sleep(Duration::from_millis(200));
    }
}
