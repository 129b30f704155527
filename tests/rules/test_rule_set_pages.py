"""Rule sets: adding one (the service) and the pages: the list with the set in force today,
one set with its rules grouped and their sources, and the form for a new set, which starts
from the set in force so a new minimum wage is one change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests_support import text
from werkbrug.core.access import actor_for
from werkbrug.core.models import ChangeLogEntry
from werkbrug.rules import parameters, services
from werkbrug.rules.forms import dutch_number
from werkbrug.rules.models import RuleSet

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2018, 7, 1)


def national_2018() -> RuleSet:
    return RuleSet.objects.get(region__isnull=True, valid_from=FIRST_DAY)


def regional_set(region: Any, **changes: str) -> RuleSet:
    first = national_2018()
    return RuleSet.objects.create(
        region=region,
        name=f"Catalogus {region.code}",
        valid_from=dt.date(2019, 1, 1),
        source=f"Verordening {region.code}",
        values=dict(first.values, **changes),
        sources=dict(first.sources),
    )


def new_set(region: Any = None, day: dt.date = dt.date(2019, 1, 1), **kw: Any) -> RuleSet:
    return RuleSet(
        region=region,
        name=kw.pop("name", "Landelijke regels per 1 januari 2019"),
        valid_from=day,
        source=kw.pop("source", "Staatscourant 2018"),
        **kw,
    )


def form_data(**changes: str) -> dict[str, str]:
    """What the form posts when it is sent as it opened (from the 2018 set), plus changes."""
    first = national_2018()
    data = {
        "name": "Landelijke regels per 1 januari 2019",
        "valid_from": "01-01-2019",
        "scope": "landelijk",
        "source": "Staatscourant 2018, minimumloon per 1 januari 2019",
        "notes": "",
    }
    for p in parameters.PARAMETERS:
        data[p.name] = first.values[p.name].replace(".", ",")
        data[services.source_field(p.name)] = first.sources.get(p.name, "")
    data.update(changes)
    return data


# --- The service ----------------------------------------------------------------------------


def test_a_new_set_is_saved_with_values_as_strings_and_audited(people):
    admin = actor_for(people["beheerder"])
    values = dict(national_2018().values, wml_month="1615,8", wml_hours_week=38)
    saved = services.save_rule_set(
        actor=admin,
        rule_set=new_set(),
        values=values,
        sources={"wml_month": "  Staatscourant   2018, 58123 ", "lkv_max_years": ""},
    )
    saved.refresh_from_db()
    assert saved.region_id is None
    assert saved.values["wml_month"] == "1615.8"
    assert saved.values["wml_hours_week"] == "38"
    assert all(isinstance(v, str) for v in saved.values.values())
    assert saved.sources == {"wml_month": "Staatscourant 2018, 58123"}  # empty ones left out
    assert saved.added_by_id == admin.staff_id
    assert saved.rule_values == parameters.from_mapping(values)
    assert ChangeLogEntry.objects.filter(object_uuid=saved.uuid, action="create").exists()


def test_every_problem_is_named_by_its_field_and_nothing_is_saved(people):
    admin = actor_for(people["beheerder"])
    values = dict(national_2018().values, wml_month="veel", holiday_pay_pct="150")
    del values["lkv_max_years"]
    before = RuleSet.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.save_rule_set(
            actor=admin,
            rule_set=new_set(name=" ", source="", day=None),
            values=values,
            sources={"wml_month": "x" * 501, "onbekend": "?"},
        )
    problems = caught.value.message_dict
    assert set(problems) == {
        "name",
        "valid_from",
        "source",
        "wml_month",
        "holiday_pay_pct",
        "lkv_max_years",
        "wml_month_source",
        "sources",
    }
    assert problems["wml_month"] == ["Vul een getal in."]
    assert problems["holiday_pay_pct"] == ["Vul hoogstens 100 in."]
    assert problems["lkv_max_years"] == ["Vul een waarde in."]
    assert RuleSet.objects.count() == before


def test_a_second_set_of_the_same_scope_on_the_same_day_is_refused(people):
    admin = actor_for(people["beheerder"])
    values = national_2018().values
    with pytest.raises(ValidationError) as caught:
        services.save_rule_set(
            actor=admin, rule_set=new_set(day=FIRST_DAY), values=values, sources={}
        )
    assert list(caught.value.message_dict) == ["valid_from"]
    assert "01-07-2018" in caught.value.message_dict["valid_from"][0]
    # The region's own set on that day is another scope: allowed, once.
    own = people["beheerder"].staff.organisation.region
    services.save_rule_set(actor=admin, rule_set=new_set(own, FIRST_DAY), values=values, sources={})
    with pytest.raises(ValidationError) as caught:
        services.save_rule_set(
            actor=admin, rule_set=new_set(own, FIRST_DAY), values=values, sources={}
        )
    assert list(caught.value.message_dict) == ["valid_from"]
    # Another region's administrator may add their region's set on that day.
    other_admin = actor_for(people["other_region_admin"])
    other = people["other_region_admin"].staff.organisation.region
    services.save_rule_set(
        actor=other_admin, rule_set=new_set(other, FIRST_DAY), values=values, sources={}
    )
    assert RuleSet.objects.filter(valid_from=FIRST_DAY).count() == 3


def test_only_administrators_add_sets_and_only_for_their_own_region(people, regions):
    values = national_2018().values
    with pytest.raises(PermissionDenied):
        services.save_rule_set(
            actor=actor_for(people["relatiemanager"]),
            rule_set=new_set(),
            values=values,
            sources={},
        )
    with pytest.raises(ValidationError) as caught:
        services.save_rule_set(
            actor=actor_for(people["beheerder"]),
            rule_set=new_set(regions["other"]["region"]),
            values=values,
            sources={},
        )
    assert list(caught.value.message_dict) == ["region"]


def test_a_saved_set_is_never_changed(people):
    first = national_2018()
    first.values = dict(first.values, wml_month="1700")
    with pytest.raises(ValidationError):
        services.save_rule_set(
            actor=actor_for(people["beheerder"]), rule_set=first, values=first.values, sources={}
        )
    assert national_2018().values["wml_month"] == "1594.20"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1594,20", "1594.20"),
        ("1.594,20", "1594.20"),
        ("€ 1.594,20", "1594.20"),
        ("1,594.20", "1594.20"),
        ("1594.20", "1594.20"),
        ("8 %", "8"),
        ("25,5", "25.5"),
        ("0.5", "0.5"),
        ("", ""),
    ],
)
def test_numbers_are_read_as_people_write_them(typed, read):
    assert dutch_number(typed) == read


@pytest.mark.parametrize(
    ("value", "shown"),
    [("1248", "1.248"), ("40575", "40.575"), ("25.5", "25,5"), ("1594.20", "1.594,2"), ("0", "0")],
)
def test_numbers_are_shown_as_people_write_them(value, shown):
    from decimal import Decimal

    from werkbrug.rules.views import dutch

    assert dutch(Decimal(value)) == shown


def test_a_thousands_point_without_decimals_is_not_guessed():
    from django import forms

    with pytest.raises(forms.ValidationError) as caught:
        dutch_number("1.615")
    assert "1615" in str(caught.value) and "1,615" in str(caught.value)


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_national_and_own_sets_newest_first_with_the_one_in_force(
    people, regions, login_en
):
    own = regional_set(regions["own"]["region"], proefplaatsing_gemeente_max_months="3")
    other = regional_set(regions["other"]["region"])
    response = login_en(people["relatiemanager"]).get(reverse("rules:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(other.uuid) not in html
    assert "Catalogus ZAA" not in html
    assert html.index(str(own.uuid)) < html.index(str(national_2018().uuid))
    page = text(response)
    assert "Catalogus RVN Region Regio RVN 01-01-2019 in force now" in page
    assert "Landelijke regels per 1 juli 2018 National 01-07-2018 replaced" in page
    assert "New rule set" not in page
    assert "never changed" in page


def test_the_administrator_gets_the_button_for_a_new_set(people, login_en):
    response = login_en(people["beheerder"]).get(reverse("rules:list"))
    assert f'href="{reverse("rules:create")}"' in response.content.decode()
    assert "in force now" in text(response)  # the 2018 set holds for a region without its own


# --- One set --------------------------------------------------------------------------------


def test_a_set_shows_its_rules_grouped_in_dutch_notation_with_sources(people, login_en):
    first = national_2018()
    response = login_en(people["klantmanager"]).get(
        reverse("rules:detail", kwargs={"uuid": first.uuid})
    )
    assert response.status_code == 200
    page = text(response)
    for group in ("Loon", "Loonkostensubsidie", "Loonkostenvoordeel (LKV)", "No-riskpolis"):
        assert f" {group} Rule Value Source " in page
    assert (
        "Wettelijk minimumloon per maand (voltijd) configuration — check € 1.594,20 per month "
        "Configuratie (niet in de bron)"
    ) in page
    assert "Vakantiebijslag configuration — check 8 %" in page
    assert "Forfaitaire loonkostensubsidie, eerste maanden 6 months Hanze" in page
    assert "LKV doelgroep banenafspraak, per jaar € 2.000,00 per year" in page
    assert "LKV herplaatste arbeidsgehandicapte, hoogstens jaren 1 year " in page
    assert "LKV oudere werknemer, vanaf leeftijd 56 years" in page
    assert "Uren per week van één baan in de banenafspraak configuration — check 25,5 hours" in page
    assert "LIV, bedrag per verloond uur configuration — check € 1,00 per hour" in page
    assert "LIV, ten minste verloonde uren per jaar 1.248 hours" in page
    assert "Quotumheffing vanaf verloonde uren per jaar 40.575 hours" in page
    badges = response.content.decode().count('badge-warning" data-to-check')
    assert badges == sum(1 for p in parameters.PARAMETERS if not p.in_source)
    assert "New rule set starting from this one" not in page  # client manager: no rules.manage


def test_a_set_of_another_region_is_not_found(people, regions, login):
    other = regional_set(regions["other"]["region"])
    path = reverse("rules:detail", kwargs={"uuid": other.uuid})
    assert login(people["relatiemanager"]).get(path).status_code == 404
    assert login(people["beheerder"]).get(path).status_code == 404
    assert login(people["other_region_rm"]).get(path).status_code == 200


def test_the_pages_speak_dutch_by_default(people, login):
    response = login(people["beheerder"]).get(
        reverse("rules:detail", kwargs={"uuid": national_2018().uuid})
    )
    page = text(response)
    assert "€ 1.594,20" in page and "8 %" in page
    assert "Wettelijk minimumloon per maand (voltijd)" in page


# --- A new set ------------------------------------------------------------------------------


def test_the_form_starts_from_the_set_in_force(people, regions, login_en):
    client = login_en(people["beheerder"])
    response = client.get(reverse("rules:create"))
    assert response.status_code == 200
    form = response.context["form"]
    first = national_2018()
    assert form["wml_month"].value() == "1594,20"
    assert form["quotum_hours_per_job_week"].value() == "25,5"
    assert form["wml_month_source"].value() == first.sources["wml_month"]
    assert not form["name"].value() and not form["valid_from"].value()
    page = text(response)
    assert "Landelijke regels per 1 juli 2018" in page  # says what it starts from
    assert "All regions (national rules)" in page and "Only my region: Regio RVN" in page
    # Opened from another set, it starts from that one.
    own = regional_set(regions["own"]["region"], proefplaatsing_gemeente_max_months="3")
    response = client.get(reverse("rules:create"), {"basis": own.uuid})
    assert response.context["form"]["proefplaatsing_gemeente_max_months"].value() == "3"


def test_a_new_minimum_wage_is_one_change(people, login_en):
    client = login_en(people["beheerder"])
    response = client.post(
        reverse("rules:create"),
        form_data(wml_month="1.615,80", wml_month_source="Staatscourant 2018, 58123"),
    )
    saved = RuleSet.objects.get(valid_from=dt.date(2019, 1, 1))
    assert response.status_code == 302
    assert response["Location"] == reverse("rules:detail", kwargs={"uuid": saved.uuid})
    assert saved.region_id is None
    assert saved.values == dict(national_2018().values, wml_month="1615.80")
    assert saved.sources["wml_month"] == "Staatscourant 2018, 58123"
    assert saved.sources["lks_forfait_pct"] == national_2018().sources["lks_forfait_pct"]
    assert saved.added_by == people["beheerder"].staff
    page = text(client.get(response["Location"]))
    assert "has been saved" in page and "€ 1.615,80 per month" in page


def test_a_set_for_the_own_region(people, regions, login_en):
    client = login_en(people["beheerder"])
    response = client.post(
        reverse("rules:create"),
        form_data(
            scope="regio", name="Regionale catalogus", proefplaatsing_gemeente_max_months="3"
        ),
    )
    assert response.status_code == 302
    saved = RuleSet.objects.get(name="Regionale catalogus")
    assert saved.region == regions["own"]["region"]
    assert saved.values["proefplaatsing_gemeente_max_months"] == "3"


def test_errors_are_named_per_field_and_nothing_is_saved(people, login_en):
    before = RuleSet.objects.count()
    response = login_en(people["beheerder"]).post(
        reverse("rules:create"),
        form_data(name="", wml_month="veel", holiday_pay_pct="150", lkv_max_years="", scope=""),
    )
    assert response.status_code == 200
    assert RuleSet.objects.count() == before
    form = response.context["form"]
    assert set(form.errors) == {"name", "scope", "wml_month", "holiday_pay_pct", "lkv_max_years"}
    page = text(response)
    # The summary names each field; the message also stands next to the field.
    assert "Please correct the following:" in page
    assert "Name: Give the rule set a name." in page
    assert "Applies to: Choose whether the rules hold nationally or in your region only." in page
    assert "Wettelijk minimumloon per maand (voltijd): Vul een getal in." in page
    assert "Vakantiebijslag: Vul hoogstens 100 in." in page
    assert "LKV, hoogstens jaren: Vul een waarde in." in page
    html = response.content.decode()
    assert 'id="id_wml_month_error"' in html and 'href="#id_wml_month"' in html
    assert 'value="veel"' in html  # what was typed stays


def test_a_second_set_on_the_same_day_is_refused_in_the_form(people, login_en):
    response = login_en(people["beheerder"]).post(
        reverse("rules:create"), form_data(valid_from="2018-07-01")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["valid_from"]
    assert "There already is a national rule set from 01-07-2018" in text(response)
    assert RuleSet.objects.filter(valid_from=FIRST_DAY).count() == 1


def test_an_ambiguous_number_is_refused_in_the_form(people, login_en):
    response = login_en(people["beheerder"]).post(
        reverse("rules:create"), form_data(liv_min_hours_year="1.248")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["liv_min_hours_year"]
    assert not RuleSet.objects.filter(valid_from=dt.date(2019, 1, 1)).exists()


def test_a_relationship_manager_may_not_add_a_set(people, login):
    client = login(people["relatiemanager"])
    assert client.get(reverse("rules:create")).status_code == 403
    assert client.post(reverse("rules:create"), form_data()).status_code == 403
    assert not RuleSet.objects.filter(valid_from=dt.date(2019, 1, 1)).exists()


def test_the_list_and_a_set_take_a_bounded_number_of_queries(people, regions, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(people["relatiemanager"])
    first = national_2018()

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    client.get(reverse("rules:list"))  # warm the session and caches
    few = queries(reverse("rules:list"))
    for year in range(2019, 2031):
        RuleSet.objects.create(
            region=regions["own"]["region"] if year % 2 else None,
            name=f"Regels {year}",
            valid_from=dt.date(year, 1, 1),
            source="test",
            values=first.values,
        )
    assert queries(reverse("rules:list")) == few
    assert queries(reverse("rules:detail", kwargs={"uuid": first.uuid})) <= few + 1
