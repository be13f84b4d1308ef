"""Report filters as they travel in a URL or on the command line: ONE validation for the
dashboard, the workbook download and `surveyapp export`, with every problem returned as data.

Only the fixed cuts exist (docs/disclosure-design.md): `periode` (a half-year id such as
`2026-H1`), `modus` (self or interview; none: both), `gruppe` (`<report group>:<value>`) and
`nivå` (enhet, område, foretak or trondelag: the columns; never finer than the questionnaire's
`reporting.level`).
Free dates (`fra`, `til`) and versions (`versjon`) are refused, never ignored: two reports with
nested dates or versions subtract to single responses.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from surveyapp.periods import parse_period
from surveyapp.questionnaire import Questionnaire, ReportingLevel
from surveyapp.reports.model import Filters

PERIOD, MODE, GROUP, LEVEL = "periode", "modus", "gruppe", "nivå"
ARGUMENTS = (PERIOD, MODE, GROUP, LEVEL)
# the words of `nivå`, finest first, and the reporting levels they stand for
LEVELS = {
    "enhet": ReportingLevel.UNIT,
    "område": ReportingLevel.AREA,
    "foretak": ReportingLevel.TRUST,
    "trondelag": ReportingLevel.REGION,
}
LEVEL_WORDS = {level: word for word, level in LEVELS.items()}
RETIRED = ("fra", "til", "versjon")
MODES = ("self", "interview")
MAX_VALUE_LENGTH = 200


@dataclass(frozen=True)
class FilterProblem:
    argument: str  # the query argument the problem is in
    code: str  # filter_retired, period_invalid, period_unknown, mode_invalid, mode_unknown,
    # group_invalid, group_unknown, level_invalid, level_too_fine
    accepted: tuple[str, ...] = ()  # for a level: the words that may be chosen


@dataclass(frozen=True)
class ParsedFilters:
    filters: Filters  # what the report uses: no filter at all when there are problems
    problems: list[FilterProblem] = field(default_factory=list)


@dataclass(frozen=True)
class GroupChoice:
    question_id: str
    question: str  # the question's text in the page's language
    options: list[tuple[str, str]]  # (value, label)


def parse_filters(
    args: Any,
    *,
    periods: Collection[str] | None = None,
    modes: Collection[str] | None = None,
    groups: Mapping[str, Collection[str]] | None = None,
    finest: ReportingLevel | None = None,
) -> ParsedFilters:
    """Filters from query arguments (a MultiDict, or a mapping of strings or lists).

    `periods`, `modes` and `groups` (question id -> values), when given, are what may be
    chosen; anything else is a problem. `finest` is the finest level the questionnaire may be
    reported at (`reporting.level`): a finer `nivå` is refused. Any problem leaves the report
    unfiltered, and the callers refuse to hand out anything for a request with problems.
    """
    problems: list[FilterProblem] = []
    for name in RETIRED:
        if _values(args, name):
            problems.append(FilterProblem(name, "filter_retired"))
    period = _first(args, PERIOD)
    if period is not None:
        parsed = parse_period(period) if len(period) <= MAX_VALUE_LENGTH else None
        if parsed is None:
            problems.append(FilterProblem(PERIOD, "period_invalid"))
            period = None
        elif periods is not None and parsed.id not in periods:
            problems.append(FilterProblem(PERIOD, "period_unknown"))
            period = None
        else:
            period = parsed.id
    mode = _first(args, MODE)
    if mode is not None and mode not in MODES:
        problems.append(FilterProblem(MODE, "mode_invalid"))
    elif mode is not None and modes is not None and mode not in modes:
        problems.append(FilterProblem(MODE, "mode_unknown"))
    group = _group(args, groups, problems)
    level = _level(args, finest, problems)
    if problems:
        return ParsedFilters(Filters(), problems)
    return ParsedFilters(Filters(period=period, mode=mode, group=group, level=level))


def level_choices(finest: ReportingLevel) -> list[str]:
    """The words of `nivå` a questionnaire may be reported at, finest first."""
    return [word for word, level in LEVELS.items() if level.rank >= finest.rank]


def _level(args: Any, finest: ReportingLevel | None, problems: list[FilterProblem]) -> str | None:
    word = _first(args, LEVEL)
    if word is None:
        return None
    accepted = tuple(level_choices(finest or ReportingLevel.UNIT))
    level = LEVELS.get(word.lower())
    if level is None:
        problems.append(FilterProblem(LEVEL, "level_invalid", accepted))
        return None
    if finest is not None and level.rank < finest.rank:
        problems.append(FilterProblem(LEVEL, "level_too_fine", accepted))
        return None
    return level.value


def filter_args(filters: Filters) -> dict[str, str | list[str]]:
    """The query arguments that give these filters back (for links and the audit log)."""
    args: dict[str, str | list[str]] = {}
    if filters.period:
        args[PERIOD] = filters.period
    if filters.mode:
        args[MODE] = filters.mode
    if filters.group:
        args[GROUP] = ":".join(filters.group)
    if filters.level:
        args[LEVEL] = LEVEL_WORDS[ReportingLevel(filters.level)]
    return args


def describe(
    filters: Filters,
    gettext: Callable[..., str],
    *,
    language: str = "nb",
    questionnaire: Questionnaire | None = None,
) -> str:
    """The filters in words, e.g. "Svar fra 1. november 2026; bare intervjuer"."""
    parts: list[str] = []
    if filters.period:
        parts.append(gettext("halvåret %(period)s", period=filters.period))
    if filters.mode == "self":
        parts.append(gettext("bare svar på egen hånd"))
    elif filters.mode == "interview":
        parts.append(gettext("bare intervjuer"))
    if filters.group:
        question, answer = _group_labels(filters.group, questionnaire, language)
        parts.append(
            gettext(
                "bare de som svarte «%(answer)s» på «%(question)s»",
                answer=answer,
                question=question,
            )
        )
    level_words = {
        "area": gettext("per DPS-område"),
        "trust": gettext("per helseforetak"),
        "region": gettext("bare Trøndelag i alt"),
    }
    if filters.level in level_words:
        parts.append(level_words[filters.level])
    if not parts:
        return gettext("Alle svar, uten filter")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def group_choices(questionnaire: Questionnaire, language: str) -> list[GroupChoice]:
    """The report groups the questionnaire declares (`report_groups`), with their options."""
    declared = set(questionnaire.report_groups)
    return [
        GroupChoice(
            q.id,
            q.text.get_text(language),
            [(c.value, c.label.get_text(language)) for c in q.options()],
        )
        for q in questionnaire.questions()
        if q.id in declared and q.options()
    ]


def allowed_groups(choices: list[GroupChoice]) -> dict[str, set[str]]:
    return {choice.question_id: {value for value, _ in choice.options} for choice in choices}


def _values(args: Any, name: str) -> list[str]:
    if hasattr(args, "getlist"):
        values = args.getlist(name)
    else:
        raw = args.get(name)
        values = [] if raw is None else raw if isinstance(raw, list | tuple) else [raw]
    return [str(v).strip() for v in values if str(v).strip()]


def _first(args: Any, name: str) -> str | None:
    values = _values(args, name)
    return values[0] if values else None


def _group(
    args: Any, allowed: Mapping[str, Collection[str]] | None, problems: list[FilterProblem]
) -> tuple[str, str] | None:
    value = _first(args, GROUP)
    if value is None:
        return None
    question, _, answer = value.partition(":")
    if not question or not answer or len(value) > MAX_VALUE_LENGTH:
        problems.append(FilterProblem(GROUP, "group_invalid"))
        return None
    if allowed is not None and answer not in allowed.get(question, ()):
        problems.append(FilterProblem(GROUP, "group_unknown"))
        return None
    return question, answer


def _group_labels(
    group: tuple[str, str], questionnaire: Questionnaire | None, language: str
) -> tuple[str, str]:
    """The question's text and the answer's label, or the ids when the question is gone."""
    question_id, value = group
    if questionnaire is None:
        return question_id, value
    try:
        question = questionnaire.question(question_id)
    except KeyError:
        return question_id, value
    labels = {c.value: c.label.get_text(language) for c in question.options()}
    return question.text.get_text(language), labels.get(value, value)


def mode_choices(questionnaire: Questionnaire) -> list[str]:
    """The modes a report may be cut by: only when the questionnaire has more than one."""
    modes = [str(m) for m in questionnaire.modes]
    return modes if len(modes) > 1 else []


def problem_text(problem: FilterProblem, gettext: Callable[..., str]) -> str:
    """One problem in plain words (the dashboard and the CLI show the same)."""
    if problem.code in ("level_invalid", "level_too_fine"):
        accepted = ", ".join(problem.accepted)
        if problem.code == "level_too_fine":
            return gettext(
                "Dette skjemaet har for få svar per enhet til å vises så detaljert. "
                "Velg nivå blant: %(accepted)s.",
                accepted=accepted,
            )
        return gettext("Velg nivå blant: %(accepted)s.", accepted=accepted)
    if problem.code == "filter_retired":
        return gettext(
            "Rapportene kan ikke lenger avgrenses med datoer eller skjemaversjoner («%(name)s»): "
            "velg et halvår i stedet, for eksempel 2026-H1.",
            name=problem.argument,
        )
    return {
        "period_invalid": gettext(
            "Perioden må være et halvår, for eksempel 2026-H1 eller 2026-H2."
        ),
        "period_unknown": gettext("Velg en periode fra listen."),
        "mode_invalid": gettext("Velg svarmåte fra listen."),
        "mode_unknown": gettext("Dette skjemaet kan ikke deles opp etter svarmåte."),
        "group_invalid": gettext("Velg en gruppe fra listen."),
        "group_unknown": gettext("Velg en gruppe fra listen."),
    }.get(problem.code, gettext("Filteret kunne ikke leses."))
