"""Signed documents: CMS SignedData (``.p7s``) and signed PDFs made with a My Number
Card's 署名用 key, verified under a :class:`mynacard.TrustStore` and its CRLs.

The results carry the signer's 基本4情報 (name, address, birth date, sex): personal
data — keep them only for the signature's purpose, never in a log.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from . import _native
from ._errors import translated

__all__ = ["verify_cms", "verify_pdf"]


@translated
def verify_cms(
    trust: Any,
    cms: bytes,
    content: Optional[bytes] = None,
    *,
    options: Optional[dict[str, Any]] = None,
    time: Optional[int] = None,
) -> dict[str, Any]:
    """Verifies a DER CMS SignedData: ``content`` is the detached content (None when
    the SignedData carries it). ``options``: ``{"check_at": "verification_time" |
    "signing_time", "revocation": "required" | "best_effort"}``. Returns ``{"holder",
    "certificate", "revocation", "checked_at", "checked_time",
    "claimed_signing_time", "digest_algorithm"}``; raises :class:`RefusedError`
    (``document.*``, ``pki.*``) or :class:`MalformedError`."""
    return json.loads(
        _native.verify_cms(
            trust._native,
            bytes(cms),
            None if content is None else bytes(content),
            None if options is None else json.dumps(options),
            time,
        )
    )


@translated
def verify_pdf(
    trust: Any,
    pdf: bytes,
    *,
    options: Optional[dict[str, Any]] = None,
    time: Optional[int] = None,
) -> dict[str, Any]:
    """Verifies every signature of a PDF. Returns ``{"verdict": {"code": "signed" |
    "unsigned" | "signature_refused" | "modified_after_signing", …}, "signatures":
    [{"offset", "sub_filter", "byte_range", "revision_end", "signed" | "error"}]}``;
    only bytes that are not a PDF raise (:class:`MalformedError`)."""
    return json.loads(
        _native.verify_pdf(
            trust._native,
            bytes(pdf),
            None if options is None else json.dumps(options),
            time,
        )
    )
