"""HTML and script typed into free-text fields are shown as text, never run; the validators of
core.validators answer any input with a value or a field message, never with a crash.

Employer name and notes, a contact person, a contact moment's notes, a work opportunity's
title and tasks, a candidate's names and own words, a meeting's title and location are saved
with ``<script>alert(1)</script>`` and ``"><img src=x onerror=alert(1)>`` (through the
services where there is one), and every page that shows them (lists, detail pages, the
public answer page behind a meeting link) holds the escaped text and never the raw tag.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from candidates_support import make_candidate
from werkbrug.core import validators
from werkbrug.core.access import actor_for
from werkbrug.employers import services as employer_services
from werkbrug.employers.models import Channel, ContactPerson, Employer, WorkOpportunity
from werkbrug.meetings.models import Invitation, Meeting
from werkbrug.meetings.services import hash_token

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW = ["<script>alert(1)", "<img src=x onerror", "<img src=x"]
ESCAPED = {
    SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;",
    IMG: "&lt;img src=x onerror=alert(1)&gt;",
}


def assert_escaped(html: str, *payloads: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{where}: raw {raw!r} in the page"
    for payload in payloads:
        assert ESCAPED[payload] in html, f"{where}: {payload!r} not shown (escaped)"


@pytest.fixture
def hostile(regions: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    place = regions["own"]
    rm = people["relatiemanager"]
    actor = actor_for(rm)
    employer = employer_services.register_employer(
        actor=actor,
        employer=Employer(
            name=f"Bakkerij {SCRIPT}",
            municipality=place["municipalities"][0],
            owner=rm.staff,
            street=IMG[:40],
            city=f"Nijmegen {IMG}",
            notes=f"Let op: {SCRIPT} en {IMG}",
        ),
        duplicates_checked=True,
    )
    person = employer_services.save_contact_person(
        actor=actor,
        person=ContactPerson(employer=employer, name=f"Fatima {IMG}", role=SCRIPT),
    )
    employer_services.record_contact(
        actor=actor,
        employer=employer,
        date=timezone.localdate(),
        channel=Channel.PHONE,
        contact_person=person,
        notes=f"Gebeld. {SCRIPT} {IMG}",
    )
    opportunity = employer_services.save_opportunity(
        actor=actor,
        opportunity=WorkOpportunity(
            employer=employer, title=f"Orderpicker {SCRIPT}", tasks=[f"Dozen {IMG}"]
        ),
    )
    candidate = make_candidate(
        place,
        client_manager=people["klantmanager"].staff,
        first_name=f"Sam {SCRIPT}"[:60],
        last_name=IMG[:60],
        talents=f"Ik kan {SCRIPT} en {IMG}",
    )
    starts = timezone.now() + dt.timedelta(days=7)
    meeting = Meeting.objects.create(
        region=place["region"],
        title=f"Prettig gesprek {SCRIPT}",
        host_employer=employer,
        location=f"Werkplein {IMG}",
        starts_at=starts,
    )
    meeting.organisers.add(rm.staff)
    Invitation.objects.create(
        meeting=meeting,
        employer=employer,
        token_hash=hash_token("hostile-employer-token-0123456789"),
        token_expires_at=starts + dt.timedelta(days=1),
    )
    Invitation.objects.create(
        meeting=meeting,
        candidate=candidate,
        token_hash=hash_token("hostile-candidate-token-0123456789"),
        token_expires_at=starts + dt.timedelta(days=1),
    )
    return {
        "employer": employer,
        "opportunity": opportunity,
        "candidate": candidate,
        "meeting": meeting,
    }


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.django_db
def test_employer_pages_show_hostile_text_escaped(hostile, people, login):
    client = login(people["relatiemanager"])
    employer = hostile["employer"]
    assert_escaped(page(client, reverse("employers:list")), SCRIPT, where="employer list")
    detail = page(client, reverse("employers:detail", kwargs={"uuid": employer.uuid}))
    assert_escaped(detail, SCRIPT, IMG, where="employer detail")
    assert "Gebeld. " + ESCAPED[SCRIPT] in detail  # the contact moment's notes
    assert_escaped(
        page(client, reverse("employers:opportunities")), SCRIPT, where="opportunity list"
    )
    search = page(client, reverse("employers:list") + "?q=" + "<script>")
    assert_escaped(search, SCRIPT, where="employer search")


@pytest.mark.django_db
def test_candidate_page_shows_hostile_text_escaped(hostile, people, login):
    client = login(people["klantmanager"])
    url = reverse("candidates:detail", kwargs={"uuid": hostile["candidate"].uuid})
    assert_escaped(page(client, url), SCRIPT, IMG, where="candidate detail")


@pytest.mark.django_db
def test_meeting_pages_show_hostile_text_escaped(hostile, people, login):
    client = login(people["relatiemanager"])
    assert_escaped(page(client, reverse("meetings:list")), SCRIPT, where="meeting list")
    detail = page(client, reverse("meetings:detail", kwargs={"uuid": hostile["meeting"].uuid}))
    assert_escaped(detail, SCRIPT, IMG, where="meeting detail")


@pytest.mark.django_db
def test_the_public_answer_page_shows_hostile_names_escaped(hostile, client):
    """The page behind a candidate's link lists the meeting, the host and the employers."""
    url = reverse("meetings:answer", kwargs={"token": "hostile-candidate-token-0123456789"})
    html = page(client, url)
    assert_escaped(html, SCRIPT, IMG, where="public answer page")
    # The employer as a choice to tick: its name is the label, escaped too.
    assert "Bakkerij " + ESCAPED[SCRIPT] in html


