"""Assessments by invitation through the pages (AppTest, SQLite): create, hand out, answer, read the rate."""

import csv
import io

from tests.apptest_helpers import assert_no_error, new_assessment_form, start


def create_by_invitation(lang="en", it="", marketing_number=0):
    at = new_assessment_form("invitations", lang, min_group=1)
    at.text_area(key="new_assessment:invitees:it").input(it)
    at.number_input(key="new_assessment:invited:marketing").set_value(marketing_number)
    return at.button(key="new_assessment:submit").click().run()


def test_invitations_are_made_per_side_shown_once_and_downloadable(db):
    at = create_by_invitation(it='Alice Martin\n=HYPERLINK("x")\n\n  Bob  ', marketing_number=2)
    assert_no_error(at)
    assert "shown only once" in at.success[0].value
    created = at.session_state["new_assessment:created"]
    assert [side for side, _ in created.invitations] == ["it"] * 3 + ["marketing"] * 2
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the invitation links (CSV)", "Download the results link (text card)"]
    links = [c.value for c in at.code]
    assert sum("/respond?i=" in link for link in links) == 5 and not any("/respond?a=" in link for link in links)
    assessment = db.find_by_results_code(links[-1].split("k=")[1])
    assert assessment.by_invitation and db.invited_counts(assessment.id) == {"it": 3, "marketing": 2}
    # Nothing of the pasted names reaches the database.
    with db.engine.connect() as c:
        dump = "\n".join(c.connection.driver_connection.iterdump())
    assert "Alice" not in dump and "Bob" not in dump


def test_the_invitation_file_is_formula_safe_and_labels_each_link(db):
    from alignment.core.i18n import translator
    from alignment.org.export import invitations_csv

    rows = [("IT", '=HYPERLINK("x")', "http://h/respond?i=abc"), ("IT", "Bob", "http://h/respond?i=def")]
    table = list(csv.reader(io.StringIO(invitations_csv(translator("fr"), rows)), delimiter=";"))
    assert table[0] == ["Côté", "Personne invitée", "Lien personnel (une fois par vague)"]
    assert table[1][1] == '\'=HYPERLINK("x")' and table[2] == ["IT", "Bob", "http://h/respond?i=def"]


def test_an_invitation_needs_invitees(sqlite_url):
    at = create_by_invitation()
    assert "Invite at least one person" in at.error[0].value
    assert "new_assessment:created" not in at.session_state


def test_an_invitee_answers_once_for_their_side_and_the_rate_shows(db):
    at = create_by_invitation(it="Alice\nBob")
    created = at.session_state["new_assessment:created"]
    assessment = db.find_by_results_code(created.results_code)
    code = created.invitations[0][1]
    respond = start(query={"i": code}, page="pages/respond.py")
    assert_no_error(respond)
    assert any("your personal link, usable once per round" in c.value for c in respond.caption)
    prefix = f"w:org:{assessment.id}:en:"
    assert not any(r.key and r.key.endswith(":side") for r in respond.radio)  # the invitation fixes the side
    for radio in [r for r in respond.radio if r.key and r.key.startswith(prefix) and ":ctx_" not in r.key]:
        if not radio.key.endswith(":side"):
            radio.set_value(4)
    respond.run()
    respond.button(key=f"org:{assessment.id}:submit").click().run()
    assert [s.value for s in respond.success] == ["Thank you: your answers are counted."]
    again = start(query={"i": code}, page="pages/respond.py")  # the code again: already used
    assert [s.value for s in again.success] == ["These answers were already submitted and are counted once."]
    rnd = db.current_round(assessment.id)
    assert db.round_counts(rnd.id).sides == {"it": 1}
    results = start(query={"k": created.results_code}, page="pages/organisation.py")
    assert any("Access: by invitation" in c.value for c in results.caption)
    assert any(c.value == "of 2 invited (50%)" for c in results.caption)


def test_the_open_respondent_link_of_an_invitation_assessment_takes_no_answers(db):
    at = create_by_invitation(it="Alice")
    created = at.session_state["new_assessment:created"]
    respond = start(query={"a": created.respondent_code}, page="pages/respond.py")
    assert "by invitation only" in respond.warning[0].value
    assert not list(respond.main.radio)
    bad = start(query={"i": "x" * 32}, page="pages/respond.py")
    assert "not valid" in bad.error[0].value and not list(bad.main.radio)
