"""Staff pages of the prettig gesprek: the list of meetings, the meeting form, and the meeting
page with its invitations, table plan, check-in on the day, outcomes and results.

Every change is a small form posting to its own action route, which calls one service and
returns to the meeting page (to the part the person was working on). A refused change comes
back with the reason, named by field, next to the form that failed (kept in the session for
the one request that shows it). Views translate HTTP to selector and service calls; the rules
are in ``meetings.services`` and ``meetings.selectors``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from werkbrug.candidates import selectors as candidate_selectors
from werkbrug.candidates.models import Candidate
from werkbrug.candidates.services import has_full_access
from werkbrug.core import access
from werkbrug.core.views_base import access_rule, rebind, refused_for, show_service_errors
from werkbrug.employers.models import Employer
from werkbrug.meetings import forms, selectors, services
from werkbrug.meetings.models import (
    Conversation,
    FollowUp,
    Invitation,
    Meeting,
    MeetingStatus,
    Response,
)
from werkbrug.regions.models import Staff

PAST_PAGE_SIZE = 25

#: Where a refused change waits (in the session) for the meeting page to show it.
ERROR_KEY = "meetings.error"

#: The names services and forms use for what went wrong, as the person reads them.
FIELD_LABELS = {
    "plan": gettext_lazy("Table plan"),
    "from_round": gettext_lazy("Plan from round"),
    "round": gettext_lazy("Round"),
    "table": gettext_lazy("Table"),
    "employers": gettext_lazy("Employers"),
    "candidates": gettext_lazy("Candidates"),
    "status": gettext_lazy("Status"),
    "outcome": gettext_lazy("How did it go?"),
    "follow_up": gettext_lazy("Follow-up"),
    "note": gettext_lazy("Note"),
    "present": gettext_lazy("Present"),
    "version": gettext_lazy("Changed meanwhile"),
    "coming": gettext_lazy("Answer"),
    "email": gettext_lazy("E-mail"),
    "table_capacity": gettext_lazy("Candidates per table"),
    "cancel_reason": gettext_lazy("Reason"),
}

STATUS_BADGES = {
    MeetingStatus.DRAFT: "badge-neutral",
    MeetingStatus.INVITED: "badge-info",
    MeetingStatus.PLANNED: "badge-info",
    MeetingStatus.HELD: "badge-success",
    MeetingStatus.CANCELLED: "badge-danger",
}

#: How the planner's method reads (the planner names it; see meetings/planner.py).
PLAN_METHODS = {
    "flow": gettext_lazy("Min-cost flow (exact)"),
    "flow+cp-sat": gettext_lazy("Min-cost flow with CP-SAT for the rounds (exact)"),
    "cp-sat": gettext_lazy("CP-SAT with a time limit"),
    "greedy": gettext_lazy("Greedy (no bound)"),
}


# --- Helpers --------------------------------------------------------------------------------


def _meeting(request: HttpRequest, uuid: Any) -> Meeting:
    actor = request.actor  # type: ignore[attr-defined]
    return access.get_for_view(selectors.meetings(actor), actor, uuid, purpose="meetings")


def _detail_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meetings:detail", kwargs={"uuid": meeting.uuid})
    return f"{url}#{anchor}" if anchor else url


def _maybe_reverse(name: str, **kwargs: Any) -> str | None:
    """The URL of a route another part of the app may not have yet (the printouts)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _error_lines(error: ValidationError) -> list[str]:
    """Each message with the name of the field it is about."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for name, found in error.message_dict.items():
        label = FIELD_LABELS.get(name)
        lines += [f"{label}: {m}" if label and name != "__all__" else m for m in found]
    return lines


def _refused(
    request: HttpRequest, kind: str, target: Any, error: ValidationError, intro: str
) -> None:
    """Keep a refused change for the meeting page (shown next to its form) and say why."""
    lines = _error_lines(error)
    request.session[ERROR_KEY] = {
        "kind": kind,
        "target": str(target),
        "data": {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"},
        "errors": error.message_dict if hasattr(error, "error_dict") else {},
        "lines": lines,
    }
    messages.error(request, f"{intro} {' '.join(lines)}")


def _candidate_label(actor: access.Actor, candidate: Candidate) -> str:
    if has_full_access(actor, candidate):
        return str(candidate)
    return _("A candidate from the regional pool")


_PLANNER_IDS = re.compile(r"\b([Kk]andidaat|[Ww]erkgever) (\d+)|\b(\d+)–(\d+)\b")


def _readable(actor: access.Actor, error: ValidationError) -> ValidationError:
    """The planner names candidates and employers by number; say who they are instead (a
    pool candidate without a name)."""
    if not hasattr(error, "error_dict"):
        return error
    text = " ".join(m for found in error.message_dict.values() for m in found)
    candidate_ids, employer_ids = set(), set()
    for word, number, c, e in _PLANNER_IDS.findall(text):
        if word.lower() == "kandidaat":
            candidate_ids.add(int(number))
        elif word:
            employer_ids.add(int(number))
        else:
            candidate_ids.add(int(c))
            employer_ids.add(int(e))
    flagged = candidate_selectors.with_access_flag(
        Candidate.objects.filter(pk__in=candidate_ids), actor
    )
    people = {
        c.pk: str(c) if c.full_access else _("a candidate from the regional pool")  # type: ignore[attr-defined]
        for c in flagged.only("pk", "first_name", "last_name")
    }
    names = dict(Employer.objects.filter(pk__in=employer_ids).values_list("pk", "name"))

    def name(match: re.Match[str]) -> str:
        word, number, c, e = match.groups()
        if word:
            found = (people if word.lower() == "kandidaat" else names).get(int(number))
            return f"{word} {found}" if found else match.group(0)
        return f"{people.get(int(c), c)} – {names.get(int(e), e)}"

    return ValidationError(
        {
            field_: [_PLANNER_IDS.sub(name, m) for m in found]
            for field_, found in error.message_dict.items()
        }
    )


# --- The list -------------------------------------------------------------------------------


@access_rule("meetings.view")
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    past = Paginator(selectors.past(actor), PAST_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": _rows(selectors.upcoming(actor)),
            "past": past,
            "past_rows": _rows(past.object_list),
            "can_organise": access.can(actor, "meetings.organise"),
        },
    )


def _rows(meetings: Any) -> list[dict[str, Any]]:
    return [{"meeting": m, "badge": STATUS_BADGES.get(m.status, "badge-neutral")} for m in meetings]


# --- New meeting and edit -------------------------------------------------------------------


def _meeting_form(request: HttpRequest, meeting: Meeting | None) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    instance = meeting or Meeting(region_id=actor.region_id)
    form = forms.MeetingForm(request.POST or None, instance=instance, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_meeting(
                actor=actor,
                meeting=form.instance,
                opportunities=form.cleaned_data["opportunities"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            text = (
                _("The meeting “%(title)s” has been saved.")
                if meeting
                else _("The meeting “%(title)s” has been made. Invite employers first.")
            )
            messages.success(request, text % {"title": saved.title})
            return redirect("meetings:detail", uuid=saved.uuid)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@access_rule("meetings.organise")
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _meeting_form(request, None)


@access_rule("meetings.organise")
def meeting_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _meeting_form(request, _meeting(request, uuid))


# --- The meeting page -----------------------------------------------------------------------


@dataclass
class Person:
    """An invited employer or candidate as the page shows them."""

    invitation: Invitation
    label: str
    full_access: bool = True
    schedule_url: str | None = None
    errors: list[str] = field(default_factory=list)  # a refused change to this invitation

    @property
    def anchor(self) -> str:
        return f"uitnodiging-{self.invitation.uuid}"


@dataclass
class Seat:
    """A conversation of the plan, with its forms."""

    conversation: Conversation
    label: str
    full_access: bool
    move_form: Any = None
    outcome_form: Any = None
    errors: list[str] = field(default_factory=list)
    open_move: bool = False
    open_outcome: bool = False
    absent: bool = False
    #: The placement that came from this conversation (its page instead of "Place").
    placement: Any = None

    @property
    def anchor(self) -> str:
        return f"gesprek-{self.conversation.uuid}"

    @property
    def outcome_anchor(self) -> str:
        return f"uitkomst-{self.conversation.uuid}"


def _labels(
    actor: access.Actor, invitations: list[Invitation], conversations: list[Conversation]
) -> dict[int, tuple[str, bool]]:
    """Name and full access per candidate. Candidates of the regional pool from another
    municipality get no name: "Pool candidate 1, 2, ..." (numbered the same way on every
    load of the page, as long as nobody is added)."""
    ids: list[int] = []
    for i in invitations:
        if i.candidate_id and i.candidate_id not in ids:
            ids.append(i.candidate_id)
    for c in sorted(conversations, key=lambda c: c.candidate_id):
        if c.candidate_id not in ids:
            ids.append(c.candidate_id)
    full = set(
        candidate_selectors.with_access_flag(Candidate.objects.filter(pk__in=ids), actor)
        .filter(full_access=True)
        .values_list("pk", flat=True)
    )
    names = {i.candidate_id: str(i.candidate) for i in invitations if i.candidate_id}
    names.update({c.candidate_id: str(c.candidate) for c in conversations})
    labels, number = {}, 0
    for pk in ids:
        if pk in full:
            labels[pk] = (names[pk], True)
        else:
            number += 1
            labels[pk] = (_("Pool candidate %(number)s") % {"number": number}, False)
    return labels


def _hosts_a_table(invitation: Invitation) -> bool:
    """An employer's table takes candidates when they are coming (as the planner counts it:
    arrived, or said yes and not marked absent)."""
    return invitation.present is True or (
        invitation.present is None and invitation.response == Response.YES
    )


def _round_times(meeting: Meeting) -> list[tuple[int, dt.datetime]]:
    return [(r, meeting.round_times(r)[0]) for r in range(1, meeting.rounds + 1)]


def _plan_facts(meeting: Meeting) -> dict[str, Any] | None:
    if not meeting.planned_at:
        return None
    gap = meeting.plan_gap
    return {
        "method": PLAN_METHODS.get(meeting.plan_method, meeting.plan_method),
        "objective": meeting.plan_objective,
        "bound": meeting.plan_bound,
        "gap": gap,
        "gap_percent": None if gap is None else round(gap * 100, 1),
        "optimal": gap is not None and gap < 1e-9,
        "seconds": meeting.plan_seconds,
        "planned_at": meeting.planned_at,
    }


def _detail_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    failed = request.session.pop(ERROR_KEY, None) if hasattr(request, "session") else None
    cancelled = meeting.status == MeetingStatus.CANCELLED
    can_organise = access.can(actor, "meetings.organise") and not cancelled
    can_record = not cancelled

    invitations = list(
        selectors.invitations(actor, meeting).prefetch_related(
            Prefetch("wants_to_meet", queryset=Employer.objects.only("pk", "name"))
        )
    )
    grid = selectors.plan_grid(actor, meeting)
    conversations = sorted(
        (c for cells in grid.cells.values() for c in cells),
        key=lambda c: (c.round, c.employer.name, c.candidate_id),
    )
    prefetch_related_objects(
        [c for c in conversations if c.action_id],
        Prefetch("action__owner", queryset=Staff.objects.select_related("user")),
    )
    labels = _labels(actor, invitations, conversations)

    # Invitations and who is coming.
    employers, candidates = [], []
    for i in invitations:
        if i.employer_id:
            employers.append(Person(i, i.employer.name))
        else:
            label, full = labels[i.candidate_id]
            coming = i.response == Response.YES
            schedule = (
                _maybe_reverse("meetings:schedule", uuid=meeting.uuid, candidate=i.candidate.uuid)
                if coming
                else None
            )
            candidates.append(Person(i, label, full, schedule))
    candidates.sort(key=lambda p: (not p.full_access, p.label.lower()))
    for p in employers + candidates:
        for kind in ("answer", "resend", "table"):
            if refused := refused_for(failed, kind, p.invitation.uuid):
                p.errors = refused["lines"]

    def here(p: Person) -> bool:
        return p.invitation.response == Response.YES or p.invitation.present is not None

    # The plan, with a move form per seat and an outcome form per conversation.
    absent_employers = {
        p.invitation.employer_id for p in employers if p.invitation.present is False
    }
    absent_candidates = {
        p.invitation.candidate_id for p in candidates if p.invitation.present is False
    }
    # The tables: employers who did not decline and are not absent, and any with a seat.
    seated = {c.employer_id for c in conversations}
    tables = [
        p.invitation.employer
        for p in sorted(employers, key=lambda p: p.label.lower())
        if p.invitation.employer_id in seated or _hosts_a_table(p.invitation)
    ]
    now = timezone.now()
    round_starts = dict(_round_times(meeting))
    seats: dict[int, Seat] = {}
    for c in conversations:
        label, full = labels[c.candidate_id]
        seat = Seat(
            c,
            label,
            full,
            absent=c.employer_id in absent_employers or c.candidate_id in absent_candidates,
        )
        move_failed = refused_for(failed, "move", c.uuid)
        outcome_failed = refused_for(failed, "outcome", c.uuid)
        if can_organise:
            seat.move_form = forms.MoveForm(
                initial={"round": c.round, "table": str(c.employer.uuid)},
                auto_id=f"verplaats-{c.uuid}-%s",
                rounds=meeting.rounds,
                employers=tables,
            )
            seat.open_move = move_failed is not None
        if can_record:
            seat.outcome_form = (
                rebind(forms.OutcomeForm, outcome_failed, auto_id=f"uitkomst-{c.uuid}-%s")
                if outcome_failed
                else forms.OutcomeForm(
                    initial={"outcome": c.outcome, "follow_up": c.follow_up, "note": c.note}
                    if c.recorded_at
                    else None,
                    auto_id=f"uitkomst-{c.uuid}-%s",
                )
            )
            seat.open_outcome = outcome_failed is not None or (
                not c.recorded_at and not seat.absent and now >= round_starts[c.round]
            )
        if move_failed:
            seat.errors = move_failed["lines"]
        seats[c.pk] = seat
    # Conversations that already led to a placement link to it instead of offering "Place".
    from werkbrug.placements.selectors import placed_from  # placements builds on meetings

    clicks = [c.pk for c in conversations if c.outcome == "klik"]
    for (_kind, pk), placement in placed_from(actor, conversations=clicks).items():
        seats[pk].placement = placement

    rows = [
        {
            "round": r,
            "starts_at": at,
            "cells": [
                {"employer": e, "seats": [seats[c.pk] for c in grid.at(r, e.pk)]} for e in tables
            ],
        }
        for r, at in _round_times(meeting)
    ]
    outcome_rounds = [
        {
            "round": r,
            "starts_at": at,
            "seats": [s for s in seats.values() if s.conversation.round == r],
        }
        for r, at in _round_times(meeting)
    ]

    invite_failed = refused_for(failed, "invite", meeting.uuid)
    invite_form = None
    suggestions: list[Any] = []
    if can_organise and now < meeting.starts_at and meeting.status != MeetingStatus.HELD:
        kwargs = {"actor": actor, "meeting": meeting}
        invite_form = (
            rebind(forms.InviteForm, invite_failed, **kwargs)
            if invite_failed
            else forms.InviteForm(**kwargs)
        )
        if any(p.invitation.response != Response.NO for p in employers):
            suggestions = selectors.invitation_suggestions(actor, meeting)
    chosen = set(invite_failed["data"].get("candidates", [])) if invite_failed else set()
    plan_failed = refused_for(failed, "plan", meeting.uuid)
    results = selectors.results(meeting)
    plan_form = (
        forms.PlanForm(meeting=meeting)
        if can_organise and meeting.status != MeetingStatus.HELD
        else None
    )

    return {
        "meeting": meeting,
        "status_badge": STATUS_BADGES.get(meeting.status, "badge-neutral"),
        "ends_at": meeting.ends_at,
        "organisers": list(meeting.organisers.select_related("user")),
        "opportunities": list(meeting.opportunities.select_related("employer")),
        "employers": employers,
        "candidates": candidates,
        "coming_employers": [p for p in employers if here(p)],
        "coming_candidates": [p for p in candidates if here(p)],
        "grid": grid,
        "tables": tables,
        "rows": rows,
        "has_plan": bool(conversations) or grid.hidden > 0,
        "seat_count": len(conversations),
        "plan": _plan_facts(meeting),
        "plan_form": plan_form if plan_form and plan_form.available else None,
        "plan_closed": plan_form is not None and not plan_form.available,
        "plan_errors": plan_failed["lines"] if plan_failed else [],
        "outcome_rounds": outcome_rounds,
        # Before the day there is nothing to record (unless something was, by hand).
        "outcomes_open": timezone.localdate(meeting.starts_at) <= timezone.localdate()
        or any(c.recorded_at for c in conversations)
        or (failed or {}).get("kind") == "outcome",
        "absent_count": sum(1 for s in seats.values() if s.absent),
        "results": results,
        "follow_up_rows": [
            (label, results.follow_ups[value])
            for value, label in FollowUp.choices
            if results.follow_ups.get(value)
        ],
        "can_place": access.can(actor, "placements.manage"),
        "invite_form": invite_form,
        "invite_errors": invite_failed["lines"] if invite_failed else [],
        "suggestions": suggestions,
        "chosen": chosen,
        "can_organise": can_organise,
        "can_record": can_record,
        "can_tasks": access.can(actor, "employers.tasks"),
        "my_staff_id": actor.staff_id,
        "can_see_employers": access.can(actor, "employers.view"),
        "table_cards_url": _maybe_reverse("meetings:table_cards", uuid=meeting.uuid),
        "cancelled": cancelled,
        # Answers, links and table sizes can change until the meeting is held.
        "can_change_invitations": can_organise and meeting.status != MeetingStatus.HELD,
        "can_mark_held": can_organise
        and meeting.status != MeetingStatus.HELD
        and now >= meeting.starts_at,
        "can_cancel": can_organise and meeting.status != MeetingStatus.HELD,
        "checkin_folded": meeting.status == MeetingStatus.HELD
        or now > meeting.starts_at + dt.timedelta(days=1),
    }


@access_rule("meetings.view")
@require_GET
def meeting_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    meeting = _meeting(request, uuid)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


# --- Invitations ----------------------------------------------------------------------------


@access_rule("meetings.organise")
@require_POST
def invite(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    meeting = _meeting(request, uuid)
    form = forms.InviteForm(request.POST, actor=actor, meeting=meeting)
    back = _detail_url(meeting, "uitnodigen")
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        made = services.invite(
            actor=actor,
            meeting=meeting,
            employers=form.cleaned_data["employers"],
            candidates=form.cleaned_data["candidates"],
            answer_url=request.build_absolute_uri(
                reverse("meetings:answer", kwargs={"token": "TOKEN"})
            ),
        )
    except ValidationError as error:
        _refused(request, "invite", meeting.uuid, error, _("Nobody was invited:"))
        return redirect(back)
    without_mail = sum(1 for i in made if not i.email)
    if not made:
        messages.info(request, _("Everyone you ticked had been invited already."))
    else:
        text = ngettext(
            "%(count)s invitation has been made.",
            "%(count)s invitations have been made.",
            len(made),
        ) % {"count": len(made)}
        text += " " + _("Each one with an e-mail address gets a personal answer link.")
        if without_mail:
            text += " " + ngettext(
                "%(count)s has no e-mail address: let them know yourself.",
                "%(count)s have no e-mail address: let them know yourself.",
                without_mail,
            ) % {"count": without_mail}
        messages.success(request, text)
    return redirect(_detail_url(meeting, "uitnodigingen"))


# --- The table plan -------------------------------------------------------------------------


@access_rule("meetings.organise")
@require_POST
def plan(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    meeting = _meeting(request, uuid)
    form = forms.PlanForm(request.POST, meeting=meeting)
    back = _detail_url(meeting, "tafelplan")
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        made = services.make_plan(
            actor=actor, meeting=meeting, from_round=form.cleaned_data["from_round"]
        )
    except ValidationError as error:
        _refused(
            request, "plan", meeting.uuid, _readable(actor, error), _("No table plan was made:")
        )
        return redirect(back)
    text = ngettext(
        "The table plan has been made: %(count)s conversation.",
        "The table plan has been made: %(count)s conversations.",
        len(made.seats),
    ) % {"count": len(made.seats)}
    if made.optimal:
        text += " " + _("It is proven optimal: no plan fits better.")
    messages.success(request, text)
    return redirect(back)


@access_rule("meetings.organise")
@require_POST
def move(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    conversation = access.get_for_view(
        Conversation.objects.select_related("meeting"), actor, uuid, purpose="meetings"
    )
    meeting = conversation.meeting
    employers = [
        i.employer
        for i in meeting.invitations.filter(employer__isnull=False)
        .select_related("employer")
        .order_by("employer__name")
        if _hosts_a_table(i) or i.employer_id == conversation.employer_id
    ]
    form = forms.MoveForm(request.POST, rounds=meeting.rounds, employers=employers)
    back = _detail_url(meeting, f"gesprek-{conversation.uuid}")
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        moved = services.move(
            actor=actor,
            conversation=conversation,
            round_=form.cleaned_data["round"],
            employer_id=form.employer_id(),
        )
    except ValidationError as error:
        _refused(
            request,
            "move",
            conversation.uuid,
            _readable(actor, error),
            _("The move was refused; nothing was changed."),
        )
        return redirect(back)
    messages.success(
        request,
        _("Moved to round %(round)s at the table of %(table)s. This conversation is now fixed.")
        % {"round": moved.round, "table": form.employers[form.cleaned_data["table"]].name},
    )
    return redirect(back)


# --- On the day -----------------------------------------------------------------------------


@access_rule("meetings.view")
@require_POST
def check_in(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    invitation = access.get_for_view(
        Invitation.objects.select_related("meeting", "employer", "candidate"),
        actor,
        uuid,
        purpose="meetings",
    )
    back = _detail_url(invitation.meeting, f"aanwezig-{invitation.uuid}")
    form = forms.CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose arrived or absent."))
        return redirect(back)
    present = form.cleaned_data["present"]
    done = services.check_in(actor=actor, invitation=invitation, present=present)
    who = done.employer.name if done.employer_id else _candidate_label(actor, done.candidate)
    text = _("%(who)s has arrived.") if present else _("%(who)s is absent.")
    messages.success(request, text % {"who": who})
    return redirect(back)


@access_rule("meetings.view")
@require_POST
def outcome(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    conversation = access.get_for_view(
        Conversation.objects.select_related("meeting", "candidate"),
        actor,
        uuid,
        purpose="meetings",
    )
    back = _detail_url(conversation.meeting, f"uitkomst-{conversation.uuid}")
    form = forms.OutcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        done = services.record_outcome(
            actor=actor,
            conversation=conversation,
            outcome=form.cleaned_data["outcome"],
            follow_up=form.cleaned_data["follow_up"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _refused(request, "outcome", conversation.uuid, error, _("The outcome was not saved:"))
        return redirect(back)
    text = _("The outcome has been saved.")
    if done.action_id:
        action = done.action
        text += " " + _("Task for %(owner)s: “%(title)s”, due %(date)s.") % {
            "owner": action.owner,
            "title": action.title,
            "date": action.due_on.strftime("%d-%m-%Y"),
        }
    messages.success(request, text)
    return redirect(back)


# --- Answers recorded by staff, links sent again, table sizes ------------------------------


def _invitation(request: HttpRequest, uuid: Any) -> Invitation:
    return access.get_for_view(
        Invitation.objects.select_related("meeting", "employer", "candidate"),
        request.actor,  # type: ignore[attr-defined]
        uuid,
        purpose="meetings",
    )


def _who(actor: access.Actor, invitation: Invitation) -> str:
    if invitation.employer_id:
        return invitation.employer.name
    return _candidate_label(actor, invitation.candidate)


@access_rule("meetings.organise")
@require_POST
def record_answer(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Yes or no for someone who called or has no e-mail."""
    actor = request.actor  # type: ignore[attr-defined]
    invitation = _invitation(request, uuid)
    back = _detail_url(invitation.meeting, f"uitnodiging-{invitation.uuid}")
    form = forms.StaffAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        done = services.record_answer(
            actor=actor, invitation=invitation, coming=form.cleaned_data["coming"]
        )
    except ValidationError as error:
        _refused(request, "answer", invitation.uuid, error, _("The answer was not saved:"))
        return redirect(back)
    texts = {
        Response.YES: _("%(who)s is coming."),
        Response.NO: _("%(who)s is not coming."),
        Response.WAITING: _("All seats are taken: %(who)s is on the waiting list."),
    }
    messages.success(request, texts[done.response] % {"who": _who(actor, done)})
    return redirect(back)


