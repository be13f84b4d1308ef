"""Bringing the DPS registry file into the database, safely re-runnable."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveyapp.db.models import DpsArea, DpsUnit
from surveyapp.registry import Area, Unit


def sync_registry(session: Session, areas: list[Area], units: list[Unit]) -> dict[str, int]:
    """Insert or update areas and units from the file; units missing from it become inactive.

    Nothing is deleted, so responses of a renamed or closed unit stay where they were.
    """
    counts = {"added": 0, "updated": 0, "deactivated": 0}
    for area in areas:
        session.merge(DpsArea(id=area.id, name=area.name, health_trust=area.health_trust))
    session.flush()
    stored = {u.id: u for u in session.scalars(select(DpsUnit))}
    for order, unit in enumerate(units):
        values = {
            "name": unit.name,
            "area_id": unit.area,
            "health_trust": unit.health_trust,
            "places": unit.places,
            "notes": unit.notes,
            "active": True,
            "sort_order": order,
        }
        row = stored.pop(unit.id, None)
        if row is None:
            session.add(DpsUnit(id=unit.id, **values))
            counts["added"] += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            counts["updated"] += 1
    for row in stored.values():
        if row.active:
            row.active = False
            counts["deactivated"] += 1
    session.flush()
    return counts


def active_units(session: Session) -> list[DpsUnit]:
    return list(
        session.scalars(
            select(DpsUnit).where(DpsUnit.active.is_(True)).order_by(DpsUnit.sort_order)
        )
    )


def all_units(session: Session) -> list[DpsUnit]:
    return list(session.scalars(select(DpsUnit).order_by(DpsUnit.sort_order)))
