"""Statistics for evaluation research (pure: standard library only, no Django, no SciPy).

The Werktop evaluation (Tilburg University, 2014) compared candidates with a control group in
cross tables of column percentages and printed a **Pearson χ²** with its degrees of freedom and
p-value, marking ``*`` for p < .05 and ``**`` for p < .01. This module reproduces that, and adds
what a careful analyst needs next to it:

- ``crosstab`` / ``CrossTable``: counts per answer (row) and group (column), with column
  percentages as the reports print them;
- ``chi_square``: Pearson χ² without Yates' correction (as the report), Cramér's V, and a
  Dutch warning when the expected counts are too small (Cochran's rule), with Fisher's exact
  test for a small 2×2 table;
- ``fisher_exact_2x2``, ``t_test`` (Welch or Student), ``mann_whitney`` (normal approximation
  with tie and continuity correction) and ``difference_of_proportions`` (Newcombe or Wald
  interval, pooled z-test);
- ``reconstruct_counts``: reports print percentages and N, reference checks need counts.

The distribution functions are written here from their mathematical definitions, so the module
has no dependency beyond the standard library:

- χ² tail: the regularized upper incomplete gamma function Q(k/2, x/2), by its power series or
  its continued fraction (``regularized_gamma_q``);
- Student t tail: the regularized incomplete beta function, by its continued fraction
  (``regularized_beta``);
- normal distribution: ``math.erfc`` for the tail, and Acklam's rational approximation refined
  by one Halley step for the quantile (``normal_ppf``).

The tests check every one of them against SciPy (tests/evaluation/test_stats.py).

Results are frozen dataclasses; ``mark`` on each is the report's significance mark.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

#: Significance levels of the report: ``*`` p < .05, ``**`` p < .01.
ALPHA_ONE_STAR = 0.05
ALPHA_TWO_STARS = 0.01

#: Cochran's rule: no expected count below 1, and at most 20 % of the cells below 5.
MIN_EXPECTED = 1.0
SMALL_EXPECTED = 5.0
MAX_SHARE_SMALL = 0.20

#: Fisher's exact test counts a table as "at most as probable as the observed one" with this
#: relative slack, so that tables that are equally probable in exact arithmetic but differ in
#: the last bits of floating point are not missed (R's ``fisher.test`` uses the same 1e-7).
FISHER_RELATIVE_TOLERANCE = 1e-7

#: Convergence of the series and continued fractions: stop when a step changes the result by
#: less than this (relative), give up after ``_MAX_ITERATIONS`` steps.
_EPSILON = 1e-15
_MAX_ITERATIONS = 10_000
#: Stands in for zero in the continued-fraction evaluation (avoids dividing by zero).
_TINY = 1e-300

_SQRT2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)

#: A table of counts: rows of non-negative integers (lists, tuples or a 2-D NumPy array).
Counts = Iterable[Iterable[int]]


def significance_mark(p: float) -> str:
    """The report's mark for a p-value: ``"**"`` when p < .01, ``"*"`` when p < .05, else ``""``.

    The boundaries are strict: p = .05 is not significant, p = .01 gets one star.
    """
    if p < ALPHA_TWO_STARS:
        return "**"
    if p < ALPHA_ONE_STAR:
        return "*"
    return ""


# --------------------------------------------------------------------------------------------
# Cross tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossTable:
    """Counts of answers (rows) per group (columns), e.g. benefit duration × Werktop/control.

    ``counts[i][j]`` is the number of respondents with row label ``i`` in column ``j``. Build one
    from raw answers with ``crosstab`` or from counts with ``CrossTable.from_counts``.
    """

    row_labels: tuple[Hashable, ...]
    col_labels: tuple[Hashable, ...]
    counts: list[list[int]]

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.row_labels):
            raise ValueError(
                f"{len(self.row_labels)} row labels but {len(self.counts)} rows of counts"
            )
        for i, row in enumerate(self.counts):
            if len(row) != len(self.col_labels):
                raise ValueError(
                    f"row {i} has {len(row)} counts but there are "
                    f"{len(self.col_labels)} column labels"
                )

    @classmethod
    def from_counts(
        cls,
        row_labels: Sequence[Hashable],
        col_labels: Sequence[Hashable],
        counts: Counts,
    ) -> CrossTable:
        """A table from counts that are already known (e.g. reconstructed from a report)."""
        return cls(tuple(row_labels), tuple(col_labels), _as_counts(counts))

    @property
    def row_totals(self) -> list[int]:
        return [sum(row) for row in self.counts]

    @property
    def col_totals(self) -> list[int]:
        return [sum(row[j] for row in self.counts) for j in range(len(self.col_labels))]

    @property
    def n(self) -> int:
        """The number of observations in the table (N)."""
        return sum(self.row_totals)

    def column_percentages(self) -> list[list[float]]:
        """Each count as a percentage of its column total, as the reports print them.

        Every column with observations sums to 100; a column without any gives zeros.
        """
        totals = self.col_totals
        return [
            [100.0 * count / totals[j] if totals[j] else 0.0 for j, count in enumerate(row)]
            for row in self.counts
        ]


def crosstab(
    rows: Sequence[Hashable],
    cols: Sequence[Hashable],
    row_order: Sequence[Hashable] | None = None,
    col_order: Sequence[Hashable] | None = None,
) -> CrossTable:
    """Count paired observations: respondent ``k`` answered ``rows[k]`` and is in ``cols[k]``.

    ``row_order`` / ``col_order`` fix the labels and their order (a Likert scale from 1 to 5);
    a label in the order that nobody chose gets a row or column of zeros, and a value that is
    not in the order raises ``ValueError``. Without an order the labels are sorted, or, when
    they cannot be compared with each other, kept in order of first appearance. Missing answers
    (``None``) are counted like any other label: filter them out first if they should not be.
    """
    if len(rows) != len(cols):
        raise ValueError(f"rows and cols must pair up: {len(rows)} rows, {len(cols)} cols")
    row_labels = _labels(rows, row_order, "row")
    col_labels = _labels(cols, col_order, "column")
    row_index = {label: i for i, label in enumerate(row_labels)}
    col_index = {label: j for j, label in enumerate(col_labels)}
    counts = [[0] * len(col_labels) for _ in row_labels]
    for row_value, col_value in zip(rows, cols, strict=True):
        counts[row_index[row_value]][col_index[col_value]] += 1
    return CrossTable(row_labels, col_labels, counts)


def _labels(
    values: Sequence[Hashable], order: Sequence[Hashable] | None, what: str
) -> tuple[Hashable, ...]:
    """The labels of one dimension: the given order (checked), or the distinct values."""
    if order is not None:
        known = set(order)
        if len(known) != len(order):
            raise ValueError(f"the {what} order contains a label twice: {list(order)!r}")
        unknown = [value for value in dict.fromkeys(values) if value not in known]
        if unknown:
            raise ValueError(f"{what} values not in the given order: {unknown!r}")
        return tuple(order)
    distinct = list(dict.fromkeys(values))  # first appearance, without duplicates
    try:
        return tuple(sorted(distinct))  # type: ignore[type-var]
    except TypeError:  # labels of different kinds (e.g. 1 and "onbekend") cannot be sorted
        return tuple(distinct)


def _as_counts(table: Counts) -> list[list[int]]:
    """A rectangular table of non-negative integers as a list of lists of ``int``."""
    counts: list[list[int]] = []
    for row in table:
        converted: list[int] = []
        for value in row:
            if isinstance(value, bool) or value != int(value) or int(value) < 0:
                raise ValueError(f"counts must be non-negative integers, got {value!r}")
            converted.append(int(value))
        counts.append(converted)
    if not counts or not counts[0]:
        raise ValueError("the table of counts is empty")
    if any(len(row) != len(counts[0]) for row in counts):
        raise ValueError("the rows of the table of counts differ in length")
    return counts


# --------------------------------------------------------------------------------------------
# Pearson's χ² test of independence
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChiSquareResult:
    """Pearson's χ² test of independence on a cross table (no Yates correction).

    Rows and columns without any observation are dropped before the test; ``kept_rows`` and
    ``kept_cols`` are the indices (into the table as given) of those that remain, and
    ``expected[i][j]`` belongs to row ``kept_rows[i]`` and column ``kept_cols[j]``.
    """

    statistic: float
    dof: int
    p_value: float
    #: Expected counts under independence: row total × column total / N.
    expected: list[list[float]]
    #: Cramér's V = √(χ² / (N · (min(rows, cols) − 1))), between 0 and 1.
    cramers_v: float
    n: int
    #: Cochran's rule is broken: an expected count below 1, or more than 20 % below 5.
    small_expected: bool
    #: A Dutch warning for the report when ``small_expected``, else ``None``.
    warning: str | None
    #: Fisher's exact two-sided p for a 2×2 table with small expected counts, else ``None``.
    fisher_p_value: float | None
    kept_rows: tuple[int, ...]
    kept_cols: tuple[int, ...]

    @property
    def mark(self) -> str:
        return significance_mark(self.p_value)


def chi_square(table: CrossTable | Counts) -> ChiSquareResult:
    """Pearson's χ² test of independence, as the Werktop report printed it (χ², df, p).

    χ² = Σ (observed − expected)² / expected over all cells, with expected = row total × column
    total / N, and df = (rows − 1)(columns − 1) counted after dropping empty rows and columns.
    A table with fewer than two non-empty rows or columns raises ``ValueError``: there is
    nothing to compare.
    """
    counts = table.counts if isinstance(table, CrossTable) else _as_counts(table)
    if not counts or not counts[0]:
        raise ValueError("the table of counts is empty")
    kept_rows = tuple(i for i, row in enumerate(counts) if sum(row) > 0)
    kept_cols = tuple(j for j in range(len(counts[0])) if any(row[j] for row in counts))
    if len(kept_rows) < 2 or len(kept_cols) < 2:
        raise ValueError(
            "χ² needs at least 2 rows and 2 columns with observations; this table has "
            f"{len(kept_rows)} non-empty row(s) and {len(kept_cols)} non-empty column(s)"
        )
    observed = [[counts[i][j] for j in kept_cols] for i in kept_rows]
    row_totals = [sum(row) for row in observed]
    col_totals = [sum(column) for column in zip(*observed, strict=True)]
    n = sum(row_totals)
    expected = [[r * c / n for c in col_totals] for r in row_totals]

    statistic = math.fsum(
        (o - e) ** 2 / e
        for observed_row, expected_row in zip(observed, expected, strict=True)
        for o, e in zip(observed_row, expected_row, strict=True)
    )
    dof = (len(kept_rows) - 1) * (len(kept_cols) - 1)
    p_value = chi2_sf(statistic, dof)
    cramers_v = math.sqrt(statistic / (n * (min(len(kept_rows), len(kept_cols)) - 1)))

    cells = [e for row in expected for e in row]
    below_five = sum(1 for e in cells if e < SMALL_EXPECTED)
    smallest = min(cells)
    small_expected = smallest < MIN_EXPECTED or below_five > MAX_SHARE_SMALL * len(cells)

    fisher_p_value = None
    warning = None
    if small_expected:
        if len(kept_rows) == 2 and len(kept_cols) == 2:
            fisher_p_value = fisher_exact_2x2(observed)
        warning = _small_expected_warning(below_five, len(cells), smallest, fisher_p_value)

    return ChiSquareResult(
        statistic=statistic,
        dof=dof,
        p_value=p_value,
        expected=expected,
        cramers_v=cramers_v,
        n=n,
        small_expected=small_expected,
        warning=warning,
        fisher_p_value=fisher_p_value,
        kept_rows=kept_rows,
        kept_cols=kept_cols,
    )


def _small_expected_warning(
    below_five: int, cells: int, smallest: float, fisher_p_value: float | None
) -> str:
    """The Dutch note printed next to a χ² whose expected counts are too small."""
    text = (
        f"Let op: kleine verwachte aantallen ({below_five} van {cells} cellen onder de 5, "
        f"kleinste {smallest:.2f}). De χ²-toets is hier onbetrouwbaar"
    )
    if fisher_p_value is not None:
        return f"{text}; Fisher's exacte toets geeft p = {fisher_p_value:.3f}."
    return f"{text}; voeg categorieën samen of rapporteer alleen de percentages."


# --------------------------------------------------------------------------------------------
# Fisher's exact test
# --------------------------------------------------------------------------------------------


def fisher_exact_2x2(table: Counts) -> float:
    """Fisher's exact test on a 2×2 table, two-sided p-value.

    With the row and column totals fixed, the top-left count ``a`` follows a hypergeometric
    distribution: P(a) = C(r1, a) · C(r2, c1 − a) / C(N, c1), for ``a`` from
    max(0, c1 − r2) to min(r1, c1). The two-sided p-value is the total probability of all
    tables that are at most as probable as the observed one (with a relative slack of
    ``FISHER_RELATIVE_TOLERANCE`` for floating-point ties). The binomial coefficients are
    computed as logarithms with ``math.lgamma`` so large tables do not overflow.
    """
    counts = _as_counts(table)
    if len(counts) != 2 or len(counts[0]) != 2:
        raise ValueError("Fisher's exact test here takes a 2×2 table")
    (a, b), (c, d) = counts
    r1, r2, c1 = a + b, c + d, a + c
    n = r1 + r2
    if n == 0:
        raise ValueError("Fisher's exact test needs at least one observation")

    def log_probability(k: int) -> float:
        return _log_choose(r1, k) + _log_choose(r2, c1 - k) - _log_choose(n, c1)

    threshold = log_probability(a) + math.log1p(FISHER_RELATIVE_TOLERANCE)
    possible = [log_probability(k) for k in range(max(0, c1 - r2), min(r1, c1) + 1)]
    p_value = math.fsum(math.exp(log_p) for log_p in possible if log_p <= threshold)
    return min(1.0, p_value)


def _log_choose(n: int, k: int) -> float:
    """log C(n, k), the logarithm of the binomial coefficient."""
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


# --------------------------------------------------------------------------------------------
# t-test
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TTestResult:
    """A two-sample t-test (Welch, or Student with ``equal_var=True``), two-sided."""

    statistic: float
    dof: float
    p_value: float
    mean_a: float
    mean_b: float
    #: Sample standard deviations (dividing by n − 1).
    sd_a: float
    sd_b: float
    n_a: int
    n_b: int
    #: Cohen's d: (mean_a − mean_b) / pooled standard deviation.
    cohens_d: float
    equal_var: bool

    @property
    def mark(self) -> str:
        return significance_mark(self.p_value)


def t_test(a: Iterable[float], b: Iterable[float], *, equal_var: bool = False) -> TTestResult:
    """Compare the means of two independent samples, two-sided.

    Welch (the default) does not assume equal variances:
    t = (m_a − m_b) / √(s_a²/n_a + s_b²/n_b), with the Welch–Satterthwaite degrees of freedom
    (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1)).

    Student (``equal_var=True``) pools the variances:
    s_p² = ((n_a − 1)s_a² + (n_b − 1)s_b²) / (n_a + n_b − 2),
    t = (m_a − m_b) / (s_p √(1/n_a + 1/n_b)), with n_a + n_b − 2 degrees of freedom.

    Cohen's d always divides by the pooled s_p. Each group needs at least two values, and the
    values may not all be equal within both groups (the standard error would be zero).
    """
    xs, ys = _sample(a, "a"), _sample(b, "b")
    n_a, n_b = len(xs), len(ys)
    if n_a < 2 or n_b < 2:
        raise ValueError(f"a t-test needs at least 2 values per group, got {n_a} and {n_b}")
    mean_a, mean_b = _mean(xs), _mean(ys)
    var_a, var_b = _sample_variance(xs, mean_a), _sample_variance(ys, mean_b)
    pooled_var = ((n_a - 1) * var_a + (n_b - 1) * var_b) / (n_a + n_b - 2)
    if pooled_var == 0:
        raise ValueError("both groups have no spread (all values equal): t is undefined")

    dof: float
    if equal_var:
        standard_error = math.sqrt(pooled_var * (1 / n_a + 1 / n_b))
        dof = n_a + n_b - 2
    else:
        share_a, share_b = var_a / n_a, var_b / n_b
        standard_error = math.sqrt(share_a + share_b)
        dof = (share_a + share_b) ** 2 / (share_a**2 / (n_a - 1) + share_b**2 / (n_b - 1))
    statistic = (mean_a - mean_b) / standard_error
    return TTestResult(
        statistic=statistic,
        dof=dof,
        p_value=t_two_sided_p(statistic, dof),
        mean_a=mean_a,
        mean_b=mean_b,
        sd_a=math.sqrt(var_a),
        sd_b=math.sqrt(var_b),
        n_a=n_a,
        n_b=n_b,
        cohens_d=(mean_a - mean_b) / math.sqrt(pooled_var),
        equal_var=equal_var,
    )


def _sample(values: Iterable[float], name: str) -> list[float]:
    sample = [float(value) for value in values]
    if not all(math.isfinite(value) for value in sample):
        raise ValueError(f"sample {name} contains NaN or infinity")
    return sample


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _sample_variance(values: Sequence[float], mean: float) -> float:
    """Σ (x − mean)² / (n − 1), in two passes for accuracy."""
    return math.fsum((value - mean) ** 2 for value in values) / (len(values) - 1)


# --------------------------------------------------------------------------------------------
# Mann–Whitney U test
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MannWhitneyResult:
    """The Mann–Whitney U test (Wilcoxon rank-sum), two-sided, normal approximation."""

    #: U of sample a: the number of pairs (x from a, y from b) with x > y, ties counting ½.
    statistic: float
    p_value: float
    #: The continuity-corrected z, with the sign of U − n_a·n_b/2 (positive: a tends higher).
    z: float
    median_a: float
    median_b: float
    n_a: int
    n_b: int

    @property
    def mark(self) -> str:
        return significance_mark(self.p_value)


def mann_whitney(a: Iterable[float], b: Iterable[float]) -> MannWhitneyResult:
    """Do values in ``a`` tend to be larger or smaller than in ``b``? (Ordinal data: Likert.)

    All values are ranked together, tied values sharing their average rank. With R_a the rank
    sum of ``a``, U_a = R_a − n_a(n_a + 1)/2. Under the null hypothesis U_a has mean
    μ = n_a·n_b/2 and, corrected for ties, variance
    σ² = n_a·n_b/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))), summing over groups of t tied values.
    With the continuity correction z = (|U_a − μ| − ½) / σ and p = 2·(1 − Φ(z)), at most 1.
    """
    xs, ys = _sample(a, "a"), _sample(b, "b")
    n_a, n_b = len(xs), len(ys)
    if n_a < 1 or n_b < 1:
        raise ValueError(f"the Mann–Whitney test needs values in both groups: {n_a} and {n_b}")
    ranks, tie_sizes = _average_ranks(xs + ys)
    n = n_a + n_b
    u_a = math.fsum(ranks[:n_a]) - n_a * (n_a + 1) / 2
    mean_u = n_a * n_b / 2
    tie_term = sum(t**3 - t for t in tie_sizes) / (n * (n - 1)) if n > 1 else 0.0
    variance_u = n_a * n_b / 12 * ((n + 1) - tie_term)
    if variance_u <= 0:
        raise ValueError("all values are equal: the Mann–Whitney test is undefined")
    deviation = u_a - mean_u
    corrected = max(abs(deviation) - 0.5, 0.0)
    z = math.copysign(corrected / math.sqrt(variance_u), deviation)
    return MannWhitneyResult(
        statistic=u_a,
        p_value=min(1.0, 2 * normal_sf(abs(z))),
        z=z,
        median_a=statistics.median(xs),
        median_b=statistics.median(ys),
        n_a=n_a,
        n_b=n_b,
    )


def _average_ranks(values: Sequence[float]) -> tuple[list[float], list[int]]:
    """Ranks 1..n of the values (ties get the average of their ranks) and the tie-group sizes."""
    order = sorted(range(len(values)), key=lambda k: values[k])
    ranks = [0.0] * len(values)
    tie_sizes: list[int] = []
    start = 0
    while start < len(order):
        end = start  # the tied run is order[start..end]
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        average = (start + end) / 2 + 1  # positions start..end hold ranks start+1..end+1
        for position in range(start, end + 1):
            ranks[order[position]] = average
        tie_sizes.append(end - start + 1)
        start = end + 1
    return ranks, tie_sizes


# --------------------------------------------------------------------------------------------
# Difference between two proportions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProportionDifference:
    """The difference between two proportions (a − b), its interval and a pooled z-test."""

    p_a: float
    p_b: float
    difference: float
    ci_low: float
    ci_high: float
    confidence: float
    method: Literal["newcombe", "wald"]
    #: Pooled two-proportion z; 0 when both proportions are 0 or both are 1.
    z: float
    p_value: float

    @property
    def mark(self) -> str:
        return significance_mark(self.p_value)


def difference_of_proportions(
    successes_a: int,
    n_a: int,
    successes_b: int,
    n_b: int,
    confidence: float = 0.95,
    method: Literal["newcombe", "wald"] = "newcombe",
) -> ProportionDifference:
    """Compare two proportions: 15.8 % of candidates in regular work against 3.6 % of controls.

    The interval on p_a − p_b is, by default, **Newcombe's hybrid score interval** (Newcombe
    1998, method 10), built from the Wilson interval [l, u] of each proportion:
    from d − √((p_a − l_a)² + (u_b − p_b)²) to d + √((u_a − p_a)² + (p_b − l_b)²).
    It stays inside [−1, 1] and keeps its coverage for small N and proportions near 0 or 1.
    ``method="wald"`` gives the textbook d ± z·√(p_a(1 − p_a)/n_a + p_b(1 − p_b)/n_b), which
    is too narrow in exactly those cases.

    The test is the pooled two-proportion z-test: with p = (x_a + x_b)/(n_a + n_b),
    z = d / √(p(1 − p)(1/n_a + 1/n_b)), two-sided. z² equals Pearson's χ² on the 2×2 table.
    """
    for successes, n, name in ((successes_a, n_a, "a"), (successes_b, n_b, "b")):
        if n < 1 or not 0 <= successes <= n:
            raise ValueError(
                f"group {name}: need 0 ≤ successes ≤ n and n ≥ 1, got {successes} of {n}"
            )
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, got {confidence}")
    z_crit = normal_ppf(1 - (1 - confidence) / 2)
    p_a, p_b = successes_a / n_a, successes_b / n_b
    difference = p_a - p_b

    if method == "newcombe":
        low_a, high_a = wilson_interval(successes_a, n_a, confidence)
        low_b, high_b = wilson_interval(successes_b, n_b, confidence)
        ci_low = difference - math.hypot(p_a - low_a, high_b - p_b)
        ci_high = difference + math.hypot(high_a - p_a, p_b - low_b)
    elif method == "wald":
        half_width = z_crit * math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
        ci_low, ci_high = difference - half_width, difference + half_width
    else:
        raise ValueError(f"unknown interval method {method!r}: use 'newcombe' or 'wald'")

    pooled = (successes_a + successes_b) / (n_a + n_b)
    standard_error = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = difference / standard_error if standard_error > 0 else 0.0
    return ProportionDifference(
        p_a=p_a,
        p_b=p_b,
        difference=difference,
        ci_low=ci_low,
        ci_high=ci_high,
        confidence=confidence,
        method=method,
        z=z,
        p_value=min(1.0, 2 * normal_sf(abs(z))),
    )


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for one proportion x/n.

    The values of p for which |p̂ − p| ≤ z·√(p(1 − p)/n): centre (x + z²/2)/(n + z²),
    half-width z·√n/(n + z²) · √(p̂(1 − p̂) + z²/(4n)).
    """
    if n < 1 or not 0 <= successes <= n:
        raise ValueError(f"need 0 ≤ successes ≤ n and n ≥ 1, got {successes} of {n}")
    z = normal_ppf(1 - (1 - confidence) / 2)
    p_hat = successes / n
    centre = (successes + z * z / 2) / (n + z * z)
    half_width = z * math.sqrt(n) / (n + z * z) * math.sqrt(p_hat * (1 - p_hat) + z * z / (4 * n))
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


