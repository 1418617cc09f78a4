"""The tagged organisation PDF (WeasyPrint, PDF/UA-1) against the plotly + kaleido path, in the same run.

Run: BROWSER_PATH=/usr/bin/chromium python perf/bench_tagged_pdf.py [--runs 7]
Issue 20 asks the tagged PDF to stay at least 10 times faster than the plotly + kaleido path. That path is not
in the app any more (docs/decisions.md); what is timed here is its chart alone: the organisation's strips
(the same figure as the page, French, 40 responses and a previous round) exported to PDF by kaleido, which is
less than the old report (it laid out no text), so the ratio printed is a lower bound. Two kaleido figures:
`fig.to_image` as plotly calls it (a Chromium started per export, as the 7,415 ms of 2026-11-23 was measured),
and with kaleido's kept-warm server (a Chromium kept running between exports, about 1 GB).
Ours: `build_org_pdf` (perf/bench_pages_and_reports.organisation_pdf), warm, in this process. Ours is timed
alternately with each kaleido figure, so both see the same machine load; medians in milliseconds, our CPU
time beside, the load
average before and after. It asserts nothing (figures, not tests).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alignment.core.i18n import translator  # noqa: E402
from alignment.core.questionnaire import load_questionnaire  # noqa: E402
from alignment.render.charts import organisation_figure  # noqa: E402
from benchmark import figures_by_item  # noqa: E402
from perf.bench_pages_and_reports import line, organisation_pdf, organisation_result  # noqa: E402


def org_figure():
    """The organisation's strips for the benchmark's round, as the page draws them."""
    result = organisation_result()
    return organisation_figure(
        translator("fr"),
        load_questionnaire(),
        figures_by_item(),
        result.results,
        result.previous,
        result.previous_round.label if result.previous_round else "",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    import kaleido

    figure = org_figure()
    assert figure.to_image(format="pdf", width=1000, height=1400).startswith(b"%PDF")  # kaleido works here
    assert organisation_pdf().startswith(b"%PDF")  # fonts, styles and caches warm

    ours, ours_cpu, per_call, warm = [], [], [], []

    def time_ours() -> None:
        start, cpu = time.perf_counter(), time.process_time()
        organisation_pdf()
        ours.append((time.perf_counter() - start) * 1000)
        ours_cpu.append((time.process_time() - cpu) * 1000)

    def time_per_call() -> None:
        start = time.perf_counter()
        figure.to_image(format="pdf", width=1000, height=1400)
        per_call.append((time.perf_counter() - start) * 1000)

    def time_warm() -> None:
        start = time.perf_counter()
        kaleido.calc_fig_sync(figure, opts={"format": "pdf", "width": 1000, "height": 1400})
        warm.append((time.perf_counter() - start) * 1000)

    load_before = os.getloadavg()
    for i in range(runs):  # a Chromium per export (no kaleido server running), alternating with ours
        for step in (time_ours, time_per_call) if i % 2 == 0 else (time_per_call, time_ours):
            step()
    kaleido.start_sync_server(silence_warnings=True)
    try:
        kaleido.calc_fig_sync(figure, opts={"format": "pdf", "width": 1000, "height": 1400})  # the browser up
        for i in range(runs):  # then the kept-warm browser, alternating with ours
            for step in (time_ours, time_warm) if i % 2 == 0 else (time_warm, time_ours):
                step()
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    load_after = os.getloadavg()

    print(f"Tagged PDF against plotly + kaleido, {runs} runs each, alternating, Python {sys.version.split()[0]}")
    print(line("organisation report, tagged PDF (WeasyPrint), warm", ours))
    print(line("  the same, CPU time of this process", ours_cpu))
    print(line("kaleido: the strips alone to PDF, per call", per_call))
    print(line("kaleido: the strips alone, kept-warm browser", warm))
    print(
        f"load average (1, 5, 15 min): before {' '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.2f}' for x in load_after)}"
    )
    median = statistics.median(ours)
    print(f"kaleido per call / tagged PDF: {statistics.median(per_call) / median:.1f}x (issue 20 asks >= 10x)")
    print(f"kaleido kept warm / tagged PDF: {statistics.median(warm) / median:.1f}x")
    print(f"the 7,415 ms of 2026-11-23 (quiet machine) / tagged PDF: {7415 / median:.1f}x")


if __name__ == "__main__":
    main()
