"""Staff pages of the evaluation: surveys (from a template, invitations, response tracking,
reminders, letters), their analysis (tables by group with the tests, as XLSX and PDF, the
anonymised answers as CSV), control groups (draw, balance, effect) and the complaints
register. Views translate HTTP; the rules are in ``evaluation.services``, the reads in
``evaluation.selectors``.

Who: ``evaluation.research`` (researcher, team lead, administrator) for surveys, control
groups and analyses; ``evaluation.send`` (team lead, administrator) for the letters with
names and addresses; ``evaluation.complaints`` for the register."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from werkbrug.core import access
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.evaluation import exports, letters, questionnaires, selectors, services
from werkbrug.evaluation.forms import (
    ComplaintForm,
    ControlGroupForm,
    EffectWindowForm,
    InviteForm,
    SettleForm,
    SurveyForm,
)
from werkbrug.evaluation.models import (
    Complaint,
    ComplaintSettlement,
    ControlGroup,
    Group,
    Survey,
    SurveyStatus,
)
from werkbrug.placements.aftercare import add_months

RESEARCH = "evaluation.research"
SEND = "evaluation.send"
COMPLAINTS = "evaluation.complaints"


def _answer_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("evaluation:answer", kwargs={"token": "TOKEN"}))


def _survey(request: HttpRequest, uuid: Any) -> Survey:
    return access.get_for_view(Survey, request.actor, uuid, purpose="evaluation")  # type: ignore[attr-defined]


def _control_group(request: HttpRequest, uuid: Any) -> ControlGroup:
    return access.get_for_view(ControlGroup, request.actor, uuid, purpose="evaluation")  # type: ignore[attr-defined]


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- overview -------------------------------------------------------------------------------


@access_rule(RESEARCH)
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    surveys = list(selectors.surveys(actor)[:50])
    rates = {s.pk: selectors.response_rates(actor, s) for s in surveys}
    return render(
        request,
        "evaluation/index.html",
        {
            "surveys": [(s, rates[s.pk]) for s in surveys],
            "control_groups": selectors.control_groups(actor)[:50],
            "can_complaints": access.can(actor, COMPLAINTS),
        },
    )


# --- surveys --------------------------------------------------------------------------------


@access_rule(RESEARCH)
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = SurveyForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.create_survey(
                actor=actor,
                title=data["title"],
                template_code=data["template_code"],
                closes_on=data["closes_on"],
                min_cell_size=data["min_cell_size"],
                incentive=data["incentive"],
                control_group=data["control_group"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("The survey has been made. Check the questions, then invite.")
            )
            return redirect("evaluation:survey", uuid=survey.uuid)
    return render(
        request,
        "evaluation/survey_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@access_rule(RESEARCH)
@require_safe
def survey_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    survey = _survey(request, uuid)
    questionnaire = services.questionnaire_of(survey)
    kinds = {
        "likert": _("five-point scale"),
        "grade": _("grade 1–10"),
        "single": _("one answer"),
        "multi": _("several answers"),
        "yesno": _("yes or no"),
        "text": _("open answer"),
        "number": _("number"),
    }
    return render(
        request,
        "evaluation/survey_detail.html",
        {
            "survey": survey,
            "questionnaire": questionnaire,
            "sections": [
                (section, [(q, kinds.get(str(q.kind), q.kind)) for q in section.questions])
                for section in questionnaire.sections
            ],
            "rates": selectors.response_rates(actor, survey),
            "invite_form": InviteForm(),
            "can_send": access.can(actor, SEND),
            "is_open": survey.status != SurveyStatus.CLOSED
            and survey.closes_on >= timezone.localdate(),
            "answered": survey.responses.count(),
        },
    )


@access_rule(RESEARCH)
@require_http_methods(["GET", "POST"])
def survey_questions(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The questions of a draft survey as JSON (the template's format), for a researcher who
    wants to reword, add or drop questions before sending; every problem is named at once."""
    actor = request.actor  # type: ignore[attr-defined]
    survey = _survey(request, uuid)
    problems: list[str] = []
    text = json.dumps(survey.questionnaire, ensure_ascii=False, indent=2)
    if request.method == "POST":
        text = request.POST.get("questionnaire", "")
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            problems = [_("This is not valid JSON: check the brackets, commas and quotes.")]
        else:
            try:
                services.update_questionnaire(actor=actor, survey=survey, data=data)
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, _("The questions have been saved."))
                return redirect("evaluation:survey", uuid=survey.uuid)
    return render(
        request,
        "evaluation/survey_questions.html",
        {
            "survey": survey,
            "text": text,
            "problems": problems,
            "editable": survey.status == SurveyStatus.DRAFT,
        },
        status=400 if problems else 200,
    )


