"""The pure statistics core of the evaluation app, checked against SciPy and by hand.

SciPy is only a test dependency: ``werkbrug.evaluation.stats`` computes every distribution
function itself, and these tests hold it to SciPy's answers on random tables and samples
(hypothesis), to published worked examples (Newcombe 1998) and to arithmetic written out here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sp
from scipy.stats.contingency import association

from werkbrug.evaluation import stats
from werkbrug.evaluation.stats import (
    CrossTable,
    chi2_sf,
    chi_square,
    crosstab,
    difference_of_proportions,
    fisher_exact_2x2,
    mann_whitney,
    normal_ppf,
    reconstruct_counts,
    significance_mark,
    t_test,
    wilson_interval,
)

PROPERTY = settings(max_examples=100, deadline=None)

#: Agreement with SciPy: both compute in double precision by different routes, so results
#: agree to many digits, not bit for bit.
CLOSE = {"rel": 1e-9, "abs": 1e-12}

# -- strategies -------------------------------------------------------------------------------

tables = st.integers(2, 5).flatmap(
    lambda rows: st.integers(2, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 40), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)
tables_2x2 = st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=2), min_size=2, max_size=2)
#: Answers on a five-point scale (many ties) or amounts with two decimals (few ties).
likert = st.lists(st.integers(1, 5).map(float), min_size=2, max_size=30)
amounts = st.lists(st.integers(-100_000, 100_000).map(lambda c: c / 100), min_size=2, max_size=30)
samples = st.one_of(likert, amounts)


def _without_empty_lines(table: list[list[int]]) -> np.ndarray:
    """The table with all-zero rows and columns removed, as SciPy needs it."""
    array = np.array(table)
    array = array[array.sum(axis=1) > 0]
    return array[:, array.sum(axis=0) > 0]


# -- significance marks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "mark"),
    [(0.05, ""), (0.0499, "*"), (0.01, "*"), (0.0099, "**"), (0.5, ""), (0.0, "**"), (1.0, "")],
)
def test_significance_marks_follow_the_report_with_strict_boundaries(p, mark):
    """p < .01 gives **, p < .05 gives *, and exactly .05 or .01 falls on the weaker side."""
    assert significance_mark(p) == mark


# -- cross tables -----------------------------------------------------------------------------


def test_crosstab_counts_pairs_in_the_given_order_with_unseen_labels_as_zeros():
    """crosstab counts (row, column) pairs, keeps the given order and gives unseen labels 0."""
    answers = [1, 2, 2, 3, 1, 2]
    groups = ["werktop", "werktop", "controle", "controle", "controle", "werktop"]
    table = crosstab(answers, groups, row_order=[1, 2, 3, 4], col_order=["werktop", "controle"])
    assert table.row_labels == (1, 2, 3, 4)
    assert table.col_labels == ("werktop", "controle")
    assert table.counts == [[1, 1], [2, 1], [0, 1], [0, 0]]
    assert table.col_totals == [3, 3]
    assert table.row_totals == [2, 3, 1, 0]
    assert table.n == 6


def test_crosstab_sorts_labels_or_keeps_first_appearance_when_they_cannot_be_sorted():
    """Without an order labels are sorted; mixed kinds of labels keep their first appearance."""
    assert crosstab([3, 1, 2], ["b", "a", "b"]).row_labels == (1, 2, 3)
    assert crosstab([3, 1, 2], ["b", "a", "b"]).col_labels == ("a", "b")
    assert crosstab([2, "onbekend", 1], ["x", "x", "x"]).row_labels == (2, "onbekend", 1)


def test_crosstab_rejects_values_outside_the_order_and_unpaired_input():
    """A value missing from row_order, or rows and cols of different length, is an error."""
    with pytest.raises(ValueError, match=r"row values not in the given order: \[9\]"):
        crosstab([1, 9], ["a", "a"], row_order=[1, 2])
    with pytest.raises(ValueError, match="must pair up"):
        crosstab([1, 2, 3], ["a", "b"])
    with pytest.raises(ValueError, match="twice"):
        crosstab([1], ["a"], row_order=[1, 1])


def test_from_counts_checks_the_shape():
    """CrossTable.from_counts refuses counts that do not match the labels or are not counts."""
    with pytest.raises(ValueError, match="2 row labels but 1 rows"):
        CrossTable.from_counts(["ja", "nee"], ["w", "c"], [[1, 2]])
    with pytest.raises(ValueError, match="non-negative integers"):
        CrossTable.from_counts(["ja", "nee"], ["w", "c"], [[1, -2], [3, 4]])
    with pytest.raises(ValueError, match="non-negative integers"):
        CrossTable.from_counts(["ja", "nee"], ["w", "c"], [[1, 2.5], [3, 4]])


@PROPERTY
@given(tables)
def test_column_percentages_sum_to_100_and_empty_columns_give_zeros(counts):
    """Every column with observations sums to 100; an empty column is all zeros, no crash."""
    table = CrossTable.from_counts(range(len(counts)), range(len(counts[0])), counts)
    percentages = table.column_percentages()
    for j, total in enumerate(table.col_totals):
        column = [row[j] for row in percentages]
        if total:
            assert math.fsum(column) == pytest.approx(100, abs=1e-9)
        else:
            assert column == [0.0] * len(counts)


# -- χ² ---------------------------------------------------------------------------------------


@PROPERTY
@given(tables)
def test_chi_square_matches_scipy_on_random_tables(counts):
    """χ², df, p and the expected counts equal scipy's chi2_contingency(correction=False)
    after empty rows and columns are dropped; too few non-empty ones raise ValueError."""
    reduced = _without_empty_lines(counts)
    if min(reduced.shape) < 2:
        with pytest.raises(ValueError, match="at least 2 rows and 2 columns"):
            chi_square(counts)
        return
    ours = chi_square(counts)
    theirs = sp.chi2_contingency(reduced, correction=False)
    assert ours.statistic == pytest.approx(theirs.statistic, **CLOSE)
    assert ours.dof == theirs.dof
    assert ours.p_value == pytest.approx(theirs.pvalue, **CLOSE)
    assert 0 <= ours.p_value <= 1
    np.testing.assert_allclose(ours.expected, theirs.expected_freq, rtol=1e-12)
    assert ours.n == reduced.sum()
    assert ours.mark == significance_mark(ours.p_value)


@PROPERTY
@given(tables)
def test_cramers_v_matches_scipy_association(counts):
    """Cramér's V equals scipy.stats.contingency.association(method="cramer")."""
    reduced = _without_empty_lines(counts)
    if min(reduced.shape) < 2:
        return
    ours = chi_square(counts).cramers_v
    assert ours == pytest.approx(association(reduced, method="cramer"), **CLOSE)
    assert 0 <= ours <= 1 + 1e-12


