//! Gives the shared library a versioned SONAME on ELF platforms, so programs linked against
//! `libmynacard_ffi.so` record the ABI they were built for (see the versioning policy in
//! README.md): `libmynacard_ffi.so.0.1` while the version is 0.1.x (a 0.x minor release may
//! change the C ABI), `libmynacard_ffi.so.N` from 1.0 on. `install.sh` installs the file under
//! that name with the usual symlinks and a pkg-config file.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly"
    );
    if elf {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        let minor = env!("CARGO_PKG_VERSION_MINOR");
        let abi = if major == "0" {
            format!("0.{minor}")
        } else {
            major.to_string()
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libmynacard_ffi.so.{abi}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
