"""Erasure and the retention job.

* Erasing a file leaves no trace of the person anywhere in the database: the name, e-mail,
  phone, street and BSN are found in no text or JSON column of any table — the change and
  access logs included — while the placeholder keeps the figures: the KPI values computed
  before and after are identical, and the placement still counts.
* The retention job erases only files closed longer than the period, deletes health profiles
  and old log entries per their own periods, unlinks old survey invitations, does nothing in a
  preview, and records each run.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from candidates_support import make_candidate
from steering_support import place
from werkbrug.candidates import services as candidate_services
from werkbrug.candidates.models import Candidate, HealthProfile, JourneyStatus, ServiceEpisode
from werkbrug.core import access, audit
from werkbrug.core.bsn import reveal_bsn
from werkbrug.core.models import AccessLogEntry, ChangeLogEntry
from werkbrug.core.roles import Role
from werkbrug.employers.models import Employer
from werkbrug.evaluation.models import Invitation as SurveyInvitation
from werkbrug.evaluation.models import Survey
from werkbrug.monitoring import services as monitoring
from werkbrug.monitoring.models import KpiValue
from werkbrug.placements.models import AftercareCheck, PlacementStatus
from werkbrug.privacy import services
from werkbrug.privacy.models import RetentionRun

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - dt.timedelta(days=6 * 366)


@pytest.fixture
def own(regions):
    return regions["own"]


@pytest.fixture
def km(people):
    return access.actor_for(people[Role.CLIENT_MANAGER])


def closed_file(own, people, **fields):
    """A candidate who was placed, with contacts, health data, consent, a work history, an
    aftercare note and a survey invitation; the journey ended long ago."""
    km_staff = people[Role.CLIENT_MANAGER].staff
    candidate = make_candidate(own, client_manager=km_staff, **fields)
    actor = access.actor_for(people[Role.CLIENT_MANAGER])
    with audit.acting_as(people[Role.CLIENT_MANAGER]):
        candidate_services.record_contact(
            candidate,
            actor=actor,
            at=timezone.now() - dt.timedelta(days=3000),
            channel="gesprek",
            summary=f"Gesprek met {candidate.first_name} {candidate.last_name} over werk.",
        )
        candidate_services.save_health(
            candidate,
            actor=actor,
            data={"has_limitation": True, "limitations": "Rugklachten, niet tillen."},
        )
        candidate_services.update_candidate(
            candidate, actor=actor, data={"motivation": "Wil graag in de bakkerij werken."}
        )
    employer = Employer.objects.create(
        region=own["region"],
        name="Bakkerij De Korenaar",
        municipality=own["municipalities"][0],
        owner=people[Role.RELATIONSHIP_MANAGER].staff,
    )
    placement = place(
        own["region"],
        candidate,
        employer,
        people[Role.RELATIONSHIP_MANAGER].staff,
        start_on=dt.date(2019, 3, 1),
        ended_on=dt.date(2020, 3, 1),
        status=PlacementStatus.ENDED,
    )
    AftercareCheck.objects.create(
        placement=placement,
        kind="m1",
        due_on=dt.date(2019, 4, 1),
        notes=f"{candidate.first_name} gaat goed.",
    )
    survey = Survey.objects.create(
        region=own["region"],
        title="Oordeel 2020",
        audience="candidate",
        questionnaire={"questions": []},
        closes_on=dt.date(2020, 6, 1),
    )
    SurveyInvitation.objects.create(
        survey=survey,
        person_key="k" * 64,
        candidate=candidate,
        group="participant",
        channel="email",
        token_hash="t" * 64,
        expires_at=LONG_AGO,
    )
    ServiceEpisode.objects.create(
        candidate=candidate, start=dt.date(2018, 1, 1), end=dt.date(2020, 3, 1)
    )
    Candidate.objects.filter(pk=candidate.pk).update(
        status=JourneyStatus.OUTCOME, updated_at=LONG_AGO, last_contact_at=LONG_AGO
    )
    candidate.refresh_from_db()
    return candidate


def traces(markers: list[str]) -> list[str]:
    """Every (table.column) holding one of ``markers``, across all models."""
    found = []
    for model in apps.get_models():
        manager = models.QuerySet(model)
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            for marker in markers:
                if manager.filter(**{f"{field.name}__icontains": marker}).exists():
                    found.append(f"{model._meta.label}.{field.name} ~ {marker}")
    return found


def kpi_table(region):
    monitoring.refresh(region_id=region.pk)
    return sorted(
        KpiValue.objects.filter(region=region).values_list(
            "kpi",
            "grain",
            "period_start",
            "dimension",
            "member",
            "part",
            "numerator",
            "denominator",
        )
    )


def test_erasure_leaves_no_trace_of_the_person_and_keeps_the_figures(own, people):
    candidate = closed_file(own, people, first_name="Fenna", last_name="Zwanenburg")
    bsn = reveal_bsn(candidate.bsn_encrypted)
    markers = ["Zwanenburg", candidate.email, "0612345678", "Molenstraat", bsn, "Rugklachten"]
    audit.log_access(candidate, purpose="test")
    assert traces(markers), "the fixture should have put the person's data in the database"
    before = kpi_table(own["region"])
    assert before, "the placement should be counted"

    with audit.acting_as(None, channel="retention"):
        services.erase_file(candidate, reason="test")

    assert traces(markers) == []
    assert kpi_table(own["region"]) == before
    candidate.refresh_from_db()
    assert candidate.last_name == services.PLACEHOLDER and candidate.first_name == ""
    assert candidate.birth_date == dt.date(1988, 7, 1)  # the year stays for the age bands
    assert candidate.municipality_id == own["municipalities"][0].pk
    assert candidate.placements.count() == 1
    assert not HealthProfile.objects.filter(candidate=candidate).exists()
    assert not candidate.consents.exists()
    invitation = SurveyInvitation.objects.get()
    assert invitation.candidate_id is None and invitation.person_key != "k" * 64
    # The change log says what happened, not what was there.
    last = ChangeLogEntry.objects.filter(object_uuid=candidate.uuid).order_by("-pk").first()
    assert last.postchange == {"note": "test"}


def test_retention_job_erases_only_files_closed_longer_than_the_period(own, people):
    old = closed_file(own, people, last_name="Oudedossier")
    recent = make_candidate(own, last_name="Recentgesloten", status=JourneyStatus.OUTCOME)
    running = make_candidate(own, last_name="Lopend", status=JourneyStatus.PLACED)
    Candidate.objects.filter(pk=running.pk).update(updated_at=LONG_AGO)
    region = own["region"]

    preview = services.apply_retention(region=region, dry_run=True)
    assert preview.counts["candidate_file"] == 1
    assert Candidate.objects.filter(last_name="Oudedossier").exists()

    run = services.apply_retention(region=region)
    assert run.counts["candidate_file"] == 1
    assert not Candidate.objects.filter(last_name="Oudedossier").exists()
    assert Candidate.objects.filter(pk=old.pk, last_name=services.PLACEHOLDER).exists()
    assert set(
        Candidate.objects.filter(pk__in=[recent.pk, running.pk]).values_list("last_name", flat=True)
    ) == {
        "Recentgesloten",
        "Lopend",
    }
    # A second run finds nothing more to do: placeholders are not erased again.
    assert services.apply_retention(region=region).counts["candidate_file"] == 0
    assert RetentionRun.objects.filter(region=region).count() == 3


def test_a_shorter_health_period_removes_only_the_health_profile(own, people):
    candidate = closed_file(own, people, last_name="Gezondheid")
    Candidate.objects.filter(pk=candidate.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=500), last_contact_at=None
    )
    run = services.apply_retention(region=own["region"])
    assert run.counts == {"candidate_file": 0, "health": 1, "audit_logs": 0, "survey_registry": 1}
    assert Candidate.objects.filter(pk=candidate.pk, last_name="Gezondheid").exists()
    assert not HealthProfile.objects.filter(candidate=candidate).exists()
    assert traces(["Rugklachten"]) == []


def test_log_entries_older_than_their_period_are_deleted_for_the_region_only(own, people, regions):
    admin = access.actor_for(people[Role.FUNCTIONAL_ADMIN])
    services.save_period(actor=admin, category="audit_logs", months=24)
    candidate = make_candidate(own)
    other = make_candidate(regions["other"])
    audit.log_accesses([candidate, other], purpose="test")
    old = timezone.now() - dt.timedelta(days=800)
    with audit._erasure():  # the test moves the entries back in time (PostgreSQL's guard)
        models.QuerySet(AccessLogEntry).update(at=old)
    run = services.apply_retention(region=own["region"])
    assert run.counts["audit_logs"] >= 1
    assert not AccessLogEntry.objects.filter(object_uuid=candidate.uuid).exists()
    assert AccessLogEntry.objects.filter(object_uuid=other.uuid).exists()


def test_periods_are_bounded_by_the_legal_minimum(people):
    admin = access.actor_for(people[Role.FUNCTIONAL_ADMIN])
    with pytest.raises(ValidationError) as error:
        services.save_period(actor=admin, category="candidate_file", months=6)
    assert "months" in error.value.message_dict
    policy = services.save_period(actor=admin, category="candidate_file", months=72, note="Besluit")
    assert services.months_for(policy.region_id)["candidate_file"] == 72
    with pytest.raises(PermissionDenied):
        services.save_period(
            actor=access.actor_for(people[Role.CLIENT_MANAGER]), category="health", months=12
        )


def test_the_database_still_refuses_log_changes_outside_an_erasure(own):
    """PostgreSQL's append-only guard lets only a declared erasure through (core migration
    0005); SQLite relies on the ORM guard, which refuses the same through the manager."""
    from django.db import connection, transaction

    audit.log_access(make_candidate(own), purpose="test")
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            models.QuerySet(AccessLogEntry).update(object_repr="x")
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.update(object_repr="x")
    _changes, accesses = audit.redact_for_erasure(
        list(AccessLogEntry.objects.values_list("object_uuid", flat=True)), placeholder="x"
    )
    assert accesses == 1 and AccessLogEntry.objects.get().object_repr == "x"
