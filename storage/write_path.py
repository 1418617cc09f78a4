"""The write path: a respondent's draft, its submission, and the counts it moves, with their invariants.

- One key has one response per round (`key_digest`, unique), made if new; a submitted response never
  changes again, and a second submit of the same key is "already submitted", never a second count.
- A submission is counted, ranked in its side and stepped in the transaction that submits it: by invitation
  (and in a rehearsal) what is shown (`reported`) moves only when a side reaches a multiple of the minimum
  group size; with an open link it does not move until the round closes (storage/round_admin.py), so
  whoever can add answers gets one view of a round, never two (storage/steps.py rebuilds the same: `recount`).
- A handed-out invitation's draft is held by the browser that wrote it (`holder`): the invitation link alone,
  which others may have held, never opens it again (`load_draft`).
- Invitations by e-mail (storage/mailing.py): every link an invitee was e-mailed answers for their
  invitation, once per round between them (the invitation's `answered_round`, set in the submitting
  transaction by an UPDATE conditional on it).
- Concurrent writers queue, never fail or deadlock: inserts do nothing on a conflict, a draft changes only
  by an UPDATE conditional on its status, counters are taken in one (sorted) order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import (
    ARRAY,
    Connection,
    Integer,
    SmallInteger,
    String,
    all_,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    update,
)

from storage import mailing
from storage.codes import hash_code, same_digest, well_formed
from storage.errors import AlreadySubmitted, NotInvited, RoundClosed
from storage.plumbing import Plumbing
from storage.schema import answer_counts, answers, assessments, invitations, response_counts, responses, rounds
from storage.steps import number_submitted, report_steps
from storage.validation import InvalidData, check_response


def key_digest(round_id: int, key: str) -> str:
    """What a response stores of its respondent's key (invitation code or browser key): one per round."""
    return hash_code(f"{round_id}:{key}")


@dataclass(frozen=True)
class Draft:
    response_id: str
    round_id: int
    side: str | None
    answers: dict[str, int]
    submitted: bool
    withheld: bool = False  # a draft held by another browser: its answers are not given (load_draft)


