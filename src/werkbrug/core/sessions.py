"""Sessions in the database, with one correction to Django's backend: when the database is
away while a session is saved (a restart, a failover), Django reports "the session was
deleted" and the visitor gets a bare "Bad Request (400)". Here the database error itself goes
up, so the visitor gets the site's error page (500, "try again in a moment") and the log says
what happened. A session that really was deleted (logged out elsewhere) still answers 400."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> Any:
        try:
            return super().save(must_create)
        except UpdateError as error:
            cause = error.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise
