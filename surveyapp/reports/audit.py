"""The audit log: who downloaded what, when, with which filters. Admins read it."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveyapp.db.models import AuditEntry, User

DOWNLOAD_WORKBOOK = "download-workbook"


def record(
    session: Session, user: User, action: str, questionnaire_id: str | None, details: dict
) -> AuditEntry:
    """Write one entry and commit it."""
    entry = AuditEntry(
        user_id=user.id,
        username=user.username,
        action=action,
        questionnaire_id=questionnaire_id,
        details=json.dumps(details, ensure_ascii=False, sort_keys=True),
    )
    session.add(entry)
    session.commit()
    return entry


def recent(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first."""
    return list(
        session.scalars(
            select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
        )
    )


def details_of(entry: AuditEntry) -> dict:
    """An entry's details, or nothing if they cannot be read."""
    try:
        details = json.loads(entry.details or "{}")
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}
