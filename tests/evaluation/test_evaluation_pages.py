"""The evaluation pages: who may open them, the questions of a draft survey changed as JSON
(every problem named, nothing saved on a mistake, a sent survey read-only), the exports and
letters as real files, the complaints form naming its fields, and the daily reminder command
(once per due invitation, however often it runs)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from candidates_support import make_candidate
from tests_support import text
from werkbrug.core.access import actor_for
from werkbrug.evaluation import services
from werkbrug.evaluation.models import Channel, Complaint, Group, Invitation, Survey, SurveyStatus

pytestmark = pytest.mark.django_db


def _survey(people: dict[str, Any], **fields: Any) -> Survey:
    values: dict[str, Any] = {
        "title": "Kandidaten 2026",
        "template_code": "werktop_kandidaat",
        "closes_on": timezone.localdate() + dt.timedelta(days=30),
    }
    return services.create_survey(actor=actor_for(people["onderzoeker"]), **(values | fields))


@pytest.mark.parametrize(
    ("role", "status"),
    [("onderzoeker", 200), ("teamleider", 200), ("beheerder", 200), ("relatiemanager", 403)],
)
def test_the_evaluation_pages_are_for_researchers_team_leads_and_administrators(
    people, login_en, role, status
):
    """The overview, a survey, its analysis and the new-survey form; a relationship manager
    is refused."""
    survey = _survey(people)
    client = login_en(people[role])
    for url in (
        "/evaluatie/",
        f"/evaluatie/enquetes/{survey.uuid}/",
        f"/evaluatie/enquetes/{survey.uuid}/analyse/",
        "/evaluatie/enquetes/nieuw/",
        "/evaluatie/controlegroepen/nieuw/",
    ):
        assert client.get(url).status_code == status, url


def test_a_draft_surveys_questions_change_as_json(people, login_en):
    """A reworded question is saved; the survey keeps its own copy (the template is not
    touched)."""
    survey = _survey(people)
    data = survey.questionnaire
    data["sections"][0]["questions"][0]["text"] = "Bent u een man, een vrouw of anders?"
    response = login_en(people["onderzoeker"]).post(
        f"/evaluatie/enquetes/{survey.uuid}/vragen/",
        {"questionnaire": json.dumps(data, ensure_ascii=False)},
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    first = survey.questionnaire["sections"][0]["questions"][0]
    assert first["text"] == "Bent u een man, een vrouw of anders?"
    assert _survey(people).questionnaire["sections"][0]["questions"][0]["text"] != first["text"]


def test_broken_questions_are_all_named_and_nothing_is_saved(people, login):
    """Not JSON at all: one clear message. Valid JSON with two faults (an unknown kind, a
    duplicate code): both named, in Dutch, and the survey's questions unchanged."""
    survey = _survey(people)
    before = survey.questionnaire
    client = login(people["onderzoeker"])
    url = f"/evaluatie/enquetes/{survey.uuid}/vragen/"

    broken = client.post(url, {"questionnaire": '{"sections": [,]}'})
    assert broken.status_code == 400
    assert "geen geldige JSON" in text(broken)

    data = json.loads(json.dumps(before))
    questions = data["sections"][0]["questions"]
    questions[0]["kind"] = "likertt"
    questions[1]["code"] = questions[2]["code"]
    faulty = client.post(url, {"questionnaire": json.dumps(data)})
    assert faulty.status_code == 400
    page = text(faulty)
    assert "likertt" in page and questions[2]["code"] in page
    survey.refresh_from_db()
    assert survey.questionnaire == before


def test_a_sent_survey_shows_its_questions_but_refuses_changes(people, login_en):
    """Once invitations went out, every respondent must answer the same questions."""
    survey = _survey(people)
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.OPEN)
    client = login_en(people["onderzoeker"])
    page = client.get(f"/evaluatie/enquetes/{survey.uuid}/vragen/")
    assert "data-questions-form" not in page.content.decode()
    refused = client.post(
        f"/evaluatie/enquetes/{survey.uuid}/vragen/",
        {"questionnaire": json.dumps(survey.questionnaire)},
    )
    assert refused.status_code == 400
    assert "before the survey is sent" in text(refused)


