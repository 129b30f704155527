"""Organisation-model services: region isolation, validation, optimistic locking, substitutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from werkbrug.core import access
from werkbrug.core.concurrency import StaleRecordError
from werkbrug.regions import services
from werkbrug.regions.models import Municipality, Organisation, Staff

pytestmark = pytest.mark.django_db


def test_administrator_manages_only_their_own_region(people, regions):
    actor = access.actor_for(people["beheerder"])
    foreign = Organisation(region=regions["other"]["region"], name="X", kind="aanbieder")
    with pytest.raises(ValidationError) as error:
        services.save_organisation(actor=actor, organisation=foreign)
    assert "region" in error.value.message_dict


def test_other_roles_cannot_manage(people, regions):
    actor = access.actor_for(people["relatiemanager"])
    with pytest.raises(PermissionDenied):
        services.save_organisation(
            actor=actor,
            organisation=Organisation(region=regions["own"]["region"], name="Y", kind="aanbieder"),
        )


def test_invalid_cbs_code_is_rejected_and_nothing_saved(people, regions):
    actor = access.actor_for(people["beheerder"])
    before = Municipality.objects.count()
    with pytest.raises(ValidationError) as error:
        services.save_municipality(
            actor=actor,
            municipality=Municipality(
                region=regions["own"]["region"], name="Heumen", cbs_code="252"
            ),
        )
    assert "cbs_code" in error.value.message_dict
    assert Municipality.objects.count() == before


def test_stale_edit_is_refused(people, regions):
    actor = access.actor_for(people["beheerder"])
    first = Municipality.objects.get(pk=regions["own"]["municipalities"][0].pk)
    second = Municipality.objects.get(pk=first.pk)
    services.save_municipality(actor=actor, municipality=first, expected_version=first.version)
    second.name = "Nijmegen-Noord"
    with pytest.raises(StaleRecordError):
        services.save_municipality(actor=actor, municipality=second, expected_version=1)
    assert Municipality.objects.get(pk=first.pk).name == "Nijmegen"


def test_stale_edit_through_the_form_shows_a_message(people, regions, login):
    client = login(people["beheerder"])
    municipality = regions["own"]["municipalities"][0]
    url = f"/beheer/organisatie/gemeenten/{municipality.uuid}/"
    data = {
        "region": municipality.region_id,
        "name": "Nijmegen",
        "kind": "gemeente",
        "cbs_code": "GM0268",
        "version": municipality.version,
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "name": "Nijmegen oud"})  # still the old version
    assert response.status_code == 200
    assert "version" not in response.context["form"].errors
    assert response.context["form"].non_field_errors()


def test_staff_need_a_staff_role_and_a_unique_user_name(people, regions):
    actor = access.actor_for(people["beheerder"])
    own = regions["own"]
    staff = Staff(organisation=own["organisation"], municipality=own["municipalities"][0])
    data = {"username": "relatiemanager", "first_name": "A", "last_name": "B", "email": "a@b.nl"}
    with pytest.raises(ValidationError) as error:
        services.save_staff(actor=actor, staff=staff, user_data=data, roles=["kandidaat"])
    assert "roles" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.save_staff(actor=actor, staff=staff, user_data=data, roles=["relatiemanager"])
    assert "username" in error.value.message_dict


def test_substitute_chain_covers_absence_without_looping(people):
    rm = people["relatiemanager"].staff
    km = people["klantmanager"].staff
    lead = people["teamleider"].staff
    today = dt.date(2026, 11, 23)
    rm.substitute, km.substitute, lead.substitute = km, lead, rm
    for s in (rm, km, lead):
        s.save()
    assert services.acting_for(rm, on=today) == rm
    rm.away_from = today
    assert services.acting_for(rm, on=today) == km
    km.away_from, km.away_until = today, today
    assert services.acting_for(rm, on=today) == lead
    lead.away_from = today
    assert services.acting_for(rm, on=today) in (rm, km, lead)  # everyone away: no endless loop


def test_database_refuses_own_substitute(people):
    from django.db import IntegrityError, transaction

    staff = people["relatiemanager"].staff
    with pytest.raises(IntegrityError), transaction.atomic():
        Staff.objects.filter(pk=staff.pk).update(substitute=staff)


def test_staff_form_names_the_wrong_field_in_dutch(people, regions, login):
    client = login(people["beheerder"])
    own = regions["own"]
    response = client.post(
        "/beheer/organisatie/medewerkers/nieuw/",
        {
            "username": "nieuwe.collega",
            "first_name": "N",
            "last_name": "C",
            "email": "geen-adres",
            "roles": ["relatiemanager"],
            "organisation": own["organisation"].pk,
            "municipality": own["municipalities"][0].pk,
            "phone": "12345",
            "active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "email" in errors and "phone" in errors
    assert not Staff.objects.filter(user__username="nieuwe.collega").exists()
