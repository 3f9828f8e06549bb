#!/usr/bin/env bash
# Cargo's runner for x86_64-pc-windows-gnu (set by .ci/windows.sh): runs a Windows test
# executable under Wine, with the ProcessPrng shim (bcryptprimitives.dll) beside it.
set -euo pipefail
exe=$1
shift
dir=$(dirname "$exe")
[ -f "$dir/bcryptprimitives.dll" ] || cp "$MYNACARD_PRNG_SHIM" "$dir/bcryptprimitives.dll"
exec /usr/lib/wine/wine64 "$exe" "$@"
