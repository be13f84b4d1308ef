"""The catalogues live at the top level (translations/), installed as surveyapp.translations."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_directory_is_listed_in_pyproject():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "surveyapp").rglob("__init__.py")
        if "migrations" not in path.parts
    }
    assert on_disk | {"surveyapp.translations"} == listed


def test_the_installed_package_finds_the_top_level_catalogues():
    found = Path(str(resources.files("surveyapp.translations")))
    assert found.resolve() == (ROOT / "translations").resolve()
    assert (found / "nn" / "LC_MESSAGES" / "messages.po").is_file()


def test_the_app_reads_its_translations_from_there():
    from surveyapp import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URL": "sqlite://"})
    assert Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]).resolve() == ROOT / "translations"


def test_a_built_wheel_carries_the_catalogues_inside_the_package(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("surveyapp-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in ("nn", "en"):
        assert f"surveyapp/translations/{language}/LC_MESSAGES/messages.po" in names
    assert "surveyapp/templates/base.html" in names
    assert not any(name.startswith("translations/") for name in names)
