#!/usr/bin/env bash
# Windows, tested here: cross-builds the workspace's Rust crates for x86_64-pc-windows-gnu
# and runs their test suites and the C tests as Windows executables under Wine.
#
# Recipe (DESIGN.md, "Other targets"): Debian's rustc-web (its std sources in rust-web-src)
# builds std for the target with -Zbuild-std; mingw-w64 links; Wine 8 runs. Wine 8 lacks
# bcryptprimitives.dll!ProcessPrng, which Rust's std imports: .ci/windows/processprng.c is
# a DLL exporting it over RtlGenRandom, placed beside each executable. Wine 8's winscard is a
# stub, so the `pcsc` feature is compile-checked only. The Python crate is not cross-built
# (PyO3 needs a Windows Python to link against).
# Run from the repository root (.ci/run does).
set -euo pipefail
root=$PWD
need=(rustc-web rust-web-src gcc-mingw-w64-x86-64 wine64)
if ! dpkg -s "${need[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
target=x86_64-pc-windows-gnu
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=$root/.ci/windows/run.sh
export CARGO_TARGET_DIR=$root/target/windows
export WINEPREFIX=$root/target/windows/wineprefix WINEDEBUG=-all
# Tests that need Linux-only helpers (pcscd, espeak-ng, openssl, cargo itself) skip
# themselves where those are absent; nothing here may require them.
unset MYNACARD_REQUIRE_SPEECH MYNACARD_REQUIRE_OPENSSL
out=$CARGO_TARGET_DIR/$target/debug
build=(-Zbuild-std=std,panic_abort --target "$target")

echo "--- Wine: one persistent wineserver for the whole stage"
# Without it each executable starts (and the last one stops) the server, and a test binary
# that starts while the previous server shuts down fails with "wine client error … recvmsg".
mkdir -p "$WINEPREFIX"
/usr/lib/wine/wineserver -p
trap '/usr/lib/wine/wineserver -k 2>/dev/null || true' EXIT
/usr/lib/wine/wine64 wineboot --init >/dev/null 2>&1 || true

echo "--- ProcessPrng shim for Wine"
mkdir -p "$out"
x86_64-w64-mingw32-gcc -shared -O2 -o "$CARGO_TARGET_DIR/bcryptprimitives.dll" \
  .ci/windows/processprng.c -ladvapi32
export MYNACARD_PRNG_SHIM=$CARGO_TARGET_DIR/bcryptprimitives.dll

echo "--- Rust test suites as Windows executables under Wine"
# Four tests drive the host's cargo (cargo metadata / cargo build / cbindgen's metadata
# call), which a Windows process under Wine cannot start: they check the workspace itself,
# not the library, and run in the Linux stages.
cargo test "${build[@]}" --no-fail-fast -p mynacard -p mynacard-transport -p mynacard-virtual-card -p mynacard-ffi \
  -- --skip default_features_build_contains_no_test_material \
     --skip a_dependent_crate_with_default_features_gets_no_virtual_card_and_no_test_feature \
     --skip virtual_card_depends_on_the_transport_crate_only \
     --skip committed_header_matches_the_sources

echo "--- PC/SC on Windows (winscard): compile check only"
cargo check "${build[@]}" -p mynacard --features pcsc

echo "--- C tests: mingw-built programs against mynacard_ffi.dll, under Wine"
cargo build "${build[@]}" -p mynacard-ffi
cdir=$CARGO_TARGET_DIR/c-tests
rm -rf "$cdir"
mkdir -p "$cdir"
cp "$out/mynacard_ffi.dll" "$MYNACARD_PRNG_SHIM" "$cdir/"
for src in crates/mynacard-ffi/tests/c/test_*.c; do
  name=$(basename "$src" .c)
  x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -I crates/mynacard-ffi/include "$src" \
    "$out/libmynacard_ffi.dll.a" -o "$cdir/$name.exe"
  echo "  $name.exe"
  # Each program its own outcome file (as .ci/ffi.sh): one shared file held the last
  # writer's, test_transport's card + face outcome.
  /usr/lib/wine/wine64 "$cdir/$name.exe" "$root" "$cdir/$name.json"
done

echo "--- same outcome JSON from the Rust example and the C programs, all Windows executables"
cargo run -q "${build[@]}" -p mynacard-ffi --example reception_json > "$cdir/outcome.rust.json"
cargo run -q "${build[@]}" -p mynacard-ffi --example reception_json -- card_face \
  > "$cdir/outcome_face.rust.json"
# The C tests write their files in text mode, where Windows' C runtime ends the line with CRLF.
same() { cmp "$1" <(tr -d '\r' < "$2"); }
same "$cdir/outcome.rust.json" "$cdir/test_reception.json"
same "$cdir/outcome_face.rust.json" "$cdir/test_transport.json"
same "$cdir/outcome.rust.json" "$cdir/test_step.json"
same "$cdir/outcome_face.rust.json" "$cdir/test_step.json.face"
