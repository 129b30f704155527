"""The rule-set API: the sets a caller may see, one set with its values, sources and what
each rule is, and adding a set (administrators), with every wrong value named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from api_support import api_for, ok, problem
from werkbrug.rules import parameters
from werkbrug.rules.models import RuleSet

pytestmark = pytest.mark.django_db

LIST = "/api/v1/rule-sets"


def national_2018() -> RuleSet:
    return RuleSet.objects.get(region__isnull=True, valid_from=dt.date(2018, 7, 1))


def regional_set(region: Any, day: dt.date = dt.date(2019, 1, 1)) -> RuleSet:
    first = national_2018()
    return RuleSet.objects.create(
        region=region,
        name=f"Catalogus {region.code}",
        valid_from=day,
        source="Verordening",
        values=dict(first.values, proefplaatsing_gemeente_max_months="3"),
        sources=first.sources,
    )


def body(**changes: Any) -> dict[str, Any]:
    first = national_2018()
    data = {
        "name": "Landelijke regels per 1 januari 2019",
        "valid_from": "2019-01-01",
        "national": True,
        "source": "Staatscourant 2018",
        "values": dict(first.values, wml_month="1615.80"),
        "sources": {"wml_month": "Staatscourant 2018, 58123"},
    }
    data.update(changes)
    return data


def test_the_list_has_the_national_and_own_sets_newest_first(people, regions):
    own = regional_set(regions["own"]["region"])
    other = regional_set(regions["other"]["region"])
    data = ok(api_for(people["relatiemanager"]).get(LIST))
    rows = data["results"]
    assert [r["uuid"] for r in rows] == [str(own.uuid), str(national_2018().uuid)]
    assert str(other.uuid) not in str(data)
    assert rows[0]["national"] is False
    assert rows[0]["region"] == {
        "uuid": str(regions["own"]["region"].uuid),
        "name": "Regio RVN",
    }
    assert rows[0]["in_force"] is True
    assert rows[1]["national"] is True and rows[1]["region"] is None
    assert rows[1]["in_force"] is False
    assert rows[1]["valid_from"] == "2018-07-01"
    assert "values" not in rows[1]  # the list is a summary


def test_one_set_has_values_as_strings_sources_and_what_each_rule_is(people):
    first = national_2018()
    data = ok(api_for(people["onderzoeker"]).get(f"{LIST}/{first.uuid}"))
    assert data["national"] is True and data["region"] is None
    assert data["in_force"] is True
    assert data["values"]["wml_month"] == "1594.20"
    assert data["values"] == first.values
    assert data["sources"]["lkv_max_years"].startswith("Hanze")
    rules = {r["name"]: r for r in data["rules"]}
    assert [r["name"] for r in data["rules"]] == [p.name for p in parameters.PARAMETERS]
    assert rules["wml_month"] == {
        "name": "wml_month",
        "label": "Wettelijk minimumloon per maand (voltijd)",
        "group": "Loon",
        "unit": "eur_month",
        "in_source": False,
        "minimum": "0",
        "maximum": None,
        "value": "1594.20",
        "source": first.sources["wml_month"],
    }
    assert rules["lkv_other_year"]["in_source"] is True
    assert rules["holiday_pay_pct"]["maximum"] == "100"


def test_a_set_of_another_region_is_not_found(people, regions):
    other = regional_set(regions["other"]["region"])
    problem(api_for(people["relatiemanager"]).get(f"{LIST}/{other.uuid}"), 404)
    ok(api_for(people["other_region_rm"]).get(f"{LIST}/{other.uuid}"))


def test_an_administrator_adds_a_set(people, regions):
    client = api_for(people["beheerder"])
    data = ok(client.post(LIST, body(), format="json"), 201)
    saved = RuleSet.objects.get(uuid=data["uuid"])
    assert saved.region_id is None and saved.added_by == people["beheerder"].staff
    assert data["values"]["wml_month"] == "1615.80"
    assert data["sources"] == {"wml_month": "Staatscourant 2018, 58123"}
    assert data["in_force"] is True  # from 2019 on, the newest national set
    # Numbers and decimal commas are read too; a set for the own region.
    values = dict(national_2018().values, wml_month=1615.8, holiday_pay_pct="8,0")
    data = ok(
        client.post(
            LIST,
            body(national=False, name="Regionaal", valid_from="2019-02-01", values=values),
            format="json",
        ),
        201,
    )
    assert data["national"] is False
    assert data["region"]["uuid"] == str(regions["own"]["region"].uuid)
    assert data["values"]["wml_month"] == "1615.8"
    assert data["values"]["holiday_pay_pct"] == "8.0"


def test_every_wrong_value_is_named_and_nothing_is_saved(people):
    values = dict(national_2018().values, wml_month="veel", holiday_pay_pct="150", extra="1")
    del values["lkv_max_years"]
    response = api_for(people["beheerder"]).post(
        LIST,
        body(name="", values=values, sources={"wml_month": "x" * 501}),
        format="json",
    )
    assert sorted(problem(response)) == [
        "name",
        "sources.wml_month",
        "values.extra",
        "values.holiday_pay_pct",
        "values.lkv_max_years",
        "values.wml_month",
    ]
    reasons = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
    assert reasons["values.wml_month"] == "Vul een getal in."
    assert reasons["values.extra"] == "Onbekende regel."
    assert RuleSet.objects.count() == 1


def test_refusals(people, regions):
    admin = api_for(people["beheerder"])
    assert problem(admin.post(LIST, body(valid_from="2018-07-01"), format="json")) == ["valid_from"]
    assert problem(admin.post(LIST, body(national="overal"), format="json")) == ["national"]
    assert problem(admin.post(LIST, {}, format="json")) == ["national"]
    assert problem(admin.post(LIST, body(values={"wml_month": True}), format="json")) == [
        "values.wml_month"
    ]
    problem(api_for(people["relatiemanager"]).post(LIST, body(), format="json"), 403)
    problem(api_for(people["werkgever"]).get(LIST), 403)
    assert api_for(people["beheerder"]).put(
        f"{LIST}/{national_2018().uuid}", body()
    ).status_code in (
        403,
        405,
    )
    assert api_for(people["beheerder"]).delete(f"{LIST}/{national_2018().uuid}").status_code in (
        403,
        405,
    )
    from rest_framework.test import APIClient

    assert APIClient().get(LIST).status_code in (401, 403)
    assert RuleSet.objects.count() == 1


def test_the_routes_are_named():
    assert reverse("rule-set-list") == LIST
    assert reverse("rule-set-detail", kwargs={"uuid": national_2018().uuid}).startswith(LIST)


def _schema(patterns: Any = None) -> tuple[dict[str, Any], list[str]]:
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    validate_schema(schema)
    return schema, [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]


def test_schema_has_the_rule_set_routes_without_warnings(db):
    from django.urls import include, path
    from rest_framework.routers import SimpleRouter

    from werkbrug.rules import api

    router = SimpleRouter(trailing_slash=False)
    api.register(router)
    schema, messages = _schema([path("api/v1/", include(router.urls))])
    assert not messages, messages
    paths = schema["paths"]
    assert set(paths[LIST]) - {"parameters"} == {"get", "post"}
    assert set(paths[f"{LIST}/{{uuid}}"]) - {"parameters"} == {"get"}
    components = schema["components"]["schemas"]
    assert {"values", "sources", "rules", "national", "region", "in_force"} <= set(
        components["RuleSetDetail"]["properties"]
    )
    assert {"in_source", "unit", "value", "source"} <= set(components["RuleSetRule"]["properties"])
    # In the whole API the rule sets bring no name collisions (a field named like one of
    # another resource, with other values, is a warning there).
    full, messages = _schema()
    assert LIST in full["paths"]
    mine = {"national", "unit", "in_force", "in_source", "rules", "values", "sources"}
    assert not [m for m in messages if any(f'named "{name}"' in m for name in mine)], messages
