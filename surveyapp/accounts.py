"""User accounts: one-time setup links, password hashing and sign-in checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from surveyapp.db.models import OneTimeToken, User, utcnow

ROLES = ("admin", "interviewer", "analyst")
MIN_PASSWORD_LENGTH = 10
FIRST_ADMIN = "first-admin"
# scrypt, werkzeug's default; checked against a dummy hash for unknown users too
_DUMMY_HASH = generate_password_hash("not a password")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_users(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def issue_token(session: Session, purpose: str, role: str, hours: int = 24) -> str:
    """A fresh one-time token; only its hash is stored."""
    token = secrets.token_urlsafe(24)
    session.add(
        OneTimeToken(
            token_hash=_hash_token(token),
            purpose=purpose,
            role=role,
            expires_at=utcnow() + dt.timedelta(hours=hours),
        )
    )
    session.commit()
    return token


def issue_first_admin_token(session: Session) -> str | None:
    """A link token for creating the first admin, or None once any user exists."""
    if has_users(session):
        return None
    return issue_token(session, FIRST_ADMIN, "admin")


def valid_token(session: Session, token: str) -> OneTimeToken | None:
    if not token or len(token) > 100:
        return None
    row = session.get(OneTimeToken, _hash_token(token))
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        return None
    if row.purpose == FIRST_ADMIN and has_users(session):
        return None
    return row


def redeem_token(session: Session, token: str, username: str, password: str) -> User:
    """Create the account a one-time token stands for, and spend the token."""
    row = valid_token(session, token)
    if row is None:
        raise AccountError("token_invalid")
    username = username.strip()
    if not username or len(username) > 120:
        raise AccountError("username_invalid")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError("username_taken")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")
    user = User(username=username, password_hash=generate_password_hash(password), role=row.role)
    row.used_at = utcnow()
    session.add(user)
    session.commit()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)  # same work whether or not the user exists
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user
