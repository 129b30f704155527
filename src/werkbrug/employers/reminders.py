"""Reminders: once a day, every person gets one e-mail with the agreed actions that are due
(or overdue) and the employer questions that must be answered today. Actions of a colleague
who is away go to whoever stands in for them. The e-mail is queued in the outbox under the
person and the day, so a second run on the same day sends them nothing more."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from werkbrug.core import audit, outbox
from werkbrug.employers.models import Action, EmployerQuestion
from werkbrug.employers.norms import response_due
from werkbrug.employers.services import policy_for
from werkbrug.regions import services as region_services
from werkbrug.regions.models import Staff


@dataclass
class Digest:
    staff: Staff
    actions: list[Action] = field(default_factory=list)
    questions: list[EmployerQuestion] = field(default_factory=list)


def collect(*, on: dt.date) -> dict[int, Digest]:
    digests: dict[int, Digest] = {}

    def digest_for(staff: Staff) -> Digest:
        handler = region_services.acting_for(staff, on=on)
        return digests.setdefault(handler.pk, Digest(handler))

    actions = (
        Action.objects.filter(done_at__isnull=True, due_on__lte=on)
        .exclude(reminder_sent_on=on)
        .select_related("owner__user", "owner__substitute__user", "employer")
    )
    for action in actions:
        digest_for(action.owner).actions.append(action)
    questions = EmployerQuestion.objects.filter(answered_at__isnull=True).select_related(
        "assigned_to__user", "assigned_to__substitute__user", "employer"
    )
    norms: dict[int, object] = defaultdict(lambda: None)
    for question in questions:
        region_id = question.employer.region_id
        if norms[region_id] is None:
            norms[region_id] = policy_for(region_id)
        due = response_due(timezone.localtime(question.received_at), norm=norms[region_id])  # type: ignore[arg-type]
        if due.date() <= on:
            digest_for(question.assigned_to).questions.append(question)
    return digests


def _body(digest: Digest, on: dt.date) -> str:
    lines = [f"Goedemorgen {digest.staff.user.first_name or digest.staff},", ""]
    if digest.actions:
        lines.append("Afgesproken acties die vandaag of eerder af moesten:")
        for action in digest.actions:
            late = "" if action.due_on == on else f" (sinds {action.due_on:%d-%m-%Y})"
            lines.append(f"- {action.employer}: {action.title}{late}")
        lines.append("")
    if digest.questions:
        lines.append("Vragen van werkgevers die vandaag beantwoord moeten zijn:")
        for question in digest.questions:
            lines.append(f"- {question.employer}: {question.question[:80]}")
        lines.append("")
    lines.append("U vindt alles onder 'Mijn taken' in Werkbrug.")
    return "\n".join(lines)


@transaction.atomic
def send(*, on: dt.date | None = None) -> int:
    """Queue today's digests; returns the number of e-mails. Safe to run twice a day: a
    person gets one digest a day (the outbox key), and actions are marked reminded only with
    the digest that names them."""
    on = on or timezone.localdate()
    sent = 0
    with audit.acting_as(None, channel="task"):
        for digest in collect(on=on).values():
            email = digest.staff.user.email
            if not email or not (digest.actions or digest.questions):
                continue
            count = len(digest.actions) + len(digest.questions)
            message = EmailMessage(
                subject=f"Werkbrug: {count} {'taak' if count == 1 else 'taken'} voor vandaag",
                body=_body(digest, on),
                to=[email],
            )
            key = f"task-digest:{digest.staff.uuid}:{on.isoformat()}"
            if not outbox.queue(message, key=key, purpose="employers.task_digest"):
                continue  # this person had today's e-mail already; the actions come tomorrow
            for action in digest.actions:
                action.reminder_sent_on = on
                action.save(update_fields=["reminder_sent_on", "updated_at"])
            sent += 1
    return sent
