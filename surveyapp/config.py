"""Settings from the environment, with safe development defaults."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def settings_from_environment(instance_path: str) -> dict:
    """The Flask config keys this app reads, taken from SURVEYAPP_* variables."""
    env = os.environ
    database_url = env.get("SURVEYAPP_DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "surveyapp.sqlite3")
    )
    return {
        "SQLALCHEMY_DATABASE_URL": database_url,
        "SECRET_KEY": env.get("SURVEYAPP_SECRET_KEY"),
        "MIN_CELL_COUNT": int(env.get("SURVEYAPP_MIN_CELL_COUNT", "5")),
        "QUESTIONNAIRES_DIR": env.get(
            "SURVEYAPP_QUESTIONNAIRES", str(PROJECT_ROOT / "questionnaires")
        ),
        "EXPORTS_DIR": env.get("SURVEYAPP_EXPORTS", str(PROJECT_ROOT / "exports")),
        # "day" stores the submission date; "week" stores only the Monday of its ISO week.
        "DATE_PRECISION": env.get("SURVEYAPP_DATE_PRECISION", "day"),
        "ENV": env.get("SURVEYAPP_ENV", "development"),
        # Rate limits per worker process (web/limits.py), in Flask-Limiter's notation;
        # "0" or "" turns one off (load tests). Public form posts per client address:
        "SUBMIT_RATE": _rate(env.get("SURVEYAPP_SUBMIT_RATE", "120/minute")),
        # failed sign-ins: per client, per user name from one client, per user name
        "LOGIN_RATE_PER_CLIENT": _rate(env.get("SURVEYAPP_LOGIN_RATE", "30/minute;300/day")),
        "LOGIN_RATE_PER_NAME_AND_CLIENT": "5/minute;20/hour;50/day",
        "LOGIN_RATE_PER_NAME": "20/minute;100/hour",
        # proxies in front of the app that set X-Forwarded-For (the rate limits' client)
        "PROXY_COUNT": int(env.get("SURVEYAPP_PROXY_COUNT", "0")),
        # a signed-in session ends this many hours after signing in, however busy since
        "SESSION_HOURS": int(env.get("SURVEYAPP_SESSION_HOURS", "12")),
        # where people reach the app: the start of links the CLI prints
        "PUBLIC_BASE_URL": env.get("SURVEYAPP_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        # who asks (printed on the posters), e.g. "Helsepolitisk forum i Trondheim", and how
        # to reach them, e.g. "post@forum.example.no, tlf. 73 00 00 00"
        "PUBLISHER": env.get("SURVEYAPP_PUBLISHER", "").strip(),
        "CONTACT": env.get("SURVEYAPP_CONTACT", "").strip(),
        # `surveyapp purge` deletes responses older than this many calendar months;
        # unset (the default) keeps every response
        "RETENTION_MONTHS": _retention_months(env.get("SURVEYAPP_RETENTION_MONTHS")),
    }


def is_loopback_url(url: str) -> bool:
    """Whether an address reaches only the machine it is opened on (127.0.0.1, localhost,
    ::1), or has no host at all: a poster with such a link works for nobody."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _retention_months(value: str | None) -> int | None:
    """None when unset or empty; otherwise a whole number of months, at least 1."""
    if value is None or not value.strip():
        return None
    try:
        months = int(value)
    except ValueError:
        months = 0
    if months < 1:
        raise ValueError(
            "SURVEYAPP_RETENTION_MONTHS må være et helt antall måneder (1 eller flere), "
            f"ikke {value!r}."
        )
    return months


def _rate(value: str) -> str:
    """A rate limit as Flask-Limiter reads it ("120/minute;1000/hour"); "" when off."""
    value = value.strip()
    if value in ("", "0"):
        return ""
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise ValueError(
            "En SURVEYAPP_*_RATE-innstilling skrives som 120/minute eller 30/minute;300/day, "
            f"ikke {value!r}."
        ) from None
    return value
