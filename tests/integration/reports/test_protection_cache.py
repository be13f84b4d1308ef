"""A period's protection is decided once and reused: across views, processes and restarts
(a file per period and data state), and ahead of the first view (publication.warm)."""

from __future__ import annotations

import pytest

from surveyapp.collect.versions import current_version
from surveyapp.reports import publication
from surveyapp.reports.model import Filters
from surveyapp.reports.summary import build_report
from tests.helpers import signed_in
from tests.integration.reports.test_attacker import LATER, insert_responses
from tests.integration.web.test_data_pages import confirm_page

RESPONSES = [("2026-H1", "nidaros", "pasient", "self", "ja", "4")] * 7 + [
    ("2026-H1", "tiller", "parorende", "interview", "nei", None)
] * 6


def _cells(report):
    return [
        (t.answer_id, r.value, k, c.count)
        for t in report.tables
        for r in t.rows
        for k, c in r.cells.items()
    ]


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_a_decided_period_is_read_back_from_its_file_not_decided_again(app, tmp_path, monkeypatch):
    publication.use_directory(tmp_path)
    try:
        with app.extensions["db_sessionmaker"]() as session:
            insert_responses(session, current_version(session, "flyt").id, RESPONSES)
            publication.clear_cache()
            filters = Filters(period="2026-H1")
            first = build_report(session, "flyt", filters=filters, today=LATER)
            assert len(list(tmp_path.glob("flyt-2026-H1-k5-*.pickle"))) == 1
            publication.clear_cache()  # as a new process would start

            def never(*args):
                raise AssertionError("decided again")

            monkeypatch.setattr(publication, "build_system", never)
            again = build_report(session, "flyt", filters=filters, today=LATER)
            assert _cells(again) == _cells(first)
            assert [c.responses for c in again.columns] == [c.responses for c in first.columns]
    finally:
        publication.use_directory(None)
        publication.clear_cache()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_warming_decides_the_ended_periods_ahead_of_the_first_view(app, monkeypatch):
    with app.extensions["db_sessionmaker"]() as session:
        insert_responses(session, current_version(session, "flyt").id, RESPONSES)
        publication.clear_cache()
        done = publication.warm(session, LATER, 5, ["flyt"])
        assert ("flyt", "2026-H1") in done and ("flyt", "2026-H2") in done
        monkeypatch.setattr(publication, "build_system", lambda *args: 1 / 0)
        report = build_report(session, "flyt", filters=Filters(period="2026-H1"), today=LATER)
        assert report.published and report.columns
    publication.clear_cache()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_running_period_is_not_warmed(app):
    with app.extensions["db_sessionmaker"]() as session:
        insert_responses(session, current_version(session, "flyt").id, RESPONSES)
        import datetime as dt

        done = publication.warm(session, dt.date(2026, 5, 1), 5, ["flyt"])
        assert done == []


@pytest.fixture
def cache_folder(tmp_path):
    folder = tmp_path / "protection"
    publication.use_directory(folder)
    yield folder
    publication.use_directory(None)
    publication.clear_cache()


def _decided(app, folder) -> list:
    """Decide 2026-H1 (7 at Nidaros, 6 at Tiller) and return its files."""
    with app.extensions["db_sessionmaker"]() as session:
        insert_responses(session, current_version(session, "flyt").id, RESPONSES)
        publication.clear_cache()
        build_report(session, "flyt", filters=Filters(period="2026-H1"), today=LATER)
    return list(folder.glob("flyt-2026-H1-*.pickle"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_purge_discards_the_decided_figures_of_the_deleted_responses(app, runner, cache_folder):
    """A decided system holds every count of its period, the hidden ones too: after the
    purge has deleted the half-year, none of it stays in the folder or in memory."""
    assert len(_decided(app, cache_folder)) == 1
    result = runner.invoke(args=["purge", "--months", "1"])  # 2026-H1 ended in June
    assert result.exit_code == 0, result.output
    assert "13 svar" in result.output
    assert list(cache_folder.glob("*.pickle")) == []
    assert publication._cache == {}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_deleting_a_dps_discards_the_decided_figures(app, db, cache_folder):
    assert len(_decided(app, cache_folder)) == 1
    admin = signed_in(app, db, "admin")
    _page, csrf = confirm_page(admin, dps="tiller")
    response = admin.post(
        "/admin/data/slett", data={"csrf_token": csrf, "dps": "tiller", "confirmation": "tiller"}
    )
    assert response.status_code == 303
    assert list(cache_folder.glob("*.pickle")) == []
    with app.extensions["db_sessionmaker"]() as session:  # the next view decides again
        report = build_report(session, "flyt", filters=Filters(period="2026-H1"), today=LATER)
    assert [c.key for c in report.columns if c.key == "tiller"] == []
    assert len(list(cache_folder.glob("flyt-2026-H1-*.pickle"))) == 1
