"""Printouts for the day: a table card per employer (per round who sits there, with only what
may be shared) and a personal schedule per candidate (round, time, employer, table), as PDF
and as print-friendly HTML. Candidates are read through the access layer: someone the user
may not see is counted, not named; someone they see only anonymously is "Candidate"; what a
person is good at is printed only with their consent to share with that employer."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from candidates_support import give_consent, make_candidate
from tests_support import text
from werkbrug.candidates.models import ConsentScope
from werkbrug.core import access
from werkbrug.core.models import AccessLogEntry
from werkbrug.employers.models import Employer
from werkbrug.meetings import printouts
from werkbrug.meetings.models import Conversation, Invitation, Meeting, Response
from werkbrug.taxonomy.models import Skill

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Direct calls (without a request) in English, as the msgids read."""
    with translation.override("en"):
        yield


GOOD_AT = "Ik ben altijd vrolijk en op tijd."


def _skill(label):
    return Skill.objects.get_or_create(
        label=label, defaults={"uri": f"test:skill:{label}", "source": "curated"}
    )[0]


def _person(place, first_name, *, municipality=None, talents="", tasks=()):
    candidate = make_candidate(
        place,
        municipality=municipality,
        first_name=first_name,
        last_name="Verhoeven",
        talents=talents,
        wished_hours_min=24,
        wished_hours_max=32,
    )
    candidate.skills.set([_skill(t) for t in tasks])
    return candidate


