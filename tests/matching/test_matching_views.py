"""Staff pages of matching: the suggestions page, the shortlist actions and the shortlist
panels on the opportunity and employer pages.

Each test names what a person sees or does: the best candidate first with the explanation; a
pool candidate of another municipality without a name; the strict mode; shortlisting and every
step of the workflow through the panel's forms; a refused step that changes nothing and says
why; who may not; and a query count that does not grow with the number of suggestions.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

import tests_support
from candidates_support import give_consent
from matching_support import picker
from werkbrug.candidates.models import Consent, ConsentChannel, ConsentScope
from werkbrug.core import access
from werkbrug.matching import services
from werkbrug.matching.models import IntroductionOutcome, ShortlistEntry, ShortlistStatus
from werkbrug.matching.selectors import FACTOR_LABELS
from werkbrug.matching.views import STATUS_BADGES

pytestmark = pytest.mark.django_db


S = ShortlistStatus


def nl(msg: Any) -> str:
    """The text as the (Dutch-first) pages show it, translated or not yet."""
    with translation.override("nl"):
        return gettext(msg) if isinstance(msg, str) else str(msg)


def text(response) -> str:
    return html_lib.unescape(tests_support.text(response))


INTRO = (
    "Werkbrug suggests, people decide. The order comes from tasks and experience, wishes, "
    "hours, travel distance, availability and must-haves. Protected characteristics — age, "
    "sex, origin, health and household — are not used."
)


def suggestions_url(opportunity, **params) -> str:
    url = reverse("matching:suggestions", kwargs={"uuid": opportunity.uuid})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def opportunity_url(opportunity) -> str:
    return reverse("employers:opportunity", kwargs={"uuid": opportunity.uuid})


def step_url(entry, name: str) -> str:
    return reverse(f"matching:shortlist_{name}", kwargs={"uuid": entry.uuid})


def card_order(html: str) -> list[str]:
    """The candidate uuids of the suggestion cards, in page order."""
    return re.findall(r'id="suggestie-([0-9a-f-]{36})"', html)


@pytest.fixture
def rm_client(login, people):
    return login(people["relatiemanager"])


@pytest.fixture
def rm(people):
    return access.actor_for(people["relatiemanager"])


@pytest.fixture
def entry(world, rm):
    return services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=world["good"]
    )


def _refresh(entry) -> ShortlistEntry:
    return ShortlistEntry.objects.get(pk=entry.pk)


# --- The suggestions page -------------------------------------------------------------------


def test_the_best_candidate_comes_first_with_the_explanation(world, rm_client):
    response = rm_client.get(suggestions_url(world["opportunity"]))
    assert response.status_code == 200
    html = response.content.decode()
    order = card_order(html)
    assert order[0] == str(world["good"].uuid)
    assert set(order) >= {str(world["far"].uuid), str(world["cashier"].uuid)}
    page = text(response)
    assert "Orderpicker" in page and "Logistiek Centrum Wijchen" in page
    assert "Woont op 9 km" in page or "woont op 9 km" in page  # the engine's Dutch explanation
    assert str(world["good"]) in page  # seen in full: the name, linked to the record
    assert reverse("candidates:detail", kwargs={"uuid": world["good"].uuid}) in html
    # People decide; protected characteristics are not used.
    assert nl(INTRO) in page
    # Why this score: six factors with their bars.
    assert html.count("<details") >= 3
    assert nl(FACTOR_LABELS["skills"]) in page and nl(FACTOR_LABELS["requirements"]) in page
    assert len(re.findall(r"<progress ", html)) == 7 * len(order)  # score + six factors
    # Chips: a matched task (green) and related experience (amber).
    assert 'badge badge-success"><span aria-hidden="true">&#10003;</span>' in html
    assert "badge-warning" in html
    assert "data-shortlist-add" in html


def test_a_pool_candidate_of_another_municipality_is_anonymous(world, rm_client, people, regions):
    wijchen = regions["own"]["municipalities"][1]
    outsider = picker(world["place"], municipality=wijchen, first_name="Zwaantje")
    give_consent(outsider, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    response = rm_client.get(suggestions_url(world["opportunity"]))
    html = response.content.decode()
    assert str(outsider.uuid) in card_order(html)
    assert "Zwaantje" not in html
    page = text(response)
    assert nl("Candidate from the regional pool") in page
    assert nl("anonymous profile") in page
    # The only link is to the anonymous profile page, which shows no name either.
    anonymous = reverse("candidates:detail", kwargs={"uuid": outsider.uuid})
    assert anonymous in html
    profile = rm_client.get(anonymous)
    assert profile.status_code == 200
    assert "Zwaantje" not in profile.content.decode()


def test_a_shortlisted_pool_candidate_stays_anonymous_on_the_staff_pages(
    world, rm_client, rm, people, regions
):
    wijchen = regions["own"]["municipalities"][1]
    outsider = picker(world["place"], municipality=wijchen, first_name="Zwaantje")
    give_consent(outsider, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    url = reverse("matching:shortlist_add", kwargs={"uuid": world["opportunity"].uuid})
    assert rm_client.post(url, {"kandidaat": str(outsider.uuid)}).status_code == 302
    entry = ShortlistEntry.objects.get(candidate=outsider)
    services.propose(actor=rm, entry=entry)
    for page_url in (
        opportunity_url(world["opportunity"]),
        reverse("employers:detail", kwargs={"uuid": world["employer"].uuid}),
    ):
        response = rm_client.get(page_url)
        assert entry.label in text(response)
        assert "Zwaantje" not in response.content.decode()
        assert nl("anonymous profile") in text(response)


def test_strict_mode_leaves_out_who_misses_a_must_have(world, rm_client):
    opportunity = world["opportunity"]
    opportunity.driving_licence = True
    opportunity.save()
    world["good"].driving_licence = True
    world["good"].save()
    broad = card_order(rm_client.get(suggestions_url(opportunity)).content.decode())
    assert str(world["far"].uuid) in broad  # shown, with what is missing
    broad_page = text(rm_client.get(suggestions_url(opportunity)))
    assert "rijbewijs B" in broad_page
    strict = card_order(
        rm_client.get(suggestions_url(opportunity, modus="strikt")).content.decode()
    )
    assert strict == [str(world["good"].uuid)]


def test_the_count_selector_limits_the_cards(world, rm_client):
    for _ in range(12):
        picker(world["place"])
    assert (
        len(
            card_order(
                rm_client.get(suggestions_url(world["opportunity"], aantal=10)).content.decode()
            )
        )
        == 10
    )
    cards = card_order(
        rm_client.get(suggestions_url(world["opportunity"], aantal=999)).content.decode()
    )
    assert len(cards) == 15  # not a choice: the default, 20


def test_empty_state_says_to_use_tasks_from_the_task_list(world, rm_client):
    opportunity = world["opportunity"]
    opportunity.tasks = ["Iets dat niet in de takenlijst staat"]
    opportunity.save()
    opportunity.skills.clear()
    page = text(rm_client.get(suggestions_url(opportunity)))
    assert nl("None of the tasks of this work opportunity is in the task list.") in page
    assert "Orders verzamelen" in page


def test_query_count_does_not_grow_with_the_number_of_suggestions(world, rm_client, people):
    for _ in range(20):
        picker(world["place"], client_manager=people["klantmanager"].staff)
    rm_client.get(suggestions_url(world["opportunity"], aantal=10))  # warm the region index

    def count(k: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = rm_client.get(suggestions_url(world["opportunity"], aantal=k))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few, many = count(10), count(50)
    cards = card_order(
        rm_client.get(suggestions_url(world["opportunity"], aantal=50)).content.decode()
    )
    assert len(cards) == 23
    assert many == few, (few, many)


def test_the_shortlist_panel_does_not_grow_in_queries(world, rm_client, rm, people):
    url = opportunity_url(world["opportunity"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert rm_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.add_to_shortlist(actor=rm, opportunity=world["opportunity"], candidate=world["good"])
    few = count()
    for _ in range(6):
        someone = picker(world["place"], client_manager=people["klantmanager"].staff)
        entry = services.add_to_shortlist(
            actor=rm, opportunity=world["opportunity"], candidate=someone
        )
        services.propose(actor=rm, entry=entry)
    assert count() <= few


# --- Shortlisting and the workflow ------------------------------------------------------------


def test_shortlist_button_creates_an_entry_and_shows_its_status(world, rm_client):
    url = reverse("matching:shortlist_add", kwargs={"uuid": world["opportunity"].uuid})
    back = suggestions_url(world["opportunity"], modus="breed", aantal=10)
    response = rm_client.post(url, {"kandidaat": str(world["good"].uuid), "next": back})
    assert response.status_code == 302
    assert response["Location"] == f"{back}#suggestie-{world['good'].uuid}"
    entry = ShortlistEntry.objects.get(opportunity=world["opportunity"], candidate=world["good"])
    assert entry.status == S.SHORTLISTED and entry.number == 1
    page = text(rm_client.get(back))
    message = nl("%(label)s is on the shortlist of “%(title)s”.") % {
        "label": "Kandidaat 1",
        "title": "Orderpicker",
    }
    assert message in page
    assert nl(STATUS_BADGES[S.SHORTLISTED][1]) in page  # the badge on the card
    # Twice is once.
    rm_client.post(url, {"kandidaat": str(world["good"].uuid)})
    assert ShortlistEntry.objects.filter(opportunity=world["opportunity"]).count() == 1


def test_shortlisting_someone_out_of_sight_is_refused_without_saying_why(world, rm_client, regions):
    wijchen = regions["own"]["municipalities"][1]
    hidden = picker(world["place"], municipality=wijchen)  # no regional-pool consent
    url = reverse("matching:shortlist_add", kwargs={"uuid": world["opportunity"].uuid})
    for value in (str(hidden.uuid), "", "not-a-uuid"):
        response = rm_client.post(url, {"kandidaat": value})
        assert response.status_code == 302
    assert not ShortlistEntry.objects.exists()
    assert nl("Choose a candidate from the suggestions.") in text(
        rm_client.get(suggestions_url(world["opportunity"]))
    )


def test_shortlist_refuses_a_foreign_next_url(world, rm_client):
    url = reverse("matching:shortlist_add", kwargs={"uuid": world["opportunity"].uuid})
    response = rm_client.post(
        url, {"kandidaat": str(world["good"].uuid), "next": "https://evil.example/"}
    )
    assert response["Location"].startswith(suggestions_url(world["opportunity"]))


def test_the_panel_lists_the_entry_with_its_next_steps(world, rm_client, entry, rm):
    response = rm_client.get(opportunity_url(world["opportunity"]))
    html = response.content.decode()
    page = text(response)
    assert nl("Shortlist") in page and "Kandidaat 1" in page and str(world["good"]) in page
    assert nl("View suggestions") in page
    assert suggestions_url(world["opportunity"]) in html
    # On the shortlist: propose, or take off. Consent is asked only after proposing.
    assert step_url(entry, "propose") in html
    assert step_url(entry, "withdraw") in html
    for later in ("request_consent", "record_consent", "plan_introduction", "record_outcome"):
        assert step_url(entry, later) not in html
    services.propose(actor=rm, entry=entry)
    html = rm_client.get(opportunity_url(world["opportunity"])).content.decode()
    assert step_url(entry, "propose") not in html
    assert step_url(entry, "request_consent") in html
    assert step_url(entry, "record_consent") in html
    # The consent channels: in person, phone, paper; never the portal (the candidate's own).
    assert 'value="persoonlijk"' in html and 'value="telefoon"' in html
    assert 'value="brief"' in html and 'value="portaal"' not in html


def test_each_step_moves_the_status(world, rm_client, entry):
    prefix = "k1"
    back = opportunity_url(world["opportunity"])

    response = rm_client.post(step_url(entry, "propose"), {"version": entry.version})
    assert response.status_code == 302 and response["Location"] == back
    assert _refresh(entry).status == S.PROPOSED
    done = nl("%(label)s has been proposed to the employer as an anonymous profile.")
    assert done % {"label": "Kandidaat 1"} in text(rm_client.get(back))

    rm_client.post(step_url(entry, "request_consent"))
    assert _refresh(entry).status == S.CONSENT_REQUESTED

    rm_client.post(
        step_url(entry, "record_consent"),
        {f"{prefix}-toestemming-vastleggen-via": ConsentChannel.PHONE},
    )
    assert _refresh(entry).status == S.IDENTITY_SHARED
    consent = Consent.objects.get(
        candidate=world["good"], scope=ConsentScope.SHARE_WITH_EMPLOYER, withdrawn_at=None
    )
    assert consent.granted_via == ConsentChannel.PHONE

    rm_client.post(
        step_url(entry, "plan_introduction"),
        {
            f"{prefix}-kennismaking-at": "2030-05-06T10:00",
            f"{prefix}-kennismaking-place": "Magazijn, Bijsterhuizen 11",
        },
    )
    planned = _refresh(entry)
    assert planned.status == S.INTRODUCTION
    local = timezone.localtime(planned.introduction_at)
    assert (local.date(), local.hour) == (dt.date(2030, 5, 6), 10)
    assert "06-05-2030 10:00, Magazijn, Bijsterhuizen 11" in text(rm_client.get(back))

    rm_client.post(
        step_url(entry, "record_outcome"),
        {
            f"{prefix}-uitkomst-outcome": IntroductionOutcome.HIRED,
            f"{prefix}-uitkomst-note": "Start maandag",
        },
    )
    done = _refresh(entry)
    assert (done.status, done.outcome, done.outcome_note) == (
        S.FINISHED,
        "aangenomen",
        "Start maandag",
    )
    html = rm_client.get(back).content.decode()
    assert nl(IntroductionOutcome.HIRED.label) in html
    assert step_url(entry, "withdraw") not in html  # nothing left to do


def test_withdraw_with_a_reason(world, rm_client, entry):
    rm_client.post(step_url(entry, "withdraw"), {"k1-afvoeren-reason": "Verhuist"})
    gone = _refresh(entry)
    assert (gone.status, gone.withdrawn_reason) == (S.WITHDRAWN, "Verhuist")


def test_a_refused_step_changes_nothing_and_says_why(world, rm_client, entry, rm):
    back = opportunity_url(world["opportunity"])
    services.propose(actor=rm, entry=entry)
    # Planning an introduction before the name may be shared: refused by the service.
    response = rm_client.post(
        step_url(entry, "plan_introduction"),
        {"k1-kennismaking-at": "2030-05-06T10:00", "k1-kennismaking-place": "Magazijn"},
    )
    assert response.status_code == 302 and response["Location"] == f"{back}#kandidaat-1"
    assert _refresh(entry).status == S.PROPOSED
    assert _refresh(entry).introduction_at is None
    page = text(rm_client.get(back))
    assert (
        nl("Nothing was changed for %(label)s: %(errors)s").split("%(errors)s")[0]
        % {"label": "Kandidaat 1"}
        in page
    )
    assert nl("First ask the candidate's consent to share their name with the employer.") in page


def test_a_missing_field_is_named_next_to_the_form(world, rm_client, entry):
    back = opportunity_url(world["opportunity"])
    rm_client.post(step_url(entry, "withdraw"), {"k1-afvoeren-reason": "  "})
    assert _refresh(entry).status == S.SHORTLISTED
    response = rm_client.get(back)
    html = response.content.decode()
    page = text(response)
    assert f"{nl('Reason')}: {nl('Give a reason.')}" in page  # the field named in the panel
    # The form is open again, with the error next to the field.
    assert re.search(
        r'<details class="disclosure disclosure-small" open data-step-form="afvoeren"', html
    )
    assert 'id="id_k1-afvoeren-reason_error"' in html
    # Shown once: the next page load is clean.
    assert nl("Give a reason.") not in text(rm_client.get(back))


def test_a_step_in_the_wrong_state_is_refused(world, rm_client, entry, rm):
    services.propose(actor=rm, entry=entry)
    response = rm_client.post(step_url(entry, "propose"), {"version": _refresh(entry).version})
    assert response.status_code == 302
    assert _refresh(entry).status == S.PROPOSED
    refused = nl("This step is not possible now: %(name)s is '%(status)s'.") % {
        "name": "Kandidaat 1",
        "status": nl(S.PROPOSED.label),
    }
    assert refused in text(rm_client.get(opportunity_url(world["opportunity"])))


def test_a_stale_version_is_refused(world, rm_client, entry):
    stale = entry.version
    ShortlistEntry.objects.filter(pk=entry.pk).update(version=stale + 1)
    rm_client.post(step_url(entry, "propose"), {"version": stale})
    assert _refresh(entry).status == S.SHORTLISTED


# --- Who may not ------------------------------------------------------------------------------


def test_a_client_manager_sees_suggestions_but_may_not_shortlist(world, login, people, entry):
    client = login(people["klantmanager"])
    assert client.get(suggestions_url(world["opportunity"])).status_code == 200
    html = client.get(suggestions_url(world["opportunity"])).content.decode()
    assert "data-shortlist-add" not in html
    add = reverse("matching:shortlist_add", kwargs={"uuid": world["opportunity"].uuid})
    assert client.post(add, {"kandidaat": str(world["far"].uuid)}).status_code == 403
    assert client.post(step_url(entry, "propose")).status_code == 403
    assert _refresh(entry).status == S.SHORTLISTED
    # The panel shows the entry without the forms.
    panel = client.get(opportunity_url(world["opportunity"])).content.decode()
    assert "Kandidaat 1" in panel and step_url(entry, "propose") not in panel


def test_the_employer_portal_user_has_no_staff_pages(world, login, people, entry):
    client = login(people["werkgever"])
    response = client.get(suggestions_url(world["opportunity"]))
    assert response.status_code in (302, 403)
    add = reverse("matching:shortlist_add", kwargs={"uuid": world["opportunity"].uuid})
    assert client.post(add, {"kandidaat": str(world["good"].uuid)}).status_code in (302, 403)
    assert client.post(step_url(entry, "propose")).status_code in (302, 403)
    assert _refresh(entry).status == S.SHORTLISTED


def test_anonymous_visitors_are_sent_to_the_login(world, client, entry):
    response = client.get(suggestions_url(world["opportunity"]))
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_another_regions_staff_gets_not_found(world, login, people, entry):
    client = login(people["other_region_rm"])
    assert client.get(suggestions_url(world["opportunity"])).status_code == 404
    assert client.post(step_url(entry, "propose")).status_code == 404


def test_suggestions_page_is_get_only(world, rm_client):
    assert rm_client.post(suggestions_url(world["opportunity"])).status_code == 405


# --- The employer 360° page -------------------------------------------------------------------


def test_the_employer_page_lists_proposed_candidates(world, rm_client, rm, entry, people):
    services.propose(actor=rm, entry=entry)
    url = reverse("employers:detail", kwargs={"uuid": world["employer"].uuid})
    page = text(rm_client.get(url))
    assert nl("Proposed candidates") in page
    assert "Orderpicker" in page and "Kandidaat 1" in page
    assert nl(STATUS_BADGES[S.PROPOSED][1]) in page
