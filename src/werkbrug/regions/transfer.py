"""Moving a region between installations: every record of one region out to a JSON file, and
such a file into another installation (``werkbrug export-region`` / ``werkbrug import-region``).

What the file holds, and the decisions behind it (docs/operations.md, "Moving a region"):

* **Identities are UUIDs.** Integer ids never leave the database; a record refers to another
  by the other's UUID, so the file imports into an installation that already holds other
  regions. Many-to-many links are lists of UUIDs.
* **Shared data is referred to by its natural key**, never copied: occupations and tasks by
  their URI, national rule sets by the day they start, a municipality of another region by its
  CBS code. The target installation must have them.
* **Personal data is in the file in the clear.** Encrypted values are decrypted on export and
  encrypted again with the target installation's key on import; the BSN pseudonym, the survey
  registry's person keys and the benefit events' pseudonyms are recomputed with the target's
  pseudonym key. The export command asks for an explicit acknowledgement and writes the file
  readable by its owner only.
* **Log-ins move without secrets.** Users are exported without password hashes, two-factor
  devices and API tokens. On import everyone gets a random password nobody knows: they set a
  new one with "Forgot password" and set up two-factor authentication again. Installation
  rights (superuser, admin site) are not carried over.
* **The audit trail stays where it was written.** The change log and the access log belong to
  the installation whose users acted; they are append-only and kept there for their retention
  period. The export writes an access-log entry for every person record it discloses; the
  import writes one change-log entry standing for the whole import.
* **Derived data is rebuilt, not moved:** KPI values are recomputed after the import, and the
  matching index is built on first use.

The import is one transaction: a file that is broken, of another format version, refers to a
record it does not contain, or names a region, record or user name that already exists is
refused with a message naming the record, and nothing is written.

``EXPORTED`` and ``EXCLUDED`` together name every model of the installation; a test fails when
a model is added to neither.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import secrets
import uuid as uuid_module
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit, pseudonymisation
from werkbrug.core.bsn import protect_bsn, reveal_bsn

FORMAT = "werkbrug-region"
FORMAT_VERSION = 1

#: Every model whose records belong to a region, with the lookup from the model to the
#: region's primary key. Users (and their roles) are the log-ins these records refer to.
EXPORTED: dict[str, str] = {
    "regions.Region": "pk",
    "regions.Municipality": "region",
    "regions.Organisation": "region",
    "regions.Team": "organisation__region",
    "regions.Staff": "organisation__region",
    "accounts.User": "",  # the users the region's records refer to (see _referenced_users)
    "accounts.RoleGrant": "",  # the roles of those users
    "employers.Employer": "region",
    "employers.ContactPerson": "employer__region",
    "employers.ContactMoment": "employer__region",
    "employers.Action": "employer__region",
    "employers.EmployerQuestion": "employer__region",
    "employers.WorkOpportunity": "employer__region",
    "employers.OpportunityStatusChange": "opportunity__employer__region",
    "employers.EmployerPolicy": "region",
    "candidates.Candidate": "region",
    "candidates.LadderStepChange": "candidate__region",
    "candidates.CandidateLanguage": "candidate__region",
    "candidates.WorkExperience": "candidate__region",
    "candidates.TargetGroupMembership": "candidate__region",
    "candidates.HealthProfile": "candidate__region",
    "candidates.Consent": "candidate__region",
    "candidates.HandoverBatch": "municipality__region",
    "candidates.Handover": "candidate__region",
    "candidates.CandidateContact": "candidate__region",
    "candidates.Appointment": "candidate__region",
    "candidates.ServiceEpisode": "candidate__region",
    "candidates.Return": "candidate__region",
    "candidates.Signal": "candidate__region",
    "candidates.CandidatePolicy": "region",
    "matching.ShortlistEntry": "candidate__region",
    "matching.MatchEvent": "region",
    "meetings.Meeting": "region",
    "meetings.Invitation": "meeting__region",
    "meetings.Conversation": "meeting__region",
    "rules.RuleSet": "region",
    "placements.Placement": "region",
    "placements.AftercareCheck": "placement__region",
    "placements.AftercarePolicy": "region",
    "placements.InstrumentGrant": "placement__region",
    "placements.LoonwaardeAssessment": "placement__region",
    "placements.JobcoachAssignment": "candidate__region",
    "placements.BenefitEvent": "municipality__region",
    "monitoring.Programme": "region",
    "monitoring.Target": "programme__region",
    "monitoring.TimeEntry": "programme__region",
    "monitoring.Observation": "region",
    "monitoring.ReportSubscription": "region",
    "evaluation.Survey": "region",
    "evaluation.Invitation": "survey__region",
    "evaluation.Response": "survey__region",
    "evaluation.ControlGroup": "region",
    "evaluation.ControlGroupMember": "control_group__region",
    "evaluation.Complaint": "region",
    "privacy.RetentionPolicy": "region",
    "privacy.RetentionRun": "region",
    "privacy.DataSubjectRequest": "region",
    "privacy.RequestEvent": "request__region",
}

#: Models deliberately left out, and why.
EXCLUDED: dict[str, str] = {
    "admin.LogEntry": "the admin site's history of this installation",
    "auth.Permission": "created by the migrations of every installation",
    "auth.Group": "not used for access (roles are RoleGrant rows)",
    "contenttypes.ContentType": "created by the migrations of every installation",
    "sessions.Session": "log-ins on this installation",
    "authtoken.Token": "API keys are secrets; holders create new ones on the target",
    "otp_totp.TOTPDevice": "two-factor secrets; everyone sets up two-factor again",
    "axes.AccessAttempt": "log-in throttling of this installation",
    "axes.AccessAttemptExpiration": "log-in throttling of this installation",
    "axes.AccessFailureLog": "log-in throttling of this installation",
    "axes.AccessLog": "log-in history of this installation",
    "django_tasks_database.DBTaskResult": "the task queue of this installation",
    "core.ChangeLogEntry": "the audit trail stays with the installation that wrote it",
    "core.AccessLogEntry": "the audit trail stays with the installation that wrote it",
    "core.BackgroundJob": "running jobs and their downloads, on this installation only",
    "core.OutgoingEmail": "the mail queue of this installation, not region data",
    "matching.IndexChange": "journal of the in-memory matching index; rebuilt on first use",
    "monitoring.KpiValue": "derived; recomputed after the import",
    "monitoring.KpiRefresh": "derived; recomputed after the import",
    "taxonomy.Occupation": "shared code list; referred to by URI",
    "taxonomy.Skill": "shared code list; referred to by URI",
    "taxonomy.OccupationSkill": "shared code list",
}

#: Records outside the region, referred to by a natural key instead of being exported: the
#: shared code lists, the national rule sets (a region's own are in the file), and
#: municipalities of another region by their CBS code (a cooperation in one region may list
#: members that lie in another). The target installation must have them.
SHARED_KEYS: dict[str, str] = {
    "taxonomy.Occupation": "uri",
    "taxonomy.Skill": "uri",
    "rules.RuleSet": "valid_from",
    "regions.Municipality": "cbs_code",
}

#: Fields not written as they are stored, with what the file holds instead.
SPECIAL_FIELDS: dict[str, frozenset[str]] = {
    "accounts.User": frozenset({"password"}),  # "password_usable" instead
    "candidates.Candidate": frozenset({"bsn_pseudonym", "bsn_encrypted"}),  # "bsn"
    "meetings.Invitation": frozenset({"token_hash"}),  # recomputed from the uuid
    "evaluation.Invitation": frozenset({"token_hash"}),  # recomputed from the uuid
}
#: Many-to-many fields left out (Django's own permission system is not used).
SKIPPED_M2M: dict[str, frozenset[str]] = {
    "accounts.User": frozenset({"groups", "user_permissions"}),
}

_BATCH = 500


class TransferError(Exception):
    """A region cannot be exported or a file cannot be imported; the message says why."""


# --- The pure part: the document, its checks and the insertion order -------------------------


@dataclass(frozen=True)
class ModelShape:
    """What the document checks need to know of one model, as plain data."""

    has_uuid: bool
    #: field name -> label of the model the field refers to (foreign keys and one-to-ones)
    references: Mapping[str, str]
    #: many-to-many field name -> label of the model it refers to
    many: Mapping[str, str]
    #: foreign keys that may be empty
    nullable: frozenset[str]


def insertion_order(shapes: Mapping[str, ModelShape]) -> list[str]:
    """An order in which every model comes after the models its required references point to
    (optional references and references to itself are filled in afterwards); stable: among
    models that could go next, the earliest in ``shapes`` goes first."""
    labels = list(shapes)
    needs = {
        label: {
            target
            for name, target in shape.references.items()
            if name not in shape.nullable and target in shapes and target != label
        }
        for label, shape in shapes.items()
    }
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(labels):
        ready = [label for label in labels if label not in placed and needs[label] <= placed]
        if not ready:
            stuck = sorted(set(labels) - placed)
            raise ValueError(f"Required references form a cycle among {', '.join(stuck)}.")
        order.append(ready[0])
        placed.add(ready[0])
    return order


def check_document(document: Any, shapes: Mapping[str, ModelShape]) -> list[str]:
    """Every problem of a parsed export file, without looking at any database: the format and
    its version, the layout, and references to records the file does not contain. Returns
    messages naming the record; empty when the file is sound."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return [_("This is not a Werkbrug region export.")]
    version = document.get("version")
    if version != FORMAT_VERSION:
        return [
            _("This file has format version %(found)s; this installation reads version %(wanted)s.")
            % {"found": version, "wanted": FORMAT_VERSION}
        ]
    records = document.get("records")
    if not isinstance(records, dict):
        return [_("The file has no records.")]
    problems: list[str] = []
    unknown = sorted(set(records) - set(shapes))
    if unknown:
        problems.append(
            _("The file holds records of a kind this installation does not know: %(kinds)s.")
            % {"kinds": ", ".join(unknown)}
        )
    regions = records.get("regions.Region")
    if not isinstance(regions, list) or len(regions) != 1:
        problems.append(_("The file must hold exactly one region."))
    present: dict[str, set[str]] = defaultdict(set)
    for label, rows in records.items():
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            problems.append(_("%(kind)s: the records are not a list.") % {"kind": label})
            continue
        if label in shapes and shapes[label].has_uuid:
            for number, row in enumerate(rows, start=1):
                if not isinstance(row.get("uuid"), str):
                    problems.append(
                        _("%(kind)s record %(number)s has no uuid.")
                        % {"kind": label, "number": number}
                    )
                else:
                    present[label].add(row["uuid"])
    for label, rows in records.items():
        shape = shapes.get(label)
        if shape is None or not isinstance(rows, list):
            continue
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                continue
            name_of_row = row.get("uuid") or f"#{number}"
            links = [(name, target, row.get(name)) for name, target in shape.references.items()]
            for name, target in shape.many.items():
                values = row.get(name) or []
                links.extend((name, target, value) for value in values)
            for name, target, value in links:
                if value is None or isinstance(value, dict):
                    continue  # empty, or shared data found by its key (checked on import)
                if value not in present[target]:
                    problems.append(
                        _(
                            "%(kind)s %(record)s: %(field)s refers to %(target)s %(value)s, "
                            "which is not in the file."
                        )
                        % {
                            "kind": label,
                            "record": name_of_row,
                            "field": name,
                            "target": target,
                            "value": value,
                        }
                    )
    return problems


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid_module.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


