"""Synthetic responses, so a new user can try the dashboard right after `make run`.

Marked as synthetic in the database, and refused on a database that holds real responses.
Answers follow the questionnaire's conditions, with a lean per DPS so units differ.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from surveyapp.collect.submission import answer_rows
from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db.models import Answer, Response, answers_of
from surveyapp.db.seed import active_units
from surveyapp.questionnaire import Question, Questionnaire, QuestionType, visibility

BATCH = 2000
# how many responses each unit gets, relative to the others: one small unit shows pooling
UNIT_WEIGHTS = {"nidaros": 10, "tiller": 8, "orkdal": 6, "stjordal": 5, "levanger": 5}
# units that get only a handful of responses each (below the usual threshold of 5, together
# above it), so the demo shows how small units are pooled
SMALL_UNITS = {"namsos": 3, "kolvereid": 3}
FREE_TEXTS = ["Trygge samtaler.", "Mer tid til hver pasient.", "God hjelp med NAV."]


class RealResponsesPresent(RuntimeError):
    """Demo data would mix with real answers: refused."""


def synthetic_answers(questionnaire: Questionnaire, rng: random.Random, lean: float = 0.0):
    """Answers to every question a respondent would see, chosen at random."""
    answers: dict[str, list[str]] = {}
    for _ in range(3):  # settle conditions that depend on earlier answers
        shown = visibility(questionnaire, answers).questions
        answers = {}
        for question in questionnaire.questions():
            if question.id in shown:
                answers.update(_answer(question, rng, lean))
    return answers


def _answer(question: Question, rng: random.Random, lean: float) -> dict[str, list[str]]:
    kind = question.type
    if kind is QuestionType.MATRIX:
        return {aid: [_pick(question.options(), rng, lean)] for aid in question.answer_ids}
    if kind is QuestionType.MULTIPLE_CHOICE:
        plain = [c.value for c in question.choices if not c.exclusive]
        return {question.id: rng.sample(plain, k=rng.randint(1, min(3, len(plain))))}
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.YES_NO, QuestionType.SCALE):
        if rng.random() < 0.05 and not question.required:
            return {question.id: ["_declined"]}
        return {question.id: [_pick(question.options(), rng, lean)]}
    if kind is QuestionType.NUMBER:
        low, high = int(question.min or 0), int(question.max if question.max is not None else 100)
        return {question.id: [str(rng.randint(low, high))]}
    if kind in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT) and rng.random() < 0.2:
        return {question.id: [rng.choice(FREE_TEXTS)]}
    return {}


def _pick(options, rng: random.Random, lean: float) -> str:
    """A choice, leaning towards the later options (higher on a scale) when lean > 0."""
    weights = [1 + lean * i for i in range(len(options))]
    return rng.choices(options, weights=weights)[0].value


def fill_demo_data(
    session: Session,
    questionnaire_id: str,
    count: int,
    *,
    seed: int | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Insert `count` synthetic responses; refuses if any real response exists."""
    if session.scalar(select(exists().where(Response.synthetic.is_(False)))):
        raise RealResponsesPresent("the database holds real responses")
    version = current_version(session, questionnaire_id)
    if version is None:
        raise LookupError(f"unknown questionnaire: {questionnaire_id}")
    questionnaire = questionnaire_of(version)
    rng = random.Random(seed)
    units = [u.id for u in active_units(session)]
    weights = [0 if u in SMALL_UNITS else UNIT_WEIGHTS.get(u, 1) for u in units]
    leans = {u: rng.uniform(-0.15, 0.6) for u in units}
    small = [u for u in units if u in SMALL_UNITS for _ in range(SMALL_UNITS[u])]
    if count < 10 * len(small):
        small = []  # too few responses in all to spare a handful for the small units
    today = dt.date.today()
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        responses, answers = [], []
        for _ in range(size):
            dps = small.pop() if small else rng.choices(units, weights=weights)[0]
            responses.append(
                {
                    "id": secrets.token_hex(16),
                    "questionnaire_version_id": version.id,
                    "dps_id": dps,
                    "mode": "self",
                    "submitted_on": today - dt.timedelta(days=rng.randint(0, 180)),
                    "date_precision": "day",
                    "submission_key": secrets.token_hex(32),
                    "synthetic": True,
                }
            )
            rows = answer_rows(questionnaire, synthetic_answers(questionnaire, rng, leans[dps]))
            answers += answers_of(responses[-1], rows)
        session.execute(insert(Response.__table__), responses)
        session.execute(insert(Answer.__table__), answers)
        session.commit()
        done += size
        progress(size)
    return done
