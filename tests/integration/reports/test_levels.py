"""Reports by unit, official DPS area, health trust or Trøndelag (issue 13, item 5): every
level's columns are sums of units in the one protected system, and a questionnaire is never
shown finer than its `reporting.level`."""

from __future__ import annotations

import pytest

from surveyapp.collect.versions import current_version
from surveyapp.reports.model import TOTAL, Filters
from surveyapp.reports.summary import build_report
from tests.integration.reports.test_attacker import LATER, insert_responses

UNITS = {"nidaros": 8, "tiller": 6, "orkdal": 7, "stjordal": 9, "levanger": 5}
RESPONSES = [
    ("2026-H1", dps, "pasient", "self", "ja" if i % 2 else "nei", None)
    for dps, n in UNITS.items()
    for i in range(n)
]


def report_at(session, questionnaire_id, level):
    filters = Filters(period="2026-H1", level=level)
    return build_report(session, questionnaire_id, filters=filters, today=LATER)


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_each_level_shows_its_columns_as_sums_of_units(app):
    with app.extensions["db_sessionmaker"]() as session:
        insert_responses(session, current_version(session, "flyt").id, RESPONSES)
        by_level = {
            level: {c.label: c.responses for c in report_at(session, "flyt", level).columns}
            for level in ("unit", "area", "trust", "region")
        }
    assert by_level["unit"]["Tiller DPS"] == 6
    assert by_level["area"]["DPS-området Nidelv"] == 6 + 7  # Tiller and Orkdal
    assert by_level["area"]["DPS-området Nidaros"] == 8
    assert by_level["trust"]["St. Olavs hospital HF"] == 8 + 6 + 7
    assert by_level["trust"]["Helse Nord-Trøndelag HF"] == 9 + 5
    assert by_level["region"] == {"Trøndelag i alt": 35}
    assert all(v["Trøndelag i alt"] == 35 for v in by_level.values())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_interview_guide_is_shown_per_trust_and_never_per_unit(app):
    with app.extensions["db_sessionmaker"]() as session:
        version = current_version(session, "erfaringskonsulent").id
        responses = [(p, d, r, "interview", m, h) for p, d, r, _mode, m, h in RESPONSES]
        insert_responses(session, version, responses)
        report = report_at(session, "erfaringskonsulent", None)
        assert [c.key for c in report.columns if c.key != TOTAL] == [
            "_foretak_st_olavs_hospital_hf",
            "_foretak_helse_nord_tr_ndelag_hf",
        ]
        assert report.columns[0].units == ("Nidaros DPS", "Tiller DPS", "Orkdal DPS")
        for level in ("unit", "area"):
            with pytest.raises(ValueError):
                report_at(session, "erfaringskonsulent", level)
        region = report_at(session, "erfaringskonsulent", "region")
        assert [c.key for c in region.columns] == [TOTAL]