class WritePath(Plumbing):
    """Drafts, submissions and their counts."""

    def save_draft(
        self,
        round_id: int,
        response_id: str,
        key: str,
        side: str | None,
        values: dict[str, int],
        holder: str | None = None,
    ) -> None:
        """Save a respondent's answers so far; their key (browser key), or by invitation the invitation code
        with the `holder` key of the browser that writes (see _write_response), opens them again.

        Raises AlreadySubmitted, and changes nothing, if the key's response was submitted (even a moment
        ago); InvalidData, and stores nothing, for an unknown side or question or an answer out of range;
        NotInvited for a key that is not one of the assessment's codes, when it answers by invitation.
        """
        check_response(side, values, submitting=False)
        with self.transaction() as c:
            if self._write_response(c, round_id, response_id, side, values, key, holder=holder) is None:
                raise AlreadySubmitted(response_id)

    def submit(
        self,
        round_id: int,
        response_id: str,
        key: str,
        side: str,
        values: dict[str, int],
        holder: str | None = None,
    ) -> bool:
        """Store and submit a complete response. True if it now counts; False if the key's response of
        this round already did (a double submit, another tab, the same browser or code again).

        InvalidData, and nothing stored, for a missing or unknown side, an unknown question or an
        answer out of range; NotInvited as for save_draft.
        """
        check_response(side, values, submitting=True)
        with self.transaction() as c:
            written = self._write_response(c, round_id, response_id, side, values, key, True, holder)
            if written is None:
                return False
            response, step = written
            self._record(c, round_id, response, side, values, step)
            return True

    def _record(self, c: Connection, round_id: int, response: str, side: str, values: dict, step: int | None) -> None:
        """Count a response just submitted, rank it in its side, and move what is shown to the next step when
        the side reaches a multiple of the minimum group size (`step`): all in the submitting transaction.
        With an open link (`step` None) nothing shown moves until the round closes (report_all)."""
        rank = self._count(c, round_id, response, side, values)
        if step is not None and rank % step == 0:  # the side reaches a step: what is shown moves to it, all at once
            for table in (response_counts, answer_counts):
                c.execute(
                    update(table).where(table.c.round_id == round_id, table.c.side == side).values(reported=table.c.n)
                )

    def _count(self, c: Connection, round_id: int, response: str, side: str, values: dict[str, int]) -> int:
        """Add a submitted response's answers to its round's counts (in the submitting transaction), and give
        it its rank in its side; return the rank. Concurrent submits of a side queue on its response_counts
        row. Rows are taken in one order (the side's count, then the answers' counts sorted) so concurrent
        submits queue on the counters, never deadlock. On PostgreSQL one statement does it all (one round
        trip); SQLite, in process, runs the same three steps one by one.
        """
        params = {"b_response": response, "b_round": round_id, "b_side": side} | self._rows(values)
        if self.engine.dialect.name == "postgresql":
            return self._run(c, "submit_counts", len(values), params).scalar_one()
        items = params["b_items"]
        rank = c.execute(self._side_count(), params).scalar_one()
        if items:
            self._run(c, "value_counts", len(items), params)
        c.execute(update(responses).where(responses.c.id == response).values(side_seq=rank))
        return rank

    def _write_response(
        self,
        c: Connection,
        round_id: int,
        response_id: str,
        side: str | None,
        values: dict[str, int],
        key: str,
        submitting: bool = False,
        holder: str | None = None,
    ) -> tuple[str, int | None] | None:
        """Write the draft of the respondent `key` in this round (made if new), replacing its answers; with
        `submitting`, mark it submitted in the same statements.

        Returns (the response's id, the step in which what is shown moves: the assessment's minimum group
        size, or None with an open link, whose round is shown once closed), or None if that response was
        submitted: it never changes again. One key has one response per round (`key_digest` is unique): a
        second session of the same browser or invitation finds the first one's response, whatever
        `response_id` it made. `response_id` names a new response, or a draft of an earlier round that this
        session started, which moves to the open round it is now written to. In an assessment by invitation
        the key must be one of its codes (NotInvited), answering for the side it was given for, and `holder`
        (the writing browser's key) becomes the draft's holder: only it opens the draft again (load_draft).

        Safe against concurrent writes of the same response (two tabs, a double click): inserts do nothing
        on a conflict (no unique violation), and a draft changes only by an UPDATE conditional on its
        status, which takes the row's lock; on SQLite BEGIN IMMEDIATE serialises writers.

        Few round trips (each one is a wait on PostgreSQL): one read gives the round, the assessment, the
        invitation and the key's response; a new response is inserted as it ends up (submitted or not);
        an existing draft changes by one UPDATE; answers are upserted in one statement, an unchanged answer
        not rewritten (one changed answer is one row written), and only answers no longer given deleted.
        """
        uuid.UUID(response_id)  # ids are made by the app; anything else is a bug, not user input
        if not well_formed(key):
            raise NotInvited(round_id)
        digest = key_digest(round_id, key)
        found = self._read_for_write(c, round_id, key, digest)
        if found is None or found.status != "open":
            raise RoundClosed(round_id)
        if not _may_write(c, found, round_id, key, side, submitting):
            return None  # another link of this invitee (a reminder's) has submitted in this round
        final = {"side": side, "round_id": round_id, "resume_code_hash": digest}
        final["holder_hash"] = key_digest(round_id, holder) if holder else None
        if submitting:
            final |= {"status": "submitted"}
        existing, fresh = found.existing, False
        if existing is None:  # a new response, with its answers
            existing, fresh = self._insert_response(c, found.assessment_id, response_id, final, values)
        if not fresh:
            if not self._update_draft(c, existing, final):
                return None  # submitted: never changed again
            self._write_answers(c, existing, round_id, values)
        stepped = found.access != "open" or found.rehearsal
        return existing, found.min_group_size if stepped else None

    def _read_for_write(self, c: Connection, round_id: int, key: str, digest: str):
        """The one read before a write: the round (status, assessment, rehearsal), its assessment's access
        and minimum group size, the side of the invitation whose code is `key` (`invited`), and the id of
        the key's response in this round (`existing`, by its `digest`); None for an unknown round."""
        return self._run(
            c, "read_for_write", 0, {"b_round": round_id, "b_code": hash_code(key), "b_digest": digest}
        ).first()

    def _insert_response(
        self, c: Connection, assessment_id: str, response_id: str, final: dict, values: dict[str, int]
    ) -> tuple[str, bool]:
        """Insert the key's response as it ends up (`final`: submitted or not) under `response_id`, with its
        answers (`values`); on a conflict find the response that is there instead, and write no answer.
        Returns (its id, whether this call inserted it). On PostgreSQL one statement inserts both."""
        row = {"status": "draft", **final, "id": response_id}
        params = {f"b_{k}": v for k, v in row.items()} | {"b_response": response_id, "b_round": final["round_id"]}
        params |= self._rows(values)
        together = bool(values) and self.engine.dialect.name == "postgresql"
        inserted = self._run(c, "insert_response_with_answers" if together else "insert_response", 0, params).scalar()
        if inserted is not None:
            if not together and values:
                self._run(c, "answers_insert", len(values), params)
            return inserted, True
        # On a conflict: the same key's response, made meanwhile by another session, or this session's
        # draft of an earlier round of the assessment.
        existing = c.execute(
            select(responses.c.id).where(responses.c.resume_code_hash == final["resume_code_hash"])
        ).scalar()
        if existing is None:
            earlier = (
                select(responses.c.id)
                .join(rounds, rounds.c.id == responses.c.round_id)
                .where(responses.c.id == response_id, rounds.c.assessment_id == assessment_id)
            )
            existing = c.execute(earlier).scalar()
        if existing is None:
            raise ValueError("response id of another assessment")  # 122 random bits: a bug
        return existing, False

    def _update_draft(self, c: Connection, response: str, final: dict) -> bool:
        """Write `final` over the response if it is still a draft (an UPDATE conditional on its status, which
        takes the row's lock); False if it was submitted: it never changes again."""
        params = {f"b_{k}": v for k, v in ({"status": "draft"} | final).items()} | {"b_response": response}
        return bool(self._run(c, "update_draft", 0, params).rowcount)

    def _write_answers(self, c: Connection, response: str, round_id: int, values: dict[str, int]) -> None:
        """A draft's answers become `values`: the ones no longer given deleted and the others upserted, an
        unchanged one left as it is (one changed answer is one row written)."""
        params = {"b_response": response, "b_round": round_id} | self._rows(values)
        items = params["b_items"]
        self._run(c, "answers_gone", len(items), params)
        if items:
            self._run(c, "answers_upsert", len(items), params)

    def _rows(self, values: dict[str, int]) -> dict:
        """The parameters of a multi-row statement (see _statement): the items sorted (counters are taken in
        that order), and their values; on SQLite also one parameter per row and column."""
        items = sorted(values)
        params: dict = {"b_items": items, "b_values": [values[i] for i in items]}
        if self.engine.dialect.name != "postgresql":
            params |= {f"b_item{k}": item for k, item in enumerate(items)}
            params |= {f"b_value{k}": values[item] for k, item in enumerate(items)}
        return params

    def _run(self, c: Connection, name: str, rows: int, params: dict):
        """Run the multi-row statement `name` for `rows` rows (see _statement) with `params`."""
        if self.engine.dialect.name == "postgresql":
            rows = 0  # the rows are two array parameters: one statement whatever their number
        found = self._statements.get((name, rows))
        if found is None:
            compiled = self._statement(name, rows).compile(dialect=self.engine.dialect)
            # The statement's own constants (n = 1, n + 1) are parameters too: kept with their values.
            found = (compiled.string, compiled.positiontup, {k: v for k, v in compiled.params.items() if v is not None})
            self._statements[(name, rows)] = found
        sql, order, constants = found
        params = {**constants, **params}
        return c.exec_driver_sql(sql, tuple(params[p] for p in order) if order else params)

    def _statement(self, name: str, rows: int):
        """The statement `name` with named parameters, compiled once by _run: SQLAlchemy builds a statement
        and its cache key again on every call, and its compiled cache does not keep multi-row VALUES (which
        it compiled again on every call: half of a submit's CPU).

        A multi-row statement's rows, on PostgreSQL, come from two arrays (`b_items`, `b_values`, unnest):
        a short statement with few parameters, whatever the number of rows, which psycopg parses once and
        the server prepares; the counters are taken in the items' order (ORDER BY: one order, no deadlock).
        On SQLite, `rows` rows of VALUES, one parameter per row and column."""
        if name in ("read_for_write", "update_draft") or name.startswith("insert_response"):
            return self._response_statement(name)
        return self._rows_statement(name, rows)

    def _response_statement(self, name: str):
        if name == "read_for_write":
            return _read_for_write()
        if name == "update_draft":
            columns = ["status", "side", "round_id", "resume_code_hash", "holder_hash"]
            return (
                update(responses)
                .where(responses.c.id == bindparam("b_response"), responses.c.status == "draft")
                .values({column: bindparam(f"b_{column}") for column in columns})
            )
        columns = ["id", "status", "side", "round_id", "resume_code_hash", "holder_hash"]
        response = (
            self.dialect_insert(responses)
            .on_conflict_do_nothing()
            .values({column: bindparam(f"b_{column}") for column in columns})
            .returning(responses.c.id)  # a row if inserted, none on a conflict (rowcount is -1 on psycopg)
        )
        if name == "insert_response":
            return response
        # "insert_response_with_answers" (PostgreSQL): the answers go in only if the response did
        inserted, rows_in = response.cte("inserted"), _unnest()
        source = select(inserted.c.id, bindparam("b_round", type_=Integer), rows_in.c.item, rows_in.c.value)
        source = source.select_from(inserted.join(rows_in, true())).order_by(rows_in.c.item)
        with_answers = self.dialect_insert(answers).from_select(["response_id", "round_id", "item", "value"], source)
        return with_answers.returning(answers.c.response_id).add_cte(inserted)

    def _rows_statement(self, name: str, rows: int):
        dialect_insert = self.dialect_insert
        if name == "answers_gone":  # the draft's answers no longer given (all of them, with no rows)
            gone = delete(answers).where(answers.c.response_id == bindparam("b_response"))
            if self.engine.dialect.name == "postgresql":
                return gone.where(answers.c.item != all_(bindparam("b_items", type_=ARRAY(String))))
            return gone.where(answers.c.item.not_in([bindparam(f"b_item{k}") for k in range(rows)])) if rows else gone
        counting = not name.startswith("answers")
        table = answer_counts if counting else answers
        if self.engine.dialect.name == "postgresql":
            rows_in = _unnest()
            if counting:
                columns = ["round_id", "side", "item", "value", "n"]
                source = select(
                    bindparam("b_round", type_=Integer),
                    bindparam("b_side", type_=String),
                    rows_in.c.item,
                    rows_in.c.value,
                    literal(1, Integer),
                )
            else:
                columns = ["response_id", "round_id", "item", "value"]
                source = select(
                    bindparam("b_response", type_=String),
                    bindparam("b_round", type_=Integer),
                    rows_in.c.item,
                    rows_in.c.value,
                )
            statement = dialect_insert(table).from_select(columns, source.order_by(rows_in.c.item))
        else:
            keyed = [
                {"round_id": bindparam("b_round"), "item": bindparam(f"b_item{k}"), "value": bindparam(f"b_value{k}")}
                | ({"side": bindparam("b_side"), "n": 1} if counting else {"response_id": bindparam("b_response")})
                for k in range(rows)
            ]
            statement = dialect_insert(table).values(keyed)
        if name == "answers_upsert":
            statement = statement.on_conflict_do_update(
                index_elements=["response_id", "item"],
                set_={"value": statement.excluded.value, "round_id": statement.excluded.round_id},
                where=or_(
                    answers.c.value != statement.excluded.value, answers.c.round_id != statement.excluded.round_id
                ),
            )
        if not counting:
            return statement
        # "value_counts" (and "submit_counts" on PostgreSQL: with the side's count and the rank)
        value_counts = statement.on_conflict_do_update(
            index_elements=["round_id", "side", "item", "value"], set_={"n": answer_counts.c.n + 1}
        )
        if name != "submit_counts":
            return value_counts
        ranked = self._side_count().cte("side_count")
        statement = (
            update(responses)
            .where(responses.c.id == bindparam("b_response"))
            .values(side_seq=select(ranked.c.n).scalar_subquery())
            .returning(responses.c.side_seq)
        )
        # runs after the side's count in the plan (its row lock first, as on SQLite)
        return statement.add_cte(value_counts.returning(answer_counts.c.n).cte("value_counts"))

    def _side_count(self):
        dialect_insert = self.dialect_insert
        return (
            dialect_insert(response_counts)
            .values(round_id=bindparam("b_round"), side=bindparam("b_side"), n=1)
            .on_conflict_do_update(index_elements=["round_id", "side"], set_={"n": response_counts.c.n + 1})
            .returning(response_counts.c.n)
        )

    def recount(self, round_id: int | None = None) -> None:
        """Rebuild the counts of one round (or of all) from the submitted answers: after a bulk load, or
        to check them (tests compare the two)."""
        with self.transaction() as c:
            if c.dialect.name == "postgresql":
                c.execute(text("SET LOCAL statement_timeout = 0"))  # maintenance: may read the whole table
                # Fresh statistics: after a bulk load the planner would otherwise guess a nested loop.
                c.execute(text("ANALYZE responses"))
                c.execute(text("ANALYZE answers"))
            c.execute(delete(answer_counts).where(answer_counts.c.round_id == round_id if round_id else True))
            c.execute(delete(response_counts).where(response_counts.c.round_id == round_id if round_id else True))
            heads = (
                select(responses.c.round_id, responses.c.side, func.count())
                .where(responses.c.status == "submitted", responses.c.side.is_not(None))
                .group_by(responses.c.round_id, responses.c.side)
            )
            if round_id:
                heads = heads.where(responses.c.round_id == round_id)
            c.execute(insert(response_counts).from_select(["round_id", "side", "n"], heads))
            source = (
                select(responses.c.round_id, responses.c.side, answers.c.item, answers.c.value, func.count())
                .join(answers, answers.c.response_id == responses.c.id)
                .where(responses.c.status == "submitted", responses.c.side.is_not(None))
                .group_by(responses.c.round_id, responses.c.side, answers.c.item, answers.c.value)
            )
            if round_id:
                source = source.where(responses.c.round_id == round_id, answers.c.round_id == round_id)
            c.execute(insert(answer_counts).from_select(["round_id", "side", "item", "value", "n"], source))
            c.execute(number_submitted(round_id))  # responses loaded in bulk have no rank yet
            for statement in report_steps(round_id):
                c.execute(statement)

    def load_draft(self, assessment_id: str, key: str, holder: str | None = None) -> Draft | None:
        """The newest response of a respondent key (invitation code or browser key) in this assessment.

        For a handed-out invitation pass `holder`, the opening browser's key: the answers come back only if
        that browser holds the response (it wrote it last, see _write_response); otherwise they are withheld
        (an empty dict, `withheld` True): an invitation link someone else held never shows the invitee's
        answers. An e-mailed link whose invitation has answered a round through another of its links (a
        reminder's) gets a submitted Draft of that round, with no answers: "already submitted", never a
        second form."""
        if not well_formed(key):
            return None
        with self.engine.connect() as c:
            emailed = mailing.answered_by_link(c, assessment_id, key)  # (round id, side) or None
            if emailed is not None:
                row = c.execute(
                    select(responses.c.id, responses.c.status).where(
                        responses.c.resume_code_hash == key_digest(emailed[0], key)
                    )
                ).first()
                if row is None or row.status != "submitted":  # answered through another link of the invitee
                    return Draft(row.id if row else str(uuid.uuid4()), emailed[0], emailed[1], {}, True)
            ids = c.execute(select(rounds.c.id).where(rounds.c.assessment_id == assessment_id)).scalars().all()
            digests = {key_digest(round_id, key): round_id for round_id in ids}
            row = (
                c.execute(
                    select(responses)
                    .where(responses.c.resume_code_hash.in_(digests))
                    .order_by(responses.c.round_id.desc())
                )
                .mappings()
                .first()
            )
            if row is None or not any(same_digest(row["resume_code_hash"], d) for d in digests):
                return None
            values = dict(
                c.execute(select(answers.c.item, answers.c.value).where(answers.c.response_id == row["id"])).all()
            )
        submitted, held = row["status"] == "submitted", row["holder_hash"]
        mine = (holder is None and held is None) or (
            holder is not None and held is not None and same_digest(held, key_digest(row["round_id"], holder))
        )
        if not mine:
            return Draft(row["id"], row["round_id"], row["side"], {}, submitted, withheld=True)
        return Draft(row["id"], row["round_id"], row["side"], values, submitted)


