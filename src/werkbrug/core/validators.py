"""Validation and normalisation of Dutch identifiers and contact details.

Every identifier has a pure ``normalize_*`` function that returns the canonical
string or raises ``ValueError(code)``, where ``code`` is a short machine-readable
string and a key of :data:`MESSAGES`. The ``validate_*`` functions are thin Django
validators on top of them: they raise ``ValidationError(MESSAGES[code], code=code)``.
Normalisers never guess: input is either accepted as one unambiguous value or
rejected.

Rules and their sources
-----------------------
BSN (burgerservicenummer)
    Nine digits that pass the eleven test (elfproef): with weights
    9, 8, 7, 6, 5, 4, 3, 2, -1 the weighted digit sum must be divisible by 11
    (Wet algemene bepalingen burgerservicenummer; Logius / RvIG BSN
    specification). A sum of 0 (e.g. ``000000000``) is rejected. An 8-digit
    number is left-padded with a zero, as the BRP does for BSNs stored as
    integers. Spaces, dots and hyphens are ignored. Because every weight is
    coprime with 11, the elfproef detects every single-digit error and every
    transposition of two adjacent digits.
KvK-nummer
    Exactly 8 digits (Kamer van Koophandel, Handelsregister). Spaces are ignored.
Vestigingsnummer
    Exactly 12 digits (Kamer van Koophandel, Handelsregister). Spaces are ignored.
Postcode
    Four digits, the first not 0 (1000-9999), followed by two letters (PostNL
    postcode system). The letter pairs SA, SD and SS are not issued because of
    their historical connotations. Canonical form: ``1234 AB``.
SBI code
    CBS Standaard Bedrijfsindeling (SBI 2008): 2 to 5 digits, optionally written
    with dots after the second and fourth digit (``47.11``, ``01.13.1``). The
    first two digits must be an existing SBI division. Canonical form: digits
    only.
Phone number
    Dutch numbering plan (ACM / Nummerplan telefoon- en ISDN-diensten): after
    the country code 31 (or the trunk prefix 0) come 9 digits; mobile numbers
    are 6 followed by 8 digits. The service numbers 0800, 0900, 0906 and 0909
    are followed by 4 to 7 digits. Accepted forms: national (``024 123 4567``),
    ``+31`` and ``0031``, optionally with ``(0)`` after the country code.
    Spaces, hyphens, dots and parentheses are ignored. Canonical form: E.164
    (``+31612345678``).
E-mail address
    Django's :class:`~django.core.validators.EmailValidator` (RFC 5321/5322
    subset). Surrounding whitespace is stripped and the domain is lower-cased
    (domains are case-insensitive, RFC 4343); the local part is kept as typed.
"""

import random
import re
from collections.abc import Callable
from typing import Final

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "BSN_WEIGHTS",
    "MESSAGES",
    "SBI_DIVISIONS",
    "generate_bsn",
    "is_valid_bsn",
    "normalize_bsn",
    "normalize_email",
    "normalize_kvk",
    "normalize_phone",
    "normalize_postcode",
    "normalize_sbi",
    "normalize_vestigingsnummer",
    "validate_bsn",
    "validate_email",
    "validate_kvk",
    "validate_phone",
    "validate_postcode",
    "validate_sbi",
    "validate_vestigingsnummer",
]

MESSAGES: Final[dict[str, Promise]] = {
    "bsn_invalid_characters": _("A BSN may only contain digits."),
    "bsn_length": _("A BSN has 9 digits."),
    "bsn_checksum": _("This BSN fails the eleven test (elfproef)."),
    "kvk_invalid_characters": _("A KvK number may only contain digits."),
    "kvk_length": _("A KvK number has 8 digits."),
    "vestigingsnummer_invalid_characters": _("A branch number may only contain digits."),
    "vestigingsnummer_length": _("A branch number (vestigingsnummer) has 12 digits."),
    "postcode_format": _("A postcode has 4 digits followed by 2 letters, such as 1234 AB."),
    "postcode_leading_zero": _("A postcode cannot start with 0."),
    "postcode_reserved_letters": _("Postcodes with the letters SA, SD or SS do not exist."),
    "sbi_format": _("An SBI code has 2 to 5 digits, such as 47.11 or 4711."),
    "sbi_division": _("This SBI code does not start with an existing SBI division."),
    "phone_invalid_characters": _(
        "A phone number may only contain digits, spaces, hyphens, dots, parentheses "
        "and a leading +."
    ),
    "phone_format": _("A phone number must start with 0, +31 or 0031."),
    "phone_country": _("Only Dutch phone numbers (+31) are accepted."),
    "phone_length": _("A Dutch phone number has 10 digits, such as 06 12345678."),
    "email_invalid": _("Enter a valid e-mail address."),
}


