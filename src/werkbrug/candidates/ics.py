"""One appointment as an iCalendar file (RFC 5545), so it lands in the candidate's own calendar.

Pure: no Django. ``event_ics`` takes plain values and returns the text of a VCALENDAR with one
VEVENT. Times are written in UTC (``...Z``), so no time-zone definitions are needed. Text
values are escaped (backslash, semicolon, comma, newline) and lines are folded at 75 octets
(without splitting a UTF-8 character); lines end in CRLF. ``unfold`` and ``unescape`` undo
both, for tests and for anyone reading the file back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Werkbrug//Candidate portal//NL"


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: dt.datetime  # timezone-aware
    ends_at: dt.datetime  # timezone-aware
    summary: str
    location: str = ""
    description: str = ""
    #: A cancellation: calendar programs remove the event with this UID.
    cancelled: bool = False
    #: Raised with every change the calendar should take over (RFC 5545 §3.8.7.4).
    sequence: int = 0


def clean_text(value: str) -> str:
    """Line ends made ``\\n``; other control characters (not allowed in TEXT) dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if c in "\n\t" or not (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0))


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = clean_text(value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def unescape_text(value: str) -> str:
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        nxt = next(chars, "")
        out.append("\n" if nxt in ("n", "N") else nxt)
    return "".join(out)


def fold(line: str) -> str:
    """Fold one content line into pieces of at most 75 octets; continuation lines start with
    one space (which counts towards their 75). A UTF-8 character is never split."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def unfold(text: str) -> str:
    """Undo folding: a CRLF followed by one space or tab joins the two lines."""
    return text.replace(CRLF + " ", "").replace(CRLF + "\t", "")


def utc_stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("Use a timezone-aware datetime.")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ics(event: Event, *, now: dt.datetime) -> str:
    """The complete calendar file for one event."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:CANCEL" if event.cancelled else "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.cancelled:
        lines.append("STATUS:CANCELLED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)


def parse_properties(text: str) -> list[tuple[str, str]]:
    """The (name, raw value) pairs of an unfolded calendar, in order (for tests)."""
    result = []
    for line in unfold(text).split(CRLF):
        if not line:
            continue
        name, _sep, value = line.partition(":")
        result.append((name, value))
    return result
