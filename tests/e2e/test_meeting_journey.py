"""The prettig gesprek in a real browser: from a new meeting to the follow-up task.

A relationship manager makes a meeting for five employers, invites them and the candidates
the page suggests (the rest of the thirty through the service: the page suggests at most
twenty), a candidate opens the personal link from the e-mail on a phone and says yes, the
others say yes through their links too, the organiser makes the table plan (proven optimal),
ticks people off on a phone on the day, records how a conversation went with a trial
placement to follow, and finds that follow-up in their task list.

The UI is being translated from English to Dutch, so elements are found by form action,
``name`` and data attributes, and the few texts checked with ``either`` (the app's own string
in English or Dutch, from the catalogue the live server uses).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from e2e_support import PageProblems, screenshot
from playwright.sync_api import Page, expect

from matching_support import make_opportunity, picker
from werkbrug.core import access
from werkbrug.employers.models import ContactPerson, Employer
from werkbrug.meetings import services
from werkbrug.meetings.models import (
    Conversation,
    FollowUp,
    Invitation,
    Meeting,
    MeetingStatus,
    Response,
)
from werkbrug.taxonomy import curated
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TITLE = "Prettig gesprek Nijmegen-West"

#: Five employers around Nijmegen, each with one open opportunity of curated tasks.
EMPLOYERS = [
    # name, (lat, lon), SBI, work title, ISCO, tasks
    (
        "Logistiek Centrum Wijchen",
        ("51.80900", "5.72600"),
        "52101",
        "Orderpicker",
        "9333",
        ["Orders verzamelen", "Pallets stapelen", "Handscanner gebruiken"],
    ),
    (
        "Supermarkt De Molen",
        ("51.84500", "5.86000"),
        "47111",
        "Vakkenvuller",
        "9334",
        ["Vakken vullen", "Rolcontainers uitpakken", "Houdbaarheidsdatum controleren"],
    ),
    (
        "Groenbedrijf Dukenburg",
        ("51.82100", "5.79400"),
        "81300",
        "Medewerker groenvoorziening",
        "9214",
        ["Gras maaien", "Onkruid wieden", "Heggen knippen"],
    ),
    (
        "Schoonmaakbedrijf Lent",
        ("51.86200", "5.86800"),
        "81221",
        "Schoonmaker",
        "9112",
        ["Vloeren dweilen", "Sanitair schoonmaken", "Stof afnemen"],
    ),
    (
        "Productiebedrijf Heijen",
        ("51.83000", "5.82000"),
        "10710",
        "Productiemedewerker",
        "9329",
        ["Werken aan de lopende band", "Instructies opvolgen", "Producten controleren op fouten"],
    ),
]

FIRST_NAMES = [
    "Anouk", "Bram", "Chantal", "Daan", "Esra", "Fatima", "Gijs", "Hanneke", "Ilse", "Jasper",
    "Kevin", "Latifa", "Mehmet", "Nina", "Omar", "Priya", "Quinten", "Rachid", "Sanne", "Tim",
    "Umut", "Vera", "Wouter", "Xandra", "Youssef", "Zeynep", "Aylin", "Bas", "Cor", "Dewi",
]  # fmt: skip


def either(text: str) -> re.Pattern[str]:
    """A regex matching the English or the Dutch version of one of the app's own strings."""
    versions = set()
    for language in ("en", "nl"):
        with translation.override(language):
            versions.add(translation.gettext(text))
    return re.compile("|".join(re.escape(v) for v in sorted(versions)), re.IGNORECASE)


def token_for(email: str) -> str:
    """The token of the personal answer link in the invitation mailed to ``email`` (the
    live server runs in this process; pytest-django makes the mail backend locmem)."""
    found = [m for m in mail.outbox if m.to == [email]]
    assert len(found) == 1, f"{len(found)} invitations to {email}"
    match = re.search(r"/uitnodiging/([^/\s]+)/", found[0].body)
    assert match, found[0].body
    return match.group(1)


def assert_fits_the_phone(page: Page) -> None:
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1] + 1, f"{page.url} scrolls sideways: {overflow}"


@pytest.fixture
def taxonomy(db: Any) -> None:
    # The data migration loads the curated list; a transactional test may have flushed it.
    curated.load_curated(Occupation, Skill, OccupationSkill)


