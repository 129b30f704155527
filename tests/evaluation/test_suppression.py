"""evaluation.selectors.hidden_cells: every count below the smallest cell is hidden, and no
hidden count can be worked out as N minus the shown ones (a lone small cell takes the next
smallest with it)."""

from hypothesis import given
from hypothesis import strategies as st

from werkbrug.evaluation.selectors import hidden_cells


@given(column=st.lists(st.integers(0, 40), min_size=1, max_size=8), k=st.integers(1, 12))
def test_small_counts_are_hidden_and_never_alone(column, k):
    """Primary: exactly the counts 1..k-1. With N printed, a single hidden non-zero cell could
    be recovered, so whenever something is hidden, at least two non-zero cells are hidden, or
    the column has no other non-zero cell (then N itself is below k and the column is not
    shown at all)."""
    primary, complementary = hidden_cells(column, k)
    assert primary == {i for i, count in enumerate(column) if 0 < count < k}
    assert not primary & complementary
    hidden = primary | complementary
    if primary:
        non_zero = [i for i, count in enumerate(column) if count]
        assert len(hidden) >= 2 or len(non_zero) == 1
    assert all(column[i] > 0 for i in hidden)  # an empty answer is never hidden


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    """[10, 2, 0, 7] with k = 5: the 2 is hidden, and the 7 (not the 10) with it."""
    assert hidden_cells([10, 2, 0, 7], 5) == ({1}, {3})
