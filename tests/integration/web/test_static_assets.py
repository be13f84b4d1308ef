"""Static files: hashed names cached for a year, compressed, and referenced by the pages."""

from __future__ import annotations

import gzip
import re

import brotli

from surveyapp.web.assets import build, hashed_name


def test_a_page_references_its_files_under_hashed_names(client, token):
    html = client.get(f"/s/{token}").get_data(as_text=True)
    names = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert names and all(re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", n) for n in names)
    assert {"css/app", "js/form", "js/conditions", "favicon"} <= {
        re.sub(r"\.[0-9a-f]{12}\.\w+$", "", n.removeprefix("/static/")) for n in names
    }


def test_a_hashed_file_is_cached_for_a_year_and_sent_compressed(app, client):
    url = "/static/" + app.extensions["asset_manifest"]["css/app.css"]
    plain = client.get(url)
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "max-age=31536000, public, immutable"
    assert plain.headers["X-Content-Type-Options"] == "nosniff"
    with open(app.static_folder + "/css/app.css", "rb") as handle:
        assert plain.data == handle.read()
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    squeezed = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.data) == plain.data
    assert len(squeezed.data) < len(plain.data) / 3


def test_a_file_under_its_plain_name_is_revalidated(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "max-age=0, public"
    again = client.get("/static/css/app.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/x-icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an icon file


def test_a_changed_file_gets_a_new_name_and_a_new_folder(tmp_path):
    first, names = build({"css/app.css": b"a{}"}, str(tmp_path))
    again, same = build({"css/app.css": b"a{}"}, str(tmp_path))
    changed, other = build({"css/app.css": b"b{}"}, str(tmp_path))
    assert (first, names) == (again, same)  # built once, then reused
    assert changed != first and other["css/app.css"] != names["css/app.css"]
    assert names["css/app.css"] == hashed_name("css/app.css", b"a{}")
    assert (tmp_path / first / names["css/app.css"]).read_bytes() == b"a{}"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".building-")]


def test_a_page_may_put_its_menu_in_the_header_and_others_get_no_empty_row(app):
    from flask import render_template_string

    with app.test_request_context("/"):
        with_menu = render_template_string(
            '{% extends "base.html" %}{% block nav %}<nav aria-label="Meny">M</nav>{% endblock %}'
        )
        without = render_template_string('{% extends "base.html" %}')
    header = with_menu[with_menu.index("<header") : with_menu.index("</header>")]
    assert '<div class="wrap header-nav"><nav aria-label="Meny">M</nav></div>' in header
    assert "header-nav" not in without
