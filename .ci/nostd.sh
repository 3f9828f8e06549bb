#!/usr/bin/env bash
# The no_std core (issue 23): `mynacard` without default features (and `mynacard-transport`)
# builds for a target without std, `thumbv7em-none-eabihf` (Cortex-M4F, what a reader's firmware
# runs on), with Debian's rustc-web (1.96) building `core` and `alloc` from rust-web-src; and
# the core's dependency tree holds nothing that needs std.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s rustc-web rust-web-src >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq rustc-web rust-web-src >/dev/null
fi

# 1. The dependency tree of the core: no crate that needs std, and no std feature turned on.
tree=$(cargo tree -p mynacard --no-default-features -e normal,build -e features --prefix none)
for forbidden in 'getrandom ' 'quick-xml ' 'pcsc ' 'aws-lc-rs ' 'mynacard-virtual-card ' \
  'feature "std"'; do
  if grep -F -- "$forbidden" <<<"$tree" >/dev/null; then
    echo "no_std core: the dependency tree of mynacard --no-default-features has: $forbidden" >&2
    grep -F -- "$forbidden" <<<"$tree" | sort -u >&2
    exit 1
  fi
done
echo "no_std core: dependency tree clean ($(cargo tree -p mynacard --no-default-features -e normal --prefix none | sed "s/ (\*)//" | sort -u | wc -l) crates, none needing std)"

# 2. The build for a target without std. Its own target dir: another compiler (1.96) and
# -Zbuild-std must not invalidate the workspace's build cache.
time RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/nostd \
  cargo build -Zbuild-std=core,alloc --target thumbv7em-none-eabihf \
  -p mynacard-transport -p mynacard --no-default-features

# 3. The same with the optional sans-IO features (serde's JSON, the tracing hooks): they
# must not pull std in either (≈ 40 s).
time RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/nostd \
  cargo build -Zbuild-std=core,alloc --target thumbv7em-none-eabihf \
  -p mynacard --no-default-features --features serde,tracing
