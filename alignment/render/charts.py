"""Plotly figures: one strip per statement, 0 to 100 % agreeing, the survey's figures and our markers.

Every row is laid out in pixels (StripStyle): the statement's label in its own band at the top of the row,
the markers and their intervals in the band below it, and alternate rows shaded, so a label never meets a
marker, whatever its length, and each dot visibly belongs to one statement. The page and the projector use
the same geometry at different sizes."""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.graph_objects as go

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.core.text import escape_plotly
from alignment.org.rounds import RoundResults
from alignment.org.sentences import share_text
from alignment.quick.compare import Stance, Summary
from alignment.quick.sentences import PREVIOUS_YEAR, answer_label, population
from alignment.render.palette import COLOURS, PLACEMENT, SIDE_COLOURS, YOU_COLOUR
from benchmark import Figure


@dataclass(frozen=True)
class StripStyle:
    """Sizes in pixels. A row is: gap, label band, gap, marker band (the markers `offset` above and below the
    line, plus their size), gap."""

    label_size: int = 14
    tick_size: int = 13
    legend_size: int = 13
    marker: int = 12  # diameter
    offset: int = 9  # IT (and CIOs) this far above the line, marketing (and CMOs) as far below
    gap: int = 5
    legend_width: int = 620  # the width the legend is expected to wrap in, to reserve its height
    previous_year: bool = True  # the survey's 2012 figures, hollow
    # Legend entries in this many equal columns (a grid of known height: no guess at where it wraps); 0 lets
    # them flow, wrapping at about legend_width.
    legend_columns: int = 0
    legend_counts: bool = True  # a side's entry says on how many answers (the room's count cards say it)
    label_line: float = 1.3  # a label's band, in its font size
    # Labels left of their strip, in a margin as wide as the longest (a wide, short screen: a row is then as
    # high as its markers, not its label and its markers); else above it, in a band of their own.
    label_left: bool = False
    axis_pad: int = 22  # below the axis: around its ticks and its title

    @property
    def label_band(self) -> int:
        return math.ceil(self.label_line * self.label_size)

    @property
    def marker_band(self) -> int:
        return 2 * self.offset + self.marker + 4

    @property
    def row(self) -> int:
        if self.label_left:
            return max(self.label_band, self.marker_band) + 2 * self.gap
        return self.label_band + self.marker_band + 3 * self.gap

    def label_y(self, bottom: float) -> float:
        """Where a row's label sits (its middle), for a row whose bottom edge is at `bottom` (in rows)."""
        if self.label_left:
            return self.line_y(bottom)
        return bottom + 1 - (self.gap + self.label_band / 2) / self.row

    def line_y(self, bottom: float) -> float:
        """Where a row's strip line is: the middle of its marker band (of the row, labels on the left)."""
        if self.label_left:
            return bottom + 0.5
        return bottom + (self.gap + self.marker_band / 2) / self.row

    def label_width(self, labels: list[str]) -> int:
        """The left margin for labels on the left (characters at ~0.46 em, and a gap), else none."""
        return math.ceil(0.46 * self.label_size * max(map(len, labels), default=0)) + 16 if self.label_left else 0

    def lift(self, direction: float) -> float:
        """A marker's vertical offset from the line, in rows (direction +1 above, -1 below)."""
        return direction * self.offset / self.row

    def legend_rows(self, names: list[str]) -> int:
        """How many lines the legend takes: in legend_columns, or at legend_width (characters at ~0.55 em,
        40 px per symbol)."""
        if self.legend_columns:
            return max(1, math.ceil(len(names) / self.legend_columns))
        rows, x = 1, 0.0
        for name in names:
            width = 40 + 0.56 * self.legend_size * len(name)
            if x and x + width > self.legend_width:
                rows, x = rows + 1, 0.0
            x += width
        return rows


PAGE = StripStyle()
# The room view's three: no 2012 figures, the legend in a grid of three columns (two on a phone), so six
# entries (the survey's two, four sides) take two lines whatever the language, and a side's entry without its
# count (the count cards beside or above the chart say on how many answers its figures are).
ROOM = dict(previous_year=False, legend_counts=False, legend_columns=3)
# 24 px text (the least a room reads from its back), rows of 75 px: the ten statements, the legend and the axis
# fit under the title and the chart's heading of a 1920 x 1080 screen (about 930 px).
PROJECTOR = StripStyle(label_size=24, tick_size=24, legend_size=24, marker=14, offset=8, gap=3, **ROOM)
# 1280 x 720 (and any screen from 641 to 1599 px wide): the whole chart under a one-line title, a line of
# counts and the chart's heading, 18 px text (on a projector the same size of picture as 27 px at 1920): the
# labels left of their strips (the screen is wide for its height), rows of 34 px, the legend in two columns of
# the strips' width, the axis title close to its ticks.
COMPACT = StripStyle(
    label_size=18,
    tick_size=18,
    legend_size=18,
    marker=10,
    offset=6,
    gap=4,
    label_left=True,
    axis_pad=12,
    **{**ROOM, "legend_columns": 2},
)
PHONE = StripStyle(label_size=15, tick_size=14, legend_size=14, marker=12, **{**ROOM, "legend_columns": 2})


