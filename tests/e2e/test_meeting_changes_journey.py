"""Changing a prettig gesprek after the invitations went out, in a real browser.

An organiser (the relationship manager) opens "Change" on invitation rows of the meeting page:
records "coming" for two candidates without an e-mail address (one on a desktop, one on a
phone), sends the link again to a candidate with an address (the new mailed link opens the
answer page, the old one no longer does) and gives an employer a table for three. Then they
call the meeting off: an empty reason is refused next to the field and changes nothing; with a
reason, the meeting page says it was called off and why, and everyone who did not decline and
has an address gets a mail with a calendar file that removes the meeting. A second small test
marks a meeting that has started as held.

The UI is being translated from English to Dutch, so elements are found by form action, data
attributes and ``value``, and texts checked with ``either`` (the app's own string in English
or Dutch, from the catalogue the live server uses).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from e2e_support import ARTIFACTS, PageProblems
from playwright.sync_api import Locator, Page, expect

from matching_support import picker
from werkbrug.core import access
from werkbrug.meetings import services
from werkbrug.meetings.models import Invitation, Meeting, MeetingStatus, Response
from werkbrug.taxonomy import curated
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
REASON = "De zaal in het wijkcentrum is onder water gelopen"
LINK = re.compile(r"https?://\S+?/uitnodiging/[^/\s]+/")


def either(text: str, **values: Any) -> re.Pattern[str]:
    """A regex matching the English or the Dutch version of one of the app's own strings
    (with ``values`` filled in, as the app does with ``%``)."""
    versions = set()
    for language in ("en", "nl"):
        with translation.override(language):
            found = translation.gettext(text)
        versions.add(found % values if values else found)
    return re.compile("|".join(re.escape(v) for v in sorted(versions)), re.IGNORECASE)


def assert_fits_the_phone(page: Page) -> None:
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1] + 1, f"{page.url} scrolls sideways: {overflow}"


def row_of(page: Page, invitation: Invitation) -> Locator:
    return page.locator(f"[data-invitation-table] tr[data-invitation='{invitation.uuid}']")


def open_change(row: Locator) -> Locator:
    """Open the row's "Change" disclosure (closed when the page loads) and return it."""
    details = row.locator("details[data-invitation-change]")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    expect(details.locator(".inline-forms")).to_be_visible()
    return details


@pytest.fixture(autouse=True)
def taxonomy(db: Any) -> None:
    # The data migration loads the curated list; a transactional test may have flushed it
    # (first, before the fixtures' candidates get their skills).
    curated.load_curated(Occupation, Skill, OccupationSkill)


@pytest.fixture
def invited(
    taxonomy: None,
    world: dict[str, Any],
    meeting: Meeting,
    second_employer: Any,
    people: dict[str, Any],
    base_url: str,
) -> dict[str, Any]:
    """The meeting of ``meetings_support`` (in ten days, tables of two) with two employers
    (the warehouse, whose contact has an address, and the supermarket without a contact) and
    four candidates: two without an e-mail address, one with, and one who declined through
    the link."""
    own = world["place"]
    no_mail = [
        picker(own, experienced=False, email="", first_name=name, last_name="Zonder")
        for name in ("Anouk", "Bram")
    ]
    with_mail, declines = world["good"], world["cashier"]
    services.invite(
        actor=access.actor_for(people["relatiemanager"]),
        meeting=meeting,
        employers=[world["employer"], second_employer],
        candidates=[*no_mail, with_mail, declines],
        answer_url=f"{base_url}{reverse('meetings:answer', kwargs={'token': 'TOKEN'})}",
    )
    declined = meeting.invitations.get(candidate=declines)
    services.answer(token=services.answer_token(declined), coming=False)
    assert {m.to[0] for m in mail.outbox} == {"petra@example.nl", with_mail.email, declines.email}
    return {
        "no_mail": [meeting.invitations.get(candidate=c) for c in no_mail],
        "with_mail": meeting.invitations.get(candidate=with_mail),
        "declined": declined,
        "table": meeting.invitations.get(employer=second_employer),
        "warehouse": meeting.invitations.get(employer=world["employer"]),
    }


