"""Plotly figures: one strip per statement, 0 to 100 % agreeing, the survey's figures and our markers."""

from __future__ import annotations

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

ROW_HEIGHT = 64


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
    text: list[str] | None = None  # a label beside each marker
    hover: list[str] | None = None
    offset: float = 0.0  # vertical offset within a row, so close values stay visible


OFFSETS = {key: 0.17 * direction for key, direction in PLACEMENT.items()}  # in rows


def _percent_axis(t: Translator) -> dict:
    ticks = [0, 25, 50, 75, 100]
    return dict(
        range=[-4, 104], tickvals=ticks, ticktext=[t.percent(v) for v in ticks], zeroline=False, fixedrange=True
    )


def strips(
    t: Translator, labels: list[str], figures: list[dict[tuple[str, int], Figure]], series: list[Series]
) -> go.Figure:
    """Horizontal strips, one per label (written above its strip, so narrow screens keep the plot wide):
    the survey's CIO and CMO figures (2014 solid, 2012 hollow) and the given series.

    Every label, name and hover text is plain text, escaped here (plotly reads <b>, <br>, <a href>):
    round labels come from users, typed or in an uploaded export."""
    rows = len(labels)
    base = [rows - 1 - n for n in range(rows)]  # first statement on top
    fig = go.Figure()
    # Shapes and annotations go in with one layout update: adding them one by one costs ~2 ms each.
    shapes = [
        dict(type="line", x0=0, x1=100, y0=y, y1=y, line=dict(color="#c8c8c8", width=1), layer="below") for y in base
    ]
    for year, opacity, symbol in ((PREVIOUS_YEAR, 0.35, "diamond-open"), (2014, 1.0, "diamond")):
        for pop, colour in COLOURS.items():
            points = [(y, f[(pop, year)]) for y, f in zip(base, figures, strict=True) if (pop, year) in f]
            fig.add_trace(
                go.Scatter(
                    x=[f.percent for _, f in points],
                    y=[y + OFFSETS[pop] for y, _ in points],
                    mode="markers",
                    name=escape_plotly(f"{population(t, pop)} {year}"),
                    marker=dict(
                        symbol=symbol,
                        size=14 if year == 2014 else 11,
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
                thickness=1.5,
                width=4,
            )
        fig.add_trace(
            go.Scatter(
                x=[s.values[n] for n in present],
                y=[base[n] + s.offset for n in present],
                mode="markers+text" if s.text else "markers",
                name=escape_plotly(s.name),
                text=[escape_plotly(s.text[n]) for n in present] if s.text else None,
                # Above the row's line, so the line does not strike the label through.
                textposition=["top left" if s.values[n] > 50 else "top right" for n in present],
                marker=dict(
                    symbol=s.symbol, size=12, color=s.colour, opacity=s.opacity, line=dict(width=2, color=s.colour)
                ),
                error_x=error,
                hovertext=[escape_plotly(s.hover[n]) for n in present] if s.hover else None,
                hoverinfo="text" if s.hover else "x+name",
            )
        )
    annotations = [
        dict(
            x=0,
            y=y + 0.5,
            xref="paper",
            text=escape_plotly(label),
            showarrow=False,
            xanchor="left",
            yanchor="middle",
            font=dict(size=13, color="#31333f"),
        )
        for y, label in zip(base, labels, strict=True)
    ]
    fig.update_layout(
        shapes=shapes,
        annotations=annotations,
        height=70 * rows + 170,
        margin=dict(l=8, r=8, t=10, b=120),
        legend=dict(orientation="h", yanchor="top", y=-62 / (70 * rows + 40), x=0),  # below the axis title
        xaxis=dict(**_percent_axis(t), title=t("chart.axis")),
        yaxis=dict(range=[-0.55, rows - 0.3], showticklabels=False, showgrid=False, zeroline=False, fixedrange=True),
        plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#ececec")
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
                offset=-0.22,
                hover=[answer_label(t, c.answer) for c in previous.comparisons],
            )
        )
    you = Series(
        name=t("chart.you"),
        values=values,
        colour=YOU_COLOUR,
        text=[t("chart.you")] * len(comparisons),
        hover=[answer_label(t, c.answer) for c in comparisons],
    )
    return strips(t, labels, [c.figures for c in comparisons], [*series, you])


def organisation_figure(
    t: Translator,
    q: Questionnaire,
    figures: dict[str, dict[tuple[str, int], Figure]],
    results: RoundResults,
    previous: RoundResults | None = None,
    previous_label: str = "",
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
                    offset=OFFSETS[side],
                )
            )
    for side in results.visible_sides:
        shares = [results.share(side, item) for item in q.item_ids]
        shown, count, label = results.shown(side), results.count(side), t(f"org.side_short.{side}")
        series.append(
            Series(
                name=t("org.series", side=label, n=shown)
                if shown == count
                else t("org.series_held", side=label, n=shown, count=count),
                values=[s.percent for s in shares],
                colour=SIDE_COLOURS[side],
                offset=OFFSETS[side],
                lows=[s.interval.low for s in shares],
                highs=[s.interval.high for s in shares],
                hover=[share_text(t, side, s) for s in shares],
            )
        )
    return strips(t, row_labels(t, q), [figures.get(i, {}) for i in q.item_ids], series)


def projector_figure(figure: go.Figure, height: int = 690) -> go.Figure:
    """A copy of an organisation figure for a projector (the room view): larger statement labels, markers
    and legend, in a fixed height. The given figure (cached, shared) is not changed."""
    fig = go.Figure(figure)
    fig.update_annotations(font_size=19)
    fig.update_traces(marker_size=16, selector=dict(type="scatter"))
    fig.update_layout(height=height, font=dict(size=17), margin=dict(l=8, r=8, t=10, b=110))
    fig.update_xaxes(tickfont_size=17, title_font_size=18)
    fig.update_layout(legend_font_size=16)
    return fig
