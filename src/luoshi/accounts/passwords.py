"""Password hashing with argon2 (argon2-cffi).

Interface (for the web app and the CLI)::

    hash_password(plain) -> str            # store the result in users.password_hash
    verify_password(stored_hash, plain) -> bool
    needs_rehash(stored_hash) -> bool      # after a successful login: re-hash with current params

An empty or missing stored hash never verifies, so an account created without a password
cannot be logged into (there is no default password outside ``serve --demo``).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["hash_password", "needs_rehash", "verify_password"]

_HASHER = PasswordHasher()


def hash_password(plain: str) -> str:
    """Return an argon2id hash of ``plain`` (a fresh random salt each time)."""
    if not plain:
        raise ValueError("a password must not be empty")
    return _HASHER.hash(plain)


def verify_password(stored_hash: str | None, plain: str) -> bool:
    """True when ``plain`` matches ``stored_hash``; False for mismatch, empty or broken hashes."""
    if not stored_hash or not plain:
        return False
    try:
        return _HASHER.verify(stored_hash, plain)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True
