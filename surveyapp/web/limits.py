"""Rate limits, through Flask-Limiter (moving windows in each worker's memory).

Two things are throttled. Public form posts, per client: a flood from one address slows that
address, not the respondents on the same link elsewhere. Failed sign-ins, per client, per user
name from one client, and per user name from anywhere, in tiers, so that the wait grows with
the failures (a minute, then an hour) instead of a hard lock an attacker can put on anybody.

The client's address is held in memory only, as an HMAC under a key made at start-up and never
written anywhere, so not even the limiter's memory holds an address; it is never logged or
stored. The storage forgets a key when its window has passed, so memory stays bounded by the
clients (and names) seen in the last day. With several workers each has its own counts: the
effective limits are that many times higher.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import parse_many

_PROCESS_KEY = secrets.token_bytes(32)

limiter = Limiter(
    key_func=lambda: client_key(),
    storage_uri="memory://",
    strategy="moving-window",
    default_limits=[],
    headers_enabled=False,
)


def client_key() -> str:
    """The request's client, as a keyed hash of its address (never the address itself)."""
    address = (request.remote_addr or "-").encode()
    return hmac.new(_PROCESS_KEY, address, hashlib.sha256).hexdigest()[:32]


def _name_key(username: str) -> str:
    name = username.strip().casefold().encode()[:400]
    return hmac.new(_PROCESS_KEY, name, hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Wait:
    """A refusal, and how many seconds until the next attempt may pass."""

    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)


def _blocked(limits_text: str, namespace: str, *keys: str, count: bool) -> Wait | None:
    """Wait for the first of these limits that is used up, else None; `count` records a hit."""
    if not limits_text:
        return None
    strategy = limiter.limiter
    items = parse_many(limits_text)
    for item in items:
        if not strategy.test(item, namespace, *keys):
            reset_at, _remaining = strategy.get_window_stats(item, namespace, *keys)
            return Wait(max(1, math.ceil(reset_at - time.time())))
    if count:
        for item in items:
            strategy.hit(item, namespace, *keys)
    return None


def public_post_wait() -> Wait | None:
    """Count one public form post from this client; a Wait when it is over its limit."""
    return _blocked(current_app.config["SUBMIT_RATE"], "public", client_key(), count=True)


def _sign_in_limits(username: str) -> list[tuple[str, str, tuple[str, ...]]]:
    config = current_app.config
    client, name = client_key(), _name_key(username)
    return [
        (config["LOGIN_RATE_PER_CLIENT"], "login-client", (client,)),
        (config["LOGIN_RATE_PER_NAME_AND_CLIENT"], "login-name-client", (name, client)),
        (config["LOGIN_RATE_PER_NAME"], "login-name", (name,)),
    ]


def sign_in_wait(username: str) -> Wait | None:
    """A Wait when failed sign-ins for this name or from this client have used up a limit."""
    for limits_text, namespace, keys in _sign_in_limits(username):
        wait = _blocked(limits_text, namespace, *keys, count=False)
        if wait is not None:
            return wait
    return None


def count_failed_sign_in(username: str) -> None:
    for limits_text, namespace, keys in _sign_in_limits(username):
        if limits_text:
            for item in parse_many(limits_text):
                limiter.limiter.hit(item, namespace, *keys)


def forget_failed_sign_ins(username: str) -> None:
    """After a successful sign-in, the earlier failures of this name from this client are
    forgotten (a mistyped password costs nothing once the right one is typed)."""
    _limits, namespace, keys = _sign_in_limits(username)[1]
    for item in parse_many(_limits or "1/second"):
        limiter.limiter.clear(item, namespace, *keys)
