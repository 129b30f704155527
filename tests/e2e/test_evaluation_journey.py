"""The evaluation in a real browser (issue 9): from a new survey to the cross-table with χ².

Eight candidates of the region with an e-mail address; four of them took part (a job that
started after the approach began). The researcher draws a control group of three from the
other four, makes a survey from the Werktop candidate questionnaire with that control group
and "smallest group shown" 1, and invites both groups by e-mail. Five of them (three
participants, two controls) open their personal links from the e-mails on a phone and fill in
every required question; the participants have a regular job, the controls a benefit, so the
"Uw baan" section (asked only after "Reguliere baan") is shown to the participants only. One
participant first sends the questionnaire with the report mark left out and gets the error
summary naming that question; once sent, the link says it has been filled in (410). Then the
researcher opens the analysis, chooses the work-situation question and sees the table by
group with N and the χ² line, and downloads all tables as XLSX and PDF.

The UI is being translated, so elements are found by URL, ``name`` and data attributes; the
texts checked are the questionnaire's own Dutch (questions, answers, its error messages), the
figures, and app strings through ``either`` (English msgid or its Dutch translation).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from e2e_support import ARTIFACTS, PageProblems, screenshot
from playwright.sync_api import Locator, Page, expect

from candidates_support import make_candidate
from steering_support import place
from werkbrug.employers.models import Employer
from werkbrug.evaluation.models import (
    ControlGroup,
    Group,
    Invitation,
    Response,
    Survey,
    SurveyStatus,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TITLE = "Werktop kandidaten 2025"
GROUP_NAME = "Werktop controlegroep 2025"
WORK_QUESTION = "Wat is op dit moment uw situatie?"
REGULAR_JOB = "Reguliere baan (betaald werk, zonder uitkering)"
BENEFIT = "Uitkering (ik werk niet)"
GRADE_QUESTION = "Welk rapportcijfer geeft u de begeleiding van Werktop?"
PARTICIPANTS, CONTROLS = 4, 3
#: The answers that differ by group; every other required question gets its first answer.
PARTICIPANT_ANSWERS = {"werksituatie": "1", "werkuren": "24", "contact_gemeente": "ja"}
CONTROL_ANSWERS = {"werksituatie": "3", "contact_gemeente": "nee"}


def either(text: str, **values: Any) -> re.Pattern[str]:
    """A regex matching the English or the Dutch version of one of the app's own strings
    (with ``values`` filled in)."""
    versions = set()
    for language in ("en", "nl"):
        with translation.override(language):
            versions.add(
                translation.gettext(text) % values if values else translation.gettext(text)
            )
    return re.compile("|".join(re.escape(v) for v in sorted(versions)), re.IGNORECASE)


def links_by_address() -> dict[str, str]:
    """The personal questionnaire link in each invitation e-mail, by address (the live
    server runs in this process; pytest-django makes the mail backend locmem)."""
    links = {}
    for message in mail.outbox:
        match = re.search(r"https?://\S+/enquete/[A-Za-z0-9_-]+/", message.body)
        assert match, message.body
        assert len(message.to) == 1 and message.to[0] not in links, message.to
        links[message.to[0]] = match.group(0)
    return links


def assert_fits_the_phone(page: Page) -> None:
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1] + 1, f"{page.url} scrolls sideways: {overflow}"


def answer_questionnaire(
    page: Page, answers: dict[str, str], *, leave_out: tuple[str, ...] = ()
) -> list[str]:
    """Answer every question shown, in order, as a respondent would: the answer in
    ``answers`` or else the first choice (a number: 24; open questions stay empty). Questions
    shown only after an answer appear once it is given (evaluation.js), so visibility is
    checked when the question's turn comes. Returns the codes answered."""
    answered = []
    numbers = 0
    for fieldset in page.locator("form[data-survey-form] fieldset.survey-question").all():
        # One round trip: is it shown now, which question, which kind of input.
        shown, code, kind = fieldset.evaluate(
            "f => [f.checkVisibility(), f.id.replace(/^vraag-/, ''),"
            " f.querySelector('input, textarea').type]"
        )
        if not shown or code in leave_out:
            continue
        value = answers.get(code)
        if kind == "number":
            fieldset.locator("input[type=number]").fill(value or "24")
            numbers += 1
        elif kind == "textarea":
            if not value:
                continue
            fieldset.locator("textarea").fill(value)
        elif value:  # radio (single, yes/no, scale, report mark) or checkbox (multiple choice)
            label = fieldset.locator(f"label:has(input[value='{value}'])")
            label.click()  # the whole label is the touch target
            expect(label.locator("input")).to_be_checked()
        else:
            fieldset.locator("label:has(input)").first.click()
        answered.append(code)
    # Every choice made shows as chosen (the label's own highlight).
    expect(page.locator("label:has(input:checked)")).to_have_count(len(answered) - numbers)
    return answered


