"""Password hashing with argon2 (argon2-cffi).

Interface (for the web app and the CLI)::

    hash_password(plain) -> str            # store the result in users.password_hash
    verify_password(stored_hash, plain) -> bool
    needs_rehash(stored_hash) -> bool      # after a successful login: re-hash with current params
    check_policy(plain) -> None            # InputError unless the password meets the policy

An empty or missing stored hash never verifies, so an account created without a password
cannot be logged into (there is no default password outside ``serve --demo``).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["MIN_LENGTH", "check_policy", "hash_password", "needs_rehash", "verify_password"]

_HASHER = PasswordHasher()
MIN_LENGTH = 8
MAX_LENGTH = 1024  # argon2 hashes anything, but a megabyte "password" is only a way to burn CPU


def check_policy(plain: str | None) -> None:
    """THE password policy, for the web forms and the CLI alike (``users`` calls it)."""
    from luoshi.errors import InputError

    if not plain or len(plain) < MIN_LENGTH:
        raise InputError(f"密码至少 {MIN_LENGTH} 个字符")
    if len(plain) > MAX_LENGTH:
        raise InputError(f"密码不能超过 {MAX_LENGTH} 个字符")
    if plain.strip() != plain or not plain.isprintable():
        raise InputError("密码不能以空格开头或结尾，也不能含控制字符")


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
