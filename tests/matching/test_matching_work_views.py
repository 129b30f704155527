"""The staff page "work for a candidate": open work that fits and employers to ask for work,
the broad/strict switch, empty states that say what to fill in, and who may see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from candidates_support import give_consent, make_candidate
from matching_support import make_opportunity, picker
from tests_support import text
from werkbrug.candidates.models import ConsentScope, JourneyStatus
from werkbrug.core import access
from werkbrug.core.models import AccessLogEntry
from werkbrug.employers.models import Employer, OpportunityStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(login_en):
    """English UI: the assertions read the msgids."""
    return login_en


def _url(candidate, mode=None):
    url = reverse("matching:work", kwargs={"uuid": candidate.uuid})
    return f"{url}?modus={mode}" if mode else url


@pytest.fixture
def quiet(world, regions):
    """An employer without open work near the warehouse: one to ask for work."""
    return Employer.objects.create(
        region=regions["own"]["region"],
        name="Groothandel Zonder Vacature",
        municipality=regions["own"]["municipalities"][0],
        sbi_code="46390",
        latitude=world["employer"].latitude,
        longitude=world["employer"].longitude,
        owner=world["rm"],
    )


def test_open_work_and_employers_to_ask(world, quiet, people, login):
    response = login(people["relatiemanager"]).get(_url(world["good"]))
    assert response.status_code == 200
    html = response.content.decode()
    page = text(response)
    opportunity = world["opportunity"]
    assert "Open work that fits" in page
    assert reverse("employers:opportunity", kwargs={"uuid": opportunity.uuid}) in html
    assert "Orderpicker" in page
    assert "Logistiek Centrum Wijchen" in page
    assert "heeft ervaring met orders verzamelen" in page  # the Dutch explanation
    assert "<progress" in html
    assert "Has done" in page
    assert "Employers to ask for work" in page
    assert reverse("employers:detail", kwargs={"uuid": quiet.uuid}) in html
    assert "Vraag naar werk" in page  # the explanation, capitalised
    assert "Latent work" not in page
    log = AccessLogEntry.objects.filter(object_uuid=world["good"].uuid).latest("at")
    assert log.purpose == "work for candidate"


def test_latent_work_is_marked(world, people, login):
    world["opportunity"].latent = True
    world["opportunity"].save()
    page = text(login(people["relatiemanager"]).get(_url(world["good"])))
    assert "Latent work" in page


def test_strict_leaves_out_work_whose_must_haves_are_missing(world, people, login):
    driver = make_opportunity(
        world["employer"], title="Chauffeur-orderpicker", driving_licence=True
    )
    client = login(people["relatiemanager"])
    broad = client.get(_url(world["good"]))
    assert driver in [s.opportunity for s in broad.context["work"]]
    assert "A must-have is missing" in text(broad)
    assert "rijbewijs B" in text(broad)
    strict = client.get(_url(world["good"], "strikt"))
    assert driver not in [s.opportunity for s in strict.context["work"]]
    assert world["opportunity"] in [s.opportunity for s in strict.context["work"]]
    assert 'aria-current="page"' in strict.content.decode()
    assert strict.context["mode"] == "strikt"
    assert client.get(_url(world["good"], "onzin")).context["mode"] == "breed"


def test_empty_state_says_what_to_fill_in(world, people, login):
    world["opportunity"].status = OpportunityStatus.FILLED
    world["opportunity"].save()
    bare = make_candidate(
        world["place"], complete=False, client_manager=people["klantmanager"].staff
    )
    response = login(people["klantmanager"]).get(_url(bare))
    page = text(response)
    html = response.content.decode()
    assert response.context["work"] == []
    assert "No open work fits this person at the moment." in page
    assert "Tasks and skills" in page
    assert "Wishes: kinds of work, occupations or tasks" in page
    assert "Address (street, postcode and place)" in page
    edit = reverse("candidates:edit", kwargs={"uuid": bare.uuid})
    assert f"{edit}?deel=profiel" in html
    assert f"{edit}?deel=wensen" in html


def test_a_candidate_not_looking_for_work_is_told_so(world, people, login):
    world["good"].status = JourneyStatus.PLACED
    world["good"].save()
    page = text(login(people["relatiemanager"]).get(_url(world["good"])))
    assert "not looking for work" in page


def test_a_regional_pool_profile_stays_anonymous(world, people, login, regions):
    wijchen = regions["own"]["municipalities"][1]
    outsider = picker(world["place"], municipality=wijchen, first_name="Zeynep")
    client = login(people["relatiemanager"])  # works for Nijmegen
    assert client.get(_url(outsider)).status_code == 404
    give_consent(outsider, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    response = client.get(_url(outsider))
    assert response.status_code == 200
    page = text(response)
    assert "Anonymous profile" in page
    assert "Zeynep" not in page
    assert reverse("candidates:edit", kwargs={"uuid": outsider.uuid}) not in page


def test_other_regions_are_404(world, people, login):
    assert login(people["other_region_rm"]).get(_url(world["good"])).status_code == 404


@pytest.mark.parametrize("role", ["onderzoeker", "beheerder", "werkgever", "kandidaat"])
def test_roles_without_matching_suggest_are_refused(role, world, people, login):
    assert login(people[role]).get(_url(world["good"])).status_code == 403


def test_the_candidate_page_links_to_suitable_work(world, people, login):
    html = login(people["klantmanager"]).get(
        reverse("candidates:detail", kwargs={"uuid": world["good"].uuid})
    )
    assert _url(world["good"]) in html.content.decode()
    assert "Suitable work" in text(html)


def test_the_button_is_only_for_those_who_may_see_suggestions(world, people, login, monkeypatch):
    """The candidate page asks ``matching.suggest`` for the button, not ``candidates.view``."""
    monkeypatch.setitem(
        access.PERMISSIONS,
        "matching.suggest",
        access.PERMISSIONS["matching.suggest"] - {"klantmanager"},
    )
    html = login(people["klantmanager"]).get(
        reverse("candidates:detail", kwargs={"uuid": world["good"].uuid})
    )
    assert html.status_code == 200
    assert _url(world["good"]) not in html.content.decode()
