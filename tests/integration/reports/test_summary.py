"""The figures of a report: counted in SQL, merged by question id, filtered, protected."""

from __future__ import annotations

import datetime as dt

import pytest

from surveyapp.reports import summary
from surveyapp.reports.model import DECLINED, MISSING, POOLED, TOTAL, Filters
from tests.helpers import store_responses

LATER = dt.date(2027, 1, 5)  # the helpers' responses are from 2026-H2, which has ended then


def build_report(db, questionnaire_id, **options):
    options.setdefault("today", LATER)
    return summary.build_report(db, questionnaire_id, **options)


def add(app, dps_id: str, answers: dict, times: int = 1, **options):
    store_responses(app, dps_id, [answers] * times, **options)


def table(report, answer_id):
    return next(t for t in report.tables if t.answer_id == answer_id)


def row(report, answer_id, value):
    return next(r for r in table(report, answer_id).rows if r.value == value)


def test_counts_percentages_and_statistics_per_dps_and_in_total(app, db):
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["4"]}, 6)
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["2"]}, 6)
    add(app, "tiller", {"rolle": ["parorende"], "mott": ["ja"], "hjalp": ["5"]}, 5)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["9"]}, 5)
    report = build_report(db, "flyt", min_count=5)
    assert [c.key for c in report.columns] == ["nidaros", "tiller", TOTAL]
    assert [c.responses for c in report.columns] == [12, 10, 22]
    patients = row(report, "rolle", "pasient").cells
    assert (patients["nidaros"].count, patients["nidaros"].percent) == (12, 1.0)
    assert (patients[TOTAL].count, patients[TOTAL].percent) == (17, 17 / 22)
    stats = table(report, "hjalp").statistics
    assert (stats["nidaros"].mean, stats["nidaros"].median) == (3.0, 2.0)
    assert stats["tiller"].mean == 5.0  # "Ikke aktuelt" (9) does not count
    assert row(report, "hjalp", "9").cells["tiller"].count == 5


def test_declined_and_missing_are_shown_apart_and_not_in_percentages(app, db):
    add(app, "nidaros", {"rolle": ["pasient"]}, 5)
    add(app, "nidaros", {"rolle": [DECLINED]}, 5)
    add(app, "nidaros", {}, 5)
    report = build_report(db, "flyt", min_count=5)
    assert row(report, "rolle", "pasient").cells["nidaros"].percent == 1.0
    assert row(report, "rolle", DECLINED).cells["nidaros"].count == 5
    assert row(report, "rolle", MISSING).cells["nidaros"].count == 5
    assert table(report, "rolle").answered["nidaros"] == 5


def test_small_units_are_pooled_and_a_small_pool_hides_the_total(app, db):
    add(app, "nidaros", {"rolle": ["pasient"]}, 6)
    add(app, "stjordal", {"rolle": ["pasient"]}, 3)
    add(app, "namsos", {"rolle": ["pasient"]}, 3)
    report = build_report(db, "flyt", min_count=5)
    assert [c.key for c in report.columns] == ["nidaros", POOLED, TOTAL]
    pooled = report.columns[1]
    assert pooled.responses == 6 and set(pooled.units) == {
        "DPS Stjørdal",
        "Psykisk helsevern, Sykehuset Namsos",
    }

    # with a higher threshold every unit is small, and the pool holds them all
    report = build_report(db, "flyt", min_count=7)
    assert [c.key for c in report.columns] == [POOLED, TOTAL]
    assert report.columns[0].responses == 12


def test_small_units_of_one_official_area_are_pooled_by_area_first(app, db):
    add(app, "nidaros", {"rolle": ["pasient"]}, 6)
    add(app, "namsos", {"rolle": ["pasient"]}, 3)
    add(app, "kolvereid", {"rolle": ["pasient"]}, 3)
    report = build_report(db, "flyt", min_count=5)
    assert [c.key for c in report.columns] == ["nidaros", "_area_namsos", TOTAL]
    assert report.columns[1].label.startswith("Øvrige i DPS-området")