@dataclass(frozen=True)
class Series:
    """Our own markers on the strips: one value (0-100) per statement, or None to leave a row empty."""

    name: str
    values: list[float | None]
    colour: str
    symbol: str = "circle"
    opacity: float = 1.0
    lows: list[float | None] | None = None  # interval bounds, drawn as error bars
    highs: list[float | None] | None = None
    hover: list[str] | None = None
    direction: float = 0.0  # above (+1) or below (-1) the line, by the style's offset


ROW_SHADE = "#f1f3f6"
LINE = "#b9bdc4"


def _percent_axis(t: Translator, style: StripStyle) -> dict:
    ticks = [0, 25, 50, 75, 100]
    return dict(
        range=[-4, 104],
        tickvals=ticks,
        ticktext=[t.percent(v) for v in ticks],
        zeroline=False,
        fixedrange=True,
        tickfont=dict(size=style.tick_size),
        title=dict(text=escape_plotly(t("chart.axis")), font=dict(size=style.tick_size), standoff=6),
        showgrid=True,
        gridcolor="#e3e5e8",
    )


def strips(
    t: Translator,
    labels: list[str],
    figures: list[dict[tuple[str, int], Figure]],
    series: list[Series],
    style: StripStyle = PAGE,
) -> go.Figure:
    """Horizontal strips, one per label (written above its strip, so narrow screens keep the plot wide):
    the survey's CIO and CMO figures (2014 solid, 2012 hollow) and the given series; the legend above the
    plot, the axis and its title below it.

    Every label, name and hover text is plain text, escaped here (plotly reads <b>, <br>, <a href>):
    round labels come from users, typed or in an uploaded export."""
    rows = len(labels)
    bottoms = [rows - 1 - n for n in range(rows)]  # first statement on top
    lines = [style.line_y(b) for b in bottoms]
    fig = go.Figure()
    names: list[str] = []
    years = ((PREVIOUS_YEAR, 0.35, "diamond-open"),) if style.previous_year else ()
    for year, opacity, symbol in (*years, (2014, 1.0, "diamond")):
        for pop, colour in COLOURS.items():
            points = [(y, f[(pop, year)]) for y, f in zip(lines, figures, strict=True) if (pop, year) in f]
            names.append(f"{population(t, pop)} {year}")
            fig.add_trace(
                go.Scatter(
                    x=[f.percent for _, f in points],
                    y=[y + style.lift(PLACEMENT[pop]) for y, _ in points],
                    mode="markers",
                    name=escape_plotly(names[-1]),
                    marker=dict(
                        symbol=symbol,
                        size=style.marker + (2 if year == 2014 else 0),
                        color=colour,
                        opacity=opacity,
                        line=dict(width=2, color=colour),
                    ),
                    hovertext=[
                        escape_plotly(
                            t("chart.hover", population=population(t, pop), year=year, share=t.percent(f.percent))
                        )
                        for _, f in points
                    ],
                    hoverinfo="text",
                )
            )
    for s in series:
        present = [n for n, v in enumerate(s.values) if v is not None]
        error = None
        if s.lows is not None and s.highs is not None:
            error = dict(
                type="data",
                symmetric=False,
                array=[s.highs[n] - s.values[n] for n in present],
                arrayminus=[s.values[n] - s.lows[n] for n in present],
                color=s.colour,
                thickness=2 if style.marker > 14 else 1.5,
                width=style.marker // 3,
            )
        names.append(s.name)
        fig.add_trace(
            go.Scatter(
                x=[s.values[n] for n in present],
                y=[lines[n] + style.lift(s.direction) for n in present],
                mode="markers",
                name=escape_plotly(s.name),
                marker=dict(
                    symbol=s.symbol,
                    size=style.marker,
                    color=s.colour,
                    opacity=s.opacity,
                    line=dict(width=2, color=s.colour),
                ),
                error_x=error,
                hovertext=[escape_plotly(s.hover[n]) for n in present] if s.hover else None,
                hoverinfo="text" if s.hover else "x+name",
            )
        )
    # Shapes and annotations go in with one layout update: adding them one by one costs ~2 ms each.
    shapes = [
        dict(type="rect", xref="paper", x0=0, x1=1, y0=b, y1=b + 1, fillcolor=ROW_SHADE, line_width=0, layer="below")
        for n, b in enumerate(bottoms)
        if n % 2 == 0
    ] + [dict(type="line", x0=0, x1=100, y0=y, y1=y, line=dict(color=LINE, width=1), layer="below") for y in lines]
    annotations = [
        dict(
            x=0,
            y=style.label_y(b),
            xref="paper",
            text=escape_plotly(label),
            showarrow=False,
            xanchor="right" if style.label_left else "left",
            yanchor="middle",
            xshift=-10 if style.label_left else 4,
            font=dict(size=style.label_size, color="#1f2128"),
        )
        for b, label in zip(bottoms, labels, strict=True)
    ]
    legend_h = style.legend_rows(names) * round(style.legend_size * 1.6 + 4) + 10
    axis_h = 2 * round(style.tick_size * 1.35) + style.axis_pad
    grid = dict(entrywidth=1 / style.legend_columns, entrywidthmode="fraction") if style.legend_columns else {}
    fig.update_layout(
        shapes=shapes,
        annotations=annotations,
        height=rows * style.row + legend_h + axis_h,
        # room for "0 %" and "100 %", and for the labels on the left
        margin=dict(l=style.label_width(labels) or style.tick_size, r=style.tick_size, t=legend_h, b=axis_h),
        legend=dict(
            orientation="h", yanchor="bottom", y=1, x=0, xanchor="left", font=dict(size=style.legend_size), **grid
        ),
        xaxis=_percent_axis(t, style),
        yaxis=dict(range=[0, rows], showticklabels=False, showgrid=False, zeroline=False, fixedrange=True),
        plot_bgcolor="white",
        font=dict(size=style.tick_size),
    )
    return fig


