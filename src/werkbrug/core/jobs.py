"""Background jobs a person starts and follows (built on django-tasks).

    job = jobs.start(user=request.user, kind="audit_export", title=_("Export change log"),
                     task=export_change_log, parameters={...})

The task receives ``job_uuid`` and reports with ``jobs.progress(job_uuid, 40, "…")`` and ends
with ``jobs.finish(...)``; a failure is recorded by ``jobs.run`` so the person sees it. With the
database backend, ``werkbrug worker`` runs the tasks; in the demo they run immediately.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from werkbrug.core import audit
from werkbrug.core.models import BackgroundJob


def start(
    *, user: Any, kind: str, title: str, task: Any, parameters: dict[str, Any] | None = None
) -> BackgroundJob:
    job = BackgroundJob.objects.create(
        started_by=user, kind=kind, title=str(title), parameters=parameters or {}
    )
    job_uuid = str(job.uuid)
    transaction.on_commit(lambda: task.enqueue(job_uuid=job_uuid))
    return job


def run(job_uuid: str, work: Callable[[BackgroundJob], None]) -> None:
    """Run ``work`` for a job as the person who started it; record failure for them to see."""
    job = BackgroundJob.objects.select_related("started_by").get(uuid=job_uuid)
    job.status = BackgroundJob.Status.RUNNING
    job.save(update_fields=["status", "updated_at"])
    with audit.acting_as(job.started_by, channel="task"):
        try:
            work(job)
        except Exception as exc:
            BackgroundJob.objects.filter(pk=job.pk).update(
                status=BackgroundJob.Status.FAILED,
                message=f"{type(exc).__name__}: {exc}"[:300],
                finished_at=timezone.now(),
            )
            raise


def progress(job: BackgroundJob, percent: int, message: str = "") -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(
        progress=max(0, min(100, percent)), message=message[:300], updated_at=timezone.now()
    )


def finish(
    job: BackgroundJob,
    *,
    message: str,
    content: bytes | None = None,
    filename: str = "",
    content_type: str = "",
) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.DONE,
        progress=100,
        message=message[:300],
        result_file=content,
        result_filename=filename,
        result_content_type=content_type,
        finished_at=timezone.now(),
    )
