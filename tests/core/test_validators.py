"""Property and example tests for werkbrug.core.validators.

The BSN tests use their own elfproef implementation (``reference_elfproef``) and
their own BSN strategy, so they do not trust the code under test. Hand-checked
examples document the arithmetic.
"""

import random
import sys
from collections.abc import Callable
from pathlib import Path

try:
    import werkbrug  # noqa: F401
except ModuleNotFoundError:  # package not installed: use the src layout directly
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

import django
from django.conf import settings as django_settings

if not django_settings.configured:  # pytest-django has not set Django up: minimal config
    django_settings.configure(USE_I18N=True)
    django.setup()

import pytest
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from hypothesis import assume, given
from hypothesis import strategies as st

from werkbrug.core.validators import (
    MESSAGES,
    generate_bsn,
    is_valid_bsn,
    normalize_bsn,
    normalize_email,
    normalize_kvk,
    normalize_phone,
    normalize_postcode,
    normalize_sbi,
    normalize_vestigingsnummer,
    validate_bsn,
    validate_email,
    validate_kvk,
    validate_phone,
    validate_postcode,
    validate_sbi,
    validate_vestigingsnummer,
)

DIGITS = "0123456789"
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def reference_elfproef(bsn: str) -> bool:
    """Independent elfproef: 9 ASCII digits, weighted sum divisible by 11 and not 0."""
    if len(bsn) != 9 or any(c not in DIGITS for c in bsn):
        return False
    total = sum(int(c) * w for c, w in zip(bsn, WEIGHTS, strict=True))
    return total % 11 == 0 and total != 0


def code_of(normalize: Callable[[str], str], value: str) -> str:
    """The ValueError code raised by ``normalize``; fails the test if nothing is raised."""
    with pytest.raises(ValueError) as excinfo:
        normalize(value)
    return str(excinfo.value.args[0])


# --- strategies ------------------------------------------------------------------


@st.composite
def valid_bsns(draw: st.DrawFn, leading_zero: bool = False) -> str:
    """Draw 8 digits and compute the check digit from the elfproef."""
    first = 0 if leading_zero else draw(st.integers(0, 9))
    rest = draw(st.lists(st.integers(0, 9), min_size=7, max_size=7))
    prefix = [first, *rest]
    partial = sum(d * w for d, w in zip(prefix, WEIGHTS[:8], strict=True))
    # partial - check ≡ 0 (mod 11)  =>  check = partial mod 11, which must be one digit.
    check = partial % 11
    assume(check != 10 and partial - check != 0)
    return "".join(map(str, prefix)) + str(check)


def with_separators(value: str, separators: str) -> st.SearchStrategy[str]:
    """``value`` with random runs of separator characters between its characters."""
    gaps = st.lists(
        st.text(alphabet=separators, max_size=2), min_size=len(value), max_size=len(value)
    )
    return gaps.map(lambda gs: "".join(g + c for g, c in zip(gs, value, strict=True)))


def digit_strings(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=DIGITS, min_size=min_size, max_size=max_size)


# --- BSN -------------------------------------------------------------------------

# Hand-checked with weights 9 8 7 6 5 4 3 2 -1:
#   111222333: 9+8+7+12+10+8+9+6-3  = 66  = 6*11   -> valid
#   123456782: 9+16+21+24+25+24+21+16-2 = 154 = 14*11 -> valid
#   123456789: 9+16+21+24+25+24+21+16-9 = 147 = 13*11+4 -> invalid
#   012345672: 0+8+14+18+20+20+18+14-2 = 110 = 10*11 -> valid
#   000000012: 2*1 - 2 = 0 -> divisible by 11 but 0 -> invalid
#   000000000: sum 0 -> invalid
KNOWN_BSNS = [
    ("111222333", True),
    ("123456782", True),
    ("123456789", False),
    ("012345672", True),
    ("000000012", False),
    ("000000000", False),
]


@pytest.mark.parametrize(("bsn", "valid"), KNOWN_BSNS)
def test_known_bsns(bsn: str, valid: bool) -> None:
    assert reference_elfproef(bsn) is valid  # the hand arithmetic above
    assert is_valid_bsn(bsn) is valid


