"""The evaluation API: surveys (create, read, invite the control group, the anonymised answers
and the tables with small cells suppressed), the invitation registry (only for who sends),
control groups (draw, balance, effect) and complaints; who may call it (403), scope (404 for
another region), service errors as problem details naming the field, and the schema."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from api_support import api_for, ok, problem
from candidates_support import make_candidate
from steering_support import place
from werkbrug.core.access import actor_for
from werkbrug.employers.models import Employer
from werkbrug.evaluation import questionnaires, services
from werkbrug.evaluation.models import (
    Complaint,
    ControlGroup,
    Group,
    Invitation,
    Mode,
    Response,
    Survey,
    SurveyStatus,
)

pytestmark = pytest.mark.django_db

SURVEYS = "/api/v1/surveys"
INVITATIONS = "/api/v1/survey-invitations"
CONTROL_GROUPS = "/api/v1/control-groups"
COMPLAINTS = "/api/v1/complaints"
TEMPLATE = "werktop_kandidaat"
START = dt.date(2025, 1, 1)
OPEN_TEXT = "Meer vacatures in de buurt."


def _in_a_month() -> str:
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def _survey(people: dict[str, Any], **fields: Any) -> Survey:
    values: dict[str, Any] = {
        "title": "Werktop 2025",
        "template_code": TEMPLATE,
        "closes_on": timezone.localdate() + dt.timedelta(days=30),
    }
    return services.create_survey(actor=actor_for(people["onderzoeker"]), **(values | fields))


def _answers(survey: Survey, **overrides: Any) -> dict[str, Any]:
    """A complete, valid set of raw answers (on a benefit, no contact with a relationship
    manager: those sections are skipped), with an open text that must never come out."""
    raw: dict[str, Any] = {}
    for question in services.questionnaire_of(survey).questions:
        kind = question.kind
        if kind == questionnaires.Kind.LIKERT:
            raw[question.code] = "2"
        elif kind in (questionnaires.Kind.SINGLE, questionnaires.Kind.MULTI):
            first = question.choices[0].value
            raw[question.code] = [first] if kind == questionnaires.Kind.MULTI else first
        elif kind == questionnaires.Kind.YESNO:
            raw[question.code] = "ja"
        elif kind == questionnaires.Kind.GRADE:
            raw[question.code] = "7"
        elif kind == questionnaires.Kind.NUMBER:
            raw[question.code] = str(question.minimum)
        else:
            raw[question.code] = OPEN_TEXT
    raw.update(werksituatie="3", contact_gemeente="nee")
    return raw | overrides


def _caseload(regions: dict[str, Any], people: dict[str, Any], *, took_part: int = 3) -> dict:
    """Twelve candidates of the own region; the first ``took_part`` have a placement after
    the intervention's start, so they are participants."""
    own = regions["own"]
    candidates = [make_candidate(own) for _ in range(12)]
    rm = people["relatiemanager"].staff
    employer = Employer.objects.create(
        region=own["region"],
        name="Distributiecentrum Oost",
        municipality=own["municipalities"][0],
        owner=rm,
    )
    for candidate in candidates[:took_part]:
        place(own["region"], candidate, employer, rm, start_on=dt.date(2025, 3, 1))
    return {"candidates": candidates, "employer": employer}


def _control_group(people: dict[str, Any], size: int = 5) -> ControlGroup:
    return services.draw_control_group(
        actor=actor_for(people["onderzoeker"]),
        name="Controle 2025",
        intervention_start=START,
        size=size,
        seed=7,
    )


def _respond(survey: Survey, group: str, answers: dict[str, Any], times: int = 1) -> None:
    for _ in range(times):
        Response.objects.create(
            survey=survey,
            group=group,
            mode=Mode.WEB,
            submitted_on=timezone.localdate(),
            answers=answers,
        )


# --- Surveys --------------------------------------------------------------------------------


def test_a_researcher_creates_a_survey_and_reads_it(people):
    """A researcher creates a survey; the list omits the questions, the detail has them."""
    researcher = api_for(people["onderzoeker"])
    made = ok(
        researcher.post(
            SURVEYS,
            {
                "template_code": TEMPLATE,
                "title": "Werktop najaar",
                "closes_on": _in_a_month(),
                "min_cell_size": 5,
                "incentive": "een cadeaubon",
            },
            format="json",
        ),
        201,
    )
    assert made["status"] == SurveyStatus.DRAFT and made["audience"] == "candidate"
    assert made["min_cell_size"] == 5 and made["control_group"] is None
    survey = Survey.objects.get(uuid=made["uuid"])
    assert survey.region == people["onderzoeker"].staff.organisation.region

    listed = ok(researcher.get(SURVEYS))["results"]
    assert [s["uuid"] for s in listed] == [made["uuid"]]
    assert listed[0]["questionnaire"] is None and listed[0]["response_rates"] is None

    one = ok(researcher.get(f"{SURVEYS}/{made['uuid']}"))
    assert one["title"] == "Werktop najaar"
    codes = [q["code"] for s in one["questionnaire"]["sections"] for q in s["questions"]]
    assert "geslacht" in codes and "rapportcijfer_begeleiding" in codes
    assert one["response_rates"] == []