@pytest.fixture
def meeting_world(
    taxonomy: None, regions: dict[str, Any], people: dict[str, Any]
) -> dict[str, Any]:
    """Five employers of the relationship manager with a contact person (an e-mail address
    for the invitation) and one open opportunity each, and thirty candidates in Nijmegen (the
    relationship manager's municipality, so seen in full) with the tasks of one of them."""
    own = regions["own"]
    rm = people["relatiemanager"].staff
    employers, opportunities = [], []
    for n, (name, (lat, lon), sbi, title, isco, tasks) in enumerate(EMPLOYERS):
        employer = Employer.objects.create(
            region=own["region"],
            name=name,
            municipality=own["municipalities"][n % 2],
            sbi_code=sbi,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            owner=rm,
        )
        ContactPerson.objects.create(
            employer=employer, name=f"Contact {name}", email=f"contact{n}@example.nl"
        )
        employers.append(employer)
        opportunities.append(
            make_opportunity(employer, title=title, tasks=tasks, occupation_code=isco)
        )
    candidates = []
    for n, first_name in enumerate(FIRST_NAMES):
        candidate = picker(
            own,
            experienced=False,
            first_name=first_name,
            municipality=own["municipalities"][0],
            client_manager=people["klantmanager"].staff,
        )
        candidate.skills.set(Skill.objects.filter(label__in=EMPLOYERS[n % 5][5][:2]))
        candidates.append(candidate)
    return {
        "rm": rm,
        "employers": employers,
        "opportunities": opportunities,
        "candidates": candidates,
    }


