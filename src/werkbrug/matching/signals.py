"""Write a journal row whenever something matching depends on changes (see index.py).

The row is written inside the same transaction as the change, so a rolled-back change leaves
no trace and a committed one is never missed by another process."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from werkbrug.candidates.models import Candidate, CandidateLanguage, WorkExperience
from werkbrug.employers.models import Employer, WorkOpportunity
from werkbrug.matching.models import IndexChange

Entity = IndexChange.Entity


def _journal(region_id: int | None, entity: str, object_id: int | None) -> None:
    if region_id is not None and object_id is not None:
        IndexChange.objects.create(region_id=region_id, entity=entity, object_id=object_id)


@receiver([post_save, post_delete], sender=Candidate)
def _candidate(sender: Any, instance: Candidate, **kwargs: Any) -> None:
    _journal(instance.region_id, Entity.CANDIDATE, instance.pk)


@receiver([post_save, post_delete], sender=WorkExperience)
@receiver([post_save, post_delete], sender=CandidateLanguage)
def _candidate_part(sender: Any, instance: Any, **kwargs: Any) -> None:
    region_id = (
        Candidate.objects.filter(pk=instance.candidate_id)
        .values_list("region_id", flat=True)
        .first()
    )
    _journal(region_id, Entity.CANDIDATE, instance.candidate_id)


def _candidate_m2m(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Candidate):
        _journal(instance.region_id, Entity.CANDIDATE, instance.pk)
        return
    # Changed from the taxonomy side (rare): journal every candidate touched.
    for pk, region_id in Candidate.objects.filter(pk__in=kwargs.get("pk_set") or ()).values_list(
        "pk", "region_id"
    ):
        _journal(region_id, Entity.CANDIDATE, pk)


for _through in (
    Candidate.skills.through,
    Candidate.wished_skills.through,
    Candidate.wished_occupations.through,
):
    m2m_changed.connect(_candidate_m2m, sender=_through, dispatch_uid=f"matching-{_through}")


@receiver([post_save, post_delete], sender=WorkOpportunity)
def _opportunity(sender: Any, instance: WorkOpportunity, **kwargs: Any) -> None:
    region_id = (
        Employer.objects.filter(pk=instance.employer_id).values_list("region_id", flat=True).first()
    )
    _journal(region_id, Entity.OPPORTUNITY, instance.pk)


@receiver(m2m_changed, sender=WorkOpportunity.skills.through)
def _opportunity_skills(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(
        instance, WorkOpportunity
    ):
        _opportunity(sender, instance)


@receiver([post_save, post_delete], sender=Employer)
def _employer(sender: Any, instance: Employer, **kwargs: Any) -> None:
    _journal(instance.region_id, Entity.EMPLOYER, instance.pk)