def row_labels(t: Translator, q: Questionnaire) -> list[str]:
    return [f"{n}. {item.short_in(t.lang)}" for n, item in enumerate(q.items, start=1)]


def _you_values(summary: Summary) -> list[float | None]:
    return [
        None if c.stance is Stance.DONT_KNOW else (100.0 if c.stance is Stance.AGREE else 0.0)
        for c in summary.comparisons
    ]


def strips_figure(
    summary: Summary, t: Translator, previous: Summary | None = None, previous_label: str = ""
) -> go.Figure:
    """The quick check: the survey's figures and 'You' at 100 % (agree) or 0 % (not), none for don't know;
    a loaded earlier result as hollow dots just below."""
    comparisons = summary.comparisons
    labels = [f"{n}. {c.item.short_in(t.lang)}" for n, c in enumerate(comparisons, start=1)]
    values = _you_values(summary)
    series = []
    if previous is not None:
        series.append(
            Series(
                name=t("chart.previous", label=previous_label),
                values=_you_values(previous),
                colour=YOU_COLOUR,
                symbol="circle-open",
                opacity=0.6,
                direction=-1,
                hover=[answer_label(t, c.answer) for c in previous.comparisons],
            )
        )
    you = Series(
        name=t("chart.you"), values=values, colour=YOU_COLOUR, hover=[answer_label(t, c.answer) for c in comparisons]
    )
    return strips(t, labels, [c.figures for c in comparisons], [*series, you])


def organisation_figure(
    t: Translator,
    q: Questionnaire,
    figures: dict[str, dict[tuple[str, int], Figure]],
    results: RoundResults,
    previous: RoundResults | None = None,
    previous_label: str = "",
    style: StripStyle = PAGE,
) -> go.Figure:
    """An organisation's round: each visible side's share agreeing with its 95 % interval, the survey's
    figures, and (faded, hollow) the previous round's shares."""
    series = []
    if previous is not None:
        for side in previous.visible_sides:
            shares = [previous.share(side, item) for item in q.item_ids]
            series.append(
                Series(
                    name=f"{t(f'org.side_short.{side}')} · {previous_label}",
                    values=[s.percent if s else None for s in shares],
                    colour=SIDE_COLOURS[side],
                    symbol="circle-open",
                    opacity=0.5,
                    direction=PLACEMENT[side],
                )
            )
    for side in sorted(results.visible_sides, key=list(SIDE_COLOURS).index):  # IT, marketing, digital, others
        shares = [results.share(side, item) for item in q.item_ids]
        shown, count, label = results.shown(side), results.count(side), t(f"org.side_short.{side}")
        series.append(
            Series(
                name=label
                if not style.legend_counts
                else t("org.series", side=label, n=shown)
                if shown == count
                else t("org.series_held", side=label, n=shown, count=count),
                values=[s.percent for s in shares],
                colour=SIDE_COLOURS[side],
                direction=PLACEMENT[side],
                lows=[s.interval.low for s in shares],
                highs=[s.interval.high for s in shares],
                hover=[share_text(t, side, s) for s in shares],
            )
        )
    return strips(t, row_labels(t, q), [figures.get(i, {}) for i in q.item_ids], series, style)


def projector_figure(
    t: Translator,
    q: Questionnaire,
    figures: dict[str, dict[tuple[str, int], Figure]],
    results: RoundResults,
    style: StripStyle = PROJECTOR,
) -> go.Figure:
    """An organisation round for the room view: the same strips in large type for a projector (labels,
    figures and legend 24 px), with style=COMPACT for a smaller screen (1280 x 720) or PHONE for a phone,
    without the survey's 2012 figures, which a room does not need."""
    return organisation_figure(t, q, figures, results, style=style)
