"""The matching API: suggestions both ways with their breakdown and explanation, anonymous pool
candidates, k/mode validation, who may call what, the shortlist workflow step by step, scope
(404 for another region) and a query count that does not grow with k."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api_support import PROBLEM, api_for, ok, problem
from candidates_support import give_consent
from matching_support import WIJCHEN, picker
from werkbrug.candidates.models import ConsentScope
from werkbrug.employers.models import Employer
from werkbrug.matching.models import ShortlistEntry

pytestmark = pytest.mark.django_db
FACTORS = {"skills", "wishes", "hours", "travel", "availability", "requirements"}


def _suggestions(opportunity) -> str:
    return f"/api/v1/work-opportunities/{opportunity.uuid}/suggestions"


def _shortlist(opportunity) -> str:
    return f"/api/v1/work-opportunities/{opportunity.uuid}/shortlist"


def _entry(entry_uuid, step: str = "") -> str:
    return f"/api/v1/shortlist-entries/{entry_uuid}" + (f"/{step}" if step else "")


def _pool_member(world, people):
    """A candidate of another municipality (Wijchen) who shares a profile region-wide: the
    relationship manager (Nijmegen) sees them only anonymously."""
    wijchen = world["place"]["municipalities"][1]
    outsider = picker(world["place"], municipality=wijchen, first_name="Geheime", last_name="Poel")
    give_consent(outsider, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    return outsider


# --- Suggestions for an opportunity ----------------------------------------------------------


def test_suggestions_are_best_first_with_breakdown_and_explanation(world, people):
    body = ok(api_for(people["relatiemanager"]).get(_suggestions(world["opportunity"])))
    assert body["opportunity"] == str(world["opportunity"].uuid)
    assert body["mode"] == "breed" and body["k"] == 50
    rows = body["results"]
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    best = rows[0]
    assert best["candidate"] == {
        "uuid": str(world["good"].uuid),
        "name": world["good"].full_name,
    }
    assert best["anonymous"] is False and best["anonymous_profile"] is None
    assert 0 < best["score"] <= 1 and round(best["score"], 3) == best["score"]
    assert set(best["factors"]) == FACTORS
    for factor in best["factors"].values():
        assert set(factor) == {"label", "value", "weight"}
        assert 0 <= factor["value"] <= 1 and factor["label"]
    assert abs(sum(f["weight"] for f in best["factors"].values()) - 1) < 1e-6
    assert "orders verzamelen" in best["explanation"]
    assert "woont op 9 km" in best["explanation"]
    assert "orders verzamelen" in best["matched_tasks"]
    assert "orders inpakken en verzendklaar maken" in best["related_tasks"]
    assert isinstance(best["missing_tasks"], list)
    assert best["missing_requirements"] == []
    assert best["distance_km"] == 9
    assert best["shortlist"] is None
    far = next(r for r in rows if r["candidate"]["uuid"] == str(world["far"].uuid))
    assert far["score"] < best["score"] and far["factors"]["travel"]["value"] < 0.5


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("k=0", "k"),
        ("k=201", "k"),
        ("k=veel", "k"),
        ("mode=los", "mode"),
        ("k=5&mode=", "mode"),
    ],
)
def test_k_and_mode_are_validated(world, people, query, name):
    response = api_for(people["relatiemanager"]).get(
        f"{_suggestions(world['opportunity'])}?{query}"
    )
    assert problem(response) == [name]


def test_k_limits_and_strict_mode_filters(world, people):
    client = api_for(people["relatiemanager"])
    one = ok(client.get(f"{_suggestions(world['opportunity'])}?k=1"))
    assert one["k"] == 1 and len(one["results"]) == 1
    assert one["results"][0]["candidate"]["uuid"] == str(world["good"].uuid)
    world["opportunity"].driving_licence = True
    world["opportunity"].save()
    broad = ok(client.get(f"{_suggestions(world['opportunity'])}?k=200&mode=breed"))
    assert broad["results"] and all(
        "rijbewijs B" in r["missing_requirements"] for r in broad["results"]
    )
    strict = ok(client.get(f"{_suggestions(world['opportunity'])}?mode=strikt"))
    assert strict["mode"] == "strikt" and strict["results"] == []


def test_pool_candidate_is_anonymous_without_name(world, people):
    outsider = _pool_member(world, people)
    response = api_for(people["relatiemanager"]).get(_suggestions(world["opportunity"]))
    rows = ok(response)["results"]
    anonymous = [r for r in rows if r["anonymous"]]
    assert len(anonymous) == 1
    row = anonymous[0]
    assert row["candidate"] == {"uuid": str(outsider.uuid), "name": None}  # to shortlist by
    profile = row["anonymous_profile"]
    assert "orders verzamelen" in profile["tasks"] and profile["tasks"][0] in row["matched_tasks"]
    assert (profile["hours_min"], profile["hours_max"]) == (24, 32)
    assert profile["distance_km"] == 9
    assert row["explanation"] and set(row["factors"]) == FACTORS
    content = response.content.decode()
    assert "Geheime" not in content and "Poel" not in content
    # The candidates known in full are still named.
    assert all(r["candidate"]["uuid"] for r in rows if not r["anonymous"])


def test_employers_and_roles_without_the_permission_get_403(world, people):
    opportunity = world["opportunity"]
    for role in ("werkgever", "kandidaat", "onderzoeker", "beheerder"):
        client = api_for(people[role])
        assert client.get(_suggestions(opportunity)).status_code == 403, role
        assert client.get(_shortlist(opportunity)).status_code == 403, role
        assert client.get(f"/api/v1/candidates/{world['good'].uuid}/suggestions").status_code == 403
    denied = api_for(people["werkgever"]).get(_suggestions(opportunity))
    assert denied["Content-Type"] == PROBLEM and "Geheime" not in denied.content.decode()
    assert APIClient().get(_suggestions(opportunity)).status_code in (401, 403)


def test_user_of_another_region_gets_404(world, people):
    entry = ok(
        api_for(people["relatiemanager"]).post(
            _shortlist(world["opportunity"]), {"candidate": str(world["good"].uuid)}
        ),
        201,
    )
    other = api_for(people["other_region_rm"])
    for path in (
        _suggestions(world["opportunity"]),
        _shortlist(world["opportunity"]),
        _entry(entry["uuid"]),
        f"/api/v1/candidates/{world['good'].uuid}/suggestions",
    ):
        response = other.get(path)
        assert response.status_code == 404 and response["Content-Type"] == PROBLEM, path
    assert other.post(_entry(entry["uuid"], "propose")).status_code == 404
    assert other.post(_entry(entry["uuid"], "withdraw"), {"reason": "x"}).status_code == 404
    assert (
        other.post(
            _shortlist(world["opportunity"]), {"candidate": str(world["good"].uuid)}
        ).status_code
        == 404
    )
    assert ShortlistEntry.objects.get().status == "shortlist"


def test_unknown_uuids_are_404(world, people):
    client = api_for(people["relatiemanager"])
    for path in (
        "/api/v1/work-opportunities/00000000-0000-0000-0000-000000000000/suggestions",
        "/api/v1/work-opportunities/not-a-uuid/shortlist",
        "/api/v1/shortlist-entries/00000000-0000-0000-0000-000000000000",
        "/api/v1/candidates/not-a-uuid/suggestions",
    ):
        assert client.get(path).status_code == 404, path


def test_query_count_does_not_grow_with_k(world, people):
    place = world["place"]
    wijchen = place["municipalities"][1]
    for i in range(24):
        if i % 3 == 0:  # pool members, seen anonymously
            other = picker(place, municipality=wijchen)
            give_consent(other, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
        else:
            picker(place, experienced=i % 2 == 0)
    client = api_for(people["relatiemanager"])
    for candidate in (world["good"], world["cashier"]):
        client.post(_shortlist(world["opportunity"]), {"candidate": str(candidate.uuid)})
    ok(client.get(f"{_suggestions(world['opportunity'])}?k=20"))  # warm the index

    def count(k: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            body = ok(client.get(f"{_suggestions(world['opportunity'])}?k={k}"))
        return len(queries), len(body["results"])

    small, shown_small = count(2)
    large, shown_large = count(20)
    assert (shown_small, shown_large) == (2, 20)
    assert large <= small, (small, large)


# --- Suggestions for a candidate ------------------------------------------------------------


def test_work_and_employers_to_ask_for_a_candidate(world, people):
    Employer.objects.create(
        region=world["place"]["region"],
        name="Magazijn Zonder Vacature",
        municipality=world["place"]["municipalities"][1],
        sbi_code="52101",
        latitude=WIJCHEN[0],
        longitude=WIJCHEN[1],
        owner=world["rm"],
    )
    client = api_for(people["relatiemanager"])
    body = ok(client.get(f"/api/v1/candidates/{world['good'].uuid}/suggestions?k=5"))
    assert body["candidate"] == str(world["good"].uuid)
    assert body["k"] == 5 and body["mode"] == "breed"
    work = body["work"][0]
    assert work["opportunity"] == {
        "uuid": str(world["opportunity"].uuid),
        "title": "Orderpicker",
    }
    assert work["employer"] == {
        "uuid": str(world["employer"].uuid),
        "name": "Logistiek Centrum Wijchen",
    }
    assert 0 < work["score"] <= 1 and work["explanation"]
    assert set(work["factors"]) == FACTORS
    asks = {row["employer"]["name"]: row for row in body["employers_to_ask"]}
    assert "Magazijn Zonder Vacature" in asks
    assert asks["Magazijn Zonder Vacature"]["explanation"].startswith("vraag naar werk")
    assert "Logistiek Centrum Wijchen" not in asks  # has open work: it is in "work"
    assert problem(client.get(f"/api/v1/candidates/{world['good'].uuid}/suggestions?k=0")) == ["k"]


# --- The shortlist workflow -----------------------------------------------------------------


def test_the_whole_shortlist_workflow(world, people, django_capture_on_commit_callbacks):
    client = api_for(people["relatiemanager"])
    opportunity, good = world["opportunity"], world["good"]

    added = ok(client.post(_shortlist(opportunity), {"candidate": str(good.uuid)}), 201)
    assert added["label"] == "Kandidaat 1" and added["status"] == "shortlist"
    assert added["status_display"] and added["opportunity"] == str(opportunity.uuid)
    assert added["candidate"] == {"uuid": str(good.uuid), "name": good.full_name}
    assert added["anonymous"] is False
    assert 0 < added["score"] <= 1 and "orders verzamelen" in added["explanation"]
    assert added["proposed_at"] is None and added["introduction_at"] is None
    again = ok(client.post(_shortlist(opportunity), {"candidate": str(good.uuid)}), 201)
    assert again["uuid"] == added["uuid"]  # already on it: the same entry

    listed = ok(client.get(_shortlist(opportunity)))
    assert [row["uuid"] for row in listed["results"]] == [added["uuid"]]
    suggested = ok(client.get(_suggestions(opportunity)))["results"][0]
    assert suggested["shortlist"] == {
        "uuid": added["uuid"],
        "label": "Kandidaat 1",
        "status": "shortlist",
    }
    entry_path = added["uuid"]
    assert ok(client.get(_entry(entry_path)))["status"] == "shortlist"

    stale = client.post(_entry(entry_path, "propose"), {"version": added["version"] + 5})
    assert stale.status_code == 409 and stale["Content-Type"] == PROBLEM
    proposed = ok(client.post(_entry(entry_path, "propose"), {"version": added["version"]}))
    assert proposed["status"] == "voorgesteld" and proposed["proposed_at"]
    opportunity.refresh_from_db()
    assert opportunity.status == "voorgesteld"
    assert problem(client.post(_entry(entry_path, "propose"))) == ["status"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes on commit
        asked = ok(client.post(_entry(entry_path, "request-consent")))
    assert asked["status"] == "toestemming_gevraagd"
    assert [m.to for m in mail.outbox] == [[good.email]]

    at = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    plan = {"at": at.isoformat(), "place": "Werkplein Nijmegen"}
    # The employer would learn who comes: not without the consent to share the name.
    assert problem(client.post(_entry(entry_path, "introduction"), plan)) == ["status"]
    assert problem(client.post(_entry(entry_path, "record-consent"), {"via": "duif"})) == ["via"]

    consented = ok(client.post(_entry(entry_path, "record-consent"), {"via": "telefoon"}))
    assert consented["status"] == "naam_gedeeld"
    assert good.consents.filter(
        scope=ConsentScope.SHARE_WITH_EMPLOYER, employer=world["employer"], granted_via="telefoon"
    ).exists()

    assert problem(client.post(_entry(entry_path, "introduction"), {"place": "x"})) == ["at"]
    assert problem(
        client.post(_entry(entry_path, "introduction"), {"at": plan["at"], "place": ""})
    ) == ["place"]
    planned = ok(client.post(_entry(entry_path, "introduction"), plan))
    assert planned["status"] == "kennismaking"
    assert planned["introduction_place"] == "Werkplein Nijmegen"
    assert dt.datetime.fromisoformat(planned["introduction_at"]) == at
    opportunity.refresh_from_db()
    assert opportunity.status == "kennismaking"

    assert problem(client.post(_entry(entry_path, "outcome"), {"outcome": "top"})) == ["outcome"]
    done = ok(
        client.post(
            _entry(entry_path, "outcome"), {"outcome": "aangenomen", "note": "Start maandag"}
        )
    )
    assert done["status"] == "afgerond" and done["outcome"] == "aangenomen"
    assert done["outcome_display"] and done["outcome_note"] == "Start maandag"
    # Finished: taking them off the list is no longer a step.
    assert problem(client.post(_entry(entry_path, "withdraw"), {"reason": "te laat"})) == ["status"]


def test_withdraw_needs_a_reason_and_keeps_the_entry(world, people):
    client = api_for(people["relatiemanager"])
    entry = ok(
        client.post(_shortlist(world["opportunity"]), {"candidate": str(world["cashier"].uuid)}),
        201,
    )
    assert problem(client.post(_entry(entry["uuid"], "withdraw"), {"reason": ""})) == ["reason"]
    assert problem(client.post(_entry(entry["uuid"], "withdraw"), {})) == ["reason"]
    gone = ok(client.post(_entry(entry["uuid"], "withdraw"), {"reason": "Geen ervaring"}))
    assert gone["status"] == "afgevallen" and gone["withdrawn_reason"] == "Geen ervaring"
    rows = ok(client.get(_shortlist(world["opportunity"])))["results"]
    assert [r["status"] for r in rows] == ["afgevallen"]
    back = ok(
        client.post(_shortlist(world["opportunity"]), {"candidate": str(world["cashier"].uuid)}),
        201,
    )
    assert back["uuid"] == entry["uuid"] and back["status"] == "shortlist"


def test_adding_names_the_candidate_field_and_needs_the_shortlist_permission(world, people):
    client = api_for(people["relatiemanager"])
    path = _shortlist(world["opportunity"])
    assert problem(client.post(path, {})) == ["candidate"]
    assert problem(client.post(path, {"candidate": "00000000-0000-0000-0000-000000000000"})) == [
        "candidate"
    ]
    # The client manager may read suggestions and shortlists, not work on them.
    manager = api_for(people["klantmanager"])
    assert manager.get(path).status_code == 200
    assert problem(manager.post(path, {"candidate": str(world["good"].uuid)}), 403) == []
    assert not ShortlistEntry.objects.exists()


def test_entry_of_a_pool_candidate_does_not_show_who_it_is(world, people):
    outsider = _pool_member(world, people)
    client = api_for(people["relatiemanager"])
    entry = ok(
        client.post(_shortlist(world["opportunity"]), {"candidate": str(outsider.uuid)}), 201
    )
    assert entry["candidate"] is None and entry["anonymous"] is True
    assert entry["label"] == "Kandidaat 1"
    for response in (
        client.get(_shortlist(world["opportunity"])),
        client.get(_entry(entry["uuid"])),
        client.post(_entry(entry["uuid"], "propose")),
    ):
        content = response.content.decode()
        assert response.status_code == 200, content
        assert str(outsider.uuid) not in content and "Geheime" not in content
    row = next(
        r for r in ok(client.get(_suggestions(world["opportunity"])))["results"] if r["anonymous"]
    )
    assert row["shortlist"]["uuid"] == entry["uuid"] and row["candidate"]["name"] is None


def test_schema_has_the_matching_routes_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert not messages, messages
    validate_schema(schema)
    paths = schema["paths"]
    assert "get" in paths["/api/v1/work-opportunities/{uuid}/suggestions"]
    assert "get" in paths["/api/v1/candidates/{uuid}/suggestions"]
    assert {"get", "post"} <= set(paths["/api/v1/work-opportunities/{uuid}/shortlist"])
    assert "get" in paths["/api/v1/shortlist-entries/{uuid}"]
    for step in ("propose", "request-consent", "record-consent", "introduction", "outcome"):
        assert "post" in paths[f"/api/v1/shortlist-entries/{{uuid}}/{step}"]
    assert "post" in paths["/api/v1/shortlist-entries/{uuid}/withdraw"]
    # The existing work-opportunity routes are untouched.
    assert "get" in paths["/api/v1/work-opportunities/{uuid}"]
    assert "post" in paths["/api/v1/work-opportunities/{uuid}/status"]