def test_bsn_formatting_and_padding() -> None:
    assert normalize_bsn(" 111 222 333 ") == "111222333"
    assert normalize_bsn("1112.22.333") == "111222333"
    assert normalize_bsn("111-222-333") == "111222333"
    assert normalize_bsn("12345672") == "012345672"  # 8 digits, as stored by the BRP


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "bsn_length"),
        (" - ", "bsn_length"),
        ("1234567", "bsn_length"),
        ("1112223330", "bsn_length"),
        ("11122233a", "bsn_invalid_characters"),
        ("111_222_333", "bsn_invalid_characters"),
        ("\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13", "bsn_invalid_characters"),
        ("123456789", "bsn_checksum"),
        ("000000000", "bsn_checksum"),
        ("00000000", "bsn_checksum"),
    ],
)
def test_bsn_rejections(value: str, code: str) -> None:
    assert code_of(normalize_bsn, value) == code
    assert is_valid_bsn(value) is False


@given(valid_bsns())
def test_every_elfproef_bsn_is_accepted_unchanged(bsn: str) -> None:
    assert reference_elfproef(bsn)
    assert is_valid_bsn(bsn)
    assert normalize_bsn(bsn) == bsn


@given(digit_strings(9, 9))
def test_is_valid_bsn_agrees_with_reference_on_all_9_digit_strings(candidate: str) -> None:
    assert is_valid_bsn(candidate) is reference_elfproef(candidate)


@given(st.integers(min_value=0, max_value=2**64))
def test_generate_bsn_yields_valid_bsns(seed: int) -> None:
    bsn = generate_bsn(random.Random(seed))
    assert len(bsn) == 9
    assert reference_elfproef(bsn)


def test_generate_bsn_is_reproducible_and_varied() -> None:
    first = [generate_bsn(random.Random(42)) for _ in range(3)]
    assert len(set(first)) == 1  # same seed, same BSN
    rng = random.Random(0)
    bsns = [generate_bsn(rng) for _ in range(500)]
    assert len(set(bsns)) > 490
    assert {b[0] for b in bsns} == set(DIGITS)  # leading zeros do occur
    assert {b[-1] for b in bsns} == set(DIGITS)  # every check digit occurs


@given(valid_bsns(), st.integers(0, 8), st.integers(1, 9))
def test_any_single_digit_change_is_detected(bsn: str, position: int, shift: int) -> None:
    # Changing digit i by delta changes the sum by w_i * delta, with w_i in
    # {9..2, -1} and 0 < |delta| < 11: never a multiple of 11, also for w = -1.
    new_digit = (int(bsn[position]) + shift) % 10
    changed = bsn[:position] + str(new_digit) + bsn[position + 1 :]
    assert changed != bsn
    assert not is_valid_bsn(changed)


@pytest.mark.parametrize("bsn", [b for b, valid in KNOWN_BSNS if valid])
def test_all_81_single_digit_mutants_of_known_bsns_are_rejected(bsn: str) -> None:
    mutants = {bsn[:i] + d + bsn[i + 1 :] for i in range(9) for d in DIGITS if d != bsn[i]}
    assert len(mutants) == 81
    assert not any(is_valid_bsn(m) for m in mutants)


@given(valid_bsns(), st.integers(0, 7))
def test_adjacent_transposition_is_detected(bsn: str, position: int) -> None:
    # Swapping positions i, i+1 changes the sum by (w_i - w_{i+1}) * (d_{i+1} - d_i),
    # where w_i - w_{i+1} is 1, or 3 for the last pair (2 - -1).
    a, b = bsn[position], bsn[position + 1]
    assume(a != b)
    swapped = bsn[:position] + b + a + bsn[position + 2 :]
    assert not is_valid_bsn(swapped)


@given(digit_strings(8, 8))
def test_at_most_one_check_digit_completes_a_prefix(prefix: str) -> None:
    completions = [d for d in DIGITS if is_valid_bsn(prefix + d)]
    assert len(completions) <= 1
    assert completions == [d for d in DIGITS if reference_elfproef(prefix + d)]


@given(valid_bsns().flatmap(lambda bsn: st.tuples(st.just(bsn), with_separators(bsn, " .-"))))
def test_bsn_separators_are_ignored(pair: tuple[str, str]) -> None:
    bsn, formatted = pair
    assert normalize_bsn(formatted) == bsn