@PROPERTY
@given(tables, st.data())
def test_an_all_zero_row_or_column_does_not_change_the_result(counts, data):
    """Inserting an empty row and an empty column anywhere leaves χ², df and p unchanged."""
    if min(_without_empty_lines(counts).shape) < 2:
        return
    row_at = data.draw(st.integers(0, len(counts)), label="row_at")
    col_at = data.draw(st.integers(0, len(counts[0])), label="col_at")
    padded = [[*row[:col_at], 0, *row[col_at:]] for row in counts]
    padded.insert(row_at, [0] * len(padded[0]))
    before, after = chi_square(counts), chi_square(padded)
    assert (after.statistic, after.dof, after.p_value) == (
        before.statistic,
        before.dof,
        before.p_value,
    )
    assert row_at not in after.kept_rows
    assert col_at not in after.kept_cols


def test_chi_square_accepts_a_cross_table_and_reports_the_kept_lines():
    """A CrossTable with an unused answer gives the same test as its counts without that row."""
    table = crosstab(
        ["ja", "nee", "ja", "ja", "nee", "nee", "ja", "nee"],
        ["w", "w", "w", "w", "c", "c", "c", "c"],
        row_order=["ja", "nee", "weet niet"],
        col_order=["w", "c"],
    )
    result = chi_square(table)
    assert result.kept_rows == (0, 1)
    assert result.kept_cols == (0, 1)
    assert result.statistic == chi_square([[3, 1], [1, 3]]).statistic
    assert result.dof == 1


