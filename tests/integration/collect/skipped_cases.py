"""Responses built to hit every condition of `flyt` and the shipped `pasient`: what is given,
and every row a submission stores for it (shared by the tests of submission and migration)."""

from __future__ import annotations

from surveyapp.db.models import SKIPPED
from surveyapp.reports.model import DECLINED

S, D = SKIPPED, DECLINED

# The test questionnaire `flyt`: rolle, alder, mott; hjalp and hvordan (multiple choice) if
# mott == "ja"; onsket if mott == "nei"; the matrix involvert (info, lyttet) on a page for
# next of kin only; antall; the free texts bra and kort.
FLYT_CASES = {
    "a patient who only says who they are": (
        {"rolle": ["pasient"]},
        {"rolle": ["pasient"], "alder": [S], "mott": [S], "antall": [S]},
    ),
    "next of kin who met one and left a matrix item and free text empty": (
        {
            "rolle": ["parorende"],
            "mott": ["ja"],
            "hjalp": ["3"],
            "hvordan": ["hap", "nav"],
            "involvert.info": ["4"],
            "antall": ["2"],
            "bra": ["Fint"],
        },
        {
            "rolle": ["parorende"],
            "alder": [S],
            "mott": ["ja"],
            "hjalp": ["3"],
            "hvordan": ["hap", "nav"],
            "involvert.info": ["4"],
            "involvert.lyttet": [S],
            "antall": ["2"],
            "bra": ["Fint"],
        },
    ),
    "next of kin who declined some and did not meet one": (
        {
            "rolle": ["parorende"],
            "alder": [D],
            "mott": ["nei"],
            "onsket": [D],
            "involvert.info": [D],
        },
        {
            "rolle": ["parorende"],
            "alder": [D],
            "mott": ["nei"],
            "onsket": [D],
            "involvert.info": [D],
            "involvert.lyttet": [S],
            "antall": [S],
        },
    ),
    "a patient who met one and answered nothing more": (
        {"rolle": ["pasient"], "mott": ["ja"]},
        {
            "rolle": ["pasient"],
            "alder": [S],
            "mott": ["ja"],
            "hjalp": [S],
            "hvordan": [S],  # one row for the multiple choice
            "antall": [S],
        },
    ),
    "declining the question a condition asks about shows none of its follow-ups": (
        {"rolle": [D], "mott": [D]},
        {"rolle": [D], "alder": [S], "mott": [D], "antall": [S]},
    ),
    "nothing answered": (
        {},
        {"rolle": [S], "alder": [S], "mott": [S], "antall": [S]},
    ),
}

_HORT = ["lyttet", "medvirke", "informasjon", "respekt"]
# The shipped `pasient`: the matrices and scales of "Bli hørt" depend on rolle; ek_hjelp and
# ek_hvordan on mott_ek == "ja", ek_onske on "nei"/"vet_ikke"; ek_hvordan_annet (free text)
# on ek_hvordan == "annet"; info texts and the two free texts at the end get no rows.
PASIENT_CASES = {
    "a patient who met a consultant": (
        {"rolle": ["pasient"], "mott_ek": ["ja"], "ek_hvordan": ["annet", "hap"]},
        {
            "rolle": ["pasient"],
            "del_av_dps": [S],
            "alder": [S],
            **{f"hort.{item}": [S] for item in _HORT},
            "parorende_som_onsket": [S],
            "siste_kontakt": [S],
            "kjennskap_ek": [S],
            "mott_ek": ["ja"],
            "ek_hjelp": [S],
            "ek_hvordan": ["annet", "hap"],
            "samarbeid.nav": [S],
            "samarbeid.kommune": [S],
            "lytter": [S],
            "fornoyd_kontakt": [S],
        },
    ),
    "next of kin who does not know whether they met one": (
        {
            "rolle": ["parorende"],
            "mott_ek": ["vet_ikke"],
            "hort_parorende.lyttet": ["4"],
            "samarbeid.nav": ["9"],
            "lytter": [D],
            "bor_endres": ["Mer tid."],
        },
        {
            "rolle": ["parorende"],
            "del_av_dps": [S],
            "alder": [S],
            "hort_parorende.lyttet": ["4"],
            "hort_parorende.informasjon": [S],
            "hort_parorende.respekt": [S],
            "siste_kontakt": [S],
            "involvert_som_parorende": [S],
            "kjennskap_ek": [S],
            "mott_ek": ["vet_ikke"],
            "ek_onske": [S],
            "samarbeid.nav": ["9"],
            "samarbeid.kommune": [S],
            "lytter": [D],
            "fornoyd_kontakt": [S],
            "bor_endres": ["Mer tid."],
        },
    ),
}
