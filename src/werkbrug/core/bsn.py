"""The BSN as Werkbrug stores it: pseudonym + encrypted value, keys from settings.

Models that hold a BSN (Candidate, from the candidates app) add two fields,
``bsn_pseudonym`` (indexed, for linkage and duplicate checks) and ``bsn_encrypted``, and call
``protect_bsn`` in their service when a BSN is entered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from werkbrug.core import pseudonymisation
from werkbrug.core.validators import normalize_bsn


@dataclass(frozen=True)
class ProtectedBSN:
    pseudonym: str
    encrypted: str


def protect_bsn(raw: str) -> ProtectedBSN:
    """Validate, normalise and protect a BSN; raises ValueError for an invalid one."""
    bsn = normalize_bsn(raw)
    return ProtectedBSN(
        pseudonym=pseudonymisation.pseudonym(bsn, key=settings.PSEUDONYM_KEY),
        encrypted=pseudonymisation.encrypt(bsn, key=settings.ENCRYPTION_KEY),
    )


def bsn_pseudonym(raw: str) -> str:
    return pseudonymisation.pseudonym(normalize_bsn(raw), key=settings.PSEUDONYM_KEY)


def reveal_bsn(encrypted: str) -> str:
    """The BSN in full; empty for a record whose BSN was erased (retention, AVG art. 17)."""
    if not encrypted:
        return ""
    return pseudonymisation.decrypt(encrypted, key=settings.ENCRYPTION_KEY)