# --- The models, read from Django ----------------------------------------------------------


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _label(model: Any) -> str:
    return str(model._meta.label)


def _references(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.many_to_one or (f.is_relation and f.one_to_one)
    ]


def _many(model: type[models.Model]) -> list[models.ManyToManyField[Any, Any]]:
    skipped = SKIPPED_M2M.get(_label(model), frozenset())
    return [f for f in model._meta.many_to_many if f.name not in skipped]  # type: ignore[misc]


def _plain_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    special = SPECIAL_FIELDS.get(_label(model), frozenset())
    return [
        f
        for f in model._meta.concrete_fields
        if not f.is_relation and not f.primary_key and f.name not in special
    ]


def model_shapes() -> dict[str, ModelShape]:
    """The shape of every exported model, in the order of ``EXPORTED``."""
    shapes: dict[str, ModelShape] = {}
    for label in EXPORTED:
        model = _model(label)
        refs = _references(model)
        shapes[label] = ModelShape(
            has_uuid=any(f.name == "uuid" for f in model._meta.concrete_fields),
            references={f.name: _label(f.related_model) for f in refs},
            many={f.name: _label(f.related_model) for f in _many(model)},
            nullable=frozenset(f.name for f in refs if f.null),
        )
    return shapes


def unlisted_models() -> list[str]:
    """Models of the installation that are neither exported nor deliberately excluded."""
    labels = {_label(m) for m in apps.get_models() if not m._meta.proxy}
    return sorted(labels - set(EXPORTED) - set(EXCLUDED))


