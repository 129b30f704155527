"""The employer portal: an employer's contact person sees only their own company, offers work
and asks questions in plain words, and sees who helps them (one face with a named backup).
No candidate data, no other companies, no staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.core import home
from werkbrug.employers import portal, portal_panels
from werkbrug.employers.models import (
    ContactPerson,
    Employer,
    EmployerQuestion,
    OpportunityStatus,
    OpportunityStatusChange,
    WorkOpportunity,
)
from werkbrug.regions.models import Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(regions, people):
    own = regions["own"]
    rm = people["relatiemanager"].staff
    rm.phone = "+31243291234"
    rm.save()
    colleague = Staff.objects.get(user=people["teamleider"])
    mine = Employer.objects.create(
        region=own["region"],
        name="Hoveniersbedrijf Willems",
        municipality=own["municipalities"][1],
        street="Touwslagersbaan 41",
        postcode="6602 AB",
        city="Wijchen",
        owner=rm,
        substitute=colleague,
    )
    other = Employer.objects.create(
        region=own["region"],
        name="Bakkerij De Korenschoof",
        municipality=own["municipalities"][0],
        owner=rm,
    )
    henk = ContactPerson.objects.create(
        employer=mine,
        name="Henk Willems",
        role="eigenaar",
        user=people["werkgever"],
        email="henk@example.nl",
    )
    return {"mine": mine, "other": other, "rm": rm, "colleague": colleague, "henk": henk}


def _opportunity(employer, title, status=OpportunityStatus.OPEN, days_ago=10):
    opened = timezone.localdate() - dt.timedelta(days=days_ago)
    opportunity = WorkOpportunity.objects.create(
        employer=employer,
        title=title,
        tasks=["vakken vullen"],
        status=status,
        opened_on=opened,
    )
    OpportunityStatusChange.objects.create(
        opportunity=opportunity, to_status=OpportunityStatus.OPEN, at=timezone.now()
    )
    return opportunity


def test_a_werkgever_sees_only_their_own_company(place, people, login):
    _opportunity(place["mine"], "Hoveniershulp voor het voorjaar")
    _opportunity(place["other"], "Medewerker bakkerij")
    client = login(people["werkgever"])
    response = client.get(reverse("employers:portal"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hoveniersbedrijf Willems" in html
    assert "Hoveniershulp voor het voorjaar" in html
    assert "Korenschoof" not in html and "Medewerker bakkerij" not in html


def test_the_page_shows_the_contact_person_and_the_substitute(place, people, login):
    html = login(people["werkgever"]).get(reverse("employers:portal")).content.decode()
    assert str(place["rm"]) in html
    assert "+31243291234" in html
    assert people["relatiemanager"].email in html
    assert str(place["colleague"]) in html  # who replaces the contact person when away


def test_another_companys_opportunity_is_404(place, people, login):
    theirs = _opportunity(place["other"], "Medewerker bakkerij")
    mine = _opportunity(place["mine"], "Hoveniershulp")
    client = login(people["werkgever"])
    url = reverse("employers:portal_opportunity", kwargs={"uuid": theirs.uuid})
    assert client.get(url).status_code == 404
    page = client.get(reverse("employers:portal_opportunity", kwargs={"uuid": mine.uuid}))
    assert page.status_code == 200
    plain = page.context["row"]["plain_status"]
    assert plain == portal.PLAIN_STATUS[OpportunityStatus.OPEN]
    assert str(plain) in page.content.decode()


def test_submitted_work_is_an_open_opportunity_of_their_own_company_only(place, people, login):
    client = login(people["werkgever"])
    response = client.post(
        reverse("employers:portal_work"),
        {
            "tasks": "onkruid wieden\ngras maaien\n",
            "places": "2",
            "hours_min": "24",
            "hours_max": "32",
            "start_date": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
            # Forged: the company comes from the user's own link, never from the request.
            "employer": str(place["other"].uuid),
            "employer_id": str(place["other"].pk),
        },
    )
    assert response.status_code == 302
    created = WorkOpportunity.objects.get()
    assert created.employer == place["mine"]
    assert created.status == OpportunityStatus.OPEN
    assert created.tasks == ["onkruid wieden", "gras maaien"]
    assert created.title == "Onkruid wieden"
    assert created.kind == "regulier"
    assert created.location == "Touwslagersbaan 41, Wijchen"
    assert created.status_changes.get().to_status == OpportunityStatus.OPEN
    assert response["Location"] == reverse(
        "employers:portal_opportunity", kwargs={"uuid": created.uuid}
    )
    # Naming another company as the chosen one is refused outright.
    forged = client.post(
        reverse("employers:portal_work"),
        {"tasks": "vakken vullen", "places": "1", "bedrijf": str(place["other"].uuid)},
    )
    assert forged.status_code == 404
    assert WorkOpportunity.objects.count() == 1


def test_work_needs_tasks_and_sensible_hours(place, people, login):
    client = login(people["werkgever"])
    response = client.post(
        reverse("employers:portal_work"),
        {"tasks": "  \n", "places": "1", "hours_min": "30", "hours_max": "20"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"tasks", "hours_max"}
    assert not WorkOpportunity.objects.exists()


def test_a_question_goes_to_the_substitute_while_the_owner_is_away(place, people, login):
    rm = place["rm"]
    rm.away_from = timezone.localdate() - dt.timedelta(days=1)
    rm.away_until = timezone.localdate() + dt.timedelta(days=7)
    rm.save()
    client = login(people["werkgever"])
    response = client.post(
        reverse("employers:portal_question"),
        {"topic": "instrument", "question": "Kan ik loonkostensubsidie krijgen?"},
    )
    assert response.status_code == 302
    question = EmployerQuestion.objects.get()
    assert question.employer == place["mine"]
    assert question.assigned_to == place["colleague"]
    assert question.contact_person == place["henk"]
    confirmation = client.get(response["Location"])
    assert confirmation.context["sent"]["question"] == question
    assert confirmation.context["sent"]["due"] > question.received_at
    assert str(place["colleague"]) in confirmation.content.decode()


def test_a_question_goes_to_the_owner_normally_with_a_deadline(place, people, login):
    client = login(people["werkgever"])
    response = client.post(
        reverse("employers:portal_question"),
        {"topic": "reintegratie", "question": "Wij zoeken in het voorjaar extra mensen."},
        follow=True,
    )
    question = EmployerQuestion.objects.get()
    assert question.assigned_to == place["rm"]
    sent = response.context["sent"]
    assert sent["question"] == question
    assert sent["due"].date() >= timezone.localdate()


def test_another_companys_question_cannot_be_shown(place, people, login):
    theirs = EmployerQuestion.objects.create(
        employer=place["other"],
        question="Geheim",
        received_at=timezone.now(),
        assigned_to=place["rm"],
    )
    client = login(people["werkgever"])
    url = reverse("employers:portal_question") + f"?verstuurd={theirs.uuid}"
    assert client.get(url).status_code == 404


def test_staff_get_403_on_the_portal(place, people, login):
    for username in ("relatiemanager", "teamleider", "beheerder"):
        client = login(people[username])
        for name in ("portal", "portal_work", "portal_question"):
            assert client.get(reverse(f"employers:{name}")).status_code == 403
    opportunity = _opportunity(place["mine"], "Hoveniershulp")
    url = reverse("employers:portal_opportunity", kwargs={"uuid": opportunity.uuid})
    assert login(people["relatiemanager"]).get(url).status_code == 403


def test_a_werkgever_without_a_company_is_told_so(people, login, regions):
    response = login(people["werkgever"]).get(reverse("employers:portal"))
    assert response.status_code == 200
    assert response.templates[0].name == "employers/portal/not_linked.html"


def test_a_werkgever_with_two_companies_gets_a_choice(place, people, login, monkeypatch):
    # A contact-person login belongs to one company today (ContactPerson.user is one-to-one);
    # the portal is ready for a login that serves two establishments.
    both = Employer.objects.filter(pk__in=[place["mine"].pk, place["other"].pk]).order_by("name")
    monkeypatch.setattr(portal.selectors, "portal_employers", lambda *, actor: both)
    client = login(people["werkgever"])
    choice = client.get(reverse("employers:portal"))
    assert choice.templates[0].name == "employers/portal/choose.html"
    html = choice.content.decode()
    assert "Hoveniersbedrijf Willems" in html and "Bakkerij De Korenschoof" in html
    chosen = client.get(reverse("employers:portal") + f"?bedrijf={place['mine'].uuid}")
    assert chosen.context["employer"] == place["mine"]
    again = client.get(reverse("employers:portal"))  # remembered in the session
    assert again.context["employer"] == place["mine"]


def test_the_home_panel_shows_company_contact_and_open_work(place, people, login, monkeypatch):
    monkeypatch.setattr(home, "_PANELS", dict(home._PANELS))  # restored after the test
    portal_panels.register()
    _opportunity(place["mine"], "Hoveniershulp voor het voorjaar")
    _opportunity(place["mine"], "Oude klus", status=OpportunityStatus.FILLED, days_ago=300)
    html = login(people["werkgever"]).get(reverse("home")).content.decode()
    assert "Hoveniersbedrijf Willems" in html
    assert str(place["rm"]) in html and str(place["colleague"]) in html
    assert "Hoveniershulp voor het voorjaar" in html
    assert "Oude klus" not in html


def test_the_portal_shows_no_internal_notes(place, people, login):
    from werkbrug.employers.models import ContactMoment

    moment = ContactMoment.objects.create(
        employer=place["mine"],
        date=timezone.localdate(),
        channel="telefoon",
        notes="Interne notitie: eigenaar lastig bereikbaar",
        recorded_by=place["rm"],
    )
    assert moment.pk
    client = login(people["werkgever"])
    for name in ("portal", "portal_question", "portal_work"):
        html = client.get(reverse(f"employers:{name}")).content.decode()
        assert "Interne notitie" not in html


def test_the_company_page_has_a_bounded_number_of_queries(place, people, login):
    client = login(people["werkgever"])
    _opportunity(place["mine"], "Eerste klus")
    EmployerQuestion.objects.create(
        employer=place["mine"],
        question="Vraag",
        received_at=timezone.now(),
        assigned_to=place["rm"],
    )
    client.get(reverse("employers:portal"))  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("employers:portal"))
    for index in range(8):
        _opportunity(place["mine"], f"Klus {index}")
        EmployerQuestion.objects.create(
            employer=place["mine"],
            question=f"Vraag {index}",
            received_at=timezone.now(),
            assigned_to=place["rm"],
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("employers:portal"))
    extra = [q["sql"][:160] for q in many.captured_queries[len(few) - 2 :]]
    assert len(many) == len(few) <= 20, extra