def _is_ascii_digits(value: str) -> bool:
    """True for a non-empty string of ASCII digits only (``str.isdigit`` alone accepts '²')."""
    return value.isascii() and value.isdigit()


# --- BSN ---------------------------------------------------------------------

BSN_WEIGHTS: Final[tuple[int, ...]] = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_BSN_SEPARATORS: Final = str.maketrans("", "", " .-")


def _elfproef_sum(digits: str) -> int:
    """Weighted digit sum of up to 9 digits, using the leading BSN weights."""
    return sum(int(digit) * weight for digit, weight in zip(digits, BSN_WEIGHTS, strict=False))


def normalize_bsn(value: str) -> str:
    """Return the 9-digit BSN, or raise ``ValueError`` with a code from :data:`MESSAGES`."""
    digits = value.strip().translate(_BSN_SEPARATORS)
    if not digits:
        raise ValueError("bsn_length")
    if not _is_ascii_digits(digits):
        raise ValueError("bsn_invalid_characters")
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9:
        raise ValueError("bsn_length")
    total = _elfproef_sum(digits)
    if total == 0 or total % 11 != 0:
        raise ValueError("bsn_checksum")
    return digits


def is_valid_bsn(value: str) -> bool:
    """True if ``value`` normalises to a valid BSN."""
    try:
        normalize_bsn(value)
    except ValueError:
        return False
    return True


def generate_bsn(rng: random.Random) -> str:
    """Return a random valid BSN (9 digits) drawn from ``rng``; for demo and test data."""
    while True:
        prefix = "".join(rng.choice("0123456789") for _ in range(8))
        partial = _elfproef_sum(prefix)
        # partial - check must be divisible by 11, so check == partial mod 11.
        check = partial % 11
        if check == 10 or partial - check == 0:
            continue
        return prefix + str(check)


# --- KvK-nummer and vestigingsnummer -------------------------------------------


def _normalize_fixed_digits(value: str, length: int, prefix: str) -> str:
    digits = value.strip().replace(" ", "")
    if digits and not _is_ascii_digits(digits):
        raise ValueError(f"{prefix}_invalid_characters")
    if len(digits) != length:
        raise ValueError(f"{prefix}_length")
    return digits


def normalize_kvk(value: str) -> str:
    """Return the 8-digit KvK number, or raise ``ValueError`` with a code."""
    return _normalize_fixed_digits(value, 8, "kvk")


def normalize_vestigingsnummer(value: str) -> str:
    """Return the 12-digit vestigingsnummer, or raise ``ValueError`` with a code."""
    return _normalize_fixed_digits(value, 12, "vestigingsnummer")


# --- Postcode ------------------------------------------------------------------

_POSTCODE_RESERVED_LETTERS: Final = frozenset({"SA", "SD", "SS"})
_ASCII_LETTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def normalize_postcode(value: str) -> str:
    """Return the postcode as ``1234 AB``, or raise ``ValueError`` with a code.

    Whitespace is allowed around the postcode and between digits and letters only.
    """
    stripped = value.strip()
    digits, letters = stripped[:4], stripped[4:].lstrip()
    if (
        not _is_ascii_digits(digits)
        or len(digits) != 4
        or len(letters) != 2
        or not set(letters) <= _ASCII_LETTERS
    ):
        raise ValueError("postcode_format")
    if digits[0] == "0":
        raise ValueError("postcode_leading_zero")
    letters = letters.upper()
    if letters in _POSTCODE_RESERVED_LETTERS:
        raise ValueError("postcode_reserved_letters")
    return f"{digits} {letters}"


# --- SBI code ------------------------------------------------------------------