@access_rule(RESEARCH)
@require_POST
def survey_invite(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    survey = _survey(request, uuid)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose e-mail or letter."))
        return redirect("evaluation:survey", uuid=survey.uuid)
    try:
        created = services.invite_control_group(
            actor=actor,
            survey=survey,
            channel=form.cleaned_data["channel"],
            base_url=_answer_url(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        counts = {g: sum(1 for i in created if i.group == g) for g in Group.values}
        messages.success(
            request,
            _("Invited: %(participants)s participants and %(controls)s controls.")
            % {"participants": counts[Group.PARTICIPANT], "controls": counts[Group.CONTROL]},
        )
    return redirect("evaluation:survey", uuid=survey.uuid)


@access_rule(RESEARCH)
@require_POST
def survey_remind(request: HttpRequest, uuid: Any) -> HttpResponse:
    survey = _survey(request, uuid)
    sent = services.send_reminders(survey=survey, base_url=_answer_url(request))
    messages.success(request, _("Reminders sent: %(n)s.") % {"n": sent})
    return redirect("evaluation:survey", uuid=survey.uuid)


@access_rule(RESEARCH)
@require_POST
def survey_close(request: HttpRequest, uuid: Any) -> HttpResponse:
    survey = services.close_survey(actor=request.actor, survey=_survey(request, uuid))  # type: ignore[attr-defined]
    messages.success(request, _("The survey is closed: the links no longer work."))
    return redirect("evaluation:survey", uuid=survey.uuid)


@access_rule(SEND)
@require_safe
def survey_letters(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The letters with a QR code for everyone invited by letter who has not answered."""
    actor = request.actor  # type: ignore[attr-defined]
    survey = _survey(request, uuid)
    invitations = services.letters_for(actor, survey)
    pdf = letters.letters_pdf(survey, invitations, _answer_url(request))
    services.mark_letters_sent(actor=actor, survey=survey)
    return _file(pdf, "application/pdf", f"brieven-{slugify(survey.title)}.pdf")


# --- analysis -------------------------------------------------------------------------------


def _tables(actor: access.Actor, survey: Survey, collapsed: bool) -> list[selectors.GroupTable]:
    questionnaire = services.questionnaire_of(survey)
    out = []
    for question in questionnaire.questions:
        if question.kind == questionnaires.Kind.TEXT:
            continue
        table = selectors.question_table(actor, survey, question.code, collapsed=collapsed)
        if table is not None and table.n:  # questions nobody answered are left out
            out.append(table)
    return out


@access_rule(RESEARCH)
@require_safe
def survey_analysis(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    survey = _survey(request, uuid)
    questionnaire = services.questionnaire_of(survey)
    choosable = [q for q in questionnaire.questions if q.kind != questionnaires.Kind.TEXT]
    open_questions = [q for q in questionnaire.questions if q.kind == questionnaires.Kind.TEXT]
    code = request.GET.get("vraag") or (choosable[0].code if choosable else "")
    collapsed = request.GET.get("samengevoegd") == "1"
    table = selectors.question_table(actor, survey, code, collapsed=collapsed) if code else None
    chosen = next((q for q in choosable if q.code == code), None)
    texts = None
    open_code = request.GET.get("open")
    if open_code and any(q.code == open_code for q in open_questions):
        texts = selectors.open_answers(actor, survey, open_code)
    return render(
        request,
        "evaluation/survey_analysis.html",
        {
            "survey": survey,
            "questions": choosable,
            "open_questions": open_questions,
            "open_code": open_code,
            "texts": texts,
            "chosen": chosen,
            "collapsed": collapsed,
            "can_collapse": chosen is not None and chosen.kind == questionnaires.Kind.LIKERT,
            "table": table,
            "grid": exports.table_grid(table) if table and table.n else None,
            "tests": exports.tests_lines(table) if table and table.n else [],
            "rates": selectors.response_rates(actor, survey),
        },
    )


@access_rule(RESEARCH)
@require_safe
def survey_export(request: HttpRequest, uuid: Any, output: str) -> HttpResponse:
    if output not in ("csv", "xlsx", "pdf"):
        raise Http404
    actor = request.actor  # type: ignore[attr-defined]
    survey = _survey(request, uuid)
    name = slugify(survey.title) or "enquete"
    collapsed = request.GET.get("samengevoegd") == "1"
    if output == "csv":
        header, rows = selectors.anonymised_rows(actor, survey)
        return _file(exports.answers_csv(header, rows), "text/csv; charset=utf-8", f"{name}.csv")
    tables = _tables(actor, survey, collapsed)
    if output == "xlsx":
        return _file(exports.tables_xlsx(tables), XLSX, f"{name}.xlsx")
    rates = selectors.response_rates(actor, survey)
    subtitle = "; ".join(
        _("%(group)s: %(completed)s of %(sent)s answered")
        % {"group": r.label, "completed": r.completed, "sent": r.sent}
        for r in rates
    )
    pdf = exports.tables_pdf(survey.title, subtitle, tables)
    return _file(pdf, "application/pdf", f"{name}.pdf")


# --- control groups -------------------------------------------------------------------------


@access_rule(RESEARCH)
@require_http_methods(["GET", "POST"])
def control_group_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = ControlGroupForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.draw_control_group(actor=actor, **form.service_data())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The control group has been drawn and frozen: %(n)s controls.")
                % {"n": group.size},
            )
            return redirect("evaluation:control_group", uuid=group.uuid)
    return render(
        request,
        "evaluation/control_group_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@access_rule(RESEARCH)
@require_safe
def control_group_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    group = _control_group(request, uuid)
    window = EffectWindowForm(request.GET or None)
    months = (window.cleaned_data.get("maanden") if window.is_valid() else None) or 12
    balance = selectors.balance_table(actor, group)
    effect = selectors.effect_table(actor, group, window_months=months)
    labels = (str(Group.PARTICIPANT.label), str(Group.CONTROL.label))
    if request.GET.get("output") == "xlsx":
        header, rows = exports.effect_grid(effect, labels)
        return _file(
            exports.tables_xlsx(balance)
            if request.GET.get("deel") == "balans"
            else _effect_xlsx(header, rows),
            XLSX,
            f"{slugify(group.name) or 'controlegroep'}.xlsx",
        )
    return render(
        request,
        "evaluation/control_group_detail.html",
        {
            "group": group,
            "balance": [
                (t, exports.table_grid(t, first=t.title), exports.tests_lines(t)) for t in balance
            ],
            "effect_grid": exports.effect_grid(effect, labels),
            "effect": effect,
            "window": window,
            "months": months,
            "window_end": _window_end(group.intervention_start, months),
            "criteria": _criteria_text(group),
            # On request: draw again from today's frame with the recorded seed.
            "check": selectors.draw_check(group) if request.GET.get("controle") == "1" else None,
            "strata": [str(services.STRATA.get(code, code)) for code in group.strata],
        },
    )


def _window_end(start: dt.date, months: int) -> dt.date:
    return add_months(start, months) - dt.timedelta(days=1)


def _effect_xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    from werkbrug.monitoring.report_xlsx import workbook

    return workbook([(_("Effect"), header, rows)])


def _criteria_text(group: ControlGroup) -> list[str]:
    from werkbrug.candidates.models import BenefitType, LadderStep
    from werkbrug.regions.models import Municipality

    criteria = group.criteria or {}
    lines = []
    if criteria.get("municipalities"):
        names = Municipality.objects.filter(uuid__in=criteria["municipalities"]).order_by("name")
        lines.append(_("Municipalities: %(names)s") % {"names": ", ".join(m.name for m in names)})
    if criteria.get("ladder_steps"):
        steps = ", ".join(str(LadderStep(s).label) for s in criteria["ladder_steps"])
        lines.append(_("Ladder steps: %(steps)s") % {"steps": steps})
    if criteria.get("benefit_types"):
        kinds = ", ".join(str(BenefitType(b).label) for b in criteria["benefit_types"])
        lines.append(_("Benefits: %(kinds)s") % {"kinds": kinds})
    return lines or [_("Everyone in the region's caseload")]


# --- complaints -----------------------------------------------------------------------------


@access_rule(COMPLAINTS)
@require_http_methods(["GET", "POST"])
def complaints(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = ComplaintForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_complaint(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The complaint has been recorded."))
            return redirect("evaluation:complaints")
    rows = list(selectors.complaints(actor)[:100])
    return render(
        request,
        "evaluation/complaints.html",
        {
            "form": form,
            "rows": rows,
            "years": selectors.complaint_years(actor),
            "settle_form": SettleForm(initial={"settled_on": timezone.localdate()}),
            "open_value": ComplaintSettlement.OPEN,
        },
        status=400 if request.method == "POST" else 200,
    )


@access_rule(COMPLAINTS)
@require_POST
def complaint_settle(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    complaint = access.get_for_view(Complaint, actor, uuid, purpose="complaints")
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome and the date it was settled."))
        return redirect("evaluation:complaints")
    try:
        services.settle_complaint(actor=actor, complaint=complaint, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The complaint has been settled."))
    return redirect("evaluation:complaints")


urlpatterns = [
    path("evaluatie/", index, name="index"),
    path("evaluatie/enquetes/nieuw/", survey_create, name="survey_create"),
    path("evaluatie/enquetes/<uuid:uuid>/", survey_detail, name="survey"),
    path("evaluatie/enquetes/<uuid:uuid>/vragen/", survey_questions, name="survey_questions"),
    path("evaluatie/enquetes/<uuid:uuid>/uitnodigen/", survey_invite, name="survey_invite"),
    path("evaluatie/enquetes/<uuid:uuid>/herinneren/", survey_remind, name="survey_remind"),
    path("evaluatie/enquetes/<uuid:uuid>/sluiten/", survey_close, name="survey_close"),
    path("evaluatie/enquetes/<uuid:uuid>/brieven.pdf", survey_letters, name="survey_letters"),
    path("evaluatie/enquetes/<uuid:uuid>/analyse/", survey_analysis, name="survey_analysis"),
    path(
        "evaluatie/enquetes/<uuid:uuid>/tabellen.<str:output>",
        survey_export,
        name="survey_export",
    ),
    path("evaluatie/controlegroepen/nieuw/", control_group_create, name="control_group_create"),
    path("evaluatie/controlegroepen/<uuid:uuid>/", control_group_detail, name="control_group"),
    path("evaluatie/klachten/", complaints, name="complaints"),
    path("evaluatie/klachten/<uuid:uuid>/afhandelen/", complaint_settle, name="complaint_settle"),
]
