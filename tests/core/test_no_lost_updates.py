"""No lost updates, no double records (issue 10, architecture rule 10).

* Two colleagues record the same aftercare check-in, or the effect on the benefit, from pages
  they opened at the same time: the first save stands, the second is refused with the Dutch
  "someone else saved" message and changes nothing. (Employers and candidates: the stale-edit
  tests in tests/employers/test_employer_views.py and tests/candidates/test_candidate_pages.py.)
* A form sent twice with the same one-time submission id (double click, reload, back and send
  again) makes one record: employer registration and a candidate contact; the second POST is
  answered with the first one's redirect and a note. A form that was refused keeps working:
  corrected and sent again with the same id, it is saved. Two different ids make two records.
* Two POSTs with the same id at the same moment, from two threads (two gunicorn workers in
  real life), still make one record.
"""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates_support import make_candidate
from steering_support import place
from tests_support import text, verify_session
from werkbrug.candidates.models import CandidateContact
from werkbrug.core.roles import Role
from werkbrug.employers.models import Employer
from werkbrug.placements.models import AftercareCheck, Placement

STALE = "iemand anders"


def submission_id(page) -> str:
    return re.search(r'name="_submission" value="([0-9a-f]{32})"', page.content.decode()).group(1)


@pytest.fixture
def placement(regions, people):
    own = regions["own"]
    rm = people[Role.RELATIONSHIP_MANAGER]
    candidate = make_candidate(own, consultant=rm.staff)
    employer = Employer.objects.create(
        region=own["region"],
        name="Bakkerij Bolletje",
        municipality=own["municipalities"][0],
        owner=rm.staff,
    )
    return place(
        own["region"],
        candidate,
        employer,
        rm.staff,
        start_on=timezone.localdate() - dt.timedelta(days=40),
    )


@pytest.mark.django_db
def test_the_second_of_two_check_in_saves_is_refused(login, people, placement):
    rm = people[Role.RELATIONSHIP_MANAGER]
    check = AftercareCheck.objects.create(
        placement=placement, kind="m1", due_on=timezone.localdate()
    )
    first, second = login(rm), login(rm)
    url = reverse("placements:record_check", kwargs={"uuid": check.uuid})
    detail = reverse("placements:detail", kwargs={"uuid": placement.uuid})
    for client in (first, second):
        assert f'name="version" value="{check.version}"' in client.get(detail).content.decode()
    data = {
        "done_on": timezone.localdate().isoformat(),
        "still_working": "ja",
        "version": check.version,
    }
    assert first.post(url, data | {"notes": "Gaat goed, werkgever tevreden."}).status_code == 302
    refused = second.post(url, data | {"notes": "Twijfels over de uren."}, follow=True)
    assert STALE in text(refused).lower()
    check.refresh_from_db()
    assert check.notes == "Gaat goed, werkgever tevreden."


@pytest.mark.django_db
def test_the_second_of_two_outflow_saves_is_refused(login, people, placement):
    rm = people[Role.RELATIONSHIP_MANAGER]
    first, second = login(rm), login(rm)
    url = reverse("placements:record_outflow", kwargs={"uuid": placement.uuid})
    version = placement.version
    on = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    saved = first.post(url, {"outflow": "volledig", "outflow_on": on, "version": version})
    assert saved.status_code == 302
    assert Placement.objects.get(pk=placement.pk).outflow == "volledig"
    refused = second.post(
        url, {"outflow": "geen", "outflow_on": "", "version": version}, follow=True
    )
    assert STALE in text(refused).lower()
    assert Placement.objects.get(pk=placement.pk).outflow == "volledig"


@pytest.mark.django_db
def test_a_form_sent_twice_makes_one_employer(login, people, regions):
    rm = people[Role.RELATIONSHIP_MANAGER]
    client = login(rm)
    token = submission_id(client.get(reverse("employers:create")))
    data = {
        "_submission": token,
        "name": "Installatiebedrijf Peters",
        "city": "Nijmegen",
        "municipality": regions["own"]["municipalities"][0].pk,
        "owner": str(rm.staff.uuid),
        "source": "bedrijfsbezoek",
    }
    # Refused first (no name): the same id then goes through once corrected.
    refused = client.post(reverse("employers:create"), data | {"name": ""})
    assert refused.status_code == 200 and not Employer.objects.exists()
    first = client.post(reverse("employers:create"), data)
    second = client.post(reverse("employers:create"), data, follow=True)
    assert Employer.objects.count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "al verstuurd" in text(second)
    other = client.post(
        reverse("employers:create"), data | {"_submission": "f" * 32, "name": "Peters BV"}
    )
    assert other.status_code == 302 and Employer.objects.count() == 2


@pytest.mark.django_db
def test_a_contact_sent_twice_is_logged_once(login, people, regions):
    km = people[Role.CLIENT_MANAGER]
    candidate = make_candidate(regions["own"], client_manager=km.staff)
    client = login(km)
    url = reverse("candidates:contact_add", kwargs={"uuid": candidate.uuid})
    data = {
        "_submission": submission_id(client.get(url)),
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "gesprek",
        "summary": "Gesproken over een proefplaats in de bakkerij.",
    }
    responses = [client.post(url, data) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert CandidateContact.objects.filter(candidate=candidate).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_the_same_moment_make_one_record(people, regions):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's concurrency")
    km = people[Role.CLIENT_MANAGER]
    candidate = make_candidate(regions["own"], client_manager=km.staff)
    url = reverse("candidates:contact_add", kwargs={"uuid": candidate.uuid})
    data = {
        "_submission": "a" * 32,
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "telefoon",
        "summary": "Teruggebeld over de afspraak.",
    }
    clients = []
    for _ in range(2):
        client = Client()
        verify_session(client, km)
        clients.append(client)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def send(client: Client) -> None:
        start.wait()
        statuses.append(client.post(url, data).status_code)
        connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    assert CandidateContact.objects.filter(candidate=candidate).count() == 1
