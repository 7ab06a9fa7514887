"""A chart per measure, drawn on the server as SVG: no script, no style, nothing fetched.

One horizontal bar per group (each cohort, or each period), divided into the measure's
outcomes (offered / not offered; accepted / declined / no answer recorded; positive /
negative / unknown). A bar shows only what the tables show: withheld outcomes are drawn
together as one "withheld" part, whose size is already known from the totals, and a group
whose total is withheld gets no bar.

The words stay in HTML, above each bar, so they read at any width and to a screen
reader; each bar is an SVG stretched to the width of the page (so it carries no text of
its own) and hidden from screen readers, which have the words.
"""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from engagement.factors import Measure
from engagement.findings import percent_words
from engagement.tables import Row

BAR_WIDTH = 1000  # the bar's own units; it stretches to whatever width the page gives
BAR_HEIGHT = 24
# The fill of each outcome, in order, then of the withheld part (white, outlined).
FILLS = ("#1d3557", "#8fb3d9", "#d9d9d9")
WITHHELD_FILL = "#ffffff"


def segments(row: Row, measure: Measure) -> list[tuple[str, int, bool]] | None:
    """(words, cases, withheld) for each part of the bar; None when the total is withheld."""
    whole = row.get(measure.whole)
    if whole is None:
        return None
    parts = [(words, row.get(kind)) for kind, words in measure.parts if kind in row.cells]
    shown = [(words, value, False) for words, value in parts if value is not None]
    withheld = whole - sum(value for _, value, _ in shown)
    if any(value is None for _, value in parts):
        shown.append(("Withheld", withheld, True))
    return shown


def _bar(parts: list[tuple[str, int, bool]], whole: int) -> SafeString:
    rects = []
    left = 0.0
    fills = iter(FILLS)
    for _, cases, withheld in parts:
        width = BAR_WIDTH * cases / whole
        rects.append(
            format_html(
                '<rect x="{}" y="0" width="{}" height="{}" fill="{}" stroke="#1b1b1b"'
                ' stroke-width="1" vector-effect="non-scaling-stroke"/>',
                f"{left:.1f}",
                f"{width:.1f}",
                BAR_HEIGHT,
                WITHHELD_FILL if withheld else next(fills),
            )
        )
        left += width
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" preserveAspectRatio="none"'
        ' width="100%" height="{}" aria-hidden="true" focusable="false">{}</svg>',
        BAR_WIDTH,
        BAR_HEIGHT,
        BAR_HEIGHT,
        format_html_join("", "{}", ((rect,) for rect in rects)),
    )


def _swatch(fill: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="12" height="12" aria-hidden="true"'
        ' focusable="false"><rect x="0.5" y="0.5" width="11" height="11" fill="{}"'
        ' stroke="#1b1b1b" stroke-width="1"/></svg>',
        fill,
    )


def measure_chart(
    measure: Measure, bars: Sequence[tuple[str, Row]], *, chart_id: str
) -> SafeString:
    """The bars of one measure, each with its words above it, and a key."""
    pieces = []
    for label, row in bars:
        parts = segments(row, measure)
        whole = row.get(measure.whole)
        if parts is None:
            words = "withheld: too few cases to show"
        elif not whole:
            words = "no cases"
        else:
            words = ", ".join(
                f"{part.lower()} {percent_words(100 * cases / whole)}" for part, cases, _ in parts
            )
        pieces.append(
            format_html('<p class="chart-label"><strong>{}</strong>: {}</p>', label, words)
        )
        if parts is not None and whole:
            pieces.append(_bar(parts, whole))
    kinds = [words for kind, words in measure.parts if any(kind in r.cells for _, r in bars)]
    fills = [*FILLS[: len(kinds)], WITHHELD_FILL]
    key = format_html_join(
        "",
        "<li>{} {}</li>",
        ((_swatch(fill), words) for words, fill in zip([*kinds, "Withheld"], fills, strict=True)),
    )
    return format_html(
        '<div class="chart" id="{}">{}<ul class="legend">{}</ul></div>',
        chart_id,
        format_html_join("", "{}", ((piece,) for piece in pieces)),
        key,
    )