def test_a_pool_below_the_threshold_and_what_would_reveal_it_are_not_shown(app, db):
    add(app, "nidaros", {"rolle": ["pasient"]}, 6)
    add(app, "stjordal", {"rolle": ["pasient"]}, 3)
    report = build_report(db, "flyt", min_count=5)
    assert [c.key for c in report.columns] == ["nidaros"]
    assert report.hidden_columns == ["Øvrige enheter", "Trøndelag i alt"]
    assert report.total_note


def test_small_counts_are_hidden_with_enough_others_to_protect_them(app, db):
    add(app, "nidaros", {"rolle": ["pasient"]}, 8)
    add(app, "nidaros", {"rolle": ["parorende"]}, 2)
    report = build_report(db, "flyt", min_count=5)
    cells = [row(report, "rolle", v).cells["nidaros"] for v in ("pasient", "parorende")]
    assert all(c.count is None and c.percent is None for c in cells)


def test_cuts_by_period_mode_and_group(app, db):
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"]}, 5, day=dt.date(2026, 3, 1))
    add(app, "nidaros", {"rolle": ["parorende"], "mott": ["nei"]}, 5, day=dt.date(2026, 11, 1))
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["nei"]}, 5, mode="interview")
    first_half = build_report(db, "flyt", filters=Filters(period="2026-H1"))
    assert first_half.columns[0].responses == 5
    assert first_half.periods == ["2027-H1", "2026-H2", "2026-H1"]
    assert build_report(db, "flyt").period == "2026-H2"  # the latest that has ended
    by_mode = build_report(db, "flyt", filters=Filters(mode="interview"))
    assert by_mode.columns[0].responses == 5
    patients = build_report(db, "flyt", filters=Filters(group=("rolle", "pasient")))
    assert patients.columns[0].responses == 5


def test_a_running_period_shows_only_rounded_progress(app, db):
    add(app, "nidaros", {"rolle": ["pasient"]}, 12)
    add(app, "tiller", {"rolle": ["pasient"]}, 3)
    report = build_report(db, "flyt", today=dt.date(2026, 12, 1))
    assert not report.published and report.tables == [] and report.columns == []
    assert report.publish_on == dt.date(2027, 1, 1)
    progress = {p.dps_label: p.at_least for p in report.progress}
    assert progress["Nidaros DPS"] == 10 and progress["Tiller DPS"] is None


def test_versions_are_merged_by_question_id(app, db, runner):
    from pathlib import Path

    add(app, "nidaros", {"rolle": ["pasient"]}, 3)
    path = Path(app.config["QUESTIONNAIRES_DIR"]) / "flyt.yaml"
    path.write_text(path.read_text("utf-8").replace("Testskjema", "Testskjema 2", 1), "utf-8")
    assert runner.invoke(args=["init"]).exit_code == 0
    add(app, "nidaros", {"rolle": ["pasient"]}, 3)
    report = build_report(db, "flyt", min_count=5)
    assert row(report, "rolle", "pasient").cells["nidaros"].count == 6
    assert report.title == "Testskjema 2"
    first, second = report.versions  # (id, content hash) of the versions answered
    assert first[0] < second[0] and first[1] != second[1]

    path.write_text(path.read_text("utf-8").replace("Testskjema 2", "Testskjema 3", 1), "utf-8")
    assert runner.invoke(args=["init"]).exit_code == 0
    assert build_report(db, "flyt", min_count=5).versions == [first, second]  # none answered 3