def test_a_small_2x2_table_gets_a_dutch_warning_and_fisher():
    """Expected counts of 2 break Cochran's rule: a Dutch warning and Fisher's exact p."""
    result = chi_square([[3, 1], [1, 3]])  # every expected count is 2
    assert result.small_expected
    assert result.fisher_p_value == pytest.approx(sp.fisher_exact([[3, 1], [1, 3]]).pvalue)
    assert result.warning is not None
    assert "kleine verwachte aantallen" in result.warning
    assert "Fisher" in result.warning
    assert "4 van 4 cellen" in result.warning


def test_a_small_larger_table_gets_the_warning_without_fisher():
    """Beyond 2×2 there is no Fisher p, but the warning advises merging categories."""
    result = chi_square([[5, 1, 0], [3, 2, 1]])
    assert result.small_expected
    assert result.fisher_p_value is None
    assert result.warning is not None
    assert "voeg categorieën samen" in result.warning


def test_cochrans_rule_at_its_edges():
    """20 % of cells below 5 is still fine; any expected count below 1 is not."""
    # The bottom row expects 9·204/409 = 4.49 and 9·205/409 = 4.51: 2 of 10 cells, 20 %.
    fine = chi_square([[50, 50], [50, 50], [50, 50], [50, 50], [4, 5]])
    assert sum(e < 5 for row in fine.expected for e in row) == 2
    assert not fine.small_expected
    assert fine.warning is None
    assert fine.fisher_p_value is None
    below_one = chi_square([[100, 100], [1, 0]])  # expected 0.5 in both bottom cells
    assert below_one.small_expected


def test_large_expected_counts_give_no_warning_and_no_fisher():
    """A 2×2 table with large expected counts is a plain χ²: no warning, no Fisher."""
    result = chi_square([[40, 20], [25, 35]])
    assert not result.small_expected
    assert result.warning is None
    assert result.fisher_p_value is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([[1, 0], [2, 0]], "1 non-empty column"),
        ([[0, 0], [2, 3]], "1 non-empty row"),
        ([[0, 0], [0, 0]], "0 non-empty row"),
        ([[1, 2], [3]], "differ in length"),
        ([], "empty"),
        ([[1, -1], [2, 3]], "non-negative integers"),
    ],
)
def test_chi_square_rejects_degenerate_tables_with_a_clear_message(table, message):
    """Tables without two non-empty rows and columns, ragged or negative tables raise."""
    with pytest.raises(ValueError, match=message):
        chi_square(table)


# -- the distribution functions ---------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1000), st.integers(1, 60))
def test_chi2_survival_function_matches_scipy(x, dof):
    """Q(dof/2, x/2) agrees with scipy.stats.chi2.sf to 1e-10 relative for random x and df."""
    assert math.isclose(chi2_sf(x, dof), sp.chi2.sf(x, dof), rel_tol=1e-10, abs_tol=1e-300)


def test_chi2_survival_function_matches_scipy_on_a_grid():
    """The same, on every df from 1 to 60 and x from 1e-6 to 1000, both sides of x = df."""
    xs = np.concatenate([np.logspace(-6, 3, 80), np.arange(1, 121)])
    for dof in range(1, 61):
        ours = np.array([chi2_sf(float(x), dof) for x in xs])
        np.testing.assert_allclose(ours, sp.chi2.sf(xs, dof), rtol=1e-10, atol=1e-300)
    assert chi2_sf(0.0, 3) == 1.0


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-300, 1, exclude_max=True))
def test_inverse_normal_matches_scipy(p):
    """normal_ppf agrees with scipy.stats.norm.ppf well within 1e-9 over (1e-300, 1)."""
    assert normal_ppf(p) == pytest.approx(sp.norm.ppf(p), rel=1e-12, abs=1e-14)


def test_inverse_normal_known_values_and_domain():
    """Φ⁻¹(.975) = 1.959963984540054, Φ⁻¹(½) = 0; p outside (0, 1) raises."""
    assert normal_ppf(0.975) == pytest.approx(1.959963984540054, rel=1e-15)
    assert normal_ppf(0.5) == 0.0
    for p in (0.0, 1.0, -0.1):
        with pytest.raises(ValueError, match="0 < p < 1"):
            normal_ppf(p)


T_VALUES = (1e-8, 1e-3, 0.1, 0.5, 1, 2, 5, 20, 100)


