"""Background tasks of the monitoring app."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from werkbrug.core import audit
from werkbrug.monitoring import report_services
from werkbrug.monitoring.models import ReportSubscription


@task()
def send_council_report(subscription_uuid: str, start: str, end: str) -> bool:
    subscription = (
        ReportSubscription.objects.select_related("user", "municipality")
        .filter(uuid=subscription_uuid)
        .first()
    )
    if subscription is None:  # unsubscribed meanwhile
        return False
    with audit.acting_as(subscription.user, channel="task"):
        return report_services.send(
            subscription, start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end)
        )
