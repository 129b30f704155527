"""Writes around the council report: subscribing to it by e-mail, and sending it every month
(``werkbrug send-council-reports`` queues one task per subscription; the task builds the report
as the subscriber, so they never receive more than they may see)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import access, outbox
from werkbrug.monitoring.models import ReportSubscription
from werkbrug.regions.models import Municipality

VIEW = "monitoring.view"


def _require(actor: access.Actor) -> None:
    if not access.can(actor, VIEW) or not actor.region_id:
        raise PermissionDenied(VIEW)


def subscribe(*, actor: access.Actor, municipality: Municipality | None) -> ReportSubscription:
    """Receive the monthly report of the region or one of its municipalities (once)."""
    _require(actor)
    if municipality is not None and municipality.region_id != actor.region_id:
        raise ValidationError({"gemeente": _("Choose a municipality of your own region.")})
    from werkbrug.accounts.models import User

    if not User.objects.filter(pk=actor.user_id).exclude(email="").exists():
        raise ValidationError(
            {"gemeente": _("Your account has no e-mail address; add one in your profile first.")}
        )
    with transaction.atomic():
        found, _created = ReportSubscription.objects.get_or_create(
            user_id=actor.user_id, region_id=actor.region_id, municipality=municipality
        )
    return found


def unsubscribe(*, actor: access.Actor, subscription: ReportSubscription) -> None:
    if subscription.user_id != actor.user_id:
        raise PermissionDenied("own subscriptions only")
    with transaction.atomic():
        subscription.delete()


def month_before(today: dt.date) -> tuple[dt.date, dt.date]:
    """The report sent in a month covers the year so far up to the end of the month before
    (in January: the whole previous year)."""
    end = today.replace(day=1)
    last = end - dt.timedelta(days=1)
    return dt.date(last.year, 1, 1), end


def queue_monthly(*, today: dt.date | None = None) -> int:
    """Queue the report of the month before for every subscription that has not had it."""
    from werkbrug.monitoring.tasks import send_council_report

    today = today or timezone.localdate()
    start, end = month_before(today)
    due = ReportSubscription.objects.filter(user__is_active=True).exclude(last_sent_for=end)
    count = 0
    for subscription in due.iterator():
        uuid = str(subscription.uuid)
        transaction.on_commit(
            lambda uuid=uuid: send_council_report.enqueue(
                subscription_uuid=uuid, start=start.isoformat(), end=end.isoformat()
            )
        )
        count += 1
    return count


def send(subscription: ReportSubscription, *, start: dt.date, end: dt.date) -> bool:
    """Build the report as the subscriber and e-mail it with the PDF and the workbook; False
    (and nothing sent) when they may no longer see results or it was sent already. The
    e-mail is queued in the outbox (once per subscription and period) in the transaction
    that records it as sent."""
    from werkbrug.monitoring import reports
    from werkbrug.monitoring.report_pdf import report_pdf
    from werkbrug.monitoring.report_xlsx import report_xlsx

    if subscription.last_sent_for == end:
        return False
    actor = access.actor_for(subscription.user)
    if not access.can(actor, VIEW) or actor.region_id != subscription.region_id:
        return False
    report = reports.council_report(
        actor, municipality=subscription.municipality, start=start, end=end, today=end
    )
    message = EmailMessage(
        subject=report.title,
        body=_(
            "Hello %(name)s,\n\nAttached is the monthly report “%(title)s”: the figures, the "
            "targets and what changed, as PDF and as a workbook.\n\n%(summary)s\n\nYou receive "
            "this because you asked for it in Werkbrug (Results → Council report); you can stop "
            "it there.\n\nWerkbrug"
        )
        % {
            "name": subscription.user.get_full_name() or subscription.user.get_username(),
            "title": report.title,
            "summary": "\n".join(f"- {line}" for line in report.summary),
        },
        to=[subscription.user.email],
    )
    message.attach(f"{report.file_stem}.pdf", report_pdf(report), "application/pdf")
    message.attach(
        f"{report.file_stem}.xlsx",
        report_xlsx(report),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    with transaction.atomic():
        outbox.queue(
            message,
            key=f"council-report:{subscription.uuid}:{start.isoformat()}:{end.isoformat()}",
            purpose="monitoring.council_report",
        )
        ReportSubscription.objects.filter(pk=subscription.pk).update(last_sent_for=end)
    return True