def test_t_tail_matches_scipy_on_a_grid():
    """The two-sided t tail via the incomplete beta agrees with scipy.stats.t.sf."""
    for dof in (3, 3.5, 10, 29.7, 100, 1000):
        for t in T_VALUES:
            expected = 2 * sp.t.sf(t, dof)
            assert stats.t_two_sided_p(t, dof) == pytest.approx(expected, rel=1e-10)
            assert stats.t_two_sided_p(-t, dof) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("t", T_VALUES)
def test_t_tail_matches_the_closed_forms_for_one_and_two_degrees_of_freedom(t):
    """df = 1 (Cauchy): p = 1 − 2·atan(t)/π; df = 2: p = 1 − t/√(2 + t²).

    Checked against the formulas, not SciPy: at df = 1 and t = 1e-8 scipy.stats.t.sf is off
    by 3e-9 (it gives 0.99999999051 for 2·sf, the exact value is 0.99999999363)."""
    assert stats.t_two_sided_p(t, 1) == pytest.approx(1 - 2 * math.atan(t) / math.pi, rel=1e-13)
    assert stats.t_two_sided_p(t, 2) == pytest.approx(1 - t / math.sqrt(2 + t * t), rel=1e-13)


# -- Fisher -----------------------------------------------------------------------------------


@PROPERTY
@given(tables_2x2)
def test_fisher_exact_matches_scipy(counts):
    """The two-sided Fisher p equals scipy.stats.fisher_exact on random 2×2 tables."""
    if sum(map(sum, counts)) == 0:
        with pytest.raises(ValueError, match="at least one observation"):
            fisher_exact_2x2(counts)
        return
    ours = fisher_exact_2x2(counts)
    assert ours == pytest.approx(sp.fisher_exact(counts).pvalue, **CLOSE)
    assert 0 <= ours <= 1


def test_fisher_counts_equally_probable_tables_on_both_sides():
    """A symmetric table: the mirrored table is as probable and both tails count (p = 1)."""
    assert fisher_exact_2x2([[2, 2], [2, 2]]) == pytest.approx(1.0)
    # [[3, 1], [1, 3]]: P = 16/70 for the table and its mirror, 1/70 for each extreme: 34/70.
    assert fisher_exact_2x2([[3, 1], [1, 3]]) == pytest.approx(34 / 70, rel=1e-12)
    with pytest.raises(ValueError, match="2×2"):
        fisher_exact_2x2([[1, 2, 3], [4, 5, 6]])


# -- t-test -----------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning")  # SciPy's, on ties
@PROPERTY
@given(samples, samples, st.booleans())
def test_t_test_matches_scipy(a, b, equal_var):
    """t, df and p equal scipy.stats.ttest_ind for Welch and for Student (equal_var)."""
    if len(set(a)) == 1 and len(set(b)) == 1:
        with pytest.raises(ValueError, match="no spread"):
            t_test(a, b, equal_var=equal_var)
        return
    ours = t_test(a, b, equal_var=equal_var)
    theirs = sp.ttest_ind(a, b, equal_var=equal_var)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-9, abs=1e-9)
    assert ours.dof == pytest.approx(theirs.df, rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)
    assert 0 <= ours.p_value <= 1
    assert ours.sd_a == pytest.approx(np.std(a, ddof=1), rel=1e-9, abs=1e-12)
    assert ours.mean_b == pytest.approx(np.mean(b), rel=1e-12, abs=1e-12)
    assert (ours.n_a, ours.n_b, ours.equal_var) == (len(a), len(b), equal_var)


def test_t_test_by_hand():
    """a = 1..5, b = 3..7: means 3 and 5, both SDs √2.5, t = −2/√(2·2.5/5) = −2, df 8, d −1.26."""
    result = t_test([1, 2, 3, 4, 5], [3, 4, 5, 6, 7])
    assert (result.mean_a, result.mean_b) == (3.0, 5.0)
    assert result.sd_a == result.sd_b == pytest.approx(math.sqrt(2.5))
    assert result.statistic == pytest.approx(-2.0)
    assert result.dof == pytest.approx(8.0)  # equal variances and sizes: Welch df = n_a + n_b − 2
    assert result.cohens_d == pytest.approx(-2 / math.sqrt(2.5))
    assert result.p_value == pytest.approx(2 * sp.t.sf(2.0, 8))
    assert result.mark == ""


