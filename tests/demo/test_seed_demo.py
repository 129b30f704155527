"""The demo region: real municipalities with CBS codes, one log-in per role, deterministic."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from werkbrug.accounts.models import RoleGrant, User
from werkbrug.demo.accounts import DEMO_USERS
from werkbrug.regions.models import Municipality, Region, Staff

pytestmark = pytest.mark.django_db


def _seed(seed: int = 7) -> str:
    out = io.StringIO()
    call_command("seed-demo", "--scale", "demo", "--seed", str(seed), stdout=out)
    return out.getvalue()


def test_rijk_van_nijmegen_has_its_seven_municipalities_and_history(settings):
    settings.DEMO = True
    output = _seed()
    rvn = Region.objects.get(code="RVN")
    current = set(
        rvn.municipalities.filter(ended_on__isnull=True).values_list("cbs_code", flat=True)
    )
    assert current == {"GM0268", "GM1945", "GM0209", "GM0225", "GM0252", "GM0944", "GM0296"}
    berg_en_dal = Municipality.objects.get(cbs_code="GM1945")
    groesbeek = berg_en_dal.composed_of.get()
    assert groesbeek.name == "Groesbeek"
    assert set(groesbeek.composed_of.values_list("name", flat=True)) == {
        "Millingen aan de Rijn",
        "Ubbergen",
    }
    mug = Municipality.objects.get(name="MUG-gemeenten")
    assert mug.kind == "samenwerkingsverband" and mug.composed_of.count() == 3
    assert "demo-werkbrug" in output  # the log-ins are printed


def test_one_demo_login_per_role():
    _seed()
    for demo in DEMO_USERS:
        user = User.objects.get(username=demo.username)
        assert user.is_demo and user.check_password("demo-werkbrug")
        assert list(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == [
            demo.role
        ]
    assert Staff.objects.get(user__username="relatiemanager").substitute is not None


def test_same_seed_gives_the_same_region():
    from django.db import transaction

    with transaction.atomic():
        _seed(11)
        first = sorted(Staff.objects.values_list("uuid", "user__username"))
        transaction.set_rollback(True)  # back to an empty database, as before the first seed
    assert not Region.objects.exists()
    _seed(11)
    assert sorted(Staff.objects.values_list("uuid", "user__username")) == first


def test_refuses_to_seed_over_existing_data_unless_if_empty():
    _seed()
    with pytest.raises(CommandError):
        _seed()
    out = io.StringIO()
    call_command("seed-demo", "--if-empty", stdout=out)
    assert "al gegevens" in out.getvalue()
