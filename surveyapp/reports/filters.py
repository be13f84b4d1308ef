"""Report filters as they travel in a URL: parsed with every problem returned as data,
written back into query arguments (for links and the download), and put into words.

The query arguments are `fra` and `til` (ISO dates), `versjon` (repeated version ids),
`modus` (self or interview) and `gruppe` (`<question id>:<value>`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveyapp.db.models import QuestionnaireVersion
from surveyapp.questionnaire import Questionnaire, QuestionType
from surveyapp.reports.model import Filters

DATE_FROM, DATE_TO, VERSION, MODE, GROUP = "fra", "til", "versjon", "modus", "gruppe"
ARGUMENTS = (DATE_FROM, DATE_TO, VERSION, MODE, GROUP)
MODES = ("self", "interview")
GROUP_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.YES_NO)
MAX_VALUE_LENGTH = 200
MAX_VERSIONS = 50
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VERSION_ID = re.compile(r"\d{1,9}")


@dataclass(frozen=True)
class FilterProblem:
    argument: str  # the query argument the problem is in
    code: str  # date_invalid, date_order, version_invalid, version_unknown, mode_invalid,
    # group_invalid, group_unknown


@dataclass(frozen=True)
class ParsedFilters:
    filters: Filters  # what the report uses: no filter at all when there are problems
    problems: list[FilterProblem] = field(default_factory=list)


@dataclass(frozen=True)
class VersionChoice:
    id: int
    loaded_on: dt.date
    current: bool


@dataclass(frozen=True)
class GroupChoice:
    question_id: str
    question: str  # the question's text in the page's language
    options: list[tuple[str, str]]  # (value, label)


def parse_filters(
    args: Any,
    *,
    version_ids: Collection[int] | None = None,
    groups: Mapping[str, Collection[str]] | None = None,
) -> ParsedFilters:
    """Filters from query arguments (a MultiDict, or a mapping of strings or lists).

    `version_ids` and `groups` (question id -> values), when given, are what may be chosen;
    anything else is a problem. Any problem leaves the report unfiltered, rather than
    filtered in a way the reader did not ask for.
    """
    problems: list[FilterProblem] = []
    date_from = _date(args, DATE_FROM, problems)
    date_to = _date(args, DATE_TO, problems)
    if date_from and date_to and date_from > date_to:
        problems.append(FilterProblem(DATE_TO, "date_order"))
    versions = _versions(args, version_ids, problems)
    mode = _first(args, MODE)
    if mode is not None and mode not in MODES:
        problems.append(FilterProblem(MODE, "mode_invalid"))
    group = _group(args, groups, problems)
    if problems:
        return ParsedFilters(Filters(), problems)
    return ParsedFilters(
        Filters(
            date_from=date_from,
            date_to=date_to,
            version_ids=versions,
            mode=mode,
            group=group,
        )
    )


def filter_args(filters: Filters) -> dict[str, str | list[str]]:
    """The query arguments that give these filters back (for links and the audit log)."""
    args: dict[str, str | list[str]] = {}
    if filters.date_from:
        args[DATE_FROM] = filters.date_from.isoformat()
    if filters.date_to:
        args[DATE_TO] = filters.date_to.isoformat()
    if filters.version_ids:
        args[VERSION] = [str(v) for v in filters.version_ids]
    if filters.mode:
        args[MODE] = filters.mode
    if filters.group:
        args[GROUP] = ":".join(filters.group)
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
    start = filters.date_from and format_date(filters.date_from, "long", locale=language)
    end = filters.date_to and format_date(filters.date_to, "long", locale=language)
    if start and end:
        parts.append(gettext("svar fra %(start)s til %(end)s", start=start, end=end))
    elif start:
        parts.append(gettext("svar fra og med %(start)s", start=start))
    elif end:
        parts.append(gettext("svar til og med %(end)s", end=end))
    if filters.version_ids:
        versions = ", ".join(str(v) for v in filters.version_ids)
        parts.append(gettext("skjemaversjon %(versions)s", versions=versions))
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
    if not parts:
        return gettext("Alle svar, uten filter")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def version_choices(session: Session, questionnaire_id: str) -> list[VersionChoice]:
    """Every stored version of a questionnaire, oldest first: what the version filter offers."""
    rows = session.scalars(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        .order_by(QuestionnaireVersion.loaded_at, QuestionnaireVersion.id)
    )
    return [VersionChoice(v.id, v.loaded_at.date(), v.current) for v in rows]


def group_choices(questionnaire: Questionnaire, language: str) -> list[GroupChoice]:
    """The questions a report may be limited to one answer of (single choice, yes/no)."""
    return [
        GroupChoice(
            q.id,
            q.text.get_text(language),
            [(c.value, c.label.get_text(language)) for c in q.options()],
        )
        for q in questionnaire.questions()
        if q.type in GROUP_TYPES and q.options()
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


def _date(args: Any, name: str, problems: list[FilterProblem]) -> dt.date | None:
    value = _first(args, name)
    if value is None:
        return None
    if _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(FilterProblem(name, "date_invalid"))
    return None


def _versions(
    args: Any, known: Collection[int] | None, problems: list[FilterProblem]
) -> tuple[int, ...]:
    values = _values(args, VERSION)
    if len(values) > MAX_VERSIONS or not all(_VERSION_ID.fullmatch(v) for v in values):
        problems.append(FilterProblem(VERSION, "version_invalid"))
        return ()
    versions = tuple(sorted({int(v) for v in values}))
    if known is not None and not set(versions) <= set(known):
        problems.append(FilterProblem(VERSION, "version_unknown"))
        return ()
    return versions


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