@pytest.fixture
def day(world, people):
    """A meeting at 14:00 with rounds of 20 minutes and two tables. Anouk and Bram live in
    the relationship manager's municipality (seen in full); Wendy lives in Wijchen without
    consent (not seen); Pia lives in Wijchen and shares an anonymous profile in the region.
    Anouk consented to share her profile with the warehouse, not with the supermarket."""
    place = world["place"]
    nijmegen, wijchen = place["municipalities"]
    starts = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=10), dt.time(14, 0))
    )
    meeting = Meeting.objects.create(
        region=place["region"],
        title="Prettig gesprek Wijchen",
        host_employer=world["employer"],
        location="Bijsterhuizen 11, Wijchen",
        starts_at=starts,
        rounds=3,
        round_minutes=20,
        table_capacity=3,
    )
    meeting.organisers.add(people["relatiemanager"].staff)
    warehouse = world["employer"]
    supermarket = Employer.objects.create(
        region=place["region"],
        name="Supermarkt Bakker",
        city="Nijmegen",
        municipality=nijmegen,
        sbi_code="47111",
        owner=world["rm"],
    )
    anouk = _person(place, "Anouk", talents=GOOD_AT + " En ik kan goed plannen.", tasks=["Kassa"])
    bram = _person(place, "Bram", talents="Geheim talent", tasks=["Pallets stapelen"])
    wendy = _person(place, "Wendy", municipality=wijchen, tasks=["Vakken vullen"])
    pia = _person(place, "Pia", municipality=wijchen, tasks=["Orders inpakken"])
    give_consent(pia, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    give_consent(
        anouk, ConsentScope.SHARE_WITH_EMPLOYER, by=people["klantmanager"], employer=warehouse
    )
    for employer in (warehouse, supermarket):
        Invitation.objects.create(
            meeting=meeting,
            employer=employer,
            token_hash=f"e{employer.pk}",
            token_expires_at=starts,
            response=Response.YES,
        )
    for candidate in (anouk, bram, wendy, pia):
        Invitation.objects.create(
            meeting=meeting,
            candidate=candidate,
            token_hash=f"c{candidate.pk}",
            token_expires_at=starts,
            response=Response.YES,
        )
    for round_, employer, candidate in (
        (1, warehouse, anouk),
        (1, warehouse, wendy),
        (1, supermarket, bram),
        (1, supermarket, pia),
        (2, warehouse, bram),
        (2, supermarket, anouk),
        (3, warehouse, pia),
    ):
        Conversation.objects.create(
            meeting=meeting, round=round_, employer=employer, candidate=candidate
        )
    return {
        "meeting": meeting,
        "warehouse": warehouse,
        "supermarket": supermarket,
        "anouk": anouk,
        "bram": bram,
        "wendy": wendy,
        "pia": pia,
    }


@pytest.fixture
def rm(people):
    return access.actor_for(people["relatiemanager"])


@pytest.fixture
def client(people, login_en):
    return login_en(people["relatiemanager"])


def _pages(body: bytes) -> list[str] | None:
    """The text of each page (pdftotext), or None when pdftotext is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=body,
        capture_output=True,
        check=True,
    )
    return [" ".join(page.split()) for page in result.stdout.decode().split("\f") if page.strip()]


def _cards_url(meeting, name="meetings:table_cards"):
    return reverse(name, kwargs={"uuid": meeting.uuid})


def _schedule_url(meeting, candidate, name="meetings:schedule"):
    return reverse(name, kwargs={"uuid": meeting.uuid, "candidate": candidate.uuid})


# --- Table cards ------------------------------------------------------------------------------


def test_table_cards_show_per_round_only_what_may_be_shared(day, rm):
    data = printouts.table_cards(rm, day["meeting"])
    warehouse, supermarket = data.cards  # tables by employer name
    assert (warehouse.table, warehouse.employer, warehouse.place) == (
        1,
        "Logistiek Centrum Wijchen",
        "Wijchen",
    )
    assert (supermarket.table, supermarket.employer, supermarket.place) == (
        2,
        "Supermarkt Bakker",
        "Nijmegen",
    )
    first = warehouse.rounds[0]
    assert (first.starts_at.strftime("%H:%M"), first.ends_at.strftime("%H:%M")) == (
        "14:00",
        "14:20",
    )
    assert [s.name for s in first.seats] == ["Anouk"]
    anouk = first.seats[0]
    assert anouk.tasks == ("Kassa",) and anouk.hours == "24-32 hours a week"
    assert anouk.talents == GOOD_AT  # consent to share with this employer: a short line
    assert first.hidden == 1  # Wendy: counted, not named
    # Without consent for the supermarket: first name, tasks and hours only.
    at_supermarket = supermarket.rounds[1].seats[0]
    assert at_supermarket.name == "Anouk" and at_supermarket.talents == ""
    bram = warehouse.rounds[1].seats[0]
    assert bram.name == "Bram" and bram.talents == "" and bram.tasks == ("Pallets stapelen",)
    # Pia is seen only as an anonymous regional profile.
    pia = warehouse.rounds[2].seats[0]
    assert pia.name == "Candidate" and pia.tasks == ("Orders inpakken",)
    assert supermarket.rounds[2].seats == () and supermarket.rounds[2].hidden == 0


def test_an_absent_employer_keeps_their_number_but_gets_no_card_once_their_table_is_empty(day, rm):
    """Checked in as absent and re-planned: no card for an empty table, and the other tables
    keep the numbers the printed schedules already show."""
    meeting, warehouse = day["meeting"], day["warehouse"]
    meeting.invitations.filter(employer=warehouse).update(present=False)
    assert [c.table for c in printouts.table_cards(rm, meeting).cards] == [1, 2]  # still seated
    meeting.conversations.filter(employer=warehouse).delete()
    cards = printouts.table_cards(rm, meeting).cards
    assert [(c.table, c.employer) for c in cards] == [(2, "Supermarkt Bakker")]


def test_the_table_cards_pdf(day, client):
    response = client.get(_cards_url(day["meeting"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    pages = _pages(body)
    if pages is None:
        assert b"/Helvetica" in body
        return
    assert len(pages) == 2  # a page per table
    warehouse, supermarket = pages
    assert "Table 1" in warehouse and "Logistiek Centrum Wijchen" in warehouse
    assert "Round 1 14:00-14:20" in warehouse and "Round 3 14:40-15:00" in warehouse
    assert "Anouk" in warehouse and GOOD_AT in warehouse
    assert "And 1 more candidate (not shown)." in warehouse
    assert "Table 2" in supermarket and "Supermarkt Bakker" in supermarket
    assert "Anouk" in supermarket and GOOD_AT not in supermarket
    assert "Tasks: Pallets stapelen" in supermarket
    assert "Wants to work: 24-32 hours a week" in supermarket
    assert "No one at this table this round." in supermarket
    everything = " ".join(pages)
    for secret in ("Wendy", "Pia", "Verhoeven", "Geheim talent", "En ik kan goed plannen"):
        assert secret not in everything


def test_the_table_cards_as_a_print_page(day, client):
    response = client.get(_cards_url(day["meeting"], "meetings:table_cards_html"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "meetings-print.css" in html
    assert "site-nav" not in html  # no menu
    page = text(response)
    assert "Logistiek Centrum Wijchen" in page and "Supermarkt Bakker" in page
    assert "Anouk" in page and "Bram" in page and GOOD_AT in page
    assert "And 1 more candidate (not shown)." in page
    for secret in ("Wendy", "Pia", "Verhoeven", "Geheim talent"):
        assert secret not in page
    assert _cards_url(day["meeting"]) in html


def test_a_candidate_another_staff_member_sees_is_named_for_them_only(day, people, login_en):
    """A client manager of Wijchen sees Wendy and Pia in full; the relationship manager of
    Nijmegen does not (see the tests above)."""
    from werkbrug.regions.models import Staff

    Staff.objects.filter(user=people["klantmanager"]).update(
        municipality=day["meeting"].region.municipalities.get(name="Wijchen")
    )
    actor = access.actor_for(people["klantmanager"])
    data = printouts.table_cards(actor, day["meeting"])
    names = {s.name for card in data.cards for r in card.rounds for s in r.seats}
    assert {"Wendy", "Pia"} <= names


def test_a_text_outside_latin1_does_not_break_the_pdf(day, rm):
    Employer.objects.filter(pk=day["supermarket"].pk).update(name="Łódź Catering 🍲 “Bakker”")
    body = printouts.table_cards_pdf(printouts.table_cards(rm, day["meeting"]))
    assert body.startswith(b"%PDF")
    pages = _pages(body)
    if pages is not None:
        assert '?ódz Catering ? "Bakker"' in " ".join(pages)


def test_a_meeting_without_tables_still_prints(world, people, rm):
    meeting = Meeting.objects.create(
        region=world["place"]["region"],
        title="Leeg",
        location="Wijchen",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    body = printouts.table_cards_pdf(printouts.table_cards(rm, meeting))
    assert body.startswith(b"%PDF")


# --- Personal schedule ------------------------------------------------------------------------


def test_the_schedule_lists_the_rounds_with_times_employers_and_tables(day, rm):
    data = printouts.schedule(rm, day["meeting"], day["anouk"])
    assert data.candidate == "Anouk Verhoeven"
    rows = [
        (
            r.number,
            r.starts_at.strftime("%H:%M"),
            r.ends_at.strftime("%H:%M"),
            r.employer,
            r.place,
            r.table,
        )
        for r in data.rows
    ]
    assert rows == [
        (1, "14:00", "14:20", "Logistiek Centrum Wijchen", "Wijchen", 1),
        (2, "14:20", "14:40", "Supermarkt Bakker", "Nijmegen", 2),
        (3, "14:40", "15:00", "", "", None),
    ]


def test_the_schedule_pdf(day, client):
    response = client.get(_schedule_url(day["meeting"], day["anouk"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    pages = _pages(body)
    if pages is None:
        return
    assert len(pages) == 1
    page = pages[0]
    assert "Your schedule" in page and "Anouk Verhoeven" in page
    assert "1 14:00-14:20 Logistiek Centrum Wijchen" in page
    assert "2 14:20-14:40 Supermarkt Bakker" in page
    assert "3 14:40-15:00 Break: no conversation this round" in page
    assert "Table 1" in page and "Table 2" in page
    # Reading a person's record is written to the access log.
    assert AccessLogEntry.objects.filter(object_uuid=day["anouk"].uuid).exists()


def test_the_schedule_as_a_print_page(day, client):
    response = client.get(_schedule_url(day["meeting"], day["anouk"], "meetings:schedule_html"))
    assert response.status_code == 200
    page = text(response)
    assert "Anouk Verhoeven" in page
    assert "14:20–14:40" in page and "Supermarkt Bakker" in page and "Table 2" in page
    assert "Break: no conversation this round" in page
    assert "site-nav" not in response.content.decode()


def test_no_schedule_for_someone_the_user_may_not_see_or_who_was_not_invited(day, client, world):
    assert client.get(_schedule_url(day["meeting"], day["wendy"])).status_code == 404
    assert (
        client.get(
            _schedule_url(day["meeting"], day["wendy"], "meetings:schedule_html")
        ).status_code
        == 404
    )
    not_invited = world["good"]
    assert client.get(_schedule_url(day["meeting"], not_invited)).status_code == 404


def test_an_anonymous_profile_gets_a_schedule_without_a_name(day, rm):
    data = printouts.schedule(rm, day["meeting"], day["pia"])
    assert data.candidate == "Candidate"
    assert [r.table for r in data.rows] == [2, None, 1]


# --- Who may print ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["werkgever", "kandidaat", "onderzoeker"])
def test_only_meeting_staff_print(day, people, login_en, role):
    client = login_en(people[role])
    for url in (
        _cards_url(day["meeting"]),
        _cards_url(day["meeting"], "meetings:table_cards_html"),
        _schedule_url(day["meeting"], day["anouk"]),
    ):
        assert client.get(url).status_code == 403


def test_staff_of_another_region_get_404(day, people, login_en):
    client = login_en(people["other_region_rm"])
    assert client.get(_cards_url(day["meeting"])).status_code == 404
    assert client.get(_schedule_url(day["meeting"], day["anouk"])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(day):
    from django.test import Client

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(_cards_url(day["meeting"]))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
