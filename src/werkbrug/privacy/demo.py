"""Demo: privacy at work in the Rijk van Nijmegen. The client manager has four requests from
candidates — an inzage due within the week, a correction whose deadline was extended, an
erasure refused because the journey still runs, and an inzage answered last quarter — and the
administrator's retention page shows a real run (two files closed more than five years ago
made anonymous) and one more file due today.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import F, Max, Q
from django.utils import timezone

from werkbrug.candidates.models import Candidate, CandidateContact, JourneyStatus
from werkbrug.core import audit
from werkbrug.core.access import actor_for
from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.privacy import services
from werkbrug.privacy.models import DataSubjectRequest

REQUESTS = (
    # (kind, channel, days ago, text)
    ("access", "letter", 24, "Ik wil graag weten welke gegevens jullie van mij hebben."),
    (
        "rectification",
        "email",
        40,
        "Mijn adres klopt niet meer: ik woon sinds 1 september op de Graafseweg.",
    ),
    ("erasure", "desk", 12, "Ik wil dat jullie al mijn gegevens verwijderen."),
    ("access", "portal", 95, "Welke gegevens zijn er met werkgevers gedeeld?"),
)


@seeder(order=97, name="privacy")
def seed_privacy(ctx: SeedContext) -> None:
    users = get_user_model().objects
    manager = users.filter(username="klantmanager").first()
    admin = users.filter(username="beheerder").first()
    if manager is None or admin is None or not hasattr(manager, "staff"):
        return
    actor = actor_for(manager)
    today = timezone.localdate()
    mine = Candidate.objects.filter(client_manager=manager.staff).exclude(
        status__in=services.CLOSED_STATUSES
    )
    people = list(mine.order_by("pk")[: len(REQUESTS)])
    with audit.acting_as(manager):
        for (kind, channel, days, text), candidate in zip(REQUESTS, people, strict=False):
            request = services.register_request(
                actor=actor,
                candidate=candidate,
                kind=kind,
                channel=channel,
                received_on=today - dt.timedelta(days=days),
                request_text=text,
            )
            if kind == "rectification":
                DataSubjectRequest.objects.filter(pk=request.pk).update(
                    due_on=services.due_date(request.received_on)
                    + dt.timedelta(days=max(0, 31 - days))
                )
                request.refresh_from_db()
                if request.due_on >= today:
                    services.extend_deadline(
                        actor=actor,
                        request=request,
                        reason="Het oude adres staat ook bij de werkgever en het UWV; "
                        "we controleren alle bronnen.",
                        expected_version=request.version,
                    )
            elif kind == "erasure":
                services.complete(
                    actor=actor,
                    request=request,
                    refuse=True,
                    outcome="Uw traject loopt nog; zolang hebben wij uw gegevens nodig voor de "
                    "Participatiewet (AVG art. 17 lid 3 sub b). Na afsluiting verwijderen wij "
                    "ze op uw verzoek.",
                    expected_version=request.version,
                )
            elif days > 60:
                services.record_export(actor=actor, request=request, file_kind="PDF")
                services.complete(
                    actor=actor,
                    request=request,
                    outcome="Kopie van uw gegevens op 12 pagina's per post verstuurd.",
                    expected_version=request.version,
                )
    _retention(ctx, admin)


def _retention(ctx: SeedContext, admin: object) -> None:
    """Two files that closed six years ago are made anonymous by a real run; a third is due."""
    region = admin.staff.organisation.region  # type: ignore[attr-defined]
    closed = list(
        Candidate.objects.filter(region=region)
        .filter(Q(status=JourneyStatus.OUTCOME) | Q(status=JourneyStatus.RETURNED))
        .filter(episodes__end__isnull=False)
        .exclude(episodes__end__isnull=True)
        .distinct()
        .order_by("pk")[:3]
    )
    long_ago = timezone.now() - dt.timedelta(days=6 * 366)
    for candidate in closed[:2]:
        _age(candidate, long_ago)
    actor = actor_for(admin)
    with audit.acting_as(admin):
        services.save_period(
            actor=actor,
            category="health",
            months=12,
            note="Besluit privacyoverleg regio Rijk van Nijmegen, 14 maart 2025.",
        )
        services.apply_retention(region=region, started_by="")
    for candidate in closed[2:]:
        _age(candidate, long_ago)
    ctx.say(f"privacy: {DataSubjectRequest.objects.count()} requests, {len(closed)} old files")


def _age(candidate: Candidate, moment: dt.datetime) -> None:
    """Move the file's journey back in time, so it closed at ``moment``: service periods end
    then, contacts shift back by the same amount (their order kept)."""
    shift = timezone.now() - moment
    contacts = CandidateContact.objects.filter(candidate=candidate)
    contacts.update(at=F("at") - shift)
    last = contacts.aggregate(last=Max("at"))["last"] or moment
    Candidate.objects.filter(pk=candidate.pk).update(updated_at=moment, last_contact_at=last)
    end = moment.date()
    for episode in candidate.episodes.all():
        start = min(episode.start, end - dt.timedelta(days=700))
        type(episode).objects.filter(pk=episode.pk).update(start=start, end=end)