@access_rule("meetings.organise")
@require_POST
def resend(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The invitation again, with a new link (the old one stops working)."""
    actor = request.actor  # type: ignore[attr-defined]
    invitation = _invitation(request, uuid)
    back = _detail_url(invitation.meeting, f"uitnodiging-{invitation.uuid}")
    try:
        services.resend_link(
            actor=actor,
            invitation=invitation,
            answer_url=request.build_absolute_uri(
                reverse("meetings:answer", kwargs={"token": "TOKEN"})
            ),
        )
    except ValidationError as error:
        _refused(request, "resend", invitation.uuid, error, _("Nothing was sent:"))
        return redirect(back)
    messages.success(
        request,
        _(
            "The invitation has been sent again to %(who)s, with a new link. The old link no "
            "longer works."
        )
        % {"who": _who(actor, invitation)},
    )
    return redirect(back)


@access_rule("meetings.organise")
@require_POST
def table_capacity(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    invitation = _invitation(request, uuid)
    back = _detail_url(invitation.meeting, f"uitnodiging-{invitation.uuid}")
    form = forms.TableCapacityForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        done = services.set_table_capacity(
            actor=actor, invitation=invitation, capacity=form.cleaned_data["table_capacity"]
        )
    except ValidationError as error:
        _refused(request, "table", invitation.uuid, error, _("The table size was not saved:"))
        return redirect(back)
    size = done.table_capacity or invitation.meeting.table_capacity
    messages.success(
        request,
        ngettext(
            "The table of %(who)s takes %(count)s candidate per round.",
            "The table of %(who)s takes %(count)s candidates per round.",
            size,
        )
        % {"who": done.employer.name, "count": size},
    )
    return redirect(back)


# --- Calling off, and after the day --------------------------------------------------------


@access_rule("meetings.organise")
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Ask why, say who will be told, then call the meeting off."""
    actor = request.actor  # type: ignore[attr-defined]
    meeting = _meeting(request, uuid)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(
                actor=actor, meeting=meeting, reason=form.cleaned_data["cancel_reason"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The meeting has been called off. Everyone who did not decline has been "
                    "told by e-mail; their answer links no longer work."
                ),
            )
            return redirect(_detail_url(meeting))
    invited = meeting.invitations.exclude(response=Response.NO)
    return render(
        request,
        "meetings/meeting_cancel.html",
        {
            "meeting": meeting,
            "form": form,
            "told": invited.exclude(email="").count(),
            "not_told": invited.filter(email="").count(),
            "closed": meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD),
        },
        status=400 if request.method == "POST" else 200,
    )


