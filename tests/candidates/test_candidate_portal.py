"""The candidate portal ("Mijn profiel") and the employer's view of shared candidates.

A candidate sees and edits only their own record; a consent withdrawn in the portal takes
the employer's access away on the very next request; limitations reach an employer only with
both consents; appointments download as valid iCalendar files.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests_support import make_person
from werkbrug.candidates import ics, services
from werkbrug.candidates.models import (
    Appointment,
    Candidate,
    Consent,
    ConsentChannel,
    ConsentScope,
    HealthProfile,
    LimitationNature,
    WorkExperience,
)
from werkbrug.core import access
from werkbrug.core.bsn import protect_bsn
from werkbrug.core.models import ChangeLogEntry
from werkbrug.core.roles import Role
from werkbrug.employers.models import ContactPerson, Employer
from werkbrug.regions.models import Staff
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, WorkKind

pytestmark = pytest.mark.django_db

BSN = "111222333"


def make_candidate(place, user, *, first, last, bsn, **extra):
    protected = protect_bsn(bsn)
    return Candidate.objects.create(
        region=place["region"],
        municipality=place["municipalities"][0],
        user=user,
        bsn_pseudonym=protected.pseudonym,
        bsn_encrypted=protected.encrypted,
        first_name=first,
        last_name=last,
        birth_date=dt.date(1988, 3, 14),
        **extra,
    )


@pytest.fixture
def world(regions, people):
    own = regions["own"]
    client_manager = Staff.objects.get(user=people["klantmanager"])
    consultant = Staff.objects.get(user=people["relatiemanager"])
    consultant.phone = "+31243291234"
    consultant.save()
    fatima = make_candidate(
        own,
        people["kandidaat"],
        first="Fatima",
        last="El Amrani",
        bsn=BSN,
        street="Molenstraat 12",
        postcode="6511 HJ",
        city="Nijmegen",
        talents="Ik werk netjes en ben altijd op tijd.",
        client_manager=client_manager,
        consultant=consultant,
        hours_available=24,
        benefit_type="pw_bijstand",
    )
    other_user = make_person("kandidaat_twee", Role.CANDIDATE, None)
    piet = make_candidate(own, other_user, first="Piet", last="Jansen", bsn="123456782")
    employer = Employer.objects.create(
        region=own["region"],
        name="Hoveniersbedrijf Willems",
        municipality=own["municipalities"][1],
        owner=consultant,
    )
    ContactPerson.objects.create(
        employer=employer, name="Henk Willems", user=people["werkgever"], email="h@example.nl"
    )
    consultant_actor = access.actor_for(people["relatiemanager"])
    share = services.grant_consent(
        fatima,
        actor=consultant_actor,
        scope=ConsentScope.SHARE_WITH_EMPLOYER,
        via=ConsentChannel.IN_PERSON,
        employer=employer,
    )
    return {
        "fatima": fatima,
        "piet": piet,
        "piet_user": other_user,
        "employer": employer,
        "share": share,
        "consultant": consultant,
        "client_manager": client_manager,
        "consultant_actor": consultant_actor,
    }


@pytest.fixture
def login(login):
    """Logged-in clients that read the English source texts (the Dutch ones come later)."""

    def _login(user):
        client = login(user)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


def _fresh_actor(user):
    """A new Actor (the cached one lives on the user object of one request)."""
    user.__dict__.pop("_werkbrug_actor", None)
    return access.actor_for(user)


# --- Who may see what -------------------------------------------------------------------------


def test_the_portal_shows_the_own_profile_with_who_helps(world, people, login):
    response = login(people["kandidaat"]).get(reverse("candidates:portal"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ik werk netjes" in html
    assert str(world["consultant"]) in html
    assert "+31243291234" in html
    assert "Piet" not in html
    assert BSN not in html


def test_a_candidate_user_without_a_record_gets_404(world, people, login):
    lonely = make_person("kandidaat_los", Role.CANDIDATE, None)
    client = login(lonely)
    for name in ("portal", "portal_edit", "portal_consent", "portal_appointments"):
        assert client.get(reverse(f"candidates:{name}")).status_code == 404


@pytest.mark.parametrize("role", ["werkgever", "klantmanager", "relatiemanager", "beheerder"])
def test_portal_pages_are_forbidden_for_other_roles(world, people, login, role):
    client = login(people[role])
    for name in ("portal", "portal_edit", "portal_consent", "portal_appointments"):
        assert client.get(reverse(f"candidates:{name}")).status_code == 403
    assert client.get(reverse("candidates:portal_export_json")).status_code == 403


def test_a_candidate_may_not_open_the_employer_pages(world, people, login):
    client = login(people["kandidaat"])
    assert client.get(reverse("candidates:employer_shared")).status_code == 403
    url = reverse("candidates:employer_shared_detail", kwargs={"uuid": world["fatima"].uuid})
    assert client.get(url).status_code == 403


def test_another_candidates_records_are_404(world, people, login):
    piet = world["piet"]
    appointment = Appointment.objects.create(
        candidate=piet,
        starts_at=timezone.now() + dt.timedelta(days=2),
        subject="Gesprek",
        location="Stadswinkel",
        staff=world["consultant"],
    )
    consent = services.grant_consent(
        piet,
        actor=world["consultant_actor"],
        scope=ConsentScope.REGIONAL_POOL,
        via=ConsentChannel.IN_PERSON,
    )
    experience = WorkExperience.objects.create(candidate=piet, role="Schilder")
    client = login(people["kandidaat"])
    ics_url = reverse("candidates:portal_appointment_ics", kwargs={"item": appointment.uuid})
    assert client.get(ics_url).status_code == 404
    withdraw = reverse("candidates:portal_consent_withdraw", kwargs={"item": consent.uuid})
    assert client.get(withdraw).status_code == 404
    assert client.post(withdraw).status_code == 404
    consent.refresh_from_db()
    assert consent.in_force
    response = client.post(
        reverse("candidates:portal_edit"), {"onderdeel": "ervaring_weg", "item": experience.uuid}
    )
    assert response.status_code == 404
    assert WorkExperience.objects.filter(pk=experience.pk).exists()
    # The employer-side detail page of another person is not reachable for a candidate either.
    assert access.scoped(Candidate, _fresh_actor(people["kandidaat"])).get() == world["fatima"]


# --- Editing ----------------------------------------------------------------------------------


def _profile_post(candidate, **changes):
    data = {
        "onderdeel": "profiel",
        "version": candidate.version,
        "talents": candidate.talents,
        "hours_available": candidate.hours_available or "",
        "phone": candidate.phone,
        "email": candidate.email,
    }
    data.update(changes)
    return data


def test_the_candidate_edits_their_wishes_and_it_is_audited(world, people, login):
    fatima = world["fatima"]
    cleaning = Occupation.objects.create(
        isco_code="9112",
        uri="werkbrug:occupation:test-schoonmaker",
        label="Schoonmaker",
        work_kind=WorkKind.CLEANING,
        source="curated",
    )
    task = Skill.objects.create(
        uri="werkbrug:skill:test-dweilen", label="Dweilen", source="curated"
    )
    OccupationSkill.objects.create(occupation=cleaning, skill=task)
    client = login(people["kandidaat"])
    page = client.get(reverse("candidates:portal_edit"))
    assert page.status_code == 200
    assert "Dweilen" in page.content.decode()
    form = page.context["form"]
    assert form["talents"].value() == fatima.talents  # the form opens with what is stored
    assert form["version"].value() == fatima.version
    response = client.post(
        reverse("candidates:portal_edit"),
        _profile_post(
            fatima,
            wished_hours_min="16",
            wished_hours_max="24",
            max_travel_minutes="30",
            wished_work_kinds=[WorkKind.CLEANING],
            wished_occupations=[str(cleaning.pk)],
            skills=[str(task.pk)],
            driving_licence="nee",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    fatima.refresh_from_db()
    assert (fatima.wished_hours_min, fatima.wished_hours_max) == (16, 24)
    assert fatima.max_travel_minutes == 30
    assert fatima.wished_work_kinds == [WorkKind.CLEANING]
    assert fatima.driving_licence is False
    assert list(fatima.wished_occupations.all()) == [cleaning]
    assert list(fatima.skills.all()) == [task]
    entry = next(
        e
        for e in ChangeLogEntry.objects.filter(object_uuid=fatima.uuid).order_by("-at", "-id")
        if "wished_hours_min" in e.changed_fields
    )
    assert entry.user == people["kandidaat"]
    assert entry.postchange["wished_hours_min"] == 16
    home = client.get(reverse("candidates:portal")).content.decode()
    assert "Schoonmaker" in home and "Dweilen" in home


def test_a_stale_version_is_refused_with_a_clear_message(world, people, login):
    fatima = world["fatima"]
    stale = fatima.version
    services.update_candidate(
        fatima,
        actor=_fresh_actor(people["klantmanager"]),
        data={"hours_available": 32},
    )
    response = login(people["kandidaat"]).post(
        reverse("candidates:portal_edit"),
        _profile_post(fatima, version=stale, hours_available="8"),
    )
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors().as_data()
    assert [e.code for e in errors] == ["stale"]
    assert "Someone else saved" in response.content.decode()
    fatima.refresh_from_db()
    assert fatima.hours_available == 32


def test_errors_are_named_next_to_the_field(world, people, login):
    fatima = world["fatima"]
    response = login(people["kandidaat"]).post(
        reverse("candidates:portal_edit"),
        _profile_post(fatima, wished_hours_min="30", wished_hours_max="10", phone="bel me"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "wished_hours_max" in form.errors
    html = response.content.decode()
    assert 'id="id_wished_hours_max_error"' in html
    assert "&#x27;At most&#x27; cannot be less than &#x27;at least&#x27;." in html
    fatima.refresh_from_db()
    assert fatima.wished_hours_min is None


def test_the_phone_number_is_checked_by_the_service(world, people, login):
    fatima = world["fatima"]
    response = login(people["kandidaat"]).post(
        reverse("candidates:portal_edit"), _profile_post(fatima, phone="bel me maar")
    )
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors


def test_languages_and_experience_are_edited_in_the_portal(world, people, login):
    fatima = world["fatima"]
    client = login(people["kandidaat"])
    url = reverse("candidates:portal_edit")
    response = client.post(
        url,
        {
            "onderdeel": "talen",
            "talen-TOTAL_FORMS": "3",
            "talen-INITIAL_FORMS": "0",
            "talen-0-language": "Nederlands",
            "talen-0-level": "B1",
            "talen-1-language": "arabisch",
            "talen-1-level": "moedertaal",
            "talen-2-language": "",
            "talen-2-level": "",
        },
    )
    assert response.status_code == 302
    assert sorted(fatima.languages.values_list("language", flat=True)) == [
        "Arabisch",
        "Nederlands",
    ]
    missing_level = client.post(
        url,
        {
            "onderdeel": "talen",
            "talen-TOTAL_FORMS": "1",
            "talen-INITIAL_FORMS": "0",
            "talen-0-language": "Engels",
            "talen-0-level": "",
        },
    )
    assert missing_level.status_code == 400
    assert "Choose how well" in missing_level.content.decode()

    response = client.post(
        url,
        {
            "onderdeel": "ervaring",
            "ervaring-role": "Vakkenvuller",
            "ervaring-employer_name": "Jumbo",
            "ervaring-from_year": "2019",
            "ervaring-to_year": "2021",
            "ervaring-paid": "on",
        },
    )
    assert response.status_code == 302
    row = WorkExperience.objects.get(candidate=fatima)
    assert row.role == "Vakkenvuller"
    response = client.post(url, {"onderdeel": "ervaring_weg", "item": row.uuid})
    assert response.status_code == 302
    assert not WorkExperience.objects.filter(candidate=fatima).exists()


def test_the_candidate_confirms_the_profile(world, people, login):
    client = login(people["kandidaat"])
    assert (
        "not checked your profile yet" in client.get(reverse("candidates:portal")).content.decode()
    )
    assert client.post(reverse("candidates:portal")).status_code == 302
    world["fatima"].refresh_from_db()
    assert world["fatima"].profile_confirmed_at is not None
    assert "You last said" in client.get(reverse("candidates:portal")).content.decode()


# --- Consent ----------------------------------------------------------------------------------


def test_withdrawing_consent_takes_the_employers_access_away_at_once(world, people, login):
    fatima = world["fatima"]
    employer_client = login(people["werkgever"])
    detail = reverse("candidates:employer_shared_detail", kwargs={"uuid": fatima.uuid})
    assert employer_client.get(detail).status_code == 200
    assert "Fatima" in employer_client.get(reverse("candidates:employer_shared")).content.decode()

    candidate_client = login(people["kandidaat"])
    consent_page = candidate_client.get(reverse("candidates:portal_consent")).content.decode()
    assert "Hoveniersbedrijf Willems" in consent_page
    url = reverse("candidates:portal_consent_withdraw", kwargs={"item": world["share"].uuid})
    confirm = candidate_client.get(url)
    assert confirm.status_code == 200
    assert "Do you want to stop this?" in confirm.content.decode()
    world["share"].refresh_from_db()
    assert world["share"].in_force  # the confirmation page changes nothing

    assert candidate_client.post(url).status_code == 302
    world["share"].refresh_from_db()
    assert world["share"].withdrawn_at is not None
    assert world["share"].withdrawn_via == ConsentChannel.PORTAL
    assert world["share"].withdrawn_by == people["kandidaat"]

    # The very next request of the employer: gone from the page, the list and the scope.
    assert employer_client.get(detail).status_code == 404
    listing = employer_client.get(reverse("candidates:employer_shared")).content.decode()
    assert "Fatima" not in listing
    assert "At the moment no candidates share their profile" in listing
    assert not access.scoped(Candidate, _fresh_actor(people["werkgever"])).exists()
    history = candidate_client.get(reverse("candidates:portal_consent")).content.decode()
    assert "stopped" in history


def test_limitations_reach_the_employer_only_with_both_consents(world, people, login):
    fatima = world["fatima"]
    HealthProfile.objects.create(
        candidate=fatima,
        has_limitation=True,
        nature=LimitationNature.PHYSICAL,
        limitations="Kan niet zwaar tillen.",
        adjustments_needed="Een werkplek waar ik kan zitten.",
    )
    employer_client = login(people["werkgever"])
    detail = reverse("candidates:employer_shared_detail", kwargs={"uuid": fatima.uuid})
    html = employer_client.get(detail).content.decode()
    assert "Kan niet zwaar tillen" not in html
    assert not access.scoped(HealthProfile, _fresh_actor(people["werkgever"])).exists()

    disclose = services.grant_consent(
        fatima,
        actor=world["consultant_actor"],
        scope=ConsentScope.DISCLOSE_LIMITATIONS,
        via=ConsentChannel.IN_PERSON,
        employer=world["employer"],
    )
    html = employer_client.get(detail).content.decode()
    assert "Kan niet zwaar tillen" in html
    assert "Een werkplek waar ik kan zitten" in html
    assert access.scoped(HealthProfile, _fresh_actor(people["werkgever"])).exists()

    # Withdrawing the share consent in the portal also stops the disclosure.
    candidate_client = login(people["kandidaat"])
    url = reverse("candidates:portal_consent_withdraw", kwargs={"item": world["share"].uuid})
    assert (
        "also no longer read about your limitations" in candidate_client.get(url).content.decode()
    )
    candidate_client.post(url)
    disclose.refresh_from_db()
    assert not disclose.in_force
    assert employer_client.get(detail).status_code == 404
    assert not access.scoped(HealthProfile, _fresh_actor(people["werkgever"])).exists()


def test_the_employer_never_sees_identity_or_case_data(world, people, login):
    fatima = world["fatima"]
    services.add_target_group(
        fatima,
        actor=_fresh_actor(people["klantmanager"]),
        data={"group": "banenafspraak"},
    )
    html = (
        login(people["werkgever"])
        .get(reverse("candidates:employer_shared_detail", kwargs={"uuid": fatima.uuid}))
        .content.decode()
    )
    assert "Fatima El Amrani" in html
    assert "Ik werk netjes" in html
    for secret in (BSN, "Molenstraat", "6511", "1988", "14-03", "bijstand", "banenafspraak"):
        assert secret not in html.lower(), secret
    assert "Target-group register" not in html


def test_the_employer_sees_a_plain_empty_state(world, people, login):
    services.withdraw_consent(
        world["share"], actor=world["consultant_actor"], via=ConsentChannel.PHONE
    )
    html = login(people["werkgever"]).get(reverse("candidates:employer_shared")).content.decode()
    assert "At the moment no candidates share their profile with your company" in html


def test_the_candidate_gives_regional_consent_and_regrants_an_employer(world, people, login):
    fatima = world["fatima"]
    client = login(people["kandidaat"])
    url = reverse("candidates:portal_consent")
    assert client.post(url, {"actie": "regio"}).status_code == 302
    regional = Consent.objects.get(candidate=fatima, scope=ConsentScope.REGIONAL_POOL)
    assert regional.in_force and regional.granted_via == ConsentChannel.PORTAL
    assert regional.granted_by == people["kandidaat"]

    services.withdraw_consent(
        world["share"], actor=_fresh_actor(people["kandidaat"]), via=ConsentChannel.PORTAL
    )
    page = client.get(url).content.decode()
    assert "Yes, I agree again" in page
    client.post(url, {"actie": "opnieuw", "item": world["share"].uuid})
    again = Consent.objects.get(
        candidate=fatima, scope=ConsentScope.SHARE_WITH_EMPLOYER, withdrawn_at__isnull=True
    )
    assert again.employer == world["employer"]
    # A consent of another candidate cannot be "given again" through this page.
    piet_consent = services.grant_consent(
        world["piet"],
        actor=world["consultant_actor"],
        scope=ConsentScope.SHARE_WITH_EMPLOYER,
        via=ConsentChannel.IN_PERSON,
        employer=world["employer"],
    )
    services.withdraw_consent(piet_consent, actor=world["consultant_actor"], via="telefoon")
    assert client.post(url, {"actie": "opnieuw", "item": piet_consent.uuid}).status_code == 404


# --- Appointments and the calendar file -------------------------------------------------------


def test_appointments_page_and_calendar_file(world, people, login):
    fatima = world["fatima"]
    start = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    coming = Appointment.objects.create(
        candidate=fatima,
        starts_at=start,
        minutes=45,
        subject="Kennismaking; met koffie, en een rondleiding",
        location="Werkbedrijf, Mariënburg 75, Nijmegen",
        staff=world["consultant"],
    )
    Appointment.objects.create(
        candidate=fatima,
        starts_at=start + dt.timedelta(days=1),
        subject="Afgezegd gesprek",
        location="Stadswinkel",
        staff=world["consultant"],
        cancelled=True,
    )
    Appointment.objects.create(
        candidate=fatima,
        starts_at=timezone.now() - dt.timedelta(days=20),
        subject="Eerste gesprek",
        location="Stadswinkel",
        staff=world["client_manager"],
    )
    client = login(people["kandidaat"])
    html = client.get(reverse("candidates:portal_appointments")).content.decode()
    assert "Kennismaking" in html and "Eerste gesprek" in html
    assert "Afgezegd gesprek" not in html
    assert html.count(".ics") == 1

    response = client.get(
        reverse("candidates:portal_appointment_ics", kwargs={"item": coming.uuid})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert re.match(
        r'attachment; filename="afspraak-\d{4}-\d{2}-\d{2}\.ics"', response["Content-Disposition"]
    )
    text = response.content.decode("utf-8")
    _check_structure(text)
    props = dict(ics.parse_properties(text))
    assert props["DTSTART"] == start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert props["DTEND"] == (start + dt.timedelta(minutes=45)).astimezone(dt.UTC).strftime(
        "%Y%m%dT%H%M%SZ"
    )
    assert props["SUMMARY"] == "Kennismaking\\; met koffie\\, en een rondleiding"
    assert ics.unescape_text(props["LOCATION"]) == "Werkbedrijf, Mariënburg 75, Nijmegen"
    assert str(world["consultant"]) in ics.unescape_text(props["DESCRIPTION"])
    assert props["UID"] == f"{coming.uuid}@werkbrug"


def _check_structure(text: str) -> None:
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    names = [name for name, _ in ics.parse_properties(text)]
    assert names[:2] == ["BEGIN", "VERSION"]
    assert names.count("BEGIN") == names.count("END") == 2
    for required in ("PRODID", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert required in names
    values = dict(ics.parse_properties(text))
    assert values["BEGIN"] in ("VCALENDAR", "VEVENT")


def _event(summary: str, location: str = "", description: str = "") -> ics.Event:
    start = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    return ics.Event(
        uid="abc@werkbrug",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=45),
        summary=summary,
        location=location,
        description=description,
    )


NOW = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)


def test_ics_times_are_utc_and_long_lines_are_folded():
    text = ics.event_ics(
        _event("Gesprek " * 30, "Mariënburg 75", "Regel één\nRegel twee; met, tekens\\"), now=NOW
    )
    _check_structure(text)
    assert "DTSTART:20260302T083000Z\r\n" in text
    assert "DTSTAMP:20260201T120000Z\r\n" in text
    assert "\r\n " in text  # folded
    props = dict(ics.parse_properties(text))
    assert props["DESCRIPTION"] == "Regel één\\nRegel twee\\; met\\, tekens\\\\"
    assert ics.unescape_text(props["SUMMARY"]) == "Gesprek " * 30


def test_folding_never_splits_a_utf8_character():
    text = ics.event_ics(_event("ë" * 100 + "😀" * 30), now=NOW)
    for line in text.split("\r\n"):
        line.encode("utf-8").decode("utf-8")  # whole characters only
        assert len(line.encode("utf-8")) <= 75


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        ics.utc_stamp(dt.datetime(2026, 1, 1, 9, 0))


@settings(max_examples=200, deadline=None)
@given(summary=st.text(), location=st.text())
def test_any_text_round_trips_through_unfold_and_unescape(summary, location):
    text = ics.event_ics(_event(summary or "x", location), now=NOW)
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    props = dict(ics.parse_properties(text))
    assert ics.unescape_text(props["SUMMARY"]) == ics.clean_text(summary or "x")
    if ics.clean_text(location):
        assert ics.unescape_text(props["LOCATION"]) == ics.clean_text(location)
