"""POST /api/v1/calculator: the hand-computed case (see test_calculator.py for the sums), the
fields a refused situation names (problem+json), who may call it, and the schema."""

from __future__ import annotations

import pytest

from api_support import api_for, ok, problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/calculator"
HAND_COMPUTED = {
    "start_date": "2018-07-01",
    "hours_per_week": "24",
    "loonwaarde_pct": "60",
    "lkv_group": "banenafspraak",
    "months": 36,
}


@pytest.fixture
def api(people):
    return api_for(people["relatiemanager"])


def test_the_hand_computed_case(api):
    answer = ok(api.post(URL, HAND_COMPUTED, format="json"))
    assert answer["start_date"] == "2018-07-01"
    rule_set = answer["rule_set"]
    assert rule_set["name"] == "Landelijke regels per 1 juli 2018"
    assert rule_set["valid_from"] == "2018-07-01" and len(rule_set["uuid"]) == 36
    assert "Hanzehogeschool" in rule_set["source"]
    (period,) = answer["periods"]
    assert (period["first_month"], period["last_month"]) == (1, 36)
    assert [(line["code"], line["per_month"]) for line in period["costs"]] == [
        ("wage", "1006.86"),
        ("holiday_pay", "80.55"),
        ("employer_costs", "250.10"),
    ]
    assert [(line["code"], line["per_month"]) for line in period["reliefs"]] == [
        ("lks", "535.01"),
        ("lkv", "166.67"),
        ("liv", "104.00"),
    ]
    assert (period["cost"], period["relief"], period["net"]) == ("1337.51", "805.68", "531.83")
    wage = period["costs"][0]
    assert wage["label"] == "Brutoloon" and wage["rules"] == ["wml_month", "wml_hours_week"]
    assert "van het minimumloon voor 24 uur per week" in wage["explanation"]
    assert answer["year_totals"] == [
        {"year": year, "cost": "16050.12", "net": "6381.96"} for year in (1, 2, 3)
    ]
    assert any("loonaangifte" in note for note in answer["notes"])
    advice = {a["instrument"]: a for a in answer["advice"]}
    # A loonwaarde means the target group for wage cost subsidy; the LKV group the register.
    assert advice["lks"]["applies"] and advice["lkv"]["applies"] and advice["liv"]["applies"]
    assert advice["noriskpolis"]["applies"] and advice["noriskpolis"]["tell_employer"]
    assert advice["noriskpolis"]["label"] == "No-riskpolis"
    assert "Vertel de werkgever" in advice["noriskpolis"]["why"]


def test_the_defaults_and_the_facts(api):
    answer = ok(
        api.post(
            URL,
            {
                "start_date": "2018-07-01",
                "hours_per_week": "32",
                "forfait": True,
                "months": 12,
                "facts": {"participatiewet": True, "large_distance": True},
                "age": 30,
            },
            format="json",
        )
    )
    first, rest = answer["periods"]
    assert (first["net"], rest["net"]) == ("753.00", "1644.68")  # wage 100 % by default
    advice = {a["instrument"]: a for a in answer["advice"]}
    assert advice["participatieplaats"]["applies"] and not advice["noriskpolis"]["applies"]
    assert advice["forfaitaire_lks"]["applies"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"hours_per_week": None}, "hours_per_week"),
        ({"hours_per_week": "veel"}, "hours_per_week"),
        ({"hours_per_week": "NaN"}, "hours_per_week"),
        ({"hours_per_week": "Infinity"}, "hours_per_week"),
        ({"hours_per_week": "1e400"}, "hours_per_week"),
        ({"wage_pct_of_wml": "90"}, "wage_pct_of_wml"),
        ({"loonwaarde_pct": "120"}, "loonwaarde_pct"),
        ({"months": 0}, "months"),
        ({"months": 121}, "months"),
        ({"lkv_group": "oudere_werknemer", "age": 50}, "age"),
        ({"lkv_group": "iedereen"}, "lkv_group"),
        ({"start_date": "2018-06-30"}, "start_date"),
        ({"start_date": "morgen"}, "start_date"),
        ({"facts": {"ao_pct_after_two_years": "150"}}, "facts.ao_pct_after_two_years"),
    ],
)
def test_a_refused_situation_names_the_field(api, changes, field):
    body = {k: v for k, v in {**HAND_COMPUTED, **changes}.items() if v is not None}
    assert problem(api.post(URL, body, format="json")) == [field]


def test_every_refused_field_is_named_at_once(api):
    body = {**HAND_COMPUTED, "wage_pct_of_wml": "90", "loonwaarde_pct": "120", "months": 0}
    assert sorted(problem(api.post(URL, body, format="json"))) == [
        "loonwaarde_pct",
        "months",
        "wage_pct_of_wml",
    ]


def test_before_the_first_rules_the_problem_says_from_when(api):
    response = api.post(URL, {**HAND_COMPUTED, "start_date": "2018-01-01"}, format="json")
    assert problem(response) == ["start_date"]
    assert "01-07-2018" in response.json()["invalid_params"][0]["reason"]


@pytest.mark.parametrize("role", ["onderzoeker", "werkgever", "kandidaat", "beheerder"])
def test_only_staff_who_talk_with_employers(people, role):
    problem(api_for(people[role]).post(URL, HAND_COMPUTED, format="json"), 403)


@pytest.mark.parametrize("role", ["klantmanager", "teamleider", "uwv_partner"])
def test_staff_who_talk_with_employers_may(people, role):
    ok(api_for(people[role]).post(URL, HAND_COMPUTED, format="json"))


def test_only_post(api):
    # An action not in the permission map is denied before the method is looked at.
    assert api.get(URL).status_code in (403, 405)
    assert api.put(URL, HAND_COMPUTED, format="json").status_code in (403, 405)


def test_schema_has_the_calculator_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert not messages, messages
    validate_schema(schema)
    operations = schema["paths"]["/api/v1/calculator"]
    assert set(operations) == {"post"}
    post = operations["post"]
    # 401 without a log-in, 403 without the permission (every error as problem+json).
    assert set(post["responses"]) == {"200", "400", "401", "403"}
    components = schema["components"]["schemas"]
    request = components["CalculatorSituationRequest"]
    assert request["required"] == ["hours_per_week"]
    assert {"start_date", "loonwaarde_pct", "lkv_group", "months", "facts"} <= set(
        request["properties"]
    )
    assert {"rule_set", "periods", "year_totals", "notes", "advice"} <= set(
        components["Calculation"]["properties"]
    )
    assert components["CalculatorLine"]["properties"]["per_month"]["type"] == "string"