@given(valid_bsns(leading_zero=True))
def test_eight_digit_bsn_is_left_padded(bsn: str) -> None:
    assert normalize_bsn(bsn[1:]) == bsn


# --- KvK-nummer and vestigingsnummer -----------------------------------------------


@given(digit_strings(8, 8).flatmap(lambda kvk: st.tuples(st.just(kvk), with_separators(kvk, " "))))
def test_kvk_accepts_8_digits_with_spaces(pair: tuple[str, str]) -> None:
    kvk, formatted = pair
    assert normalize_kvk(formatted) == kvk


@given(st.one_of(digit_strings(7, 7), digit_strings(9, 9), digit_strings(0, 20)))
def test_kvk_rejects_wrong_lengths(digits: str) -> None:
    assume(len(digits) != 8)
    assert code_of(normalize_kvk, digits) == "kvk_length"


@given(
    digit_strings(8, 8),
    st.integers(0, 7),
    st.characters(exclude_characters=DIGITS).filter(lambda c: not c.isspace()),
)
def test_kvk_rejects_non_digits(digits: str, position: int, intruder: str) -> None:
    value = digits[:position] + intruder + digits[position + 1 :]
    assert code_of(normalize_kvk, value) == "kvk_invalid_characters"


@pytest.mark.parametrize("value", ["1234567a", "1234-5678", "1234.5678", "\u0661" * 8])
def test_kvk_rejects_separators_and_unicode_digits(value: str) -> None:
    assert code_of(normalize_kvk, value) == "kvk_invalid_characters"


@given(digit_strings(12, 12).flatmap(lambda n: st.tuples(st.just(n), with_separators(n, " "))))
def test_vestigingsnummer_accepts_12_digits(pair: tuple[str, str]) -> None:
    number, formatted = pair
    assert normalize_vestigingsnummer(formatted) == number


@given(st.one_of(digit_strings(11, 11), digit_strings(13, 13), digit_strings(1, 8)))
def test_vestigingsnummer_rejects_wrong_lengths(digits: str) -> None:
    assert code_of(normalize_vestigingsnummer, digits) == "vestigingsnummer_length"


def test_vestigingsnummer_rejects_letters() -> None:
    assert code_of(normalize_vestigingsnummer, "00001234567X") == (
        "vestigingsnummer_invalid_characters"
    )


# --- Postcode --------------------------------------------------------------------

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
RESERVED_LETTERS = {"SA", "SD", "SS"}
postcode_digits = st.integers(1000, 9999).map(str)
postcode_letters = st.text(alphabet=UPPER, min_size=2, max_size=2).filter(
    lambda pair: pair not in RESERVED_LETTERS
)
whitespace = st.text(alphabet=" \t", max_size=3)


@st.composite
def random_case(draw: st.DrawFn, letters: str) -> str:
    return "".join(c.lower() if draw(st.booleans()) else c for c in letters)


@given(postcode_digits, postcode_letters, st.data())
def test_postcode_case_and_spacing_variants_share_one_canonical_form(
    digits: str, letters: str, data: st.DataObject
) -> None:
    canonical = f"{digits} {letters}"
    variant = (
        data.draw(whitespace)
        + digits
        + data.draw(whitespace)
        + data.draw(random_case(letters))
        + data.draw(whitespace)
    )
    assert normalize_postcode(variant) == canonical


@pytest.mark.parametrize("value", ["1234ab", "1234 ab", " 1234AB ", "1234  aB", "1234\tAb"])
def test_postcode_examples(value: str) -> None:
    assert normalize_postcode(value) == "1234 AB"


@given(postcode_digits, st.sampled_from(sorted(RESERVED_LETTERS)), st.data())
def test_postcode_rejects_unissued_letter_pairs(
    digits: str, letters: str, data: st.DataObject
) -> None:
    value = digits + data.draw(whitespace) + data.draw(random_case(letters))
    assert code_of(normalize_postcode, value) == "postcode_reserved_letters"


