"""Public collection links: one per DPS and questionnaire, each with a QR poster."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db.models import CollectionLink, DpsUnit, utcnow
from surveyapp.questionnaire import Mode


class LinkError(ValueError):
    """A link cannot be made as asked (unknown DPS or questionnaire)."""


def create_link(session: Session, dps_id: str, questionnaire_id: str) -> CollectionLink:
    unit = session.get(DpsUnit, dps_id)
    if unit is None or not unit.active:
        raise LinkError(f"unknown or inactive DPS: {dps_id}")
    version = current_version(session, questionnaire_id)
    if version is None:
        raise LinkError(f"unknown questionnaire: {questionnaire_id}")
    if Mode.SELF not in questionnaire_of(version).modes:
        raise LinkError(f"questionnaire {questionnaire_id} is for interviews, not for self-fill")
    link = CollectionLink(
        token=secrets.token_urlsafe(12), dps_id=dps_id, questionnaire_id=questionnaire_id
    )
    session.add(link)
    session.commit()
    return link


def find_link(session: Session, token: str) -> CollectionLink | None:
    if len(token) > 64:
        return None
    return session.scalar(select(CollectionLink).where(CollectionLink.token == token))


def close_link(session: Session, link_id: int) -> None:
    link = session.get(CollectionLink, link_id)
    if link is not None and link.closed_at is None:
        link.closed_at = utcnow()
        session.commit()


def all_links(session: Session) -> list[CollectionLink]:
    return list(session.scalars(select(CollectionLink).order_by(CollectionLink.created_at.desc())))
