"""The about page lists every published figure and the method, in both languages."""

from tests.apptest_helpers import assert_no_error, start


def test_about_lists_the_twenty_figures_and_the_method():
    at = start(page="pages/about.py")
    assert_no_error(at)
    table = at.table[0].value
    assert len(table) == 20
    assert set(table["Agreeing"]) >= {"83%", "23%", "14%"}
    headers = [h.value for h in at.header]
    assert "Method and sources" in headers and "Discrepancies between sources" in headers


def test_about_in_french():
    at = assert_no_error(start("fr", page="pages/about.py"))
    assert "Méthode et sources" in [h.value for h in at.header]
    assert "83\u00a0%" in set(at.table[0].value["D’accord"])


def test_about_language_switch():
    at = start(page="pages/about.py")
    assert_no_error(at.sidebar.radio[0].set_value("fr").run())
    assert [t.value for t in at.title] == ["À propos de l’enquête et de cet outil"]
