"""The DPS registry: loaded by `surveyapp init`, safe to re-run, units never deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from surveyapp.db.models import DpsArea, DpsUnit, Response
from surveyapp.db.seed import sync_registry
from surveyapp.registry import Area, RegistryError, Unit, load_registry


def test_init_loads_every_unit_of_trondelag_with_its_official_area(db):
    units = {u.id: u for u in db.scalars(select(DpsUnit))}
    assert set(units) == {
        "nidaros",
        "tiller",
        "orkdal",
        "stjordal",
        "kolvereid",
        "levanger",
        "namsos",
    }
    assert units["orkdal"].area_id == "nidelv"
    assert units["kolvereid"].area_id == "namsos"
    assert {a.id for a in db.scalars(select(DpsArea))} == {
        "nidaros",
        "nidelv",
        "stjordal",
        "levanger",
        "namsos",
    }


def test_init_is_idempotent(runner, db):
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "nye: 0, endret: 0, deaktivert: 0" in result.output
    assert len(db.scalars(select(DpsUnit)).all()) == 7


def test_a_unit_removed_from_the_file_is_deactivated_and_keeps_its_responses(app, db):
    from surveyapp.collect.versions import current_version

    db.add(
        Response(
            id="r" * 32,
            questionnaire_version_id=current_version(db, "flyt").id,
            dps_id="namsos",
            mode="self",
            submitted_on=dt.date(2026, 11, 2),
            submission_key="k" * 64,
        )
    )
    db.commit()
    areas, units = load_registry()
    renamed = [
        Unit(**{**u.__dict__, "name": "Heimdal DPS"}) if u.id == "orkdal" else u for u in units
    ]
    counts = sync_registry(db, areas, [u for u in renamed if u.id != "namsos"])
    db.commit()
    assert counts == {"added": 0, "updated": 1, "deactivated": 1}
    assert db.get(DpsUnit, "namsos").active is False
    assert db.get(DpsUnit, "orkdal").name == "Heimdal DPS"
    assert db.get(Response, "r" * 32).dps_id == "namsos"


def test_registry_file_with_an_unknown_area_is_refused(tmp_path):
    path = tmp_path / "dps.yaml"
    path.write_text(
        "areas: [{id: a, name: A, health_trust: X}]\n"
        "units: [{id: u, name: U, area: b, health_trust: X}]\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError, match="unknown area"):
        load_registry(path)


def test_registry_units_are_plain_data():
    areas, units = load_registry()
    assert all(isinstance(a, Area) for a in areas)
    assert len(units) == 7