@access_rule("meetings.organise")
@require_POST
def mark_held(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    meeting = _meeting(request, uuid)
    try:
        services.mark_held(actor=actor, meeting=meeting)
    except ValidationError as error:
        _refused(request, "held", meeting.uuid, error, _("The meeting was not closed:"))
        return redirect(_detail_url(meeting))
    messages.success(
        request,
        _(
            "The meeting is marked as held. Conversations without an outcome count as held, "
            "except those of people who were absent; outcomes can still be recorded."
        ),
    )
    return redirect(_detail_url(meeting, "uitkomsten"))


urlpatterns = [
    path("bijeenkomsten/", meeting_list, name="list"),
    path("bijeenkomsten/nieuw/", meeting_create, name="create"),
    path("bijeenkomsten/<uuid:uuid>/", meeting_detail, name="detail"),
    path("bijeenkomsten/<uuid:uuid>/bewerken/", meeting_edit, name="edit"),
    path("bijeenkomsten/<uuid:uuid>/uitnodigen/", invite, name="invite"),
    path("bijeenkomsten/<uuid:uuid>/plannen/", plan, name="plan"),
    path("bijeenkomsten/<uuid:uuid>/annuleren/", cancel, name="cancel"),
    path("bijeenkomsten/<uuid:uuid>/gehouden/", mark_held, name="held"),
    path("gesprekken/<uuid:uuid>/verplaatsen/", move, name="move"),
    path("gesprekken/<uuid:uuid>/uitkomst/", outcome, name="outcome"),
    path("uitnodigingen/<uuid:uuid>/aanwezig/", check_in, name="check_in"),
    path("uitnodigingen/<uuid:uuid>/antwoord/", record_answer, name="record_answer"),
    path("uitnodigingen/<uuid:uuid>/opnieuw-sturen/", resend, name="resend"),
    path("uitnodigingen/<uuid:uuid>/tafel/", table_capacity, name="table_capacity"),
]
