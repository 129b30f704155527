"""Pages of a prettig gesprek outside the staff screens.

* The answer page behind the personal link in the invitation (no account needed, made for a
  phone): the meeting, the current answer, yes/no and, for a candidate, the employers they
  would like to meet; plus the meeting as a calendar file.
* Printouts for the day (staff, ``meetings.view``): table cards per employer and a personal
  schedule per candidate, as PDF and as print-friendly HTML (see printouts.py).

The answer link carries its token in the URL, so these responses are never cached
(``Cache-Control: no-store``) and the URL is never passed on as a referrer. The policy is
``strict-origin`` rather than ``no-referrer``: both keep the path (and so the token) out of
every Referer header, but under ``no-referrer`` browsers send ``Origin: null`` with a form
POST, which Django's CSRF check refuses, so the yes/no form (and the language switch) would
not work. Unknown and guessed links get the same 404; a link that was real but expired, or
whose meeting was cancelled, gets 410. Neither says anything about the meeting.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from werkbrug.candidates.models import Candidate
from werkbrug.core import access
from werkbrug.core.ratelimit import rate_limited, refused_link
from werkbrug.core.views_base import (
    access_rule,
    private_link_response,
)
from werkbrug.employers.models import Employer
from werkbrug.meetings import printouts, selectors, services
from werkbrug.meetings.models import Invitation, Meeting, Response

PUBLIC = access.PUBLIC
VIEW = "meetings.view"
DONE = "klaar"  # query flag after an answer was saved: show the confirmation


# --- The answer page --------------------------------------------------------------------------


def _link_was_real(token: str) -> bool:
    """Whether a refused link once belonged to an invitation (expired or cancelled: 410) or
    never did (unknown or guessed: 404). Only the hash is looked up, as the service does."""
    return Invitation.objects.filter(token_hash=services.hash_token(token or "")).exists()


def _refused(request: HttpRequest, token: str, error: ValidationError) -> HttpResponse:
    status = 410 if _link_was_real(token) else 404
    response = render(
        request, "meetings/public_invalid.html", {"reasons": error.messages}, status=status
    )
    return private_link_response(response)


def _employers(invitation: Invitation) -> Any:
    """The employers a candidate may pick: invited to the same meeting, not declined."""
    return Employer.objects.filter(
        pk__in=invitation.meeting.invitations.filter(employer__isnull=False)
        .exclude(response=Response.NO)
        .values("employer_id")
    ).order_by("name", "id")


def _waiting_place(invitation: Invitation) -> int | None:
    """Place in the queue as people count it (1 = next), not the raw position number."""
    if invitation.response != Response.WAITING or invitation.waitlist_position is None:
        return None
    ahead = invitation.meeting.invitations.filter(
        response=Response.WAITING, waitlist_position__lt=invitation.waitlist_position
    ).count()
    return ahead + 1


class AnswerForm(forms.Form):
    coming = forms.TypedChoiceField(
        choices=[("ja", _("Yes, I'm coming")), ("nee", _("No, I can't"))],
        coerce=lambda value: value == "ja",
        error_messages={"required": _("Choose yes or no.")},
    )
    wants_to_meet = forms.ModelMultipleChoiceField(
        label=_("Whom would you like to meet?"),
        help_text=_("Tick the employers you would most like to talk to. This is optional."),
        queryset=Employer.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if invitation.candidate_id:
            field = self.fields["wants_to_meet"]
            field.queryset = _employers(invitation)  # type: ignore[attr-defined]
            field.label_from_instance = lambda employer: employer.name  # type: ignore[attr-defined]
        else:
            del self.fields["wants_to_meet"]


@access_rule(PUBLIC)
@rate_limited("meeting_link", failed=refused_link)
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str, **kwargs: object) -> HttpResponse:
    """Yes or no through the personal link; a candidate may name employers to meet."""
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as error:
        return _refused(request, token, error)
    if request.method == "POST":
        form = AnswerForm(request.POST, invitation=invitation)
        if form.is_valid():
            try:
                services.answer(
                    token=token,
                    coming=form.cleaned_data["coming"],
                    wants_to_meet=list(form.cleaned_data.get("wants_to_meet") or []),
                )
            except ValidationError as error:
                return _refused(request, token, error)
            url = reverse("meetings:answer", kwargs={"token": token})
            return private_link_response(redirect(f"{url}?{DONE}=1", permanent=False))
        status = 400
    else:
        initial = {}
        if invitation.candidate_id:
            initial["wants_to_meet"] = list(invitation.wants_to_meet.all())
        form = AnswerForm(invitation=invitation, initial=initial)
        status = 200
    meeting = invitation.meeting
    context = {
        "invitation": invitation,
        "meeting": meeting,
        "ends_at": meeting.ends_at,
        "host": meeting.host_employer.name if meeting.host_employer_id else "",
        "form": form,
        "is_candidate": bool(invitation.candidate_id),
        "waiting_place": _waiting_place(invitation),
        "confirmed": request.method == "GET" and request.GET.get(DONE) == "1",
        "answered": invitation.response != Response.OPEN,
        "token": token,
    }
    return private_link_response(
        render(request, "meetings/public_answer.html", context, status=status)
    )


@access_rule(PUBLIC)
@rate_limited("meeting_link", failed=refused_link)
@require_safe
def answer_ics(request: HttpRequest, token: str, **kwargs: object) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as error:
        return _refused(request, token, error)
    meeting = invitation.meeting
    response = HttpResponse(
        services.meeting_ics(meeting).encode("utf-8"), content_type="text/calendar; charset=utf-8"
    )
    day = timezone.localdate(meeting.starts_at).isoformat()
    response["Content-Disposition"] = f'attachment; filename="prettig-gesprek-{day}.ics"'
    return private_link_response(response)


# --- Printouts --------------------------------------------------------------------------------


def _meeting(request: HttpRequest, uuid: Any) -> Meeting:
    actor = request.actor  # type: ignore[attr-defined]
    return access.get_for_view(
        selectors.meetings(actor), actor, uuid, purpose="Bijeenkomst: afdrukken"
    )


def _candidate_schedule(request: HttpRequest, uuid: Any, candidate: Any) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    meeting = _meeting(request, uuid)
    person = access.get_for_view(
        Candidate, actor, candidate, purpose="Bijeenkomst: persoonlijk schema"
    )
    try:
        return meeting, printouts.schedule(actor, meeting, person)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@access_rule(VIEW)
@require_safe
def table_cards(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    meeting = _meeting(request, uuid)
    data = printouts.table_cards(request.actor, meeting)  # type: ignore[attr-defined]
    day = timezone.localdate(meeting.starts_at).isoformat()
    return _pdf(printouts.table_cards_pdf(data), f"tafelkaarten-{day}.pdf")


@access_rule(VIEW)
@require_safe
def table_cards_html(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    meeting = _meeting(request, uuid)
    data = printouts.table_cards(request.actor, meeting)  # type: ignore[attr-defined]
    response = render(
        request, "meetings/print_table_cards.html", {"meeting": meeting, "data": data}
    )
    response["Cache-Control"] = "no-store"
    return response


@access_rule(VIEW)
@require_safe
def schedule(request: HttpRequest, uuid: Any, candidate: Any, **kwargs: object) -> HttpResponse:
    meeting, data = _candidate_schedule(request, uuid, candidate)
    day = timezone.localdate(meeting.starts_at).isoformat()
    return _pdf(printouts.schedule_pdf(data), f"schema-{day}.pdf")


@access_rule(VIEW)
@require_safe
def schedule_html(
    request: HttpRequest, uuid: Any, candidate: Any, **kwargs: object
) -> HttpResponse:
    meeting, data = _candidate_schedule(request, uuid, candidate)
    response = render(
        request,
        "meetings/print_schedule.html",
        {"meeting": meeting, "data": data, "candidate_uuid": candidate},
    )
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("uitnodiging/<str:token>/", answer, name="answer"),
    path("uitnodiging/<str:token>/agenda.ics", answer_ics, name="answer_ics"),
    path("bijeenkomsten/<uuid:uuid>/tafelkaarten.pdf", table_cards, name="table_cards"),
    path("bijeenkomsten/<uuid:uuid>/tafelkaarten/", table_cards_html, name="table_cards_html"),
    path("bijeenkomsten/<uuid:uuid>/schema/<uuid:candidate>.pdf", schedule, name="schedule"),
    path(
        "bijeenkomsten/<uuid:uuid>/schema/<uuid:candidate>/",
        schedule_html,
        name="schedule_html",
    ),
]
