"""Rate limits for the pages anyone can reach without logging in.

A page behind a secret link (the meeting answer link, the questionnaire link, the password
reset link), the password-reset and log-in forms and the API token endpoint each have a
*scope* with a limit: at most ``requests`` per ``seconds`` from one client address. The
window is fixed (it starts at a multiple of ``seconds`` since the epoch), which keeps the
count to one cache entry per address and scope and makes ``Retry-After`` exact.

* **Who is counted.** The client address (:func:`client_ip`): ``REMOTE_ADDR``, or behind
  ``WERKBRUG_TRUSTED_PROXIES`` proxies the address the outermost of them saw (so a client
  cannot pick its own by sending ``X-Forwarded-For``). An IPv6 client is counted per /64,
  the block one household or phone gets.
* **What counts.** Every request the view answers counts 1; one it answers as a failure (a
  link that does not exist or no longer works, a wrong password) counts
  ``RATELIMIT_FAILURE_COST`` in total, so guessing runs out long before normal use does.
  A refused request is not counted (a client that keeps knocking is not locked out longer).
* **The answer.** Over the limit: HTTP 429 with ``Retry-After`` (seconds), as a Dutch page
  (``429.html``) or, for the API, as problem+json (``api.auth.TokenThrottle``).
* **Where the counts live.** The ``ratelimit`` cache (settings.CACHES): Django's database
  cache, so every gunicorn worker and every web server shares the same counts (a per-process
  memory cache would multiply each limit by the number of workers). Its table is created by
  ``werkbrug migrate`` (see ``core.apps``). When the cache cannot be read or written, the
  request is let through and a warning is logged: a broken limiter must not close the site.

Limits are in ``settings.RATE_LIMITS`` (environment ``WERKBRUG_RATELIMIT_<SCOPE>``, see
settings.py and docs/operations.md). Counting is approximate under concurrency (the database
cache's increment is read-then-write), which can let a burst of parallel requests slightly
exceed a limit; it never refuses a client below it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, router, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

log = logging.getLogger(__name__)

CACHE_ALIAS = "ratelimit"

View = Callable[..., HttpResponse]


def now() -> float:
    """The clock (seconds since the epoch); tests patch it to move past a window."""
    return time.time()


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int  # what this client has used of the window so far
    limit: Limit
    retry_after: int  # seconds until the window ends (at least 1)


def limit_for(scope: str) -> Limit:
    requests, seconds = settings.RATE_LIMITS[scope]
    return Limit(int(requests), int(seconds))


def client_ip(request: Any) -> str:
    """The client's address: ``REMOTE_ADDR``, or with ``TRUSTED_PROXIES`` = n proxies in front,
    the n-th address from the right in ``X-Forwarded-For`` (the one the outermost proxy saw)."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0) or 0)
    if proxies:
        forwarded = [p.strip() for p in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote or "unknown"


def axes_client_ip(request: Any) -> str | None:
    """django-axes' ``AXES_CLIENT_IP_CALLABLE``: :func:`client_ip`, or None when unknown
    (axes stores it in an IP address column)."""
    address = client_ip(request)
    return None if address == "unknown" else address


def _bucket(address: str) -> str:
    """The unit counted: an IPv4 address, or the /64 network of an IPv6 address."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _key(scope: str, request: Any, window: int) -> str:
    who = hashlib.sha256(f"{scope}|{_bucket(client_ip(request))}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{who}:{window}"


def _window(limit: Limit) -> tuple[int, int]:
    """(number of the current window, seconds until it ends)."""
    moment = now()
    window = int(moment // limit.seconds)
    remaining = math.ceil((window + 1) * limit.seconds - moment)
    return window, max(1, remaining)


def check(request: Any, scope: str) -> Decision:
    """Whether one more request of this client in this scope is allowed; counts nothing."""
    limit = limit_for(scope)
    window, remaining = _window(limit)
    try:
        with transaction.atomic(using=_cache_database()):
            count = int(caches[CACHE_ALIAS].get(_key(scope, request, window), 0))
    except DatabaseError:
        log.warning("rate limit %s: the cache cannot be read; request let through", scope)
        count = 0
    return Decision(count < limit.requests, count, limit, remaining)


def add(request: Any, scope: str, cost: int = 1) -> int:
    """Count ``cost`` requests of this client in this scope; the new count (0 on a failure)."""
    if cost <= 0:
        return 0
    limit = limit_for(scope)
    window, _remaining = _window(limit)
    key = _key(scope, request, window)
    cache = caches[CACHE_ALIAS]
    try:
        with transaction.atomic(using=_cache_database()):
            cache.add(key, 0, timeout=limit.seconds + 60)
            try:
                return int(cache.incr(key, cost))
            except ValueError:  # culled between add and incr
                cache.set(key, cost, timeout=limit.seconds + 60)
                return cost
    except DatabaseError:
        log.warning("rate limit %s: the cache cannot be written; request not counted", scope)
        return 0


def _cache_database() -> str:
    cache = caches[CACHE_ALIAS]
    if isinstance(cache, DatabaseCache):
        return router.db_for_write(cache.cache_model_class) or "default"
    return "default"


def failure_cost() -> int:
    return max(1, int(getattr(settings, "RATELIMIT_FAILURE_COST", 1)))


def too_many_requests(request: HttpRequest, decision: Decision) -> HttpResponse:
    """The Dutch (or English) page that says to wait, with ``Retry-After``."""
    minutes = max(1, math.ceil(decision.retry_after / 60))
    response = render(
        request, "429.html", {"minutes": minutes, "seconds": decision.retry_after}, status=429
    )
    response["Retry-After"] = str(decision.retry_after)
    # The URL may hold a secret link: never cached, never passed on as a referrer.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "strict-origin"
    return response


def rate_limited(
    scope: str,
    *,
    methods: Collection[str] | None = None,
    failed: Callable[[HttpResponse], bool] | None = None,
) -> Callable[[View], View]:
    """Limit a view to ``settings.RATE_LIMITS[scope]`` per client address.

    ``methods``: only these methods are limited and counted (e.g. only the POST of a form that
    sends mail); ``failed``: whether a response is a failed attempt, which counts
    ``RATELIMIT_FAILURE_COST`` instead of 1.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if methods is not None and request.method not in methods:
                return view(request, *args, **kwargs)
            decision = check(request, scope)
            if not decision.allowed:
                log.info("rate limit %s reached by a client", scope)
                return too_many_requests(request, decision)
            response = view(request, *args, **kwargs)
            cost = failure_cost() if failed is not None and failed(response) else 1
            add(request, scope, cost)
            return response

        wrapped.rate_limit_scope = scope  # type: ignore[attr-defined]
        return wrapped

    return decorate


def refused_link(response: HttpResponse) -> bool:
    """A link page's answer to a link that does not (or no longer) work."""
    return response.status_code in (404, 410)
