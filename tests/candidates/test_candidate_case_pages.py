"""The case-action pages (candidates/views_case.py): handover of one candidate and of a file,
consent recorded by staff, contacts and appointments, the terugmelding and its acknowledgement,
signals and decisions, the data-quality overview and the region's candidate norms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from candidates_support import make_candidate
from werkbrug.candidates.forms_case import CONSENT_EXPLANATIONS
from werkbrug.candidates.models import (
    Appointment,
    Candidate,
    CandidateContact,
    CandidateLanguage,
    CandidatePolicy,
    Consent,
    ConsentScope,
    Handover,
    HandoverBatch,
    JourneyStatus,
    Return,
    ServiceEpisode,
    Signal,
    TargetGroupMembership,
)
from werkbrug.candidates.services import IncompleteProfile
from werkbrug.core import access
from werkbrug.employers.models import ContactPerson, Employer
from werkbrug.taxonomy.models import Skill

pytestmark = pytest.mark.django_db


def nl(text: Any) -> str:
    """The text as the (Dutch-first) pages show it, translated or not yet."""
    with translation.override("nl"):
        return gettext(text) if isinstance(text, str) else str(text)


def months_ago(months: int) -> dt.date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))


def complete(candidate: Candidate) -> None:
    """Fill in every required profile item of an incomplete candidate."""
    Candidate.objects.filter(pk=candidate.pk).update(
        phone="0612345678",
        street="Molenstraat 12",
        postcode="6511 AB",
        city="Nijmegen",
        benefit_type="pw_bijstand",
        ladder_step=candidate.ladder_step or 4,
        segment="werkklant",
        education_level=3,
        driving_licence=False,
        hours_available=24,
        available_from=timezone.localdate(),
        talents="Precies en altijd op tijd.",
        wished_work_kinds=["schoonmaak"],
        max_travel_minutes=30,
    )
    CandidateLanguage.objects.create(candidate=candidate, language="Nederlands", level="B1")
    skill = Skill.objects.order_by("id").first() or Skill.objects.create(
        uri="test:skill:case", label="Schoonmaken", source="curated"
    )
    candidate.skills.add(skill)


@pytest.fixture
def km(people: dict[str, Any]) -> Any:
    return people["klantmanager"]


@pytest.fixture
def rm(people: dict[str, Any]) -> Any:
    return people["relatiemanager"]


# --- Handover of one candidate --------------------------------------------------------------


def test_handover_is_refused_with_the_missing_list_and_accepted_once_complete(
    regions, km, rm, login
):
    own = regions["own"]
    candidate = make_candidate(own, complete=False, client_manager=km.staff)
    client = login(km)
    url = reverse("candidates:handover", kwargs={"uuid": candidate.uuid})

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    edit = reverse("candidates:edit", kwargs={"uuid": candidate.uuid})
    assert f'href="{edit}?deel=persoonlijk#id_phone"' in html  # phone/e-mail
    assert f'href="{edit}?deel=profiel#id_talents"' in html  # what they are good at
    assert f'href="{edit}?deel=uitkering#id_education_level"' in html
    assert nl("Highest education completed") in html
    assert "disabled" in html and 'name="to_staff"' not in html

    refused = client.post(url, {"to_staff": rm.staff.uuid, "on": timezone.localdate()})
    assert refused.status_code == 200
    assert not Handover.objects.filter(candidate=candidate).exists()

    complete(candidate)
    page = client.get(url)
    assert 'name="to_staff"' in page.content.decode()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    done = client.post(
        url,
        {"to_staff": rm.staff.uuid, "on": yesterday, "warm": "on", "note": "Wil graag buiten."},
    )
    assert done.status_code == 302
    assert done.url == reverse("candidates:detail", kwargs={"uuid": candidate.uuid})
    handover = Handover.objects.get(candidate=candidate)
    assert (handover.to_staff, handover.from_staff, handover.on) == (rm.staff, km.staff, yesterday)
    assert handover.warm and handover.completeness >= 60
    candidate.refresh_from_db()
    assert candidate.status == JourneyStatus.HANDED_OVER
    assert candidate.consultant == rm.staff and candidate.handed_over_at == yesterday
    episode = ServiceEpisode.objects.get(candidate=candidate, end__isnull=True)
    assert episode.start == yesterday

    # Who and when stay visible on the page.
    html = client.get(url).content.decode()
    assert yesterday.strftime("%d-%m-%Y") in html and str(rm.staff) in html


def test_handover_refused_by_the_service_shows_the_missing_list(
    regions, km, rm, login, monkeypatch
):
    candidate = make_candidate(regions["own"], client_manager=km.staff)

    def refuse(candidate: Candidate, **kwargs: Any) -> None:
        raise IncompleteProfile(candidate, ["education_level"])

    monkeypatch.setattr("werkbrug.candidates.services.hand_over", refuse)
    response = login(km).post(
        reverse("candidates:handover", kwargs={"uuid": candidate.uuid}),
        {"to_staff": rm.staff.uuid, "on": timezone.localdate()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["refused"]
    assert [m["code"] for m in response.context["missing"]] == ["education_level"]
    assert nl("Highest education completed") in html


def test_receiver_must_be_a_relationship_manager_of_the_region(regions, people, km, login):
    candidate = make_candidate(regions["own"], client_manager=km.staff)
    response = login(km).post(
        reverse("candidates:handover", kwargs={"uuid": candidate.uuid}),
        {"to_staff": people["other_region_rm"].staff.uuid, "on": timezone.localdate()},
    )
    assert response.status_code == 200
    assert "to_staff" in response.context["form"].errors
    assert not Handover.objects.exists()


def test_candidate_of_another_municipality_is_not_found(regions, km, login):
    other = make_candidate(regions["own"], municipality=regions["own"]["municipalities"][1])
    response = login(km).get(reverse("candidates:handover", kwargs={"uuid": other.uuid}))
    assert response.status_code == 404


# --- Handing over a file --------------------------------------------------------------------


def test_file_handover_of_a_mixed_file(regions, km, rm, login):
    own = regions["own"]
    ready = [make_candidate(own, client_manager=km.staff, ladder_step=s) for s in (3, 4, 5)]
    incomplete = [
        make_candidate(own, complete=False, client_manager=km.staff, ladder_step=4)
        for _ in range(2)
    ]
    step_six = make_candidate(own, client_manager=km.staff, ladder_step=6)
    wijchen = make_candidate(own, municipality=own["municipalities"][1], ladder_step=4)
    client = login(km)
    url = reverse("candidates:handover_file")

    page = client.get(url)
    assert page.status_code == 200
    names = {row["candidate"].pk for row in page.context["rows"]}
    assert names == {c.pk for c in ready + incomplete}  # steps 3-5 of my municipality
    assert step_six.pk not in names and wijchen.pk not in names
    assert page.context["complete_count"] == 3

    # "Select all" ticks every row without JavaScript.
    picked = client.get(url, {"kies": "alle"})
    assert all(row["checked"] for row in picked.context["rows"])
    chosen = [c.uuid for c in ready + incomplete]
    confirm = client.post(url, {"kandidaat": chosen, "to_staff": rm.staff.uuid, "note": "Werktop"})
    assert confirm.status_code == 200 and confirm.context["confirming"]
    assert confirm.context["chosen_complete"] == 3 and confirm.context["chosen_incomplete"] == 2
    assert not HandoverBatch.objects.exists()

    done = client.post(
        url,
        {"kandidaat": chosen, "to_staff": rm.staff.uuid, "note": "Werktop", "stap": "overdragen"},
    )
    batch = HandoverBatch.objects.get()
    assert done.status_code == 302
    assert done.url == reverse("candidates:handover_batch", kwargs={"uuid": batch.uuid})
    assert batch.handed_over == 3 and len(batch.refused) == 2
    assert set(Candidate.objects.filter(status=JourneyStatus.HANDED_OVER)) == set(ready)

    result = client.get(done.url)
    html = result.content.decode()
    assert result.status_code == 200
    for candidate in incomplete:
        assert candidate.full_name in html
        assert reverse("candidates:handover", kwargs={"uuid": candidate.uuid}) in html
    assert nl("Highest education completed") in html


def test_file_handover_needs_a_choice(regions, km, rm, login):
    make_candidate(regions["own"], client_manager=km.staff, ladder_step=4)
    response = login(km).post(reverse("candidates:handover_file"), {"to_staff": rm.staff.uuid})
    assert response.status_code == 200
    assert "kandidaat" in response.context["form"].errors


def _count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_file_handover_page_has_a_bounded_number_of_queries(regions, km, login):
    own = regions["own"]
    client = login(km)
    url = reverse("candidates:handover_file") + "?kies=alle"

    def add(n: int) -> None:
        for i in range(n):
            candidate = make_candidate(own, client_manager=km.staff, ladder_step=3 + i % 3)
            candidate.wished_occupations.clear()

    add(3)
    few = _count_queries(client, url)
    add(12)
    many = _count_queries(client, url)
    assert many == few


# --- Consent --------------------------------------------------------------------------------


@pytest.fixture
def employer(regions, people, rm) -> Employer:
    own = regions["own"]
    company = Employer.objects.create(
        region=own["region"],
        name="Hoveniersbedrijf Willems",
        municipality=own["municipalities"][0],
        city="Wijchen",
        owner=rm.staff,
    )
    ContactPerson.objects.create(employer=company, name="Henk Willems", user=people["werkgever"])
    return company


def test_consent_is_granted_and_withdrawn_and_the_employer_loses_sight_at_once(
    regions, people, km, employer, login
):
    candidate = make_candidate(regions["own"], client_manager=km.staff)
    employer_actor = access.actor_for(people["werkgever"])
    client = login(km)
    url = reverse("candidates:consent_add", kwargs={"uuid": candidate.uuid})

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert nl(CONSENT_EXPLANATIONS[ConsentScope.REGIONAL_POOL]) in html  # plain explanation
    assert 'value="portaal"' not in html  # staff record consent given outside the portal

    missing = client.post(url, {"scope": "delen_met_werkgever", "via": "telefoon"})
    assert missing.status_code == 200 and "employer" in missing.context["form"].errors

    granted = client.post(
        url, {"scope": "delen_met_werkgever", "employer": employer.uuid, "via": "persoonlijk"}
    )
    assert granted.status_code == 302
    consent = Consent.objects.get(candidate=candidate, withdrawn_at__isnull=True)
    assert consent.employer == employer and consent.granted_via == "persoonlijk"
    assert access.scoped(Candidate, employer_actor).filter(pk=candidate.pk).exists()

    withdraw = reverse(
        "candidates:consent_withdraw", kwargs={"uuid": candidate.uuid, "item": consent.uuid}
    )
    confirm = client.get(withdraw)
    assert confirm.status_code == 200
    assert confirm.context["consent"] == consent
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # a GET changes nothing

    done = client.post(withdraw, {"via": "telefoon"})
    assert done.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_via == "telefoon"
    assert not access.scoped(Candidate, employer_actor).filter(pk=candidate.pk).exists()


# --- Contact and appointment ---------------------------------------------------------------


def test_contact_and_appointment(regions, km, login):
    candidate = make_candidate(regions["own"], client_manager=km.staff)
    client = login(km)
    at = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        reverse("candidates:contact_add", kwargs={"uuid": candidate.uuid}),
        {
            "at": at.strftime("%Y-%m-%dT%H:%M"),
            "channel": "telefoon",
            "summary": "Gebeld over de startbijeenkomst.",
            "agreements": "Komt dinsdag langs.",
        },
    )
    assert response.status_code == 302
    assert CandidateContact.objects.get(candidate=candidate).staff == km.staff
    candidate.refresh_from_db()
    assert candidate.last_contact_at is not None

    url = reverse("candidates:appointment_add", kwargs={"uuid": candidate.uuid})
    past = client.post(
        url,
        {
            "starts_at": at.strftime("%Y-%m-%dT%H:%M"),
            "minutes": 30,
            "subject": "Intake",
            "location": "Stadhuis",
        },
    )
    assert past.status_code == 200 and "starts_at" in past.context["form"].errors
    future = timezone.localtime() + dt.timedelta(days=2)
    ok = client.post(
        url,
        {
            "starts_at": future.strftime("%Y-%m-%dT%H:%M"),
            "minutes": 30,
            "subject": "Intake",
            "location": "Stadhuis",
        },
    )
    assert ok.status_code == 302 and Appointment.objects.filter(candidate=candidate).exists()


# --- Return (terugmelding) -----------------------------------------------------------------


def test_return_needs_explanation_and_next_step_and_is_acknowledged(regions, km, rm, login):
    candidate = make_candidate(
        regions["own"],
        client_manager=km.staff,
        consultant=rm.staff,
        status=JourneyStatus.CONTACTED,
    )
    ServiceEpisode.objects.create(candidate=candidate, start=months_ago(25))
    consultant = login(rm)
    url = reverse("candidates:return_add", kwargs={"uuid": candidate.uuid})

    page = consultant.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["months"] == 25 and nl("maximum term reached") in html
    assert "Kandidaat is structureel niet plaatsbaar" in html
    assert "Loonkostensubsidie" in html

    empty = consultant.post(url, {"reason": "tijdelijk_niet_plaatsbaar"})
    assert empty.status_code == 200
    errors = empty.context["form"].errors
    assert "explanation" in errors and "recommended_next_step" in errors
    assert not Return.objects.exists()

    sent = consultant.post(
        url,
        {
            "reason": "tijdelijk_niet_plaatsbaar",
            "explanation": "Mantelzorg voor moeder, nu geen ruimte voor werk.",
            "instruments": ["Jobcoach", "Proefplaatsing"],
            "instruments_other": "Stage bij de gemeente",
            "recommended_next_step": "Over zes maanden opnieuw aanmelden.",
        },
    )
    assert sent.status_code == 302
    ret = Return.objects.get()
    assert ret.receiver == km.staff and ret.service_months == 25
    assert ret.instruments_tried == ["Jobcoach", "Proefplaatsing", "Stage bij de gemeente"]

    municipality = login(km)
    returns = municipality.get(reverse("candidates:returns"))
    html = returns.content.decode()
    assert returns.status_code == 200
    assert [r.pk for r in returns.context["mine"]] == [ret.pk]
    assert "Kandidaat is tijdelijk niet plaatsbaar" in html
    assert "Mantelzorg voor moeder" in html and "Stage bij de gemeente" in html
    assert str(rm.staff) in html  # R18: the consultant is named
    assert reverse("candidates:detail", kwargs={"uuid": candidate.uuid}) in html

    ack_url = reverse("candidates:return_ack", kwargs={"uuid": ret.uuid})
    assert municipality.get(ack_url).status_code == 405
    assert login(rm).post(ack_url).status_code == 403  # only the municipality acknowledges
    done = municipality.post(ack_url)
    assert done.status_code == 302
    ret.refresh_from_db()
    assert ret.acknowledged_at is not None and ret.acknowledged_by == km.staff
    after = municipality.get(reverse("candidates:returns"))
    assert after.context["mine"] == [] and [r.pk for r in after.context["recent"]] == [ret.pk]


# --- Signals --------------------------------------------------------------------------------


def test_signal_is_decided_and_the_reporter_sees_the_decision(regions, km, rm, login):
    candidate = make_candidate(
        regions["own"], client_manager=km.staff, consultant=rm.staff, status="contacted"
    )
    reporter = login(rm)
    sent = reporter.post(
        reverse("candidates:signal_add", kwargs={"uuid": candidate.uuid}),
        {
            "kind": "niet_verschenen",
            "occurred_on": timezone.localdate(),
            "description": "Niet verschenen op het sollicitatiegesprek bij Jumbo.",
        },
    )
    assert sent.status_code == 302
    signal = Signal.objects.get()

    municipality = login(km)
    pending = municipality.get(reverse("candidates:signals"))
    assert [s.pk for s in pending.context["pending"]] == [signal.pk]
    decide = reverse("candidates:signal_decide", kwargs={"uuid": signal.uuid})
    assert decide in pending.content.decode()
    assert reporter.get(decide).status_code == 403  # the reporter does not decide

    no_note = municipality.post(decide, {"decision": "waarschuwing", "decided_on": "2020-01-01"})
    assert no_note.status_code == 200 and "note" in no_note.context["form"].errors
    done = municipality.post(
        decide,
        {
            "decision": "waarschuwing",
            "note": "Eerste keer; schriftelijke waarschuwing.",
            "decided_on": timezone.localdate(),
        },
    )
    assert done.status_code == 302
    signal.refresh_from_db()
    assert signal.decision == "waarschuwing" and signal.decided_by == km.staff

    seen = reporter.get(reverse("candidates:signals"))
    html = seen.content.decode()
    assert [s.pk for s in seen.context["decided"]] == [signal.pk]
    assert nl("Warning") in html and "schriftelijke waarschuwing" in html


# --- Data quality ---------------------------------------------------------------------------


def test_data_quality_counts_and_drill_down(regions, people, km, rm, login):
    own = regions["own"]
    no_education = make_candidate(own, client_manager=km.staff, education_level=None)
    not_seen = make_candidate(
        own, client_manager=km.staff, consultant=rm.staff, status=JourneyStatus.HANDED_OVER
    )
    long_in_service = make_candidate(own, client_manager=km.staff, last_contact_at=timezone.now())
    ServiceEpisode.objects.create(candidate=long_in_service, start=months_ago(13))
    veteran = make_candidate(own, client_manager=km.staff)
    ServiceEpisode.objects.create(candidate=veteran, start=months_ago(26))
    expired = make_candidate(own, client_manager=km.staff)
    TargetGroupMembership.objects.create(
        candidate=expired,
        group="banenafspraak",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2022, 1, 1),
    )
    client = login(people["teamleider"])

    page = client.get(reverse("candidates:quality"))
    assert page.status_code == 200
    counts = {card["check"]: card["count"] for card in page.context["cards"]}
    assert counts == {
        "onvolledig": 1,
        "niet_gezien": 1,
        "geen_opleiding": 1,
        "doelgroep_verlopen": 1,
        "termijn": 2,
    }
    html = page.content.decode()
    assert "42%" in html and "Kandidatenverkenner" in html
    alerts = {a["episode"].candidate_id: a for a in page.context["alerts"]}
    assert alerts[long_in_service.pk]["months"] == 13
    assert not alerts[long_in_service.pk]["max_reached"]
    assert alerts[veteran.pk]["max_reached"]

    drill = client.get(reverse("candidates:quality_check", kwargs={"check": "geen_opleiding"}))
    assert [r["candidate"].pk for r in drill.context["rows"]] == [no_education.pk]
    assert reverse("candidates:detail", kwargs={"uuid": no_education.uuid}) in (
        drill.content.decode()
    )
    seen = client.get(reverse("candidates:quality_check", kwargs={"check": "niet_gezien"}))
    assert [r["candidate"].pk for r in seen.context["rows"]] == [not_seen.pk]
    assert str(rm.staff) in seen.content.decode()
    unknown = client.get(reverse("candidates:quality_check", kwargs={"check": "onbekend"}))
    assert unknown.status_code == 404
    assert login(km).get(reverse("candidates:quality")).status_code == 403


def test_data_quality_drill_down_has_a_bounded_number_of_queries(regions, people, login):
    own = regions["own"]
    client = login(people["teamleider"])
    url = reverse("candidates:quality_check", kwargs={"check": "onvolledig"})
    for _ in range(3):
        make_candidate(own, complete=False)
    few = _count_queries(client, url)
    for _ in range(15):
        make_candidate(own, complete=False)
    assert _count_queries(client, url) == few


# --- The region's candidate norms ----------------------------------------------------------


def test_policy_form_validates_and_refuses_a_stale_edit(regions, people, login):
    client = login(people["beheerder"])
    url = reverse("candidates:policy")
    assert client.get(url).status_code == 200
    valid = {
        "weeks_without_contact": 4,
        "first_alert_months": 12,
        "max_term_months": 24,
        "profile_stale_months": 6,
    }

    wrong = client.post(url, {**valid, "first_alert_months": 30})
    assert wrong.status_code == 200 and "first_alert_months" in wrong.context["form"].errors
    too_many = client.post(url, {**valid, "weeks_without_contact": 0})
    assert "weeks_without_contact" in too_many.context["form"].errors
    assert not CandidatePolicy.objects.exists()

    saved = client.post(url, valid)
    assert saved.status_code == 302
    policy = CandidatePolicy.objects.get(region=regions["own"]["region"])
    assert policy.weeks_without_contact == 4

    form = client.get(url).context["form"]
    version = form["version"].value()
    assert client.post(
        url, {**valid, "weeks_without_contact": 5, "version": version}
    ).status_code == (302)
    stale = client.post(url, {**valid, "weeks_without_contact": 8, "version": version})
    assert stale.status_code == 200
    assert [e.code for e in stale.context["form"].non_field_errors().as_data()] == ["stale"]
    policy.refresh_from_db()
    assert policy.weeks_without_contact == 5
    assert login(people["teamleider"]).get(url).status_code == 403


# --- Daily alerts for consultants ----------------------------------------------------------


def test_consultants_get_one_daily_alert_mail(
    regions, people, km, rm, django_capture_on_commit_callbacks
):
    import io

    from django.core import mail
    from django.core.management import call_command

    from werkbrug.candidates import alerts
    from werkbrug.candidates.selectors import _months_back

    own = regions["own"]
    today = timezone.localdate()
    unseen = make_candidate(own, client_manager=km.staff, consultant=rm.staff, status="handed_over")
    seen = {"consultant": rm.staff, "status": "contacted", "last_contact_at": timezone.now()}
    one_year = make_candidate(own, client_manager=km.staff, **seen)
    ServiceEpisode.objects.create(candidate=one_year, start=_months_back(today, 12))
    two_years = make_candidate(own, client_manager=km.staff, **seen)
    ServiceEpisode.objects.create(candidate=two_years, start=_months_back(today, 24))
    quiet = make_candidate(own, client_manager=km.staff, **seen)
    ServiceEpisode.objects.create(candidate=quiet, start=_months_back(today, 13))

    with django_capture_on_commit_callbacks(execute=True):  # the mail goes on commit
        assert alerts.send(on=today) == 1
    (message,) = mail.outbox
    assert message.to == [rm.email]
    assert unseen.full_name in message.body and "nog geen contact" in message.body
    assert one_year.full_name in message.body and two_years.full_name in message.body
    assert quiet.full_name not in message.body
    assert "terugmelden" in message.body

    # One a day: the command run again today sends nothing more; tomorrow's run does.
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send-candidate-alerts", stdout=out)
    assert out.getvalue().startswith("0 kandidaatsignalering") and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send(on=today + dt.timedelta(days=1)) == 1
    assert len(mail.outbox) == 2
