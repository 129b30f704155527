"""Log hygiene: personal link tokens never reach a log.

Django logs the path of every 4xx/5xx answer ("Not Found: /bijeenkomsten/antwoord/<token>/").
The personal answer links of meetings and surveys, and password-reset links, carry a secret in
their path; ``RedactLinkTokens`` replaces any path segment that looks like such a token (20 or
more URL-safe characters that are not a UUID) with ``[token]`` before a record is written.
UUIDs stay: they identify a record, not a person, and open nothing without a log-in.
"""

from __future__ import annotations

import logging
import re

_SEGMENT = re.compile(
    r"/(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)"
    r"[A-Za-z0-9_-]{20,}(?=[/.?]|$)"
)


def redact(text: str) -> str:
    return _SEGMENT.sub("/[token]", text)


class RedactLinkTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
