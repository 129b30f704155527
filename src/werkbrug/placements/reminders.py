"""The daily aftercare reminder: every person who looks after placements gets one e-mail with
the check-ins due (and overdue) and the placements whose planned end is near (the next step
must be decided). While someone is away it goes to whoever stands in for them.

The mail names the job and the employer, never the candidate: e-mail leaves Werkbrug; the
link opens the placement (through the scope rule). The e-mail is queued in the outbox under the
person and the day: once a day at most."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import outbox
from werkbrug.placements.models import AftercareCheck, PlacementStatus
from werkbrug.regions import services as region_services


def send(*, base_url: str, on: dt.date | None = None) -> int:
    on = on or timezone.localdate()
    due = (
        AftercareCheck.objects.filter(
            done_on__isnull=True,
            due_on__lte=on,
            placement__status__in=[PlacementStatus.PLANNED, PlacementStatus.RUNNING],
        )
        .exclude(reminded_on=on)
        .select_related(
            "placement__owner__user", "placement__owner__substitute__user", "placement__employer"
        )
        .order_by("due_on", "id")
    )
    per_person: dict[int, tuple[object, list[AftercareCheck]]] = {}
    grouped: dict[int, list[AftercareCheck]] = defaultdict(list)
    for check in due:
        handler = region_services.acting_for(check.placement.owner, on=on)
        per_person.setdefault(handler.pk, (handler, grouped[handler.pk]))
        grouped[handler.pk].append(check)
    sent = 0
    for handler, checks in per_person.values():
        if not handler.user.email:  # type: ignore[attr-defined]
            continue
        lines = []
        for c in checks:
            p = c.placement
            url = base_url + reverse("placements:detail", kwargs={"uuid": p.uuid})
            what = c.kind_label
            if c.kind == AftercareCheck.Kind.BEFORE_END and p.planned_end_on:
                what = _("Ends on %(date)s: decide the next step") % {
                    "date": p.planned_end_on.strftime("%d-%m-%Y")
                }
            lines.append(f"- {c.due_on:%d-%m-%Y} {what}: {p.job_title}, {p.employer.name}\n  {url}")
        message = EmailMessage(
            subject=_("Aftercare today: %(count)s") % {"count": len(checks)},
            body=_("Good morning,\n\nThese aftercare check-ins are due:\n\n%(lines)s\n\nWerkbrug")
            % {"lines": "\n".join(lines)},
            to=[handler.user.email],  # type: ignore[attr-defined]
        )
        key = f"aftercare-digest:{handler.uuid}:{on.isoformat()}"  # type: ignore[attr-defined]
        with transaction.atomic():
            if not outbox.queue(message, key=key, purpose="placements.aftercare_digest"):
                continue  # this person had today's e-mail already; these come tomorrow
            AftercareCheck.objects.filter(pk__in=[c.pk for c in checks]).update(reminded_on=on)
        sent += 1
    return sent
