"""Plotly figures: one strip per statement, 0 to 100 % agreeing, survey ticks and the respondent's mark."""

from __future__ import annotations

import plotly.graph_objects as go

from alignment.comparison import Stance, Summary
from alignment.i18n import Translator
from alignment.narrative import PREVIOUS_YEAR, answer_label, population

# Colour-blind-safe pair (Okabe-Ito blue and orange); the previous edition is the same hue, faded.
COLOURS = {"CIO": "#0072B2", "CMO": "#E69F00"}
YOU_COLOUR = "#222222"
ROW_HEIGHT = 64


def _percent_axis(t: Translator) -> dict:
    suffix = "\u00a0%" if t.lang == "fr" else "%"
    return dict(range=[-4, 104], tickvals=[0, 25, 50, 75, 100], ticksuffix=suffix, zeroline=False, fixedrange=True)


def strips_figure(summary: Summary, t: Translator) -> go.Figure:
    """All statements as horizontal strips: CIO and CMO ticks (2014 solid, 2012 faded) and 'You'."""
    comparisons = summary.comparisons
    labels = [f"{n}. {c.item.short_in(t.lang)}" for n, c in enumerate(comparisons, start=1)]
    fig = go.Figure()
    for year, opacity, symbol in ((PREVIOUS_YEAR, 0.35, "diamond-open"), (2014, 1.0, "diamond")):
        for pop, colour in COLOURS.items():
            xs, ys, hover = [], [], []
            for label, c in zip(labels, comparisons, strict=False):
                fig_ = c.figure(pop, year)
                if fig_ is not None:
                    xs.append(fig_.percent)
                    ys.append(label)
                    hover.append(
                        t("chart.hover", population=population(t, pop), year=year, share=t.percent(fig_.percent))
                    )
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="markers",
                    name=f"{population(t, pop)} {year}",
                    marker=dict(
                        symbol=symbol,
                        size=15 if year == 2014 else 12,
                        color=colour,
                        opacity=opacity,
                        line=dict(width=2, color=colour),
                    ),
                    hovertext=hover,
                    hoverinfo="text",
                )
            )
    you = [(label, c) for label, c in zip(labels, comparisons, strict=False) if c.stance is not Stance.DONT_KNOW]
    fig.add_trace(
        go.Scatter(
            x=[100 if c.stance is Stance.AGREE else 0 for _, c in you],
            y=[label for label, _ in you],
            mode="markers+text",
            name=t("chart.you"),
            text=[t("chart.you") for _ in you],
            textposition=["middle left" if c.stance is Stance.AGREE else "middle right" for _, c in you],
            marker=dict(symbol="circle", size=13, color=YOU_COLOUR),
            hovertext=[answer_label(t, c.answer) for _, c in you],
            hoverinfo="text",
        )
    )
    fig.update_layout(
        height=ROW_HEIGHT * len(comparisons) + 120,
        margin=dict(l=10, r=20, t=40, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        xaxis=dict(**_percent_axis(t), title=t("chart.axis")),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(labels)), showgrid=True, fixedrange=True),
        plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e6e6e6")
    fig.update_yaxes(gridcolor="#bbbbbb")
    return fig