@given(st.integers(0, 999), postcode_letters)
def test_postcode_rejects_leading_zero(number: int, letters: str) -> None:
    assert code_of(normalize_postcode, f"{number:04d} {letters}") == "postcode_leading_zero"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1234",
        "1234 A",
        "1234 ABC",
        "123 AB",
        "12345 AB",
        "12 34 AB",
        "1234 A B",
        "1234 A1",
        "AB 1234",
        "1234 \u00c4B",  # Ä is not a postcode letter
        "\u0661\u0662\u0663\u0664 AB",  # Arabic-Indic digits
        "1234-AB",
    ],
)
def test_postcode_rejects_malformed(value: str) -> None:
    assert code_of(normalize_postcode, value) == "postcode_format"


# --- SBI code --------------------------------------------------------------------

# Written out independently from the module, as listed in SBI 2008.
REFERENCE_SBI_DIVISIONS = (
    {f"{d:02d}" for d in range(1, 4)}
    | {f"{d:02d}" for d in range(5, 10)}
    | {f"{d:02d}" for d in range(10, 34)}
    | {"35", "36", "37", "38", "39", "41", "42", "43", "45", "46", "47"}
    | {"49", "50", "51", "52", "53", "55", "56", "58", "59", "60", "61", "62", "63"}
    | {"64", "65", "66", "68", "69", "70", "71", "72", "73", "74", "75"}
    | {"77", "78", "79", "80", "81", "82", "84", "85", "86", "87", "88"}
    | {"90", "91", "92", "93", "94", "95", "96", "97", "98", "99"}
)


def test_reference_division_list_has_the_expected_gaps() -> None:
    gaps = {f"{d:02d}" for d in range(100)} - REFERENCE_SBI_DIVISIONS
    assert gaps == {"00", "04", "34", "40", "44", "48", "54", "57", "67", "76", "83", "89"}


@pytest.mark.parametrize("division", [f"{d:02d}" for d in range(100)])
def test_sbi_division_check_matches_sbi_2008(division: str) -> None:
    if division in REFERENCE_SBI_DIVISIONS:
        assert normalize_sbi(division) == division
        assert normalize_sbi(division + "111") == division + "111"
    else:
        assert code_of(normalize_sbi, division) == "sbi_division"
        assert code_of(normalize_sbi, division + ".11") == "sbi_division"


@given(st.sampled_from(sorted(REFERENCE_SBI_DIVISIONS)), digit_strings(0, 3), st.data())
def test_sbi_dotted_and_plain_forms_are_equivalent(
    division: str, rest: str, data: st.DataObject
) -> None:
    plain = division + rest
    # Insert optional dots after the 2nd and 4th digit, where SBI notation puts them.
    dotted = division
    if rest:
        dotted += data.draw(st.sampled_from(["", "."])) + rest[:2]
    if len(rest) == 3:
        dotted += data.draw(st.sampled_from(["", "."])) + rest[2]
    assert normalize_sbi(plain) == plain
    assert normalize_sbi(f" {dotted} ") == plain


def test_sbi_examples() -> None:
    assert normalize_sbi("47.11") == "4711"
    assert normalize_sbi("4711") == "4711"
    assert normalize_sbi("01.13.1") == "01131"
    assert normalize_sbi("62") == "62"


@pytest.mark.parametrize(
    "value",
    ["", "4", "471111", "47..11", ".4711", "4711.", "471.1", "4.711", "47 11", "47-11", "ab"],
)
def test_sbi_rejects_malformed(value: str) -> None:
    assert code_of(normalize_sbi, value) == "sbi_format"


# --- Phone number ----------------------------------------------------------------

# National significant numbers: 9 digits not starting with 0 (mobile: 6 + 8 digits).
national_numbers = st.one_of(
    digit_strings(8, 8).map(lambda rest: "6" + rest),
    st.tuples(st.sampled_from("123457"), digit_strings(8, 8)).map("".join),
)


