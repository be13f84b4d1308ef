"""Synthetic responses, so a new user can try the dashboard (`make demo`, `surveyapp demo-data`).

Marked as synthetic in the database, and refused on a database that holds real responses.
The answers follow the questionnaire: each question is answered only when it is shown, given
the answers before it, and the final answers are checked with the server's own visibility;
required questions are always answered. Units differ on purpose (one is clearly better at
involving next of kin, one clearly worse at letting patients meet experience consultants),
and each of the last two calendar half-years that have ended gets the number of responses asked
for, so the reports have two published periods to compare, each as large as asked. The same
seed gives the same answers and dates.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from surveyapp.collect.anonymize import submission_date
from surveyapp.collect.submission import DECLINED, answer_rows, visible_questions
from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db.models import Answer, Response, answers_of
from surveyapp.db.seed import active_units
from surveyapp.questionnaire import Question, Questionnaire, QuestionType, evaluate

BATCH = 2000
DECLINE_SHARE = 0.03  # «Vil ikke svare» on a question that may be skipped
NOT_APPLICABLE_SHARE = 0.05
FREE_TEXT_SHARE = 0.3
# how many responses each unit gets, relative to the others
UNIT_WEIGHTS = {"nidaros": 10, "tiller": 8, "orkdal": 6, "stjordal": 5, "levanger": 5}
# units that get only a handful of responses each (below the usual threshold of 5, together
# above it), so the demo shows how small units are pooled
SMALL_UNITS = {"namsos": 3, "kolvereid": 3}


@dataclass(frozen=True)
class UnitProfile:
    """How a unit's answers lean: `lean` moves every scale up (> 0) or down (< 0); `leans`
    overrides it per answer id; `choices` weights the values of a choice question."""

    lean: float = 0.0
    leans: Mapping[str, float] = field(default_factory=dict)
    choices: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    improves: float = 0.0  # added to every lean in the later period: a trend to find


INVOLVES_NEXT_OF_KIN = {"parorende_som_onsket": 2.5, "involvert_som_parorende": 2.5}
PROFILES: dict[str, UnitProfile] = {
    # clearly better at involving next of kin the way patients and next of kin want
    "tiller": UnitProfile(lean=0.2, leans=INVOLVES_NEXT_OF_KIN),
    # patients seldom meet an experience consultant here
    "orkdal": UnitProfile(
        lean=0.1,
        choices={
            "mott_ek": {"ja": 0.08, "nei": 0.77, "vet_ikke": 0.15},
            "kjennskap_ek": {"ikke_hort_om": 0.5, "hort_om": 0.4},
        },
    ),
    # many meet a consultant, and it gets better from one half-year to the next
    "nidaros": UnitProfile(
        lean=0.3, choices={"mott_ek": {"ja": 0.55, "nei": 0.35, "vet_ikke": 0.1}}, improves=1.2
    ),
    "stjordal": UnitProfile(lean=-0.1),
    "levanger": UnitProfile(lean=0.0, leans={"hort.lyttet": -0.2}),
}

# Free texts that fit their question; a free-text question not listed here is left empty.
FREE_TEXTS: dict[str, Sequence[str]] = {
    "fungerer_bra": (
        "Trygge samtaler, og at jeg fikk ha den samme behandleren hele tiden.",
        "De tok seg tid til å høre på meg.",
        "Gode gruppetilbud.",
        "Jeg fikk svar når jeg ringte.",
    ),
    "bor_endres": (
        "Mer tid til hver pasient.",
        "Kortere ventetid på første samtale.",
        "Ta pårørende med tidligere, når pasienten vil det.",
        "Bedre informasjon om hva som skal skje videre.",
    ),
    "ek_hvordan_annet": ("Hun ble med meg på møter.", "Jeg fikk noen å gå tur med."),
    "arbeidsgiver_annet": ("En stiftelse.",),
    "endring_forklaring": ("Stillingen ble mindre etter nytt anbud, men oppgavene var de samme.",),
    "historie_opplevelse": ("Det er greit, men jeg vil selv velge hva jeg deler.",),
    "anbefale_hvorfor": ("Godt miljø, men for liten stilling.", "Rollen er for uklar."),
    "trygg_rolle": ("Fast stilling og en leder som forstår rollen.",),
    "bergen_fordeler": ("Utdanning og et fast budsjett gir forutsigbarhet.",),
    "bergen_ulemper": ("Det kan bli vanskelig å få til i små kommuner.",),
    "kommunen_bor": ("Ta arbeidsgiveransvaret selv.",),
    "helseforetaket_bor": ("Egne stillinger ved hvert DPS.",),
    "hvorfor_ikke_lenger": ("Prosjektmidlene tok slutt.",),
    "brukerrad_sak": ("Rådet var med på å lage nye rutiner for innleggelse.",),
    "recovery_beskrivelse": ("Kurs om mestring, laget av fagfolk og folk med egenerfaring.",),
    "samarbeid_beskrivelse": ("Godt med NAV, men kommunen er vanskelig å nå.",),
    "viktigste_hindring": ("Budsjettet; stillingene må være varige.",),
    "planer_beskrivelse": ("En ny stilling i poliklinikken neste år.",),
}


class RealResponsesPresent(RuntimeError):
    """Demo data would mix with real answers: refused."""


def closed_half_years(today: dt.date, count: int = 2) -> list[tuple[dt.date, dt.date]]:
    """The last `count` calendar half-years that ended before `today`, oldest first."""
    periods = []
    start = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
    for _ in range(count):
        end = start - dt.timedelta(days=1)
        start = dt.date(end.year, 1 if end.month <= 6 else 7, 1)
        periods.append((start, end))
    return periods[::-1]


def synthetic_answers(
    questionnaire: Questionnaire,
    rng: random.Random,
    lean: float = 0.0,
    profile: UnitProfile | None = None,
) -> dict[str, list[str]]:
    """Answers as one respondent would give them: only to questions shown to them."""
    profile = profile or UnitProfile(lean=lean)
    answers: dict[str, list[str]] = {}
    given: dict[str, list[str]] = {}  # what conditions see: «Vil ikke svare» is no answer
    for page in questionnaire.pages:
        if page.show_if is not None and not evaluate(page.show_if.ast, given):
            continue
        for question in page.questions:
            if question.show_if is not None and not evaluate(question.show_if.ast, given):
                continue
            for answer_id, values in _answer(question, rng, profile).items():
                answers[answer_id] = values
                if values != [DECLINED]:
                    given[answer_id] = values
    shown = visible_questions(questionnaire, answers)
    unshown = [aid for aid in answers if aid.split(".")[0] not in shown]
    unanswered = [
        aid
        for q in questionnaire.questions()
        if q.required and q.id in shown
        for aid in q.answer_ids
        if aid not in answers
    ]
    if unshown or unanswered:  # pragma: no cover - the walk above is the evaluator's own
        raise AssertionError(f"demo answers break the questionnaire: {unshown} {unanswered}")
    return answers


def _answer(question: Question, rng: random.Random, profile: UnitProfile) -> dict[str, list[str]]:
    kind = question.type
    may_decline = not question.required
    if kind is QuestionType.MATRIX:
        answers = {}
        for answer_id in question.answer_ids:
            if may_decline and rng.random() < DECLINE_SHARE:
                answers[answer_id] = [DECLINED]
            else:
                answers[answer_id] = [_pick(question, answer_id, rng, profile)]
        return answers
    if kind in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
        texts = FREE_TEXTS.get(question.id)
        if texts and rng.random() < FREE_TEXT_SHARE:
            return {question.id: [rng.choice(texts)]}
        return {}
    if kind in (QuestionType.INFO, QuestionType.DPS):
        return {}
    if may_decline and rng.random() < DECLINE_SHARE:
        return {question.id: [DECLINED]}
    if kind is QuestionType.MULTIPLE_CHOICE:
        return {question.id: _pick_several(question, rng, profile)}
    if kind is QuestionType.NUMBER:
        return {question.id: [_number(question, rng)]}
    return {question.id: [_pick(question, question.id, rng, profile)]}


def _pick(question: Question, answer_id: str, rng: random.Random, profile: UnitProfile) -> str:
    """A choice; on a scale, leaning up or down by the unit's profile."""
    options = question.options()
    wanted = profile.choices.get(answer_id)
    if wanted:
        rest = [o.value for o in options if o.value not in wanted]
        share = max(0.0, 1 - sum(wanted.values())) / max(1, len(rest))
        weights = [wanted.get(o.value, share) for o in options]
        return rng.choices(options, weights=weights)[0].value
    scale = question.scale
    if scale is None:
        return rng.choice(options).value
    not_applicable = scale.not_applicable if question.allow_not_applicable else None
    if not_applicable is not None and rng.random() < NOT_APPLICABLE_SHARE:
        return not_applicable.value
    lean = profile.leans.get(answer_id, profile.lean)
    # a hump around the upper middle, shifted by the lean: lean 0 gives a mean near 3.4 of 5
    steps = scale.options
    centre = (len(steps) - 1) * min(1.0, max(0.0, 0.6 + lean / 4))
    weights = [1 / (1 + (i - centre) ** 2) for i in range(len(steps))]
    return rng.choices(steps, weights=weights)[0].value


