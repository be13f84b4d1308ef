"""A complete questionnaire with every question type loads into the model as written."""

import hashlib

from surveyapp.questionnaire import (
    Choice,
    Mode,
    QuestionType,
    Text,
    load_text,
)

COMPLETE = """\
# Et eksempel med alle spørsmålstyper.
id: eksempel
title: {nb: Eksempelskjema, nn: Dømeskjema, en: Example}
description: Et skjema som viser alt.
modes: [self, interview]
languages: [nb, nn, en]
scales:
  grad5:
    options:
      - {value: 1, label: Ikke i det hele tatt}
      - {value: 2, label: I liten grad}
      - {value: 3, label: I noen grad}
      - {value: 4, label: I stor grad}
      - {value: 5, label: {nb: I svært stor grad, en: To a very large extent}}
    not_applicable: {value: 9, label: Ikke aktuelt}
  score0_10:
    from: 0
    to: 10
    labels: {0: Svært dårlig, 10: Svært godt}
  kontakt:
    options:
      - {value: ikke_hort, label: Har ikke hørt om}
      - {value: hort, label: Har hørt om}
pages:
  - id: om_deg
    title: Om deg
    intro: Først noen spørsmål om deg.
    questions:
      - id: velkommen
        type: info
        text: Skjemaet er anonymt.
      - id: dps
        type: dps
        text: Hvilket DPS gjelder det?
        required: true
        required_message: Velg et DPS.
      - id: rolle
        type: single_choice
        text: {nb: "Svarer du som pasient eller pårørende?", nn: "Svarar du som pasient?"}
        help: Velg det som passer best.
        interviewer_note: Les opp alternativene.
        choices:
          - {value: pasient, label: Pasient}
          - {value: parorende, label: Pårørende}
          - {value: no, label: Norsk}
          - {value: 1, label: Ett}
      - id: alder
        type: number
        text: Hvor gammel er du?
        min: 16
        max: 120
      - id: stilling
        type: number
        text: Hvor stor er stillingen?
        min: 0
        max: 100.5
        integer: false
        unit: {nb: prosent, en: percent}
  - id: erfaring
    title: Erfaring
    show_if: 'rolle == "pasient"'
    questions:
      - id: mott
        type: yes_no
        text: Har du møtt en erfaringskonsulent?
        dont_know: true
      - id: hvordan
        type: multiple_choice
        text: Hva fikk du hjelp til?
        show_if: 'mott == "ja"'
        choices:
          - {value: hap, label: Håp}
          - {value: nav, label: Hjelp med NAV}
          - {value: vet_ikke, label: Vet ikke, exclusive: true}
      - id: hjelp
        type: scale
        scale: grad5
        text: Hvor mye hjalp det?
        not_applicable: false
        show_if: 'mott == "ja" and not hvordan in ["vet_ikke"]'
      - id: hort
        type: matrix
        scale: grad5
        text: I hvilken grad …
        items:
          - {id: lyttet, text: "… ble du lyttet til?"}
          - {id: respekt, text: "… ble du møtt med respekt?"}
      - id: totalt
        type: scale
        scale: score0_10
        text: Hvor godt lytter DPS-et?
        show_if: hort.lyttet >= 4 or answered(alder)
      - id: kjennskap
        type: scale
        scale: kontakt
        text: Kjenner du til erfaringskonsulenter?
      - id: stikkord
        type: short_text
        text: Tre stikkord
        max_length: 100
      - id: endres
        type: long_text
        text: Hva bør endres?
"""


def load():
    result = load_text(COMPLETE, "eksempel.yaml")
    assert [str(p) for p in result.problems] == []
    return result.questionnaire


def test_questionnaire_level_fields():
    q = load()
    assert q.id == "eksempel"
    assert q.title == Text(nb="Eksempelskjema", nn="Dømeskjema", en="Example")
    assert q.title.get_text("en") == "Example"
    assert q.description == Text(nb="Et skjema som viser alt.")
    assert q.modes == (Mode.SELF, Mode.INTERVIEW)
    assert q.languages == ("nb", "nn", "en")
    assert [p.id for p in q.pages] == ["om_deg", "erfaring"]


def test_version_is_the_hash_of_the_file_and_the_text_is_kept():
    q = load()
    assert q.content_hash == hashlib.sha256(COMPLETE.encode("utf-8")).hexdigest()
    assert q.source_text == COMPLETE
    assert q.source_name == "eksempel.yaml"


def test_changing_one_character_makes_a_new_version():
    changed = load_text(COMPLETE.replace("Om deg", "Om du"), "eksempel.yaml").questionnaire
    assert changed.content_hash != load().content_hash


def test_every_question_type_is_present_in_file_order():
    q = load()
    assert [(x.id, x.type) for x in q.questions()] == [
        ("velkommen", QuestionType.INFO),
        ("dps", QuestionType.DPS),
        ("rolle", QuestionType.SINGLE_CHOICE),
        ("alder", QuestionType.NUMBER),
        ("stilling", QuestionType.NUMBER),
        ("mott", QuestionType.YES_NO),
        ("hvordan", QuestionType.MULTIPLE_CHOICE),
        ("hjelp", QuestionType.SCALE),
        ("hort", QuestionType.MATRIX),
        ("totalt", QuestionType.SCALE),
        ("kjennskap", QuestionType.SCALE),
        ("stikkord", QuestionType.SHORT_TEXT),
        ("endres", QuestionType.LONG_TEXT),
    ]
    assert set(QuestionType) == {x.type for x in q.questions()}


