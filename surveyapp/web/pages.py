"""Plain pages: the front page, the privacy promise and the accessibility statement."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return render_template("pages/home.html")


@bp.get("/personvern")
def privacy():
    return render_template("pages/privacy.html")


@bp.get("/tilgjengelighet")
def accessibility():
    return render_template("pages/accessibility.html")