def _pick_several(question: Question, rng: random.Random, profile: UnitProfile) -> list[str]:
    exclusive = [c.value for c in question.choices if c.exclusive]
    if exclusive and rng.random() < 0.08:
        return [rng.choice(exclusive)]
    plain = [c.value for c in question.choices if not c.exclusive]
    return rng.sample(plain, k=rng.randint(1, min(3, len(plain))))


def _number(question: Question, rng: random.Random) -> str:
    low = question.min if question.min is not None else 0
    high = question.max if question.max is not None else 100
    high = min(high, low + 5)  # a handful of people or full-time equivalents, as in a DPS
    if question.integer:
        return str(rng.randint(int(low), int(high)))
    return str(round(rng.uniform(low, high), 1))


def _response(version_id: int, dps: str, mode: str, day: dt.date, precision: str) -> dict:
    """The row of one synthetic response."""
    return {
        "id": secrets.token_hex(16),
        "questionnaire_version_id": version_id,
        "dps_id": dps,
        "mode": mode,
        "submitted_on": day,
        "date_precision": precision,
        "submission_key": secrets.token_hex(32),
        "synthetic": True,
    }


def _improved(profile: UnitProfile) -> UnitProfile:
    """The profile in the later period."""
    leans = {k: v + profile.improves for k, v in profile.leans.items()}
    return UnitProfile(profile.lean + profile.improves, leans, profile.choices)