# --- Validators ---------------------------------------------------------------------------------

VALIDATORS = {
    "bsn": validators.validate_bsn,
    "kvk": validators.validate_kvk,
    "vestigingsnummer": validators.validate_vestigingsnummer,
    "postcode": validators.validate_postcode,
    "sbi": validators.validate_sbi,
    "phone": validators.validate_phone,
    "email": validators.validate_email,
}
VALID = {
    "bsn": ["111222333", "123456782", "1112.22.333"],
    "kvk": ["12345678", "1234 5678"],
    "vestigingsnummer": ["000012345678"],
    "postcode": ["6511 AB", "6511ab", " 6511  AB "],
    "sbi": ["47.11", "4711", "01.13.1"],
    "phone": ["06 12345678", "+31 (0)24 123 4567", "0031612345678", "0800 1234"],
    "email": ["fatima@example.nl", " Fatima@Example.NL "],
}
HOSTILE = [
    SCRIPT,
    IMG,
    '=HYPERLINK("http://x","klik")',
    "\x00",
    "１２３４５６７８",  # full-width digits
    "١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    "6511 AB\n<script>",
    "a" * 10_000,
    "",
    " ",
    "@",
    "x@",
    "12345678\u200b",
]


@pytest.mark.parametrize("name", list(VALIDATORS))
def test_valid_examples_are_accepted(name):
    for value in VALID[name]:
        VALIDATORS[name](value)


@pytest.mark.parametrize("name", list(VALIDATORS))
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_refused_with_a_field_message(name, value):
    with pytest.raises(ValidationError) as refused:
        VALIDATORS[name](value)
    assert refused.value.messages and all(m.strip() for m in refused.value.messages)
    assert refused.value.code in validators.MESSAGES


@pytest.mark.parametrize("name", list(VALIDATORS))
@settings(max_examples=150, deadline=None)
@given(
    value=st.one_of(
        st.text(max_size=40),
        st.text(alphabet="0123456789 .-+()@abAB", max_size=20),
        st.integers(),
        st.none(),
        st.floats(allow_nan=True),
        st.binary(max_size=10),
    )
)
def test_any_input_is_accepted_or_refused_with_a_field_message(name, value):
    try:
        VALIDATORS[name](value)
    except ValidationError as refused:
        assert refused.code in validators.MESSAGES
        assert all(str(m).strip() for m in refused.messages)
        return
    # Accepted: the text holds nothing but what such an identifier may hold.
    text = str(value)
    assert "<" not in text and ">" not in text and "\x00" not in text
