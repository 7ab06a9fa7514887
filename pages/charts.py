"""The wellbeing and trust chart on the case page, worked out on the server for an SVG.

Pure geometry: scores and early-warning levels over a span of days in, the shapes to draw
and a sentence for people who cannot see the chart out. The template draws it with classes
styled by the stylesheet (no inline style), the lines told apart by dash as well as colour.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pages import words
from pages.ontime import Week

WIDTH = 640
HEIGHT = 260
LEFT = 36
RIGHT = WIDTH - 12
BAND_TOP = 8
BAND_HEIGHT = 18
PLOT_TOP = 40
PLOT_BOTTOM = 220
MIN_SCORE, MAX_SCORE = 1, 5
SPAN_DAYS = 84  # twelve weeks
LEVEL_WORDS = {"watch": "watch", "high": "high"}


@dataclass(frozen=True)
class Score:
    at: datetime
    wellbeing: int | None
    trust: int | None


@dataclass(frozen=True)
class LevelChange:
    on: date
    level: str  # "none", "watch" or "high"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    level: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str
    anchor: str = "middle"  # where the label sits on its tick (SVG text-anchor)


@dataclass(frozen=True)
class Row:
    when: str
    wellbeing: str
    trust: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    wellbeing_line: str
    trust_line: str
    wellbeing_dots: tuple[Dot, ...]
    trust_dots: tuple[Dot, ...]
    bands: tuple[Band, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    summary: str
    rows: tuple[Row, ...]
    band_top: int = BAND_TOP
    band_height: int = BAND_HEIGHT
    plot_top: int = PLOT_TOP
    plot_bottom: int = PLOT_BOTTOM
    left: int = LEFT
    right: int = RIGHT

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def has_scores(self) -> bool:
        return bool(self.wellbeing_dots or self.trust_dots)


def _x(moment: datetime, start: datetime, end: datetime) -> float:
    fraction = (moment - start) / (end - start)
    return round(LEFT + max(0.0, min(1.0, fraction)) * (RIGHT - LEFT), 1)


def _y(score: int) -> float:
    fraction = (score - MIN_SCORE) / (MAX_SCORE - MIN_SCORE)
    return round(PLOT_BOTTOM - fraction * (PLOT_BOTTOM - PLOT_TOP), 1)


def _line(dots: Sequence[Dot]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{d.x},{d.y}" for i, d in enumerate(dots))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=words.LONDON)


def _bands(levels: Sequence[LevelChange], *, start: datetime, end: datetime) -> list[Band]:
    """The early-warning level as a strip: each change holds until the next one."""
    spans = [
        (max(_start_of(change.on), start), change.level)
        for change in sorted(levels, key=lambda change: change.on)
    ]
    bands = []
    for index, (begins, level) in enumerate(spans):
        ends = spans[index + 1][0] if index + 1 < len(spans) else end
        if level not in LEVEL_WORDS or ends <= start or begins >= end:
            continue
        x = _x(begins, start, end)
        bands.append(Band(x=x, width=round(max(_x(ends, start, end) - x, 2.0), 1), level=level))
    return bands


def _summary(scores: Sequence[Score], current: str, *, now: datetime) -> str:
    """The chart in words, for people who cannot see it: latest, lowest and highest."""
    parts = []
    for name, values in (
        ("Wellbeing", [(s.at, s.wellbeing) for s in scores if s.wellbeing is not None]),
        ("Trust", [(s.at, s.trust) for s in scores if s.trust is not None]),
    ):
        if not values:
            continue
        last_at, last = values[-1]
        day = words.day_words(words.local(last_at).date(), today=words.local(now).date())
        sentence = f"{name}: {last} out of 5 when last scored ({day})"
        if len(values) > 1:
            numbers = [value for _, value in values]
            sentence += f"; between {min(numbers)} and {max(numbers)} over 12 weeks"
        parts.append(sentence + ".")
    level = {"high": "high", "watch": "watch"}.get(current, "below watch level")
    if not parts:
        parts.append("No wellbeing or trust scores in the last 12 weeks.")
    return " ".join(parts) + f" Early warning now: {level}."


def build(
    scores: Sequence[Score],
    levels: Sequence[LevelChange],
    *,
    current_level: str,
    now: datetime,
    span_days: int = SPAN_DAYS,
) -> Chart:
    """The chart of the last ``span_days``.

    ``levels`` are the early-warning level's changes (each holds until the next);
    ``current_level`` is the level now, for the sentence.
    """
    end = now
    start = now - timedelta(days=span_days)
    shown = sorted((s for s in scores if start <= s.at <= end), key=lambda s: s.at)
    wellbeing = [
        Dot(_x(s.at, start, end), _y(s.wellbeing), f"Wellbeing {s.wellbeing}")
        for s in shown
        if s.wellbeing is not None
    ]
    trust = [
        Dot(_x(s.at, start, end), _y(s.trust), f"Trust {s.trust}")
        for s in shown
        if s.trust is not None
    ]
    weeks = span_days // 7
    # A label every four weeks: five fit a phone's width without touching.
    tick_weeks = list(range(0, weeks + 1, 4))
    x_ticks = tuple(
        Tick(
            _x(start + timedelta(days=7 * week), start, end),
            words.short_date(words.local(start + timedelta(days=7 * week)).date()),
            # The outermost labels stay inside the drawing.
            "start"
            if week == 0
            else "end"
            if week == tick_weeks[-1] and week == weeks
            else "middle",
        )
        for week in tick_weeks
    )
    y_ticks = tuple(Tick(_y(score), str(score)) for score in range(MIN_SCORE, MAX_SCORE + 1))
    rows = tuple(
        Row(
            when=words.full_moment(s.at),
            wellbeing=str(s.wellbeing) if s.wellbeing is not None else "not scored",
            trust=str(s.trust) if s.trust is not None else "not scored",
        )
        for s in reversed(shown)
        if s.wellbeing is not None or s.trust is not None
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        wellbeing_line=_line(wellbeing),
        trust_line=_line(trust),
        wellbeing_dots=tuple(wellbeing),
        trust_dots=tuple(trust),
        bands=tuple(_bands(levels, start=start, end=end)),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        summary=_summary(shown, current_level, now=now),
        rows=rows,
    )


# --- Updates on time, week by week (the dashboard) ----------------------------------------

SHARE_HEIGHT = 240
SHARE_TOP = 12
SHARE_BOTTOM = 200
SHARE_LEFT = 72  # room for "100%" at a phone's larger labels
BAR_GAP = 8
MIN_BAR = 3


@dataclass(frozen=True)
class WeekBar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the week in words, for its row in the table
    on_time: int
    total: int
    percent: int | None


@dataclass(frozen=True)
class ShareChart:
    width: int
    height: int
    bars: tuple[WeekBar, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    summary: str
    left: int = SHARE_LEFT
    right: int = RIGHT
    top: int = SHARE_TOP
    bottom: int = SHARE_BOTTOM

    @property
    def has_updates(self) -> bool:
        return any(bar.total for bar in self.bars)


def _share_y(percent: float) -> float:
    return round(SHARE_BOTTOM - percent / 100 * (SHARE_BOTTOM - SHARE_TOP), 1)


def _share_summary(weeks: Sequence[Week]) -> str:
    """The chart in words: this week, last week, and the range over the weeks shown."""
    counted = [w for w in weeks if w.total]
    if not counted:
        return f"No updates were due in the last {len(weeks)} weeks."
    parts = []
    for name, week in (("This week so far", weeks[-1]), ("Last week", weeks[-2])):
        if week.total:
            parts.append(
                f"{name}: {week.percent}% on time ({week.on_time} of {week.total} updates)."
            )
        else:
            parts.append(f"{name}: no updates due.")
    percents = [w.percent for w in counted]
    parts.append(
        f"Over {len(weeks)} weeks: between {min(percents)}% and {max(percents)}% on time, "
        f"{sum(w.on_time for w in counted)} of {sum(w.total for w in counted)} in all."
    )
    return " ".join(parts)


def share_chart(weeks: Sequence[Week]) -> ShareChart:
    """A column per week (an ``ontime.Week``), as tall as its share of updates on time; a
    week with no updates due has no column, which the table says in words."""
    count = max(len(weeks), 1)
    slot = (RIGHT - SHARE_LEFT) / count
    bars = []
    for index, week in enumerate(weeks):
        percent = week.percent
        top = _share_y(percent) if percent is not None else SHARE_BOTTOM
        if percent is not None:
            # A week with every update late still shows a sliver: none on time, not none due.
            top = min(top, SHARE_BOTTOM - MIN_BAR)
        bars.append(
            WeekBar(
                x=round(SHARE_LEFT + index * slot + BAR_GAP / 2, 1),
                y=top,
                width=round(slot - BAR_GAP, 1),
                height=round(SHARE_BOTTOM - top, 1),
                label=f"Week beginning {words.short_date(week.starts_on)}",
                on_time=week.on_time,
                total=week.total,
                percent=percent,
            )
        )
    # The current week and every fourth before it, counted back from it: evenly
    # spaced, so no two labels crowd each other, nor the first the 0% beside it.
    shown = sorted(range(len(weeks) - 1, -1, -4))
    # The current week's label ends at the right edge, clear of the one before it.
    x_ticks = tuple(
        Tick(RIGHT, "This week", "end")
        if index == len(weeks) - 1
        else Tick(
            round(SHARE_LEFT + (index + 0.5) * slot, 1), words.short_date(weeks[index].starts_on)
        )
        for index in shown
    )
    y_ticks = tuple(Tick(_share_y(p), f"{p}%") for p in (0, 50, 100))
    return ShareChart(
        width=WIDTH,
        height=SHARE_HEIGHT,
        bars=tuple(bars),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        summary=_share_summary(weeks),
    )
