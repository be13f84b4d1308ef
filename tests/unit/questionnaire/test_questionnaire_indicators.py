"""Key indicators declared in a questionnaire: what the loader builds and what it refuses,
each refusal at its file:line:col."""

import textwrap
from pathlib import Path

import pytest

from surveyapp.questionnaire import Combination, load_directory, load_text

HEAD = """\
id: test
title: Test
modes: [self]
scales:
  grad5:
    options:
      - {value: 1, label: Lite}
      - {value: 5, label: Mye}
    not_applicable: {value: 9, label: Ikke aktuelt}
  ord:
    numeric: false
    options:
      - {value: a, label: A}
      - {value: b, label: B}
pages:
  - id: side
    title: Side
    questions:
      - {id: hort, type: matrix, scale: grad5, text: H, items: [{id: lyttet, text: L}]}
      - {id: lytter, type: scale, scale: grad5, text: L}
      - {id: mott, type: yes_no, dont_know: true, text: M}
      - {id: valg, type: multiple_choice, text: V, choices: [{value: x, label: X}]}
      - {id: ordskala, type: scale, scale: ord, text: O}
      - {id: fritt, type: short_text, text: F}
indicators:
"""
FIRST_LINE = 26  # the first line of what is appended to HEAD


def with_indicators(indicators: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(indicators), "  ")


def problems(indicators: str) -> list[str]:
    result = load_text(with_indicators(indicators), "skjema.yaml")
    assert result.questionnaire is None or not result.problems
    return [str(p) for p in result.problems]


def test_head_is_valid_on_its_own():
    assert load_text(HEAD.replace("indicators:\n", ""), "skjema.yaml").problems == []


def test_indicators_are_read_in_order_with_their_combination():
    result = load_text(
        with_indicators("""\
            - id: hort
              name: {nb: Blir hørt, nn: Blir høyrd, en: Heard}
              description: Lyttet til
              items: [hort.lyttet, lytter]
            - id: mott
              name: Har møtt
              combine: share
              items: [mott]
              values: [ja, vet_ikke]
            """),
        "skjema.yaml",
    )
    assert result.problems == []
    first, second = result.questionnaire.indicators
    assert (first.id, first.items, first.combine, first.values) == (
        "hort",
        ("hort.lyttet", "lytter"),
        Combination.MEAN,
        (),
    )
    assert first.name.get_text("en") == "Heard" and first.description.get_text("nb") == "Lyttet til"
    assert (second.combine, second.items) == (Combination.SHARE, ("mott",))
    assert second.values == ("ja", "vet_ikke")
    assert first.line == FIRST_LINE and second.line == FIRST_LINE + 4


