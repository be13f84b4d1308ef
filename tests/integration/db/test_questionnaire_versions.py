"""Stored questionnaire versions stay readable: every version the shipped questionnaires have
had (kept in tests/data/questionnaire-versions/) loads with today's loader, as a stored
version is parsed again (collect.versions.questionnaire_of)."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveyapp.collect.versions import questionnaire_of
from surveyapp.db.models import QuestionnaireVersion
from surveyapp.questionnaire import load_text

ROOT = Path(__file__).resolve().parents[3]
VERSIONS = ROOT / "tests" / "data" / "questionnaire-versions"
SHIPPED = ROOT / "questionnaires"


def version_files() -> list[Path]:
    return sorted(VERSIONS.glob("*.yaml"))


@pytest.mark.parametrize("path", version_files(), ids=lambda p: p.stem)
def test_every_earlier_version_loads_with_todays_loader(path):
    source = path.read_text(encoding="utf-8")
    result = load_text(source, path.name)
    assert result.questionnaire is not None, [str(p) for p in result.problems]
    assert result.questionnaire.id == path.stem.rsplit("-", 1)[0]
    stored = QuestionnaireVersion(
        questionnaire_id=result.questionnaire.id,
        content_hash=result.questionnaire.content_hash,
        source_name=path.name,
        source_text=source,
    )
    parsed = questionnaire_of(stored)
    assert parsed.pages and list(parsed.questions())


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_questionnaire_is_kept_among_the_versions(path):
    kept = {p.read_bytes() for p in version_files()}
    assert path.read_bytes() in kept, (
        f"{path.name} is a version not kept in {VERSIONS.relative_to(ROOT)}: copy it there "
        f"as {path.stem}-<commit>.yaml (see the README there)"
    )
