"""The questionnaire behind a personal link: no account, made for a phone.

The link holds a secret, so the page is never cached and the URL never goes out as a
referrer (see meetings.public for why the policy is ``strict-origin``). Unknown and guessed
links get 404; a real link that expired, was used or whose survey closed gets 410; neither
says anything about the survey. Questions shown only after a certain answer are hidden by a
small script (``evaluation.js``) and, without it, shown with the condition written out;
either way the server drops answers to questions whose condition is not met.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_safe

from werkbrug.core import access
from werkbrug.core.ratelimit import rate_limited, refused_link
from werkbrug.core.views_base import (
    access_rule,
    private_link_response,
)
from werkbrug.evaluation import questionnaires, services
from werkbrug.evaluation.models import Invitation

PUBLIC = access.PUBLIC


def _refused(request: HttpRequest, token: str, error: ValidationError) -> HttpResponse:
    """404 for a link that never existed, 410 for one that did; someone who already answered
    is thanked again rather than told the link does not work."""
    invitation = Invitation.objects.filter(token_hash=services.hash_token(token or "")).first()
    if invitation is not None and invitation.completed_on is not None:
        return private_link_response(
            render(request, "evaluation/public_thanks.html", {"already": True}, status=410)
        )
    return private_link_response(
        render(
            request,
            "evaluation/public_invalid.html",
            {"reasons": error.messages},
            status=410 if invitation is not None else 404,
        )
    )


def _raw(request: HttpRequest, questionnaire: questionnaires.Questionnaire) -> dict[str, Any]:
    """What was posted, per question: a list for multiple choice, else the one value."""
    raw: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.kind == questionnaires.Kind.MULTI:
            raw[question.code] = request.POST.getlist(question.code)
        elif question.code in request.POST:
            raw[question.code] = request.POST.get(question.code, "")
    return raw


def _condition_text(
    questionnaire: questionnaires.Questionnaire, show_if: questionnaires.ShowIf | None
) -> str:
    if show_if is None:
        return ""
    question = questionnaire.question(show_if.question)
    answers = " / ".join(question.label(v) for v in show_if.values)
    return f"{question.text} → {answers}"


def _sections(
    questionnaire: questionnaires.Questionnaire, values: dict[str, Any], errors: dict[str, str]
) -> list[dict[str, Any]]:
    """The questionnaire laid out for the template: each question with its choices, what was
    filled in, its error and the condition under which it is asked."""
    out = []
    number = 0
    for section in questionnaire.sections:
        items = []
        for question in section.questions:
            number += 1
            value = values.get(question.code)
            chosen = (
                {str(v) for v in value}
                if isinstance(value, list)
                else ({str(value)} if value not in (None, "") else set())
            )
            items.append(
                {
                    "q": question,
                    "number": number,
                    "value": "" if value is None or isinstance(value, list) else value,
                    "chosen": chosen,
                    "error": errors.get(question.code, ""),
                    "condition": _condition_text(questionnaire, question.show_if),
                    "show_if": question.show_if,
                    "grades": range(question.minimum or 1, (question.maximum or 10) + 1)
                    if question.kind == questionnaires.Kind.GRADE
                    else (),
                }
            )
        out.append(
            {
                "section": section,
                "items": items,
                "condition": _condition_text(questionnaire, section.show_if),
            }
        )
    return out


@access_rule(PUBLIC)
@rate_limited("survey_link", failed=refused_link)
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation, questionnaire = services.open_link(token)
    except ValidationError as error:
        return _refused(request, token, error)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        raw = _raw(request, questionnaire)
        try:
            response, errors = services.submit(token=token, raw=raw)
        except ValidationError as error:
            return _refused(request, token, error)
        if response is not None:
            return private_link_response(redirect("evaluation:thanks"))
        values = raw
    return private_link_response(
        render(
            request,
            "evaluation/public_answer.html",
            {
                "survey": invitation.survey,
                "questionnaire": questionnaire,
                "sections": _sections(questionnaire, values, errors),
                "errors": errors,
                "error_count": len(errors),
            },
            status=400 if errors else 200,
        )
    )


@access_rule(PUBLIC)
@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return private_link_response(render(request, "evaluation/public_thanks.html"))


urlpatterns = [
    path("enquete/bedankt/", thanks, name="thanks"),
    path("enquete/<str:token>/", answer, name="answer"),
]
