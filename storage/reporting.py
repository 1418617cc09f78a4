"""What the organiser reads: a round's counts as shown, and its export rows, which single no one out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, false, select

from alignment.org.followup import AgreedAction
from alignment.org.rounds import Assessment, Round, RoundCounts
from storage.access_keys import room_keys_live_of
from storage.actions import actions_of
from storage.assessments import assessment_from_row
from storage.codes import hash_code, same_digest, well_formed
from storage.plumbing import Plumbing
from storage.schema import answer_counts, answers, assessments, response_counts, responses, rounds


@dataclass(frozen=True)
class ResultsPage:
    """What the organisation results page needs before its (cached) result, read on one connection: the
    assessment, its real rounds oldest first, and each round's kept counts per side, (side, n, reported):
    they change with every submission and every step, so they key the page's cached result; then the
    number of live room-view keys and the follow-up's actions, which the page shows on every rerun."""

    assessment: Assessment
    rounds: tuple[Round, ...]
    versions: dict[int, tuple[tuple[str, int, int], ...]]
    room_keys_live: int = 0
    actions: tuple[AgreedAction, ...] = ()


class Reporting(Plumbing):
    """A round's counts and export rows."""

    def results_page(self, code: str) -> ResultsPage | None:
        """The assessment of a results code with its real rounds and their counts per side, in one query (one
        row per round and side); None for an unknown code."""
        if not well_formed(code):
            return None
        digest = hash_code(code)
        real = and_(rounds.c.assessment_id == assessments.c.id, rounds.c.rehearsal.is_(false()))
        query = (
            select(
                assessments,
                rounds.c.id.label("round_id"),
                rounds.c.number.label("round_number"),
                rounds.c.label.label("round_label"),
                rounds.c.status.label("round_status"),
                rounds.c.created_at.label("round_created_at"),
                response_counts.c.side.label("count_side"),
                response_counts.c.n.label("count_n"),
                response_counts.c.reported.label("count_reported"),
            )
            .select_from(
                assessments.outerjoin(rounds, real).outerjoin(
                    response_counts, response_counts.c.round_id == rounds.c.id
                )
            )
            .where(assessments.c.results_code_hash == digest)
            .order_by(rounds.c.number, response_counts.c.side)
        )
        with self.engine.connect() as c:  # one checkout for the page's reads (issue 21)
            rows = c.execute(query).mappings().all()
            if not rows or not same_digest(rows[0]["results_code_hash"], digest):
                return None
            live = room_keys_live_of(c, rows[0]["id"])
            actions = tuple(actions_of(c, rows[0]["id"]))
        assessment = assessment_from_row(rows[0])
        found: dict[int, Round] = {}
        versions: dict[int, list[tuple[str, int, int]]] = {}
        for row in rows:
            rid = row["round_id"]
            if rid is None:
                continue  # no real round (never after creation)
            if rid not in found:
                found[rid] = Round(
                    rid,
                    assessment.id,
                    row["round_number"],
                    row["round_label"],
                    row["round_status"],
                    row["round_created_at"],
                )
                versions[rid] = []
            if row["count_side"] is not None:
                versions[rid].append((row["count_side"], row["count_n"], row["count_reported"]))
        return ResultsPage(assessment, tuple(found.values()), {k: tuple(v) for k, v in versions.items()}, live, actions)

    def round_counts(self, round_id: int) -> RoundCounts:
        """Submitted responses of a round, counted per side and per (side, item, value), in SQL.

        Both queries read this round's rows only, through pk_response_counts and pk_answer_counts
        (tests/storage/test_storage_schema.py checks the plans on both engines).
        """
        by_side, by_value = round_count_queries(round_id)
        with self.engine.connect() as c:
            if self.engine.dialect.name == "postgresql":  # both reads see the same submissions
                c.execution_options(isolation_level="REPEATABLE READ")
            sides = c.execute(by_side).all()
            rows = c.execute(by_value).all()
        return RoundCounts(
            sides={s: n for s, n, _ in sides},
            values={(s, i, v): n for s, i, v, n in rows if n},
            reported={s: r for s, _, r in sides},
        )

    def export_rows(self, round_id: int, sides: tuple[str, ...]) -> list[dict]:
        """The reported responses of the given sides, as rows that single no one out: each side's first
        (n // minimum) × minimum submitted responses (what the page shows), with no id, no date and no
        order: sorted by side and answers, so two exports differ by whole steps and a row's place says
        nothing of when it came."""
        reported = (
            select(response_counts.c.side, response_counts.c.reported)
            .where(response_counts.c.round_id == round_id, response_counts.c.side.in_(sides))
            .subquery()
        )
        shown = (
            select(responses.c.id, responses.c.side)
            .join(reported, reported.c.side == responses.c.side)
            .where(
                responses.c.round_id == round_id,
                responses.c.status == "submitted",
                responses.c.side_seq <= reported.c.reported,
            )
            .subquery()
        )
        with self.engine.connect() as c:
            # One snapshot for both reads: a response reaching the reported step between them would be an
            # answer without its head (KeyError) on PostgreSQL's default READ COMMITTED. (SQLite's read
            # transaction is one snapshot already.)
            if self.engine.dialect.name == "postgresql":
                c.execution_options(isolation_level="REPEATABLE READ")
            heads = dict(c.execute(select(shown.c.id, shown.c.side)).all())
            values: dict[str, dict[str, int]] = {rid: {} for rid in heads}
            for response_id, item, value in c.execute(
                select(answers.c.response_id, answers.c.item, answers.c.value)
                .join(shown, shown.c.id == answers.c.response_id)
                .where(answers.c.round_id == round_id)
            ):
                values[response_id][item] = value
        rows = [{"side": heads[rid], "answers": dict(sorted(values[rid].items()))} for rid in heads]
        return sorted(rows, key=lambda row: (row["side"], sorted(row["answers"].items())))


def round_count_queries(round_id: int) -> tuple[Select, Select]:
    """The two statements behind Database.round_counts: the round's kept counts of submitted responses
    per side (all, and as reported) and of their reported answers per (side, item, value), both
    primary-key range scans."""
    by_side = select(response_counts.c.side, response_counts.c.n, response_counts.c.reported).where(
        response_counts.c.round_id == round_id
    )
    by_value = select(
        answer_counts.c.side, answer_counts.c.item, answer_counts.c.value, answer_counts.c.reported
    ).where(answer_counts.c.round_id == round_id)
    return by_side, by_value
