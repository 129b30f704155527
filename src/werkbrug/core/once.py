"""Double submission: one form, one record.

Every form rendered with ``includes/form.html`` carries a one-time submission id
(``{% submission_field %}``). ``SubmitOnceMiddleware`` lets the first POST with that id through
and remembers its answer; a second POST with the same id — a double click, a reload of a slow
answer, the back button and "send again" — does not run the view again: it gets the first
answer's redirect with a note that the form had already been sent. When the first POST did
not succeed (the form showed errors), the id is forgotten, so the corrected form goes through.

The ids live in the shared database cache (``CACHE``), so two gunicorn workers see the same
submission. Requests without an id (the API, which has its own rules, and tests) pass as
before.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

FIELD = "_submission"
CACHE = "ratelimit"
PENDING = "pending"
#: How long a submission id is remembered (seconds).
REMEMBER = 3600
#: How long a second POST waits for the first one to finish before it gives up (seconds).
WAIT = 10.0
_VALID = re.compile(r"^[0-9a-f]{32}$")


def new_id() -> str:
    return uuid.uuid4().hex


def _key(request: HttpRequest, token: str) -> str:
    user = getattr(request, "user", None)
    who = user.pk if user is not None and user.is_authenticated else "anon"
    return f"once:{who}:{token}"


class SubmitOnceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _VALID.match(token):
            return self.get_response(request)
        cache = caches[CACHE]
        key = _key(request, token)
        if not cache.add(key, PENDING, timeout=REMEMBER):
            return self._again(request, key)
        try:
            response = self.get_response(request)
        except BaseException:
            cache.delete(key)
            raise
        if response.status_code in (301, 302, 303) and response.has_header("Location"):
            cache.set(key, response["Location"], timeout=REMEMBER)
        else:
            cache.delete(key)
        return response

    @staticmethod
    def _again(request: HttpRequest, key: str) -> HttpResponse:
        cache = caches[CACHE]
        deadline = time.monotonic() + WAIT
        answer: Any = cache.get(key)
        while answer == PENDING and time.monotonic() < deadline:
            time.sleep(0.1)
            answer = cache.get(key)
        if answer and answer != PENDING:
            messages.info(request, _("This form had already been sent; nothing was saved twice."))
            return HttpResponseRedirect(answer)
        messages.info(
            request,
            _("This form is still being processed. Check in a moment whether it was saved."),
        )
        return HttpResponseRedirect(request.get_full_path())
