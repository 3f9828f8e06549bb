"""Eligibility files from Python: bytes in, dicts out, typed exceptions."""

import json

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
    [('"19900401"', "19900401", "birth"), ('"01130012"', "1130012", "insurer_number")],
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
