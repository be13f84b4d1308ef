"""An export without --output lands inside SURVEYAPP_EXPORTS, whatever its filters say."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveyapp.cli import export_path


@pytest.mark.parametrize(
    "name",
    ["brukerstemmen-flyt-rolle-../../../x.xlsx", "../../etc/passwd", "..", "a/b\\c.xlsx", ""],
)
def test_an_export_name_never_leads_out_of_the_exports_folder(tmp_path, name):
    exports = tmp_path / "exports"
    path = export_path(exports, name)
    assert path.parent == exports.resolve()
    assert path.name not in ("", ".", "..")


def test_export_with_a_group_that_climbs_writes_nothing_outside_the_exports_folder(
    app, runner, tmp_path
):
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    result = runner.invoke(
        args=["export", "--questionnaire", "flyt", "--group", "rolle:../../../x"]
    )
    exports = Path(app.config["EXPORTS_DIR"]).resolve()
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    assert all(p.resolve().parent == exports for p in written), written
    if result.exit_code == 0:  # refused outright is as good
        assert Path(result.output.strip().splitlines()[-1]).resolve().parent == exports
    assert not list(tmp_path.parent.glob("x*.xlsx"))
