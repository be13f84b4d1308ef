"""The questionnaires that ship: who sees which question, and what they promise.

Read through the real loader and condition evaluator, and through the server's visibility
(`collect.submission.visible_questions`, which treats «Vil ikke svare» as no answer).
"""

from pathlib import Path

import pytest

from surveyapp.collect.submission import DECLINED, visible_questions
from surveyapp.questionnaire import QuestionType, ReportingLevel, load_directory, visibility

FOLDER = Path(__file__).resolve().parents[3] / "questionnaires"
QUESTIONNAIRES, PROBLEMS = load_directory(FOLDER)
BY_ID = {q.id: q for q in QUESTIONNAIRES}


def shown(questionnaire_id: str, answers: dict[str, list[str]]) -> set[str]:
    """What the evaluator shows, checked against what the server keeps."""
    questionnaire = BY_ID[questionnaire_id]
    evaluated = set(visibility(questionnaire, answers).questions)
    assert visible_questions(questionnaire, answers) == evaluated
    return evaluated


def test_the_shipped_questionnaires_load_without_problems():
    assert [str(p) for p in PROBLEMS] == []
    assert set(BY_ID) == {"pasient", "erfaringskonsulent", "leder"}


# --- pasient -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ek_hjelp", "sees"),
    [("1", False), ("2", True), ("3", True), ("4", True), ("5", True), ("9", False)],
)
def test_how_the_consultant_helped_is_asked_only_when_it_helped(ek_hjelp, sees):
    answers = {"rolle": ["pasient"], "mott_ek": ["ja"], "ek_hjelp": [ek_hjelp]}
    assert ("ek_hvordan" in shown("pasient", answers)) is sees


def test_how_the_consultant_helped_is_not_asked_without_a_rating_of_the_help():
    assert "ek_hvordan" not in shown("pasient", {"rolle": ["pasient"], "mott_ek": ["ja"]})
    declined = {"rolle": ["pasient"], "mott_ek": ["ja"], "ek_hjelp": [DECLINED]}
    assert "ek_hvordan" not in visible_questions(BY_ID["pasient"], declined)


@pytest.mark.parametrize("mott_ek", ["nei", "vet_ikke"])
def test_those_who_did_not_meet_a_consultant_are_asked_whether_they_wanted_to(mott_ek):
    visible = shown("pasient", {"rolle": ["pasient"], "mott_ek": [mott_ek]})
    assert "ek_onske" in visible
    assert not {"ek_hjelp", "ek_hvordan"} & visible


def test_patients_and_next_of_kin_get_their_own_questions_about_being_heard():
    patient = shown("pasient", {"rolle": ["pasient"]})
    kin = shown("pasient", {"rolle": ["parorende"]})
    assert {"hort", "parorende_som_onsket"} <= patient
    assert not {"hort_parorende", "involvert_som_parorende"} & patient
    assert {"hort_parorende", "involvert_som_parorende"} <= kin
    assert not {"hort", "parorende_som_onsket"} & kin


def test_next_of_kin_are_not_asked_about_the_patients_wishes():
    matrix = BY_ID["pasient"].question("hort_parorende")
    assert [item.id for item in matrix.items] == ["lyttet", "informasjon", "respekt"]


def test_not_applicable_on_involvement_of_next_of_kin_is_only_for_those_who_have_none():
    question = BY_ID["pasient"].question("parorende_som_onsket")
    assert "verken mer eller mindre" in question.text["nb"]
    assert "bare hvis du ikke har pårørende" in question.help["nb"]


def test_only_the_first_question_is_required_as_the_intro_says():
    pasient = BY_ID["pasient"]
    questions = [q for q in pasient.questions() if q.type is not QuestionType.INFO]
    assert [q.id for q in questions if q.required] == [questions[0].id] == ["rolle"]
    assert "Bare det første spørsmålet må besvares" in pasient.question("om_anonymitet").text["nb"]


def test_age_is_asked_on_the_last_page_and_the_last_page_asks_to_submit():
    last = BY_ID["pasient"].pages[-1]
    assert [q.id for q in last.questions] == ["alder", "send_inn"]
    text = last.questions[-1].text
    for language in ("nb", "nn", "en"):
        assert all(number in text[language] for number in ("116 123", "116 117", "113"))
    assert "«Send inn»" in text["nb"] and "Takk" not in text["nb"]


def test_the_recall_period_is_asked_in_coarse_bands():
    question = BY_ID["pasient"].question("siste_kontakt")
    assert [c.value for c in question.choices] == ["na", "under_1_ar", "over_1_ar"]


def test_every_text_of_the_patient_questionnaire_is_in_nynorsk_and_english():
    pasient = BY_ID["pasient"]
    texts = [pasient.title, pasient.description]
    for page in pasient.pages:
        texts += [page.title, page.intro]
        for question in page.questions:
            texts += [question.text, question.help, question.required_message]
            texts += [choice.label for choice in question.options()]
            texts += [item.text for item in question.items]
    texts = [t for t in texts if t is not None and not t["nb"].isdigit()]  # 1..9 on the 0-10 scale
    missing = [t["nb"] for t in texts if not {"nn", "en"} <= set(t)]
    assert missing == []


