"""evaluation.sampling: a control-group draw is reproducible (same frame, size and seed give
the same group, whatever order the frame comes in), never draws anyone twice or from outside
the frame, and a stratified draw follows the frame's make-up."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkbrug.evaluation.sampling import SamplingError, Unit, allocate, draw

strata = st.sampled_from(["Nijmegen", "Wijchen", "Beuningen", "Heumen"])
frames = st.lists(
    st.builds(Unit, key=st.uuids().map(str), stratum=strata), max_size=60, unique_by=lambda u: u.key
)


@given(frame=frames, data=st.data(), seed=st.integers(0, 2**32), stratified=st.booleans())
def test_same_inputs_give_the_same_group_in_any_frame_order(frame, data, seed, stratified):
    """The database's row order does not matter: a shuffled frame draws the same people."""
    size = data.draw(st.integers(0, len(frame)))
    shuffled = data.draw(st.permutations(frame))
    first = draw(frame, size=size, seed=seed, stratified=stratified)
    again = draw(shuffled, size=size, seed=seed, stratified=stratified)
    assert first == again
    assert len(first) == size
    assert len({unit.key for unit in first}) == size  # nobody twice
    assert set(first) <= set(frame)  # nobody from outside the frame


@given(frame=frames, data=st.data(), seed=st.integers(0, 2**32))
def test_a_stratified_draw_follows_the_frame_within_one_person_per_stratum(frame, data, seed):
    """Each stratum gets its proportional share, rounded: never off by a whole person."""
    size = data.draw(st.integers(0, len(frame)))
    drawn = Counter(unit.stratum for unit in draw(frame, size=size, seed=seed, stratified=True))
    sizes = Counter(unit.stratum for unit in frame)
    for name, n in sizes.items():
        assert abs(drawn[name] - n * size / len(frame)) < 1


def test_allocation_by_largest_remainder_by_hand():
    """10 from 50/30/20 is 5/3/2 exactly; 7 from them is 3.5/2.1/1.4 → 3,2,1 plus the largest
    remainder (Nijmegen's .5) → 4/2/1."""
    sizes = {"Nijmegen": 50, "Wijchen": 30, "Heumen": 20}
    assert allocate(sizes, 10) == {"Nijmegen": 5, "Wijchen": 3, "Heumen": 2}
    assert allocate(sizes, 7) == {"Nijmegen": 4, "Wijchen": 2, "Heumen": 1}


def test_a_different_seed_draws_a_different_group():
    """The seed matters (with 100 people and 10 drawn, two seeds agreeing is very unlikely)."""
    frame = [Unit(f"{i:03d}") for i in range(100)]
    assert draw(frame, size=10, seed=1, stratified=False) != draw(
        frame, size=10, seed=2, stratified=False
    )


def test_too_small_a_frame_or_a_double_key_is_refused_in_dutch():
    """Asking more than the frame holds, or a frame with someone twice, is an error."""
    with pytest.raises(SamplingError, match="3 mensen in het steekproefkader; 5 gevraagd"):
        draw([Unit("a"), Unit("b"), Unit("c")], size=5, seed=1, stratified=False)
    with pytest.raises(SamplingError, match="twee keer"):
        draw([Unit("a"), Unit("a")], size=1, seed=1, stratified=True)
