"""Pseudonyms and encryption for identifying numbers such as the BSN (architecture rule 4).

A BSN is stored twice, and never in plain text:
* as a keyed HMAC-SHA256 pseudonym: the same BSN always gives the same pseudonym under one key,
  so records can be linked and duplicates found, but the 9-digit space cannot be brute-forced
  without the key (an unkeyed hash could be reversed in seconds);
* encrypted with Fernet (AES-128-CBC + HMAC) where the number must be shown to someone allowed
  to see it.

Keys come from WERKBRUG_PSEUDONYM_KEY and WERKBRUG_ENCRYPTION_KEY (see settings.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken


def pseudonym(value: str, *, key: str, purpose: str = "bsn") -> str:
    """Keyed pseudonym of ``value``; ``purpose`` separates domains (a BSN pseudonym for
    linkage differs from one for research extracts)."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def _fernet(key: str) -> Fernet:
    # Derive a 32-byte Fernet key from the configured secret, whatever its length or alphabet.
    raw = hashlib.sha256(f"werkbrug-field-encryption:{key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(raw))


def encrypt(value: str, *, key: str) -> str:
    return _fernet(key).encrypt(value.encode()).decode()


def decrypt(token: str, *, key: str) -> str:
    """Decrypt; raises ValueError when the token was not made with this key or was altered."""
    try:
        return _fernet(key).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("The value cannot be decrypted with the configured key.") from None


def encrypt_bytes(value: bytes, *, key: str) -> bytes:
    """Encrypt bytes (a stored e-mail's content) with the field-encryption key."""
    return _fernet(key).encrypt(value)


def decrypt_bytes(token: bytes, *, key: str) -> bytes:
    """Decrypt; raises ValueError when the token was not made with this key or was altered."""
    try:
        return _fernet(key).decrypt(token)
    except InvalidToken:
        raise ValueError("The value cannot be decrypted with the configured key.") from None


def mask_bsn(bsn: str) -> str:
    """Show only the last three digits, as letters to citizens do: ******123."""
    return "*" * (len(bsn) - 3) + bsn[-3:] if len(bsn) > 3 else "***"
