//! No freed heap block holds a patient's name or birth date after the
//! eligibility parser and writer ran (issue 11, defect 5): a test-only global
//! allocator searches every block for the markers when it is freed.

use mynacard::eligibility::{XmlEncoding, parse_result};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Marker name (UTF-8) and birth date; nothing else in the file contains them.
const NAME: &str = "零化試験太郎";
const BIRTH: &str = "19450228";

static ARMED: AtomicBool = AtomicBool::new(false);
static FOUND_NAME: AtomicUsize = AtomicUsize::new(0);
static FOUND_BIRTH: AtomicUsize = AtomicUsize::new(0);
static ONE: Mutex<()> = Mutex::new(());

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

struct Recording;

// SAFETY: forwards to the system allocator; reads a block only before freeing it.
// Every block is handed out zeroed, so a block that is found holding a marker
// was written by the code under test (not left over from an earlier owner).
// `realloc` is the trait's default: alloc + copy + dealloc, through these two.
unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::Relaxed) {
            // SAFETY: the block is live and `layout.size()` bytes long until freed below.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if contains(block, NAME.as_bytes()) {
                FOUND_NAME.fetch_add(1, Ordering::Relaxed);
            }
            if contains(block, BIRTH.as_bytes()) {
                FOUND_BIRTH.fetch_add(1, Ordering::Relaxed);
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static A: Recording = Recording;

fn file(extra: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>\
<MedicalInstitutionCode>1310012345</MedicalInstitutionCode><SegmentOfResult>1</SegmentOfResult>\
</MessageHeader><MessageBody><ProcessingResultStatus>1</ProcessingResultStatus><ResultList>\
<ResultOfQualificationConfirmation><InsurerNumber>  123456</InsurerNumber>\
<InsuredIdentificationNumber>0001</InsuredIdentificationNumber><Name>{NAME}</Name>\
<NameKana>ｾﾞﾛｶ</NameKana><Birthdate>{BIRTH}</Birthdate><Address>東京都{NAME}町</Address>{extra}\
</ResultOfQualificationConfirmation></ResultList></MessageBody></XmlMsg>"
    )
    .into_bytes()
}

/// Runs `f` with the probe armed and returns (blocks with the name, with the birth date).
fn probe(f: impl FnOnce()) -> (usize, usize) {
    FOUND_NAME.store(0, Ordering::Relaxed);
    FOUND_BIRTH.store(0, Ordering::Relaxed);
    ARMED.store(true, Ordering::Relaxed);
    f();
    ARMED.store(false, Ordering::Relaxed);
    (
        FOUND_NAME.load(Ordering::Relaxed),
        FOUND_BIRTH.load(Ordering::Relaxed),
    )
}

#[test]
fn parsing_a_result_frees_no_block_holding_the_name_or_birth_date() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let xml = file("<FutureElement>x</FutureElement>");
    let found = probe(|| {
        let parsed = parse_result(&xml).expect("parses");
        drop(parsed);
    });
    assert_eq!(found, (0, 0), "(name, birth date) blocks freed unzeroized");
}

#[test]
fn writing_a_result_frees_no_block_holding_the_name_or_birth_date() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let xml = file("");
    let parsed = parse_result(&xml).expect("parses");
    let found = probe(|| {
        for encoding in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
            let written = zeroize::Zeroizing::new(parsed.to_xml(encoding).expect("writes"));
            drop(written);
        }
    });
    assert_eq!(found, (0, 0), "(name, birth date) blocks freed unzeroized");
}

#[test]
fn a_shift_jis_file_leaves_no_decoded_copy_behind() {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let utf8 = String::from_utf8(file(""))
        .unwrap()
        .replace("UTF-8", "Shift_JIS");
    let sjis = encoding_rs::SHIFT_JIS.encode(&utf8).0.into_owned();
    let found = probe(|| {
        let parsed = parse_result(&sjis).expect("parses");
        drop(parsed);
    });
    assert_eq!(found, (0, 0), "(name, birth date) blocks freed unzeroized");
}
