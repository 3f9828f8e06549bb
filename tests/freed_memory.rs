//! Personal data must not stay behind in freed memory.
//!
//! This test binary installs a probing global allocator: while a probe runs on a
//! thread, every block that thread frees (including the old block of a
//! reallocation) is searched for the probe's needles — a holder's name, address,
//! birth date… — before it is handed back to the system. A hit means a copy of
//! personal data was dropped without being wiped.
//!
//! To add a case: build the needles from the test data *before* the probe, then
//! run the operation inside [`freed_blocks_containing`] — drop everything the
//! operation returns inside the closure — and assert that the returned list is
//! empty. The probe sees only the calling thread's frees, so the other tests of
//! this binary, running in parallel, do not disturb it.

#![cfg(feature = "virtual-card")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use mynacard::apdu::Command;
use mynacard::exchange::{Exchange, FileRef, Framing};
use mynacard::tlv::Tlv;
use mynacard::transport::{LinkCapabilities, Transport, TransportError};
use mynacard::virtual_card::{CardApplication, VirtualCard};

/// A freed block that held a needle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Leak {
    /// Index of the needle found.
    needle: usize,
    /// Size of the freed block.
    block_len: usize,
}

const MAX_LEAKS: usize = 32;

thread_local! {
    /// The needles searched for while a probe runs on this thread.
    static NEEDLES: Cell<Option<&'static [&'static [u8]]>> = const { Cell::new(None) };
    /// The leaks found so far (fixed storage: the allocator must not allocate).
    static LEAKS: Cell<[Option<Leak>; MAX_LEAKS]> = const { Cell::new([None; MAX_LEAKS]) };
    /// Set while the allocator itself inspects a block.
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

struct Probe;

// SAFETY: every call is forwarded to `System` with the caller's pointer and layout;
// before a free, the block is only read (it is still allocated and `layout.size()`
// bytes long).
unsafe impl GlobalAlloc for Probe {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is a live block of `layout.size()` bytes until freed below.
        let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
        inspect(block);
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Probe = Probe;

fn inspect(block: &[u8]) {
    let _ = BUSY.try_with(|busy| {
        if busy.replace(true) {
            return;
        }
        if let Ok(Some(needles)) = NEEDLES.try_with(Cell::get) {
            for (i, needle) in needles.iter().enumerate() {
                if !needle.is_empty() && block.windows(needle.len()).any(|w| w == *needle) {
                    let _ = LEAKS.try_with(|leaks| {
                        let mut all = leaks.get();
                        if let Some(slot) = all.iter_mut().find(|s| s.is_none()) {
                            *slot = Some(Leak {
                                needle: i,
                                block_len: block.len(),
                            });
                        }
                        leaks.set(all);
                    });
                }
            }
        }
        busy.set(false);
    });
}

/// Runs `op` with the probe on and returns every freed block (of this thread)
/// that contained one of `needles`. Drop what the operation produces inside `op`.
fn freed_blocks_containing(needles: &[&[u8]], op: impl FnOnce()) -> Vec<Leak> {
    let owned: Vec<&'static [u8]> = needles
        .iter()
        .map(|n| &*Box::leak(n.to_vec().into_boxed_slice()))
        .collect();
    let needles: &'static [&'static [u8]] = Box::leak(owned.into_boxed_slice());
    LEAKS.with(|l| l.set([None; MAX_LEAKS]));
    NEEDLES.with(|n| n.set(Some(needles)));
    op();
    NEEDLES.with(|n| n.set(None));
    LEAKS.with(|l| l.get()).into_iter().flatten().collect()
}

/// The value of a top-level child of a constructed TLV, copied.
fn field(file: &[u8], outer: [u8; 2], tag: [u8; 2]) -> Vec<u8> {
    let (outer_tlv, _) = Tlv::parse(file, 0).unwrap();
    assert_eq!(outer_tlv.tag(), outer);
    outer_tlv
        .children()
        .map(Result::unwrap)
        .find(|t| t.tag() == tag)
        .unwrap()
        .value()
        .to_vec()
}

/// A link that carries 32-byte responses, so EF 0002 takes several chunks.
struct SmallLink<'a>(&'a mut VirtualCard);

impl Transport for SmallLink<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.0.transmit(command)
    }

    fn capabilities(&self) -> LinkCapabilities {
        LinkCapabilities {
            max_command_len: 261,
            max_response_len: 32 + 2,
            extended: false,
        }
    }
}

