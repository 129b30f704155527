"""Optimistic locking (architecture rule 10): a stale save is refused, never silently merged.

A form carries the ``version`` it was loaded with; the service calls ``lock_current`` inside its
transaction, which re-reads the row with a lock and refuses when somebody saved in between.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import BaseModel

T = TypeVar("T", bound=BaseModel)


class StaleRecordError(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this record while you were editing it. Reload the page to "
                "see their changes, then make yours again."
            ),
            code="stale",
        )


def lock_current(instance: T, expected_version: int | None) -> T:
    """Lock the stored row; raise StaleRecordError if its version moved on. Call inside
    ``transaction.atomic``. Bumps the version on the returned instance's behalf."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRecordError()
    instance.version = current.version + 1
    return instance
