//! The eligibility parser's memory is bounded by its input (issue 11): a
//! counting global allocator records the peak of live heap bytes while one
//! file is parsed, and the peak must stay within a small multiple of the
//! file's size. Hostile shapes: many empty result records, many tiny unknown
//! elements, and a large valid file.

use mynacard::eligibility::parse_result;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One measurement at a time (the test harness runs tests on threads).
static ONE: Mutex<()> = Mutex::new(());

// SAFETY: forwards to the system allocator; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Peak heap bytes above the live level at the call, while `f` runs.
fn peak_during(f: impl FnOnce()) -> usize {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed) - base
}

const HEAD: &str = "<XmlMsg><MessageHeader><MedicalInstitutionCode>1310012345</MedicalInstitutionCode>\
<SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody>\
<ProcessingResultStatus>1</ProcessingResultStatus><ResultList>";
const TAIL: &str = "</ResultList></MessageBody></XmlMsg>";

fn file_of(unit: &str, size: usize) -> Vec<u8> {
    let n = (size - HEAD.len() - TAIL.len()) / unit.len();
    let mut s = String::with_capacity(size);
    s.push_str(HEAD);
    for _ in 0..n {
        s.push_str(unit);
    }
    s.push_str(TAIL);
    s.into_bytes()
}

/// The bound stated in README: peak ≤ 8 × input + 1 MiB.
fn bound(input: usize) -> usize {
    8 * input + (1 << 20)
}

#[test]
fn sixteen_mib_of_empty_records_costs_a_small_multiple_of_the_input() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let xml = file_of(
        "<ResultOfQualificationConfirmation/>",
        16 * 1024 * 1024 - 1024,
    );
    let peak = peak_during(|| {
        let r = parse_result(&xml);
        assert!(r.is_err(), "empty records lack mandatory elements");
    });
    eprintln!(
        "empty records: input {} bytes, peak {} bytes ({:.2} x)",
        xml.len(),
        peak,
        peak as f64 / xml.len() as f64
    );
    assert!(
        peak <= bound(xml.len()),
        "peak {peak} for {} bytes",
        xml.len()
    );
}

#[test]
fn minimal_valid_records_cost_a_small_multiple_of_the_input() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let unit = "<ResultOfQualificationConfirmation><InsurerNumber>1</InsurerNumber>\
<InsuredIdentificationNumber>1</InsuredIdentificationNumber><Name>a</Name>\
<Birthdate>20000101</Birthdate></ResultOfQualificationConfirmation>";
    let xml = file_of(unit, 4 * 1024 * 1024);
    let peak = peak_during(|| {
        let r = parse_result(&xml);
        drop(r);
    });
    eprintln!(
        "minimal records: input {} bytes, peak {} bytes ({:.2} x)",
        xml.len(),
        peak,
        peak as f64 / xml.len() as f64
    );
    assert!(
        peak <= bound(xml.len()),
        "peak {peak} for {} bytes",
        xml.len()
    );
}

#[test]
fn tiny_unknown_elements_cost_a_small_multiple_of_the_input() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let head = "<ResultOfQualificationConfirmation><InsurerNumber>12345678</InsurerNumber>\
<InsuredIdentificationNumber>1</InsuredIdentificationNumber><Name>a</Name>\
<Birthdate>20000101</Birthdate>";
    let mut s = String::from(HEAD);
    s.push_str(head);
    // Stays under the default element limit (1,000,000).
    for _ in 0..900_000 {
        s.push_str("<a/>");
    }
    s.push_str("</ResultOfQualificationConfirmation>");
    s.push_str(TAIL);
    let xml = s.into_bytes();
    let peak = peak_during(|| {
        let r = parse_result(&xml);
        drop(r);
    });
    eprintln!(
        "unknown elements: input {} bytes, peak {} bytes ({:.2} x)",
        xml.len(),
        peak,
        peak as f64 / xml.len() as f64
    );
    assert!(
        peak <= bound(xml.len()),
        "peak {peak} for {} bytes",
        xml.len()
    );
}