# --------------------------------------------------------------------------------------------
# Percentages back to counts
# --------------------------------------------------------------------------------------------


def reconstruct_counts(percentages: Sequence[float], n: int) -> list[int]:
    """The integer counts behind printed percentages of a group of ``n`` respondents.

    Each count is p·n/100 rounded half up. Rounded percentages rarely add up to exactly 100,
    so the counts may miss ``n`` by one or two: then the cells whose exact value lost most in
    the rounding get one more (or, if there are too many, the cells that gained most get one
    less) until the counts add up to ``n``. Percentages that are negative, or whose sum is
    more than 1 point away from 100, raise ``ValueError``.
    """
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    if any(p < 0 for p in percentages):
        raise ValueError(f"percentages must not be negative: {list(percentages)!r}")
    total = math.fsum(percentages)
    if abs(total - 100) > 1:
        raise ValueError(f"the percentages add up to {total:g}, not to about 100")
    exact = [p * n / 100 for p in percentages]
    counts = [math.floor(value + 0.5) for value in exact]
    shortfall = n - sum(counts)
    if abs(shortfall) > len(counts):
        raise ValueError(
            f"the percentages do not describe {n} respondents: the counts are "
            f"{abs(shortfall)} off, more than one per category"
        )
    # How much each cell lost by rounding (positive: rounded down).
    lost = [value - count for value, count in zip(exact, counts, strict=True)]
    if shortfall > 0:
        for i in sorted(range(len(counts)), key=lambda i: -lost[i])[:shortfall]:
            counts[i] += 1
    elif shortfall < 0:
        candidates = [i for i in range(len(counts)) if counts[i] > 0]
        for i in sorted(candidates, key=lambda i: lost[i])[:-shortfall]:
            counts[i] -= 1
    return counts


