"""Data-subject requests, from the pages a client manager uses.

* Registering a request from the candidate's page sets the deadline one month after receipt;
  a date in the future or an empty request is refused with the field named.
* Inzage: the copy downloads as a PDF and as JSON holding the person's data; each download is
  on the request's log and in the access log.
* Correction: only changed fields are saved, through the candidate's own rules (a bad postcode
  is refused); the request's log names the field, the change log keeps before and after; a
  stale form is refused and nothing is saved.
* Erasure is refused while the journey runs (with the legal reason) and, once it has ended,
  erases the file and closes the request.
* The deadline is extended once, by two months, with a reason; overdue requests are flagged.
* Only people who may see the candidate's whole file see the request (another municipality's
  client manager gets 404), and the administrator sees none.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates_support import make_candidate
from tests_support import make_person, text
from werkbrug.candidates.models import Candidate, JourneyStatus
from werkbrug.core.models import AccessLogEntry, ChangeLogEntry
from werkbrug.core.roles import Role
from werkbrug.privacy.models import DataSubjectRequest, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(regions):
    return regions["own"]


@pytest.fixture
def km(people):
    return people[Role.CLIENT_MANAGER]


@pytest.fixture
def candidate(own, km):
    return make_candidate(own, client_manager=km.staff, first_name="Sanne", last_name="Verhoef")


def register(client, candidate, **data):
    values = {
        "kind": "access",
        "channel": "letter",
        "received_on": timezone.localdate().isoformat(),
        "request_text": "Ik wil weten wat jullie over mij bijhouden.",
    } | data
    return client.post(reverse("privacy:request_new", kwargs={"uuid": candidate.uuid}), values)


def test_register_sets_the_deadline_one_month_after_receipt(login, km, candidate):
    client = login(km)
    page = client.get(reverse("candidates:detail", kwargs={"uuid": candidate.uuid}))
    assert reverse("privacy:request_new", kwargs={"uuid": candidate.uuid}) in page.content.decode()
    response = register(client, candidate, received_on="2026-01-31")
    dsr = DataSubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{dsr.uuid}/")
    assert dsr.due_on == dt.date(2026, 2, 28)
    assert dsr.events.count() == 1


def test_bad_requests_are_refused_naming_the_field(login, km, candidate):
    client = login(km)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = register(client, candidate, received_on=tomorrow, request_text="  ")
    assert response.status_code == 200
    body = text(response)
    assert "Dit veld is verplicht" in body or "verplicht" in body
    response = register(client, candidate, received_on=tomorrow)
    assert "toekomst" in text(response)
    assert not DataSubjectRequest.objects.exists()


def test_access_copy_downloads_as_pdf_and_json_and_is_logged(login, km, candidate):
    client = login(km)
    register(client, candidate)
    dsr = DataSubjectRequest.objects.get()
    url = reverse("privacy:request_export", kwargs={"uuid": dsr.uuid, "extension": "json"})
    response = client.get(url)
    assert response.status_code == 200
    assert "Verhoef" in json.dumps(json.loads(response.content), ensure_ascii=False)
    pdf = client.get(
        reverse("privacy:request_export", kwargs={"uuid": dsr.uuid, "extension": "pdf"})
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(url.replace(".json", ".exe")).status_code == 404
    assert dsr.events.filter(what__contains="JSON").exists()
    assert dsr.events.filter(what__contains="PDF").exists()
    assert AccessLogEntry.objects.filter(object_uuid=candidate.uuid, action="export").count() == 2
    done = client.post(
        reverse("privacy:request_complete", kwargs={"uuid": dsr.uuid}),
        {
            "outcome": "Kopie per post verstuurd.",
            "version": DataSubjectRequest.objects.get().version,
        },
    )
    assert done.status_code == 302
    assert DataSubjectRequest.objects.get().status == RequestStatus.DONE


def test_correction_saves_changed_fields_through_the_candidate_rules(login, km, candidate):
    client = login(km)
    register(client, candidate, kind="rectification", request_text="Mijn achternaam is Verhoeff.")
    dsr = DataSubjectRequest.objects.get()
    url = reverse("privacy:request_correct", kwargs={"uuid": dsr.uuid})
    form = {
        "version": dsr.version,
        "candidate_version": candidate.version,
        "last_name": "Verhoeff",
        "postcode": "ABCD 12",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert Candidate.objects.get(pk=candidate.pk).last_name == "Verhoef"
    form["postcode"] = candidate.postcode
    assert client.post(url, form).status_code == 302
    candidate.refresh_from_db()
    assert candidate.last_name == "Verhoeff"
    assert dsr.events.filter(what="Gecorrigeerd: achternaam.").exists()
    change = ChangeLogEntry.objects.filter(object_uuid=candidate.uuid).order_by("-pk").first()
    assert (
        change.prechange["last_name"] == "Verhoef" and change.postchange["last_name"] == "Verhoeff"
    )
    # The same form again is stale: nothing changes.
    form["last_name"] = "Anders"
    stale = client.post(url, form)
    assert stale.status_code == 400 and "iemand anders" in text(stale).lower()
    assert Candidate.objects.get(pk=candidate.pk).last_name == "Verhoeff"


def test_erasure_is_refused_while_the_journey_runs_and_done_once_it_ended(login, km, candidate):
    client = login(km)
    register(client, candidate, kind="erasure", request_text="Verwijder mijn gegevens.")
    dsr = DataSubjectRequest.objects.get()
    url = reverse("privacy:request_complete", kwargs={"uuid": dsr.uuid})
    page = client.get(reverse("privacy:request", kwargs={"uuid": dsr.uuid}))
    assert "17 lid 3" in text(page)
    refused = client.post(url, {"outcome": "Verwijderd.", "version": dsr.version})
    assert refused.status_code == 400 and "17 lid 3" in text(refused)
    assert Candidate.objects.get(pk=candidate.pk).last_name == "Verhoef"

    Candidate.objects.filter(pk=candidate.pk).update(status=JourneyStatus.OUTCOME)
    assert (
        client.post(
            url, {"outcome": "Uw gegevens zijn verwijderd.", "version": dsr.version}
        ).status_code
        == 302
    )
    candidate.refresh_from_db()
    dsr.refresh_from_db()
    assert candidate.last_name == "[verwijderd]" and candidate.email == ""
    assert dsr.status == RequestStatus.DONE and dsr.request_text == ""
    assert "Verhoef" not in text(client.get(reverse("privacy:request", kwargs={"uuid": dsr.uuid})))


def test_deadline_extends_once_with_a_reason_and_overdue_is_flagged(login, km, candidate):
    client = login(km)
    received = timezone.localdate() - dt.timedelta(days=20)
    register(client, candidate, received_on=received.isoformat())
    dsr = DataSubjectRequest.objects.get()
    url = reverse("privacy:request_extend", kwargs={"uuid": dsr.uuid})
    assert client.post(url, {"version": dsr.version, "extension_reason": ""}).status_code == 400
    assert (
        client.post(url, {"version": dsr.version, "extension_reason": "Veel dossiers."}).status_code
        == 302
    )
    dsr.refresh_from_db()
    assert dsr.extended and dsr.due_on > received + dt.timedelta(days=85)
    again = client.post(url, {"version": dsr.version, "extension_reason": "Nog meer."})
    assert again.status_code == 400

    DataSubjectRequest.objects.filter(pk=dsr.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    listing = text(client.get(reverse("privacy:requests")))
    assert "3 dagen te laat" in listing


def test_only_those_who_see_the_whole_file_see_the_request(login, km, candidate, own, people):
    client = login(km)
    register(client, candidate)
    dsr = DataSubjectRequest.objects.get()
    detail = reverse("privacy:request", kwargs={"uuid": dsr.uuid})
    elsewhere = make_person("km_wijchen", Role.CLIENT_MANAGER, own)
    elsewhere.staff.municipality = own["municipalities"][1]
    elsewhere.staff.save()
    other = login(elsewhere)
    assert other.get(detail).status_code == 404
    assert "Verhoef" not in text(other.get(reverse("privacy:requests")))
    assert login(people[Role.FUNCTIONAL_ADMIN]).get(detail).status_code == 403
