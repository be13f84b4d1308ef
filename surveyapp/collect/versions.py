"""Questionnaire versions in the database: each distinct file text is one version."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from surveyapp.db.models import QuestionnaireVersion
from surveyapp.questionnaire import Questionnaire, load_text


def sync_versions(session: Session, questionnaires: list[Questionnaire]) -> list[str]:
    """Store a new version for every changed file and mark it current. Returns what changed.

    Old versions are kept: their responses keep pointing at them.
    """
    changed = []
    for questionnaire in questionnaires:
        existing = session.scalar(
            select(QuestionnaireVersion).where(
                QuestionnaireVersion.questionnaire_id == questionnaire.id,
                QuestionnaireVersion.content_hash == questionnaire.content_hash,
            )
        )
        if existing is not None and existing.current:
            continue
        session.execute(
            update(QuestionnaireVersion)
            .where(QuestionnaireVersion.questionnaire_id == questionnaire.id)
            .values(current=False)
        )
        if existing is None:
            existing = QuestionnaireVersion(
                questionnaire_id=questionnaire.id,
                content_hash=questionnaire.content_hash,
                source_name=questionnaire.source_name,
                source_text=questionnaire.source_text,
            )
            session.add(existing)
        existing.current = True
        changed.append(questionnaire.id)
    session.flush()
    return changed


def current_version(session: Session, questionnaire_id: str) -> QuestionnaireVersion | None:
    return session.scalar(
        select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == questionnaire_id,
            QuestionnaireVersion.current.is_(True),
        )
    )


def current_versions(session: Session) -> list[QuestionnaireVersion]:
    return list(
        session.scalars(
            select(QuestionnaireVersion)
            .where(QuestionnaireVersion.current.is_(True))
            .order_by(QuestionnaireVersion.questionnaire_id)
        )
    )


def questionnaire_of(version: QuestionnaireVersion) -> Questionnaire:
    """The parsed questionnaire of a stored version (parsed once per process)."""
    return _parse(version.content_hash, version.source_text, version.source_name)


@lru_cache(maxsize=64)
def _parse(content_hash: str, source_text: str, source_name: str) -> Questionnaire:
    result = load_text(source_text, source_name)
    if result.questionnaire is None:  # stored versions were checked when they were loaded
        raise ValueError(f"stored questionnaire {source_name} ({content_hash}) does not load")
    return result.questionnaire
