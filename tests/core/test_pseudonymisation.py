"""BSN pseudonyms are keyed and stable; encryption round-trips and detects tampering."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkbrug.core import bsn as bsn_storage
from werkbrug.core import pseudonymisation
from werkbrug.core.validators import generate_bsn

keys = st.text(min_size=16, max_size=64)
bsns = st.integers(min_value=0, max_value=2**32).map(lambda s: generate_bsn(random.Random(s)))


@given(bsns, keys)
def test_pseudonym_is_stable_for_one_key(bsn, key):
    assert pseudonymisation.pseudonym(bsn, key=key) == pseudonymisation.pseudonym(bsn, key=key)


@given(bsns, keys, keys)
def test_pseudonym_depends_on_the_key(bsn, key_a, key_b):
    if key_a != key_b:
        assert pseudonymisation.pseudonym(bsn, key=key_a) != pseudonymisation.pseudonym(
            bsn, key=key_b
        )


@given(bsns, bsns, keys)
def test_different_bsns_get_different_pseudonyms(a, b, key):
    if a != b:
        assert pseudonymisation.pseudonym(a, key=key) != pseudonymisation.pseudonym(b, key=key)


@given(bsns, keys)
def test_pseudonym_reveals_no_digits_of_the_bsn(bsn, key):
    assert bsn not in pseudonymisation.pseudonym(bsn, key=key)


@given(st.text(max_size=200), keys)
def test_encryption_round_trips(value, key):
    token = pseudonymisation.encrypt(value, key=key)
    assert token != value or value == ""
    assert pseudonymisation.decrypt(token, key=key) == value


@given(bsns, keys, keys)
def test_decrypting_with_another_key_fails(bsn, key_a, key_b):
    if key_a != key_b:
        with pytest.raises(ValueError):
            pseudonymisation.decrypt(pseudonymisation.encrypt(bsn, key=key_a), key=key_b)


def test_tampered_ciphertext_is_rejected():
    token = pseudonymisation.encrypt("111222333", key="k" * 32)
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(ValueError):
        pseudonymisation.decrypt(tampered, key="k" * 32)


def test_protect_bsn_normalises_and_validates(settings):
    protected = bsn_storage.protect_bsn("1112.22.333")
    assert bsn_storage.reveal_bsn(protected.encrypted) == "111222333"
    assert protected.pseudonym == bsn_storage.bsn_pseudonym("111222333")
    with pytest.raises(ValueError):
        bsn_storage.protect_bsn("123456789")  # fails the elfproef


def test_mask_shows_only_the_last_three_digits():
    assert pseudonymisation.mask_bsn("111222333") == "******333"
