"""Reported counts in SQL, for Database.recount (migrations 0004 and 0009 hold frozen copies).

A side's submitted responses are ranked in submission order (`responses.side_seq`). What pages and
exports show of a side (`response_counts.reported` and `answer_counts.reported`) is:
- by invitation, and in a rehearsal round: its first (n // minimum) × minimum responses, moving in steps;
- with an open link: nothing while the round is open, every response once it is closed (and a closed round
  of an open link never reopens), so whoever can add answers gets one view of a round, never two to compare
  (issue 16: padding in steps recovered one person's row).
The gateway keeps both up to date in the submitting transaction (and as a round closes); these statements
rebuild them (after a bulk load, or to check the kept ones).
"""

from __future__ import annotations

from sqlalchemy import TextClause, text


def _where(alias: str, round_id: int | None, joiner: str = "AND") -> str:
    return f" {joiner} {alias}round_id = :round_id" if round_id is not None else ""


def _bind(sql: str, round_id: int | None) -> TextClause:
    statement = text(sql)
    return statement.bindparams(round_id=round_id) if round_id is not None else statement


def number_submitted(round_id: int | None = None) -> TextClause:
    """Rank the submitted responses that have no rank yet after those that have one, in an order that says
    nothing (their random ids): no time is kept beside a response."""
    return _bind(
        "UPDATE responses SET side_seq = numbered.base + numbered.rn FROM ("
        " SELECT r.id, ROW_NUMBER() OVER (PARTITION BY r.round_id, r.side ORDER BY r.id) AS rn,"
        " COALESCE((SELECT MAX(x.side_seq) FROM responses x WHERE x.round_id = r.round_id AND x.side = r.side), 0)"
        " AS base FROM responses r"
        " WHERE r.status = 'submitted' AND r.side IS NOT NULL AND r.side_seq IS NULL"
        + _where("r.", round_id)
        + ") AS numbered WHERE responses.id = numbered.id",
        round_id,
    )


# What a side's response_counts.reported is, from its round (ro) and assessment (a): see the module's note.
REPORTED = (
    "CASE WHEN a.access = 'open' AND NOT ro.rehearsal"
    " THEN (CASE WHEN ro.status = 'closed' THEN response_counts.n ELSE 0 END)"
    " ELSE (response_counts.n / a.min_group_size) * a.min_group_size END"
)


def report_steps(round_id: int | None = None) -> list[TextClause]:
    """Set the reported counts from the ranks: responses per side, then answers per (side, item, value)."""
    return [
        _bind(
            f"UPDATE response_counts SET reported = {REPORTED}"
            " FROM rounds ro JOIN assessments a ON a.id = ro.assessment_id"
            " WHERE ro.id = response_counts.round_id" + _where("response_counts.", round_id),
            round_id,
        ),
        _bind("UPDATE answer_counts SET reported = 0" + _where("", round_id, "WHERE"), round_id),
        _bind(
            "UPDATE answer_counts SET reported = g.k FROM ("
            " SELECT r.round_id, r.side, an.item, an.value, COUNT(*) AS k FROM responses r"
            " JOIN response_counts rc ON rc.round_id = r.round_id AND rc.side = r.side"
            " JOIN answers an ON an.response_id = r.id"
            " WHERE r.status = 'submitted' AND r.side_seq <= rc.reported"
            + _where("r.", round_id)
            + " GROUP BY r.round_id, r.side, an.item, an.value) AS g"
            " WHERE answer_counts.round_id = g.round_id AND answer_counts.side = g.side"
            " AND answer_counts.item = g.item AND answer_counts.value = g.value",
            round_id,
        ),
    ]
