"""The answer page behind the personal link in an invitation: no account, the meeting and
yes/no, for a candidate the employers to meet, a confirmation (coming, waiting list, not
coming) and the calendar file. Link security: unknown and guessed links 404, expired and
cancelled 410, without a word about the meeting; a link changes only its own invitation; the
token is never stored; the page names no other invited person; no caching, and the token
never leaves in a Referer header."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests_support import text
from werkbrug.core import access
from werkbrug.core.models import AccessLogEntry, ChangeLogEntry
from werkbrug.employers.models import Employer
from werkbrug.meetings import services
from werkbrug.meetings.models import Invitation, Meeting, MeetingStatus, Response

pytestmark = pytest.mark.django_db

URL = "https://werkbrug.example/uitnodiging/TOKEN/"


@pytest.fixture
def rm(people):
    return access.actor_for(people["relatiemanager"])


def _meeting(world, people, title="Prettig gesprek Wijchen", **fields):
    values = {
        "region": world["place"]["region"],
        "title": title,
        "host_employer": world["employer"],
        "location": "Logistiek Centrum Wijchen, Bijsterhuizen 11",
        "starts_at": timezone.now() + dt.timedelta(days=10),
        "rounds": 3,
        "table_capacity": 2,
        "min_conversations": 1,
    }
    values.update(fields)
    m = Meeting.objects.create(**values)
    m.organisers.add(people["relatiemanager"].staff)
    return m


@pytest.fixture
def meeting(world, people):
    return _meeting(world, people)


@pytest.fixture
def second_employer(world):
    return Employer.objects.create(
        region=world["place"]["region"],
        name="Supermarkt Bakker",
        municipality=world["place"]["municipalities"][0],
        sbi_code="47111",
        owner=world["rm"],
    )


def _invite(meeting, rm, capture, *, employers=(), candidates=()):
    """Invite and return the mailed token per invited employer or candidate."""
    mail.outbox.clear()
    with capture(execute=True):
        services.invite(
            actor=rm,
            meeting=meeting,
            employers=employers,
            candidates=candidates,
            answer_url=URL,
        )
    tokens = {}
    for message in mail.outbox:
        token = re.search(r"/uitnodiging/([^/]+)/", message.body).group(1)
        invitation = services.invitation_for_token(token)
        tokens[invitation.employer or invitation.candidate] = token
    return tokens


@pytest.fixture
def invited(world, meeting, rm, second_employer, django_capture_on_commit_callbacks):
    return _invite(
        meeting,
        rm,
        django_capture_on_commit_callbacks,
        employers=[world["employer"], second_employer],
        candidates=[world["good"], world["cashier"]],
    )


@pytest.fixture
def client():
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def _url(token, name="meetings:answer"):
    return reverse(name, kwargs={"token": token})


def _private(response):
    assert response["Cache-Control"] == "no-store"
    # Never the path with the token in a Referer; not "no-referrer", under which browsers
    # send "Origin: null" with the form and the CSRF check would refuse every answer.
    assert response["Referrer-Policy"] == "strict-origin"


def test_the_page_shows_the_meeting_and_the_employers_to_meet(
    client, world, invited, meeting, second_employer
):
    response = client.get(_url(invited[world["good"]]))
    assert response.status_code == 200
    _private(response)
    page = text(response)
    assert meeting.title in page
    assert "Bijsterhuizen 11" in page
    assert "Host Logistiek Centrum Wijchen" in page
    assert "No CV needed" in page
    assert "No answer yet" in page
    assert "Yes, I'm coming" in page and "No, I can't" in page
    assert "Whom would you like to meet?" in page
    html = response.content.decode()
    for employer in (world["employer"], second_employer):
        assert f'value="{employer.uuid}"' in html
        assert employer.name in page
    assert _url(invited[world["good"]], "meetings:answer_ics") in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "site-nav" not in html  # no staff menu


def test_the_page_names_no_other_invited_person(client, world, invited):
    response = client.get(_url(invited[world["good"]]))
    page = response.content.decode()
    other = world["cashier"]
    for personal in (
        other.first_name,
        other.email,
        world["good"].last_name,  # not even the invitee's own surname
        world["good"].email,
        "Petra Hendriks",  # the employer's contact person
        "petra@example.nl",
    ):
        assert personal not in page


def test_yes_with_wishes_is_saved_and_confirmed(client, world, invited, second_employer):
    token = invited[world["good"]]
    response = client.post(
        _url(token), {"coming": "ja", "wants_to_meet": [str(second_employer.uuid)]}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(token) + "?klaar=1"
    _private(response)
    invitation = Invitation.objects.get(candidate=world["good"])
    assert invitation.response == Response.YES
    assert list(invitation.wants_to_meet.all()) == [second_employer]
    page = text(client.get(response["Location"]))
    assert "Thank you! You are coming." in page
    # The wish is shown ticked when the page is opened again.
    html = client.get(_url(token)).content.decode()
    assert re.search(rf'value="{second_employer.uuid}"[^>]*checked', html)


def test_a_full_meeting_puts_the_next_one_on_the_waiting_list(
    client, world, meeting, rm, django_capture_on_commit_callbacks
):
    meeting.table_capacity, meeting.rounds = 1, 1
    meeting.save()
    tokens = _invite(
        meeting,
        rm,
        django_capture_on_commit_callbacks,
        employers=[world["employer"]],
        candidates=[world["good"], world["cashier"]],
    )
    client.post(_url(tokens[world["good"]]), {"coming": "ja"})
    response = client.post(_url(tokens[world["cashier"]]), {"coming": "ja"}, follow=True)
    page = text(response)
    assert "You are on the waiting list." in page
    assert "You are number 1 on the waiting list" in page


def test_no_is_saved_and_confirmed(client, world, invited):
    response = client.post(_url(invited[world["cashier"]]), {"coming": "nee"}, follow=True)
    assert "You are not coming." in text(response)
    assert Invitation.objects.get(candidate=world["cashier"]).response == Response.NO


def test_an_employer_answers_without_choosing_employers(client, world, invited):
    token = invited[world["employer"]]
    page = text(client.get(_url(token)))
    assert "Whom would you like to meet?" not in page
    response = client.post(_url(token), {"coming": "ja"})
    assert response.status_code == 302
    assert Invitation.objects.get(employer=world["employer"]).response == Response.YES


def test_an_answer_needs_yes_or_no(client, world, invited):
    response = client.post(_url(invited[world["good"]]), {})
    assert response.status_code == 400
    assert "Choose yes or no." in text(response)
    assert Invitation.objects.get(candidate=world["good"]).response == Response.OPEN


def test_unknown_and_guessed_links_are_the_same_404(client, world, invited, meeting):
    real = invited[world["good"]]
    responses = [
        client.get(_url("unknown")),
        client.get(_url(real[:-2] + ("aa" if not real.endswith("aa") else "bb"))),
        client.post(_url("x" * 43), {"coming": "ja"}),
        client.get(_url("unknown", "meetings:answer_ics")),
    ]
    pages = set()
    for response in responses:
        assert response.status_code == 404
        _private(response)
        page = text(response)
        assert "This link is not valid" in page
        assert meeting.title not in page and "Wijchen" not in page
        pages.add(page)
    assert len(pages) == 1  # nothing tells a guess from an unknown link
    assert Invitation.objects.get(candidate=world["good"]).response == Response.OPEN


def test_an_expired_link_is_410(client, world, invited, meeting):
    token = invited[world["good"]]
    Invitation.objects.update(token_expires_at=timezone.now() - dt.timedelta(minutes=1))
    for response in (
        client.get(_url(token)),
        client.post(_url(token), {"coming": "ja"}),
        client.get(_url(token, "meetings:answer_ics")),
    ):
        assert response.status_code == 410
        _private(response)
        page = text(response)
        assert "This link has expired" in page
        assert meeting.title not in page
    assert Invitation.objects.get(candidate=world["good"]).response == Response.OPEN


def test_a_link_used_before_is_refused_after_the_meeting_is_cancelled(
    client, world, invited, meeting
):
    token = invited[world["good"]]
    assert client.post(_url(token), {"coming": "ja"}).status_code == 302
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    response = client.post(_url(token), {"coming": "nee"})
    assert response.status_code == 410
    assert "This meeting has been cancelled." in text(response)
    assert meeting.title not in text(response)
    assert client.get(_url(token)).status_code == 410
    assert Invitation.objects.get(candidate=world["good"]).response == Response.YES


def test_a_link_of_another_meeting_cannot_change_this_one(
    client, world, people, rm, invited, meeting, second_employer, django_capture_on_commit_callbacks
):
    other = _meeting(world, people, title="Prettig gesprek Nijmegen", host_employer=None)
    other_tokens = _invite(
        other, rm, django_capture_on_commit_callbacks, candidates=[world["good"]]
    )
    token = other_tokens[world["good"]]
    # Employers of this meeting are not a choice behind the other meeting's link ...
    response = client.post(
        _url(token), {"coming": "ja", "wants_to_meet": [str(second_employer.uuid)]}
    )
    assert response.status_code == 400
    # ... and its answer lands on its own invitation only.
    assert client.post(_url(token), {"coming": "nee"}).status_code == 302
    assert Invitation.objects.get(meeting=other, candidate=world["good"]).response == Response.NO
    here = Invitation.objects.get(meeting=meeting, candidate=world["good"])
    assert here.response == Response.OPEN and not here.wants_to_meet.exists()
    assert "Prettig gesprek Nijmegen" in text(client.get(_url(token)))
    assert "Prettig gesprek Nijmegen" not in text(client.get(_url(invited[world["good"]])))


def test_the_token_is_not_stored_in_plain_text(client, world, invited):
    token = invited[world["good"]]
    client.post(_url(token), {"coming": "ja"})
    client.get(_url(token, "meetings:answer_ics"))
    invitation = Invitation.objects.get(candidate=world["good"])
    assert invitation.token_hash == services.hash_token(token) != token
    for rows in (
        Invitation.objects.values(),
        ChangeLogEntry.objects.values(),
        AccessLogEntry.objects.values(),
    ):
        assert token not in str(list(rows))


def test_the_calendar_file(client, world, invited, meeting):
    response = client.get(_url(invited[world["good"]], "meetings:answer_ics"))
    assert response.status_code == 200
    _private(response)
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert f"UID:{meeting.uuid}@werkbrug" in body
    assert "SUMMARY:Prettig gesprek Wijchen" in body


def test_the_form_is_protected_against_csrf(world, invited):
    token = invited[world["good"]]
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(_url(token), {"coming": "ja"}).status_code == 403
    assert Invitation.objects.get(candidate=world["good"]).response == Response.OPEN
    html = strict.get(_url(token)).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    # What a browser sends under the page's referrer policy: the site's own origin.
    response = strict.post(
        _url(token),
        {"coming": "ja", "csrfmiddlewaretoken": csrf},
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code == 302
    assert Invitation.objects.get(candidate=world["good"]).response == Response.YES
