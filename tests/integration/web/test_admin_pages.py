"""Admin pages as an admin meets them: the menu, the poster's sender and the warning before
printing, the danger button, the log in words, the first-admin page, the preview."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from surveyapp.collect.links import create_link
from surveyapp.collect.versions import current_version
from surveyapp.db.models import (
    Answer,
    AuditEntry,
    CollectionLink,
    InterviewDraft,
    OneTimeToken,
    QuestionnaireVersion,
    Response,
    User,
)
from tests.helpers import hidden_value, signed_in, store_responses


@pytest.fixture
def admin(app, db):
    return signed_in(app, db, "admin")


MENU = [
    ("/admin/lenker", "Lenker og plakater"),
    ("/admin/brukere", "Brukere"),
    ("/admin/skjema", "Forhåndsvisning"),
    ("/admin/data", "Lagrede svar"),
    ("/admin/fritekst", "Fritekst til godkjenning"),
    ("/admin/logg", "Handlingslogg"),
    ("/rapporter/", "Rapporter"),
]


def menu_of(html: str) -> list[tuple[str, str, str | None]]:
    nav = re.search(r'<nav class="admin-nav".*?</nav>', html, re.S)
    if nav is None:
        return []
    nav = nav.group(0)
    return [
        (href, label, current or None)
        for href, current, label in re.findall(
            r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>', nav
        )
    ]


@pytest.mark.parametrize("path", [p for p, _ in MENU[:-1]] + ["/admin/data/slett?dps=tiller"])
def test_every_admin_page_has_the_menu_with_its_own_entry_marked(admin, path):
    html = admin.get(path).get_data(True)
    menu = menu_of(html)
    assert [(href, label) for href, label, _ in menu] == MENU
    marked = [(href, current) for href, _, current in menu if current]
    expected = "page" if "?" not in path else "true"  # a page under an entry
    assert marked == [(path.split("/slett")[0], expected)]


def test_no_stray_links_under_the_headings(admin):
    for path in ("/admin/lenker", "/admin/brukere", "/admin/data"):
        main = admin.get(path).get_data(True).split("<main", 1)[1]
        assert 'href="/admin/brukere"' not in main and 'href="/admin/lenker"' not in main


def test_the_poster_names_the_sender_and_the_contact(app, admin, db):
    app.config.update(PUBLISHER="Helsepolitisk forum i Trondheim", CONTACT="post@forum.no")
    link = create_link(db, "tiller", "pasient")
    html = admin.get(f"/admin/lenker/{link.id}/plakat").get_data(True)
    assert "Undersøkelsen gjøres av Helsepolitisk forum i Trondheim, ikke av DPS-et." in html
    assert "Spørsmål om undersøkelsen: post@forum.no" in html


@pytest.mark.parametrize(
    "address", ["http://127.0.0.1:5000", "http://localhost:8000", "http://[::1]:5000"]
)
def test_links_and_poster_warn_while_the_public_address_is_loopback(app, admin, db, address):
    app.config.update(PUBLIC_BASE_URL=address, PUBLISHER="Forumet")
    link = create_link(db, "tiller", "pasient")
    for path in ("/admin/lenker", f"/admin/lenker/{link.id}/plakat"):
        html = admin.get(path).get_data(True)
        assert "Før du skriver ut plakater" in html
        assert f"Den offentlige adressen er {address}, som bare virker på denne maskinen." in html
    poster = admin.get(f"/admin/lenker/{link.id}/plakat").get_data(True)
    assert poster.index('class="admin-warning"') < poster.index('<main class="poster">')
    assert f"{address}/s/{link.token}" in poster  # the poster shows what will be printed


def test_no_warning_once_the_public_address_and_sender_are_set(app, admin, db):
    app.config.update(PUBLIC_BASE_URL="https://brukerstemmen.example.no", PUBLISHER="Forumet")
    link = create_link(db, "tiller", "pasient")
    for path in ("/admin/lenker", f"/admin/lenker/{link.id}/plakat"):
        assert "Før du skriver ut plakater" not in admin.get(path).get_data(True)
    poster = admin.get(f"/admin/lenker/{link.id}/plakat").get_data(True)
    assert f"https://brukerstemmen.example.no/s/{link.token}" in poster


def test_a_missing_sender_is_warned_about(app, admin):
    app.config.update(PUBLIC_BASE_URL="https://brukerstemmen.example.no", PUBLISHER="")
    html = admin.get("/admin/lenker").get_data(True)
    assert "Plakatene sier ikke hvem som spør. Sett SURVEYAPP_PUBLISHER" in html


def test_the_irreversible_delete_is_a_danger_button_that_says_what_it_does(app, admin):
    store_responses(app, "tiller", [{"rolle": ["pasient"]}] * 2)
    html = admin.get("/admin/data/slett?dps=tiller").get_data(True)
    button = re.search(r'<button type="submit" class="button danger"[^>]*>([^<]+)</button>', html)
    assert button.group(1) == "Slett 2 svar for godt"
    assert 'aria-describedby="delete-consequence"' in button.group(0)
    assert "Det kan ikke angres." in html


def test_the_log_is_named_for_what_it_lists_and_describes_a_deletion_in_words(app, admin, db):
    store_responses(app, "tiller", [{"rolle": ["pasient"]}] * 3, questionnaire_id="flyt")
    csrf = hidden_value(
        admin.get("/admin/data/slett?questionnaire=flyt").get_data(True), "csrf_token"
    )
    admin.post(
        "/admin/data/slett",
        data={"csrf_token": csrf, "questionnaire": "flyt", "confirmation": "flyt"},
    )
    answers = json.loads(db.scalar(select(AuditEntry.details)))["answers"]
    html = admin.get("/admin/logg").get_data(True)
    assert "<h1>Handlingslogg</h1>" in html
    assert "Revisjonslogg" not in html and "nedlastinger" not in html
    values = f"{answers} svarverdi" + ("" if answers == 1 else "er")
    assert f"3 svar ({values}) på skjemaet «Testskjema»" in html
    assert "questionnaire_id" not in html and "answers:" not in html


def test_describe_details_covers_every_kind_of_entry(app):
    from surveyapp.web.admin import describe_details

    units, titles = {"tiller": "Tiller DPS"}, {"pasient": "Pasienter"}
    with app.test_request_context():
        assert describe_details(
            {"dps_id": "tiller", "responses": 1, "answers": 1}, units, titles
        ) == ("1 svar (1 svarverdi) fra Tiller DPS")
        assert describe_details({"dps": "tiller", "count": 1}, units, titles) == (
            "1 tekst fra Tiller DPS"
        )
        purge = {"months": 24, "before": "2024-11-01", "responses": 7, "answers": 70}
        assert describe_details(purge, units, titles) == (
            "7 svar (70 svarverdier) sendt før 2024-11-01 (oppbevaringstid 24 måneder)"
        )
        assert describe_details({"fil": "/b/x.backup", "svar": 5}, units, titles) == (
            "5 svar fil: /b/x.backup"
        )
        assert describe_details({"ny": "verdi"}, units, titles) == "ny: verdi"


def first_admin_path(runner) -> str:
    return "/oppsett/" + re.search(r"/oppsett/(\S+)", runner.invoke(args=["init"]).output).group(1)


def test_first_admin_page_asks_for_the_password_twice(client, runner, db):
    path = first_admin_path(runner)
    html = client.get(path).get_data(True)
    assert 'name="password_repeat"' in html and "Gjenta passordet" in html
    data = {
        "csrf_token": hidden_value(html, "csrf_token"),
        "username": "anne",
        "password": "et langt passord",
        "password_repeat": "et langt passort",
    }
    response = client.post(path, data=data)
    assert response.status_code == 200
    assert "Passordene er ikke like. Skriv det samme passordet to ganger." in response.get_data(
        True
    )
    assert db.scalar(select(func.count()).select_from(User)) == 0  # nothing changed
    assert client.get(path).status_code == 200  # the link still works
    data["password_repeat"] = data["password"]
    assert client.post(path, data=data).status_code == 302


def counts(db) -> dict[str, int]:
    db.expire_all()
    tables = (Response, Answer, InterviewDraft, CollectionLink, OneTimeToken, AuditEntry)
    return {t.__name__: db.scalar(select(func.count()).select_from(t)) for t in tables}


def test_the_preview_lists_every_version_and_shows_both_modes(app, admin, db, questionnaires_dir):
    path = questionnaires_dir / "flyt.yaml"
    path.write_text(path.read_text("utf-8").replace("Testskjema", "Testskjema 2", 1), "utf-8")
    app.test_cli_runner().invoke(args=["init"])
    versions = db.scalars(
        select(QuestionnaireVersion.id).where(QuestionnaireVersion.questionnaire_id == "flyt")
    ).all()
    assert len(versions) == 2
    html = admin.get("/admin/skjema").get_data(True)
    for version_id in versions:
        assert f'href="/admin/skjema/flyt/{version_id}?modus=self"' in html
    leder = current_version(db, "leder").id
    assert f'href="/admin/skjema/leder/{leder}?modus=interview"' in html
    old = admin.get(f"/admin/skjema/flyt/{min(versions)}?modus=self").get_data(True)
    assert "<h1>Testskjema</h1>" in old and "Forhåndsvisning – ingenting lagres." in old
    interview = admin.get(f"/admin/skjema/leder/{leder}?modus=interview").get_data(True)
    assert "Slik ser intervjueren versjon" in interview and "Vil ikke svare" in interview


def test_the_preview_stores_nothing_and_refuses_posts(app, admin, db):
    version = current_version(db, "pasient")
    before = counts(db)
    pages = admin.get(f"/admin/skjema/pasient/{version.id}?modus=self").get_data(True)
    assert "<form" not in pages.split("<main", 1)[1].split("</main>")[0]  # nothing to send
    number = 1
    while f"side={number + 1}" in pages:
        number += 1
        pages = admin.get(f"/admin/skjema/pasient/{version.id}?modus=self&side={number}")
        assert pages.status_code == 200
        pages = pages.get_data(True)
    assert number > 1
    csrf = hidden_value(admin.get("/admin/lenker").get_data(True), "csrf_token")
    response = admin.post(
        f"/admin/skjema/pasient/{version.id}?modus=self",
        data={"csrf_token": csrf, "q:rolle": "pasient", "action": "next"},
    )
    assert response.status_code == 405
    assert counts(db) == before


@pytest.mark.parametrize("query", ["modus=interview", "modus=x", "side=0", "side=99", "side=abc"])
def test_the_preview_refuses_what_the_version_does_not_have(admin, db, query):
    version = current_version(db, "pasient")  # self-fill only
    assert admin.get(f"/admin/skjema/pasient/{version.id}?{query}").status_code == 404


def test_the_preview_of_a_version_under_another_id_is_404(admin, db):
    version = current_version(db, "pasient")
    assert admin.get(f"/admin/skjema/leder/{version.id}").status_code == 404


def test_the_page_names_in_the_readme_are_the_apps(admin):
    """Every «**Name** (`/path`)» in README.md: the page at that path shows that name, as its
    heading or as the menu entry marked current."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text("utf-8")
    named = set(re.findall(r"\*\*([^*]+)\*\* \(`(/(?:admin|rapporter)[^`]*)`", readme))
    assert {("Lagrede svar", "/admin/data"), ("Handlingslogg", "/admin/logg")} <= named
    for name, path in sorted(named):
        html = admin.get(path).get_data(True)
        headings = re.findall(r"<h1[^>]*>([^<]+)</h1>", html)
        current = [label for href, label, mark in menu_of(html) if mark == "page"]
        assert name in headings + current, (name, path, headings, current)