@given(
    national_numbers,
    st.sampled_from(["0", "+31", "0031", "+31(0)", "+31 (0) ", "+31 0", "00 31 "]),
    st.data(),
)
def test_phone_national_and_international_forms_share_one_e164(
    nsn: str, prefix: str, data: st.DataObject
) -> None:
    subscriber = data.draw(with_separators(nsn, " -."))
    assert normalize_phone(f"{prefix}{subscriber}") == f"+31{nsn}"
    assert normalize_phone(f" 0{nsn} ") == f"+31{nsn}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0612345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("+31 6 12345678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("+31 (0)6 1234 5678", "+31612345678"),
        ("024 123 4567", "+31241234567"),
        ("(024) 123 45 67", "+31241234567"),
        ("0800 1234", "+318001234"),
        ("0800-1234567", "+318001234567"),
        ("0900 1234567", "+319001234567"),
    ],
)
def test_phone_examples(value: str, expected: str) -> None:
    assert normalize_phone(value) == expected


@given(
    st.sampled_from("1234567"),
    digit_strings(0, 12),
    st.sampled_from(["0", "+31", "0031"]),
)
def test_phone_rejects_numbers_that_are_not_9_digits_after_the_trunk(
    first: str, rest: str, prefix: str
) -> None:
    assume(len(rest) != 8)
    assert code_of(normalize_phone, prefix + first + rest) == "phone_length"


@given(st.sampled_from(["800", "900", "906", "909"]), digit_strings(0, 10))
def test_phone_service_numbers_have_4_to_7_digits(service: str, rest: str) -> None:
    if 4 <= len(rest) <= 7:
        assert normalize_phone(f"0{service} {rest}") == f"+31{service}{rest}"
    else:
        assert code_of(normalize_phone, f"0{service} {rest}") == "phone_length"


@given(
    st.integers(1, 999).map(str),
    digit_strings(6, 10),
    st.sampled_from(["+", "00"]),
)
def test_phone_rejects_foreign_country_codes(country: str, rest: str, prefix: str) -> None:
    assume(not (country + rest).startswith("31"))
    assert code_of(normalize_phone, prefix + country + rest) == "phone_country"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "phone_format"),
        ("+", "phone_format"),
        ("612345678", "phone_format"),
        ("+31 00 612345678", "phone_format"),
        ("06-1234567a", "phone_invalid_characters"),
        ("06+12345678", "phone_invalid_characters"),
        ("06/12345678", "phone_invalid_characters"),
        ("+32 2 123 45 67", "phone_country"),
        ("0044 20 7946 0000", "phone_country"),
        ("061234567", "phone_length"),
        ("06123456789", "phone_length"),
        ("+31", "phone_length"),
        ("0800 123", "phone_length"),
        ("0900 12345678", "phone_length"),
    ],
)
def test_phone_rejections(value: str, code: str) -> None:
    assert code_of(normalize_phone, value) == code


# --- E-mail ----------------------------------------------------------------------


@given(st.emails(), st.data())
def test_email_domain_is_lower_cased_and_local_part_kept(email: str, data: st.DataObject) -> None:
    local, _, domain = email.rpartition("@")
    expected = f"{local}@{domain.lower()}"
    shouted = f"{local}@{data.draw(random_case(domain.upper()))}"
    padded = data.draw(whitespace) + shouted + data.draw(whitespace)
    assert normalize_email(email) == expected
    assert normalize_email(padded) == expected


def test_email_examples() -> None:
    assert normalize_email("  Jan.Jansen@Example.NL ") == "Jan.Jansen@example.nl"
    assert normalize_email("info@gemeente-nijmegen.nl") == "info@gemeente-nijmegen.nl"


@pytest.mark.parametrize(
    "value",
    ["", "jan", "jan@", "@example.nl", "jan jansen@example.nl", "jan@exa mple.nl", "jan@@x.nl"],
)
def test_email_rejections(value: str) -> None:
    assert code_of(normalize_email, value) == "email_invalid"


# --- idempotence -----------------------------------------------------------------