def test_answers_links_table_sizes_and_calling_off(
    page: Page,
    new_page: Callable[..., Page],
    people: dict[str, Any],
    meeting: Meeting,
    invited: dict[str, Any],
    log_in: Any,
    base_url: str,
) -> None:
    rm = people["relatiemanager"]
    problems = PageProblems().watch(page)
    detail = f"{base_url}{reverse('meetings:detail', kwargs={'uuid': meeting.uuid})}"
    log_in(page, rm)
    page.goto(detail)
    # Ten days ahead: nothing to mark as held yet.
    expect(page.locator("form[data-mark-held]")).to_have_count(0)

    # 1. Someone without an e-mail address called to say they are coming: the organiser
    #    records it, first on a desktop, then (for the second one) on a phone.
    for invitation, viewport in zip(invited["no_mail"], ("desktop", "phone"), strict=True):
        if viewport == "phone":
            page.set_viewport_size(PHONE)
            page.goto(detail)
        row = row_of(page, invitation)
        expect(row.locator("[data-answer=open]")).to_be_visible()
        change = open_change(row)
        # No address, so no link to send again.
        expect(change.locator("form[data-resend]")).to_have_count(0)
        if viewport == "phone":
            assert_fits_the_phone(page)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            row.screenshot(path=str(ARTIFACTS / "meeting-change-phone.png"), animations="disabled")
        change.locator("form[data-record-answer] button[name=coming][value=ja]").click()
        row = row_of(page, invitation)
        expect(row.locator("[data-answer=ja]")).to_be_visible()
        expect(page.locator(".message-success")).to_contain_text(
            either("%(who)s is coming.", who=str(invitation.candidate))
        )
        invitation.refresh_from_db()
        assert invitation.response == Response.YES
        assert invitation.answer_recorded_by == rm.staff
        if viewport == "phone":
            assert_fits_the_phone(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    # 2. A candidate lost the mail: the link goes out again, the one mailed first stops.
    again = invited["with_mail"]
    address = again.candidate.email
    old_token = services.answer_token(again)  # the link mailed first
    old_link = f"{base_url}{reverse('meetings:answer', kwargs={'token': old_token})}"
    assert old_link in next(m.body for m in mail.outbox if m.to == [address])
    sent = len(mail.outbox)
    page.goto(detail)
    open_change(row_of(page, again)).locator("form[data-resend] button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text(
        either(
            "The invitation has been sent again to %(who)s, with a new link. The old link no "
            "longer works.",
            who=str(again.candidate),
        )
    )
    new_mails = mail.outbox[sent:]
    assert [m.to for m in new_mails] == [[address]], [m.to for m in new_mails]
    found = LINK.search(new_mails[0].body)
    assert found, new_mails[0].body
    new_link = found.group(0)
    assert new_link != old_link
    visitor = new_page(viewport=PHONE)  # the candidate, not logged in
    opened = visitor.goto(new_link)
    assert opened is not None and opened.status == 200
    expect(visitor.locator("h1")).to_have_text(meeting.title)
    refused = visitor.goto(old_link)
    assert refused is not None and refused.status == 404
    expect(visitor.locator("main")).to_contain_text(
        either("This link is not valid. Ask your contact person for a new one.")
    )

    # 3. The supermarket can talk to three candidates at a time.
    table = invited["table"]
    change = open_change(row_of(page, table))
    change.locator("form[data-table-capacity] input[name=table_capacity]").fill("3")
    change.locator("form[data-table-capacity] button[type=submit]").click()
    expect(row_of(page, table).locator("th")).to_contain_text(either("table for %(n)s", n=3))
    expect(page.locator(".message-success")).to_be_visible()
    table.refresh_from_db()
    assert table.table_capacity == 3

    # 4. The meeting is called off. Without a reason it is refused, next to the field.
    page.locator("header a[data-cancel]").click()
    page.wait_for_url(re.compile(r"/annuleren/$"))
    form = page.locator("form[data-cancel-form]")
    form.locator("textarea[name=cancel_reason]").fill("   ")
    form.locator("button[type=submit]").click()
    error = page.locator("#id_cancel_reason_error")
    expect(error).to_contain_text(either("Say why the meeting is called off."))
    expect(page.locator("[data-error-summary]")).to_contain_text(either("Reason for calling off"))
    expect(page.locator("#id_cancel_reason")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_cancel_reason_error\b")
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED and not meeting.cancel_reason
    assert len(mail.outbox) == sent + 1  # nobody was told anything

    # With a reason: back on the meeting page, which says so; the mails go out.
    form.locator("textarea[name=cancel_reason]").fill(REASON)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/bijeenkomsten/[0-9a-f-]{36}/$"))
    notice = page.locator("[data-cancelled]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(REASON)
    expect(page.locator(".message-success")).to_be_visible()
    # Nothing can be changed any more.
    expect(page.locator("details[data-invitation-change]")).to_have_count(0)
    expect(page.locator("a[data-cancel]")).to_have_count(0)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.cancel_reason == REASON

    # Told: whoever did not decline and has an address (not the two without one).
    cancellations = mail.outbox[sent + 1 :]
    assert sorted(m.to[0] for m in cancellations) == sorted(["petra@example.nl", address])
    for message in cancellations:
        assert REASON in message.body
        calendars = [a for a in message.attachments if a[2].startswith("text/calendar")]
        assert len(calendars) == 1, message.attachments
        content = calendars[0][1]
        content = content.decode() if isinstance(content, bytes) else content
        assert "METHOD:CANCEL" in content, content
    # The new link now says the meeting is off (a link that was real: 410).
    gone = visitor.goto(new_link)
    assert gone is not None and gone.status == 410

    # The refused form came back with 400 on purpose (a response, and the console line
    # Chromium writes for it); nothing else failed.
    expected = re.compile(r"^400 POST \S+/annuleren/$|^\S+/annuleren/: .*\b400\b")
    unexpected = [p for p in problems.all() if not expected.match(p)]
    assert not unexpected, unexpected


def test_a_meeting_that_has_started_is_marked_held(
    page: Page,
    people: dict[str, Any],
    meeting: Meeting,
    log_in: Any,
    base_url: str,
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    problems = PageProblems().watch(page)
    log_in(page, people["relatiemanager"])
    page.goto(f"{base_url}{reverse('meetings:detail', kwargs={'uuid': meeting.uuid})}")
    page.locator("form[data-mark-held] button[type=submit]").click()
    page.wait_for_url(re.compile(r"#uitkomsten$"))
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("form[data-mark-held]")).to_have_count(0)
    expect(page.locator("a[data-cancel]")).to_have_count(0)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert not problems.all(), problems.all()