def test_a_meeting_from_the_invitations_to_the_follow_up_task(
    page: Page,
    new_page: Callable[..., Page],
    people: dict[str, Any],
    meeting_world: dict[str, Any],
    log_in: Any,
    base_url: str,
) -> None:
    employers = meeting_world["employers"]
    candidates = meeting_world["candidates"]
    rm_user = people["relatiemanager"]
    problems = PageProblems().watch(page)
    log_in(page, rm_user)

    # 1. The relationship manager makes the meeting through the form: five tables of six,
    #    three rounds, at least two conversations each; in an hour (invitations go out before
    #    it starts).
    page.goto(f"{base_url}{reverse('meetings:create')}")
    starts = timezone.localtime() + dt.timedelta(hours=1)
    page.fill("#id_title", TITLE)
    page.select_option("#id_format", "tafels")
    page.select_option("#id_host_employer", str(employers[0].pk))
    page.fill("#id_location", "Wijkcentrum Dukenburg, Nijmegen")
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_rounds", "3")
    page.fill("#id_round_minutes", "20")
    page.fill("#id_table_capacity", "6")
    page.fill("#id_min_conversations", "2")
    work = page.locator("form[data-meeting-form] input[name=opportunities]")
    expect(work).to_have_count(5)
    for n in range(5):
        work.nth(n).check()
    page.locator("form[data-meeting-form] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/bijeenkomsten/[0-9a-f-]{36}/$"))
    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.opportunities.count() == 5
    assert list(meeting.organisers.all()) == [meeting_world["rm"]]
    assert page.url.endswith(reverse("meetings:detail", kwargs={"uuid": meeting.uuid}))

    # 2. Invite the five employers; then the page suggests candidates who fit their work.
    invite = page.locator(
        f"form[action='{reverse('meetings:invite', kwargs={'uuid': meeting.uuid})}']"
    )
    boxes = invite.locator("input[name=employers]")
    expect(boxes).to_have_count(5)
    for n in range(5):
        boxes.nth(n).check()
    invite.locator("button[data-invite]").click()
    invited = page.locator("[data-invitation-table] tr[data-invitation]")
    expect(invited).to_have_count(5)
    suggested = page.locator("form[data-invite-form] li[data-suggestion] input[name=candidates]")
    expect(suggested.first).to_be_visible()
    through_the_page = suggested.count()
    assert 1 <= through_the_page <= 20, through_the_page  # the page suggests at most twenty
    for n in range(through_the_page):
        suggested.nth(n).check()
    page.locator("form[data-invite-form] button[data-invite]").click()
    expect(invited).to_have_count(5 + through_the_page)

    # The page suggests at most twenty: the rest of the thirty are invited through the
    # service (as the form does), so that thirty candidates are invited in all.
    on_the_list = set(
        meeting.invitations.filter(candidate__isnull=False).values_list("candidate_id", flat=True)
    )
    rest = [c for c in candidates if c.pk not in on_the_list]
    services.invite(
        actor=access.actor_for(rm_user),
        meeting=meeting,
        candidates=rest,
        answer_url=f"{base_url}/uitnodiging/TOKEN/",
    )
    assert meeting.invitations.filter(candidate__isnull=False).count() == 30
    assert len(mail.outbox) == 35  # everyone has an e-mail address: 5 employers, 30 candidates

    # 3. A candidate invited through the page opens the personal link on a phone, ticks an
    #    employer to meet and says yes.
    first = Invitation.objects.filter(meeting=meeting, candidate__isnull=False).earliest("id")
    phone = new_page(viewport=PHONE)
    problems.watch(phone)
    token = token_for(first.candidate.email)
    phone.goto(f"{base_url}{reverse('meetings:answer', kwargs={'token': token})}")
    expect(phone.locator("h1")).to_have_text(TITLE)
    phone.locator("input[name=wants_to_meet]").first.check()
    phone.locator("button[name=coming][value=ja]").click()
    confirmation = phone.locator("#confirmation")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_contain_text(either("Thank you! You are coming."))
    assert_fits_the_phone(phone)
    screenshot(phone, "meeting-journey-answer-phone.png")
    first.refresh_from_db()
    assert first.response == Response.YES and first.wants_to_meet.count() == 1

    # The other thirty-four say yes through their links too (in Python: no need for the
    # browser thirty-four times).
    for invitation in meeting.invitations.exclude(pk=first.pk):
        services.answer(token=token_for(invitation.email), coming=True)
    assert meeting.invitations.filter(response=Response.YES).count() == 35

    # 4. The organiser makes the table plan; the page says it is proven optimal.
    page.reload()
    expect(page.locator("[data-invitation-table] [data-answer=ja]")).to_have_count(35)
    page.locator("form[data-plan-form] button[data-make-plan]").click()
    expect(page.locator("[data-plan-facts] [data-optimal]")).to_be_visible()
    expect(page.locator(".message-success")).to_contain_text(
        either("It is proven optimal: no plan fits better.")
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.plan_gap == 0
    seats = Conversation.objects.filter(meeting=meeting)
    assert all(seats.filter(candidate=c).count() >= 2 for c in candidates)
    expect(page.locator("[data-plan-grid] li[data-seat]")).to_have_count(seats.count())
    screenshot(page, "meeting-journey-plan.png", full_page=False)  # at #tafelplan

    # 5. The day of the meeting: it began a minute ago (time travel in the database). On a
    #    phone the organiser ticks off an employer and a candidate of a first-round
    #    conversation as arrived, and another candidate as absent.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    conversation = seats.filter(round=1).order_by("employer__name", "candidate_id").first()
    arrived = [
        meeting.invitations.get(employer=conversation.employer),
        meeting.invitations.get(candidate=conversation.candidate),
    ]
    absent = (
        meeting.invitations.filter(candidate__isnull=False)
        .exclude(candidate=conversation.candidate)
        .latest("id")
    )
    page.set_viewport_size(PHONE)
    page.reload()
    for invitation, button in [*((i, "data-arrived") for i in arrived), (absent, "data-absent")]:
        page.locator(f"[data-checkin='{invitation.uuid}'] button[{button}]").click()
        # The page comes back with that button pressed.
        expect(
            page.locator(f"[data-checkin='{invitation.uuid}'] button[{button}]")
        ).to_have_attribute("aria-pressed", "true")
    for invitation in arrived:
        invitation.refresh_from_db()
        assert invitation.present is True
    absent.refresh_from_db()
    assert absent.present is False
    assert_fits_the_phone(page)

    # 6. After the conversation: a click, with a trial placement to follow.
    row = page.locator(f"[data-outcome-item='{conversation.uuid}']")
    details = row.locator("details")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    form = row.locator("form[data-outcome-form]")
    form.locator("input[name=outcome][value=klik]").check()
    form.locator("select[name=follow_up]").select_option(FollowUp.TRIAL)
    form.locator("input[name=note]").fill("Wil graag een proefplaats, start in overleg")
    form.locator("button[type=submit]").click()
    row = page.locator(f"[data-outcome-item='{conversation.uuid}']")
    expect(row.locator("[data-outcome=klik]")).to_be_visible()
    expect(row.locator("[data-task]")).to_be_visible()
    conversation.refresh_from_db()
    action = conversation.action
    assert conversation.held and conversation.follow_up == FollowUp.TRIAL
    assert action is not None and action.owner == meeting_world["rm"]
    assert action.employer == conversation.employer
    screenshot(page, "meeting-journey-outcome-phone.png", full_page=False)

    # 7. The employer's relationship manager (the organiser here) finds the task in their
    #    task list, through the link next to the outcome (due in five days: "later ones too").
    tasks_url = f"{reverse('employers:tasks')}?later=1"
    row.locator(f"a[href='{tasks_url}']").click()
    page.wait_for_url(re.compile(r"/taken/\?later=1$"))
    task = page.locator(".task-list li.task").filter(has_text=action.title)
    expect(task).to_have_count(1)
    expect(task.locator(".task-title")).to_have_text(action.title)
    expect(
        task.locator(
            f"a[href='{reverse('employers:detail', kwargs={'uuid': action.employer.uuid})}']"
        )
    ).to_be_visible()

    assert not problems.all(), problems.all()  # no script errors, CSP violations or 4xx/5xx
