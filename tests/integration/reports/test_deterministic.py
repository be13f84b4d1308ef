"""Every process decides the same protection of the same data (two views never disagree).

The order in which the exact check meets the primaries decides which pins it finds first, and
so what is refused; a set of strings iterated on the way changed that order with Python's
string hashing, which differs from process to process. Two processes with different
PYTHONHASHSEED must hand the checks the same primaries in the same order and show the same
figures."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap

import pytest

from surveyapp import periods
from surveyapp.demo import fill_demo_data

SCRIPT = textwrap.dedent(
    """
    import hashlib, sys
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    from surveyapp.collect.versions import current_version, questionnaire_of
    from surveyapp.reports import aggregate, linked, publication
    from surveyapp.periods import parse_period

    digest = hashlib.sha256()
    original = linked.IntegerCheck.pinned

    def pinned(self, primaries):
        digest.update(repr([sorted(v.items()) for v in primaries]).encode())
        return original(self, primaries)

    linked.IntegerCheck.pinned = pinned
    with Session(create_engine(sys.argv[1])) as session:
        scope = aggregate.Scope(session, "pasient")
        scope.period = parse_period(sys.argv[2])
        questionnaire = questionnaire_of(current_version(session, "pasient"))
        system = publication.build_system(scope, questionnaire, 5)
    shown = sorted(repr(key) for f in system.figures_by_answer.values() for key in f.shown_keys)
    digest.update(repr(shown).encode())
    print(digest.hexdigest())
    """
)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_two_processes_with_different_string_hashing_decide_alike(
    app, runner, database_url, tmp_path
):
    assert runner.invoke(args=["init"]).exit_code == 0
    ended = periods.period_of(periods.period_of(periods.today()).start - dt.timedelta(days=1))
    with app.extensions["db_sessionmaker"]() as session:
        fill_demo_data(session, "pasient", 20, seed=2, today=ended.end + dt.timedelta(days=1))
        session.commit()
    script = tmp_path / "decide.py"
    script.write_text(SCRIPT)
    digests = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, str(script), database_url, ended.id],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout.strip())
    assert len(digests) == 1