# --------------------------------------------------------------------------------------------
# Distribution functions
# --------------------------------------------------------------------------------------------


def normal_cdf(x: float) -> float:
    """Φ(x), the standard normal distribution function: ½·erfc(−x/√2)."""
    return 0.5 * math.erfc(-x / _SQRT2)


def normal_sf(x: float) -> float:
    """1 − Φ(x), computed as ½·erfc(x/√2) so it stays accurate far in the upper tail."""
    return 0.5 * math.erfc(x / _SQRT2)


# Acklam's rational approximation of the normal quantile (relative error below 1.15e-9):
# a rational function in (p − ½) for the central region, and in √(−2 log p) for the tails.
_ACKLAM_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_ACKLAM_B = (
    -5.447609879822406e01,
    1.615858368580409e02,
    -1.556989798598866e02,
    6.680131188771972e01,
    -1.328068155288572e01,
)
_ACKLAM_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_ACKLAM_D = (
    7.784695709041462e-03,
    3.224671290700398e-01,
    2.445134137142996e00,
    3.754408661907416e00,
)
_ACKLAM_SPLIT = 0.02425


def _polynomial(coefficients: Sequence[float], x: float) -> float:
    """c0·xᵏ + c1·xᵏ⁻¹ + … + ck (Horner's scheme)."""
    result = 0.0
    for coefficient in coefficients:
        result = result * x + coefficient
    return result