def test_a_survey_with_wrong_input_is_refused_naming_the_fields(people, regions):
    """A past closing day, foreign control group or unknown template: a 400 naming it."""
    researcher = api_for(people["onderzoeker"])
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    body = {"template_code": TEMPLATE, "closes_on": past}
    assert problem(researcher.post(SURVEYS, body, format="json")) == ["closes_on"]

    other = ControlGroup.objects.create(
        region=regions["other"]["region"],
        name="Zaanstad",
        intervention_start=START,
        size=1,
        seed=1,
        drawn_at=timezone.now(),
    )
    body = {"template_code": TEMPLATE, "closes_on": _in_a_month(), "control_group": other.uuid}
    assert problem(researcher.post(SURVEYS, body, format="json")) == ["control_group"]
    body = {"template_code": "geen_sjabloon", "closes_on": _in_a_month()}
    assert problem(researcher.post(SURVEYS, body, format="json")) == ["template_code"]
    assert not Survey.objects.exists()


def test_inviting_the_control_group_counts_the_invitations_per_group(
    regions, people, django_capture_on_commit_callbacks
):
    """Inviting the control group counts invitations per group and never invites twice."""
    _caseload(regions, people, took_part=3)
    group = _control_group(people, size=5)
    survey = _survey(people, control_group=group)
    researcher = api_for(people["onderzoeker"])
    path = f"{SURVEYS}/{survey.uuid}/invite-control-group"

    with django_capture_on_commit_callbacks(execute=True):
        counts = ok(researcher.post(path, {"channel": "email"}, format="json"))

    assert counts == {"participant": 3, "control": 5, "total": 8}
    assert Invitation.objects.filter(survey=survey).count() == 8
    assert len(mail.outbox) == 8
    links = re.findall(r"http://testserver/enquete/([A-Za-z0-9_-]+)/", mail.outbox[0].body)
    assert len(links) == 1
    assert services.invitation_for_token(links[0]).survey == survey

    again = ok(researcher.post(path, {"channel": "letter"}, format="json"))
    assert again == {"participant": 0, "control": 0, "total": 0}
    rates = ok(researcher.get(f"{SURVEYS}/{survey.uuid}"))["response_rates"]
    assert [(r["group"], r["invited"], r["sent"]) for r in rates] == [
        ("participant", 3, 3),
        ("control", 5, 5),
    ]
    assert problem(researcher.post(path, {"channel": "fax"}, format="json")) == ["channel"]


def test_a_survey_without_a_control_group_cannot_invite_one(people):
    """The service's refusal (no control group) comes out as problem details (400)."""
    survey = _survey(people)
    response = api_for(people["onderzoeker"]).post(
        f"{SURVEYS}/{survey.uuid}/invite-control-group", {"channel": "email"}, format="json"
    )
    assert problem(response) == ["__all__"]


def test_closing_a_survey(people):
    """POST close closes the survey and returns it."""
    survey = _survey(people)
    closed = ok(api_for(people["onderzoeker"]).post(f"{SURVEYS}/{survey.uuid}/close"))
    assert closed["status"] == SurveyStatus.CLOSED and closed["uuid"] == str(survey.uuid)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED


def test_the_tables_json_has_no_count_for_a_suppressed_cell(people):
    """Suppressed cells (small or complementary) carry no count, percentage or expected."""
    survey = _survey(people, min_cell_size=5)
    base = _answers(survey)
    for group, counts in ((Group.PARTICIPANT, (9, 3, 3)), (Group.CONTROL, (8, 2, 6))):
        for answer, times in zip(("1", "2", "3"), counts, strict=True):
            _respond(survey, group, base | {"geslacht": answer}, times=times)

    response = api_for(people["onderzoeker"]).get(
        f"{SURVEYS}/{survey.uuid}/tables", {"question": "geslacht"}
    )
    table = ok(response)

    assert table["n"] == [15, 16] and table["hidden_columns"] == []
    assert table["min_cell"] == 5
    shown, small, beside = table["cells"]
    assert [(c["count"], c["percentage"], c["suppressed"]) for c in shown] == [
        (9, 60.0, False),
        (8, 50.0, False),
    ]
    hidden = {"count": None, "percentage": None, "suppressed": True}
    assert small == [hidden | {"complementary": False}, hidden | {"complementary": False}]
    assert beside == [hidden | {"complementary": False}, hidden | {"complementary": True}]
    assert table["chi"] is not None and table["chi"]["expected"] is None
    assert {"statistic", "dof", "p_value", "cramers_v", "mark", "warning"} <= set(table["chi"])
    cells = [cell for row in table["cells"] for cell in row]
    assert all(cell["count"] is None for cell in cells if cell["suppressed"])


