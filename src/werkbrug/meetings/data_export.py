"""The candidate's meetings in "Download my data": each invitation with the answer and
whether they came, and each conversation with its outcome and follow-up. These rows are
about the candidate, so the export shows them even where the candidate's portal does not."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.candidates import data_export
from werkbrug.candidates.models import Candidate
from werkbrug.core.access import Actor
from werkbrug.meetings.models import Conversation, Invitation


def invitations(candidate: Candidate, actor: Actor) -> list[dict[str, Any]]:
    rows = []
    for row in (
        Invitation.objects.filter(candidate=candidate)
        .select_related("meeting")
        .order_by("meeting__starts_at")
    ):
        item = {
            _("Meeting"): row.meeting.title,
            _("Date and time"): row.meeting.starts_at,
            _("Location"): row.meeting.location,
        }
        item.update(data_export.fields(row, ("email", "sent_at", "response", "responded_at")))
        item[_("Present")] = row.present
        rows.append(item)
    return rows


def conversations(candidate: Candidate, actor: Actor) -> list[dict[str, Any]]:
    rows = []
    for row in (
        Conversation.objects.filter(candidate=candidate)
        .select_related("meeting", "employer")
        .order_by("meeting__starts_at", "round")
    ):
        item = {
            _("Meeting"): row.meeting.title,
            _("Date and time"): row.meeting.starts_at,
            _("Employer"): row.employer.name,
        }
        item.update(data_export.fields(row, ("round", "held", "outcome", "follow_up", "note")))
        rows.append(item)
    return rows


def register() -> None:
    data_export.register_section(
        "meeting_invitations", gettext_lazy("Your invitations to meetings"), invitations
    )
    data_export.register_section(
        "meeting_conversations", gettext_lazy("Your conversations at meetings"), conversations
    )
