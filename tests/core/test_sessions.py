"""The session store: a database outage while saving a session goes up as the database error
(so the visitor gets the error page), while a session deleted meanwhile is still Django's
"session deleted" (UpdateError)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.db import OperationalError
from django.db.models import Model

from werkbrug.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_database_outage_is_not_reported_as_a_deleted_session(monkeypatch) -> None:
    store = SessionStore()
    store["x"] = 1
    store.save()

    def away(*args: object, **kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Model, "save", away)
    store["x"] = 2
    with pytest.raises(OperationalError):
        store.save()


def test_a_deleted_session_is_still_reported_as_deleted() -> None:
    store = SessionStore()
    store["x"] = 1
    store.save()
    SessionStore().delete(store.session_key)
    store["x"] = 2
    with pytest.raises(UpdateError):
        store.save()
