"""The app under benchmark, plus a bare endpoint that inserts one row: the baseline."""

from __future__ import annotations

import secrets

from flask import current_app, request
from sqlalchemy import text

from surveyapp import create_app, csrf


def create_bench_app():
    app = create_app()
    with app.extensions["db_engine"].begin() as connection:
        connection.execute(
            text("CREATE TABLE IF NOT EXISTS bench_row (id VARCHAR(32) PRIMARY KEY, value TEXT)")
        )

    @app.post("/_bench/bare")
    @csrf.exempt
    def bare():
        with current_app.extensions["db_engine"].begin() as connection:
            connection.execute(
                text("INSERT INTO bench_row (id, value) VALUES (:id, :value)"),
                {"id": secrets.token_hex(16), "value": request.form.get("value", "")},
            )
        return "", 204

    @app.get("/_bench/empty")
    def empty():
        # the baseline of bench_pages.py: an empty page, one request, no static files
        return '<!doctype html><html lang=nb><title>tom</title><link rel=icon href="data:,"></html>'

    return app