def _unnest():
    """The rows of a multi-row statement on PostgreSQL: two array parameters, side by side (WritePath._rows)."""
    items, values = bindparam("b_items", type_=ARRAY(String)), bindparam("b_values", type_=ARRAY(SmallInteger))
    return func.unnest(items, values).table_valued("item", "value").render_derived(name="u", with_types=False)


def _read_for_write():
    """See WritePath._read_for_write (compiled once, by WritePath._run)."""
    return (
        select(
            rounds.c.status,
            rounds.c.assessment_id,
            rounds.c.rehearsal,
            assessments.c.access,
            assessments.c.min_group_size,
            invitations.c.side.label("invited"),
            responses.c.id.label("existing"),
        )
        .select_from(
            rounds.join(assessments, assessments.c.id == rounds.c.assessment_id)
            .outerjoin(
                invitations,
                and_(
                    invitations.c.assessment_id == rounds.c.assessment_id,
                    invitations.c.code_hash == bindparam("b_code"),
                ),
            )
            .outerjoin(responses, responses.c.resume_code_hash == bindparam("b_digest"))
        )
        .where(rounds.c.id == bindparam("b_round"))
        # The assessment's row, shared: submits go together, a delete (which locks it first, for
        # update) waits for them, and they for it: one lock order, no deadlock (PostgreSQL; SQLite's
        # BEGIN IMMEDIATE serialises writers anyway).
        .with_for_update(read=True, of=assessments)
    )


