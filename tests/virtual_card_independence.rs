//! The virtual card shares no encoding/decoding code with the host side it is used
//! to test: no code line under `src/virtual_card/` refers to the host-side APDU
//! codec, TLV reader or exchange loop.

#![cfg(feature = "virtual-card")]

#[test]
fn virtual_card_uses_no_host_codec() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/virtual_card");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        files += 1;
        for (n, line) in source.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for forbidden in [
                "crate::apdu",
                "crate::tlv",
                "crate::exchange",
                "mynacard::apdu",
            ] {
                assert!(
                    !code.contains(forbidden),
                    "{}:{}: uses {forbidden}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
    assert!(files >= 10);
}
