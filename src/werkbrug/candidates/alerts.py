"""Candidate alerts: once a day every consultant gets one e-mail listing their candidates not
seen for longer than the region's norm, and the service periods that reach the first alert
(12 months) or the maximum term (24 months) today (WB §3.2.1; R14, R19). Plain Dutch text.
The e-mail is queued in the outbox under the consultant and the day: once a day at most."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from werkbrug.candidates.models import Candidate, ServiceEpisode
from werkbrug.candidates.selectors import _months_back, not_seen_q
from werkbrug.candidates.services import months_between, policy_for
from werkbrug.core import audit, outbox
from werkbrug.regions.models import Region, Staff


@dataclass
class Digest:
    staff: Staff
    not_seen: list[Candidate] = field(default_factory=list)
    first_alert: list[ServiceEpisode] = field(default_factory=list)
    max_term: list[ServiceEpisode] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.not_seen or self.first_alert or self.max_term)


def collect(*, on: dt.date, now: dt.datetime | None = None) -> dict[int, Digest]:
    """Per consultant (Staff pk): what needs their attention today."""
    now = now or timezone.now()
    digests: dict[int, Digest] = {}

    def digest_for(staff: Staff) -> Digest:
        return digests.setdefault(staff.pk, Digest(staff))

    for region in Region.objects.all():
        policy = policy_for(region.pk)
        not_seen = (
            Candidate.objects.filter(
                region=region, consultant__isnull=False, consultant__active=True
            )
            .filter(not_seen_q(weeks=policy.weeks_without_contact, now=now))
            .select_related("consultant__user")
            .order_by("last_contact_at", "last_name", "id")
        )
        for candidate in not_seen:
            digest_for(candidate.consultant).not_seen.append(candidate)  # type: ignore[arg-type]
        episodes = (
            ServiceEpisode.objects.filter(
                candidate__region=region,
                end__isnull=True,
                candidate__consultant__isnull=False,
                candidate__consultant__active=True,
            )
            .select_related("candidate__consultant__user")
            .order_by("start", "id")
        )
        first_day = _months_back(on, policy.first_alert_months)
        for episode in episodes.filter(start=first_day):
            digest_for(episode.candidate.consultant).first_alert.append(episode)  # type: ignore[arg-type]
        terms = set(episodes.values_list("max_term_months", flat=True).order_by())
        for months in sorted(terms):
            due = episodes.filter(max_term_months=months, start=_months_back(on, months))
            for episode in due:
                digest_for(episode.candidate.consultant).max_term.append(episode)  # type: ignore[arg-type]
    return digests


def _body(digest: Digest, on: dt.date) -> str:
    lines = [f"Goedemorgen {digest.staff.user.first_name or digest.staff},", ""]
    if digest.not_seen:
        lines.append("Deze kandidaten heeft u te lang niet gesproken:")
        for candidate in digest.not_seen:
            last = (
                f"laatste contact {timezone.localtime(candidate.last_contact_at):%d-%m-%Y}"
                if candidate.last_contact_at
                else "nog geen contact vastgelegd"
            )
            lines.append(f"- {candidate.full_name} ({last})")
        lines.append("")
    if digest.first_alert:
        lines.append(
            "Deze kandidaten zijn vandaag een jaar (of de signaaltermijn) bij u in dienst:"
        )
        for episode in digest.first_alert:
            months = months_between(episode.start, on)
            since = f"{episode.start:%d-%m-%Y}"
            lines.append(f"- {episode.candidate.full_name} ({months} maanden, sinds {since})")
        lines.append("Bespreek met de kandidaat en de klantmanager wat de volgende stap is.")
        lines.append("")
    if digest.max_term:
        lines.append("Deze kandidaten bereiken vandaag de maximale termijn:")
        for episode in digest.max_term:
            lines.append(
                f"- {episode.candidate.full_name} ({episode.max_term_months} maanden, "
                f"sinds {episode.start:%d-%m-%Y})"
            )
        lines.append("Besluit: doorgaan met een reden, of terugmelden aan de gemeente.")
        lines.append("")
    lines.append("U vindt de kandidaten onder 'Kandidaten' in Werkbrug.")
    return "\n".join(lines)


def send(*, on: dt.date | None = None) -> int:
    """Send today's alerts; returns the number of e-mails (one per consultant at most)."""
    on = on or timezone.localdate()
    sent = 0
    with audit.acting_as(None, channel="task"):
        for digest in collect(on=on).values():
            email = digest.staff.user.email
            if not email or digest.empty:
                continue
            count = len(digest.not_seen) + len(digest.first_alert) + len(digest.max_term)
            who = "kandidaat vraagt" if count == 1 else "kandidaten vragen"
            message = EmailMessage(
                subject=f"Werkbrug: {count} {who} aandacht", body=_body(digest, on), to=[email]
            )
            with transaction.atomic():
                queued = outbox.queue(
                    message,
                    key=f"candidate-alerts:{digest.staff.uuid}:{on.isoformat()}",
                    purpose="candidates.alerts",
                )
            sent += queued
    return sent