def find_region(code_or_uuid: str) -> Any:
    Region = _model("regions.Region")
    try:
        key = uuid_module.UUID(code_or_uuid)
    except ValueError:
        region = Region._base_manager.filter(code=code_or_uuid).first()
    else:
        region = Region._base_manager.filter(uuid=key).first()
    if region is None:
        raise TransferError(_("There is no region %(region)s.") % {"region": code_or_uuid})
    return region


def pseudonym_key_check() -> str:
    """A fingerprint of the pseudonym key (an HMAC of a fixed text): tells two installations
    with the same key apart from two with different keys, and reveals nothing of the key."""
    return pseudonymisation.pseudonym("werkbrug", key=settings.PSEUDONYM_KEY, purpose="key-check")


def _person_key(kind: str, record_uuid: str) -> str:
    """The survey registry's pseudonym of a person (evaluation.services.person_key)."""
    return pseudonymisation.pseudonym(
        f"{kind}:{record_uuid}", key=settings.PSEUDONYM_KEY, purpose="evaluation"
    )


# --- Export --------------------------------------------------------------------------------


@dataclass
class Exported:
    document: dict[str, Any]
    counts: dict[str, int]


def export_region(*, region: Any) -> Exported:
    """Every record of ``region`` as a document (see the module docstring). Reads only; writes
    an access-log entry (action "export") for every person record disclosed."""
    shapes = model_shapes()
    rows: dict[str, list[dict[str, Any]]] = {}
    ids: dict[str, dict[int, str]] = {}
    for label, lookup in EXPORTED.items():
        if not lookup:
            continue
        model = _model(label)
        names = [f.attname for f in model._meta.concrete_fields]
        found = list(
            model._base_manager.filter(**{lookup: region.pk}).order_by("pk").values(*names)
        )
        rows[label] = found
        if shapes[label].has_uuid:
            ids[label] = {row["id"]: str(row["uuid"]) for row in found}
    _add_users(rows, ids, shapes)
    shared = _shared_keys(rows, ids)
    many = _many_links(rows, ids, shared)

    records: dict[str, list[dict[str, Any]]] = {}
    for label in EXPORTED:
        model = _model(label)
        out = []
        for row in rows[label]:
            record = {f.name: _to_json(row[f.attname]) for f in _plain_fields(model)}
            for f in _references(model):
                record[f.name] = _reference(label, row, f, ids, shared)
            for name, values in many.get(label, {}).get(row.get("id"), {}).items():
                record[name] = values
            for name in shapes[label].many:
                record.setdefault(name, [])
            out.append(record)
        records[label] = out
    _export_special(records, rows)
    _log_disclosure(rows)
    counts = {label: len(out) for label, out in records.items()}
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "warning": (
            "This file contains personal data in the clear (names, BSNs, health). Keep it "
            "encrypted, move it over a secure channel and delete it after the import."
        ),
        "exported_at": timezone.now().isoformat(),
        "region": {"uuid": str(region.uuid), "code": region.code, "name": region.name},
        "pseudonym_key_check": pseudonym_key_check(),
        "counts": counts,
        "records": records,
    }
    return Exported(document=document, counts=counts)


