"""The charts: drawn on the server, showing only what the tables show."""

from engagement.chart import measure_chart, segments
from engagement.factors import ENGAGEMENT, SUPPORT_ACCEPTED, SUPPORT_OFFERED
from engagement.tables import Counts, Row


def row(counts: Counts, withheld: set[str] = frozenset()) -> Row:  # type: ignore[assignment]
    return Row(None, {k: None if k in withheld else v for k, v in counts.cells().items()})


def test_a_bar_is_divided_by_outcome() -> None:
    assert segments(row(Counts(100, 25)), SUPPORT_OFFERED) == [
        ("Offered", 25, False),
        ("Not offered", 75, False),
    ]


def test_withheld_outcomes_are_drawn_together_at_the_size_the_totals_already_give() -> None:
    counts = Counts(100, 40, 3, 30)  # 7 offered with no answer recorded
    parts = segments(row(counts, {"accepted", "pending"}), SUPPORT_ACCEPTED)
    assert parts == [("Declined", 30, False), ("Withheld", 10, True)]


def test_no_bar_when_its_total_is_withheld() -> None:
    assert segments(row(Counts(4, 1), {"n", "offered", "not_offered"}), SUPPORT_OFFERED) is None


def test_the_words_are_html_above_each_bar_and_the_bars_draw_only_what_is_shown() -> None:
    chart = measure_chart(
        ENGAGEMENT,
        [("<b>Cases</b>", row(Counts(200, 0, 0, 0, 50, 30))), ("Few", row(Counts(3), {"n"}))],
        chart_id="chart-test",
    )
    assert chart.startswith('<div class="chart" id="chart-test">')
    assert (
        '<p class="chart-label"><strong>&lt;b&gt;Cases&lt;/b&gt;</strong>: positive 25.0%, '
        "negative 15.0%, unknown 60.0%</p>"
    ) in chart
    assert "<b>" not in chart
    assert (
        '<p class="chart-label"><strong>Few</strong>: withheld: too few cases to show</p>' in chart
    )
    assert chart.count('preserveAspectRatio="none"') == 1  # a bar for the first group only
    assert 'width="250.0"' in chart and 'width="150.0"' in chart and 'width="600.0"' in chart
    assert 'aria-hidden="true"' in chart  # the words above say it all
    assert "style" not in chart and "<script" not in chart
    assert chart.count("<li>") == 4  # positive, negative, unknown, withheld
