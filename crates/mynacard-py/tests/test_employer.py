"""The employer's intake from Python, on the virtual card."""

import pytest

import mynacard
from conftest import REFERENCE_TIME


class NewHire:
    def __init__(self, pin, password):
        self.pin, self.password = pin, password
        self.prompts = []

    def show(self, g):
        assert g.id and g.ja

    def reply(self, g):
        self.prompts.append(g.prompt)
        if g.prompt == "keypad":
            return self.pin
        if g.prompt == "password":
            return self.password
        return False  # decline a last try


@pytest.fixture
def sign_trust(data):
    t = mynacard.TrustStore.test_only()
    t.add_crl(data("pki/sign_ca.crl.der"))
    return t


def test_intake_records_the_number(sign_trust):
    hire = NewHire("1234", "YAMADA2024")
    result = mynacard.employer_intake(
        sign_trust, new_hire=hire, virtual_card="yamada", time=REFERENCE_TIME
    )
    assert result["kind"] == "recorded"
    assert "123456789018" in str(result["record"])
    assert hire.prompts == ["keypad", "password"]


def test_wrong_password_ends_without_a_record(sign_trust):
    with pytest.raises((mynacard.FlowError, mynacard.CancelledError)) as e:
        mynacard.employer_intake(
            sign_trust,
            new_hire=NewHire("1234", "WRONG123"),
            virtual_card="yamada",
            time=REFERENCE_TIME,
        )
    assert e.value.code.startswith("employer.")