def test_exports_are_real_files_and_an_unknown_format_is_not_found(people, regions, login_en):
    """XLSX opens with openpyxl, the PDF starts with %PDF, the CSV starts with a BOM and a
    ';' header; tabellen.doc does not exist."""
    survey = _survey(people, min_cell_size=1)
    candidate = make_candidate(regions["own"])
    services.invite(
        actor=actor_for(people["onderzoeker"]),
        survey=survey,
        group=Group.PARTICIPANT,
        channel=Channel.LETTER,
        candidates=[candidate],
        base_url="https://werkbrug.example.nl/enquete/TOKEN/",
    )
    invitation = Invitation.objects.get(survey=survey)
    import random

    from werkbrug.evaluation.demo import fill_in

    raw = fill_in(random.Random(1), services.questionnaire_of(survey), Group.PARTICIPANT)
    response, errors = services.submit(token=services.link_token(invitation), raw=raw)
    assert response is not None, errors
    client = login_en(people["onderzoeker"])
    base = f"/evaluatie/enquetes/{survey.uuid}/tabellen"

    book = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").content))
    assert book.sheetnames[0] == "Tabel 1"
    assert client.get(f"{base}.pdf").content.startswith(b"%PDF")
    csv = client.get(f"{base}.csv").content
    assert csv.startswith("\ufeffgroep;modus;maand".encode())
    assert client.get(f"{base}.doc").status_code == 404


def test_letters_only_for_who_sends_them(people, regions, login):
    """The team lead gets a PDF with one letter per unanswered letter invitation (and they
    count as sent); the researcher, who never sees names, is refused."""
    survey = _survey(people)
    services.invite(
        actor=actor_for(people["onderzoeker"]),
        survey=survey,
        group=Group.PARTICIPANT,
        channel=Channel.LETTER,
        candidates=[make_candidate(regions["own"]) for _ in range(2)],
        base_url="https://werkbrug.example.nl/enquete/TOKEN/",
    )
    url = f"/evaluatie/enquetes/{survey.uuid}/brieven.pdf"
    assert login(people["onderzoeker"]).get(url).status_code == 403
    letters = login(people["teamleider"]).get(url)
    assert letters.status_code == 200 and letters.content.startswith(b"%PDF")
    assert Invitation.objects.filter(survey=survey, sent_at__isnull=False).count() == 2


def test_a_complaint_without_its_date_and_category_is_refused_by_field(people, login):
    """The form names each missing field in Dutch; nothing is stored."""
    response = login(people["klantmanager"]).post(
        "/evaluatie/klachten/", {"complainant": "candidate", "summary": "Te laat teruggebeld."}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Categorie" in page and "Ontvangen op" in page
    assert not Complaint.objects.exists()


def test_the_reminder_command_mails_each_due_invitation_once(
    people, regions, settings, django_capture_on_commit_callbacks
):
    """Invited by e-mail eight days ago, not answered: one reminder with the same link; a
    second run the same day sends nothing."""
    settings.PUBLIC_URL = "https://werkbrug.example.nl"
    survey = _survey(people)
    services.invite(
        actor=actor_for(people["onderzoeker"]),
        survey=survey,
        group=Group.PARTICIPANT,
        channel=Channel.EMAIL,
        candidates=[make_candidate(regions["own"])],
        base_url="https://werkbrug.example.nl/enquete/TOKEN/",
    )
    invitation = Invitation.objects.get(survey=survey)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=8)
    )
    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send-survey-reminders", stdout=out)
        call_command("send-survey-reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert services.link_token(invitation) in mail.outbox[0].body
    assert "1 herinnering" in out.getvalue()


def test_checking_a_draw_redraws_with_the_recorded_seed(people, regions, login_en):
    """'Check the draw' draws again from today's caseload: the same people; once one of the
    frame leaves it (another region's municipality is not possible, so: the frame's ladder
    step changes), the page says how many differ and the frozen group stays."""
    own = regions["own"]
    for _ in range(6):
        make_candidate(own, ladder_step=4)
    group = services.draw_control_group(
        actor=actor_for(people["onderzoeker"]),
        name="Controle",
        intervention_start=dt.date(2025, 1, 1),
        size=3,
        seed=11,
        criteria={"ladder_steps": [4]},
    )
    client = login_en(people["onderzoeker"])
    url = f"/evaluatie/controlegroepen/{group.uuid}/?controle=1"
    assert "the same people" in text(client.get(url))

    drawn = group.members.filter(group=Group.CONTROL).first().candidate
    drawn.ladder_step = 5
    drawn.save()
    page = text(client.get(url))
    assert "differs" in page or "differ," in page
    assert group.members.filter(group=Group.CONTROL).count() == 3
