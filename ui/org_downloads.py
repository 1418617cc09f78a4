"""An organisation round's downloads (PDF, HTML, CSV, JSON, workbook), each built when its button is clicked."""

from __future__ import annotations

from datetime import date

from alignment.core.i18n import translator
from alignment.core.questionnaire import load_questionnaire
from alignment.org.followup import AgreedAction, FollowUp
from alignment.org.result import OrgResult
from benchmark import figures_by_item


def org_pdf(result: OrgResult, today: date, follow: FollowUp | None = None) -> bytes:
    """The round's PDF in the assessment's language (with its follow-up page when `follow` is given)."""
    from alignment.render.org_pdf import build_org_pdf  # WeasyPrint is loaded only when a PDF is asked for

    q, t = load_questionnaire(), translator(result.assessment.lang)
    return build_org_pdf(result, figures_by_item(), q, t, today, follow)


def org_html(result: OrgResult, today: date, follow: FollowUp | None = None) -> bytes:
    """The same report as one self-contained, accessible HTML file, in the assessment's language."""
    from alignment.render.org_pdf import build_org_html

    q, t = load_questionnaire(), translator(result.assessment.lang)
    return build_org_html(result, figures_by_item(), q, t, today, follow)


def export_workbook(result: OrgResult, follow: FollowUp, rows: list[dict], today: date) -> bytes:
    """The round's xlsx workbook in the assessment's language."""
    from alignment.org.workbook import build_workbook  # pandas and XlsxWriter only when it is asked for

    t = translator(result.assessment.lang)
    return build_workbook(result, follow, rows, load_questionnaire(), figures_by_item(), t, today)


def export_csv(result: OrgResult, rows: list[dict]) -> bytes:
    """The visible sides' responses as CSV in the assessment's language and spreadsheet dialect (UTF-8 with
    a BOM, which spreadsheets need to read accents)."""
    from alignment.org.export import responses_csv

    text = responses_csv(rows, load_questionnaire().item_ids, result.assessment.lang, result.results)
    return text.encode("utf-8-sig")


def export_json(result: OrgResult, rows: list[dict], actions: tuple[AgreedAction, ...] = ()) -> bytes:
    """The visible sides' responses with the round's profile and counts, and the follow-up actions, as JSON."""
    from alignment.org.export import responses_json

    item_ids = load_questionnaire().item_ids
    document = responses_json(result.assessment, result.round, result.results, rows, item_ids, actions)
    return document.encode("utf-8")
