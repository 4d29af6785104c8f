"""The deep-link payloads printed on QR codes: a copy's label and the desk's visit code."""

import base64
import binascii
import re

COPY_PREFIX = "copy_"
VISIT_PAYLOAD = "visit"
MAX_PAYLOAD_LENGTH = 64

_SAFE_ACCESSION = re.compile(r"[A-Za-z0-9-]+")
_PAYLOAD_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")


def copy_payload(accession: str) -> str:
    """Return the /start payload of a copy: plain when the number is safe, else base64url."""
    if not accession:
        raise ValueError("accession number is empty")
    if not accession.isprintable():
        # The import never stores one; a label for it would name an invisible number.
        raise ValueError(f"accession number {accession!r} holds invisible characters")
    if _SAFE_ACCESSION.fullmatch(accession):
        body = accession
    else:
        # A plain body never holds "_", so a leading "_" marks the escaped form unambiguously.
        encoded = base64.urlsafe_b64encode(accession.encode("utf-8")).rstrip(b"=").decode("ascii")
        body = "_" + encoded
    payload = COPY_PREFIX + body
    if len(payload) > MAX_PAYLOAD_LENGTH:
        raise ValueError(
            f"accession number {accession!r} is too long for a Telegram deep link "
            f"({len(payload)} > {MAX_PAYLOAD_LENGTH} characters)"
        )
    return payload


def accession_from_payload(payload: str) -> str:
    """Return the accession number a copy payload stands for; ValueError if it is not one."""
    if not payload.startswith(COPY_PREFIX):
        raise ValueError(f"not a copy payload: {payload!r}")
    body = payload.removeprefix(COPY_PREFIX)
    if body.startswith("_"):
        encoded = body[1:]
        if not _PAYLOAD_ALPHABET.fullmatch(encoded):
            raise ValueError(f"malformed copy payload: {payload!r}")
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            accession = raw.decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise ValueError(f"malformed copy payload: {payload!r}") from exc
    else:
        accession = body
    # Only the form copy_payload writes is accepted, so one copy has exactly one payload.
    if not accession or not accession.isprintable() or copy_payload(accession) != payload:
        raise ValueError(f"malformed copy payload: {payload!r}")
    return accession