# (first, last, section) per SBI 2008 section; divisions not listed do not exist.
_SBI_DIVISION_RANGES: Final[tuple[tuple[int, int, str], ...]] = (
    (1, 3, "A agriculture, forestry and fishing"),
    (5, 9, "B mining and quarrying"),
    (10, 33, "C manufacturing"),
    (35, 35, "D energy supply"),
    (36, 39, "E water supply and waste management"),
    (41, 43, "F construction"),
    (45, 47, "G wholesale and retail trade"),
    (49, 53, "H transportation and storage"),
    (55, 56, "I accommodation and food service"),
    (58, 63, "J information and communication"),
    (64, 66, "K financial services"),
    (68, 68, "L real estate"),
    (69, 75, "M professional, scientific and technical activities"),
    (77, 82, "N administrative and support services"),
    (84, 84, "O public administration"),
    (85, 85, "P education"),
    (86, 88, "Q health and social work"),
    (90, 93, "R culture, sports and recreation"),
    (94, 96, "S other service activities"),
    (97, 98, "T households as employers"),
    (99, 99, "U extraterritorial organisations"),
)
SBI_DIVISIONS: Final[frozenset[str]] = frozenset(
    f"{division:02d}"
    for first, last, _section in _SBI_DIVISION_RANGES
    for division in range(first, last + 1)
)
# 2 to 5 digits; a dot may follow the 2nd digit and the 4th digit ("01.13.1").
_SBI_RE: Final = re.compile(r"[0-9]{2}(?:\.?[0-9](?:[0-9](?:\.?[0-9])?)?)?")


def normalize_sbi(value: str) -> str:
    """Return the SBI code as 2 to 5 digits, or raise ``ValueError`` with a code."""
    stripped = value.strip()
    if not _SBI_RE.fullmatch(stripped):
        raise ValueError("sbi_format")
    digits = stripped.replace(".", "")
    if digits[:2] not in SBI_DIVISIONS:
        raise ValueError("sbi_division")
    return digits


# --- Phone number --------------------------------------------------------------

_PHONE_SEPARATORS: Final = str.maketrans("", "", " -.()")
_PHONE_SERVICE_PREFIXES: Final = frozenset({"800", "900", "906", "909"})
_DUTCH_COUNTRY_CODE: Final = "31"


def normalize_phone(value: str) -> str:
    """Return a Dutch phone number in E.164 (``+31612345678``), or raise ``ValueError``."""
    compact = value.strip().translate(_PHONE_SEPARATORS)
    has_plus = compact.startswith("+")
    digits = compact[1:] if has_plus else compact
    if not digits:
        raise ValueError("phone_format")
    if not _is_ascii_digits(digits):
        raise ValueError("phone_invalid_characters")

    if has_plus or digits.startswith("00"):
        international = digits if has_plus else digits[2:]
        if not international.startswith(_DUTCH_COUNTRY_CODE):
            raise ValueError("phone_country")
        national = international[len(_DUTCH_COUNTRY_CODE) :]
        # Drop a trunk prefix written after the country code, as in "+31 (0)6 ...".
        if national.startswith("0"):
            national = national[1:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise ValueError("phone_format")

    if national.startswith("0"):
        raise ValueError("phone_format")
    if national[:3] in _PHONE_SERVICE_PREFIXES:
        if not 4 <= len(national) - 3 <= 7:
            raise ValueError("phone_length")
    elif len(national) != 9:
        raise ValueError("phone_length")
    return f"+{_DUTCH_COUNTRY_CODE}{national}"


# --- E-mail address ------------------------------------------------------------

_email_validator: Final = EmailValidator()


def normalize_email(value: str) -> str:
    """Return the address with its domain lower-cased, or raise ``ValueError``."""
    local, at, domain = value.strip().rpartition("@")
    if not at:
        raise ValueError("email_invalid")
    normalized = f"{local}@{domain.lower()}"
    try:
        _email_validator(normalized)
    except ValidationError:
        raise ValueError("email_invalid") from None
    return normalized


# --- Django validators ---------------------------------------------------------
# Module-level functions (not closures) so that migrations can serialise them.


def _run(normalize: Callable[[str], str], value: object) -> None:
    try:
        normalize(value if isinstance(value, str) else str(value))
    except ValueError as exc:
        code = str(exc.args[0])
        raise ValidationError(MESSAGES[code], code=code, params={"value": value}) from None


def validate_bsn(value: object) -> None:
    """Django validator for a BSN (elfproef)."""
    _run(normalize_bsn, value)


def validate_kvk(value: object) -> None:
    """Django validator for a KvK number (8 digits)."""
    _run(normalize_kvk, value)


def validate_vestigingsnummer(value: object) -> None:
    """Django validator for a KvK vestigingsnummer (12 digits)."""
    _run(normalize_vestigingsnummer, value)


def validate_postcode(value: object) -> None:
    """Django validator for a Dutch postcode."""
    _run(normalize_postcode, value)


def validate_sbi(value: object) -> None:
    """Django validator for an SBI code."""
    _run(normalize_sbi, value)


def validate_phone(value: object) -> None:
    """Django validator for a Dutch phone number."""
    _run(normalize_phone, value)


def validate_email(value: object) -> None:
    """Django validator for an e-mail address."""
    _run(normalize_email, value)