def section(page: Page, code: str) -> Locator:
    """The section holding question ``code``."""
    return page.locator("section.survey-section", has=page.locator(f"#vraag-{code}"))


@pytest.fixture
def caseload(regions: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """Eight candidates in Nijmegen and Wijchen with an e-mail address (ladder step 4, in
    the draw's default frame); the first four started a job a month ago, after the approach
    began three months ago, so they are its participants."""
    own = regions["own"]
    today = timezone.localdate()
    rm = people["relatiemanager"].staff
    employer = Employer.objects.create(
        region=own["region"],
        name="Logistiek Centrum Wijchen",
        municipality=own["municipalities"][1],
        owner=rm,
    )
    candidates = [make_candidate(own, municipality=own["municipalities"][n % 2]) for n in range(8)]
    for candidate in candidates[:PARTICIPANTS]:
        place(own["region"], candidate, employer, rm, start_on=today - dt.timedelta(days=30))
    return {
        "participants": candidates[:PARTICIPANTS],
        "others": candidates[PARTICIPANTS:],
        "start": today - dt.timedelta(days=90),
    }


def test_a_researcher_compares_participants_and_controls_from_survey_to_chi_square(
    page: Page,
    new_page: Callable[..., Page],
    people: dict[str, Any],
    caseload: dict[str, Any],
    log_in: Any,
    base_url: str,
) -> None:
    problems = PageProblems().watch(page)
    log_in(page, people["onderzoeker"])

    # 1. "Evaluation" in the menu; there the researcher draws the control group: three
    #    controls by simple random sampling from who did not take part, with a fixed seed.
    page.locator(f".nav-desktop a[href='{reverse('evaluation:index')}']").click()
    page.wait_for_url(f"{base_url}{reverse('evaluation:index')}")
    page.locator("a[data-new-control-group]").click()
    page.wait_for_url(f"{base_url}{reverse('evaluation:control_group_create')}")
    form = page.locator("form[data-control-group-form]")
    form.locator("#id_name").fill(GROUP_NAME)
    form.locator("#id_intervention_start").fill(caseload["start"].isoformat())
    form.locator("#id_size").fill(str(CONTROLS))
    form.locator("input[name=method][value=random]").check()
    form.locator("#id_seed").fill("2014")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/evaluatie/controlegroepen/[0-9a-f-]{36}/$"))
    group = ControlGroup.objects.get(name=GROUP_NAME)
    assert (group.participant_count, group.size, group.frame_size) == (PARTICIPANTS, CONTROLS, 4)
    members = dict(group.members.values_list("candidate_id", "group"))
    assert {c.pk for c in caseload["participants"]} == {
        pk for pk, g in members.items() if g == Group.PARTICIPANT
    }
    controls = [c for c in caseload["others"] if members.get(c.pk) == Group.CONTROL]
    assert len(controls) == CONTROLS
    screenshot(page, "evaluation-journey-control-group.png")

    # 2. "New survey" from the Werktop candidate questionnaire, with the control group,
    #    closing in four weeks; groups of one are shown (five respondents in all).
    page.goto(f"{base_url}{reverse('evaluation:index')}")
    page.locator("a[data-new-survey]").click()
    page.wait_for_url(f"{base_url}{reverse('evaluation:survey_create')}")
    form = page.locator("form[data-survey-create]")
    form.locator("#id_template_code").select_option("werktop_kandidaat")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_control_group").select_option(str(group.uuid))
    closes_on = timezone.localdate() + dt.timedelta(days=28)
    form.locator("#id_closes_on").fill(closes_on.isoformat())
    form.locator("#id_min_cell_size").fill("1")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/evaluatie/enquetes/[0-9a-f-]{36}/$"))
    survey = Survey.objects.get(title=TITLE)
    assert survey.template_code == "werktop_kandidaat" and survey.control_group == group
    assert (survey.min_cell_size, survey.closes_on) == (1, closes_on)
    assert survey.status == SurveyStatus.DRAFT
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("section[data-response] table")).to_have_count(0)  # nobody invited

    # 3. Invite both groups by e-mail (the default); the response table counts them.
    invite = page.locator("form[data-invite-form]")
    expect(invite.locator("input[name=channel][value=email]")).to_be_checked()
    invite.locator("button[data-invite]").click()
    page.wait_for_url(f"{base_url}{reverse('evaluation:survey', kwargs={'uuid': survey.uuid})}")
    expect(page.locator(".message-success")).to_contain_text(
        either(
            "Invited: %(participants)s participants and %(controls)s controls.",
            participants=PARTICIPANTS,
            controls=CONTROLS,
        )
    )
    for code, invited in ((Group.PARTICIPANT, PARTICIPANTS), (Group.CONTROL, CONTROLS)):
        row = page.locator(f"section[data-response] tr[data-group={code}]")
        # Invited, sent, opened, completed, response rate.
        expect(row.locator("td")).to_have_text([str(invited), str(invited), "0", "0", "0,0 %"])
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    links = links_by_address()
    assert all(TITLE in m.subject for m in mail.outbox), [m.subject for m in mail.outbox]
    assert set(links) == {c.email for c in caseload["participants"] + controls}, links
    screenshot(page, "evaluation-journey-survey-invited.png")

    # 4. Three participants and two controls answer through their links on a phone.
    phone_problems = PageProblems()
    respondents = [(c, Group.PARTICIPANT) for c in caseload["participants"][:3]]
    respondents += [(c, Group.CONTROL) for c in controls[:2]]
    for n, (candidate, side) in enumerate(respondents):
        answers = PARTICIPANT_ANSWERS if side == Group.PARTICIPANT else CONTROL_ANSWERS
        phone = new_page(viewport=PHONE)
        phone_problems.watch(phone)
        link = links[candidate.email]
        opened = phone.goto(link)
        assert opened is not None and opened.status == 200, opened
        # The controls get the control wording of the same items (they did not take part).
        expect(phone.locator("h1")).to_have_text(
            "Vragenlijst over Werktop"
            if side == Group.PARTICIPANT
            else "Vragenlijst over werk en begeleiding"
        )
        # Before the work situation is answered, "Uw baan" is not asked.
        expect(section(phone, "werkuren")).to_be_hidden()
        if n == 0:
            # The first one leaves out the report mark and sends: the page comes back with
            # the error summary naming that question, the answers given still there.
            answer_questionnaire(phone, answers, leave_out=("rapportcijfer_begeleiding",))
            expect(section(phone, "werkuren")).to_be_visible()
            assert_fits_the_phone(phone)
            screenshot(phone, "evaluation-journey-questionnaire-phone.png")
            with phone.expect_response(lambda r: r.request.method == "POST") as posted:
                phone.locator("button[data-survey-submit]").click()
            assert posted.value.status == 400
            summary = phone.locator("[data-error-summary]")
            expect(summary).to_be_visible()
            expect(summary.locator("li")).to_have_count(1)
            expect(summary.locator("a[href='#vraag-rapportcijfer_begeleiding']")).to_contain_text(
                f"{GRADE_QUESTION} — Dit antwoord is verplicht."
            )
            expect(phone.locator("#fout-rapportcijfer_begeleiding")).to_have_text(
                "Dit antwoord is verplicht."
            )
            expect(phone.locator("#vraag-werksituatie input[value='1']")).to_be_checked()
            expect(phone.locator("#vraag-werkuren input")).to_have_value("24")
            assert_fits_the_phone(phone)
            screenshot(phone, "evaluation-journey-errors-phone.png", full_page=False)
            summary.locator("a").click()
            expect(phone.locator("#vraag-rapportcijfer_begeleiding")).to_be_in_viewport()
            grade = phone.locator("#vraag-rapportcijfer_begeleiding label:has(input[value='8'])")
            grade.click()
            expect(grade.locator("input")).to_be_checked()
        else:
            answered = answer_questionnaire(phone, answers)
            # "Uw baan" and "De relatiemanager" come only after "Reguliere baan" and "ja".
            took_part = side == Group.PARTICIPANT
            assert ("werkuren" in answered) == took_part, answered
            assert ("rm_deskundig" in answered) == took_part, answered
        phone.locator("button[data-survey-submit]").click()
        # (After the error summary's link the address keeps its #fragment, which a redirect
        # inherits: so the thanks page is matched up to it.)
        phone.wait_for_url(re.compile(rf"{re.escape(reverse('evaluation:thanks'))}(#.*)?$"))
        expect(phone.locator("[data-survey-thanks]")).to_be_visible()
        if n == 0:
            assert_fits_the_phone(phone)
            screenshot(phone, "evaluation-journey-thanks-phone.png")
            # The same link again: filled in, 410, nothing about the survey.
            again = phone.goto(link)
            assert again is not None and again.status == 410, again
            expect(phone.locator("main, body").first).to_contain_text(
                either("You have already filled in this questionnaire")
            )
            expect(phone.locator("form[data-survey-form]")).to_have_count(0)
            assert_fits_the_phone(phone)
            screenshot(phone, "evaluation-journey-used-link-phone.png")

    # What was stored: five anonymous responses; the job questions only from participants.
    responses = list(Response.objects.filter(survey=survey).values_list("group", "answers"))
    assert sorted(g for g, _a in responses) == sorted(s for _c, s in respondents)
    for side, answers in responses:
        expected = "1" if side == Group.PARTICIPANT else "3"
        assert answers["werksituatie"] == expected, answers
        assert ("werkuren" in answers) == (side == Group.PARTICIPANT), answers
    assert Invitation.objects.filter(survey=survey, completed_on__isnull=False).count() == 5
    # The only refusals the phones saw: the first respondent's answers sent with one missing
    # (400) and the used link opened again (410).
    first_link = links[respondents[0][0].email]
    unexpected = [
        p for p in phone_problems.all() if not (first_link in p and re.search(r"\b(400|410)\b", p))
    ]
    assert not unexpected, unexpected

    # 5. Back on the survey page: the response per group.
    page.reload()
    expect(page.locator(f"tr[data-group={Group.PARTICIPANT}] td")).to_have_text(
        ["4", "4", "3", "3", "75,0 %"]
    )
    expect(page.locator(f"tr[data-group={Group.CONTROL}] td")).to_have_text(
        ["3", "3", "2", "2", "66,7 %"]
    )
    screenshot(page, "evaluation-journey-survey.png")

    # 6. The analysis: the work situation by group, with N and the χ² line.
    page.locator("a[data-analysis]").click()
    analysis = reverse("evaluation:survey_analysis", kwargs={"uuid": survey.uuid})
    page.wait_for_url(f"{base_url}{analysis}")
    chooser = page.locator("form[data-question-form]")
    chooser.locator("select[name=vraag]").select_option("werksituatie")
    chooser.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{re.escape(analysis)}\?vraag=werksituatie"))
    table = page.locator("section[data-question-table]")
    expect(table.locator("h2")).to_have_text(WORK_QUESTION)
    head = table.locator("thead th")
    expect(head).to_have_count(3)  # the answer, then one column per group
    expect(head.nth(1)).to_contain_text(either("Participants"))
    expect(head.nth(2)).to_contain_text(either("Control group"))
    rows = table.locator("tbody tr")
    expect(rows.filter(has_text=REGULAR_JOB).locator("td")).to_have_text(["100,0", "0,0"])
    expect(rows.filter(has_text=BENEFIT).locator("td")).to_have_text(["0,0", "100,0"])
    expect(table.locator("tr.table-total td")).to_have_text(["3", "2"])  # N per group
    chi = table.locator("[data-tests] li").first
    expect(chi).to_contain_text("χ² = 5.00, df = 1, p = .025*")
    expect(table.locator("[data-tests]")).to_contain_text("Fisher")  # small expected counts
    screenshot(page, "evaluation-journey-analysis.png")

    # 7. All tables as XLSX (the question in a sheet's first row) and as PDF.
    with page.expect_download() as download_info:
        page.locator("a[data-export-xlsx]").click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    body = Path(download.path()).read_bytes()
    download.save_as(ARTIFACTS / "evaluation-journey-tables.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert WORK_QUESTION in cells, cells[:40]
    assert any(cell.startswith("χ² = 5.00, df = 1") for cell in cells), cells

    with page.expect_download() as download_info:
        page.locator("a[data-export-pdf]").click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    body = Path(download.path()).read_bytes()
    download.save_as(ARTIFACTS / "evaluation-journey-tables.pdf")
    assert body.startswith(b"%PDF"), body[:20]
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
            input=body,
            capture_output=True,
            check=True,
        ).stdout.decode()
        text = " ".join(text.split())
        assert TITLE in text and WORK_QUESTION in text, text[:500]

    assert not problems.all(), problems.all()  # no script errors, CSP violations or 4xx/5xx