def test_t_test_rejects_groups_that_are_too_small():
    """Fewer than 2 values in a group, or NaN, raises ValueError."""
    with pytest.raises(ValueError, match="at least 2 values per group, got 1 and 3"):
        t_test([1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="NaN"):
        t_test([1.0, math.nan], [1.0, 2.0])


# -- Mann–Whitney -----------------------------------------------------------------------------


@PROPERTY
@given(samples, samples)
def test_mann_whitney_matches_scipy(a, b):
    """U of a and p equal scipy's mannwhitneyu (asymptotic, continuity correction, ties)."""
    if len(set(a + b)) == 1:
        with pytest.raises(ValueError, match="all values are equal"):
            mann_whitney(a, b)
        return
    ours = mann_whitney(a, b)
    theirs = sp.mannwhitneyu(
        a, b, alternative="two-sided", method="asymptotic", use_continuity=True
    )
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)
    assert 0 <= ours.p_value <= 1
    assert (ours.median_a, ours.median_b) == (np.median(a), np.median(b))
    assert math.copysign(1, ours.z) == math.copysign(1, ours.statistic - len(a) * len(b) / 2)


def test_mann_whitney_by_hand():
    """a = [1, 2], b = [3, 4]: U_a = 0, μ = 2, σ² = 4·5/12, z = −(2 − ½)/σ."""
    result = mann_whitney([1, 2], [3, 4])
    assert result.statistic == 0
    assert result.z == pytest.approx(-1.5 / math.sqrt(20 / 12))
    assert result.p_value == pytest.approx(math.erfc(1.5 / math.sqrt(20 / 12) / math.sqrt(2)))


# -- difference of proportions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "low", "high"),
    [
        ((56, 70, 48, 80), 0.0524, 0.3339),
        ((9, 10, 3, 10), 0.1705, 0.8090),
        ((6, 7, 2, 7), 0.0582, 0.8062),
        ((5, 56, 0, 29), -0.0381, 0.1926),
        ((0, 10, 0, 20), -0.1611, 0.2775),
        ((0, 10, 0, 10), -0.2775, 0.2775),
        ((10, 10, 0, 20), 0.6791, 1.0000),
        ((10, 10, 0, 10), 0.6075, 1.0000),
    ],
)
def test_newcombe_interval_reproduces_newcombe_1998_table_ii(counts, low, high):
    """Newcombe (1998, Stat Med 17:873, Table II, method 10) examples (a)–(h), to 4 decimals."""
    result = difference_of_proportions(*counts)
    assert result.method == "newcombe"
    assert (round(result.ci_low, 4), round(result.ci_high, 4)) == (low, high)
    assert -1 <= result.ci_low <= result.difference <= result.ci_high <= 1


def test_the_first_newcombe_example_in_full():
    """56/70 − 48/80 = 0.2000 with 95 % CI 0.0524 to 0.3339 (Newcombe 1998, Table II (a))."""
    result = difference_of_proportions(56, 70, 48, 80)
    assert (result.p_a, result.p_b) == (0.8, 0.6)
    assert result.difference == pytest.approx(0.2)
    assert result.ci_low == pytest.approx(0.0524, abs=5e-5)
    assert result.ci_high == pytest.approx(0.3339, abs=5e-5)


def test_wald_interval_by_hand():
    """Wald by hand: 0.2 ± 1.959964·√(0.8·0.2/70 + 0.6·0.4/80) = 0.2 ± 0.142495."""
    se = math.sqrt(0.8 * 0.2 / 70 + 0.6 * 0.4 / 80)  # √(0.00228571 + 0.003) = 0.0727029
    half_width = 1.959963984540054 * se  # 0.1424951
    result = difference_of_proportions(56, 70, 48, 80, method="wald")
    assert result.ci_low == pytest.approx(0.2 - half_width, rel=1e-12)
    assert result.ci_high == pytest.approx(0.2 + half_width, rel=1e-12)
    # Newcombe (1998, Table II (a), method 1) prints 0.0575 to 0.3425.
    assert (round(result.ci_low, 4), round(result.ci_high, 4)) == (0.0575, 0.3425)


