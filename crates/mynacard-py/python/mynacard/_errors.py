"""Exceptions: one class per error kind, each carrying the stable code."""

from __future__ import annotations

import functools
from typing import Callable, TypeVar

from . import _native

__all__ = [
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


class MynacardError(Exception):
    """A job failed. ``kind`` is the coarse class (``"refused"``), ``code`` the
    stable machine-readable reason (``"pki.revoked"``), ``message`` the text."""

    kind = "error"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class InvalidArgumentError(MynacardError, ValueError):
    """An argument was not acceptable (bad JSON, unknown name)."""

    kind = "invalid_argument"


class MalformedError(MynacardError, ValueError):
    """Input bytes (eligibility file, certificate, CRL) could not be read."""

    kind = "malformed"


class RefusedError(MynacardError):
    """A PKI check refused the certificate or presentation."""

    kind = "refused"


class FlowError(MynacardError):
    """A reception flow ended without an outcome (PIN blocked, revoked, ...)."""

    kind = "flow"


class CancelledError(MynacardError):
    """The reception was cancelled."""

    kind = "cancelled"


class CallbackError(MynacardError):
    """A callback gave an answer the flow cannot use."""

    kind = "callback"


class CardError(MynacardError):
    """The card or the reader failed."""

    kind = "card"


class UnsupportedError(MynacardError):
    """The library was built without the feature needed."""

    kind = "unsupported"


class InternalError(MynacardError):
    """A bug in the library."""

    kind = "internal"


_BY_KIND = {
    cls.kind: cls
    for cls in (
        InvalidArgumentError,
        MalformedError,
        RefusedError,
        FlowError,
        CancelledError,
        CallbackError,
        CardError,
        UnsupportedError,
        InternalError,
    )
}

F = TypeVar("F", bound=Callable)


def translated(fn: F) -> F:
    """Re-raises the native error as the exception class of its kind."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except _native.NativeError as e:
            kind, code, message = e.args
            raise _BY_KIND.get(kind, MynacardError)(code, message) from None

    return wrapper  # type: ignore[return-value]
