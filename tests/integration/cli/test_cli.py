"""The `surveyapp` command as an admin uses it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from surveyapp.db.models import CollectionLink, QuestionnaireVersion

ROOT = Path(__file__).resolve().parents[3]


def test_check_accepts_the_shipped_questionnaires(runner):
    paths = sorted(str(p) for p in (ROOT / "questionnaires").glob("*.yaml"))
    result = runner.invoke(args=["check", *paths])
    assert result.exit_code == 0, result.output
    assert result.output.count(": OK") == 3


def test_check_prints_file_line_col_and_exits_non_zero(runner, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: T\nmodes: [self]\npages:\n  - id: p\n    titel: P\n", "utf-8")
    result = runner.invoke(args=["check", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:6:5:" in result.output
    assert "Traceback" not in result.output


def test_link_create_prints_a_public_link(runner, db):
    result = runner.invoke(args=["link", "create", "--dps", "orkdal", "--questionnaire", "pasient"])
    assert result.exit_code == 0, result.output
    link = db.scalar(select(CollectionLink))
    assert result.output.strip().endswith(f"/s/{link.token}")
    assert link.dps_id == "orkdal"


def test_link_create_refuses_an_unknown_dps(runner, db):
    result = runner.invoke(args=["link", "create", "--dps", "oslo", "--questionnaire", "pasient"])
    assert result.exit_code == 1
    assert result.output.startswith("Feil: Ukjent eller nedlagt DPS: oslo. Velg en av: ")
    assert "nidaros" in result.output and "tiller" in result.output  # the valid ids
    assert db.scalar(select(CollectionLink)) is None


def test_init_refuses_a_broken_questionnaire_and_loads_nothing(app, runner, db):
    folder = Path(app.config["QUESTIONNAIRES_DIR"])
    (folder / "pasient.yaml").write_text(
        (folder / "pasient.yaml").read_text("utf-8") + "\nukjent: 1\n", "utf-8"
    )
    (folder / "leder.yaml").write_text(
        (folder / "leder.yaml")
        .read_text("utf-8")
        .replace("title:", "title: \n  nb: Ny tittel\n  x:", 1),
        "utf-8",
    )
    before = db.scalars(select(QuestionnaireVersion.content_hash)).all()
    result = runner.invoke(args=["init"])
    assert result.exit_code != 0
    assert "pasient.yaml:" in result.output
    assert "Ingenting er lastet inn" in result.output
    assert db.scalars(select(QuestionnaireVersion.content_hash)).all() == before


def test_changing_a_file_makes_a_new_version_and_keeps_the_old(app, runner, db):
    folder = Path(app.config["QUESTIONNAIRES_DIR"])
    path = folder / "flyt.yaml"
    path.write_text(path.read_text("utf-8").replace("Testskjema", "Testskjema 2", 1), "utf-8")
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    versions = db.scalars(
        select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "flyt")
    ).all()
    assert len(versions) == 2
    assert [v.current for v in sorted(versions, key=lambda v: v.id)] == [False, True]
    assert "Testskjema 2" in versions[-1].source_text


def test_init_on_an_empty_database_prints_a_one_time_admin_link(runner):
    result = runner.invoke(args=["init"])
    assert "/oppsett/" in result.output


def test_link_create_refuses_an_interview_guide(runner, db):
    result = runner.invoke(args=["link", "create", "--dps", "tiller", "--questionnaire", "leder"])
    assert result.exit_code == 1
    assert "intervjuguide" in result.output
    assert result.output.rstrip().endswith("Velg en av: flyt, pasient.")
    assert db.scalar(select(CollectionLink)) is None


def test_link_create_refuses_an_unknown_questionnaire_and_lists_the_valid_ones(runner, db):
    result = runner.invoke(args=["link", "create", "--dps", "tiller", "--questionnaire", "x"])
    assert result.exit_code == 1
    assert "Ukjent skjema: x. Velg en av: flyt, pasient." in result.output
    assert db.scalar(select(CollectionLink)) is None


def test_link_list_prints_full_addresses_from_the_public_url(app, runner, db):
    app.config["PUBLIC_BASE_URL"] = "https://brukerstemmen.example.no"
    runner.invoke(args=["link", "create", "--dps", "orkdal", "--questionnaire", "pasient"])
    link = db.scalar(select(CollectionLink))
    result = runner.invoke(args=["link", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.split("\t") == [
        str(link.id),
        "orkdal",
        "pasient",
        "åpen",
        f"https://brukerstemmen.example.no/s/{link.token}\n",
    ]


LANGUAGES_DECLARED = """\
id: tospraak
title: {nb: "Tittel", nn: "Tittel", en: "Title"}
modes: [self]
languages: [nb, nn, en]
pages:
  - id: side
    title: {nb: "Side", nn: "Side", en: "Page"}
    questions:
      - id: fornoyd
        type: yes_no
        text: {nb: "Er du fornøyd?", nn: "Er du nøgd?"}
      - id: hvorfor
        type: short_text
        text: {nb: "Hvorfor?", nn: "Kvifor?", en: "Why?"}
"""


def test_check_warns_for_a_missing_declared_translation_and_still_passes(runner, tmp_path):
    path = tmp_path / "tospraak.yaml"
    path.write_text(LANGUAGES_DECLARED, "utf-8")
    result = runner.invoke(args=["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{path}:9: advarsel: spørsmålet «fornoyd» mangler teksten på engelsk (en).",
        f"{path}: OK, men 1 tekst mangler en oversettelse.",
    ]


def test_check_is_silent_about_languages_a_file_does_not_declare(runner, tmp_path):
    path = tmp_path / "bokmaal.yaml"
    path.write_text(LANGUAGES_DECLARED.replace("[nb, nn, en]", "[nb, nn]"), "utf-8")
    result = runner.invoke(args=["check", str(path)])
    assert result.output == f"{path}: OK\n"