def test_scale_questions_get_means_and_tests_and_can_be_collapsed(people):
    """Grades get means, t-test and Mann-Whitney; a collapsed likert has three rows."""
    survey = _survey(people, min_cell_size=2)
    base = _answers(survey)
    for grade in ("6", "7", "8", "9"):
        _respond(survey, Group.PARTICIPANT, base | {"rapportcijfer_begeleiding": grade})
    for grade in ("5", "6", "6", "7"):
        _respond(survey, Group.CONTROL, base | {"rapportcijfer_begeleiding": grade})
    researcher = api_for(people["onderzoeker"])

    graded = ok(
        researcher.get(f"{SURVEYS}/{survey.uuid}/tables", {"question": "rapportcijfer_begeleiding"})
    )
    assert graded["means"] == [7.5, 6.0]
    assert graded["t"]["n_a"] == 4 and graded["t"]["n_b"] == 4
    assert graded["mann_whitney"] is not None

    collapsed = ok(
        researcher.get(
            f"{SURVEYS}/{survey.uuid}/tables",
            {"question": "werk_belangrijk", "collapsed": "true"},
        )
    )
    assert len(collapsed["row_labels"]) == 3


def test_an_unknown_or_open_question_is_a_400_naming_question(people):
    """An unknown, open-text or missing question is a 400 naming `question`."""
    survey = _survey(people)
    researcher = api_for(people["onderzoeker"])
    path = f"{SURVEYS}/{survey.uuid}/tables"
    assert problem(researcher.get(path, {"question": "bestaat_niet"})) == ["question"]
    assert problem(researcher.get(path, {"question": "verbeterpunten"})) == ["question"]
    assert problem(researcher.get(path)) == ["question"]


