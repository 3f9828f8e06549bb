import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
REFERENCE_TIME = 1780272000  # 2026-06-01T00:00:00Z, inside the TEST PKI's validity


@pytest.fixture
def data():
    """Reads a test file: ``eligibility/…`` under tests/data, ``pki/…`` under the
    virtual card crate's data (the TEST PKI)."""

    def read(rel: str) -> bytes:
        if rel.startswith("pki/"):
            return (REPO / "crates" / "mynacard-virtual-card" / "data" / rel).read_bytes()
        return (REPO / "tests" / "data" / rel).read_bytes()

    return read


@pytest.fixture
def trust(data):
    import mynacard

    t = mynacard.TrustStore.test_only()
    t.add_crl(data("pki/auth_ca.crl.der"))
    return t
