#!/usr/bin/env bash
# PC/SC check of the virtual My Number Card: pcscd + vsmartcard's vpcd + examples/vpcd_card.
# Idempotent (installs only what is missing, reuses a running pcscd) and cleans up the
# background processes it started. Needs root for apt-get and for starting pcscd.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
HOLDER="${VCARD_HOLDER:-yamada}"
PORT="${VCARD_PORT:-35963}"
work="$(mktemp -d /tmp/mynacard-pcsc.XXXXXX)"
pcscd_pid=""
card_pid=""
card2_pid=""

cleanup() {
  status=$?
  if [ -n "$card_pid" ] && kill -0 "$card_pid" 2>/dev/null; then kill "$card_pid"; wait "$card_pid" 2>/dev/null || true; fi
  if [ -n "$card2_pid" ] && kill -0 "$card2_pid" 2>/dev/null; then kill "$card2_pid"; wait "$card2_pid" 2>/dev/null || true; fi
  if [ -n "$pcscd_pid" ] && kill -0 "$pcscd_pid" 2>/dev/null; then kill "$pcscd_pid"; wait "$pcscd_pid" 2>/dev/null || true; fi
  if [ "$status" -ne 0 ]; then
    echo "--- pcsc.sh failed (exit $status); logs:"
    tail -n 40 "$work/pcscd.log" 2>/dev/null || true
    tail -n 20 "$work/card.log" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

echo "--- packages"
if ! dpkg -s pcscd vsmartcard-vpcd libpcsclite-dev opensc pcsc-tools openssl >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq pcscd vsmartcard-vpcd libpcsclite-dev opensc pcsc-tools openssl >/dev/null
fi

echo "--- build the virtual card server"
cargo build -q --example vpcd_card
# The PC/SC tests are modules of the one integration-test binary (tests/it), run below by their
# module filter. Selected as the workspace stage before this one selects them (every crate's tests,
# every feature), so cargo reuses that build instead of compiling the test crate again; the other
# test binaries run with the filter too and match nothing.
cargo test -q --workspace --all-features --tests --no-run

echo "--- pcscd"
if pgrep -x pcscd >/dev/null; then
  echo "reusing the running pcscd"
else
  pcscd --foreground --apdu --info >"$work/pcscd.log" 2>&1 &
  pcscd_pid=$!
fi

echo "--- virtual card (TEST holder $HOLDER) on vpcd port $PORT"
./target/debug/examples/vpcd_card --holder "$HOLDER" --port "$PORT" >"$work/card.log" 2>&1 &
card_pid=$!

for _ in $(seq 1 60); do
  if opensc-tool -l 2>/dev/null | grep -Eq '^[0-9]+ +Yes +.*Virtual PCD'; then break; fi
  sleep 0.5
done

echo "--- opensc-tool -l"
opensc-tool -l | tee "$work/readers.txt"
grep -Eq '^[0-9]+ +Yes +.*Virtual PCD' "$work/readers.txt"
reader=$(grep -E '^[0-9]+ +Yes +.*Virtual PCD' "$work/readers.txt" | head -n1 | awk '{print $1}')
opensc-tool -r "$reader" -a

echo "--- OpenSC's JPKI driver lists the certificates"
OPENSC_DRIVER=jpki pkcs15-tool -r "$reader" --list-certificates | tee "$work/certs.txt"
for label in "User Authentication Certificate" "Digital Signature Certificate" \
             "User Authentication Certificate CA" "Digital Signature Certificate CA"; do
  grep -q "\[$label\]" "$work/certs.txt"
done

echo "--- a PKCS#1 signature made by the card over PC/SC verifies with openssl"
auth_pin=$(awk -F'\t' -v id="$HOLDER" '$1 == id { print $11 }' crates/mynacard-virtual-card/data/holders.tsv)
echo "mynacard virtual card signature check $(date +%s)" >"$work/data.txt"
openssl dgst -sha256 -binary "$work/data.txt" >"$work/hash.bin"
OPENSC_DRIVER=jpki pkcs15-tool -r "$reader" --read-certificate 01 >"$work/auth.pem"
openssl x509 -in "$work/auth.pem" -pubkey -noout >"$work/auth_pub.pem"
cmp <(openssl x509 -in "$work/auth.pem" -outform DER) "crates/mynacard-virtual-card/data/pki/${HOLDER}_auth.der"
OPENSC_DRIVER=jpki pkcs15-crypt -r "$reader" --sign --key 01 --pkcs1 --sha-256 \
  --input "$work/hash.bin" --output "$work/sig.bin" --pin "$auth_pin"
openssl dgst -sha256 -verify "$work/auth_pub.pem" -signature "$work/sig.bin" "$work/data.txt"

echo "--- Rust test through the pcsc crate"
VCARD_HOLDER="$HOLDER" cargo test -q --workspace --all-features --tests pcsc_virtual_card:: -- --include-ignored --nocapture \
  2>&1 | tee "$work/rust.txt"
if grep -q SKIPPED "$work/rust.txt"; then
  echo "the PC/SC test skipped although the virtual card should be attached" >&2
  exit 1
fi
grep -q "test result: ok. 1 passed" "$work/rust.txt"

echo "--- card operations through PcscTransport (feature pcsc)"
VCARD_HOLDER="$HOLDER" cargo test -q --workspace --all-features --tests card_pcsc:: -- --include-ignored --nocapture --test-threads=1 \
  2>&1 | tee "$work/card_pcsc.txt"
if grep -q SKIPPED "$work/card_pcsc.txt"; then
  echo "the card_pcsc tests skipped although the virtual card should be attached" >&2
  exit 1
fi
grep -Eq "test result: ok\. [1-9][0-9]* passed" "$work/card_pcsc.txt"
# Issue 15: a warm reset keeps, a power-off clears the verified state, and the host's
# logout logs out (printed by the test).
grep -q "after a warm reset: sign answers 9000 (verified state kept)" "$work/card_pcsc.txt"
grep -q "after logout (SCARD_UNPOWER_CARD): sign answers 6982 (logged out)" "$work/card_pcsc.txt"

echo "--- the same through the second reader: 2024 ATR, 6F00 after power-up"
# Started only now, so that the first run above exercised cancelling a wait on the
# empty second reader.
# vpcd's second reader ("Virtual PCD 00 01") listens on the next port: a card with the
# 19-byte ATR of cards issued from about 2024 that answers 6F00 to the first command
# after power-up (as measured), so the host is shown not to depend on either.
echo "--- second virtual card: 2024 ATR, 6F00 after power-up, on vpcd port $((PORT + 1))"
./target/debug/examples/vpcd_card --holder yamada --port "$((PORT + 1))" --atr 2024 --power-up-6f00 \
  >"$work/card2.log" 2>&1 &
card2_pid=$!
for _ in $(seq 1 60); do
  if opensc-tool -l 2>/dev/null | grep -Eq '^[0-9]+ +Yes +.*Virtual PCD 00 01'; then break; fi
  sleep 0.5
done
VCARD_HOLDER=yamada VCARD_READER="Virtual PCD 00 01" \
  cargo test -q --workspace --all-features --tests card_pcsc:: -- --include-ignored --nocapture --test-threads=1 \
  2>&1 | tee "$work/card_pcsc_2024.txt"
if grep -q SKIPPED "$work/card_pcsc_2024.txt"; then
  echo "the card_pcsc tests skipped on the second reader" >&2
  exit 1
fi
grep -q "ATR \[3B, DA, 13, FF" "$work/card_pcsc_2024.txt"
grep -q "after logout (SCARD_UNPOWER_CARD): sign answers 6982 (logged out)" "$work/card_pcsc_2024.txt"
grep -Eq "test result: ok\. [1-9][0-9]* passed" "$work/card_pcsc_2024.txt"

echo "--- PC/SC checks passed"