def _may_write(c: Connection, found, round_id: int, key: str, side: str | None, submitting: bool) -> bool:
    """Whether `key` may write for `side` in this round (`found`, from _read_for_write). By invitation the key
    is one of the assessment's codes, answering for the side it was given for; by e-mail, one of the links
    the app e-mailed, once per invitation and round whichever link: False when another link of the invitee
    (a reminder's) has submitted in this round. Raises NotInvited, or InvalidData("side")."""
    if found.access == "email":
        emailed = mailing.link_invitation(c, found.assessment_id, key)  # (invitation id, side) or None
        if emailed is None:
            raise NotInvited(round_id)
        _check_side(side, emailed[1])
        # Submitting marks the invitation answered first (an UPDATE conditional on it, so two links of
        # one invitee submit once between them); a draft only checks it.
        if submitting:
            return mailing.mark_answered(c, emailed[0], round_id)
        return not mailing.answered(c, emailed[0], round_id)
    if found.access == "invitations":
        if found.invited is None:
            raise NotInvited(round_id)
        _check_side(side, found.invited)
    return True


def _check_side(side: str | None, given: str) -> None:
    """An invitee answers for the side they were invited for (a draft may have no side yet)."""
    if side is not None and side != given:
        raise InvalidData("side", side)


def report_all(c: Connection, round_ids: list[int]) -> None:
    """Show every submitted response of these rounds (an open link's rounds, as they close)."""
    if not round_ids:
        return
    for table in (response_counts, answer_counts):
        c.execute(update(table).where(table.c.round_id.in_(round_ids)).values(reported=table.c.n))
