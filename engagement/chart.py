"""A chart per measure, drawn on the server as SVG: no script, no style, nothing fetched.

One horizontal bar per group (each cohort, or each period), divided into the measure's
outcomes (offered / not offered; accepted / declined / no answer recorded; positive /
negative / unknown). A bar shows only what the tables show: withheld outcomes are drawn
together as one "withheld" part, whose size is already known from the totals, and a group
whose total is withheld gets no bar. Each part carries its words in a <title>, and the
chart a text description, for people who cannot see it; the tables beside it hold the
same figures.
"""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from engagement.factors import Measure
from engagement.findings import percent_words
from engagement.tables import Row

WIDTH = 640
BAR = 26
GAP = 44  # from one bar's top to the next: room for the label above it
LABEL_SPACE = 18
# Fill and text colour of each outcome, in order; the withheld part is white, outlined.
COLOURS = (("#1d3557", "#ffffff"), ("#8fb3d9", "#1b1b1b"), ("#d9d9d9", "#1b1b1b"))
WITHHELD = ("#ffffff", "#1b1b1b")
SMALLEST_LABELLED = 0.07  # parts narrower than this carry no number inside


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


def measure_chart(
    measure: Measure, bars: Sequence[tuple[str, Row]], *, chart_id: str
) -> SafeString:
    height = len(bars) * GAP + 40
    pieces = []
    descriptions = []
    for index, (label, row) in enumerate(bars):
        top = index * GAP + LABEL_SPACE
        pieces.append(
            format_html('<text x="0" y="{}" class="chart-label">{}</text>', top - 5, label)
        )
        parts = segments(row, measure)
        whole = row.get(measure.whole)
        if parts is None or not whole:
            pieces.append(
                format_html(
                    '<text x="0" y="{}" class="chart-note">{}</text>',
                    top + BAR - 8,
                    "Withheld: too few cases to show" if parts is None else "No cases",
                )
            )
            descriptions.append(f"{label}: not shown.")
            continue
        left = 0.0
        words_for_bar = []
        colours = iter(COLOURS)
        for words, cases, withheld in parts:
            share = cases / whole
            fill, ink = WITHHELD if withheld else next(colours)
            width = share * WIDTH
            text = percent_words(100 * share)
            together = " together" if withheld else ""
            tooltip = f"{label}, {words.lower()}{together}: {cases:,} of {whole:,} ({text})"
            pieces.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#1b1b1b"'
                    ' stroke-width="0.5"><title>{}</title></rect>',
                    f"{left:.1f}",
                    top,
                    f"{width:.1f}",
                    BAR,
                    fill,
                    tooltip,
                )
            )
            if share >= SMALLEST_LABELLED:
                pieces.append(
                    format_html(
                        '<text x="{}" y="{}" fill="{}" class="chart-value">{}</text>',
                        f"{left + 6:.1f}",
                        top + BAR - 8,
                        ink,
                        text,
                    )
                )
            words_for_bar.append(f"{words.lower()} {text}")
            left += width
        descriptions.append(f"{label}: {', '.join(words_for_bar)}.")
    legend_top = len(bars) * GAP + 14
    legend = []
    x = 0
    keys = [words for kind, words in measure.parts if any(kind in r.cells for _, r in bars)]
    fills = [fill for fill, _ in COLOURS[: len(keys)]] + [WITHHELD[0]]
    for words, fill in zip([*keys, "Withheld"], fills, strict=True):
        legend.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}" stroke="#1b1b1b"'
                ' stroke-width="0.5"/><text x="{}" y="{}" class="chart-legend">{}</text>',
                x,
                legend_top,
                fill,
                x + 16,
                legend_top + 11,
                words,
            )
        )
        x += 22 + 8 * len(words)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" font-family="system-ui, sans-serif" font-size="13">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        measure.label,
        chart_id,
        " ".join(descriptions),
        format_html_join("", "{}", ((piece,) for piece in pieces)),
        format_html_join("", "{}", ((piece,) for piece in legend)),
    )
