"""Hashing of passwords and access codes with argon2id (argon2-cffi: the reference implementation's
bindings, maintained, with sane defaults). Nothing secret is ever stored in the clear."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Passwords: the library's defaults (RFC 9106 low-memory profile).
_passwords = PasswordHasher()
# Access codes carry ~78 bits of entropy, so a lighter profile is safe and keeps sign-in fast under load.
_codes = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)

# A hash of nothing, verified when a username does not exist, so both cases take equally long.
_DUMMY_HASH = _passwords.hash("stemdag-no-such-user")


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _passwords.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def hash_code(code: str) -> str:
    return _codes.hash(code)


# The same for access codes: a code whose selector matches no row is verified against this, so an unknown
# selector takes as long as a known one and valid selectors cannot be found by timing sign-ins.
_DUMMY_CODE_HASH = _codes.hash("stemdag-no-such-code")


def verify_code(code_hash: str | None, code: str) -> bool:
    """Whether ``code`` matches ``code_hash``; with no hash (no row for the selector) a dummy hash is
    verified, taking as long, and the answer is False."""
    try:
        return _codes.verify(code_hash or _DUMMY_CODE_HASH, code) and code_hash is not None
    except (VerificationError, InvalidHashError):
        return False
