"""Reception flows on the in-process virtual card, from Python."""

import json
import os
import pathlib
import threading

import pytest

import mynacard
from conftest import REFERENCE_TIME


class Scripted:
    """Answers the PIN and the consents from a script; records every guidance."""

    def __init__(self, pin=None, consents=(True, True, False, True)):
        self.pin = pin
        self.consents = list(consents)
        self.shown = []

    def show(self, g):
        assert isinstance(g, mynacard.Guidance)
        assert g.ja and g.en
        self.shown.append(g.id)

    def reply(self, g):
        if g.prompt == "keypad":
            assert g.keypad_digits == len(self.pin)
            return self.pin
        if g.prompt == "consent":
            assert g.consent_item in ("medication", "clinical", "checkup", "limit_amount")
            return self.consents.pop(0)
        return None


def reception(trust, holder, patient, **kw):
    return mynacard.run_reception(
        trust,
        facility="1310012345",
        patient=patient,
        virtual_card=holder,
        time=REFERENCE_TIME,
        **kw,
    )


def test_card_pin_reception_gives_the_rust_examples_outcome(trust):
    patient = Scripted(pin="1234")
    outcome = reception(trust, "yamada", patient)
    assert outcome["identity"]["kind"] == "verified"
    assert outcome["identity"]["serial"] == "329BCA3A"
    assert outcome["identity"]["form"] == "card"
    assert outcome["method"] == "pin"
    assert outcome["consents"] == {
        "medication": "given",
        "clinical": "given",
        "checkup": "refused",
        "limit_amount": "given",
    }
    assert patient.shown[0] == "card.place"
    assert "card.pin.enter" in patient.shown
    assert patient.consents == []
    # The same reception run by the Rust example (.ci/ffi.sh writes its output).
    reference = os.environ.get("MYNACARD_RUST_OUTCOME")
    if reference is None:
        pytest.skip("MYNACARD_RUST_OUTCOME not set (set by .ci/ffi.sh)")
    assert outcome == json.loads(pathlib.Path(reference).read_text())


def test_verified_outcome_carries_the_face_result_match(trust):
    outcome = reception(trust, "yamada", Scripted(pin="1234"))
    # A card verified at the reader: the hospital system matches the terminal's
    # face result with this; a request file is written only for 資格確認書.
    assert outcome["request"] is None
    assert outcome["face_match"]["medical_institution_code"] == "1310012345"


def test_smartphones(trust):
    android = reception(trust, "ito", Scripted(pin="4680"), flow="smartphone")
    assert android["method"] == "smartphone_android"
    iphone = reception(trust, "kato", Scripted(), flow="smartphone")
    assert iphone["method"] == "smartphone_iphone"
    assert iphone["identity"]["form"] == "smartphone"


def test_revoked_card_is_refused_with_its_code(trust):
    with pytest.raises(mynacard.FlowError) as e:
        reception(trust, "sato", Scripted(pin="4321"))
    assert e.value.code == "flow.verification.revoked"
    assert e.value.kind == "flow"


def test_wrong_pin_then_cancel(trust):
    class Wrong(Scripted):
        def reply(self, g):
            if g.prompt == "keypad" and g.tries_left is None:
                return "9999"
            return None  # cancel at the next question

    patient = Wrong()
    with pytest.raises(mynacard.CancelledError) as e:
        reception(trust, "yamada", patient)
    assert e.value.code.startswith("flow.")
    assert "card.pin.wrong" in patient.shown


def test_an_exception_in_a_callback_propagates(trust):
    class Broken(Scripted):
        def show(self, g):
            if g.id == "card.pin.enter":
                raise KeyError("screen unplugged")

    with pytest.raises(KeyError, match="screen unplugged"):
        reception(trust, "yamada", Broken(pin="1234"))


def test_a_bad_answer_type_is_a_type_error(trust):
    class Numeric(Scripted):
        def reply(self, g):
            return 1234

    with pytest.raises(TypeError):
        reception(trust, "yamada", Numeric())


def test_cancel_from_another_thread(trust):
    cancel = mynacard.CancelToken()
    asked = threading.Event()

    class Slow(Scripted):
        def reply(self, g):
            asked.set()
            # another thread cancels while the patient "types"
            threading.Thread(target=cancel.cancel).start()
            while not cancel.cancelled:
                pass
            return "1234"

    with pytest.raises(mynacard.CancelledError) as e:
        reception(trust, "yamada", Slow(), cancel=cancel)
    assert asked.is_set()
    assert e.value.code == "flow.cancelled"


def test_bad_options_are_invalid_arguments(trust):
    with pytest.raises(mynacard.InvalidArgumentError) as e:
        mynacard.run_reception(trust, facility="13", patient=Scripted(), virtual_card="yamada")
    assert e.value.code == "argument.facility"
    with pytest.raises(mynacard.InvalidArgumentError):
        reception(trust, "nobody", Scripted())
    with pytest.raises(mynacard.InvalidArgumentError):
        mynacard.run_reception(trust, facility="1310012345", patient=Scripted())


def test_pcsc_readers_needs_the_feature():
    if "pcsc" in mynacard.features():
        assert isinstance(mynacard.pcsc_readers(), list)
    else:
        with pytest.raises(mynacard.UnsupportedError):
            mynacard.pcsc_readers()