def test_question_lines_point_at_the_question():
    q = load()
    lines = COMPLETE.splitlines()
    for question in q.questions():
        assert lines[question.line - 1].strip() == f"- id: {question.id}"


def test_page_fields():
    first, second = load().pages
    assert first.title == Text(nb="Om deg")
    assert first.intro == Text(nb="Først noen spørsmål om deg.")
    assert first.show_if is None
    assert second.show_if.source == 'rolle == "pasient"'
    assert second.show_if.ast == {"op": "==", "ref": "rolle", "value": "pasient"}


def test_info_and_dps_questions():
    q = load()
    info = q.question("velkommen")
    assert info.answer_ids == ()
    dps = q.question("dps")
    assert dps.required is True
    assert dps.required_message == Text(nb="Velg et DPS.")
    assert dps.choices == ()


def test_single_choice_values_are_the_text_as_written():
    rolle = load().question("rolle")
    assert [c.value for c in rolle.choices] == ["pasient", "parorende", "no", "1"]
    assert rolle.text == Text(
        nb="Svarer du som pasient eller pårørende?", nn="Svarar du som pasient?"
    )
    assert rolle.help == Text(nb="Velg det som passer best.")
    assert rolle.interviewer_note == Text(nb="Les opp alternativene.")
    assert rolle.required is False


def test_number_questions():
    q = load()
    alder = q.question("alder")
    assert (alder.min, alder.max, alder.integer, alder.unit) == (16, 120, True, None)
    stilling = q.question("stilling")
    assert (stilling.min, stilling.max, stilling.integer) == (0, 100.5, False)
    assert stilling.unit == Text(nb="prosent", en="percent")


def test_yes_no_with_dont_know():
    mott = load().question("mott")
    assert [c.value for c in mott.choices] == ["ja", "nei", "vet_ikke"]
    assert mott.choices[2].label.get_text("nb") == "Vet ikke"


def test_multiple_choice_with_an_exclusive_choice():
    hvordan = load().question("hvordan")
    assert hvordan.choices[-1] == Choice("vet_ikke", Text(nb="Vet ikke"), exclusive=True)
    assert not hvordan.choices[0].exclusive
    assert hvordan.show_if.references == ("mott",)


def test_scale_question_without_not_applicable():
    q = load()
    hjelp = q.question("hjelp")
    assert hjelp.scale is q.scales["grad5"]
    assert hjelp.allow_not_applicable is False
    assert [c.value for c in hjelp.options()] == ["1", "2", "3", "4", "5"]
    assert hjelp.show_if.ast == {
        "op": "and",
        "args": [
            {"op": "==", "ref": "mott", "value": "ja"},
            {"op": "not", "arg": {"op": "in", "ref": "hvordan", "values": ["vet_ikke"]}},
        ],
    }


def test_matrix_items_and_answer_ids():
    hort = load().question("hort")
    assert [i.id for i in hort.items] == ["lyttet", "respekt"]
    assert hort.items[1].text == Text(nb="… ble du møtt med respekt?")
    assert hort.answer_ids == ("hort.lyttet", "hort.respekt")
    assert [c.value for c in hort.options()] == ["1", "2", "3", "4", "5", "9"]


def test_scales_with_options_with_a_range_and_with_words():
    scales = load().scales
    grad5 = scales["grad5"]
    assert grad5.numeric is True
    assert grad5.not_applicable == Choice("9", Text(nb="Ikke aktuelt"))
    assert grad5.options[4].label == Text(nb="I svært stor grad", en="To a very large extent")
    score = scales["score0_10"]
    assert [c.value for c in score.options] == [str(n) for n in range(11)]
    assert score.options[0].label == Text(nb="Svært dårlig")
    assert score.options[5].label == Text(nb="5")
    assert score.numeric is True and score.not_applicable is None
    assert scales["kontakt"].numeric is False


def test_condition_with_matrix_item_and_answered():
    totalt = load().question("totalt")
    assert totalt.show_if.references == ("hort.lyttet", "alder")
    assert totalt.show_if.ast == {
        "op": "or",
        "args": [
            {"op": ">=", "ref": "hort.lyttet", "value": 4},
            {"op": "answered", "ref": "alder"},
        ],
    }


def test_text_lengths():
    q = load()
    assert q.question("stikkord").max_length == 100
    assert q.question("endres").max_length == 4000


def test_a_file_with_five_different_errors_reports_all_five():
    broken = (
        COMPLETE.replace("modes: [self, interview]", "modes: [self, intervju]")
        .replace("        min: 16\n", "        min: seksten\n")
        .replace("      - id: endres\n", "      - id: stikkord\n")
        .replace("        scale: score0_10\n", "        scale: score0_100\n")
        .replace("show_if: 'mott == \"ja\"'", "show_if: 'mott = \"ja\"'")
    )
    result = load_text(broken, "eksempel.yaml")
    assert result.questionnaire is None
    assert [str(p) for p in result.problems] == [
        "eksempel.yaml:5:15: ukjent modus «intervju»; bruk self (den som svarer fyller ut selv)"
        " eller interview (intervju)",
        "eksempel.yaml:50:14: «min» skal være et tall (for eksempel 5, -2 eller 2.5),"
        " ikke «seksten»",
        "eksempel.yaml:70:24: bruk «==» for å sammenligne, ikke «=»",
        "eksempel.yaml:90:16: skalaen «score0_100» finnes ikke; mente du «score0_10»?"
        " Skalaer i denne filen: grad5, kontakt, score0_10",
        "eksempel.yaml:101:13: spørsmålet «stikkord» finnes allerede på linje 97",
    ]
