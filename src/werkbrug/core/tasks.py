"""Background tasks of the kernel."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django_tasks import task

from werkbrug.core import access, jobs, outbox
from werkbrug.core.models import BackgroundJob
from werkbrug.core.selectors import AuditFilter, change_log
from werkbrug.core.spreadsheets import spreadsheet_safe


@task()
def export_change_log(job_uuid: str) -> None:
    def work(job: BackgroundJob) -> None:
        actor = access.actor_for(job.started_by)
        params = job.parameters
        flt = AuditFilter(
            user=params.get("user", ""),
            action=params.get("action", ""),
        )
        entries = change_log(actor=actor, flt=flt)
        total = entries.count()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(
            ["tijdstip", "gebruiker", "actie", "soort", "record", "velden", "request-id"]
        )
        for index, entry in enumerate(entries.iterator(chunk_size=2000), start=1):
            writer.writerow(
                [
                    spreadsheet_safe(timezone.localtime(entry.at).strftime("%d-%m-%Y %H:%M:%S")),
                    spreadsheet_safe(entry.user_name),
                    entry.get_action_display(),
                    entry.content_type.name,
                    spreadsheet_safe(entry.object_repr),
                    spreadsheet_safe(", ".join(entry.changed_fields)),
                    entry.request_id,
                ]
            )
            if index % 2000 == 0:
                jobs.progress(job, int(index * 100 / max(total, 1)), f"{index} van {total}")
        jobs.finish(
            job,
            message=f"{total} regels",
            content=buffer.getvalue().encode("utf-8-sig"),
            filename=f"wijzigingslog-{timezone.localdate():%Y%m%d}.csv",
            content_type="text/csv; charset=utf-8",
        )

    jobs.run(job_uuid, work)


@task()
def deliver_outgoing_email(email_uuid: str) -> str:
    """Deliver one message of the e-mail outbox (queued by ``outbox.queue`` on commit)."""
    return outbox.deliver(email_uuid)
