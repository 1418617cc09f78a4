"""The follow-up's actions (table follow_up_actions), behind the Database facade: a mixin of its methods.

An action belongs to an assessment and is reached only with its assessment's id (which only the results
code finds): an action id alone opens nothing, so guessing ids edits no one else's actions.
"""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import Connection, delete, false, func, insert, select, update

from alignment.org.followup import MAX_ACTIONS, ActionDraft, AgreedAction
from storage.plumbing import Plumbing, from_row, utc_now
from storage.round_admin import lock_assessment
from storage.schema import follow_up_actions, rounds
from storage.validation import InvalidData, check_action, check_lengths


class ActionStore(Plumbing):
    """The follow-up's actions, per assessment."""

    def actions(self, assessment_id: str) -> list[AgreedAction]:
        """The assessment's actions, in the order they were recorded."""
        with self.engine.connect() as c:
            return actions_of(c, assessment_id)

    def add_action(self, assessment_id: str, round_number: int, draft: ActionDraft) -> AgreedAction:
        """Record an action agreed from the assessment's round `round_number` (its "before"); return it as stored.

        InvalidData, and nothing stored, for an unknown statement or status, an empty action, a text longer
        than its limit, a round the assessment does not have ("setting"), or more than MAX_ACTIONS actions.
        """
        cleaned = check_action(draft)
        if type(round_number) is not int:
            raise InvalidData("setting", f"round {round_number!r}")
        now = utc_now()
        row = {
            "assessment_id": assessment_id,
            **asdict(cleaned),
            "round_number": round_number,
            "created_at": now,
            "updated_at": now,
        }
        check_lengths(follow_up_actions, {k: v for k, v in row.items() if k != "due"})
        with self.transaction() as c:
            # Serialise adds to one assessment, so the limit holds under concurrent clicks.
            lock_assessment(c, assessment_id)
            known = c.execute(
                select(rounds.c.id).where(
                    rounds.c.assessment_id == assessment_id,
                    rounds.c.number == round_number,
                    rounds.c.rehearsal.is_(false()),
                )
            ).scalar()
            if known is None:
                raise InvalidData("setting", f"round {round_number!r}")
            count = c.execute(
                select(func.count()).where(follow_up_actions.c.assessment_id == assessment_id)
            ).scalar_one()
            if count >= MAX_ACTIONS:
                raise InvalidData("setting", f"more than {MAX_ACTIONS} actions")
            new_id = c.execute(insert(follow_up_actions).values(**row).returning(follow_up_actions.c.id)).scalar_one()
        return from_row(AgreedAction, row, id=new_id)

    def update_action(self, assessment_id: str, action_id: int, draft: ActionDraft) -> AgreedAction | None:
        """Change an action's statement, text, owner, due date, status and note (its round stays); return it
        as stored, or None when the assessment has no such action (deleted meanwhile)."""
        cleaned = check_action(draft)
        values = {**asdict(cleaned), "updated_at": utc_now()}
        check_lengths(follow_up_actions, {k: v for k, v in values.items() if k not in ("due", "updated_at")})
        with self.transaction() as c:
            row = (
                c.execute(
                    update(follow_up_actions)
                    .where(follow_up_actions.c.id == action_id, follow_up_actions.c.assessment_id == assessment_id)
                    .values(**values)
                    .returning(*follow_up_actions.c)
                )
                .mappings()
                .first()
            )
        return from_row(AgreedAction, row) if row else None

    def delete_action(self, assessment_id: str, action_id: int) -> bool:
        """Delete one of the assessment's actions; True if there was one."""
        with self.transaction() as c:
            return (
                c.execute(
                    delete(follow_up_actions).where(
                        follow_up_actions.c.id == action_id, follow_up_actions.c.assessment_id == assessment_id
                    )
                ).rowcount
                == 1
            )


def actions_of(c: Connection, assessment_id: str) -> list[AgreedAction]:
    """The assessment's actions, in the order they were recorded, read on `c` (also by Reporting.results_page)."""
    rows = c.execute(
        select(follow_up_actions)
        .where(follow_up_actions.c.assessment_id == assessment_id)
        .order_by(follow_up_actions.c.id)
    ).mappings()
    return [from_row(AgreedAction, row) for row in rows]
