"""The staff pages of the candidate caseload: the list (filters, tabs, privacy of pool rows,
bounded queries), the candidate page (full record, anonymous pool view, 404 outside scope,
access log, BSN disclosure, health box, missing items), registering (duplicate BSN), editing
(sections, stale version), languages, work experience, ladder step, target groups, the portal
account, and the home panels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates_support import fresh_bsn
from tests_support import make_person, text
from werkbrug.candidates import services
from werkbrug.candidates.models import (
    Candidate,
    Consent,
    ConsentScope,
    HealthProfile,
    JourneyStatus,
)
from werkbrug.core import access
from werkbrug.core.models import AccessLogEntry
from werkbrug.core.roles import Role
from werkbrug.taxonomy.models import Skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(login_en):
    """English UI: the assertions read the msgids."""
    return login_en


@pytest.fixture
def km(people):
    return people["klantmanager"]


@pytest.fixture
def km_actor(km):
    return access.actor_for(km)


@pytest.fixture
def tl_actor(people):
    return access.actor_for(people["teamleider"])


def register(actor, municipality, *, first="Sanne", last="de Vries", **data):
    return services.register_candidate(
        actor=actor,
        bsn=fresh_bsn(),
        municipality=municipality,
        data={
            "first_name": first,
            "last_name": last,
            "birth_date": dt.date(1990, 5, 17),
            "phone": "0612345678",
            **data,
        },
    )


@pytest.fixture
def nijmegen(regions):
    return regions["own"]["municipalities"][0]


@pytest.fixture
def wijchen(regions):
    return regions["own"]["municipalities"][1]


@pytest.fixture
def own_candidate(km_actor, nijmegen):
    return register(km_actor, nijmegen, talents="Good with customers, tidy and precise.")


@pytest.fixture
def other_candidate(tl_actor, wijchen):
    """A candidate of another municipality of the region, nobody of Nijmegen works with."""
    return register(
        tl_actor,
        wijchen,
        first="Youssef",
        last="Bakkali",
        talents="Strong with his hands; loves working outdoors in parks.",
    )


def share_in_pool(candidate, user):
    return Consent.objects.create(
        candidate=candidate,
        scope=ConsentScope.REGIONAL_POOL,
        granted_at=timezone.now(),
        granted_by=user,
        granted_via="persoonlijk",
    )


# --- The caseload list ------------------------------------------------------------------------


def test_caseload_lists_own_candidates_with_filters(login, km, km_actor, nijmegen):
    register(km_actor, nijmegen, first="Anna", last="Jansen", segment="werkklant")
    register(km_actor, nijmegen, first="Bram", last="Pieters", segment="ontwikkelklant")
    client = login(km)
    page = text(client.get(reverse("candidates:caseload")))
    assert "Jansen, Anna" in page and "Pieters, Bram" in page
    assert "2 candidates found" in page

    filtered = text(client.get(reverse("candidates:caseload"), {"segment": "werkklant"}))
    assert "Jansen, Anna" in filtered and "Pieters, Bram" not in filtered

    searched = text(client.get(reverse("candidates:caseload"), {"q": "pieters"}))
    assert "Pieters, Bram" in searched and "Jansen, Anna" not in searched

    mine = text(client.get(reverse("candidates:caseload"), {"toon": "mijn", "onvolledig": "on"}))
    assert "2 candidates found" in mine  # both profiles are still far from complete

    # htmx asks only for the results
    partial = client.get(reverse("candidates:caseload"), {"q": "jan"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Jansen, Anna" in partial.content


def test_caseload_not_seen_badge(login, km, km_actor, nijmegen):
    candidate = register(km_actor, nijmegen, first="Anna", last="Jansen")
    Candidate.objects.filter(pk=candidate.pk).update(
        status=JourneyStatus.CONTACTED, last_contact_at=timezone.now() - dt.timedelta(weeks=9)
    )
    page = text(login(km).get(reverse("candidates:caseload"), {"niet_gezien": "on"}))
    assert "Jansen, Anna" in page
    assert "Not seen for 9 weeks" in page


def test_caseload_query_count_does_not_grow_with_rows(
    login, km, km_actor, nijmegen, django_assert_max_num_queries
):
    client = login(km)
    for i in range(3):
        register(km_actor, nijmegen, first=f"Een{i}", last=f"Achternaam{i}")
    with django_assert_max_num_queries(24) as few:
        response = client.get(reverse("candidates:caseload"))
    assert response.status_code == 200
    for i in range(30):
        register(km_actor, nijmegen, first=f"Twee{i}", last=f"Naam{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("candidates:caseload"))
    assert response.status_code == 200
    assert "33 candidates found" in text(response)


def test_pool_rows_show_no_names(login, km, people, other_candidate, own_candidate):
    share_in_pool(other_candidate, people["teamleider"])
    client = login(km)
    page = text(client.get(reverse("candidates:caseload")))
    assert "Anonymous profile" in page
    assert "Bakkali" not in page and "Youssef" not in page
    assert "Strong with his hands" in page  # the talents are the point of the pool

    pool = text(client.get(reverse("candidates:caseload"), {"toon": "pool"}))
    assert "Anonymous profile" in pool and "de Vries" not in pool

    # Searching the other candidate's name must not reveal that they are in the pool.
    searched = text(client.get(reverse("candidates:caseload"), {"q": "Bakkali"}))
    assert "0 candidates found" in searched


# --- The candidate page -----------------------------------------------------------------------


def test_other_municipality_is_404_without_consent_and_anonymous_with_it(
    login, km, people, other_candidate
):
    client = login(km)
    url = reverse("candidates:detail", kwargs={"uuid": other_candidate.uuid})
    assert client.get(url).status_code == 404

    share_in_pool(other_candidate, people["teamleider"])
    response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "Anonymous profile" in page
    assert "Strong with his hands" in page
    assert "Bakkali" not in page and "Youssef" not in page
    assert "0612345678" not in page and "+31612345678" not in page
    assert "BSN" not in page
    assert "Wijchen" in page
    # editing an anonymous profile is not possible
    edit = reverse("candidates:edit", kwargs={"uuid": other_candidate.uuid})
    assert client.get(edit).status_code == 404


def test_reading_the_page_is_logged(login, km, own_candidate):
    before = AccessLogEntry.objects.filter(object_uuid=own_candidate.uuid).count()
    response = login(km).get(reverse("candidates:detail", kwargs={"uuid": own_candidate.uuid}))
    assert response.status_code == 200
    entries = AccessLogEntry.objects.filter(object_uuid=own_candidate.uuid)
    assert entries.count() == before + 1
    assert entries.first().user_id == km.pk


def test_bsn_masked_and_shown_on_request_with_a_disclosure_entry(login, km, own_candidate):
    from werkbrug.core.bsn import reveal_bsn

    bsn = reveal_bsn(own_candidate.bsn_encrypted)
    url = reverse("candidates:detail", kwargs={"uuid": own_candidate.uuid})
    client = login(km)
    page = text(client.get(url))
    assert bsn not in page and "******" + bsn[-3:] in page

    shown = client.post(url, {"bsn": "tonen"}, HTTP_HX_REQUEST="true")
    assert bsn in shown.content.decode()
    assert AccessLogEntry.objects.filter(
        object_uuid=own_candidate.uuid, action="disclose", purpose="BSN tonen"
    ).exists()


def test_page_shows_profile_first_and_lists_what_is_missing(login, km, own_candidate):
    response = login(km).get(reverse("candidates:detail", kwargs={"uuid": own_candidate.uuid}))
    page = text(response)
    assert page.index("What the candidate is good at") < page.index("Practical")
    assert page.index("Practical") < page.index("Case file")
    assert "Profile incomplete" in page
    assert "Highest education completed" in page  # a missing required item
    assert "Languages spoken" in page
    html = response.content.decode()
    edit = reverse("candidates:edit", kwargs={"uuid": own_candidate.uuid})
    assert f"{edit}?deel=uitkering#id_education_level" in html
    assert reverse("candidates:languages", kwargs={"uuid": own_candidate.uuid}) in html


def test_health_box_only_for_the_candidates_own_worker(login, km, km_actor, own_candidate, regions):
    services.save_health(
        own_candidate,
        actor=km_actor,
        data={"has_limitation": True, "nature": "fysiek", "limitations": "No heavy lifting"},
    )
    url = reverse("candidates:detail", kwargs={"uuid": own_candidate.uuid})
    page = text(login(km).get(url))
    assert "Health and limitations" in page and "No heavy lifting" in page

    colleague = make_person("km_collega", Role.CLIENT_MANAGER, regions["own"])
    page = text(login(colleague).get(url))
    assert "de Vries" in page  # same municipality: the full record
    assert "Health and limitations" not in page and "No heavy lifting" not in page
    assert login(colleague).get(reverse("candidates:health", kwargs={"uuid": own_candidate.uuid}))
    assert (
        login(colleague)
        .get(reverse("candidates:health", kwargs={"uuid": own_candidate.uuid}))
        .status_code
        == 403
    )


def test_health_form_saves_for_the_worker(login, km, own_candidate):
    url = reverse("candidates:health", kwargs={"uuid": own_candidate.uuid})
    response = login(km).post(
        url,
        {
            "self_rated_health": "2",
            "has_limitation": "on",
            "nature": "psychisch",
            "limitations": "Needs a quiet workplace",
            "adjustments_needed": "",
        },
    )
    assert response.status_code == 302
    assert HealthProfile.objects.get(candidate=own_candidate).nature == "psychisch"


# --- Register -------------------------------------------------------------------------------


def test_register_then_duplicate_bsn_links_to_the_existing_record(login, km, nijmegen):
    client = login(km)
    form = client.get(reverse("candidates:create"))
    assert form.status_code == 200
    bsn = fresh_bsn()
    data = {
        "bsn": bsn,
        "first_name": "Fatima",
        "last_name": "el Amrani",
        "birth_date": "1988-03-02",
        "municipality": str(nijmegen.uuid),
        "email": "fatima@example.nl",
        "phone": "06 12 34 56 78",
        "street": "Molenstraat 1",
        "postcode": "6511 AA",
        "city": "Nijmegen",
    }
    response = client.post(reverse("candidates:create"), data)
    assert response.status_code == 302
    candidate = Candidate.objects.get(last_name="el Amrani")
    assert response["Location"] == reverse("candidates:detail", kwargs={"uuid": candidate.uuid})

    again = client.post(reverse("candidates:create"), {**data, "first_name": "F."})
    assert again.status_code == 200
    page = text(again)
    assert "already registered" in page
    assert reverse("candidates:detail", kwargs={"uuid": candidate.uuid}) in again.content.decode()
    assert Candidate.objects.filter(last_name="el Amrani").count() == 1


def test_register_refuses_a_bad_bsn_in_words(login, km, nijmegen):
    response = login(km).post(
        reverse("candidates:create"),
        {
            "bsn": "123456788",
            "first_name": "A",
            "last_name": "B",
            "birth_date": "1990-01-01",
            "municipality": str(nijmegen.uuid),
        },
    )
    assert response.status_code == 200
    assert "eleven test" in text(response)


def test_duplicate_in_a_caseload_i_cannot_open_has_no_link(login, km, tl_actor, wijchen):
    from werkbrug.core.bsn import reveal_bsn

    hidden = register(tl_actor, wijchen, first="Verborgen", last="Persoon")
    response = login(km).post(
        reverse("candidates:create"),
        {
            "bsn": reveal_bsn(hidden.bsn_encrypted),
            "first_name": "X",
            "last_name": "Y",
            "birth_date": "1990-01-01",
            "municipality": str(hidden.municipality.uuid),
        },
    )
    assert response.status_code == 200
    assert "cannot open" in text(response)
    assert str(hidden.uuid) not in response.content.decode()
    assert "Verborgen" not in text(response)


# --- Edit -----------------------------------------------------------------------------------


def test_edit_sections_save_and_stale_version_is_refused(login, km, own_candidate):
    client = login(km)
    url = reverse("candidates:edit", kwargs={"uuid": own_candidate.uuid})
    assert client.get(url, {"deel": "wensen"}).status_code == 200
    assert client.get(url, {"deel": "onbekend"}).status_code == 404

    version = own_candidate.version
    benefit = {
        "version": version,
        "benefit_type": "pw_bijstand",
        "benefit_start": "2022-01-10",
        "segment": "werkklant",
        "deployability": "ja",
        "education_level": "3",
    }
    response = client.post(f"{url}?deel=uitkering", benefit)
    assert response.status_code == 302
    own_candidate.refresh_from_db()
    assert own_candidate.education_level == 3 and own_candidate.benefit_duration is not None

    # A second tab still holds the old version: refused, nothing saved.
    stale = client.post(f"{url}?deel=uitkering", {**benefit, "segment": "ontwikkelklant"})
    assert stale.status_code == 200
    assert "Someone else saved this record" in text(stale)
    own_candidate.refresh_from_db()
    assert own_candidate.segment == "werkklant"


def test_profile_section_sets_skills_and_driving_licence(login, km, own_candidate):
    skills = list(Skill.objects.order_by("label")[:2])
    if len(skills) < 2:
        pytest.skip("taxonomy has no skills loaded")
    url = reverse("candidates:edit", kwargs={"uuid": own_candidate.uuid})
    response = login(km).post(
        f"{url}?deel=profiel",
        {
            "version": own_candidate.version,
            "talents": "Precise, friendly",
            "skills": [s.pk for s in skills],
            "hours_available": "24",
            "available_from": "2025-01-01",
            "driving_licence": "nee",
            "transport": "fiets",
        },
    )
    assert response.status_code == 302, text(response)
    own_candidate.refresh_from_db()
    assert own_candidate.driving_licence is False
    assert set(own_candidate.skills.all()) == set(skills)


def test_languages_experience_ladder_and_target_group(login, km, own_candidate):
    client = login(km)
    uuid = own_candidate.uuid
    response = client.post(
        reverse("candidates:languages", kwargs={"uuid": uuid}),
        {
            "taal-TOTAL_FORMS": "3",
            "taal-INITIAL_FORMS": "0",
            "taal-0-language": "nederlands",
            "taal-0-level": "B1",
            "taal-1-language": "Arabisch",
            "taal-1-level": "moedertaal",
            "taal-2-language": "",
            "taal-2-level": "",
        },
    )
    assert response.status_code == 302
    assert sorted(own_candidate.languages.values_list("language", flat=True)) == [
        "Arabisch",
        "Nederlands",
    ]

    response = client.post(
        reverse("candidates:experience_add", kwargs={"uuid": uuid}),
        {"role": "Shelf stacker", "employer_name": "Jumbo", "from_year": "2015", "paid": "on"},
    )
    assert response.status_code == 302
    row = own_candidate.experience.get()
    response = client.post(
        reverse("candidates:experience_delete", kwargs={"uuid": uuid, "item": row.uuid})
    )
    assert response.status_code == 302 and not own_candidate.experience.exists()

    response = client.post(
        reverse("candidates:ladder", kwargs={"uuid": uuid}),
        {"step": "4", "assessed_on": timezone.localdate().isoformat(), "note": "Volunteers"},
    )
    assert response.status_code == 302
    own_candidate.refresh_from_db()
    assert own_candidate.ladder_step == 4

    response = client.post(
        reverse("candidates:target_group_add", kwargs={"uuid": uuid}),
        {
            "group": "banenafspraak",
            "status": "toegekend",
            "decided_by": "uwv",
            "valid_from": "2020-01-01",
            "valid_to": "2021-01-01",
        },
    )
    assert response.status_code == 302
    page = text(client.get(reverse("candidates:detail", kwargs={"uuid": uuid})))
    assert "Expired" in page


def test_confirm_and_portal_account(login, km, km_actor, nijmegen):
    candidate = register(km_actor, nijmegen, email="sanne@example.nl")
    client = login(km)
    response = client.post(reverse("candidates:confirm", kwargs={"uuid": candidate.uuid}))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.profile_confirmed_at is not None

    url = reverse("candidates:portal_account", kwargs={"uuid": candidate.uuid})
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "sanne.devries"}, follow=True)
    assert "Forgot password" in text(response)
    candidate.refresh_from_db()
    assert candidate.user.username == "sanne.devries"


# --- Home panels and menu ---------------------------------------------------------------------


def test_home_panels_show_counts(login, km, km_actor, nijmegen, people):
    register(km_actor, nijmegen)
    page = text(login(km).get(reverse("home")))
    assert "In my caseload" in page and "Profiles to complete" in page

    rm_page = text(login(people["relatiemanager"]).get(reverse("home")))
    assert "My candidates" in rm_page

    tl_page = text(login(people["teamleider"]).get(reverse("home")))
    assert "Incomplete profiles" in tl_page
    assert "Candidates" in tl_page  # the menu entry