def normal_ppf(p: float) -> float:
    """The standard normal quantile Φ⁻¹(p): the z with Φ(z) = p (1.959964 for p = .975).

    Acklam's rational approximation, then one Halley step on Φ(z) − p using ``math.erfc``,
    which brings it to near machine precision. For p > ½ it returns −Φ⁻¹(1 − p): 1 − p is
    exact in floating point there, and the lower tail is where erfc is accurate. Accurate to
    about 1e-15 (relative) for p ≥ 1e-300; p must lie strictly between 0 and 1.
    """
    if not 0 < p < 1:
        raise ValueError(f"the normal quantile needs 0 < p < 1, got {p}")
    if p > 0.5:
        return -normal_ppf(1 - p)
    if p < _ACKLAM_SPLIT:  # lower tail
        q = math.sqrt(-2 * math.log(p))
        x = _polynomial(_ACKLAM_C, q) / (_polynomial(_ACKLAM_D, q) * q + 1)
    else:  # central region
        q = p - 0.5
        r = q * q
        x = q * _polynomial(_ACKLAM_A, r) / (_polynomial(_ACKLAM_B, r) * r + 1)
    # Halley: with e = Φ(x) − p and u = e / φ(x), x ← x − u / (1 + x·u/2).
    error = normal_cdf(x) - p
    u = error * _SQRT_2PI * math.exp(x * x / 2)
    return x - u / (1 + x * u / 2)


