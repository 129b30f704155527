"""Adding a rule set: the one write of the rules app (the web form and the API both call it).

A rule set is never changed or deleted once saved: calculations refer to the set of their
date, so the history must stay as it was. A correction, or a new minimum wage, is a new set
from a date; the set in force on a day is chosen by ``rules.selectors.rule_set_on``.

Who: ``rules.manage`` (the functional administrator). A set holds nationally (``region``
empty) or for the administrator's own region only; one set per scope per day.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from werkbrug.core import access
from werkbrug.rules import parameters
from werkbrug.rules.models import RuleSet

MANAGE = "rules.manage"
#: The longest source line of one rule (the set's own source is a text of any length).
SOURCE_MAX_LENGTH = 500
NAME_MAX_LENGTH = 150  # RuleSet.name
#: A rule's source is reported under this name (the value under the rule's own name).
SOURCE_SUFFIX = "_source"


def source_field(name: str) -> str:
    """The name the source of rule ``name`` is reported (and entered in the form) under."""
    return f"{name}{SOURCE_SUFFIX}"


def value_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Each missing, non-numeric or out-of-range value by its rule's name (Dutch messages from
    ``rules.parameters``); empty when all are right."""
    try:
        parameters.from_mapping(values)
    except parameters.RuleValueError as error:
        return dict(error.problems)
    return {}


def _clean_sources(sources: Mapping[str, Any], problems: dict[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for name, text in sources.items():
        if name not in parameters.BY_NAME:
            problems.setdefault("sources", []).append(
                _("“%(name)s” is not a rule of a rule set.") % {"name": name}
            )
            continue
        line = " ".join(str(text or "").split())
        if len(line) > SOURCE_MAX_LENGTH:
            problems[source_field(name)] = _(
                "Keep the source to %(max)d characters (it has %(count)d)."
            ) % {"max": SOURCE_MAX_LENGTH, "count": len(line)}
        elif line:
            cleaned[name] = line
    return cleaned


def _same_day_exists(rule_set: RuleSet) -> bool:
    same_scope = (
        Q(region__isnull=True) if rule_set.region_id is None else Q(region_id=rule_set.region_id)
    )
    return RuleSet.objects.filter(same_scope, valid_from=rule_set.valid_from).exists()


def _duplicate_message(rule_set: RuleSet) -> str:
    day = f"{rule_set.valid_from:%d-%m-%Y}"
    if rule_set.region_id is None:
        return _(
            "There already is a national rule set from %(day)s. Rule sets are not changed: "
            "choose another date for the new set."
        ) % {"day": day}
    return _(
        "Your region already has a rule set from %(day)s. Rule sets are not changed: choose "
        "another date for the new set."
    ) % {"day": day}


@transaction.atomic
def save_rule_set(
    *,
    actor: access.Actor,
    rule_set: RuleSet,
    values: Mapping[str, Any],
    sources: Mapping[str, Any],
) -> RuleSet:
    """Save a new rule set: ``rule_set`` carries name, valid_from, region (None: national),
    source and notes; ``values`` maps each rule to its value (a string with a decimal point or
    comma, or a number), ``sources`` each rule to where its value comes from (optional).

    Every problem is reported at once, by field: ``name``, ``valid_from``, ``region``,
    ``source``, each rule's name, ``<rule>_source`` and ``sources`` (unknown rules). Nothing is
    saved then. The change is recorded in the change log (``AuditedModel``).
    """
    access.require(actor, MANAGE)
    if rule_set.pk is not None:
        raise ValidationError(
            _(
                "A rule set is never changed once saved: calculations refer to it. Add a new "
                "rule set from a date instead."
            )
        )
    problems: dict[str, Any] = {}
    rule_set.name = " ".join((rule_set.name or "").split())
    rule_set.source = (rule_set.source or "").strip()
    rule_set.notes = (rule_set.notes or "").strip()
    if not rule_set.name:
        problems["name"] = _("Give the rule set a name.")
    elif len(rule_set.name) > NAME_MAX_LENGTH:
        problems["name"] = _("Keep the name to %(max)d characters.") % {"max": NAME_MAX_LENGTH}
    if rule_set.valid_from is None:
        problems["valid_from"] = _("Give the date from which the rules hold.")
    if not rule_set.source:
        problems["source"] = _(
            "Say where the rules come from (a law, a regulation, a publication)."
        )
    if rule_set.region_id is not None and rule_set.region_id != actor.region_id:
        problems["region"] = _("You can only add national rules or rules for your own region.")
    problems.update(value_problems(values))
    cleaned_sources = _clean_sources(sources, problems)
    if "valid_from" not in problems and "region" not in problems and _same_day_exists(rule_set):
        problems["valid_from"] = _duplicate_message(rule_set)
    if problems:
        raise ValidationError(problems)

    rule_set.values = parameters.to_mapping(parameters.from_mapping(values))
    rule_set.sources = cleaned_sources
    rule_set.added_by_id = actor.staff_id
    try:
        with transaction.atomic():  # a set saved meanwhile for the same day: same answer
            rule_set.save()
    except IntegrityError as error:
        raise ValidationError({"valid_from": _duplicate_message(rule_set)}) from error
    return rule_set
