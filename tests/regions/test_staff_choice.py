"""regions.forms.StaffChoiceField: the staff list for long regions names people exactly as
``Staff.__str__`` does, reads them in one query, and still validates and returns a Staff."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.tests_support import make_person, make_region

from werkbrug.core.roles import Role
from werkbrug.regions.forms import StaffChoiceField
from werkbrug.regions.models import Staff


@pytest.fixture
def staff(db):
    place = make_region("TST", [("Wijchen", "GM0296")])
    for username in ("anouk", "bram", "cor"):
        make_person(username, Role.RELATIONSHIP_MANAGER, place)
    nameless = Staff.objects.get(user__username="cor")
    nameless.user.first_name = nameless.user.last_name = ""
    nameless.user.save()
    return Staff.objects.select_related("user").order_by("user__username")


def test_options_are_named_as_staff_name_themselves_in_one_query(staff):
    field = StaffChoiceField(queryset=staff, to_field_name="uuid", empty_label="Iedereen")
    with CaptureQueriesContext(connection) as queries:
        options = [option for option in field.choices]  # list() would also count them
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert options == [("", "Iedereen")] + [(str(s.uuid), str(s)) for s in staff]
    assert options[-1][1] == "cor"  # no name: the username, as Staff.__str__ does


def test_the_chosen_uuid_cleans_to_the_staff_member_and_a_stranger_is_refused(staff):
    field = StaffChoiceField(queryset=staff, to_field_name="uuid", required=False)
    chosen = staff[1]
    assert field.clean(str(chosen.uuid)) == chosen
    assert field.clean("") is None
    with pytest.raises(ValidationError):
        field.clean("00000000-0000-0000-0000-000000000000")


def test_the_rendered_select_marks_the_chosen_member(staff):
    field = StaffChoiceField(queryset=staff, to_field_name="uuid", empty_label="Iedereen")
    chosen = staff[0]
    html = field.widget.render("medewerker", str(chosen.uuid))
    assert f'<option value="{chosen.uuid}" selected>Anouk Test</option>' in html
