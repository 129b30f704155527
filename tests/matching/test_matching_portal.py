"""Matching in the portals: the employer sees the people proposed for their company's work as
anonymous profiles and says whether they want to meet; the candidate answers a request to share
their name. An employer never sees another company's entries, an entry still on the internal
shortlist, or a name before the candidate agreed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from matching_support import make_opportunity, picker
from tests_support import make_person, text
from werkbrug.candidates.models import Consent, ConsentScope
from werkbrug.core import access
from werkbrug.core.roles import Role
from werkbrug.employers.models import ContactPerson, Employer
from werkbrug.matching import services
from werkbrug.matching.models import ShortlistEntry, ShortlistStatus

pytestmark = pytest.mark.django_db

PROPOSALS = "matching:portal_proposals"


@pytest.fixture
def login(login_en):
    """English UI: the assertions read the msgids."""
    return login_en


@pytest.fixture
def rm(people):
    return access.actor_for(people["relatiemanager"])


@pytest.fixture
def named(world, people):
    """A proposable candidate with a portal account and a name to look for."""
    return picker(
        world["place"],
        user=people["kandidaat"],
        client_manager=people["klantmanager"].staff,
        first_name="Fatima",
        last_name="El Amrani",
    )


def _proposed(rm, opportunity, candidate):
    entry = services.add_to_shortlist(actor=rm, opportunity=opportunity, candidate=candidate)
    return services.propose(actor=rm, entry=entry)


def _other_company(world, regions):
    other = Employer.objects.create(
        region=regions["own"]["region"],
        name="Bouwbedrijf De Ridder",
        municipality=regions["own"]["municipalities"][0],
        sbi_code="43221",
        latitude=world["employer"].latitude,
        longitude=world["employer"].longitude,
        owner=world["rm"],
    )
    boss = make_person("werkgever_twee", Role.EMPLOYER_CONTACT, None)
    ContactPerson.objects.create(employer=other, name="Ruud de Ridder", user=boss)
    return other, boss, make_opportunity(other, title="Magazijnmedewerker")


# --- The employer ---------------------------------------------------------------------------


def test_the_employer_sees_the_anonymous_profile(world, named, rm, people, login):
    entry = _proposed(rm, world["opportunity"], named)
    response = login(people["werkgever"]).get(reverse(PROPOSALS))
    assert response.status_code == 200
    page = text(response)
    assert "For your work: Orderpicker" in page
    assert "Kandidaat 1" in page
    assert "Fatima" not in page and "El Amrani" not in page  # no name before consent
    assert "Orders verzamelen" in page
    assert "Orderpicker" in page and "2019–2023" in page  # experience: role and years
    assert "24–32 uur" in page
    # About 9.5 km as the crow flies: 9 or 10 depending on the coordinates' precision.
    assert re.search(r"Lives about (9|10) km from the work", page)
    assert "Proposed to you" in page
    assert "LBO/VMBO" in page  # the education level's label
    assert "heeft ervaring met orders verzamelen" in page.lower()
    action = reverse("matching:portal_respond", kwargs={"uuid": entry.uuid})
    assert action in response.content.decode()
    assert "I would like to meet" in page and "Rather not" in page


def test_an_entry_on_the_internal_shortlist_is_not_shown(world, named, rm, people, login):
    entry = services.add_to_shortlist(actor=rm, opportunity=world["opportunity"], candidate=named)
    client = login(people["werkgever"])
    response = client.get(reverse(PROPOSALS))
    assert response.context["groups"] == []
    assert "Kandidaat 1" not in text(response)
    respond = reverse("matching:portal_respond", kwargs={"uuid": entry.uuid})
    assert client.post(respond, {"reactie": "ja"}).status_code == 404
    entry.refresh_from_db()
    assert entry.employer_interest is None


def test_another_company_never_sees_the_entries(world, named, rm, people, login, regions):
    ours = _proposed(rm, world["opportunity"], named)
    other, boss, theirs_work = _other_company(world, regions)
    theirs = _proposed(rm, theirs_work, world["far"])
    client = login(boss)
    response = client.get(reverse(PROPOSALS))
    shown = [c["entry"].pk for g in response.context["groups"] for c in g["cards"]]
    assert shown == [theirs.pk]
    assert "For your work: Orderpicker" not in text(response)
    respond = reverse("matching:portal_respond", kwargs={"uuid": ours.uuid})
    assert client.post(respond, {"reactie": "nee"}).status_code == 404
    ours.refresh_from_db()
    assert ours.employer_interest is None
    # And the other way round.
    mine = login(people["werkgever"]).get(reverse(PROPOSALS))
    assert [c["entry"].pk for g in mine.context["groups"] for c in g["cards"]] == [ours.pk]


def test_the_name_appears_only_with_consent_in_force(world, named, rm, people, login):
    entry = _proposed(rm, world["opportunity"], named)
    client = login(people["werkgever"])
    services.request_consent(actor=rm, entry=entry)
    page = text(client.get(reverse(PROPOSALS)))
    assert "Fatima" not in page
    assert "We are asking this person whether we may give you their name" in page
    services.answer_consent_request(
        actor=access.actor_for(people["kandidaat"]), entry=entry, agree=True
    )
    response = client.get(reverse(PROPOSALS))
    page = text(response)
    assert "Fatima El Amrani" in page
    assert "Kandidaat 1" not in page
    shared = reverse("candidates:employer_shared_detail", kwargs={"uuid": named.uuid})
    assert shared in response.content.decode()
    # Withdrawn: the name is gone from the next request on.
    consent = Consent.objects.get(candidate=named, scope=ConsentScope.SHARE_WITH_EMPLOYER)
    consent.withdrawn_at = consent.granted_at
    consent.save()
    page = text(client.get(reverse(PROPOSALS)))
    assert "Fatima" not in page and "Kandidaat 1" in page


def test_the_employer_says_they_want_to_meet(world, named, rm, people, login):
    entry = _proposed(rm, world["opportunity"], named)
    client = login(people["werkgever"])
    url = reverse("matching:portal_respond", kwargs={"uuid": entry.uuid})
    response = client.post(url, {"reactie": "ja", "toelichting": "Graag na 15:00 bellen."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#kandidaat-{entry.uuid}")
    entry.refresh_from_db()
    assert entry.employer_interest is True
    assert entry.employer_note == "Graag na 15:00 bellen."
    assert entry.employer_responded_at is not None
    page = text(client.get(response["Location"].split("#")[0]))
    assert "We have passed on that you would like to meet Kandidaat 1" in page
    assert "You would like to meet" in page
    client.post(url, {"reactie": "nee"})
    entry.refresh_from_db()
    assert entry.employer_interest is False and entry.employer_note == ""


def test_a_response_without_a_choice_changes_nothing(world, named, rm, people, login):
    entry = _proposed(rm, world["opportunity"], named)
    url = reverse("matching:portal_respond", kwargs={"uuid": entry.uuid})
    client = login(people["werkgever"])
    assert client.post(url, {"reactie": "misschien"}).status_code == 302
    assert client.get(url).status_code == 405
    entry.refresh_from_db()
    assert entry.employer_interest is None


@pytest.mark.parametrize("role", ["relatiemanager", "kandidaat", "teamleider"])
def test_only_employers_use_the_employer_pages(role, world, named, rm, people, login):
    entry = _proposed(rm, world["opportunity"], named)
    client = login(people[role])
    assert client.get(reverse(PROPOSALS)).status_code == 403
    url = reverse("matching:portal_respond", kwargs={"uuid": entry.uuid})
    assert client.post(url, {"reactie": "ja"}).status_code == 403


def test_the_employer_portal_home_links_to_the_proposals(world, named, rm, people, login):
    client = login(people["werkgever"])
    url = reverse(PROPOSALS)
    home = client.get(reverse("employers:portal"))
    assert home.context["proposal_count"] == 0
    assert f'href="{url}"' in home.content.decode()  # the menu entry
    _proposed(rm, world["opportunity"], named)
    home = client.get(reverse("employers:portal"))
    assert home.context["proposal_count"] == 1
    assert "We proposed 1 person for your work." in text(home)


def test_no_company_linked(people, login, world):
    ContactPerson.objects.filter(user=people["werkgever"]).update(user=None)
    response = login(people["werkgever"]).get(reverse(PROPOSALS))
    assert response.status_code == 200
    assert "Your account is not linked to a company yet" in text(response)


# --- The candidate --------------------------------------------------------------------------


def _requested(rm, world, candidate):
    entry = _proposed(rm, world["opportunity"], candidate)
    return services.request_consent(actor=rm, entry=entry)


def _answer(entry):
    return reverse("matching:portal_consent_answer", kwargs={"uuid": entry.uuid})


def test_the_candidate_sees_the_request_and_says_yes(world, named, rm, people, login):
    entry = _requested(rm, world, named)
    client = login(people["kandidaat"])
    for page_name in ("candidates:portal", "candidates:portal_consent"):
        page = text(client.get(reverse(page_name)))
        assert (
            "Logistiek Centrum Wijchen may have work for you: Orderpicker. May your consultant "
            "share your name so that you can meet?"
        ) in page
    response = client.post(_answer(entry), {"antwoord": "ja"})
    assert response.status_code == 302 and response["Location"] == reverse("candidates:portal")
    consent = Consent.objects.get(
        candidate=named, scope=ConsentScope.SHARE_WITH_EMPLOYER, employer=world["employer"]
    )
    assert consent.in_force
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.IDENTITY_SHARED
    page = text(client.get(reverse("candidates:portal")))
    assert "We will give Logistiek Centrum Wijchen your name." in page
    assert "May your consultant share your name" not in page  # answered
    assert services.name_shared(entry)


def test_the_candidate_says_no(world, named, rm, people, login):
    entry = _requested(rm, world, named)
    client = login(people["kandidaat"])
    response = client.post(_answer(entry), {"antwoord": "nee", "terug": "toestemming"})
    assert response["Location"] == reverse("candidates:portal_consent")
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.WITHDRAWN
    assert not Consent.objects.filter(
        candidate=named, scope=ConsentScope.SHARE_WITH_EMPLOYER
    ).exists()
    assert "We will not give Logistiek Centrum Wijchen your name." in text(
        client.get(reverse("candidates:portal_consent"))
    )


def test_another_candidate_cannot_answer(world, named, rm, people, login):
    entry = _requested(rm, world, named)
    stranger = make_person("kandidaat_twee", Role.CANDIDATE, None)
    picker(world["place"], user=stranger)
    client = login(stranger)
    assert client.post(_answer(entry), {"antwoord": "ja"}).status_code == 404
    assert "May your consultant share your name" not in text(
        client.get(reverse("candidates:portal"))
    )
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.CONSENT_REQUESTED
    assert not Consent.objects.filter(candidate=named).exists()


@pytest.mark.parametrize("role", ["werkgever", "relatiemanager"])
def test_only_candidates_answer(role, world, named, rm, people, login):
    entry = _requested(rm, world, named)
    assert login(people[role]).post(_answer(entry), {"antwoord": "ja"}).status_code == 403
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.CONSENT_REQUESTED


def test_an_answered_request_cannot_be_answered_again(world, named, rm, people, login):
    entry = _requested(rm, world, named)
    client = login(people["kandidaat"])
    client.post(_answer(entry), {"antwoord": "nee"})
    again = client.post(_answer(entry), {"antwoord": "ja"}, follow=True)
    assert "This question has already been answered." in text(again)
    assert ShortlistEntry.objects.get(pk=entry.pk).status == ShortlistStatus.WITHDRAWN
    assert not Consent.objects.filter(candidate=named).exists()
