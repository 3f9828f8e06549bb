"""One JSON contract (issue 26): every binding's output validates against the
published schemas of ``schema/``: Python's own results here, and the files that
.ci/ffi.sh collected from the Rust serde output (tests/it/json_contract.rs) and the
C programs, named ``<name>.<schema>.json``, in ``MYNACARD_CONTRACT_DIRS``."""

import json
import os
import pathlib

import pytest

import mynacard
import mynacard.document
from conftest import REFERENCE_TIME, REPO

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

SCHEMAS = {p.name[: -len(".json")]: json.loads(p.read_text()) for p in (REPO / "schema").glob("*.json")}
REGISTRY = referencing.Registry().with_resources(
    [(s["$id"], referencing.Resource.from_contents(s)) for s in SCHEMAS.values()]
)


def validate(schema: str, instance):
    validator = jsonschema.Draft202012Validator(SCHEMAS[schema], registry=REGISTRY)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors]


def test_every_schema_is_a_valid_draft_2020_12_schema_with_its_id():
    assert {"error", "verified-identity", "presentation", "reception-outcome", "revocation",
            "signed-document", "pdf-report", "employer-record", "employer-intake",
            "eligibility", "mdoc-jp-mnc"} <= set(SCHEMAS)
    for name, schema in SCHEMAS.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith(f"/schema/{name}.json")


def test_a_wrong_shape_is_refused():
    # The validator is live: a result without its revocation source, an error
    # without a code and a presentation with padding all fail.
    outcome = {"status": "good", "this_update": "2026-01-01T00:00:00Z", "next_update": None}
    with pytest.raises(AssertionError):
        validate("revocation", outcome)
    with pytest.raises(AssertionError):
        validate("error", {"message": "m"})
    with pytest.raises(AssertionError):
        validate("presentation", {"certificate": "MII=", "challenge": "AA", "signature": "AQ"})


def contract_files():
    dirs = [d for d in os.environ.get("MYNACARD_CONTRACT_DIRS", "").split(os.pathsep) if d]
    return sorted(
        p for d in dirs for p in pathlib.Path(d).glob("*.*.json") if p.name.split(".")[-2] in SCHEMAS
    )


@pytest.mark.skipif(not os.environ.get("MYNACARD_CONTRACT_DIRS"), reason="run by .ci/ffi.sh")
def test_rust_and_c_outputs_validate():
    files = contract_files()
    schemas = {p.name.split(".")[-2] for p in files}
    # Rust (tests/it/json_contract.rs, tests/it/employer_mdoc.rs) and C (tests/c/*.c) wrote
    # these.
    assert {"verified-identity", "presentation", "error", "reception-outcome",
            "signed-document", "pdf-report", "employer-intake", "employer-record",
            "eligibility"} <= schemas, schemas
    for path in files:
        schema = path.name.split(".")[-2]
        try:
            validate(schema, json.loads(path.read_text()))
        except AssertionError as e:
            raise AssertionError(f"{path.name}: {e}") from None


@pytest.mark.skipif(not os.environ.get("MYNACARD_CONTRACT_DIRS"), reason="run by .ci/ffi.sh")
def test_the_c_reception_outcomes_validate():
    # The C programs' outcome files (compared byte for byte with Rust's by .ci/ffi.sh).
    dirs = os.environ["MYNACARD_CONTRACT_DIRS"].split(os.pathsep)
    outcomes = [p for d in dirs for p in pathlib.Path(d).glob("test_*.json*")
                if p.name.count(".") == 1 or p.name.endswith(".json.face")]
    assert outcomes
    for path in outcomes:
        validate("reception-outcome", json.loads(path.read_text()))


def test_python_results_validate(trust, data):
    from test_reception import Scripted, reception

    validate("reception-outcome", reception(trust, "yamada", Scripted(pin="1234")))
    sign = mynacard.TrustStore.test_only()
    sign.add_crl(data("pki/sign_ca.crl.der"))
    validate(
        "signed-document",
        mynacard.document.verify_cms(
            sign, data("document/yamada_detached.p7s"), data("document/contract.txt"),
            time=REFERENCE_TIME,
        ),
    )
    validate(
        "pdf-report",
        mynacard.document.verify_pdf(sign, data("document/yamada_signed.pdf"), time=REFERENCE_TIME),
    )
    for name in ("full_utf8.xml", "minimal.xml", "medication.xml", "health_checkup.xml",
                 "request_identifiers.xml"):
        validate("eligibility", mynacard.parse_eligibility(data(f"eligibility/{name}")))
    # Partial mode: the same envelope plus record_errors (empty when every record parses).
    partial = mynacard.parse_eligibility(data("eligibility/full_utf8.xml"), partial=True)
    assert partial["record_errors"] == []
    validate("eligibility", partial)
    from test_employer import NewHire

    validate(
        "employer-intake",
        mynacard.employer_intake(sign, new_hire=NewHire("1234", "YAMADA2024"),
                                 virtual_card="yamada", time=REFERENCE_TIME),
    )


def test_python_errors_carry_the_error_schema_fields(trust, data):
    with pytest.raises(mynacard.MynacardError) as e:
        trust.verify_certificate(data("pki/yamada_auth.der"), time=2208988800)
    validate("error", {"code": e.value.code, "message": e.value.message})
