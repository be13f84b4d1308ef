"""The nn and en catalogues are complete and up to date with the source strings (nb)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> set[str]:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            Path(sys.executable).with_name("pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", ["nn", "en"])
def test_catalogue_translates_every_source_string(language, source_messages):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id for m in catalogue if m.id and _all_forms(m.string) and not m.fuzzy}
    missing = sorted(source_messages - translated, key=str)
    assert not missing, (
        f"{language}: {len(missing)} untranslated, run `make extract-messages`: {missing[:5]}"
    )


@pytest.mark.parametrize("language", ["nn", "en"])
def test_translations_keep_every_placeholder(language):
    import re

    placeholder = re.compile(r"%\(\w+\)s")
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        for message in read_po(handle):
            if message.id and _all_forms(message.string):
                expected = sorted(placeholder.findall(_forms(message.id)[-1]))
                for form in _forms(message.string):
                    assert sorted(placeholder.findall(form)) == expected, message.id


def _forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    """A message's text, or its plural forms (ngettext messages are tuples)."""
    return text if isinstance(text, tuple) else (text,)


def _all_forms(text: str | tuple[str, ...]) -> bool:
    return all(_forms(text))
