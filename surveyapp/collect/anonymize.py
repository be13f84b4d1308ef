"""What makes a stored response anonymous: a coarse date and scrubbed free text.

Free text is scrubbed before it is stored, so an identifier typed by a respondent never
reaches the database. Names are the hardest part and get their own treatment later
(see docs/privacy.md); this module removes what has a recognisable shape.
"""

from __future__ import annotations

import datetime as dt
import re

REMOVED = "[fjernet]"

_FNR_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_FNR_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:no|com|org|net)(?:/\S*)?\b", re.I)
_ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6})[ .]?(\d{5})(?!\d)")
# Norwegian phone numbers: 8 digits, optionally +47/0047, grouped 3-2-3, 2-2-2-2 or 4-4.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)47[ .-]?)?"
    r"(?:\d{8}|\d{3}[ .-]\d{2}[ .-]\d{3}|\d{2}[ .-]\d{2}[ .-]\d{2}[ .-]\d{2}|\d{4}[ .-]\d{4})"
    r"(?![\w])"
)


def is_national_id(digits: str) -> bool:
    """True for a fødselsnummer or D-nummer: 11 digits whose two mod-11 check digits hold."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    numbers = [int(d) for d in digits]
    for weights, check_position in ((_FNR_WEIGHTS_1, 9), (_FNR_WEIGHTS_2, 10)):
        remainder = sum(w * n for w, n in zip(weights, numbers, strict=False)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check == 10 or check != numbers[check_position]:
            return False
    return True


def scrub_free_text(text: str) -> str:
    """Replace national ids, e-mail addresses, URLs and phone numbers with a marker."""
    text = _ELEVEN_DIGITS.sub(
        lambda m: REMOVED if is_national_id(m.group(1) + m.group(2)) else m.group(0), text
    )
    text = _EMAIL.sub(REMOVED, text)
    text = _URL.sub(REMOVED, text)
    return _PHONE.sub(REMOVED, text)


def submission_date(today: dt.date, precision: str) -> dt.date:
    """The date stored with a response: the day, or the Monday of its ISO week."""
    if precision == "week":
        return today - dt.timedelta(days=today.weekday())
    return today
