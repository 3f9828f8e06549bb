#!/usr/bin/env bash
# Installs the C library as a system package would: the shared library under its versioned
# name with the SONAME symlinks, the static library, the header and a pkg-config file.
#   crates/mynacard-ffi/install.sh PREFIX [PROFILE_DIR]
# PROFILE_DIR defaults to target/release (build it first: cargo build -p mynacard-ffi --release).
# Then: cc app.c $(PKG_CONFIG_PATH=PREFIX/lib/pkgconfig pkg-config --cflags --libs mynacard)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=${1:?usage: install.sh PREFIX [PROFILE_DIR]}
built=${2:-$root/target/release}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$here/Cargo.toml" | head -n 1)
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
if [ "$major" = 0 ]; then abi="0.$minor"; else abi="$major"; fi

mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
install -m 0755 "$built/libmynacard_ffi.so" "$prefix/lib/libmynacard_ffi.so.$version"
ln -sf "libmynacard_ffi.so.$version" "$prefix/lib/libmynacard_ffi.so.$abi"
ln -sf "libmynacard_ffi.so.$abi" "$prefix/lib/libmynacard_ffi.so"
install -m 0644 "$built/libmynacard_ffi.a" "$prefix/lib/libmynacard_ffi.a"
install -m 0644 "$here/include/mynacard.h" "$prefix/include/mynacard.h"
cat > "$prefix/lib/pkgconfig/mynacard.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: mynacard
Description: C ABI for My Number Card reception, JPKI verification and online-eligibility files
Version: $version
Libs: -L\${libdir} -lmynacard_ffi
Libs.private: -lpthread -ldl -lm
Cflags: -I\${includedir}
PC
echo "installed mynacard $version (SONAME libmynacard_ffi.so.$abi) under $prefix"
