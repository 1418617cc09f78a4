"""The tables, as SQLAlchemy Core metadata. Alembic migrations in storage/migrations create them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    false,
)

metadata = MetaData()

# The parents a row can belong to: the column naming one, the parent's key and the key's type.
_PARENTS = {
    "assessment_id": ("assessments.id", String(36)),
    "round_id": ("rounds.id", Integer),
    "invitation_id": ("invitations.id", Integer),
}


def _kept_with(table: str, column: str) -> Column:
    """`table`'s link to the parent row `column` names: required, deleted with the parent (ON DELETE CASCADE),
    the constraint named fk_<table>_<column> as the migrations named it. The links migration 0001 made
    (rounds.assessment_id, responses.round_id, answers.response_id) have no name: they are written out."""
    parent, key_type = _PARENTS[column]
    return Column(column, key_type, ForeignKey(parent, ondelete="CASCADE", name=f"fk_{table}_{column}"), nullable=False)


assessments = Table(
    "assessments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("org_name", String(200), nullable=False),
    Column("industry", String(40)),
    Column("industry_other", String(80), nullable=False, server_default=""),
    Column("country", String(10)),
    Column("country_other", String(80), nullable=False, server_default=""),
    Column("size", String(20)),
    Column("lang", String(2), nullable=False),
    Column("min_group_size", Integer, nullable=False),
    # "open": anyone with the respondent link answers, one response per browser and round;
    # "invitations": only single-use invitation codes (table invitations) answer, handed out by the organiser;
    # "email": the same, but the app e-mails each invitee their link (tables invitees, invitation_links).
    Column("access", String(12), nullable=False, server_default="open"),
    # Secret codes are stored only as SHA-256 hex digests.
    Column("respondent_code_hash", String(64), nullable=False, unique=True),
    Column("results_code_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", String(36), ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("label", String(80), nullable=False),
    Column("status", String(10), nullable=False),  # "open" or "closed"
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    # A rehearsal round (number 0, at most one per assessment) holds simulated answers for trying the room
    # view; Database.rounds() never lists it, so it is never counted, exported or taken as a previous round.
    Column("rehearsal", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("assessment_id", "number", name="uq_rounds_assessment_number"),
)

responses = Table(
    "responses",
    metadata,
    Column("id", String(36), primary_key=True),  # made by the respondent's session: a resubmit is a no-op
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("side", String(20)),
    Column("status", String(10), nullable=False),  # "draft" or "submitted"
    # SHA-256 of "<round id>:<respondent key>": the key is the invitation code, or in an open assessment the
    # browser's key (a cookie, also in the resume link). Unique, so one key has one response per round.
    Column("resume_code_hash", String(64), nullable=False, unique=True),
    # No time is kept beside a response (migration 0012): nothing ties anyone's answers to when they were
    # given. Rank of a submitted response within its round and side (1, 2, …), given in the submitting transaction:
    # what is reported is always the first (n // minimum) × minimum of them (see answer_counts.reported).
    Column("side_seq", Integer),
    # By invitation: SHA-256 of "<round id>:<holder key>", the key of the browser that holds the draft (its
    # cookie, and the link to finish later shown on its screen). The invitation link alone, which others may
    # have held, never opens a draft; only the holder key does.
    Column("holder_hash", String(64)),
    Index("ix_responses_round_status", "round_id", "status", "side"),  # counts per side: index only
    Index("ix_responses_round_side_seq", "round_id", "side", "side_seq"),
)

# Single-use invitation codes of an assessment in "invitations" access, stored only as SHA-256 digests.
# A code answers once per round, for its side; what it answered is not linked to it beyond its response.
invitations = Table(
    "invitations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _kept_with("invitations", "assessment_id"),
    Column("side", String(20), nullable=False),
    Column("code_hash", String(64), nullable=False),
    # Invitations by e-mail ("email" access) only: "sent" or "failed" (None: not sent yet), the failure's
    # class (outbox.smtp.FAILURES), and the id of the last round its links submitted in (one response per
    # invitation and round, however many links its e-mails carried; reminders skip it in that round).
    Column("delivery", String(10)),
    Column("failure", String(12)),
    Column("answered_round", Integer),
    # When a send run claimed it (migration 0011): another run leaves it alone until the outcome is recorded
    # (cleared then) or the claim is older than storage.mailing.CLAIM_MINUTES (a run that crashed).
    Column("claimed_at", DateTime(timezone=True)),
    UniqueConstraint("code_hash", name="uq_invitations_code_hash"),
    Index("ix_invitations_assessment_side", "assessment_id", "side"),
)

# The links the app e-mailed for an invitation (the invitation, each retry, each reminder: every one keeps
# working), and the stop link each e-mail carried: both stored only as SHA-256 digests.
invitation_links = Table(
    "invitation_links",
    metadata,
    Column("code_hash", String(64), nullable=False),
    Column("stop_hash", String(64), nullable=False),
    _kept_with("invitation_links", "invitation_id"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("code_hash", name="pk_invitation_links"),
    UniqueConstraint("stop_hash", name="uq_invitation_links_stop_hash"),
    Index("ix_invitation_links_invitation", "invitation_id"),
)

# The e-mail addresses of an assessment by e-mail, one per invitation: the only table that holds them. No
# page, PDF or export reads it and no query joins it to responses; only storage.mailing reads it, to send
# invitations and reminders. Its rows are deleted when the round closes, or at once by the organiser.
invitees = Table(
    "invitees",
    metadata,
    _kept_with("invitees", "invitation_id"),
    _kept_with("invitees", "assessment_id"),
    Column("address", String(254), nullable=False),
    Column("stopped", Boolean, nullable=False, server_default=false()),  # the invitee's stop link was used
    Column("reminded_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("invitation_id", name="pk_invitees"),
    Index("ix_invitees_assessment", "assessment_id"),
)

# Each reminder run of a round (the button or the scheduled command): how many were reminded, how many failed.
reminder_runs = Table(
    "reminder_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _kept_with("reminder_runs", "round_id"),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reminded", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Index("ix_reminder_runs_round", "round_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("response_id", String(36), ForeignKey("responses.id", ondelete="CASCADE"), nullable=False),
    Column("item", String(60), nullable=False),
    Column("value", SmallInteger, nullable=False),
    # The response's round, copied so that one round's counts read only that round's answers, through
    # ix_answers_round (an index range scan, covering: no table rows are read). The gateway writes it
    # with the answers, in the transaction that sets the response's round.
    _kept_with("answers", "round_id"),
    PrimaryKeyConstraint("response_id", "item", name="pk_answers"),
    Index("ix_answers_round", "round_id", "item", "value", "response_id"),
)

# Submitted answers of each round, counted as they are submitted: reading a round's counts is a primary-key
# range scan of at most sides × questions × values rows, whatever the size of the organisation or of the
# database. Submitted responses never change, so a count only grows; deleting a round deletes its counts.
# The gateway increments them in the transaction that submits (Database.submit); Database.recount
# rebuilds them from the answers.
answer_counts = Table(
    "answer_counts",
    metadata,
    _kept_with("answer_counts", "round_id"),
    Column("side", String(20), nullable=False),
    Column("item", String(60), nullable=False),
    Column("value", SmallInteger, nullable=False),
    Column("n", Integer, nullable=False),
    # The count as last reported: set to n whenever the side's submitted responses reach a multiple of the
    # assessment's minimum group size, so what pages and exports show moves in steps of that size.
    Column("reported", Integer, nullable=False, server_default="0"),
    PrimaryKeyConstraint("round_id", "side", "item", "value", name="pk_answer_counts"),
)

# Submitted responses of each round per side, kept with answer_counts (same transaction, same rules).
response_counts = Table(
    "response_counts",
    metadata,
    _kept_with("response_counts", "round_id"),
    Column("side", String(20), nullable=False),
    Column("n", Integer, nullable=False),
    Column("reported", Integer, nullable=False, server_default="0"),  # (n // minimum) × minimum
    PrimaryKeyConstraint("round_id", "side", name="pk_response_counts"),
)

# The conversation plan's ticks and notes (alignment.org.plan), one row per round and segment ("opening",
# "closing" or a statement's id): kept with the round, deleted with it.
plan_notes = Table(
    "plan_notes",
    metadata,
    _kept_with("plan_notes", "round_id"),
    Column("key", String(60), nullable=False),
    Column("done", Boolean, nullable=False, server_default=false()),
    Column("note", String(500), nullable=False, server_default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("round_id", "key", name="pk_plan_notes"),
)

# Join codes for the room view: an alias of the respondent link while a session runs, in two forms made
# together: a short code typed on a phone (code_hash; its look-ups spend the join budget) and a long link in
# the QR code (link_hash, 192 bits: not budgeted, it cannot be guessed). Stored only as SHA-256 digests,
# valid until expires_at (see Database.new_room_join). Codes made before migration 0010 have no link.
join_codes = Table(
    "join_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    _kept_with("join_codes", "assessment_id"),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("link_hash", String(64)),
    Index("ix_join_codes_assessment", "assessment_id"),
    Index("ix_join_codes_link", "link_hash", unique=True),
)

# The room view's own keys (issue 16): read-only, they show the live view of one assessment and nothing else;
# stored only as SHA-256 digests, valid until expires_at, revoked by deleting them. The results code is
# never needed on the projected browser.
room_keys = Table(
    "room_keys",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    _kept_with("room_keys", "assessment_id"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_room_keys_assessment", "assessment_id"),
)

# The budget of failed join-code look-ups (Database.find_by_join_code), kept in the database so that every
# app server spends the same one: per time slot (epoch seconds // window), one row per client network
# ("c:" + HMAC of the network under the slot's salt and the servers' secret) and one overall ("all").
# Rows and salts of past slots are deleted on every look-up and on a timer (Database.sweep_join_budget).
join_budget = Table(
    "join_budget",
    metadata,
    Column("scope", String(80), nullable=False),
    Column("slot", BigInteger, nullable=False),
    Column("spent", Integer, nullable=False),
    PrimaryKeyConstraint("scope", "slot", name="pk_join_budget"),
)

# One random salt per time slot of the join budget (migration 0010): without it, and without the servers'
# secret, a client's budget row cannot be turned back into its network; deleted with its slot's rows.
join_salts = Table(
    "join_salts",
    metadata,
    Column("slot", BigInteger, primary_key=True, autoincrement=False),
    Column("salt", String(64), nullable=False),
)

# The follow-up (alignment.org.followup): actions IT and marketing agreed, each tied to a statement, kept
# with the assessment across its rounds (round_number: the round it was agreed from, its "before"), deleted
# with it. Free texts are the organisers' own words, cleaned and bounded (storage.validation.check_action).
follow_up_actions = Table(
    "follow_up_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _kept_with("follow_up_actions", "assessment_id"),
    Column("item", String(60), nullable=False),
    Column("text", String(300), nullable=False),
    Column("owner", String(80), nullable=False, server_default=""),
    Column("due", Date),
    Column("status", String(12), nullable=False),
    Column("note", String(300), nullable=False, server_default=""),
    Column("round_number", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_follow_up_actions_assessment", "assessment_id", "id"),
)
