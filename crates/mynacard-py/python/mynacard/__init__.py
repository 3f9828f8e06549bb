"""My Number Card (マイナンバーカード) for Python: reception flows on a reader or the
virtual card, JPKI verification, and オンライン資格確認 eligibility files.

A thin layer over the Rust crate ``mynacard`` (through ``mynacard-ffi``'s jobs,
so results are the same JSON as the C ABI's, here as dicts). Bytes in, dicts
out; failures raise a :class:`MynacardError` subclass carrying the stable
``code`` (``"pki.revoked"``).

>>> import mynacard
>>> trust = mynacard.TrustStore.test_only()
>>> class Kiosk:
...     def show(self, guidance): pass
...     def reply(self, guidance):
...         if guidance.prompt == "keypad":
...             return "1234"
...         return True               # every consent given
>>> outcome = mynacard.run_reception(
...     trust, facility="1310012345", patient=Kiosk(),
...     virtual_card="yamada", time=1780272000,
...     policy={"revocation": "best_effort"})
>>> outcome["identity"]["serial"], outcome["method"]
('329BCA3A', 'pin')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional, Protocol, Sequence, Union

from . import _native
from ._errors import (
    CallbackError,
    CancelledError,
    CardError,
    FlowError,
    InternalError,
    InvalidArgumentError,
    MalformedError,
    MynacardError,
    RefusedError,
    UnsupportedError,
    translated,
)

__all__ = [
    "__version__",
    "features",
    "parse_eligibility",
    "build_request",
    "TrustStore",
    "Guidance",
    "Patient",
    "Link",
    "CancelToken",
    "run_reception",
    "employer_intake",
    "pcsc_readers",
    "VirtualCard",
    "MynacardError",
    "InvalidArgumentError",
    "MalformedError",
    "RefusedError",
    "FlowError",
    "CancelledError",
    "CallbackError",
    "CardError",
    "UnsupportedError",
    "InternalError",
]

__version__: str = _native.version()


def features() -> list[str]:
    """The optional parts compiled in (``"virtual-card"``, ``"pcsc"``)."""
    return list(_native.features())


# --- eligibility files -------------------------------------------------------


@translated
def parse_eligibility(data: bytes, kind: str = "auto", partial: bool = False) -> dict[str, Any]:
    """Parses an eligibility file (result, medication (+ clinical) / health_checkups
    view, or request; UTF-8 or Shift_JIS; a result also as the terminal's JSON
    answer, 照会区分 2).

    Returns ``{"kind": ..., "file": {...}}``, the JSON Rust and C give;
    ``kind="auto"`` detects the file's kind. Each result record carries
    ``"derived"``: ``effective_burden`` (ratio, ``rule``, ``source``: a valid
    高齢受給者証's ratio wins over the record's), ``check_digits``, ``summary``
    and ``labels``. ``partial=True`` (result files) keeps the records that parse
    and adds ``"record_errors"`` (list, record, offset, element, code, message;
    never a value) for the others. Raises :class:`MalformedError` (code
    ``eligibility.*``)."""
    return json.loads(_native.parse_eligibility(bytes(data), kind, partial))


@translated
def build_request(request: Union[dict[str, Any], str], encoding: str = "utf-8") -> bytes:
    """Builds a request file's XML from a request's dict (as
    :func:`parse_eligibility` returns under ``"file"``)."""
    text = request if isinstance(request, str) else json.dumps(request)
    return _native.build_request(text, encoding)


# --- PKI -----------------------------------------------------------------------


class TrustStore:
    """Trust anchors and the CRLs loaded into them. Thread-safe."""

    def __init__(self, kind: str) -> None:
        self._native = translated(_native.Trust)(kind)

    @classmethod
    def jlis(cls) -> "TrustStore":
        """The J-LIS production roots."""
        return cls("jlis")

    @classmethod
    def test_only(cls) -> "TrustStore":
        """**TEST ONLY**: the crate's TEST PKI (what the virtual card carries)."""
        return cls("test")

    @translated
    def add_crl(self, der: bytes) -> dict[str, Any]:
        """Verifies a CRL against the roots and loads it; returns its summary."""
        return json.loads(self._native.add_crl(bytes(der)))

    @translated
    def verify_presentation(
        self,
        certificate: bytes,
        challenge: bytes,
        signature: bytes,
        *,
        policy: Optional[dict[str, Any]] = None,
        time: Optional[int] = None,
    ) -> dict[str, Any]:
        """Verifies an auth certificate and its signature over the challenge
        (SHA-256 DigestInfo) at ``time`` (Unix seconds; None: now). Returns the
        verified identity; raises :class:`RefusedError` (``pki.*``)."""
        return json.loads(
            self._native.verify_presentation(
                bytes(certificate),
                bytes(challenge),
                bytes(signature),
                None if policy is None else json.dumps(policy),
                time,
            )
        )

    @translated
    def verify_certificate(
        self, der: bytes, *, purpose: str = "authentication", time: Optional[int] = None
    ) -> dict[str, Any]:
        """Validates a certificate's path for ``purpose`` (``"authentication"``
        or ``"signature"``) at ``time``; no revocation check."""
        return json.loads(self._native.verify_certificate(bytes(der), purpose, time))