def chi2_sf(x: float, dof: float) -> float:
    """P(X ≥ x) for X ~ χ²(dof): the p-value of a χ² statistic.

    The χ² distribution with k degrees of freedom is a gamma distribution with shape k/2 and
    scale 2, so its tail is the regularized upper incomplete gamma function Q(k/2, x/2).
    """
    if dof <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {dof}")
    if x <= 0:
        return 1.0
    return regularized_gamma_q(dof / 2, x / 2)


def regularized_gamma_q(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x) / Γ(a) = (1/Γ(a)) ∫ₓ^∞ t^(a−1) e^(−t) dt, for a > 0 and x ≥ 0.

    Two ways to compute it, each used where it converges fast:

    - for x < a + 1, the power series of the lower function P = 1 − Q:
      P(a, x) = e^(−x) x^a / Γ(a + 1) · Σₙ xⁿ / ((a + 1)(a + 2)…(a + n)); Q is then not
      close to 0, so 1 − P loses no relative accuracy;
    - for x ≥ a + 1, the continued fraction of Q itself:
      Q(a, x) = e^(−x) x^a / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) /
      (x + 5 − a − …))), i.e. b₀ = x + 1 − a, aₙ = −n(n − a), bₙ = x + 2n + 1 − a.

    The common factor e^(−x) x^a / Γ(a) is computed as exp(a·log x − x − log Γ(a)).
    """
    if a <= 0:
        raise ValueError(f"the shape a must be positive, got {a}")
    if x < 0:
        raise ValueError(f"x must not be negative, got {x}")
    if x == 0:
        return 1.0
    if x < a + 1:
        return 1.0 - _lower_gamma_series(a, x)
    log_factor = a * math.log(x) - x - math.lgamma(a)
    fraction = _continued_fraction(
        x + 1 - a, lambda n: (-n * (n - a), x + 2 * n + 1 - a), "the incomplete gamma function"
    )
    return math.exp(log_factor) / fraction


def _lower_gamma_series(a: float, x: float) -> float:
    """P(a, x) by its power series (see ``regularized_gamma_q``); converges fast for x < a + 1."""
    term = 1.0
    total = 1.0
    for n in range(1, _MAX_ITERATIONS):
        term *= x / (a + n)
        total += term
        if term < total * _EPSILON:
            return math.exp(a * math.log(x) - x - math.lgamma(a + 1)) * total
    raise ArithmeticError(f"the incomplete gamma series did not converge for a={a}, x={x}")


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) = B(x; a, b) / B(a, b), the regularized incomplete beta function, 0 ≤ x ≤ 1."""
    if not 0 <= x <= 1:
        raise ValueError(f"x must lie in [0, 1], got {x}")
    return _regularized_beta(a, b, x, 1 - x)