def test_free_text_appears_only_when_approved(app, db):
    from sqlalchemy import update

    from surveyapp.db.models import Answer

    add(app, "nidaros", {"rolle": ["pasient"], "bra": ["Gode samtaler"]}, 5)
    assert build_report(db, "flyt").free_texts == []
    db.execute(update(Answer).where(Answer.question_id == "bra").values(review="approved"))
    db.commit()
    texts = build_report(db, "flyt").free_texts
    assert {(t.dps_label, t.text) for t in texts} == {("Nidaros DPS", "Gode samtaler")}
    assert build_report(db, "flyt", filters=Filters(group=("rolle", "pasient"))).free_texts == []
    assert build_report(db, "flyt", today=dt.date(2026, 12, 1)).free_texts == []


def test_a_text_to_a_follow_up_question_is_shown_only_where_its_askers_are(
    app, db, runner, questionnaires_dir
):
    """A text to «Hvorfor ikke?» (asked after «nei») says someone in its column said no:
    where that «nei» is hidden, its texts would bound it from below, so they are not shown."""
    from sqlalchemy import update

    from surveyapp.db.models import Answer

    source = questionnaires_dir / "flyt.yaml"
    follow_up = (
        "      - id: hvorfor_ikke\n"
        "        type: long_text\n"
        "        text: Hvorfor ikke?\n"
        '        show_if: mott == "nei"\n'
    )
    text = source.read_text("utf-8")
    anchor = "      - id: hjalp\n"
    source.write_text(text.replace(anchor, follow_up + anchor, 1), "utf-8")
    assert runner.invoke(args=["init"]).exit_code == 0
    no = {"rolle": ["pasient"], "mott": ["nei"]}
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"], "bra": ["Bra her"]}, 8)
    add(app, "nidaros", {**no, "hvorfor_ikke": ["Ingen spurte"]}, 2)  # «nei» = 2: hidden
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["ja"]}, 6)
    add(app, "tiller", {**no, "hvorfor_ikke": ["Visste ikke om det"]}, 6)
    db.execute(
        update(Answer)
        .where(Answer.question_id.in_(["bra", "hvorfor_ikke"]))
        .values(review="approved")
    )
    db.commit()
    report = build_report(db, "flyt", min_count=5)
    assert row(report, "mott", "nei").cells["nidaros"].count is None
    assert row(report, "mott", "nei").cells["tiller"].count == 6
    texts = {(t.dps_label, t.text) for t in report.free_texts}
    assert texts == {("Nidaros DPS", "Bra her"), ("Tiller DPS", "Visste ikke om det")}


def test_a_text_to_a_question_a_newer_version_dropped_is_left_out(
    app, db, runner, questionnaires_dir
):
    """The half-year is shown with its newest version; a text answered on an older one, to a
    question the newer one no longer has, has no table and no place in the report (it used
    to raise KeyError and the page failed)."""
    from sqlalchemy import update

    from surveyapp.db.models import Answer

    add(app, "nidaros", {"rolle": ["pasient"], "bra": ["Gode samtaler"]}, 5)
    db.execute(update(Answer).where(Answer.question_id == "bra").values(review="approved"))
    db.commit()
    source = questionnaires_dir / "flyt.yaml"
    text = source.read_text("utf-8")
    dropped = text.replace(
        "      - id: bra\n        type: long_text\n        text: Hva fungerer bra?\n"
        "        max_length: 50\n",
        "",
    )
    assert "id: bra" not in dropped
    source.write_text(dropped, "utf-8")
    assert runner.invoke(args=["init"]).exit_code == 0
    add(app, "nidaros", {"rolle": ["pasient"]}, 5)  # the same half-year, on the new version
    report = build_report(db, "flyt", min_count=5)
    assert "bra" not in [t.answer_id for t in report.tables]
    assert report.free_texts == []