# --- reception flows -------------------------------------------------------------


@dataclass(frozen=True)
class Guidance:
    """One guidance: stable id, Japanese and English text, what it waits for."""

    id: str
    ja: str
    en: str
    prompt: str
    """``nothing``, ``keypad``, ``yes_no``, ``consent``, ``choice``,
    ``face_capture`` or ``staff_confirmation``."""
    consent_item: Optional[str] = None
    choices: Sequence[str] = ()
    keypad_digits: Optional[int] = None
    tries_left: Optional[int] = None


Answer = Union[str, bool, None]


class Patient(Protocol):
    """The program at the counter.

    ``reply`` answers a guidance that awaits input: a ``str`` of digits for
    ``keypad`` (a ``str`` for the intake's ``password``), ``True``/``False`` for ``yes_no``, ``consent`` and
    ``staff_confirmation``, an option name for ``choice``, ``None`` to cancel.
    An exception raised by either method aborts the flow and propagates."""

    def show(self, guidance: Guidance) -> None: ...

    def reply(self, guidance: Guidance) -> Answer: ...

    # Optional, for ``flow="card_face"``: ``compare_face(photo: bytes) -> str``
    # compares the camera's capture with the card's photo (JPEG 2000, verified to
    # a J-LIS CV CA key) and returns ``"match"``, ``"mismatch"`` or
    # ``"unavailable"``; without it every comparison is ``"unavailable"``.


class Link(Protocol):
    """The host's own link to the card (its reader driver, an NFC front end):
    ``transmit`` sends one command APDU and returns the response APDU (data +
    status word), or ``None`` when no card is in the reader (before the first
    answer the flow waits and asks again, up to ``card_wait_ms``)."""

    def transmit(self, apdu: bytes) -> Optional[bytes]: ...


class CancelToken:
    """Cancels a running reception from any thread."""

    def __init__(self) -> None:
        self._native = _native.CancelToken()

    def cancel(self) -> None:
        self._native.cancel()

    @property
    def cancelled(self) -> bool:
        return self._native.cancelled


class _Host:
    """Adapts a :class:`Patient` to the native callbacks."""

    def __init__(self, patient: Patient) -> None:
        self.patient = patient

    def show(self, g: dict[str, Any]) -> None:
        self.patient.show(Guidance(**g))

    def compare_face(self, photo: bytes) -> str:
        compare = getattr(self.patient, "compare_face", None)
        return "unavailable" if compare is None else compare(photo)

    def reply(self, g: dict[str, Any]) -> tuple[str, Optional[str]]:
        guidance = Guidance(**g)
        answer = self.patient.reply(guidance)
        if answer is None:
            return ("cancel", None)
        if guidance.prompt in ("keypad", "password"):
            if not isinstance(answer, str):
                raise TypeError(f"{guidance.id}: the {guidance.prompt} answer is a str")
            return ("digits", answer)
        if guidance.prompt == "choice":
            if not isinstance(answer, str):
                raise TypeError(f"{guidance.id}: the answer is one of {list(guidance.choices)}")
            return ("choice", answer)
        if not isinstance(answer, bool):
            raise TypeError(f"{guidance.id}: the answer is True or False")
        return ("yes" if answer else "no", None)


