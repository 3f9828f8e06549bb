"""Flows over the host's own link (a Python object with ``transmit``), the card
+ face flow with the host's face comparison, waiting for a card, and 資格確認書."""

import json
import os
import pathlib
import time

import pytest

import mynacard
from conftest import REFERENCE_TIME

SCANNED = {"birth_date": "1990-04-01", "expiry_year": 2035, "security_code": "2285"}


class Reader:
    """A vendor's reader driver, here forwarding to the virtual card; empty for
    the first ``empty`` commands (``None``: no card), or always (``-1``)."""

    def __init__(self, holder="yamada", empty=0):
        self.card = mynacard.VirtualCard(holder)
        self.empty = empty
        self.commands = 0

    def transmit(self, apdu):
        self.commands += 1
        if self.empty < 0:
            return None
        if self.empty > 0:
            self.empty -= 1
            return None
        return self.card.transmit(apdu)


class FacePatient:
    def __init__(self, pins=("1234",), consents=(True, True, False, True)):
        self.pins = list(pins)
        self.consents = list(consents)
        self.keypad_tries = []
        self.shown = []
        self.photos = []

    def show(self, g):
        self.shown.append(g.id)

    def reply(self, g):
        if g.prompt == "choice":
            assert "face" in g.choices
            return "face"
        if g.prompt == "keypad":
            self.keypad_tries.append(g.tries_left)
            return self.pins.pop(0)
        if g.prompt == "consent":
            return self.consents.pop(0)
        return None

    def compare_face(self, photo):
        assert photo[4:8] == b"jP  "  # the card's JPEG 2000 photo
        self.photos.append(len(photo))
        return "match"


def run(trust, patient, link, **kw):
    return mynacard.run_reception(
        trust,
        facility="1310012345",
        patient=patient,
        transport=link,
        time=REFERENCE_TIME,
        **kw,
    )


def test_card_face_over_the_hosts_link_gives_the_rust_outcome(trust):
    reader = Reader(empty=3)
    patient = FacePatient()
    outcome = run(trust, patient, reader, flow="card_face", scanned_card_face=SCANNED)
    assert reader.empty == 0 and reader.commands > 3  # the empty reader was waited for
    assert len(patient.photos) == 1
    assert outcome["method"] == "face_and_pin"
    assert outcome["identity"]["serial"] == "329BCA3A"
    assert "2285" not in json.dumps(outcome)
    reference = os.environ.get("MYNACARD_RUST_FACE_OUTCOME")
    if reference is None:
        pytest.skip("MYNACARD_RUST_FACE_OUTCOME not set (set by .ci/ffi.sh)")
    assert outcome == json.loads(pathlib.Path(reference).read_text())


def test_the_keypad_prompt_after_a_wrong_pin_has_the_tries_left(trust):
    patient = FacePatient(pins=("9999", "1234"))
    run(trust, patient, Reader())
    assert patient.keypad_tries == [None, 2]


def test_an_empty_reader_is_waited_for_then_no_card(trust):
    reader = Reader(empty=-1)
    started = time.monotonic()
    with pytest.raises(mynacard.CardError) as e:
        run(trust, FacePatient(), reader, card_wait_ms=200)
    assert e.value.code == "transport.no_card"
    assert time.monotonic() - started >= 0.2
    assert reader.commands > 2


def test_an_exception_in_the_link_propagates(trust):
    class Broken(Reader):
        def transmit(self, apdu):
            raise OSError("reader unplugged")

    with pytest.raises(OSError, match="reader unplugged"):
        run(trust, FacePatient(), Broken())


def test_identifiers_flow_needs_no_card(trust):
    class Clerk:
        def show(self, g):
            pass

        def reply(self, g):
            assert g.prompt == "consent" and g.consent_item == "limit_amount"
            return True

    outcome = mynacard.run_reception(
        trust,
        facility="1310012345",
        patient=Clerk(),
        flow="identifiers",
        identifiers={
            "insurer_number": "06139999",
            "insured_card_symbol": "1",
            "insured_identification_number": "2",
            "insured_branch_number": None,
            "birthdate": "1990-04-01",
            "limit_application_consent": False,
            "arbitrary_identifier": None,
            "unknown": [],
        },
    )
    assert outcome["method"] == "insurance_identifiers"
    assert outcome["request"] is not None