def test_free_text_is_in_an_order_keyed_by_the_secret_not_by_submission(app, db):
    from sqlalchemy import update

    from surveyapp.db.models import Answer

    texts = [f"Tekst {i}" for i in range(8)]
    for text in texts:
        add(app, "nidaros", {"rolle": ["pasient"], "bra": [text]})
    db.execute(update(Answer).where(Answer.question_id == "bra").values(review="approved"))
    db.commit()
    one = [t.text for t in build_report(db, "flyt", secret=b"a").free_texts]
    again = [t.text for t in build_report(db, "flyt", secret=b"a").free_texts]
    other = [t.text for t in build_report(db, "flyt", secret=b"b").free_texts]
    assert sorted(one) == texts and one == again
    assert one != texts or other != texts  # not the order they came in
    assert one != other


def test_a_multiple_choice_counts_each_respondent_once(app, db):
    two = {"rolle": ["pasient"], "mott": ["ja"], "hvordan": ["hap", "nav"]}
    add(app, "nidaros", two, 6)
    add(app, "nidaros", {"rolle": ["parorende"], "mott": ["ja"], "hvordan": ["nav"]}, 6)
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"], "hvordan": [DECLINED]}, 5)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["ja"], "hvordan": ["hap"]}, 7)
    report = build_report(db, "flyt", min_count=5)
    hvordan = table(report, "hvordan")
    assert hvordan.answered == {"nidaros": 12, "tiller": 7, TOTAL: 19}
    assert row(report, "hvordan", "nav").cells["nidaros"].percent == 1.0
    assert row(report, "hvordan", "hap").cells[TOTAL].count == 13
    assert row(report, "hvordan", DECLINED).cells["nidaros"].count == 5
    assert row(report, "hvordan", MISSING).cells["nidaros"].count == 0

    patients = build_report(db, "flyt", filters=Filters(group=("rolle", "pasient")))
    assert table(patients, "hvordan").answered == {"nidaros": 6, "tiller": 7, TOTAL: 13}


def test_a_response_stored_while_a_report_counts_is_in_all_its_figures_or_in_none(
    app, db, monkeypatch
):
    from surveyapp.reports import aggregate

    add(app, "nidaros", {"rolle": ["pasient"]}, 6)
    counting = aggregate.answer_counts

    def meanwhile(*args, **kwargs):
        add(app, "nidaros", {"rolle": ["pasient"]})  # someone submits as the report counts
        return counting(*args, **kwargs)

    monkeypatch.setattr(aggregate, "answer_counts", meanwhile)
    report = build_report(db, "flyt", min_count=5)
    responses = report.columns[0].responses
    assert row(report, "rolle", "pasient").cells["nidaros"].count == responses
    assert row(report, "rolle", MISSING).cells["nidaros"].count == 0


FLYT_INDICATORS = """
indicators:
  - {id: nytte, name: Nytte, items: [hjalp]}
  - {id: mott, name: {nb: Har møtt, en: Have met}, combine: share, items: [mott], values: [ja]}
  - {id: involvert, name: Involvert, items: [involvert.info, involvert.lyttet]}
"""


def declare_indicators(app, runner):
    from pathlib import Path

    path = Path(app.config["QUESTIONNAIRES_DIR"]) / "flyt.yaml"
    path.write_text(path.read_text("utf-8") + FLYT_INDICATORS, "utf-8")
    assert runner.invoke(args=["init"]).exit_code == 0