def _regularized_beta(a: float, b: float, x: float, y: float) -> float:
    """I_x(a, b) with y = 1 − x passed in separately (a caller can often compute it exactly).

    The continued fraction
    I_x(a, b) = x^a y^b / (a·B(a, b)) · 1 / (1 + d₁ / (1 + d₂ / (1 + …))), with
    d₂ₘ₊₁ = −(a + m)(a + b + m)·x / ((a + 2m)(a + 2m + 1)) and
    d₂ₘ = m(b − m)·x / ((a + 2m − 1)(a + 2m)),
    converges fast for x < (a + 1)/(a + b + 2). Above that, the symmetry
    I_x(a, b) = 1 − I_y(b, a) moves the work to where it converges fast.
    """
    if a <= 0 or b <= 0:
        raise ValueError(f"a and b must be positive, got {a} and {b}")
    if x == 0:
        return 0.0
    if y == 0:
        return 1.0
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _regularized_beta(b, a, y, x)

    def term(n: int) -> tuple[float, float]:
        m = n // 2
        if n % 2:  # odd: n = 2m + 1
            d = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        else:  # even: n = 2m
            d = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        return d, 1.0

    log_factor = (
        a * math.log(x)
        + b * math.log(y)
        + math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        - math.log(a)
    )
    return math.exp(log_factor) / _continued_fraction(1.0, term, "the incomplete beta function")