def test_a_changed_file_can_be_previewed_before_it_is_loaded(app, admin, db, questionnaires_dir):
    path = questionnaires_dir / "flyt.yaml"
    path.write_text(path.read_text("utf-8").replace("Testskjema", "Nytt testskjema", 1), "utf-8")
    (questionnaires_dir / "broken.yaml").write_text("id: x\ntitle: T\n", "utf-8")
    before = counts(db)
    html = admin.get("/admin/skjema").get_data(True)
    listed = html.split("Filer som ikke er lastet inn ennå", 1)[1].split("</section>", 1)[0]
    assert "<code>flyt.yaml</code>" in listed and "Nytt testskjema" in listed
    assert "<code>broken.yaml</code>" in listed and "surveyapp check" in listed
    assert "pasient.yaml" not in listed  # unchanged, loaded already
    page = admin.get("/admin/skjema/fil/flyt.yaml?modus=self").get_data(True)
    assert "<h1>Nytt testskjema</h1>" in page
    assert "filen flyt.yaml, som ikke er lastet inn" in page
    assert admin.get("/admin/skjema/fil/broken.yaml").status_code == 404
    assert admin.get("/admin/skjema/fil/..%2Fpasient.yaml").status_code == 404
    assert admin.get("/admin/skjema/fil/finnes-ikke.yaml").status_code == 404
    assert counts(db) == before
    versions = db.scalars(
        select(QuestionnaireVersion.id).where(QuestionnaireVersion.questionnaire_id == "flyt")
    ).all()
    assert len(versions) == 1  # previewing loads nothing


@pytest.mark.parametrize("questionnaire_id", ["pasient"])
def test_the_poster_promises_what_the_form_does(app, admin, db, questionnaire_id):
    """Issue 15: the poster said every question could be skipped, but the first is required."""
    from surveyapp.collect.versions import questionnaire_of

    questionnaire = questionnaire_of(current_version(db, questionnaire_id))
    asked = [q for q in questionnaire.questions() if q.type != "info"]
    assert [q.id for q in asked if q.required] == [asked[0].id] == ["rolle"]
    link = create_link(db, "tiller", questionnaire_id)
    html = admin.get(f"/admin/lenker/{link.id}/plakat").get_data(True)
    assert "Bare det første spørsmålet, om du er pasient eller pårørende, må besvares" in html
    assert "Du kan hoppe over spørsmål du ikke vil svare på" not in html
