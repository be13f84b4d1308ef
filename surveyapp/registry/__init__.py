"""The DPS units of Trøndelag and the official DPS areas they belong to, read from a data file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DEFAULT_REGISTRY = Path(__file__).with_name("dps.yaml")
MAX_SHORT = 31  # the longest name Excel allows for a sheet


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    health_trust: str


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    area: str
    health_trust: str
    places: str = ""
    notes: str = ""
    short: str = ""  # a short name for sheet names and charts ("Levanger"); "" for the name

    @property
    def short_name(self) -> str:
        return self.short or self.name


class RegistryError(ValueError):
    """The registry file is not as documented at its top."""


def load_registry(path: Path = DEFAULT_REGISTRY) -> tuple[list[Area], list[Unit]]:
    """Read areas and units, checking ids are unique and every unit names a known area."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        areas = [Area(**a) for a in data["areas"]]
        units = [Unit(**u) for u in data["units"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise RegistryError(f"{path}: {exc}") from exc
    area_ids = [a.id for a in areas]
    unit_ids = [u.id for u in units]
    for kind, ids in (("area", area_ids), ("unit", unit_ids)):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise RegistryError(f"{path}: duplicate {kind} id(s): {', '.join(duplicates)}")
    too_long = [u.id for u in units if len(u.short) > MAX_SHORT]
    if too_long:
        raise RegistryError(
            f"{path}: short names longer than {MAX_SHORT} characters: {', '.join(too_long)}"
        )
    unknown = sorted({u.area for u in units} - set(area_ids))
    if unknown:
        raise RegistryError(f"{path}: units name unknown area(s): {', '.join(unknown)}")
    return areas, units


@cache
def short_names(path: Path = DEFAULT_REGISTRY) -> dict[str, str]:
    """Unit id -> the unit's short name, for workbook sheets and charts."""
    return {unit.id: unit.short_name for unit in load_registry(path)[1]}
