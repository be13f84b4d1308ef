"""User accounts: one-time links, password hashing, sign-in checks, and
the admin's actions on accounts (invite, reset access, disable)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from surveyapp.db.models import OneTimeToken, User, utcnow

ROLES = ("admin", "interviewer", "analyst")
MIN_PASSWORD_LENGTH = 10
MAX_USERNAME_LENGTH = 120
FIRST_ADMIN = "first-admin"
SET_PASSWORD = "set-password"
SET_PASSWORD_HOURS = 72
# A hash no password matches: accounts wait for their owner to set one through a link.
UNUSABLE_PASSWORD = "!"
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


def _add_token(
    session: Session, purpose: str, role: str, hours: int, user_id: int | None = None
) -> str:
    token = secrets.token_urlsafe(24)
    session.add(
        OneTimeToken(
            token_hash=_hash_token(token),
            purpose=purpose,
            role=role,
            user_id=user_id,
            expires_at=utcnow() + dt.timedelta(hours=hours),
        )
    )
    return token


def issue_token(session: Session, purpose: str, role: str, hours: int = 24) -> str:
    """A fresh one-time token; only its hash is stored."""
    token = _add_token(session, purpose, role, hours)
    session.commit()
    return token


def issue_first_admin_token(session: Session) -> str | None:
    """A link token for creating the first admin, or None once any user exists."""
    if has_users(session):
        return None
    return issue_token(session, FIRST_ADMIN, "admin")


def valid_token(session: Session, token: str, purpose: str | None = None) -> OneTimeToken | None:
    """The unused, unexpired token row (of this purpose, if given), or None."""
    if not token or len(token) > 100:
        return None
    row = session.get(OneTimeToken, _hash_token(token))
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        return None
    if purpose is not None and row.purpose != purpose:
        return None
    if row.purpose == FIRST_ADMIN and has_users(session):
        return None
    if row.purpose == SET_PASSWORD:
        user = session.get(User, row.user_id) if row.user_id is not None else None
        if user is None or not user.active:
            return None
    return row


def has_password(user: User) -> bool:
    """False while an invited or reset account waits for its owner to choose a password."""
    return user.password_hash != UNUSABLE_PASSWORD


def token_user(session: Session, row: OneTimeToken) -> User | None:
    """The account a set-password token belongs to."""
    return session.get(User, row.user_id) if row.user_id is not None else None


def _check_username(session: Session, username: str) -> None:
    if not username or len(username) > MAX_USERNAME_LENGTH or username != username.strip():
        raise AccountError("username_invalid")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError("username_taken")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")


def redeem_token(session: Session, token: str, username: str, password: str) -> User:
    """Spend a one-time token: create the first admin (`username` is chosen), or set the
    password of the account a set-password link belongs to (`username` is ignored)."""
    row = valid_token(session, token)
    if row is None or row.purpose not in (FIRST_ADMIN, SET_PASSWORD):
        raise AccountError("token_invalid")
    if row.purpose == FIRST_ADMIN:
        username = username.strip()
        _check_username(session, username)
    _check_password(password)
    password_hash = generate_password_hash(password)
    try:
        _spend(session, row)
        if row.purpose == FIRST_ADMIN:
            user = User(username=username, password_hash=password_hash, role="admin")
            session.add(user)
        else:
            user = token_user(session, row)
            user.password_hash = password_hash
            user.session_version += 1
            user.failed_logins = 0
            user.locked_until = None
        session.commit()
    except IntegrityError:  # the same name, chosen at the same moment elsewhere
        session.rollback()
        raise AccountError("username_taken") from None
    except AccountError:
        session.rollback()
        raise
    return user


def _spend(session: Session, row: OneTimeToken) -> None:
    """Mark the token used in the transaction that acts on it. Of several requests with the
    same link at once, exactly one changes the row; the others find it used and fail, and
    nothing they did is kept."""
    now = utcnow()
    spent = session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.token_hash == row.token_hash,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.expires_at >= now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if spent != 1:
        raise AccountError("token_invalid")
    if row.purpose == FIRST_ADMIN and has_users(session):
        raise AccountError("token_invalid")


def end_sessions(session: Session, user_id: int) -> None:
    """Sign the user out everywhere: every session cookie made before now stops working
    (the session id carries `session_version`). Used on sign-out, so that a copied cookie
    is worth nothing once its owner has signed out."""
    session.execute(
        update(User).where(User.id == user_id).values(session_version=User.session_version + 1)
    )
    session.commit()


def create_user(session: Session, username: str, role: str) -> tuple[User, str]:
    """A new account without a usable password, and the one-time link token its owner
    uses to choose one (valid for SET_PASSWORD_HOURS)."""
    if role not in ROLES:
        raise AccountError("role_invalid")
    _check_username(session, username)
    user = User(username=username, password_hash=UNUSABLE_PASSWORD, role=role)
    session.add(user)
    try:
        session.flush()
        token = _add_token(session, SET_PASSWORD, role, SET_PASSWORD_HOURS, user_id=user.id)
        session.commit()
    except IntegrityError:  # the same name, created at the same moment elsewhere
        session.rollback()
        raise AccountError("username_taken") from None
    return user, token


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AccountError("user_unknown")
    return user


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError("user_unknown")
    return user


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(func.lower(User.username), User.id)))


def reset_access(session: Session, user_id: int, by: int | None = None) -> str:
    """A new set-password token for an account. The old password and every session and
    earlier set-password link of the account stop working. `by` is the acting admin,
    who cannot reset themself (they would be signed out with the link unseen)."""
    user = _user(session, user_id)
    if by == user.id:
        raise AccountError("cannot_reset_self")
    if not user.active:
        raise AccountError("user_disabled")
    user.password_hash = UNUSABLE_PASSWORD
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    session.execute(
        delete(OneTimeToken).where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == SET_PASSWORD,
            OneTimeToken.used_at.is_(None),
        )
    )
    token = _add_token(session, SET_PASSWORD, user.role, SET_PASSWORD_HOURS, user_id=user.id)
    session.commit()
    return token


def set_active(session: Session, user_id: int, active: bool, by: int | None = None) -> User:
    """Enable or disable an account; disabling ends its sessions at once. `by` is the
    acting admin, who cannot disable themself; nobody can disable the last active admin."""
    user = _user(session, user_id)
    if not active and user.active:
        if by == user.id:
            raise AccountError("cannot_disable_self")
        if user.role == "admin" and _active_admins(session) <= 1:
            raise AccountError("last_admin")
        user.session_version += 1
    user.active = active
    session.commit()
    return user


def _active_admins(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True))
    )


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user these credentials belong to, or None. Failed attempts are throttled in
    the web layer (web/limits.py), per user name and per client, with waits that grow;
    no account is locked, so no attacker can lock somebody out for long."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or user.password_hash == UNUSABLE_PASSWORD:
        check_password_hash(_DUMMY_HASH, password)  # same work whether or not the user exists
        return None
    if check_password_hash(user.password_hash, password):
        return user if user.active else None
    return None
