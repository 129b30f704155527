"""The audit trail: every write leaves exactly one change entry with before/after, every read
of a person through the access layer leaves exactly one access entry, and entries cannot be
changed or deleted."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from werkbrug.core import access, audit
from werkbrug.core.models import AccessLogEntry, ChangeLogEntry
from werkbrug.regions import selectors
from werkbrug.regions.models import Municipality, Staff

pytestmark = pytest.mark.django_db


def test_create_update_delete_each_leave_exactly_one_entry(regions, people):
    region = regions["own"]["region"]
    admin = people["beheerder"]
    with audit.acting_as(admin, request_id="req-123456789", channel="test"):
        before = ChangeLogEntry.objects.count()
        municipality = Municipality.objects.create(region=region, name="Heumen", cbs_code="GM0252")
        assert ChangeLogEntry.objects.count() == before + 1

        municipality = Municipality.objects.get(pk=municipality.pk)
        municipality.name = "Heumen (Gld)"
        municipality.save()
        assert ChangeLogEntry.objects.count() == before + 2

        municipality.delete()
        assert ChangeLogEntry.objects.count() == before + 3

    created, updated, deleted = ChangeLogEntry.objects.order_by("id")[before:]
    assert created.action == "create" and created.prechange is None
    assert created.postchange["name"] == "Heumen"
    assert updated.action == "update"
    assert updated.prechange["name"] == "Heumen" and updated.postchange["name"] == "Heumen (Gld)"
    assert updated.changed_fields == ["name", "version"] or updated.changed_fields == ["name"]
    assert deleted.action == "delete" and deleted.postchange is None
    for entry in (created, updated, deleted):
        assert entry.user == admin and entry.user_name == "beheerder"
        assert entry.request_id == "req-123456789"


def test_saving_without_changes_leaves_no_entry(regions):
    municipality = Municipality.objects.get(pk=regions["own"]["municipalities"][0].pk)
    before = ChangeLogEntry.objects.count()
    municipality.save()
    assert ChangeLogEntry.objects.count() == before


def test_many_to_many_change_is_logged_once_with_before_and_after(regions):
    nijmegen, wijchen = regions["own"]["municipalities"]
    before = ChangeLogEntry.objects.count()
    nijmegen.composed_of.set([wijchen])
    assert ChangeLogEntry.objects.count() == before + 1
    entry = ChangeLogEntry.objects.latest("id")
    assert entry.changed_fields == ["composed_of"]
    assert entry.prechange == {"composed_of": []}
    assert entry.postchange == {"composed_of": [str(wijchen.pk)]}


def test_password_is_redacted_but_its_change_is_recorded(people):
    user = type(people["beheerder"]).objects.get(pk=people["beheerder"].pk)
    user.set_password("another long password 123")
    user.save()
    entry = ChangeLogEntry.objects.latest("id")
    assert entry.changed_fields == ["password"]
    assert "another" not in str(entry.postchange) and "md5" not in str(entry.postchange)
    assert entry.postchange["password"].startswith(audit.REDACTED)


def test_reading_a_person_leaves_exactly_one_access_entry(people):
    admin = people["beheerder"]
    staff = Staff.objects.get(user=people["relatiemanager"])
    actor = access.actor_for(admin)
    before = AccessLogEntry.objects.count()
    with audit.acting_as(admin, channel="test"):
        selectors.staff_member(actor=actor, uuid=staff.uuid, purpose="check substitute")
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("id")
    assert entry.user == admin and entry.object_uuid == staff.uuid
    assert entry.purpose == "check substitute" and entry.action == "view"


def test_listing_is_not_a_read_of_a_person_and_denied_reads_are_not_logged(people):
    actor = access.actor_for(people["beheerder"])
    before = AccessLogEntry.objects.count()
    list(selectors.staff_list(actor=actor))
    other = Staff.objects.get(user=people["other_region_rm"])
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.staff_member(actor=actor, uuid=other.uuid, purpose="curious")
    assert AccessLogEntry.objects.count() == before


def test_read_through_the_web_page_is_logged_with_the_request_id(people, login):
    client = login(people["beheerder"])
    staff = Staff.objects.get(user=people["relatiemanager"])
    response = client.get(f"/beheer/organisatie/medewerkers/{staff.uuid}/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.latest("id")
    assert entry.object_uuid == staff.uuid and entry.channel == "ui"
    assert entry.request_id == response["X-Request-ID"]


def test_change_through_the_api_is_attributed_to_the_token_user(people, regions):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    admin = people["beheerder"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    municipality = regions["own"]["municipalities"][1]
    response = client.patch(
        f"/api/v1/municipalities/{municipality.uuid}", {"name": "Wijchen-Centrum"}, format="json"
    )
    assert response.status_code == 200, response.content
    entry = ChangeLogEntry.objects.latest("id")
    assert entry.user == admin and entry.channel == "api"
    assert entry.postchange["name"] == "Wijchen-Centrum"


def test_audit_entries_cannot_be_changed_or_deleted_through_the_orm(regions):
    entry = ChangeLogEntry.objects.first()
    assert entry is not None
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ChangeLogEntry.objects.all().update(user_name="x")
    with pytest.raises(PermissionError):
        ChangeLogEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger is PostgreSQL-only")
def test_postgresql_refuses_raw_updates_of_the_audit_tables(regions):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_changelogentry SET user_name = 'rewritten'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_accesslogentry")
