"""Eligibility files from Python: bytes in, dicts out, typed exceptions."""

import json
import pathlib

import pytest

import mynacard


@pytest.mark.parametrize(
    "name,kind",
    [
        ("full_utf8.xml", "result"),
        ("full_sjis.xml", "result"),
        ("minimal.xml", "result"),
        ("medication.xml", "medication"),
        ("health_checkup.xml", "health_checkups"),
        ("request_identifiers.xml", "request"),
    ],
)
def test_every_sample_file_is_detected_and_parsed(data, name, kind):
    parsed = mynacard.parse_eligibility(data(f"eligibility/{name}"))
    assert parsed["kind"] == kind
    assert isinstance(parsed["file"], dict)
    # Forcing the detected kind gives the same.
    assert mynacard.parse_eligibility(data(f"eligibility/{name}"), kind=kind) == parsed


def test_utf8_and_shift_jis_read_the_same(data):
    utf8 = mynacard.parse_eligibility(data("eligibility/full_utf8.xml"))
    sjis = mynacard.parse_eligibility(data("eligibility/full_sjis.xml"))
    assert utf8["file"]["body"] == sjis["file"]["body"]


@pytest.mark.parametrize("encoding", ["utf-8", "shift_jis"])
def test_request_round_trip(data, encoding):
    request = mynacard.parse_eligibility(data("eligibility/request_identifiers.xml"))["file"]
    xml = mynacard.build_request(request, encoding=encoding)
    assert mynacard.parse_eligibility(xml, kind="request")["file"] == request


def test_malformed_file_raises_with_a_code():
    with pytest.raises(mynacard.MalformedError) as e:
        mynacard.parse_eligibility(b"<XmlMsg><MessageHeader>", kind="result")
    assert e.value.code.startswith("eligibility.")
    assert isinstance(e.value, ValueError)


def test_unknown_kind_and_bad_request():
    with pytest.raises(mynacard.InvalidArgumentError) as e:
        mynacard.parse_eligibility(b"", kind="x-ray")
    assert e.value.code == "argument.file_kind"
    with pytest.raises(mynacard.InvalidArgumentError) as e:
        mynacard.build_request({"nope": 1})
    assert e.value.code == "argument.json"


@pytest.mark.parametrize(
    "quoted,bare,field",
    [('"1990-04-01"', "19900401", "birth"), ('"01130012"', "1130012", "insurer_number")],
)
def test_bad_request_errors_name_the_field_never_the_value(data, quoted, bare, field):
    request = mynacard.parse_eligibility(data("eligibility/request_identifiers.xml"))["file"]
    text = json.dumps(request, ensure_ascii=False)
    assert quoted in text
    typed = json.loads(text.replace(quoted, bare))
    with pytest.raises(mynacard.InvalidArgumentError) as e:
        mynacard.build_request(typed)
    assert e.value.code == "argument.json"
    message = str(e.value)
    assert bare not in message and bare not in repr(e.value)
    assert field in message and "line 1, column" in message


SHARED = pathlib.Path(__file__).resolve().parents[3].parent / "shared" / "data" / "onshi-samples"


def test_the_one_json_is_the_golden_file_rust_and_c_give(data):
    parsed = mynacard.parse_eligibility(data("eligibility/full_utf8.xml"))
    assert parsed == json.loads(data("eligibility/full_utf8.expected.json"))
    record = parsed["file"]["body"]["results"][0]
    # The EHR's first line: the record says 1割, its valid 高齢受給者証 2割.
    assert record["contribution_ratio"] == {"percent": 10}
    derived = record["derived"]
    assert derived["effective_burden"] == {
        "ratio": {"percent": 20},
        "rule": "elderly_recipient_certificate",
        "source": "ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio",
    }
    assert parsed["file"]["check_date"] == "2026-01-15"
    assert derived["check_digits"]["insurer_number"] == "valid"
    assert "負担割合 2割" in derived["summary"]["text"]
    assert derived["labels"]["limit_application_certificate.category"] == "低所得Ⅰ"


def test_the_terminals_json_answer_is_read_as_a_result():
    # A broken JSON answer is a JSON error (not eligibility.no_root), with or without ../shared.
    with pytest.raises(mynacard.MalformedError) as e:
        mynacard.parse_eligibility(b'{"XmlMsg": {"MessageHeader": ')
    assert e.value.code == "eligibility.json"
    sample = SHARED / "hangilc-myclinic-ts_onshi-lib-properties-test_result.json"
    if not sample.exists():
        pytest.skip("../shared absent: the terminal's JSON sample not read")
    parsed = mynacard.parse_eligibility(sample.read_bytes())
    assert parsed["kind"] == "result"
    assert parsed["file"]["header"]["reference_classification"] == "2"
    record = parsed["file"]["body"]["results"][0]
    assert record["derived"]["summary"]["limit_category"] == "A03 ウ"


TWO = (
    "<XmlMsg><MessageHeader><MedicalInstitutionCode>0110012345</MedicalInstitutionCode>"
    "<SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody><ResultList>"
    "<ResultOfQualificationConfirmation><Name>甲</Name><Birthdate>19900231</Birthdate>"
    "</ResultOfQualificationConfirmation><ResultOfQualificationConfirmation><Name>乙</Name>"
    "<Birthdate>19900201</Birthdate></ResultOfQualificationConfirmation></ResultList>"
    "</MessageBody></XmlMsg>"
).encode()


def test_partial_mode_keeps_good_records_and_names_the_bad_ones():
    with pytest.raises(mynacard.MalformedError) as e:
        mynacard.parse_eligibility(TWO)
    assert e.value.code == "eligibility.invalid_value"
    parsed = mynacard.parse_eligibility(TWO, partial=True)
    assert [r["name"] for r in parsed["file"]["body"]["results"]] == ["乙"]
    [error] = parsed["record_errors"]
    assert error["list"] == "results" and error["record"] == 0
    assert error["element"] == "Birthdate" and error["code"] == "eligibility.invalid_value"
    assert "19900231" not in json.dumps(parsed, ensure_ascii=False)
    with pytest.raises(mynacard.InvalidArgumentError):
        mynacard.parse_eligibility(TWO, kind="medication", partial=True)