def fill_demo_data(
    session: Session,
    questionnaire_id: str,
    count: int,
    *,
    seed: int | None = None,
    today: dt.date | None = None,
    date_precision: str = "day",
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Insert `count` synthetic responses in each of the last two ended half-years, so that
    each published period holds as many answers as was asked for (2 x `count` in all);
    refuses if any real response exists. Returns how many were inserted."""
    if session.scalar(select(exists().where(Response.synthetic.is_(False)))):
        raise RealResponsesPresent("the database holds real responses")
    version = current_version(session, questionnaire_id)
    if version is None:
        raise LookupError(f"unknown questionnaire: {questionnaire_id}")
    questionnaire = questionnaire_of(version)
    mode = questionnaire.modes[0].value
    rng = random.Random(seed)
    units = [u.id for u in active_units(session)]
    weights = [0 if u in SMALL_UNITS else UNIT_WEIGHTS.get(u, 1) for u in units]
    profiles = {u: PROFILES.get(u) or UnitProfile(lean=rng.uniform(-0.2, 0.2)) for u in units}
    later = {u: _improved(p) for u, p in profiles.items()}
    periods = closed_half_years(today or dt.date.today())
    done = 0
    for index, (start, end) in enumerate(periods):
        profile_of = later if index == len(periods) - 1 else profiles
        small = [u for u in units if u in SMALL_UNITS for _ in range(SMALL_UNITS[u])]
        if count < 10 * len(small):
            small = []  # too few responses in all to spare a handful for the small units
        drawn = 0
        while drawn < count:
            size = min(BATCH, count - drawn)
            responses, answers = [], []
            for _ in range(size):
                dps = small.pop() if small else rng.choices(units, weights=weights)[0]
                day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
                stored = submission_date(day, date_precision)
                if stored < start:  # the Monday of the week fell in the period before
                    stored += dt.timedelta(days=7)
                responses.append(_response(version.id, dps, mode, stored, date_precision))
                rows = answer_rows(
                    questionnaire, synthetic_answers(questionnaire, rng, profile=profile_of[dps])
                )
                answers += answers_of(responses[-1], rows)
            session.execute(insert(Response.__table__), responses)
            if answers:
                session.execute(insert(Answer.__table__), answers)
            session.commit()
            drawn += size
            done += size
            progress(size)
    return done