def _add_users(
    rows: dict[str, list[dict[str, Any]]],
    ids: dict[str, dict[int, str]],
    shapes: Mapping[str, ModelShape],
) -> None:
    """The users the region's records refer to, and their roles."""
    user_ids: set[int] = set()
    for label, found in rows.items():
        model = _model(label)
        for f in _references(model):
            if _label(f.related_model) == "accounts.User":
                user_ids.update(row[f.attname] for row in found if row[f.attname] is not None)
    User = _model("accounts.User")
    names = [f.attname for f in User._meta.concrete_fields]
    rows["accounts.User"] = list(
        User._base_manager.filter(pk__in=user_ids).order_by("pk").values(*names)
    )
    ids["accounts.User"] = {row["id"]: str(row["uuid"]) for row in rows["accounts.User"]}
    RoleGrant = _model("accounts.RoleGrant")
    names = [f.attname for f in RoleGrant._meta.concrete_fields]
    rows["accounts.RoleGrant"] = list(
        RoleGrant._base_manager.filter(user_id__in=user_ids).order_by("pk").values(*names)
    )
    ids["accounts.RoleGrant"] = {row["id"]: str(row["uuid"]) for row in rows["accounts.RoleGrant"]}


def _shared_keys(
    rows: dict[str, list[dict[str, Any]]], ids: dict[str, dict[int, str]]
) -> dict[str, dict[int, dict[str, Any]]]:
    """For every shared record referred to: its natural key, e.g. {"uri": "..."}."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for label, found in rows.items():
        model = _model(label)
        for f in _references(model):
            target = _label(f.related_model)
            if target in SHARED_KEYS:
                wanted[target].update(
                    row[f.attname]
                    for row in found
                    if row[f.attname] is not None and row[f.attname] not in ids.get(target, {})
                )
        for m in _many(model):
            target = _label(m.related_model)
            if target in SHARED_KEYS:
                through = m.remote_field.through
                source = f"{m.m2m_field_name()}_id"
                other = f"{m.m2m_reverse_field_name()}_id"
                wanted[target].update(
                    through._base_manager.filter(
                        **{f"{source}__in": [row["id"] for row in found]}
                    ).values_list(other, flat=True)
                )
    keys: dict[str, dict[int, dict[str, Any]]] = {}
    for target, pks in wanted.items():
        key = SHARED_KEYS[target]
        queryset = _model(target)._base_manager.filter(pk__in=pks)
        if target == "rules.RuleSet":
            queryset = queryset.filter(region__isnull=True)
        keys[target] = {
            pk: {key: _to_json(value)}
            for pk, value in queryset.values_list("pk", key)
            if value is not None
        }
    return keys


def _reference(
    label: str,
    row: dict[str, Any],
    f: models.Field[Any, Any],
    ids: dict[str, dict[int, str]],
    shared: dict[str, dict[int, dict[str, Any]]],
) -> Any:
    value = row[f.attname]
    if value is None:
        return None
    target = _label(f.related_model)
    if value in ids.get(target, {}):
        return ids[target][value]
    if value in shared.get(target, {}):
        return shared[target][value]
    raise TransferError(
        _(
            "%(kind)s %(record)s: %(field)s refers to a record of another region "
            "(%(target)s, internal id %(id)s); correct it before exporting."
        )
        % {
            "kind": label,
            "record": row.get("uuid") or row.get("id"),
            "field": f.name,
            "target": target,
            "id": value,
        }
    )


def _many_links(
    rows: dict[str, list[dict[str, Any]]],
    ids: dict[str, dict[int, str]],
    shared: dict[str, dict[int, dict[str, Any]]],
) -> dict[str, dict[int, dict[str, list[Any]]]]:
    """label -> record id -> many-to-many field -> the uuids (or shared keys) it links to."""
    links: dict[str, dict[int, dict[str, list[Any]]]] = defaultdict(lambda: defaultdict(dict))
    for label, found in rows.items():
        model = _model(label)
        for m in _many(model):
            through = m.remote_field.through
            if not through._meta.auto_created:
                raise TransferError(f"{label}.{m.name}: a many-to-many with its own model.")
            target = _label(m.related_model)
            source = f"{m.m2m_field_name()}_id"
            other = f"{m.m2m_reverse_field_name()}_id"
            pairs = through._base_manager.filter(
                **{f"{source}__in": [row["id"] for row in found]}
            ).order_by("pk")
            for owner, linked in pairs.values_list(source, other):
                key: Any = ids.get(target, {}).get(linked) or shared.get(target, {}).get(linked)
                if key is None:
                    raise TransferError(
                        _(
                            "%(kind)s %(record)s: %(field)s refers to a record of another "
                            "region (%(target)s, internal id %(id)s); correct it before "
                            "exporting."
                        )
                        % {
                            "kind": label,
                            "record": ids.get(label, {}).get(owner, owner),
                            "field": m.name,
                            "target": target,
                            "id": linked,
                        }
                    )
                links[label][owner].setdefault(m.name, []).append(key)
    return links


def _export_special(
    records: dict[str, list[dict[str, Any]]], rows: dict[str, list[dict[str, Any]]]
) -> None:
    for record, row in zip(records["accounts.User"], rows["accounts.User"], strict=True):
        record["password_usable"] = not (row["password"] or "").startswith(UNUSABLE_PASSWORD_PREFIX)
    by_pseudonym: dict[str, str] = {}
    for record, row in zip(
        records["candidates.Candidate"], rows["candidates.Candidate"], strict=True
    ):
        bsn = reveal_bsn(row["bsn_encrypted"]) if row["bsn_encrypted"] else ""
        record["bsn"] = bsn or None
        if bsn:
            by_pseudonym[row["bsn_pseudonym"]] = record["uuid"]
        else:  # erased: the pseudonym is a random marker, not derived from a key
            record["bsn_pseudonym"] = row["bsn_pseudonym"]
    for record in records["placements.BenefitEvent"]:
        person = by_pseudonym.get(record["bsn_pseudonym"])
        record["candidate"] = person
        if person is not None:
            del record["bsn_pseudonym"]


def _log_disclosure(rows: dict[str, list[dict[str, Any]]]) -> None:
    purpose = "Region export for moving to another installation"
    for label, found in rows.items():
        model = _model(label)
        if getattr(model, "audit_personal_data", False) and found:
            pks = [row["id"] for row in found]
            for start in range(0, len(pks), 2000):
                instances = list(model._base_manager.filter(pk__in=pks[start : start + 2000]))
                audit.log_accesses(instances, purpose=purpose, action="export")


def dump(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


# --- Import --------------------------------------------------------------------------------


@dataclass
class Imported:
    region: Any
    counts: dict[str, int]
    #: Benefit events of people outside the region's caseload whose pseudonym cannot be
    #: recomputed under this installation's key; they are left out.
    skipped_benefit_events: int = 0
    kpi_values: int = 0
    notes: list[str] = field(default_factory=list)


def parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise TransferError(
            _("The file is not complete or not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ) from None


def import_region(*, document: Any, source_name: str = "", refresh_kpis: bool = True) -> Imported:
    """Create the region of ``document`` with all its records, in one transaction."""
    shapes = model_shapes()
    problems = check_document(document, shapes)
    if problems:
        raise TransferError(_join(problems))
    try:
        with transaction.atomic():
            result = _Importer(document, shapes).run()
            audit.record_summary(
                result.region,
                note=(
                    f"Imported from another installation ({source_name or 'file'}): "
                    f"{sum(result.counts.values())} records."
                ),
            )
    except (IntegrityError, ValidationError) as error:
        raise TransferError(
            _("The records conflict with the data of this installation: %(error)s")
            % {"error": error}
        ) from None
    if refresh_kpis:
        from werkbrug.monitoring import services as monitoring_services

        result.kpi_values = monitoring_services.refresh(region_id=result.region.pk).values
    return result


def _join(problems: list[str], limit: int = 10) -> str:
    shown = problems[:limit]
    if len(problems) > limit:
        shown.append(_("… and %(count)s more problems.") % {"count": len(problems) - limit})
    return "\n".join(shown)


class _Importer:
    def __init__(self, document: dict[str, Any], shapes: Mapping[str, ModelShape]) -> None:
        self.records: dict[str, list[dict[str, Any]]] = {
            label: document["records"].get(label, []) for label in shapes
        }
        self.shapes = shapes
        self.same_pseudonym_key = document.get("pseudonym_key_check") == pseudonym_key_check()
        #: label -> uuid -> primary key in this database
        self.pks: dict[str, dict[str, int]] = defaultdict(dict)
        self.shared: dict[str, dict[Any, int]] = {}
        self.skipped_benefit_events = 0
        self.existing_users: set[str] = set()
        self._bsns = {c["uuid"]: c.get("bsn") or "" for c in self.records["candidates.Candidate"]}

    def bsn_of(self, candidate_uuid: str) -> str:
        return str(self._bsns.get(candidate_uuid, ""))

    def run(self) -> Imported:
        self._refuse_existing()
        self._resolve_shared()
        order = insertion_order(self.shapes)
        instances: dict[str, list[models.Model]] = {}
        deferred: dict[str, list[tuple[models.Model, str, str, str]]] = defaultdict(list)
        done: set[str] = set()
        for label in order:
            instances[label] = self._insert(label, done, deferred[label])
            done.add(label)
        for label, pending in deferred.items():
            changed: dict[str, list[models.Model]] = defaultdict(list)
            for instance, attname, target, value in pending:
                setattr(instance, attname, self._pk(target, value))
                changed[attname].append(instance)
            model = _model(label)
            for attname, objs in changed.items():
                model._base_manager.bulk_update(objs, [attname], batch_size=_BATCH)
        for label in order:
            self._link_many(label, instances[label])
        region = instances["regions.Region"][0]
        counts = {label: len(objs) for label, objs in instances.items()}
        return Imported(
            region=region, counts=counts, skipped_benefit_events=self.skipped_benefit_events
        )

    # -- checks against this installation

    def _refuse_existing(self) -> None:
        region = self.records["regions.Region"][0]
        Region = _model("regions.Region")
        clash = (
            Region._base_manager.filter(
                models.Q(uuid=region["uuid"])
                | models.Q(code=region["code"])
                | models.Q(name=region["name"])
            )
            .values_list("name", flat=True)
            .first()
        )
        if clash is not None:
            raise TransferError(
                _(
                    "Region %(code)s (%(name)s) cannot be imported: this installation already "
                    "has a region with that id, code or name (%(existing)s)."
                )
                % {"code": region["code"], "name": region["name"], "existing": clash}
            )
        User = _model("accounts.User")
        users = self.records["accounts.User"]
        existing = dict(
            User._base_manager.filter(uuid__in=[u["uuid"] for u in users]).values_list("uuid", "pk")
        )
        for uuid_value, pk in existing.items():
            self.pks["accounts.User"][str(uuid_value)] = pk
            self.existing_users.add(str(uuid_value))
        taken = dict(
            User._base_manager.filter(username__in=[u["username"] for u in users]).values_list(
                "username", "uuid"
            )
        )
        for user in users:
            if user["username"] in taken and str(taken[user["username"]]) != user["uuid"]:
                raise TransferError(
                    _(
                        "User %(uuid)s: the user name %(username)s is already taken by another "
                        "user of this installation."
                    )
                    % {"uuid": user["uuid"], "username": user["username"]}
                )
        for label, shape in self.shapes.items():
            if not shape.has_uuid or label == "accounts.User":
                continue
            model = _model(label)
            uuids = [r["uuid"] for r in self.records[label]]
            for start in range(0, len(uuids), _BATCH):
                found = (
                    model._base_manager.filter(uuid__in=uuids[start : start + _BATCH])
                    .values_list("uuid", flat=True)
                    .first()
                )
                if found is not None:
                    raise TransferError(
                        _("%(kind)s %(record)s already exists in this installation.")
                        % {"kind": label, "record": found}
                    )
        Municipality = _model("regions.Municipality")
        codes = [m["cbs_code"] for m in self.records["regions.Municipality"] if m["cbs_code"]]
        clash = (
            Municipality._base_manager.filter(cbs_code__in=codes)
            .values_list("cbs_code", flat=True)
            .first()
        )
        if clash is not None:
            raise TransferError(
                _("Municipality %(code)s already exists in this installation, in another region.")
                % {"code": clash}
            )

    def _resolve_shared(self) -> None:
        wanted: dict[str, set[Any]] = defaultdict(set)
        for label, shape in self.shapes.items():
            targets = {**shape.references, **shape.many}
            for record in self.records[label]:
                for name, target in targets.items():
                    values = record.get(name)
                    for value in values if isinstance(values, list) else [values]:
                        if isinstance(value, dict):
                            if target not in SHARED_KEYS or set(value) != {SHARED_KEYS[target]}:
                                raise TransferError(
                                    _("%(kind)s %(record)s: %(field)s has an unknown reference.")
                                    % {"kind": label, "record": record.get("uuid"), "field": name}
                                )
                            wanted[target].add(value[SHARED_KEYS[target]])
        for target, keys in wanted.items():
            key = SHARED_KEYS[target]
            queryset = _model(target)._base_manager.filter(**{f"{key}__in": list(keys)})
            if target == "rules.RuleSet":
                queryset = queryset.filter(region__isnull=True)
            found = {_to_json(k): pk for k, pk in queryset.values_list(key, "pk")}
            missing = sorted(str(k) for k in keys if k not in found)
            if missing:
                raise TransferError(
                    _(
                        "This installation lacks shared data the region refers to: "
                        "%(kind)s %(keys)s. Load it first (e.g. the same taxonomy)."
                    )
                    % {"kind": target, "keys": ", ".join(missing[:10])}
                )
            self.shared[target] = found

    # -- writing

    def _pk(self, target: str, value: Any) -> int:
        if isinstance(value, dict):
            return self.shared[target][value[SHARED_KEYS[target]]]
        return self.pks[target][value]

    def _insert(
        self, label: str, done: set[str], deferred: list[tuple[models.Model, str, str, str]]
    ) -> list[models.Model]:
        model = _model(label)
        plain = _plain_fields(model)
        refs = _references(model)
        restore = [
            f for f in plain if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        prepare = _PREPARE.get(label)
        objs: list[models.Model] = []
        saved_times: list[dict[str, Any]] = []
        for record in self.records[label]:
            values = {}
            for f in plain:
                if f.name in record:
                    try:
                        values[f.attname] = f.to_python(record[f.name])
                    except (ValidationError, ValueError, TypeError):
                        raise TransferError(
                            _("%(kind)s %(record)s: %(field)s has an invalid value %(value)s.")
                            % {
                                "kind": label,
                                "record": record.get("uuid", ""),
                                "field": f.name,
                                "value": repr(record[f.name])[:60],
                            }
                        ) from None
            obj = model(**values)
            later = []
            for f in refs:
                value = record.get(f.name)
                target = _label(f.related_model)
                if value is None:
                    setattr(obj, f.attname, None)
                elif isinstance(value, dict) or (target in done and target != label):
                    setattr(obj, f.attname, self._pk(target, value))
                else:  # filled in once its target exists (optional or to its own kind)
                    later.append((obj, f.attname, target, value))
            if prepare is not None and not prepare(self, obj, record):
                continue
            deferred.extend(later)
            objs.append(obj)
            saved_times.append({f.attname: getattr(obj, f.attname) for f in restore})
        created = model._base_manager.bulk_create(objs, batch_size=_BATCH)
        if any(obj.pk is None for obj in created):
            raise TransferError(f"{label}: the database did not return the new ids.")
        if restore:
            for obj, times in zip(created, saved_times, strict=True):
                for attname, value in times.items():
                    setattr(obj, attname, value)
            model._base_manager.bulk_update(
                created, [f.attname for f in restore], batch_size=_BATCH
            )
        if self.shapes[label].has_uuid:
            for obj in created:
                self.pks[label][str(obj.uuid)] = obj.pk  # type: ignore[attr-defined]
        return list(created)

    def _link_many(self, label: str, created: list[models.Model]) -> None:
        model = _model(label)
        by_uuid = {str(obj.uuid): obj.pk for obj in created} if self.shapes[label].has_uuid else {}  # type: ignore[attr-defined]
        for m in _many(model):
            through = m.remote_field.through
            source = f"{m.m2m_field_name()}_id"
            other = f"{m.m2m_reverse_field_name()}_id"
            target = _label(m.related_model)
            links = [
                through(**{source: by_uuid[record["uuid"]], other: self._pk(target, value)})
                for record in self.records[label]
                if record["uuid"] in by_uuid
                for value in record.get(m.name) or []
            ]
            through._base_manager.bulk_create(links, batch_size=_BATCH)


# --- What is not stored as it is in the file -----------------------------------------------


def _prepare_user(importer: _Importer, obj: Any, record: dict[str, Any]) -> bool:
    if record["uuid"] in importer.existing_users:
        return False  # the same person has a log-in here already: linked, not created
    # A random password nobody knows: "Forgot password" then works (Django sends no reset
    # mail to a user without a usable password). Installation rights are not carried over.
    usable = record.get("password_usable", False)
    obj.password = make_password(secrets.token_urlsafe(32) if usable else None)
    obj.is_superuser = False
    obj.is_staff = False
    return True


def _prepare_candidate(importer: _Importer, obj: Any, record: dict[str, Any]) -> bool:
    if record.get("bsn"):
        try:
            protected = protect_bsn(record["bsn"])
        except ValueError:
            raise TransferError(
                _("candidates.Candidate %(record)s: the BSN is not valid.")
                % {"record": record["uuid"]}
            ) from None
        obj.bsn_pseudonym = protected.pseudonym
        obj.bsn_encrypted = protected.encrypted
    else:  # erased
        obj.bsn_pseudonym = record.get("bsn_pseudonym") or "erased:" + secrets.token_hex(24)
        obj.bsn_encrypted = ""
    return True


def _prepare_meeting_invitation(importer: _Importer, obj: Any, record: dict[str, Any]) -> bool:
    from werkbrug.meetings import services

    obj.token_hash = services.hash_token(services.answer_token(obj))
    return True


def _prepare_survey_invitation(importer: _Importer, obj: Any, record: dict[str, Any]) -> bool:
    from werkbrug.evaluation import services

    obj.token_hash = services.hash_token(services.link_token(obj))
    if record.get("candidate"):
        obj.person_key = _person_key("candidate", record["candidate"])
    elif record.get("contact_person"):
        obj.person_key = _person_key("contact", record["contact_person"])
    return True


def _prepare_control_member(importer: _Importer, obj: Any, record: dict[str, Any]) -> bool:
    if record.get("candidate"):
        obj.person_key = _person_key("candidate", record["candidate"])
    return True


def _prepare_benefit_event(importer: _Importer, obj: Any, record: dict[str, Any]) -> bool:
    person = record.get("candidate")
    if person is not None:
        bsn = importer.bsn_of(person)
        obj.bsn_pseudonym = protect_bsn(bsn).pseudonym if bsn else "erased:" + secrets.token_hex(24)
        return True
    if importer.same_pseudonym_key:
        return True  # the pseudonym means the same here
    importer.skipped_benefit_events += 1
    return False


def _prepare_role(importer: _Importer, obj: Any, record: dict[str, Any]) -> bool:
    # A user who already existed here keeps the roles this installation gave them.
    return record["user"] not in importer.existing_users


_PREPARE: dict[str, Callable[[_Importer, Any, dict[str, Any]], bool]] = {
    "accounts.User": _prepare_user,
    "accounts.RoleGrant": _prepare_role,
    "candidates.Candidate": _prepare_candidate,
    "meetings.Invitation": _prepare_meeting_invitation,
    "evaluation.Invitation": _prepare_survey_invitation,
    "evaluation.ControlGroupMember": _prepare_control_member,
    "placements.BenefitEvent": _prepare_benefit_event,
}


def region_counts(region: Any) -> dict[str, int]:
    """Records per exported model for one region (what an export of it would hold)."""
    counts: dict[str, int] = {}
    for label, lookup in EXPORTED.items():
        if lookup:
            counts[label] = _model(label)._base_manager.filter(**{lookup: region.pk}).count()
    return counts