NORMALIZERS: dict[str, tuple[Callable[[str], str], st.SearchStrategy[str]]] = {
    "bsn": (normalize_bsn, valid_bsns().flatmap(lambda b: with_separators(b, " .-"))),
    "kvk": (normalize_kvk, digit_strings(8, 8).flatmap(lambda n: with_separators(n, " "))),
    "vestigingsnummer": (
        normalize_vestigingsnummer,
        digit_strings(12, 12).flatmap(lambda n: with_separators(n, " ")),
    ),
    "postcode": (
        normalize_postcode,
        st.tuples(postcode_digits, whitespace, postcode_letters.map(str.lower)).map("".join),
    ),
    "sbi": (
        normalize_sbi,
        st.tuples(st.sampled_from(sorted(REFERENCE_SBI_DIVISIONS)), digit_strings(0, 3)).map(
            lambda t: t[0] + "." + t[1] if t[1] else t[0]
        ),
    ),
    "phone": (normalize_phone, national_numbers.map(lambda n: "0031 " + n)),
    "email": (normalize_email, st.emails().map(lambda e: f" {e.upper()} ")),
}
# Free-form input over each validator's relevant alphabet, to also hit odd inputs.
ALPHABETS = {
    "bsn": "0123456789 .-a",
    "kvk": "0123456789 a",
    "vestigingsnummer": "0123456789 ",
    "postcode": "0123456789 aAsSdZ\t",
    "sbi": "0123456789.",
    "phone": "0123456789+ -().",
    "email": "aZ09.@-_ +",
}


@pytest.mark.parametrize("name", sorted(NORMALIZERS))
@given(data=st.data())
def test_normalize_is_idempotent_on_valid_input(name: str, data: st.DataObject) -> None:
    normalize, valid_inputs = NORMALIZERS[name]
    once = normalize(data.draw(valid_inputs))  # must not raise: the inputs are valid
    assert normalize(once) == once


@pytest.mark.parametrize("name", sorted(ALPHABETS))
@given(data=st.data())
def test_normalize_is_idempotent_on_arbitrary_input(name: str, data: st.DataObject) -> None:
    normalize = NORMALIZERS[name][0]
    value = data.draw(st.text(alphabet=ALPHABETS[name], max_size=16))
    try:
        once = normalize(value)
    except ValueError as exc:
        assert exc.args[0] in MESSAGES
        return
    assert normalize(once) == once


# --- Django validators -----------------------------------------------------------

REJECTIONS = [
    (validate_bsn, "12345678a", "bsn_invalid_characters"),
    (validate_bsn, "1234567", "bsn_length"),
    (validate_bsn, "123456789", "bsn_checksum"),
    (validate_kvk, "1234567x", "kvk_invalid_characters"),
    (validate_kvk, "1234567", "kvk_length"),
    (validate_vestigingsnummer, "12345678901x", "vestigingsnummer_invalid_characters"),
    (validate_vestigingsnummer, "1234567890123", "vestigingsnummer_length"),
    (validate_postcode, "1234A", "postcode_format"),
    (validate_postcode, "0123 AB", "postcode_leading_zero"),
    (validate_postcode, "1234 ss", "postcode_reserved_letters"),
    (validate_sbi, "47.1.1.1", "sbi_format"),
    (validate_sbi, "40.11", "sbi_division"),
    (validate_phone, "06 1234 567x", "phone_invalid_characters"),
    (validate_phone, "612345678", "phone_format"),
    (validate_phone, "+49 30 1234567", "phone_country"),
    (validate_phone, "06 1234 567", "phone_length"),
    (validate_email, "jan@", "email_invalid"),
]


@pytest.mark.parametrize(("validator", "value", "code"), REJECTIONS)
def test_django_validators_raise_validation_error_with_code(
    validator: Callable[[object], None], value: str, code: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    assert excinfo.value.code == code
    assert excinfo.value.messages == [str(MESSAGES[code])]


def test_every_message_code_is_raised_by_some_validator() -> None:
    assert {code for _, _, code in REJECTIONS} == set(MESSAGES)


def test_messages_are_lazy_translatable_sentences() -> None:
    for message in MESSAGES.values():
        assert isinstance(message, Promise)
        assert str(message).endswith(".")


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validate_bsn, "111222333"),
        (validate_bsn, 111222333),  # integer field values are checked as their digits
        (validate_bsn, 12345672),
        (validate_kvk, "12345678"),
        (validate_vestigingsnummer, "000012345678"),
        (validate_postcode, "6511 AB"),
        (validate_sbi, "78.10"),
        (validate_phone, "024 123 4567"),
        (validate_email, "info@example.nl"),
    ],
)
def test_django_validators_accept_valid_values(
    validator: Callable[[object], None], value: object
) -> None:
    assert validator(value) is None
