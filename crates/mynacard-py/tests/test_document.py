"""Signed documents from Python: the fixtures of tests/data/document (made by the
crate's tests/it/document.rs with the TEST holder yamada)."""

import pytest

import mynacard
import mynacard.document
from conftest import REFERENCE_TIME


@pytest.fixture
def sign_trust(data):
    t = mynacard.TrustStore.test_only()
    t.add_crl(data("pki/sign_ca.crl.der"))
    return t


def test_detached_cms_verifies_with_the_holder(sign_trust, data):
    signed = mynacard.document.verify_cms(
        sign_trust,
        data("document/yamada_detached.p7s"),
        data("document/contract.txt"),
        time=REFERENCE_TIME,
    )
    assert signed["holder"]["name"] == "山田　太郎"
    assert signed["checked_at"] == "verification_time"
    assert signed["revocation"]["status"] == "good"
    assert signed["claimed_signing_time"] == "2026-06-01T00:00:00Z"


def test_other_content_and_expired_time_are_refused_with_codes(sign_trust, data):
    cms = data("document/yamada_detached.p7s")
    with pytest.raises(mynacard.RefusedError) as e:
        mynacard.document.verify_cms(sign_trust, cms, b"other", time=REFERENCE_TIME)
    assert e.value.code == "document.message_digest_mismatch"
    with pytest.raises(mynacard.RefusedError) as e:
        mynacard.document.verify_cms(
            sign_trust, cms, data("document/contract.txt"), time=2208988800
        )
    assert e.value.code == "pki.expired"
    # The claimed signing time (2026-06-01) instead of 2040: valid then (no CRL is
    # fresh in 2040: revocation best effort, no CRL loaded).
    signed = mynacard.document.verify_cms(
        mynacard.TrustStore.test_only(),
        cms,
        data("document/contract.txt"),
        options={"check_at": "signing_time", "revocation": "best_effort"},
        time=2208988800,
    )
    assert signed["checked_at"] == "signing_time"
    assert signed["revocation"]["status"] == "not_checked"
    with pytest.raises(mynacard.MalformedError):
        mynacard.document.verify_cms(sign_trust, b"\x30\x00", None, time=REFERENCE_TIME)


def test_signed_pdf_and_an_appended_update(sign_trust, data):
    pdf = data("document/yamada_signed.pdf")
    report = mynacard.document.verify_pdf(sign_trust, pdf, time=REFERENCE_TIME)
    assert report["verdict"]["code"] == "signed"
    assert report["signatures"][0]["signed"]["holder"]["name"] == "山田　太郎"
    appended = pdf + b"9 0 obj\n<< >>\nendobj\n%%EOF\n"
    report = mynacard.document.verify_pdf(sign_trust, appended, time=REFERENCE_TIME)
    assert report["verdict"]["code"] == "modified_after_signing"
    assert report["verdict"]["appended_bytes"] == len(appended) - len(pdf)
    with pytest.raises(mynacard.MalformedError) as e:
        mynacard.document.verify_pdf(sign_trust, b"not a pdf", time=REFERENCE_TIME)
    assert e.value.code == "document.not_pdf"