@pytest.mark.parametrize(
    ("indicators", "expected"),
    [
        (
            "- {id: a, name: A, items: [lytt]}\n",
            f"skjema.yaml:{FIRST_LINE}:30: indikatoren viser til «lytt», men skjemaet har ikke"
            " noe spørsmål med den id-en; mente du «lytter»?",
        ),
        (
            "- {id: a, name: A, items: [qqq]}\n",
            f"skjema.yaml:{FIRST_LINE}:30: indikatoren viser til «qqq», men skjemaet har ikke"
            " noe spørsmål med den id-en",
        ),
        (
            "- {id: a, name: A, items: [hort]}\n",
            f"skjema.yaml:{FIRST_LINE}:30: «hort» er en matrise; list opp delspørsmålene hver"
            " for seg, for eksempel «hort.lyttet»",
        ),
        (
            "- {id: a, name: A, items: [lytter, mott]}\n",
            f"skjema.yaml:{FIRST_LINE}:38: «mott» er av typen yes_no; «combine: mean» kan bare"
            " bruke spørsmål med en tallskala (scale eller delspørsmål i en matrix)",
        ),
        (
            "- {id: a, name: A, items: [ordskala]}\n",
            f"skjema.yaml:{FIRST_LINE}:30: «ordskala» bruker skalaen «ord», som ikke er en"
            " tallskala (numeric: false); «combine: mean» trenger tall",
        ),
        (
            "- {id: a, name: A, combine: share, items: [valg], values: [x]}\n",
            f"skjema.yaml:{FIRST_LINE}:46: «valg» er av typen multiple_choice; «combine: share»"
            " kan bruke single_choice, yes_no, scale eller delspørsmål i en matrix",
        ),
        (
            "- {id: a, name: A, combine: share, items: [mott, lytter], values: [ja]}\n",
            f"skjema.yaml:{FIRST_LINE}:52: «lytter» har andre svaralternativer enn «mott»; en"
            " andel av flere spørsmål trenger spørsmål med de samme alternativene (for"
            " eksempel samme skala)",
        ),
        (
            "- {id: a, name: A, combine: share, items: [mott]}\n",
            f"skjema.yaml:{FIRST_LINE}:5: «combine: share» trenger «values»: svarene som teller"
            " med, for eksempel [ja]",
        ),
        (
            "- {id: a, name: A, combine: share, items: [mott], values: [kanskje]}\n",
            f"skjema.yaml:{FIRST_LINE}:62: «kanskje» er ikke et av svaralternativene til «mott»;"
            " gyldige verdier er: ja, nei, vet_ikke",
        ),
        (
            "- {id: a, name: A, items: [lytter], values: [1]}\n",
            f"skjema.yaml:{FIRST_LINE}:39: «values» brukes bare med «combine: share»;"
            " «combine: mean» bruker alle verdiene på skalaen",
        ),
        (
            "- {id: a, name: A, combine: sum, items: [lytter]}\n",
            f"skjema.yaml:{FIRST_LINE}:31: «combine» kan være «mean» (snittet av spørsmålenes"
            " skår 0–100) eller «share» (andelen som ga bestemte svar), ikke «sum»",
        ),
        (
            "- {id: a, name: A, items: [lytter]}\n- {id: a, name: B, items: [lytter]}\n",
            f"skjema.yaml:{FIRST_LINE + 1}:10: indikatoren «a» finnes allerede (linje"
            f" {FIRST_LINE}); hver indikator må ha sin egen id",
        ),
        (
            "- {id: a, name: A, items: [lytter, lytter]}\n",
            f"skjema.yaml:{FIRST_LINE}:38: «lytter» står to ganger i «items»",
        ),
    ],
)
def test_a_bad_indicator_is_reported_at_its_place(indicators, expected):
    assert problems(indicators) == [expected]


def test_a_share_may_count_the_same_answers_on_several_items_with_the_same_options():
    result = load_text(
        with_indicators("- {id: a, name: A, combine: share, items: [hort.lyttet, lytter],"
                        " values: [1, 5.0]}\n"),
        "skjema.yaml",
    )  # fmt: skip
    assert result.problems == []
    (indicator,) = result.questionnaire.indicators
    assert indicator.items == ("hort.lyttet", "lytter") and indicator.values == ("1", "5")


def test_an_indicator_needs_an_id_a_name_and_items():
    found = problems("- {description: D}\n")
    assert [p.split(": ", 1)[1] for p in found] == [
        "«id» mangler her og må være med",
        "«name» mangler her og må være med",
        "«items» mangler her og må være med",
    ]
    assert all(p.startswith(f"skjema.yaml:{FIRST_LINE}:5:") for p in found)


def test_every_problem_in_the_indicators_is_reported_at_once():
    found = problems(
        "- {id: a, name: A, items: [qqq, mott]}\n- {id: b, name: B, combine: sum, items: [x]}\n"
    )
    assert len(found) == 4, found  # qqq, mott, sum and x


def test_the_shipped_questionnaires_declare_indicators_on_current_questions():
    questionnaires, found = load_directory(Path(__file__).resolve().parents[3] / "questionnaires")
    assert found == []
    declared = {q.id: [i.id for i in q.indicators] for q in questionnaires}
    assert {"hort_pasient", "parorende_tatt_med", "mott_ek", "ek_nytte"} <= set(declared["pasient"])
    assert declared["leder"] and declared["erfaringskonsulent"]
    for questionnaire in questionnaires:
        answer_ids = {a for q in questionnaire.questions() for a in q.answer_ids}
        for indicator in questionnaire.indicators:
            assert set(indicator.items) <= answer_ids
