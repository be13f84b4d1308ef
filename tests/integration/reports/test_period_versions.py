"""An ended period is decided and shown with the questionnaire it was asked with, so a version
loaded later (a report group dropped, an option added) never decides its published figures a
second time, differently: the two decisions could be subtracted (docs/disclosure-design.md)."""

from __future__ import annotations

import random

import pytest

from surveyapp.collect.versions import current_version
from surveyapp.reports import publication
from surveyapp.reports.model import Filters
from surveyapp.reports.summary import build_report
from tests.integration.reports.test_attacker import LATER, UNITS, insert_responses

VIEWS = [
    Filters(period="2026-H1"),
    Filters(period="2026-H1", mode="self"),
    Filters(period="2026-H1", level="area"),
]


def _responses(seed: int) -> list[tuple]:
    rng = random.Random(seed)
    return [
        (
            "2026-H1",
            rng.choice(UNITS),
            rng.choice(["pasient", "parorende"]),
            rng.choice(["self", "interview"]),
            rng.choice(["ja", "ja", "nei", None]),
            rng.choice(["1", "2", "4", "5", "9", None]),
        )
        for _ in range(60)
    ]


def _shown(session) -> list:
    """Every figure the views of 2026-H1 show."""
    shown = []
    for filters in VIEWS:
        report = build_report(session, "flyt", filters=filters, today=LATER)
        shown.append([(c.key, c.responses) for c in report.columns])
        for table in report.tables:
            for row in table.rows:
                shown.append((table.answer_id, row.value, sorted(row.cells.items())))
            shown.append((table.answer_id, sorted(table.answered.items())))
            shown.append(
                (table.answer_id, [(k, s.mean) for k, s in sorted(table.statistics.items())])
            )
    return shown


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_later_version_does_not_decide_an_ended_period_again(app, runner, questionnaires_dir):
    with app.extensions["db_sessionmaker"]() as session:
        insert_responses(session, current_version(session, "flyt").id, _responses(7))
        publication.clear_cache()
        before = _shown(session)
    source = questionnaires_dir / "flyt.yaml"
    text = source.read_text("utf-8")
    changed = text.replace("report_groups: [rolle]\n", "").replace(
        "        type: yes_no\n        text: Har du møtt en erfaringskonsulent?\n",
        "        type: single_choice\n        text: Har du møtt en erfaringskonsulent?\n"
        "        choices:\n          - {value: ja, label: Ja}\n"
        "          - {value: nei, label: Nei}\n"
        "          - {value: usikker, label: Usikker}\n",
    )
    assert changed.count("usikker") == 1 and "report_groups" not in changed
    source.write_text(changed, "utf-8")
    assert runner.invoke(args=["init"]).exit_code == 0  # the new version is current
    publication.clear_cache()  # as after a restart
    with app.extensions["db_sessionmaker"]() as session:
        assert "usikker" in current_version(session, "flyt").source_text
        after = _shown(session)
        mott = next(
            t
            for t in build_report(
                session, "flyt", filters=Filters(period="2026-H1"), today=LATER
            ).tables
            if t.answer_id == "mott"
        )
    assert after == before
    assert "usikker" not in [row.value for row in mott.rows]  # not asked in 2026-H1

    # 2026-H2 is answered on the new version: shown with it, and the trends over both work
    later = [("2026-H2", *r[1:]) for r in _responses(8)]
    with app.extensions["db_sessionmaker"]() as session:
        insert_responses(session, current_version(session, "flyt").id, later)
        h2 = build_report(
            session, "flyt", filters=Filters(period="2026-H2"), today=LATER, trends=True
        )
        assert "usikker" in [r.value for t in h2.tables if t.answer_id == "mott" for r in t.rows]
        assert h2.trends.periods == ["2026-H1", "2026-H2"]
        assert _shown(session) == before  # 2026-H1 still as it was


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_group_added_later_says_the_period_was_not_cut_by_it(
    app, db, runner, questionnaires_dir, monkeypatch
):
    from surveyapp import periods
    from tests.helpers import signed_in

    with app.extensions["db_sessionmaker"]() as session:
        insert_responses(session, current_version(session, "flyt").id, _responses(7))
    source = questionnaires_dir / "flyt.yaml"
    text = source.read_text("utf-8")
    source.write_text(text.replace("report_groups: [rolle]", "report_groups: [alder]"), "utf-8")
    assert runner.invoke(args=["init"]).exit_code == 0
    publication.clear_cache()
    with app.extensions["db_sessionmaker"]() as session:
        report = build_report(
            session, "flyt", filters=Filters(period="2026-H1", group=("alder", "u30")), today=LATER
        )
        assert report.group_not_cut and report.columns == []
        cut_by_rolle = build_report(
            session,
            "flyt",
            filters=Filters(period="2026-H1", group=("rolle", "pasient")),
            today=LATER,
        )
        assert not cut_by_rolle.group_not_cut and cut_by_rolle.columns  # as it was decided
    monkeypatch.setattr(periods, "today", lambda: LATER)
    analyst = signed_in(app, db, "analyst")
    page = analyst.get("/rapporter/flyt?periode=2026-H1&gruppe=alder:u30").get_data(True)
    assert "Dette halvåret ble ikke delt etter denne gruppen" in page
    assert "Ingen enheter har nok svar" not in page
