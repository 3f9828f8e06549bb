#!/usr/bin/env bash
# Builds every fuzz target and runs each one briefly; a crash fails CI.
# Stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz use -Z flags (AddressSanitizer).
# FUZZ_SECONDS (default 20) is the time per target.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${FUZZ_SECONDS:-20}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
targets=$(cargo fuzz list)
cargo fuzz build
for t in $targets; do
  mkdir -p "corpus/${t%_verified}" "artifacts/$t"
  echo "--- fuzz $t for ${secs}s"
  # -seed corpus is read from corpus/<t>; new inputs go to a scratch dir so the
  # committed corpus stays small.
  scratch=$(mktemp -d)
  # A `_verified` variant (real RSA for every signature) shares its fast twin's seeds.
  seeds="corpus/${t%_verified}"
  if ! cargo fuzz run "$t" "$scratch" "$seeds" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
      > "/tmp/fuzz-$t.log" 2>&1; then
    tail -n 40 "/tmp/fuzz-$t.log"
    echo "fuzz target $t crashed: reproduce with 'cargo fuzz run $t fuzz/artifacts/$t/<file>'"
    exit 1
  fi
  grep -E "stat::number_of_executed_units|cov:" "/tmp/fuzz-$t.log" | tail -n 2 || true
  rm -rf "$scratch"
done