def t_two_sided_p(t: float, dof: float) -> float:
    """P(|T| ≥ |t|) for T ~ Student's t with ``dof`` degrees of freedom.

    The two-sided tail is I_x(dof/2, 1/2) with x = dof / (dof + t²); its complement
    1 − x = t² / (dof + t²) is passed in computed directly, so a small t loses no accuracy.
    """
    if dof <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {dof}")
    if t == 0:
        return 1.0
    if math.isinf(t):
        return 0.0
    denominator = dof + t * t
    return _regularized_beta(dof / 2, 0.5, dof / denominator, t * t / denominator)


def _continued_fraction(b0: float, term: Callable[[int], tuple[float, float]], what: str) -> float:
    """b₀ + a₁/(b₁ + a₂/(b₂ + …)), with ``term(n)`` = (aₙ, bₙ), by the modified Lentz method.

    Lentz's method keeps the value as the product f = b₀·Π(Cₙ·Dₙ), where Cₙ and Dₙ are ratios
    of successive numerators and denominators of the convergents: Dₙ = 1/(bₙ + aₙ·Dₙ₋₁) and
    Cₙ = bₙ + aₙ/Cₙ₋₁. It stops when a factor Cₙ·Dₙ is 1 to within ``_EPSILON``. A zero
    anywhere is replaced by a tiny number so no step divides by zero.
    """
    f = b0 if b0 != 0 else _TINY
    c = f
    d = 0.0
    for n in range(1, _MAX_ITERATIONS):
        a_n, b_n = term(n)
        d = b_n + a_n * d
        d = 1 / (d if d != 0 else _TINY)
        c = b_n + a_n / c
        c = c if c != 0 else _TINY
        step = c * d
        f *= step
        if abs(step - 1) < _EPSILON:
            return f
    raise ArithmeticError(f"the continued fraction for {what} did not converge")
