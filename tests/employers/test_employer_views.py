"""The staff pages of the employer register: list, register with duplicate check, edit, the
employer 360° page, the quick contact form, contact persons, questions, work opportunities,
my tasks, the contact-norm list, the merge tool, the norms page and the home panels. Plus
query counts that must not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests_support import text
from werkbrug.core import access
from werkbrug.employers import services
from werkbrug.employers.models import (
    Action,
    Channel,
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerPolicy,
    EmployerQuestion,
    OpportunityStatus,
    WorkOpportunity,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def rm(people):
    return people["relatiemanager"].staff


@pytest.fixture
def tl(people):
    return people["teamleider"].staff


@pytest.fixture
def rm_actor(people):
    return access.actor_for(people["relatiemanager"])


@pytest.fixture
def login(login):
    """Logged-in clients that see the English UI: the assertions read the msgids, which stay
    put when the Dutch translations are added later."""

    def _login(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


@pytest.fixture
def client(people, login):
    return login(people["relatiemanager"])


@pytest.fixture
def make_employer(regions, rm):
    own = regions["own"]

    def make(name: str = "Bakkerij De Korenschoof", **values):
        values.setdefault("owner", rm)
        values.setdefault("municipality", own["municipalities"][0])
        return Employer.objects.create(region=own["region"], name=name, **values)

    return make


@pytest.fixture
def employer(make_employer):
    return make_employer(kvk_number="12345678", city="Nijmegen", postcode="6511 AB")


def rich_history(employer, actor, rm, tl):
    """Contacts with colleagues and actions, a question, an opportunity with a status change."""
    person = ContactPerson.objects.create(
        employer=employer,
        name="Anna de Vries",
        role="Eigenaar",
        phone="+31612345678",
        email="anna@korenschoof.example",
        is_primary=True,
    )
    services.record_contact(
        actor=actor,
        employer=employer,
        date=days_ago(60),
        channel=Channel.VISIT_UNANNOUNCED,
        contact_person=person,
        notes="Kennismaking in de bakkerij.",
    )
    services.record_contact(
        actor=actor,
        employer=employer,
        date=days_ago(2),
        channel=Channel.VISIT_APPOINTMENT,
        staff=[tl],
        contact_person=person,
        notes="Rondleiding; twee plekken inpak.",
        work_found=True,
        actions=[
            services.AgreedAction("Vacaturetekst opstellen", rm, TODAY),
            services.AgreedAction("LKS-offerte sturen", tl, TODAY + dt.timedelta(days=5)),
        ],
    )
    services.receive_question(
        actor=actor,
        employer=employer,
        question="Kan ik loonkostensubsidie krijgen?",
        topic="instrument",
        contact_person=person,
    )
    opportunity = services.save_opportunity(
        actor=actor,
        opportunity=WorkOpportunity(employer=employer, title="Inpakker", tasks=["brood inpakken"]),
    )
    services.change_status(
        actor=actor, opportunity=opportunity, to_status=OpportunityStatus.PROPOSED
    )
    return person, opportunity


# --- List -------------------------------------------------------------------------------------


def test_list_shows_the_region_with_filters(client, make_employer, regions, people, tl):
    make_employer("Bakkerij De Korenschoof", kvk_number="12345678", city="Nijmegen")
    make_employer(
        "Garage Van Dijk",
        city="Wijchen",
        owner=tl,
        ambassador=True,
        municipality=regions["own"]["municipalities"][1],
        last_contact_on=days_ago(3),
    )
    other = regions["other"]
    Employer.objects.create(
        region=other["region"],
        name="Zaanse Molen",
        municipality=other["municipalities"][0],
        owner=people["other_region_rm"].staff,
    )
    url = reverse("employers:list")

    page = text(client.get(url))
    assert "Bakkerij De Korenschoof" in page and "Garage Van Dijk" in page
    assert "Zaanse Molen" not in page

    assert "Garage" not in text(client.get(url, {"q": "1234"}))
    assert "Korenschoof" not in text(client.get(url, {"q": "wijchen"}))
    assert "Garage" not in text(client.get(url, {"relatiemanager": "mij"}))
    assert "Korenschoof" not in text(client.get(url, {"ambassadeur": "ja"}))
    assert "Garage" not in text(client.get(url, {"relatie": "koud"}))
    assert "Korenschoof" not in text(client.get(url, {"relatiemanager": str(tl.uuid)}))
    wijchen = regions["own"]["municipalities"][1]
    assert "Korenschoof" not in text(client.get(url, {"gemeente": str(wijchen.uuid)}))
    sorted_desc = text(client.get(url, {"sortering": "-naam"}))
    assert sorted_desc.index("Garage") < sorted_desc.index("Korenschoof")


def test_list_htmx_returns_only_the_results(client, employer):
    response = client.get(reverse("employers:list"), {"q": "koren"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Korenschoof" in body and "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_list_is_paginated_with_an_empty_state(client, make_employer):
    assert "no employers yet" in text(client.get(reverse("employers:list")))
    for index in range(30):
        make_employer(f"Werkgever {index:02d}")
    page = text(client.get(reverse("employers:list")))
    assert "30 employers found" in page and "Werkgever 24" in page and "Werkgever 25" not in page
    assert "Werkgever 25" in text(client.get(reverse("employers:list"), {"pagina": 2}))
    assert "No employer matches" in text(client.get(reverse("employers:list"), {"q": "xyz"}))


# --- Register and edit ------------------------------------------------------------------------


def employer_post(regions, owner, **values):
    data = {
        "name": "Bakkerij De Korenschoof",
        "kvk_number": "",
        "vestigingsnummer": "",
        "postcode": "",
        "city": "Nijmegen",
        "municipality": regions["own"]["municipalities"][0].pk,
        "owner": str(owner.uuid),
        "source": "bedrijfsbezoek",
    }
    data.update(values)
    return data


def test_register_an_employer(client, regions, rm):
    response = client.post(
        reverse("employers:create"), employer_post(regions, rm, kvk_number="1234 5678"), follow=True
    )
    employer = Employer.objects.get()
    assert employer.kvk_number == "12345678" and employer.owner == rm
    assert response.redirect_chain[-1][0] == reverse(
        "employers:detail", kwargs={"uuid": employer.uuid}
    )
    assert "has been added to the employer register" in text(response)


def test_the_form_defaults_the_owner_to_me(client, rm):
    body = client.get(reverse("employers:create")).content.decode()
    assert f'<option value="{rm.uuid}" selected>' in body
    assert 'name="duplicates_checked"' in body and 'type="hidden" name="duplicates_checked"' in body


def test_a_suspected_duplicate_is_shown_and_can_be_confirmed(client, regions, rm, employer):
    data = employer_post(regions, rm, name="bakkerij de korenschoof", postcode="6511ab")
    response = client.post(reverse("employers:create"), data)
    page = text(response)
    assert response.status_code == 200
    assert "may already be registered" in page
    assert reverse("employers:detail", kwargs={"uuid": employer.uuid}) in response.content.decode()
    assert 'type="checkbox" name="duplicates_checked"' in response.content.decode()
    assert Employer.objects.count() == 1

    data["duplicates_checked"] = "on"
    response = client.post(reverse("employers:create"), data)
    assert response.status_code == 302
    assert Employer.objects.count() == 2


def test_an_exact_duplicate_is_refused_next_to_the_kvk_field(client, regions, rm, employer):
    data = employer_post(regions, rm, name="Andere naam", kvk_number="12345678")
    response = client.post(reverse("employers:create"), data)
    body = response.content.decode()
    assert 'id="id_kvk_number_error"' in body
    assert "already registered" in text(response)
    assert "This establishment is already registered" in text(response)
    assert Employer.objects.count() == 1


def test_field_errors_name_the_field(client, regions, rm):
    response = client.post(
        reverse("employers:create"), employer_post(regions, rm, name="", kvk_number="123")
    )
    body = response.content.decode()
    assert 'id="id_name_error"' in body and 'id="id_kvk_number_error"' in body
    assert not Employer.objects.exists()


def test_edit_and_stale_edit(client, regions, rm, tl, employer):
    url = reverse("employers:edit", kwargs={"uuid": employer.uuid})
    body = client.get(url).content.decode()
    assert f'<option value="{rm.uuid}" selected>' in body
    data = employer_post(
        regions, rm, substitute=str(tl.uuid), phase="bezocht", version=employer.version
    )
    response = client.post(url, data, follow=True)
    assert "have been saved" in text(response)
    employer.refresh_from_db()
    assert employer.substitute == tl and employer.version == 2

    data["city"] = "Wijchen"
    data["version"] = 1  # opened before the save above
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved this record" in text(response)
    employer.refresh_from_db()
    assert employer.city == "Nijmegen"


# --- The 360° page ----------------------------------------------------------------------------


def test_the_360_page_shows_header_handler_and_timeline(client, employer, rm_actor, rm, tl):
    employer.substitute = tl
    employer.save()
    rich_history(employer, rm_actor, rm, tl)
    rm.away_from = TODAY
    rm.save()
    response = client.get(reverse("employers:detail", kwargs={"uuid": employer.uuid}))
    page = text(response)
    assert "Bakkerij De Korenschoof" in page and "12345678" in page
    assert "Handles questions today" in page
    assert f"{tl} Stands in while {rm} is away." in page
    assert "Warm relation" in page
    assert "Contact norm met" in page
    assert "Vacaturetekst opstellen" in page  # next action
    # Timeline: contacts (colleagues present, first-contact badge), question, opportunity, status.
    assert page.count("First contact") >= 1
    assert "Present: " in page and str(tl) in page
    assert "Kan ik loonkostensubsidie krijgen?" in page
    assert "Inpakker" in page and "Candidates proposed" in page
    assert "Rondleiding; twee plekken inpak." in page
    assert "Anna de Vries" in page and "tel:+31612345678" in response.content.decode()
    assert "Log a contact" in page


def test_the_360_page_of_a_client_manager_is_read_only(login, people, employer):
    response = login(people["klantmanager"]).get(
        reverse("employers:detail", kwargs={"uuid": employer.uuid})
    )
    assert response.status_code == 200
    assert "Log a contact" not in text(response)
    assert (
        login(people["klantmanager"])
        .get(reverse("employers:contact", kwargs={"uuid": employer.uuid}))
        .status_code
        == 403
    )


def test_another_regions_employer_is_not_found(client, people, regions):
    other = regions["other"]
    foreign = Employer.objects.create(
        region=other["region"],
        name="Zaanse Molen",
        municipality=other["municipalities"][0],
        owner=people["other_region_rm"].staff,
    )
    assert client.get(reverse("employers:detail", kwargs={"uuid": foreign.uuid})).status_code == 404


# --- The contact form -------------------------------------------------------------------------


def test_contact_form_defaults(client, employer, rm, tl):
    body = client.get(reverse("employers:contact", kwargs={"uuid": employer.uuid})).content.decode()
    assert f'value="{TODAY.isoformat()}"' in body and 'type="date"' in body
    assert body.count('type="radio" name="channel"') == len(Channel.choices)
    # Who defaults to the employer's relationship manager; the recorder is not offered as present.
    assert re.search(rf'name="action_1_owner".*?<option value="{rm.uuid}" selected>', body, re.S)
    assert f'name="staff" value="{tl.uuid}"' in body
    assert f'name="staff" value="{rm.uuid}"' not in body


def test_log_a_contact_with_colleagues_and_actions(client, employer, rm, tl):
    person = ContactPerson.objects.create(employer=employer, name="Anna de Vries")
    response = client.post(
        reverse("employers:contact", kwargs={"uuid": employer.uuid}),
        {
            "date": TODAY.strftime("%d-%m-%Y"),
            "channel": Channel.VISIT_UNANNOUNCED,
            "contact_person": str(person.uuid),
            "staff": [str(tl.uuid)],
            "work_found": "on",
            "notes": "Zoekt twee inpakkers.",
            "action_1_title": "Vacature uitwerken",
            "action_1_owner": str(rm.uuid),
            "action_1_due": (TODAY + dt.timedelta(days=7)).isoformat(),
            "action_2_title": "Rondleiding plannen",
            "action_2_owner": str(tl.uuid),
            "action_2_due": (TODAY + dt.timedelta(days=3)).isoformat(),
            "action_3_title": "",
            "action_3_owner": str(rm.uuid),
            "action_3_due": "",
        },
        follow=True,
    )
    moment = ContactMoment.objects.get()
    assert set(moment.staff.all()) == {rm, tl}
    assert moment.is_first_contact and moment.work_found and moment.contact_person == person
    assert sorted(Action.objects.values_list("title", "owner_id")) == [
        ("Rondleiding plannen", tl.pk),
        ("Vacature uitwerken", rm.pk),
    ]
    page = text(response)
    assert "has been saved" in page and "first contact" in page
    employer.refresh_from_db()
    assert employer.phase == "betrokken"


def test_contact_form_errors_are_next_to_the_fields_and_nothing_is_saved(client, employer, rm):
    response = client.post(
        reverse("employers:contact", kwargs={"uuid": employer.uuid}),
        {
            "date": (TODAY + dt.timedelta(days=2)).isoformat(),
            "channel": Channel.PHONE,
            "action_1_title": "Terugbellen",
            "action_1_owner": str(rm.uuid),
            "action_1_due": "",
        },
    )
    body = response.content.decode()
    assert 'id="id_action_1_due_error"' in body
    assert '<details class="disclosure more-actions">' in body  # rows 2 and 3 stay folded
    response = client.post(
        reverse("employers:contact", kwargs={"uuid": employer.uuid}),
        {"date": (TODAY + dt.timedelta(days=2)).isoformat(), "channel": Channel.PHONE},
    )
    assert 'id="id_date_error"' in response.content.decode()
    assert "cannot be in the future" in text(response)
    assert not ContactMoment.objects.exists() and not Action.objects.exists()


# --- Contact persons --------------------------------------------------------------------------


def test_contact_person_create_normalises_phone_and_edit_refuses_stale(client, employer):
    url = reverse("employers:contact_person_create", kwargs={"uuid": employer.uuid})
    response = client.post(
        url, {"name": "Anna de Vries", "phone": "06 1234 5678", "is_primary": "on"}, follow=True
    )
    person = ContactPerson.objects.get()
    assert person.phone == "+31612345678" and person.is_primary
    assert "Contact person Anna de Vries has been saved" in text(response)

    edit = reverse("employers:contact_person_edit", kwargs={"uuid": person.uuid})
    body = client.get(edit).content.decode()
    loaded = re.search(r'name="loaded_at" value="([^"]+)"', body).group(1)
    data = {
        "name": "Anna de Vries-Jansen",
        "phone": "+31612345678",
        "active": "on",
        "loaded_at": loaded,
        "version": person.version,
    }
    assert client.post(edit, data).status_code == 302
    person.refresh_from_db()
    assert person.name == "Anna de Vries-Jansen"

    data["name"] = "Oude versie"  # the form opened before the save above
    response = client.post(edit, data)
    assert "Someone else saved this record" in text(response)
    person.refresh_from_db()
    assert person.name == "Anna de Vries-Jansen"

    bad = client.post(url, {"name": "Piet", "phone": "12"})
    assert 'id="id_phone_error"' in bad.content.decode()


# --- Questions --------------------------------------------------------------------------------


def test_question_goes_to_the_substitute_and_can_be_passed_on_and_answered(
    client, employer, rm, tl
):
    employer.substitute = tl
    employer.save()
    rm.away_from = days_ago(1)
    rm.save()
    response = client.post(
        reverse("employers:question_create", kwargs={"uuid": employer.uuid}),
        {"topic": "vergunning", "question": "Mag ik een terras bouwen?"},
        follow=True,
    )
    question = EmployerQuestion.objects.get()
    assert question.assigned_to == tl
    assert f"{tl} handles it" in text(response)

    url = reverse("employers:question", kwargs={"uuid": question.uuid})
    response = client.post(url, {"form": "route", "route-routed_to": ""})
    assert 'id="id_route-routed_to_error"' in response.content.decode()
    client.post(url, {"form": "route", "route-routed_to": "Vergunningen gemeente Nijmegen"})
    client.post(url, {"form": "answer", "answer-answer": "Doorverwezen; zij bellen u."})
    question.refresh_from_db()
    assert question.routed_to == "Vergunningen gemeente Nijmegen" and question.answered_at


def test_open_questions_with_due_moment_and_overdue_badge(client, employer, rm, tl, make_employer):
    old = timezone.now() - dt.timedelta(days=10)
    EmployerQuestion.objects.create(
        employer=employer, question="Oude vraag", received_at=old, assigned_to=rm
    )
    other = make_employer("Garage Van Dijk", owner=tl)
    EmployerQuestion.objects.create(
        employer=other, question="Vraag van de garage", received_at=timezone.now(), assigned_to=tl
    )
    page = text(client.get(reverse("employers:questions")))
    assert "2 open questions" in page and "Overdue" in page
    assert page.index("Oude vraag") < page.index("Vraag van de garage")
    mine = text(client.get(reverse("employers:questions"), {"wie": "mij"}))
    assert "Oude vraag" in mine and "garage" not in mine


# --- Work opportunities -----------------------------------------------------------------------


def opportunity_post(**values):
    data = {
        "title": "Orderpicker",
        "tasks": "orders picken\n\n  dozen   inpakken \n",
        "kind": "regulier",
        "places": "2",
        "hours_min": "20",
        "hours_max": "32",
        "must_have": "veiligheidsschoenen",
        "nice_to_have": "",
    }
    data.update(values)
    return data


def test_create_and_edit_an_opportunity(client, employer):
    response = client.post(
        reverse("employers:opportunity_create", kwargs={"uuid": employer.uuid}),
        opportunity_post(),
        follow=True,
    )
    opportunity = WorkOpportunity.objects.get()
    assert opportunity.tasks == ["orders picken", "dozen inpakken"]
    assert opportunity.must_have == ["veiligheidsschoenen"]
    assert "has been saved" in text(response)
    assert "Open for 0 days." in text(response)

    url = reverse("employers:opportunity", kwargs={"uuid": opportunity.uuid})
    body = client.get(url).content.decode()
    assert "orders picken\ndozen inpakken</textarea>" in body
    edit = {f"edit-{k}": v for k, v in opportunity_post(title="Orderpicker (nacht)").items()}
    edit.update({"form": "edit", "edit-version": opportunity.version})
    assert client.post(url, edit).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Orderpicker (nacht)"
    stale = client.post(url, edit)  # still carries the old version
    assert "Someone else saved this record" in text(stale)

    bad = {
        f"edit-{k}": v
        for k, v in opportunity_post(tasks=" \n", hours_min="30", hours_max="10").items()
    }
    bad.update({"form": "edit", "edit-version": opportunity.version + 1})
    body = client.post(url, bad).content.decode()
    assert 'id="id_edit-tasks_error"' in body and 'id="id_edit-hours_max_error"' in body


def test_status_change_shows_allowed_statuses_and_history(
    client, employer, rm_actor, django_capture_on_commit_callbacks
):
    ContactPerson.objects.create(employer=employer, name="Anna", email="anna@example.nl")
    opportunity = services.save_opportunity(
        actor=rm_actor,
        opportunity=WorkOpportunity(employer=employer, title="Inpakker", tasks=["inpakken"]),
    )
    url = reverse("employers:opportunity", kwargs={"uuid": opportunity.uuid})
    body = client.get(url).content.decode()
    assert 'value="voorgesteld"' in body and 'value="kennismaking"' not in body
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes on commit
        response = client.post(
            url,
            {"form": "status", "status-to_status": "ingevuld", "status-note": "Start maandag"},
            follow=True,
        )
    page = text(response)
    assert "The status is now “Filled”" in page and "told by e-mail" in page
    assert "Filled in 0 days." in page
    assert len(mail.outbox) == 1
    response = client.post(url, {"form": "status", "status-to_status": "vervallen"})
    assert 'id="id_status-to_status_error"' in response.content.decode()


def test_opportunity_list_filters(client, employer, make_employer, rm_actor, regions):
    garage = make_employer("Garage Van Dijk", municipality=regions["own"]["municipalities"][1])
    services.save_opportunity(
        actor=rm_actor,
        opportunity=WorkOpportunity(employer=employer, title="Inpakker", tasks=["x"], latent=True),
    )
    services.save_opportunity(
        actor=rm_actor,
        opportunity=WorkOpportunity(
            employer=garage, title="Monteur", tasks=["x"], kind="leerwerkplek"
        ),
    )
    url = reverse("employers:opportunities")
    assert "Inpakker" in text(client.get(url)) and "Monteur" in text(client.get(url))
    assert "Monteur" not in text(client.get(url, {"latent": "ja"}))
    assert "Inpakker" not in text(client.get(url, {"soort": "leerwerkplek"}))
    assert "Inpakker" not in text(client.get(url, {"q": "garage"}))
    assert "Monteur" not in text(
        client.get(url, {"gemeente": str(regions["own"]["municipalities"][0].uuid)})
    )
    assert "No work opportunity matches" in text(client.get(url, {"status": "ingevuld"}))


# --- My tasks ---------------------------------------------------------------------------------


def test_my_tasks_today_first_later_toggle_and_standing_in(client, employer, rm, tl):
    Action.objects.create(employer=employer, title="Te laat", owner=rm, due_on=days_ago(2))
    Action.objects.create(employer=employer, title="Vandaag", owner=rm, due_on=TODAY)
    Action.objects.create(
        employer=employer, title="Volgende week", owner=rm, due_on=TODAY + dt.timedelta(days=7)
    )
    Action.objects.create(employer=employer, title="Van de teamleider", owner=tl, due_on=TODAY)
    url = reverse("employers:tasks")
    page = text(client.get(url))
    assert page.index("Te laat") < page.index("Vandaag")
    assert "Volgende week" not in page and "Van de teamleider" not in page
    assert "Volgende week" in text(client.get(url, {"later": "1"}))

    tl.away_from, tl.substitute = days_ago(1), rm
    tl.save()
    page = text(client.get(url))
    assert "Van de teamleider" in page and f"Standing in for {tl}" in page


def test_task_done(client, employer, rm):
    action = Action.objects.create(employer=employer, title="Bellen", owner=rm, due_on=TODAY)
    done = reverse("employers:task_done", kwargs={"uuid": action.uuid})
    assert client.get(done).status_code == 405
    response = client.post(done, {"next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("employers:tasks")
    assert "Done: “Bellen”" in text(response)
    action.refresh_from_db()
    assert action.done_at is not None

    second = Action.objects.create(employer=employer, title="Mailen", owner=rm, due_on=TODAY)
    response = client.post(
        reverse("employers:task_done", kwargs={"uuid": second.uuid}),
        {"next": "/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "Done: “Mailen”" in text(response)


# --- Contact norm -----------------------------------------------------------------------------


def test_norm_overdue_mine_and_team(client, login, people, make_employer, rm, tl):
    make_employer("Mijn koude werkgever", phase="bezocht")
    make_employer("Werkgever van de teamleider", phase="bezocht", owner=tl)
    url = reverse("employers:norm_overdue")
    page = text(client.get(url))
    assert "Mijn koude werkgever" in page and "teamleider" not in page
    assert "My team" not in page  # no team view for a relationship manager
    lead = login(people["teamleider"])
    assert "Mijn koude werkgever" not in text(lead.get(url))
    team = text(lead.get(url, {"wie": "team"}))
    assert "Mijn koude werkgever" in team and "Werkgever van de teamleider" in team
    assert "Per relationship manager" in team


# --- Merge ------------------------------------------------------------------------------------


def test_merge_tool(login, people, make_employer, rm_actor):
    keep = make_employer("Korenschoof", kvk_number="12345678")
    duplicate = make_employer("Bakkerij Korenschoof BV", city="Wijchen")
    services.record_contact(
        actor=rm_actor, employer=duplicate, date=days_ago(3), channel=Channel.PHONE
    )
    lead = login(people["teamleider"])
    url = reverse("employers:merge")
    page = text(lead.get(url, {"zoek_a": "korenschoof"}))
    assert "Bakkerij Korenschoof BV" in page
    query = {"a": str(keep.uuid), "b": str(duplicate.uuid)}
    page = text(lead.get(url, query))
    assert "Compare" in page and "Wijchen" in page
    from urllib.parse import urlencode

    target = f"{url}?{urlencode(query)}"
    response = lead.post(target, {"keep": "a"})
    assert "Tick this box to confirm the merge." in text(response)
    response = lead.post(target, {"keep": "a", "confirm": "on"}, follow=True)
    assert "has been merged into Korenschoof" in text(response)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert ContactMoment.objects.get().employer == keep
    merged_page = text(lead.get(reverse("employers:detail", kwargs={"uuid": duplicate.uuid})))
    assert "This record was merged" in merged_page
    assert login(people["relatiemanager"]).get(url).status_code == 403


# --- Norms page -------------------------------------------------------------------------------


def test_policy_page(login, people, regions):
    admin = login(people["beheerder"])
    url = reverse("employers:policy")
    assert 'value="2"' in admin.get(url).content.decode()
    response = admin.post(
        url,
        {
            "contacts_per_year": "1",
            "visits_per_year": "2",
            "cold_after_days": "365",
            "response_days": "1",
        },
    )
    assert 'id="id_visits_per_year_error"' in response.content.decode()
    assert not EmployerPolicy.objects.exists()
    response = admin.post(
        url,
        {
            "contacts_per_year": "4",
            "visits_per_year": "2",
            "cold_after_days": "180",
            "response_days": "2",
        },
        follow=True,
    )
    assert "have been saved" in text(response)
    policy = EmployerPolicy.objects.get(region=regions["own"]["region"])
    assert (policy.contacts_per_year, policy.cold_after_days) == (4, 180)


# --- Home panels ------------------------------------------------------------------------------


def test_home_panels_of_the_relationship_manager(client, employer, rm, make_employer):
    make_employer("Koude werkgever", phase="bezocht")
    Action.objects.create(employer=employer, title="Offerte nasturen", owner=rm, due_on=TODAY)
    EmployerQuestion.objects.create(
        employer=employer, question="Vraag", received_at=timezone.now(), assigned_to=rm
    )
    response = client.get("/")
    body = response.content.decode()
    for key in ("employers_mine", "employers_tasks", "employers_questions", "my_work"):
        assert f'id="panel-{key}"' in body
    page = text(response)
    assert "Offerte nasturen" in page and "1 open question" in page
    assert "Cold relations" in page
    assert "will appear here once they are registered in the employer register" not in page
    assert reverse("employers:task_done", kwargs={"uuid": Action.objects.get().uuid}) in body


def test_home_panel_of_the_team_lead(login, people, make_employer, rm):
    make_employer("Achterstallig", phase="bezocht")
    page = text(login(people["teamleider"]).get("/"))
    assert "Team: contact norm" in page
    assert f"{rm} 1" in page


# --- Query counts -----------------------------------------------------------------------------


def _count(client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def test_list_pages_use_a_bounded_number_of_queries(client, make_employer, rm_actor, rm, tl):
    def grow(n: int, start: int) -> None:
        for index in range(start, start + n):
            employer = make_employer(f"Werkgever {index:03d}", substitute=tl)
            services.save_opportunity(
                actor=rm_actor,
                opportunity=WorkOpportunity(employer=employer, title=f"Werk {index}", tasks=["x"]),
            )
            Action.objects.create(employer=employer, title=f"Taak {index}", owner=rm, due_on=TODAY)

    grow(2, 0)
    pages = {
        "list": (reverse("employers:list"), {}),
        "list filtered": (reverse("employers:list"), {"relatiemanager": "mij", "relatie": "koud"}),
        "opportunities": (reverse("employers:opportunities"), {}),
        "tasks": (reverse("employers:tasks"), {}),
        "questions": (reverse("employers:questions"), {}),
        "norm": (reverse("employers:norm_overdue"), {}),
    }
    small = {name: _count(client, path, **params) for name, (path, params) in pages.items()}
    grow(30, 2)
    large = {name: _count(client, path, **params) for name, (path, params) in pages.items()}
    for name in pages:
        assert large[name] <= small[name], (name, small[name], large[name])
        assert small[name] <= 20, (name, small[name])


def test_the_360_page_uses_a_bounded_number_of_queries(client, employer, rm_actor, rm, tl):
    rich_history(employer, rm_actor, rm, tl)
    url = reverse("employers:detail", kwargs={"uuid": employer.uuid})
    small = _count(client, url)
    person = ContactPerson.objects.create(employer=employer, name="Bert")
    for index in range(20):
        services.record_contact(
            actor=rm_actor,
            employer=employer,
            date=days_ago(index + 3),
            channel=Channel.PHONE,
            staff=[tl],
            contact_person=person,
            actions=[services.AgreedAction(f"Actie {index}", tl, TODAY)],
        )
        services.receive_question(
            actor=rm_actor, employer=employer, question=f"Vraag {index}", topic="overig"
        )
    large = _count(client, url)
    assert large <= small, (small, large)
    assert small <= 30, small


def test_home_page_queries_do_not_grow(client, make_employer, rm):
    small = _count(client, "/")
    for index in range(15):
        employer = make_employer(f"Werkgever {index}", phase="bezocht")
        Action.objects.create(employer=employer, title=f"Taak {index}", owner=rm, due_on=TODAY)
        EmployerQuestion.objects.create(
            employer=employer, question="?", received_at=timezone.now(), assigned_to=rm
        )
    assert _count(client, "/") <= small