const KENHOJO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

#[test]
fn probe_finds_a_dropped_copy() {
    // The probe itself works: a plain Vec with the needle, dropped, is found.
    let leaks = freed_blocks_containing(&[b"needle-in-a-block"], || {
        let v = std::hint::black_box(b"...needle-in-a-block...".to_vec());
        drop(v);
    });
    assert_eq!(leaks.len(), 1, "{leaks:?}");
    // And a zeroizing one is not.
    let leaks = freed_blocks_containing(&[b"needle-in-a-block"], || {
        let v = zeroize::Zeroizing::new(std::hint::black_box(b"needle-in-a-block".to_vec()));
        drop(v);
    });
    assert_eq!(leaks, []);
}

#[test]
fn reading_kenhojo_basic_four_leaves_no_name_or_address_in_freed_memory() {
    let mut card = VirtualCard::test_holder("takahashi").unwrap();
    let content = card
        .file_content(CardApplication::Kenhojo, 0x0002)
        .unwrap()
        .to_vec();
    let name = field(&content, [0xFF, 0x20], [0xDF, 0x22]);
    let address = field(&content, [0xFF, 0x20], [0xDF, 0x23]);
    let birth = field(&content, [0xFF, 0x20], [0xDF, 0x24]);
    let total = mynacard::tlv::Header::parse(&content).unwrap().total_len();
    assert!(total > 2 * 32, "EF 0002 needs two chunks");
    drop(content);
    let select = |fid: u16| Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(fid.to_be_bytes());
    let mut ex = Exchange::new(SmallLink(&mut card));
    ex.transmit_ok(&Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(KENHOJO_AID))
        .unwrap();
    ex.transmit_ok(&select(0x0011)).unwrap();
    ex.transmit_ok(&Command::new(0x00, 0x20, 0x00, 0x80).with_sensitive_data(b"9753".to_vec()))
        .unwrap();
    ex.transmit_ok(&select(0x0002)).unwrap();
    let leaks = freed_blocks_containing(&[&name, &address, &birth], || {
        let data = ex.read_file(FileRef::Current, Framing::Tlv).unwrap();
        assert_eq!(data.len(), total);
        drop(data);
    });
    assert_eq!(leaks, [], "needles: 0 = name, 1 = address, 2 = birth date");
    assert_eq!(ex.counters().commands, 4 + total.div_ceil(32));
}

/// The SAN otherName value (UTF8String content) of `oid_last` (1.2.392.200149.8.5.5.N) in a
/// signature certificate, found by byte search for the OID's DER (test-side only).
fn san_value(cert: &[u8], oid_last: u8) -> Vec<u8> {
    let oid = [
        0x06, 0x0A, 0x2A, 0x83, 0x08, 0x8C, 0x9B, 0x55, 0x08, 0x05, 0x05, oid_last,
    ];
    let at = cert
        .windows(oid.len())
        .position(|w| w == oid)
        .expect("otherName OID in the certificate");
    // [0] EXPLICIT { UTF8String }: A0 LL 0C LL value
    let rest = &cert[at + oid.len()..];
    assert_eq!((rest[0], rest[2]), (0xA0, 0x0C));
    rest[4..4 + usize::from(rest[3])].to_vec()
}

#[test]
fn verifying_a_signature_certificate_leaves_no_name_address_or_birth_date_in_freed_memory() {
    use mynacard::pki::{Purpose, TrustStore};
    let der = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/mynacard-virtual-card/data/pki/yamada_sign.der"
    ))
    .unwrap();
    let (name, birth, address) = (san_value(&der, 1), san_value(&der, 4), san_value(&der, 5));
    assert!(name.len() > 3 && address.len() > 6 && birth.len() == 9);
    let store = TrustStore::test_only_mynacard_test_pki().unwrap();
    let time = mynacard::pki::test_pki::REFERENCE_TIME;
    let leaks = freed_blocks_containing(&[&name, &address, &birth], || {
        let cert = mynacard::pki::Certificate::from_der(&der).unwrap();
        let _ = format!("{cert:?} {}", cert.subject());
        drop(cert);
        let verified = store
            .verify_certificate(&der, Purpose::Signature, time)
            .unwrap();
        let attributes = verified.holder_attributes().unwrap();
        assert_eq!(attributes.name().as_bytes(), name.as_slice());
        drop(attributes);
        drop(verified);
    });
    assert_eq!(leaks, [], "needles: 0 = name, 1 = address, 2 = birth date");
}