def test_wilson_interval_by_hand():
    """Wilson for 0/10: 0 to z²/(n + z²) = 3.8415/13.8415 = 0.2775."""
    low, high = wilson_interval(0, 10)
    z2 = 1.959963984540054**2
    assert low == 0
    assert high == pytest.approx(z2 / (10 + z2), rel=1e-12)


@PROPERTY
@given(st.integers(1, 200), st.integers(1, 200), st.data())
def test_pooled_z_squared_is_pearsons_chi_square(n_a, n_b, data):
    """The pooled z-test is χ² on the 2×2 table: z² = χ² and the p-values coincide."""
    x_a = data.draw(st.integers(0, n_a), label="x_a")
    x_b = data.draw(st.integers(0, n_b), label="x_b")
    result = difference_of_proportions(x_a, n_a, x_b, n_b)
    assert 0 <= result.p_value <= 1
    assert result.ci_low <= result.difference <= result.ci_high
    table = [[x_a, x_b], [n_a - x_a, n_b - x_b]]
    if min(_without_empty_lines(table).shape) < 2:  # both 0 % or both 100 %
        assert (result.z, result.p_value) == (0.0, 1.0)
        return
    chi = chi_square(table)
    assert result.z**2 == pytest.approx(chi.statistic, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(chi.p_value, rel=1e-9, abs=1e-12)
    assert result.mark == chi.mark or math.isclose(result.p_value, 0.05, rel_tol=1e-9)


def test_difference_of_proportions_rejects_impossible_input():
    """More successes than n, n = 0, a confidence outside (0, 1) or an unknown method raise."""
    with pytest.raises(ValueError, match="group a"):
        difference_of_proportions(11, 10, 1, 10)
    with pytest.raises(ValueError, match="group b"):
        difference_of_proportions(1, 10, 0, 0)
    with pytest.raises(ValueError, match="confidence"):
        difference_of_proportions(1, 10, 1, 10, confidence=95)
    with pytest.raises(ValueError, match="unknown interval method"):
        difference_of_proportions(1, 10, 1, 10, method="exact")


# -- percentages back to counts ---------------------------------------------------------------


@PROPERTY
@given(st.lists(st.integers(0, 200), min_size=2, max_size=8))
def test_reconstruct_counts_recovers_counts_from_one_decimal_percentages(counts):
    """Below N = 1000 a percentage with one decimal pins the count down: we get it back."""
    n = sum(counts)
    if n == 0 or n >= 1000:
        return
    printed = [round(100 * count / n, 1) for count in counts]
    assert reconstruct_counts(printed, n) == counts


def test_reconstruct_counts_adjusts_the_largest_remainders():
    """Counts that miss N after rounding are fixed where the rounding moved them most."""
    # 33.3 % of 100 is 33.3 three times: 99 in total, so one cell gets one more.
    assert reconstruct_counts([33.3, 33.3, 33.3], 100) == [34, 33, 33]
    # 40.4 % / 59.6 % of 9 is 3.636 / 5.364: 4 + 5 = 9, no adjustment needed.
    assert reconstruct_counts([40.4, 59.6], 9) == [4, 5]
    # 12.5/12.5/75 of 4 is 0.5/0.5/3: half up gives 1 + 1 + 3 = 5, one too many.
    assert reconstruct_counts([12.5, 12.5, 75.0], 4) == [0, 1, 3]
    # 24.6/25.4/50 % of 7 is 1.722/1.778/3.5 → 2 + 2 + 4 = 8: the 3.5 gained most, loses one.
    assert reconstruct_counts([24.6, 25.4, 50.0], 7) == [2, 2, 3]


def test_reconstruct_counts_rejects_percentages_that_do_not_add_up():
    """Percentages far from 100 in total, or negative ones, are not a printed distribution."""
    with pytest.raises(ValueError, match="add up to 90"):
        reconstruct_counts([40.0, 50.0], 100)
    with pytest.raises(ValueError, match="negative"):
        reconstruct_counts([-1.0, 101.0], 100)
    with pytest.raises(ValueError, match="do not describe 10000"):
        reconstruct_counts([50.5, 50.0], 10000)