def test_the_answers_carry_no_names_ids_or_uuids_of_candidates(
    regions, people, django_capture_on_commit_callbacks
):
    """The anonymised answers hold no name, id, uuid, token or open text of anyone."""
    survey = _survey(people)
    candidates = [make_candidate(regions["own"]) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        invitations = services.invite(
            actor=actor_for(people["onderzoeker"]),
            survey=survey,
            group=Group.PARTICIPANT,
            channel="email",
            candidates=candidates,
            base_url="https://x/enquete/TOKEN/",
        )
    tokens = [services.link_token(invitation) for invitation in invitations]
    for token in tokens:
        response, errors = services.submit(token=token, raw=_answers(survey))
        assert response is not None, errors

    answers = api_for(people["onderzoeker"]).get(f"{SURVEYS}/{survey.uuid}/responses")
    body = ok(answers)
    rows = body["results"]

    assert body["count"] == 3
    assert all(set(row) == {"group", "mode", "month", "answers"} for row in rows)
    assert all(re.fullmatch(r"\d{4}-\d{2}", row["month"]) for row in rows)
    assert {row["group"] for row in rows} == {"participant"}
    assert rows[0]["answers"]["geslacht"] == "1"
    assert "verbeterpunten" not in rows[0]["answers"]
    text = answers.content.decode()
    forbidden = [OPEN_TEXT, *tokens]
    for candidate in candidates:
        forbidden += [candidate.first_name, candidate.last_name, str(candidate.uuid)]
        forbidden += [candidate.email]
    for invitation in Invitation.objects.filter(survey=survey):
        forbidden += [str(invitation.uuid), invitation.token_hash, invitation.person_key]
    forbidden += [str(r.uuid) for r in Response.objects.filter(survey=survey)]
    assert [value for value in forbidden if value in text] == []
    assert '"id"' not in text


# --- The invitation registry ----------------------------------------------------------------


def test_the_registry_is_for_who_sends_not_for_researchers(regions, people):
    """The registry is 403 for researchers; team leads get uuids, never token or hash."""
    survey = _survey(people)
    candidate = make_candidate(regions["own"])
    (invitation,) = services.invite(
        actor=actor_for(people["teamleider"]),
        survey=survey,
        group=Group.CONTROL,
        channel="letter",
        candidates=[candidate],
        base_url="https://x/enquete/TOKEN/",
    )

    assert problem(api_for(people["onderzoeker"]).get(INVITATIONS), 403) == []
    response = api_for(people["teamleider"]).get(INVITATIONS, {"survey": str(survey.uuid)})
    (row,) = ok(response)["results"]
    assert row == {
        "uuid": str(invitation.uuid),
        "survey": str(survey.uuid),
        "group": "control",
        "channel": "letter",
        "sent_at": None,
        "opened_at": None,
        "completed_on": None,
        "reminders_sent": 0,
        "candidate": str(candidate.uuid),
        "contact_person": None,
    }
    text = response.content.decode()
    assert invitation.token_hash not in text and invitation.person_key not in text
    assert services.link_token(invitation) not in text
    assert ok(api_for(people["beheerder"]).get(INVITATIONS))["count"] == 1


# --- Scope ----------------------------------------------------------------------------------


def test_another_region_gets_404_on_our_survey(people):
    """Another region's administrator gets 404 on our survey's uuid (no IDOR)."""
    survey = _survey(people)
    theirs = api_for(people["other_region_admin"])
    for path in (
        f"{SURVEYS}/{survey.uuid}",
        f"{SURVEYS}/{survey.uuid}/responses",
        f"{SURVEYS}/{survey.uuid}/tables?question=geslacht",
    ):
        assert problem(theirs.get(path), 404) == []
    assert problem(theirs.post(f"{SURVEYS}/{survey.uuid}/close"), 404) == []
    assert ok(theirs.get(SURVEYS))["results"] == []
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT


def test_a_relationship_manager_may_not_use_surveys(people):
    """Surveys are for research: a relationship manager gets 403."""
    assert problem(api_for(people["relatiemanager"]).get(SURVEYS), 403) == []


# --- Control groups -------------------------------------------------------------------------


def test_draw_a_control_group_and_read_its_balance_and_effect(regions, people):
    """A control group drawn via the API has counts, balance tables and effect rows."""
    _caseload(regions, people, took_part=3)
    researcher = api_for(people["onderzoeker"])
    nijmegen = regions["own"]["municipalities"][0]
    made = ok(
        researcher.post(
            CONTROL_GROUPS,
            {
                "name": "Controle 2025",
                "intervention_start": START.isoformat(),
                "size": 4,
                "seed": 2014,
                "method": "stratified",
                "strata": ["municipality"],
                "criteria": {"municipalities": [str(nijmegen.uuid)], "ladder_steps": [4]},
            },
            format="json",
        ),
        201,
    )
    assert made["members"] == {"participant": 3, "control": 4}
    assert (made["frame_size"], made["participant_count"], made["seed"]) == (9, 3, 2014)
    assert made["criteria"] == {"municipalities": [str(nijmegen.uuid)], "ladder_steps": [4]}
    assert made["method"] == "stratified" and made["strata"] == ["municipality"]
    group = ControlGroup.objects.get(uuid=made["uuid"])
    assert services.redraw(group) == sorted(
        str(m.candidate.uuid) for m in group.members.filter(group=Group.CONTROL)
    )

    one = ok(researcher.get(f"{CONTROL_GROUPS}/{made['uuid']}"))
    assert one["members"] == made["members"]
    assert [g["uuid"] for g in ok(researcher.get(CONTROL_GROUPS))["results"]] == [made["uuid"]]

    balance = ok(researcher.get(f"{CONTROL_GROUPS}/{made['uuid']}/balance"))
    titles = [table["title"] for table in balance]
    assert "Municipality" in titles or "Gemeente" in titles
    assert all(table["n"] == [3, 4] for table in balance)

    effect = ok(researcher.get(f"{CONTROL_GROUPS}/{made['uuid']}/effect", {"window_months": 12}))
    assert len(effect) == 4
    regular = effect[0]
    assert (regular["participants"], regular["participants_n"]) == (3, 3)
    assert (regular["controls"], regular["controls_n"]) == (0, 4)
    difference = regular["difference"]
    assert difference["difference"] == pytest.approx(1.0)
    assert difference["ci_low"] < 1.0 <= difference["ci_high"] + 1e-9
    assert {"p_value", "method"} <= set(difference)
    assert {"p_value", "mark", "warning", "fisher_p_value"} <= set(regular["chi"])

    text = json.dumps([made, one, balance, effect])
    assert "Jansen" not in text and "Kandidaat" not in text
    bad = researcher.get(f"{CONTROL_GROUPS}/{made['uuid']}/effect", {"window_months": 0})
    assert problem(bad) == ["window_months"]


def test_a_draw_the_service_refuses_is_a_400_naming_the_field(regions, people):
    """A draw the service refuses is a 400 naming the field; nothing is drawn."""
    _caseload(regions, people, took_part=0)
    researcher = api_for(people["onderzoeker"])
    body = {"name": "Te groot", "intervention_start": START.isoformat(), "size": 4}
    assert problem(researcher.post(CONTROL_GROUPS, body | {"method": "stratified"})) == ["strata"]
    assert problem(researcher.post(CONTROL_GROUPS, body | {"size": 500})) == ["size"]
    unknown = body | {"strata": ["shoe_size"]}
    assert problem(researcher.post(CONTROL_GROUPS, unknown, format="json")) == ["strata.0"]
    assert not ControlGroup.objects.exists()


def test_another_region_gets_404_on_our_control_group(regions, people):
    """Another region gets 404 on our control group, its balance and its effect."""
    _caseload(regions, people)
    group = _control_group(people)
    theirs = api_for(people["other_region_admin"])
    for suffix in ("", "/balance", "/effect"):
        assert problem(theirs.get(f"{CONTROL_GROUPS}/{group.uuid}{suffix}"), 404) == []


# --- Complaints -----------------------------------------------------------------------------


def test_complaints_are_recorded_read_and_settled(people, regions):
    """A client manager records, reads and settles a complaint; handling days count."""
    manager = api_for(people["klantmanager"])
    received = timezone.localdate() - dt.timedelta(days=10)
    made = ok(
        manager.post(
            COMPLAINTS,
            {
                "complainant": "candidate",
                "category": "communication",
                "municipality": str(regions["own"]["municipalities"][0].uuid),
                "received_on": received.isoformat(),
                "summary": "Niet teruggebeld.",
            },
            format="json",
        ),
        201,
    )
    assert made["settlement"] == "open" and made["handling_days"] is None
    assert ok(manager.get(f"{COMPLAINTS}/{made['uuid']}"))["summary"] == "Niet teruggebeld."
    assert [c["uuid"] for c in ok(manager.get(COMPLAINTS))["results"]] == [made["uuid"]]

    settled = ok(
        manager.post(
            f"{COMPLAINTS}/{made['uuid']}/settle",
            {"settlement": "amicable", "settled_on": timezone.localdate().isoformat()},
            format="json",
        )
    )
    assert settled["settlement"] == "amicable" and settled["handling_days"] == 10


def test_a_complaint_with_a_bad_field_is_a_400_naming_it(people):
    """A complaint with a bad field is a 400 naming it; nothing is stored."""
    manager = api_for(people["klantmanager"])
    body = {
        "complainant": "employer",
        "category": "service",
        "received_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
        "summary": "Te laat.",
    }
    assert problem(manager.post(COMPLAINTS, body, format="json")) == ["received_on"]
    wrong = body | {"received_on": timezone.localdate().isoformat(), "category": "weer"}
    assert problem(manager.post(COMPLAINTS, wrong, format="json")) == ["category"]
    assert not Complaint.objects.exists()

    good = ok(manager.post(COMPLAINTS, wrong | {"category": "service"}, format="json"), 201)
    early = {"settlement": "formal", "settled_on": "2000-01-01"}
    path = f"{COMPLAINTS}/{good['uuid']}/settle"
    assert problem(manager.post(path, early, format="json")) == ["settled_on"]
    assert problem(api_for(people["onderzoeker"]).get(COMPLAINTS), 403) == []


# --- Schema ---------------------------------------------------------------------------------


def test_schema_has_the_evaluation_routes_without_warnings(db):
    """The OpenAPI schema still generates, valid, without warnings, with every route."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert not messages, messages
    validate_schema(schema)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/surveys"])
    assert "get" in paths["/api/v1/surveys/{uuid}"]
    for route in ("invite-control-group", "close"):
        assert "post" in paths[f"/api/v1/surveys/{{uuid}}/{route}"]
    for route in ("responses", "tables"):
        assert "get" in paths[f"/api/v1/surveys/{{uuid}}/{route}"]
    assert set(paths["/api/v1/survey-invitations"]) == {"get"}
    assert {"get", "post"} <= set(paths["/api/v1/control-groups"])
    for route in ("balance", "effect"):
        assert "get" in paths[f"/api/v1/control-groups/{{uuid}}/{route}"]
    assert {"get", "post"} <= set(paths["/api/v1/complaints"])
    assert "post" in paths["/api/v1/complaints/{uuid}/settle"]
    cell = schema["components"]["schemas"]["EvaluationCell"]["properties"]
    assert cell["count"]["nullable"] is True
