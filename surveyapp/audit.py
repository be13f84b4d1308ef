"""The audit log: who saw, downloaded, exported or deleted what, when, with which filters.

Every release of report figures is written here: each dashboard view (the comparison page
and a unit's page), each workbook download and each CLI export, with the filters it was
made with, the user and the questionnaire. So are deletions and free-text decisions. Admins
read it at /admin/logg.

It sits below collect/, reports/ and web/, which all write to it, and knows nothing of
what the filters mean: a release's details are the filters' query arguments as a plain
dict (reports.filters.filter_args gives them), plus the unit page's column or the export's
file under keys of their own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveyapp.db.models import AuditEntry, User

VIEW_COMPARISON = "view-comparison"  # the dashboard's comparison of the units
VIEW_UNIT = "view-unit"  # the dashboard's page of one unit (or the pooled column)
DOWNLOAD_WORKBOOK = "download-workbook"
EXPORT = "export"  # `surveyapp export`
RELEASES = (VIEW_COMPARISON, VIEW_UNIT, DOWNLOAD_WORKBOOK, EXPORT)  # details hold filters

UNIT = "enhet"  # the column a unit's page shows
FILE = "fil"  # the file an export wrote
EXTRA_KEYS = (UNIT, FILE)  # what a release's details hold beside the filters


def record(
    session: Session,
    user: User | None,
    action: str,
    questionnaire_id: str | None,
    details: Mapping,
    *,
    username: str | None = None,
) -> AuditEntry:
    """Write one entry and commit it. Without a user (the CLI), `username` says who."""
    if user is None and not username:
        raise ValueError("an audit entry needs a user or a username")
    entry = AuditEntry(
        user_id=user.id if user is not None else None,
        username=username or user.username,
        action=action,
        questionnaire_id=questionnaire_id,
        details=json.dumps(dict(details), ensure_ascii=False, sort_keys=True),
    )
    session.add(entry)
    session.commit()
    return entry


def record_release(
    session: Session,
    user: User | None,
    action: str,
    questionnaire_id: str,
    filters: Mapping[str, object],
    *,
    unit: str | None = None,
    file: str | None = None,
    username: str | None = None,
) -> AuditEntry:
    """Write the release of a report: `filters` are its query arguments, as a dict."""
    if action not in RELEASES:
        raise ValueError(f"not a release: {action}")
    details = dict(filters)
    if unit is not None:
        details[UNIT] = unit
    if file is not None:
        details[FILE] = file
    return record(session, user, action, questionnaire_id, details, username=username)


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


def release_filters(entry: AuditEntry) -> dict:
    """A release's filters (its query arguments), without the unit or the file."""
    return {k: v for k, v in details_of(entry).items() if k not in EXTRA_KEYS}
