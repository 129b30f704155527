"""Rate limits on the pages anyone can reach (core.ratelimit).

For the meeting answer link, the questionnaire link, the password-reset form and link, the
log-in form and the API token endpoint: N requests from one address pass and request N+1 is
refused with 429 and Retry-After (a page that says to wait, or problem+json for the API);
another address is not affected; the count starts again in the next window (a patched
clock); a link that does not work or a wrong password counts more than a normal request; a
spoofed X-Forwarded-For does not give a client a new count unless a proxy is trusted; and the
counts live in the database cache every worker shares.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests_support import PASSWORD
from werkbrug.config import Env
from werkbrug.core import ratelimit
from werkbrug.evaluation import questionnaires
from werkbrug.evaluation.models import Invitation as SurveyInvitation
from werkbrug.evaluation.models import Survey
from werkbrug.evaluation.services import hash_token as survey_hash
from werkbrug.meetings.models import Invitation as MeetingInvitation
from werkbrug.meetings.models import Meeting
from werkbrug.meetings.services import hash_token as meeting_hash

#: A moment 20 seconds into a 60-second window (and into a 600-second one).
START = 60 * 600 * 50_000 + 20.0
MEETING_TOKEN = "rate-limit-meeting-token-0123456789"
SURVEY_TOKEN = "rate-limit-survey-token-0123456789"


class Clock:
    def __init__(self, moment: float) -> None:
        self.moment = moment

    def __call__(self) -> float:
        return self.moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(START)
    monkeypatch.setattr(ratelimit, "now", clock)
    return clock


@pytest.fixture
def limits(settings: Any) -> Any:
    """Small limits for every scope; a failed attempt counts 5."""

    def set_limits(**scopes: tuple[int, int]) -> None:
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, **scopes}

    settings.RATELIMIT_FAILURE_COST = 5
    settings.TRUSTED_PROXIES = 0
    return set_limits


def client(address: str = "192.0.2.10", **extra: str) -> Client:
    browser = Client(REMOTE_ADDR=address, **extra)
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


@pytest.fixture
def meeting_link(regions: dict[str, Any], people: dict[str, Any]) -> str:
    from werkbrug.employers.models import Employer

    place = regions["own"]
    employer = Employer.objects.create(
        region=place["region"],
        name="Logistiek Centrum Wijchen",
        municipality=place["municipalities"][0],
        owner=people["relatiemanager"].staff,
    )
    starts = timezone.now() + dt.timedelta(days=7)
    meeting = Meeting.objects.create(
        region=place["region"],
        title="Prettig gesprek",
        host_employer=employer,
        location="Werkplein",
        starts_at=starts,
    )
    MeetingInvitation.objects.create(
        meeting=meeting,
        employer=employer,
        token_hash=meeting_hash(MEETING_TOKEN),
        token_expires_at=starts + dt.timedelta(days=1),
    )
    return reverse("meetings:answer", kwargs={"token": MEETING_TOKEN})


@pytest.fixture
def survey_link(regions: dict[str, Any]) -> str:
    template = questionnaires.load_template("werktop_kandidaat")
    survey = Survey.objects.create(
        region=regions["own"]["region"],
        title="Tevredenheid",
        template_code=template.code,
        audience=template.audience,
        questionnaire=questionnaires.to_dict(template),
        status="open",
        closes_on=timezone.localdate() + dt.timedelta(days=30),
    )
    SurveyInvitation.objects.create(
        survey=survey,
        person_key="rate-limit-1",
        group="participant",
        channel="letter",
        token_hash=survey_hash(SURVEY_TOKEN),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return reverse("evaluation:answer", kwargs={"token": SURVEY_TOKEN})


def unknown(link: str) -> str:
    """The same page for a token that never existed."""
    token = MEETING_TOKEN if MEETING_TOKEN in link else SURVEY_TOKEN
    return link.replace(token, "guessed-" + token[8:])


LINKS = [("meeting_link", "meeting_link"), ("survey_link", "survey_link")]


def assert_refused(response: Any, retry_after: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(retry_after)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Too many attempts" in html
    assert "Try again in 1 minute." in html


@pytest.mark.django_db
@pytest.mark.parametrize("scope,fixture", LINKS)
def test_link_pages_allow_n_requests_then_429(request, limits, clock, scope, fixture):
    link = request.getfixturevalue(fixture)
    limits(**{scope: (3, 60)})
    browser = client()
    for _ in range(3):
        assert browser.get(link).status_code == 200
    assert_refused(browser.get(link), retry_after=40)  # 20 s into the window of 60
    # Refused requests are not counted: later in the same window the answer stays the same.
    clock.moment += 30
    assert_refused(browser.get(link), retry_after=10)
    # Another address has its own count.
    assert client("198.51.100.7").get(link).status_code == 200
    # The next window starts again from zero.
    clock.moment += 10
    assert browser.get(link).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("scope,fixture", LINKS)
def test_a_link_that_does_not_work_counts_more(request, limits, clock, scope, fixture):
    link = request.getfixturevalue(fixture)
    limits(**{scope: (10, 60)})
    browser = client()
    assert browser.get(unknown(link)).status_code == 404  # counts 5
    assert browser.get(unknown(link)).status_code == 404  # 10: the limit is used up
    assert browser.get(link).status_code == 429
    # A person with the real link and ten requests to spare is not troubled.
    other = client("203.0.113.5")
    assert [other.get(link).status_code for _ in range(10)] == [200] * 10
    assert other.get(link).status_code == 429


@pytest.mark.django_db
def test_the_calendar_file_and_the_answer_share_the_meeting_link_count(limits, clock, meeting_link):
    limits(meeting_link=(2, 60))
    browser = client()
    assert browser.get(meeting_link).status_code == 200
    assert browser.get(meeting_link + "agenda.ics").status_code == 200
    assert browser.get(meeting_link + "agenda.ics").status_code == 429


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_header_is_ignored_unless_a_proxy_is_trusted(
    limits, clock, settings, survey_link
):
    limits(survey_link=(1, 60))
    assert client(HTTP_X_FORWARDED_FOR="10.0.0.1").get(survey_link).status_code == 200
    assert client(HTTP_X_FORWARDED_FOR="10.0.0.2").get(survey_link).status_code == 429

    # Behind one proxy (REMOTE_ADDR is the proxy) the address the proxy saw is the client;
    # whatever the client itself put in front of it is not.
    settings.TRUSTED_PROXIES = 1
    proxy = "192.0.2.250"
    first = client(proxy, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    second = client(proxy, HTTP_X_FORWARDED_FOR="10.9.9.8, 198.51.100.2")
    assert first.get(survey_link).status_code == 200
    assert second.get(survey_link).status_code == 200
    again = client(proxy, HTTP_X_FORWARDED_FOR="10.1.1.1, 198.51.100.1")
    assert again.get(survey_link).status_code == 429


def test_client_address_rules(settings):
    class Request:
        def __init__(self, **meta: str) -> None:
            self.META = meta

    settings.TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(Request(REMOTE_ADDR="192.0.2.1")) == "192.0.2.1"
    assert ratelimit.client_ip(Request()) == "unknown"
    assert ratelimit.axes_client_ip(Request()) is None  # axes stores it in an address column
    assert ratelimit.axes_client_ip(Request(REMOTE_ADDR="192.0.2.1")) == "192.0.2.1"
    settings.TRUSTED_PROXIES = 2
    chain = "1.1.1.1, 203.0.113.9, 10.0.0.2"  # client forged 1.1.1.1; two proxies appended
    assert ratelimit.client_ip(Request(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR=chain)) == (
        "203.0.113.9"
    )
    # Too few entries or garbage: the direct peer.
    assert ratelimit.client_ip(Request(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="x")) == (
        "10.0.0.3"
    )
    assert ratelimit.client_ip(
        Request(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="nonsense, 10.0.0.2")
    ) == ("10.0.0.3")


@pytest.mark.django_db
def test_an_ipv6_client_is_counted_per_64_block(limits, clock, survey_link):
    limits(survey_link=(1, 60))
    assert client("2001:db8:1:2::1").get(survey_link).status_code == 200
    assert client("2001:db8:1:2:ffff::9").get(survey_link).status_code == 429
    assert client("2001:db8:1:3::1").get(survey_link).status_code == 200


@pytest.mark.django_db
def test_api_token_endpoint(limits, clock, people):
    limits(token=(3, 60))
    api = APIClient(REMOTE_ADDR="192.0.2.20")
    good = {"username": "werkgever", "password": PASSWORD}
    for _ in range(3):
        assert api.post("/api/v1/auth/token", good, format="json").status_code == 200
    refused = api.post("/api/v1/auth/token", good, format="json")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused["Retry-After"] == "40"
    assert APIClient(REMOTE_ADDR="192.0.2.21").post(
        "/api/v1/auth/token", good, format="json"
    ).status_code == (200)
    clock.moment += 40
    assert api.post("/api/v1/auth/token", good, format="json").status_code == 200


@pytest.mark.django_db
def test_a_wrong_api_password_counts_more(limits, clock, people):
    limits(token=(6, 60))
    api = APIClient(REMOTE_ADDR="192.0.2.30")
    wrong = {"username": "werkgever", "password": "not the password"}
    assert api.post("/api/v1/auth/token", wrong, format="json").status_code == 401  # 5
    good = {"username": "werkgever", "password": PASSWORD}
    assert api.post("/api/v1/auth/token", good, format="json").status_code == 200  # 6
    assert api.post("/api/v1/auth/token", good, format="json").status_code == 429


@pytest.mark.django_db
def test_password_reset_mails_are_limited_per_address(limits, clock, people):
    limits(password_reset=(2, 900))
    browser = client()
    url = reverse("accounts:password_reset")
    for _ in range(2):
        assert browser.post(url, {"email": "werkgever@example.nl"}).status_code == 302
    assert len(mail.outbox) == 2
    refused = browser.post(url, {"email": "werkgever@example.nl"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 900 - 20
    assert len(mail.outbox) == 2
    assert browser.get(url).status_code == 200  # reading the form is not limited
    assert client("198.51.100.3").post(url, {"email": "x@example.nl"}).status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_reset_link_counts_more(limits, clock):
    limits(password_reset_link=(10, 600))
    browser = client()
    url = reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-0123456789"}
    )
    assert browser.get(url).status_code == 200  # "this link is not valid": counts 5
    assert browser.get(url).status_code == 200  # 10
    assert browser.get(url).status_code == 429


@pytest.mark.django_db
def test_login_posts_are_limited_per_address_over_all_user_names(limits, clock, people):
    limits(login=(10, 600))
    browser = client()
    url = reverse("accounts:login")
    for name in ("a", "b"):  # a password spray: each name once, 5 each
        response = browser.post(url, {"username": name, "password": "guess"})
        assert response.status_code == 200
    assert browser.post(url, {"username": "c", "password": "guess"}).status_code == 429
    assert browser.get(url).status_code == 200
    # A person elsewhere logs in as usual.
    other = client("198.51.100.4")
    response = other.post(url, {"username": "werkgever", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_counts_live_in_the_shared_database_cache(limits, clock, survey_link):
    """Every gunicorn worker must see the same count: a database cache, table made by migrate."""
    cache = caches[ratelimit.CACHE_ALIAS]
    assert isinstance(cache, DatabaseCache)
    limits(survey_link=(5, 60))
    client().get(survey_link)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM werkbrug_ratelimit")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    from django.db import connection

    from werkbrug.core.apps import create_cache_tables

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE werkbrug_ratelimit")
    assert "werkbrug_ratelimit" not in connection.introspection.table_names()
    create_cache_tables(sender=None, using="default")  # what post_migrate calls
    assert "werkbrug_ratelimit" in connection.introspection.table_names()


@pytest.mark.django_db
def test_a_broken_cache_lets_requests_through(limits, clock, monkeypatch, survey_link):
    limits(survey_link=(1, 60))
    cache = caches[ratelimit.CACHE_ALIAS]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("no such table: werkbrug_ratelimit")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "add", broken)
    browser = client()
    assert [browser.get(survey_link).status_code for _ in range(3)] == [200] * 3


@pytest.mark.parametrize("raw", ["30", "30/", "/60", "0/60", "30/0", "x/y", "30 per minute"])
def test_a_malformed_rate_names_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="WERKBRUG_RATELIMIT_TOKEN"):
        Env({"WERKBRUG_RATELIMIT_TOKEN": raw}).rate("WERKBRUG_RATELIMIT_TOKEN", (10, 60))


def test_rates_from_the_environment():
    assert Env({"R": " 100/3600 "}).rate("R", (1, 1)) == (100, 3600)
    assert Env({}).rate("R", (10, 60)) == (10, 60)