@translated
def run_reception(
    trust: TrustStore,
    *,
    facility: str,
    patient: Patient,
    flow: str = "card_pin",
    virtual_card: Optional[str] = None,
    reader: Optional[str] = None,
    policy: Optional[dict[str, Any]] = None,
    time: Optional[int] = None,
    pin_pad: bool = False,
    cancel: Optional[CancelToken] = None,
    transport: Optional[Link] = None,
    scanned_card_face: Optional[dict[str, Any]] = None,
    identifiers: Optional[dict[str, Any]] = None,
    card_wait_ms: Optional[int] = None,
    timeout_ms: Optional[int] = None,
) -> dict[str, Any]:
    """Runs a reception flow — ``"card_pin"``, ``"card_face"`` (with
    ``scanned_card_face`` = ``{"birth_date", "expiry_year", "security_code"}``
    and ``patient.compare_face``), ``"smartphone"`` or ``"identifiers"`` (資格確認書,
    with ``identifiers`` = the request's ``search_info`` form, no card) — on a
    PC/SC ``reader``, the in-process ``virtual_card`` (a TEST holder id) or the
    host's own ``transport`` (a :class:`Link`), and returns the outcome in the
    core's JSON form: ``identity``, ``method``, ``consents``, ``face_match``
    (what the terminal's face result is matched with) and ``request`` (a request
    file's form, for :func:`build_request`, when there is one).

    An empty reader is waited for up to ``card_wait_ms`` (default 30 000; then
    :class:`CardError` ``transport.no_card``); ``timeout_ms`` bounds the whole
    flow (``flow.timeout``).

    Raises :class:`FlowError` (``flow.*``), :class:`CancelledError`,
    :class:`CardError`, or whatever ``patient`` or ``transport`` raised."""
    options: dict[str, Any] = {"flow": flow, "facility": facility, "pin_pad": pin_pad}
    for key, value in (
        ("virtual_card", virtual_card),
        ("reader", reader),
        ("policy", policy),
        ("time", time),
        ("scanned_card_face", scanned_card_face),
        ("identifiers", identifiers),
        ("card_wait_ms", card_wait_ms),
        ("timeout_ms", timeout_ms),
    ):
        if value is not None:
            options[key] = value
    return json.loads(
        _native.run_reception(
            trust._native,
            json.dumps(options),
            _Host(patient),
            None if cancel is None else cancel._native,
            transport,
        )
    )


@translated
def employer_intake(
    trust: TrustStore,
    *,
    new_hire: Patient,
    virtual_card: Optional[str] = None,
    reader: Optional[str] = None,
    time: Optional[int] = None,
    cancel: Optional[CancelToken] = None,
    transport: Optional[Link] = None,
    card_wait_ms: Optional[int] = None,
    timeout_ms: Optional[int] = None,
) -> dict[str, Any]:
    """The employer's intake (番号確認・身元確認): the 券面事項入力補助AP PIN
    (``keypad``) and the 署名用 password (``password``) from ``new_hire``; the
    signing CA's CRL must be loaded into ``trust``.

    Returns ``{"kind": "recorded", "record": {...}}`` — **the 個人番号 in clear**
    (for the payroll / 社会保険 system only; Python cannot zeroize it) — or
    ``{"kind": "number_check_needs_card", "token": ...}``. Raises
    :class:`FlowError` (``employer.*``), :class:`CancelledError`, ..."""
    options: dict[str, Any] = {}
    for key, value in (
        ("virtual_card", virtual_card),
        ("reader", reader),
        ("time", time),
        ("card_wait_ms", card_wait_ms),
        ("timeout_ms", timeout_ms),
    ):
        if value is not None:
            options[key] = value
    return json.loads(
        _native.run_employer_intake(
            trust._native,
            json.dumps(options),
            _Host(new_hire),
            None if cancel is None else cancel._native,
            transport,
        )
    )


@translated
def pcsc_readers() -> list[str]:
    """The PC/SC readers present (needs the ``pcsc`` feature)."""
    return list(_native.pcsc_readers())


# --- the virtual card, for researchers ----------------------------------------------


class VirtualCard:
    """The in-process virtual My Number Card of a TEST holder: send it command
    APDUs, get response APDUs (data + status word)."""

    def __init__(self, holder: str = "yamada") -> None:
        self._card = translated(_native.VirtualCard)(holder)

    @staticmethod
    def holders() -> list[str]:
        """The TEST holders' ids."""
        return list(_native.VirtualCard.holders())

    @translated
    def transmit(self, apdu: bytes) -> bytes:
        return self._card.transmit(bytes(apdu))
