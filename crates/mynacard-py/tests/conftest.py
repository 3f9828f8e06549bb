import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
REFERENCE_TIME = 1780272000  # 2026-06-01T00:00:00Z, inside the TEST PKI's validity


@pytest.fixture
def data():
    """Reads a file under the repository's tests/data."""

    def read(rel: str) -> bytes:
        return (REPO / "tests" / "data" / rel).read_bytes()

    return read


@pytest.fixture
def trust(data):
    import mynacard

    t = mynacard.TrustStore.test_only()
    t.add_crl(data("pki/auth_ca.crl.der"))
    return t
