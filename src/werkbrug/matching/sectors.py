"""Which WerkBedrijf kind of work (werksoort) an employer's sector offers, from its SBI code.

Pure: used to score employers that have no open opportunity (ask for work, not vacancies) and
opportunities without an occupation. The kinds are the codes of ``taxonomy.WorkKind``."""

from __future__ import annotations

GREY_GREEN = "grijs_groen"
BUSINESS = "zakelijke_dienstverlening"
CLEANING = "schoonmaak"
PRODUCTION_LOGISTICS = "productie_logistiek"
HOSPITALITY_CARE_RETAIL = "horeca_zorg_verkoop"
TECHNICAL = "bouw_ict_techniek"

# Most specific first: three-digit groups, then two-digit divisions (SBI 2008).
_BY_GROUP = {
    "811": CLEANING,  # facility services
    "812": CLEANING,  # cleaning
    "813": GREY_GREEN,  # landscaping
    "801": TECHNICAL,  # security
    "452": TECHNICAL,  # car repair
    "951": TECHNICAL,  # repair of computers
    "952": TECHNICAL,  # repair of consumer goods
}
_BY_DIVISION: dict[str, str] = {
    **{f"{d:02d}": GREY_GREEN for d in (1, 2, 3, 38, 39)},
    **{f"{d:02d}": PRODUCTION_LOGISTICS for d in (*range(5, 34), 46, 49, 50, 51, 52, 53)},
    **{f"{d:02d}": TECHNICAL for d in (35, 36, 37, 41, 42, 43, 45, *range(58, 64), 80, 95)},
    **{f"{d:02d}": HOSPITALITY_CARE_RETAIL for d in (47, 55, 56, 86, 87, 88, 90, 91, 93, 96)},
    **{f"{d:02d}": BUSINESS for d in (*range(64, 80), 82, 84, 85, 92, 94, 97, 98, 99)},
}


def work_kind_for_sbi(sbi_code: str | None) -> str | None:
    """The kind of work a business with this SBI code mostly offers, or None when unknown."""
    code = (sbi_code or "").strip()
    if len(code) < 2 or not code[:2].isdigit():
        return None
    return _BY_GROUP.get(code[:3]) or _BY_DIVISION.get(code[:2])