def test_matrix_items_are_whole_questions():
    for questionnaire_id in ("pasient",):
        for question in BY_ID[questionnaire_id].questions():
            for item in question.items:
                for language, text in item.text.items():
                    assert text[0].isupper() and text.endswith("?"), (language, text)


# --- erfaringskonsulent ------------------------------------------------------------------

EMPLOYMENT = {"betalt_via_anbud", "ansettelsesform", "stillingsstorrelse"}


def test_unpaid_consultants_skip_the_employment_questions():
    assert not EMPLOYMENT & shown("erfaringskonsulent", {"arbeidsgiver": ["ulonnet"]})


@pytest.mark.parametrize(
    "employer", ["dps", "kommune", "brukerorganisasjon", "leverandor", "annet"]
)
def test_paid_consultants_are_asked_the_employment_questions(employer):
    assert shown("erfaringskonsulent", {"arbeidsgiver": [employer]}) >= EMPLOYMENT


def test_consultants_who_declined_to_name_the_employer_still_get_the_employment_questions():
    # `not arbeidsgiver == "ulonnet"`: «Vil ikke svare» is no answer, and must not skip them
    questionnaire = BY_ID["erfaringskonsulent"]
    assert visible_questions(questionnaire, {"arbeidsgiver": [DECLINED]}) >= EMPLOYMENT
    assert shown("erfaringskonsulent", {}) >= EMPLOYMENT


def test_the_bergen_fact_is_read_only_to_those_who_do_not_know_it():
    for guide in ("erfaringskonsulent", "leder"):
        assert "bergen_fakta" not in shown(guide, {"kjenner_bergen": ["ja"]})
        assert "bergen_fakta" in shown(guide, {"kjenner_bergen": ["nei"]})
        assert "bergen_fakta" in shown(guide, {})
        assert {"bergen_fordeler", "bergen_ulemper"} <= shown(guide, {"kjenner_bergen": ["ja"]})


def test_both_guides_read_the_same_neutral_sentence_about_bergen():
    texts = {BY_ID[g].question("bergen_fakta").text["nb"] for g in ("erfaringskonsulent", "leder")}
    (text,) = texts
    assert "2006" in text and "NAV" in text
    assert "77" not in text and "Trondheim" not in text


def test_supervision_in_paid_time_is_asked_of_those_who_get_supervision():
    assert "veiledning_arbeidstid" in shown("erfaringskonsulent", {"veiledning": ["jevnlig"]})
    assert "veiledning_arbeidstid" not in shown("erfaringskonsulent", {"veiledning": ["nei"]})


def test_the_job_description_follow_up_is_asked_only_of_those_who_have_one():
    assert "stillingsbeskrivelse_stemmer" in shown(
        "erfaringskonsulent", {"stillingsbeskrivelse": ["ja"]}
    )
    assert "stillingsbeskrivelse_stemmer" not in shown(
        "erfaringskonsulent", {"stillingsbeskrivelse": ["vet_ikke"]}
    )


def test_experience_bands_do_not_overlap():
    question = BY_ID["erfaringskonsulent"].question("erfaring_tid")
    labels = [c.label["nb"] for c in question.choices]
    assert labels == [
        "Under 1 år",
        "Fra 1 år til under 3 år",
        "Fra 3 år til under 5 år",
        "5 år eller mer",
    ]


def test_recommending_the_job_offers_as_many_kinds_of_no_as_of_yes():
    values = [c.value for c in BY_ID["erfaringskonsulent"].question("anbefale_jobben").choices]
    assert sum(v.startswith("ja") for v in values) == sum(v.startswith("nei") for v in values)


# --- leder -------------------------------------------------------------------------------


def test_who_follows_up_external_consultants_is_asked_only_where_there_are_some():
    assert "oppfolging_eksterne" in shown("leder", {"har_ek": ["andres"]})
    assert "oppfolging_eksterne" in shown("leder", {"har_ek": ["begge"]})
    assert "oppfolging_eksterne" not in shown("leder", {"har_ek": ["egne"]})


def test_plans_may_be_for_fewer_and_staff_may_not_know():
    values = [c.value for c in BY_ID["leder"].question("planer_antall").choices]
    assert {"faerre", "vet_ikke"} <= set(values)
    assert "planer_beskrivelse" in shown("leder", {"planer_antall": ["faerre"]})
    assert "planer_beskrivelse" not in shown("leder", {"planer_antall": ["like_mange"]})


def test_budget_and_plan_questions_offer_dont_know():
    for question_id in ("budsjett", "finansiering_varig", "i_planer", "planer_antall"):
        values = [c.value for c in BY_ID["leder"].question(question_id).choices]
        assert "vet_ikke" in values, question_id


# --- reporting ---------------------------------------------------------------------------


def test_each_questionnaire_declares_how_finely_it_may_be_reported():
    assert BY_ID["pasient"].reporting.level is ReportingLevel.UNIT
    assert BY_ID["erfaringskonsulent"].reporting.level is ReportingLevel.TRUST
    leader = BY_ID["leder"].reporting
    assert leader.level is ReportingLevel.TRUST
    assert "faktaark" in leader.note["nb"] and "godkjent" in leader.note["nb"]
