"""JPKI verification from Python."""

import pytest

import mynacard
from conftest import REFERENCE_TIME


def test_certificate_path_at_a_given_time(trust, data):
    cert = data("pki/yamada_auth.der")
    v = trust.verify_certificate(cert, time=REFERENCE_TIME)
    assert v["serial"] == "329BCA3A"
    assert v["purpose"] == "authentication"
    with pytest.raises(mynacard.RefusedError) as e:
        trust.verify_certificate(cert, time=2208988800)  # 2040
    assert e.value.code == "pki.expired"


def test_refused_presentation(trust, data):
    with pytest.raises(mynacard.RefusedError) as e:
        trust.verify_presentation(
            data("pki/yamada_auth.der"), b"challenge", bytes(256), time=REFERENCE_TIME
        )
    assert e.value.code.startswith("pki.")


def test_garbage_is_malformed_not_refused(trust):
    with pytest.raises(mynacard.MalformedError):
        trust.verify_presentation(b"\x30\x03\x02\x01\x01", b"c", bytes(256), time=REFERENCE_TIME)


def test_crl_summary_and_bad_crl(data):
    t = mynacard.TrustStore.test_only()
    summary = t.add_crl(data("pki/auth_ca.crl.der"))
    assert summary["entries"] >= 1
    with pytest.raises(mynacard.MynacardError):
        t.add_crl(b"not a crl")


def test_jlis_store_and_unknown_store():
    mynacard.TrustStore.jlis()
    with pytest.raises(mynacard.InvalidArgumentError):
        mynacard.TrustStore("acme")
