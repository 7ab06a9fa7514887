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


def test_the_svg_is_labelled_for_people_who_cannot_see_it_and_escapes_its_words() -> None:
    svg = measure_chart(
        ENGAGEMENT,
        [("<b>Cases</b>", row(Counts(200, 0, 0, 0, 50, 30))), ("Few", row(Counts(3), {"n"}))],
        chart_id="chart-test",
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img" aria-labelledby="chart-test-title chart-test-desc"' in svg
    assert (
        '<desc id="chart-test-desc">&lt;b&gt;Cases&lt;/b&gt;: positive 25.0%, negative 15.0%, '
        "unknown 60.0%. Few: not shown.</desc>" in svg
    )
    assert "<b>" not in svg
    assert "style" not in svg and "<script" not in svg
    assert "Withheld: too few cases to show" in svg
