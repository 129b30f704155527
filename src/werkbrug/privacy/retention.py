"""Retention periods: the categories of personal data, their defaults and legal basis, and the
date arithmetic that says what is due. Pure: no Django.

Each category says what happens to a record once its period has passed since the moment that
starts the clock (``starts``). Aggregates survive: a candidate's file becomes a placeholder
(codes and dates kept, everything that identifies the person removed), so the KPI history
counts the same before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from werkbrug.placements.aftercare import add_months


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    default_months: int
    minimum_months: int
    starts: str
    action: str
    legal_basis: str


CANDIDATE_FILE = "candidate_file"
HEALTH = "health"
AUDIT_LOGS = "audit_logs"
SURVEY_REGISTRY = "survey_registry"

#: The categories, in the order the administrator sees them. Texts are Dutch source data shown
#: as they are (like code lists); the defaults follow the municipal selection list and the AVG.
CATEGORIES: tuple[Category, ...] = (
    Category(
        code=CANDIDATE_FILE,
        label="Dossier van een kandidaat",
        default_months=60,
        minimum_months=12,
        starts="na afsluiting van het traject (uitstroom of terugmelding) en het laatste contact",
        action=(
            "Pseudonimiseren: naam, BSN, adres, contactgegevens, vrije tekst, gezondheid, "
            "toestemmingen en portaalaccount verdwijnen; codes en datums blijven voor de cijfers."
        ),
        legal_basis=(
            "Selectielijst gemeenten en intergemeentelijke organen 2020, categorie "
            "re-integratie: bewaren tot 5 jaar na beëindiging; AVG art. 5 lid 1 sub e."
        ),
    ),
    Category(
        code=HEALTH,
        label="Gezondheid en beperkingen",
        default_months=12,
        minimum_months=0,
        starts="na afsluiting van het traject",
        action="Verwijderen: het gezondheidsprofiel van de kandidaat.",
        legal_basis=(
            "AVG art. 9 en art. 5 lid 1 sub c en e: bijzondere persoonsgegevens niet langer "
            "dan nodig voor de bemiddeling; na afsluiting is er geen doel meer."
        ),
    ),
    Category(
        code=AUDIT_LOGS,
        label="Inzage- en wijzigingslog",
        default_months=84,
        minimum_months=24,
        starts="na het moment van inzage of wijziging",
        action="Verwijderen: logregels ouder dan de termijn.",
        legal_basis=(
            "BIO 12.4 (logging) en verantwoording richting de betrokkene (AVG art. 15): "
            "lang genoeg om een klacht of datalek te kunnen onderzoeken; 7 jaar als standaard."
        ),
    ),
    Category(
        code=SURVEY_REGISTRY,
        label="Register van uitnodigingen voor een enquête",
        default_months=6,
        minimum_months=0,
        starts="na de sluitingsdatum van de enquête",
        action=(
            "Ontkoppelen: wie is uitgenodigd verdwijnt; aantallen uitgenodigd en respons blijven."
        ),
        legal_basis=(
            "AVG art. 5 lid 1 sub e: het register dient alleen voor herinneringen en om niemand "
            "twee keer uit te nodigen; de antwoorden zelf zijn al anoniem."
        ),
    ),
)

BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


def cutoff(today: dt.date, months: int) -> dt.date:
    """Records whose clock started before this day are due."""
    return add_months(today, -months)


def is_due(started_on: dt.date | None, *, today: dt.date, months: int) -> bool:
    """Is a record whose clock started on ``started_on`` past its period? A record whose clock
    has not started (``None``: the file is still open) is never due."""
    return started_on is not None and started_on < cutoff(today, months)


#: No category may be kept longer than this (20 years): beyond it nothing in the sources applies.
MAXIMUM_MONTHS = 240


def allowed_months(code: str) -> range:
    """The periods (in months) the administrator may choose for category ``code``."""
    return range(BY_CODE[code].minimum_months, MAXIMUM_MONTHS + 1)
