"""API tokens and one-time link codes: random, shown once, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "bm_"
# Link codes are typed by hand on a phone: no 0/O, 1/I/L.
LINK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LINK_CODE_LENGTH = 8


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(value: str) -> str:
    """Tokens are long and random, so a plain SHA-256 is enough (no slow KDF needed)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_link_code() -> str:
    return "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))


def normalise_link_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def sign(secret: str, body: bytes) -> str:
    """Signature header value for webhook bodies: `sha256=<hex HMAC-SHA256>`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