def test_indicators_intervals_and_comparisons_come_with_the_report(app, db, runner):
    from surveyapp.reports.estimate import wilson_interval
    from surveyapp.reports.model import ABOVE, BELOW

    declare_indicators(app, runner)
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["5"]}, 25)
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["4"]}, 5)
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["nei"]}, 10)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["2"]}, 10)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["nei"]}, 30)
    report = build_report(db, "flyt", min_count=5, language="en")
    assert [c.key for c in report.columns] == ["nidaros", "tiller", TOTAL]
    assert report.rest_label == "the rest of Trøndelag" and len(report.caveats) == 4
    indicators = {row.id: row for row in report.indicators}
    assert list(indicators) == ["nytte", "mott", "involvert"]
    met = indicators["mott"]
    assert met.name == "Have met"
    assert [met.values[k].score for k in ("nidaros", "tiller", TOTAL)] == [75.0, 25.0, 50.0]
    assert met.values["nidaros"].versus_rest.mark == ABOVE
    assert met.values["nidaros"].versus_rest.other == 25.0  # tiller: the rest, not the total
    assert met.values["tiller"].versus_rest.mark == BELOW
    assert indicators["nytte"].values["nidaros"].score == pytest.approx((25 * 100 + 5 * 75) / 30)
    assert indicators["nytte"].values["nidaros"].versus_rest.mark == ABOVE
    assert indicators["involvert"].values["nidaros"].score is None  # nobody was asked
    assert not indicators["involvert"].values["nidaros"].hidden
    ja = row(report, "mott", "ja").cells["nidaros"]
    assert (ja.low, ja.high) == (wilson_interval(30, 40).low, wilson_interval(30, 40).high)
    assert ja.versus_rest.mark == ABOVE
    hjalp = table(report, "hjalp").statistics
    assert hjalp["tiller"].mean == 2.0 and hjalp["tiller"].low == hjalp["tiller"].high == 2.0
    assert hjalp["nidaros"].versus_rest.mark == ABOVE and hjalp["nidaros"].low < 4.83


def test_a_figure_hidden_to_protect_a_few_hides_the_indicator_built_on_it(app, db, runner):
    declare_indicators(app, runner)
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["5"]}, 30)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["2"]}, 20)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["4"]}, 2)
    report = build_report(db, "flyt", min_count=5)
    hjalp = table(report, "hjalp")
    assert row(report, "hjalp", "4").cells["tiller"].count is None  # two people: hidden
    # the exact mean (2.18) would give the two «4» away, with one decimal too; with none it
    # does not (1.5 to 2.5 allows «3» and «5», or two «1»...), so it is shown so, no interval
    tiller = hjalp.statistics["tiller"]
    assert (tiller.mean, tiller.decimals, tiller.low, tiller.hidden) == (2.0, 0, None, False)
    nytte = next(r for r in report.indicators if r.id == "nytte").values
    assert nytte["tiller"].hidden and nytte["tiller"].score is None
    assert nytte["tiller"].low is None and nytte["tiller"].versus_rest is None
    assert nytte["nidaros"].score == 100.0 and nytte["nidaros"].versus_rest is None


def test_trends_take_each_ended_period_from_its_own_report(app, db, runner):
    from surveyapp.reports.model import NOT_CLEAR, UP

    declare_indicators(app, runner)
    spring = dt.date(2026, 3, 1)
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"]}, 6, day=spring)
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["nei"]}, 24, day=spring)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["ja"]}, 10, day=spring)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["nei"]}, 10, day=spring)
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["ja"]}, 24)  # 2026-H2
    add(app, "nidaros", {"rolle": ["pasient"], "mott": ["nei"]}, 6)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["ja"]}, 11)
    add(app, "tiller", {"rolle": ["pasient"], "mott": ["nei"]}, 9)
    report = build_report(db, "flyt", min_count=5, trends=True)
    assert build_report(db, "flyt", min_count=5).trends is None
    trends = report.trends
    assert trends.periods == ["2026-H1", "2026-H2"]  # not the running 2027-H1
    series = {(s.indicator_id, s.column_key): s for s in trends.series}
    nidaros = series[("mott", "nidaros")].points
    assert [p.value.score for p in nidaros] == [20.0, 80.0]
    assert nidaros[1].change.mark == UP and nidaros[1].change.difference == pytest.approx(60)
    assert series[("mott", "tiller")].points[1].change.mark == NOT_CLEAR
    spring_report = build_report(db, "flyt", min_count=5, filters=Filters(period="2026-H1"))
    own = next(r for r in spring_report.indicators if r.id == "mott").values
    assert nidaros[0].value == own["nidaros"]
