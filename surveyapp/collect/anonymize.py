"""What makes a stored response anonymous: a coarse date and scrubbed free text.

Free text is scrubbed before it is stored, so an identifier typed by a respondent never
reaches the database. Identifiers with a recognisable shape (national ids, e-mail addresses,
URLs, phone numbers) are found by pattern; personal names by the name lists in `names/` and
the rules in docs/scrubbing.md, which also gives the measured recall and false-positive rate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files

from surveyapp.periods import period_of

REMOVED = "[fjernet]"

_FNR_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_FNR_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# A URL ends before trailing punctuation: "se www.eksempel.no, der ..." keeps its comma.
_URL = re.compile(
    r"\b(?:https?://|www\.)\S*[^\s.,;:!?)\]}»\"'”]|\b[\w-]+\.(?:no|com|org|net)(?:/\S*)?\b",
    re.I,
)
_ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6})[ .]?(\d{5})(?!\d)")
# Norwegian phone numbers: 8 digits, optionally +47/0047, grouped 3-2-3, 2-2-2-2 or 4-4.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)47[ .-]?)?"
    r"(?:\d{8}|\d{3}[ .-]\d{2}[ .-]\d{3}|\d{2}[ .-]\d{2}[ .-]\d{2}[ .-]\d{2}|\d{4}[ .-]\d{4})"
    r"(?![\w])"
)
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d-(?:19|20)\d\d")  # "2019-2023" is not a phone number


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
    """Replace national ids, e-mail addresses, URLs, phone numbers and names with a marker.

    Scrubbing its own output changes nothing: removing one identifier can uncover another
    ("Kari91234567" shows the phone number only once the name is gone), so the passes are
    repeated until the text stays the same: two passes for most texts with an identifier,
    one for those without.
    """
    # Each pass that changes the text turns some of it into markers, which no pattern takes
    # apart again, so the loop ends.
    while True:
        scrubbed = _scrub_names(_scrub_shapes(text))
        if scrubbed == text:
            return scrubbed
        text = scrubbed


def _scrub_shapes(text: str) -> str:
    text = _ELEVEN_DIGITS.sub(
        lambda m: REMOVED if is_national_id(m.group(1) + m.group(2)) else m.group(0), text
    )
    text = _EMAIL.sub(REMOVED, text)
    text = _URL.sub(REMOVED, text)
    return _PHONE.sub(lambda m: m.group() if _YEAR_RANGE.fullmatch(m.group()) else REMOVED, text)


def _scrub_names(text: str) -> str:
    return _replace_spans(text, _name_spans(text))


def submission_date(today: dt.date, precision: str) -> dt.date:
    """The date stored with a response: the day, or the Monday of its ISO week, but never
    before the half-year the response came in: a week that began in an ended (published)
    half-year would otherwise add today's response to that half-year's figures, and the
    figures before and after would subtract to it. Such a response gets the half-year's
    first day."""
    if precision == "week":
        return max(today - dt.timedelta(days=today.weekday()), period_of(today).start)
    return today


# --- Personal names -------------------------------------------------------------------------
# The rules, in order of strength (docs/scrubbing.md explains each with examples):
#   1. A name that is not also an ordinary word (common_words.txt) is removed in any case.
#   2. A name that is also a word is removed when written with a capital in the middle of a
#      sentence (unless a determiner such as "en", "hver", "mitt", "i" or a number shows it
#      is the word), after a title or role ("psykolog", "legen", "dr.", "heter", "sønnen
#      min"), next to another name ("Dag Hansen"), joined to one by "og"/"eller"/comma, or
#      first in a sentence when a verb follows ("Tor var ..."). Lower case keeps it a word.
#   3. After a title, or right after a first name, an unknown capitalised word is taken as a
#      (sur)name; single-letter initials next to a name go with it.
# A full name becomes one marker; the title in front of it is kept ("Psykolog [fjernet]").


def _read_names(filename: str) -> frozenset[str]:
    text = files("surveyapp.collect").joinpath("names", filename).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


FIRST_NAMES = _read_names("first_names.txt")
SURNAMES = _read_names("surnames.txt")
COMMON_WORDS = _read_names("common_words.txt")
_NAMES = FIRST_NAMES | SURNAMES


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A word, with hyphenated parts ("Ann-Kristin") and a possessive ("Kari's", "Lars'").
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?:['’]s(?![^\W\d_])|(?<=[sxzSXZ])['’](?![^\W\d_]))?")
_SPACES = re.compile(r"[ \t\u00a0]+")
_DOT_SPACES = re.compile(r"\.[ \t\u00a0]*")
_NUMBER_AFTER = re.compile(r"[ \t\u00a0]+\d")
_SAINT_GAP = re.compile(r"\.?[ \t\u00a0]*")
_COMMA = re.compile(r",[ \t\u00a0]*")
_AND_OR = re.compile(r"[ \t\u00a0]+(?:og|eller)[ \t\u00a0]+", re.IGNORECASE)

# Words after which a (capitalised) name follows: titles, roles, relations, "heter".
_TITLES = _words(
    """
    lege legen fastlege fastlegen overlege overlegen turnuslege turnuslegen psykolog psykologen
    psykologspesialist psykologspesialisten psykiater psykiateren doktor doktoren dr
    sykepleier sykepleieren spesialsykepleier spesialsykepleieren terapeut terapeuten
    miljøterapeut miljøterapeuten behandler behandleren erfaringskonsulent
    erfaringskonsulenten kontakt kontakten kontaktperson kontaktpersonen primærkontakt
    primærkontakten sosionom sosionomen vernepleier vernepleieren ergoterapeut ergoterapeuten
    fysioterapeut fysioterapeuten saksbehandler saksbehandleren koordinator koordinatoren
    veileder veilederen sekretær sekretæren miljøarbeider miljøarbeideren assistent
    assistenten leder lederen avdelingsleder avdelingslederen konsulent konsulenten prest
    presten tolk tolken fru frk herr
    mor moren mora mamma far faren pappa bror broren søster søsteren sønn sønnen datter
    datteren dattera mann mannen kone kona samboer samboeren kjæreste kjæresten venn vennen
    venninne venninna venninnen nabo naboen kollega kollegaen onkel tante bestemor bestefar
    fetter kusine
    heter het hette kalt kalles hilsen mvh
    """
)
_ABBREVIATED_TITLES = frozenset({"dr", "fru", "frk", "herr", "mvh"})
# Between a title and the name: "sønnen min Per", "psykologen vår Kari".
_POSSESSIVES = _words("min mi mitt vår vårt våres hans hennes deres sin si sitt")
# A word right before an ambiguous name that shows it is the ordinary word: a determiner,
# an adjective or "i" ("hver Dag", "mitt Liv", "i Mai"), or an adverb of degree, which goes
# with adjectives and never with names ("helt Tom for krefter").
_WORD_CUES = _words(
    """
    en ei et hver hvert hele heile neste forrige samme annen annet
    min mi mitt din di ditt sin si sitt vår vårt hans hennes deres
    god godt fin fint ny nytt nye lang langt mer mye mindre noe litt i
    helt heilt veldig ganske nesten altfor svært temmelig skikkelig fullstendig
    """
)
# Verbs that, right after a sentence-initial ambiguous first name, show that it is a person:
# "Tor var flink", "Per hjalp meg". Not used for words that are often bare subjects.
_PERSON_VERBS = _words(
    """
    var er ble blir sa sier har hadde fikk får kom kommer gikk tok ga gav gir hjalp hjelper
    lyttet lytter hørte hører forsto forstår forklarte forklarer spurte spør ringte ringer
    svarte svarer møtte tenkte mente likte visste viste fulgte trøstet brydde behandlet
    henviste jobber jobbet skrev sendte ordnet passet sørget smilte virket kunne skulle
    ville måtte gjorde gjør
    """
)
_NO_VERB_RULE = frozenset({"liv", "mai", "sol", "helga"})
# Capitalised words never taken for an unknown name after a title or a first name.
_NOT_NAMES = _words(
    """
    jeg du han hun vi dere de det den dette denne disse der her da nå så og men eller for
    som hvis når hva hvem hvor hvordan hvorfor ikke også bare alltid aldri takk hei hilsen
    mvh er var har hadde kan skal vil må blir ble sa fikk får i på med til fra hos av om
    ved etter før under over uten mot meg deg seg oss dem ham henne jo nei ja ok
    mandag tirsdag onsdag torsdag fredag lørdag søndag januar februar mars april mai juni
    juli august september oktober november desember dps nav
    """
)
_SAINTS = frozenset({"st", "sankt", "sta"})
# A full stop after these does not end a sentence.
_ABBREVIATIONS = _words(
    "dr st sta sankt ca kl nr tlf evt bl eks mht pga jf dvs ifm vs fru frk herr prof mr"
)
_SENTENCE_ENDS = frozenset(".!?…:")
_OPENERS = frozenset("«\"“”'‘([{-–—•*>")


@dataclass(frozen=True)
class _Name:
    first: bool
    surname: bool
    ambiguous: bool  # also an ordinary word


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    lower: str
    case: str  # "lower", "title" or "upper"
    name: _Name | None
    initial: bool  # a single capital followed by "."
    sentence_start: bool  # only worked out for names


def _name(parts: list[str]) -> _Name | None:
    if not all(p in _NAMES for p in parts):
        return None
    return _Name(
        first=all(p in FIRST_NAMES for p in parts),
        surname=all(p in SURNAMES for p in parts),
        ambiguous=all(p in COMMON_WORDS for p in parts),
    )


_KNOWN = {name: _name([name]) for name in _NAMES}


def _without_apostrophe(word: str) -> str:
    if word[-2:] in ("'s", "’s"):
        return word[:-2]
    return word[:-1] if word[-1] in "'’" else word


def _lookup(word: str, case: str) -> _Name | None:
    key = _without_apostrophe(word).casefold()
    if key in _KNOWN:
        return _KNOWN[key]
    # A possessive, "Karis", "Hansens", is recognised only with a capital.
    possessive = case != "lower" and key.endswith("s")
    if "-" not in key:
        return _KNOWN.get(key[:-1]) if possessive else None
    parts = key.split("-")
    found = _name(parts)
    if found is None and possessive:
        found = _name(parts[:-1] + [parts[-1][:-1]])
    return found


def _starts_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n" or text[i] in _OPENERS:
            return True
        i -= 1
    if i < 0:
        return True
    if text[i] not in _SENTENCE_ENDS:
        return False
    if text[i] != ".":
        return True
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    before = text[j:i]
    # "dr. Berg", "St. Olavs", initials ("K. Hansen") and "bl.a." do not end a sentence.
    return not (before.casefold() in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()))


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD.finditer(text):
        word = match.group()
        bare = _without_apostrophe(word)
        if bare.isupper() and len(bare) > 1:
            case = "upper"
        elif bare[0].isupper():
            case = "title"
        else:
            case = "lower"
        start, end = match.span()
        name = _lookup(word, case)
        tokens.append(
            _Token(
                start=start,
                end=end,
                lower=word.casefold(),
                case=case,
                name=name,
                initial=len(word) == 1 and case == "title" and text[end : end + 1] == ".",
                sentence_start=name is not None and _starts_sentence(text, start),
            )
        )
    return tokens


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Where the personal names in `text` are: (start, end) spans, one per name, in order."""
    tokens = _tokens(text)
    count = len(tokens)

    def gap(i: int) -> str:  # the text between token i and token i + 1
        return text[tokens[i].end : tokens[i + 1].start]

    def joined(i: int) -> bool:  # tokens i and i + 1 stand next to each other in a name
        if i < 0 or i + 1 >= count:
            return False
        if _SPACES.fullmatch(gap(i)):
            return True
        abbreviated = tokens[i].initial or tokens[i].lower in _ABBREVIATED_TITLES
        return abbreviated and _DOT_SPACES.fullmatch(gap(i)) is not None

    # "St. Olavs hospital", "St. Hans": a saint is not a person to protect.
    saint = [
        i > 0 and tokens[i - 1].lower in _SAINTS and _SAINT_GAP.fullmatch(gap(i - 1)) is not None
        for i in range(count)
    ]
    after_title = _after_title(tokens, joined)
    removed = [
        not saint[i] and _removed_on_its_own(text, tokens, i, joined, after_title)
        for i in range(count)
    ]

    def removed_name(i: int, *, capital: bool = False, first: bool = False) -> bool:
        if not (0 <= i < count and removed[i] and tokens[i].name is not None):
            return False
        name = tokens[i].name
        return (not capital or _capitalised(tokens[i])) and (not first or name.first)

    def revealed(i: int) -> bool:  # does a removed neighbour show that token i is a name?
        t = tokens[i]
        if t.initial:
            return (joined(i) and removed_name(i + 1)) or (joined(i - 1) and removed_name(i - 1))
        if t.name is None:
            if not _unknown_name_like(t):
                return False
            # An unknown surname after a first name, "Kari Fjeldstad", or an unknown name in
            # the middle of a sentence joined to a removed one: "Kari og Kaja", "Kari, Kaja".
            return (joined(i - 1) and removed_name(i - 1, first=True)) or (
                not _starts_sentence(text, t.start)
                and any(
                    removed[j] and tokens[j].case != "lower"
                    for j in _coordinated_with(text, tokens, i)
                )
            )
        if not _capitalised(t):  # lower case, "kari berg": only a surname after a first name
            return t.name.surname and joined(i - 1) and removed_name(i - 1, first=True)
        return (
            (joined(i) and removed_name(i + 1, capital=True))
            or (joined(i - 1) and removed_name(i - 1, capital=True))
            or any(removed_name(j, capital=True) for j in _coordinated_with(text, tokens, i))
        )

    changed = True
    while changed:
        changed = False
        for i in range(count):
            if not removed[i] and not saint[i] and revealed(i):
                removed[i] = changed = True

    spans: list[tuple[int, int]] = []
    for i, t in enumerate(tokens):
        if not removed[i]:
            continue
        end = t.end
        if t.initial:
            # The initial takes its full stop along, unless the stop also ends the sentence.
            rest = text[end + 1 :].lstrip(" \t\u00a0")
            ends_sentence = not rest or rest[0] == "\n" or rest[0].isupper()
            if (joined(i) and removed[i + 1]) or not ends_sentence:
                end += 1
        if spans and _SPACES.fullmatch(text[spans[-1][1] : t.start] or " "):
            spans[-1] = (spans[-1][0], end)  # one marker for a full name
        else:
            spans.append((t.start, end))
    return spans


def _capitalised(t: _Token) -> bool:
    return t.case == "title" or (t.case == "upper" and t.name is not None)


def _unknown_name_like(t: _Token) -> bool:
    """A capitalised word that could be a name we do not know."""
    return t.case == "title" and not t.initial and t.lower not in _NOT_NAMES


def _after_title(tokens: list[_Token], joined: Callable[[int], bool]) -> list[bool]:
    """Which tokens follow a title or role as a name: "psykolog Kari Hansen", "dr. K. Berg"."""
    after = [False] * len(tokens)
    for i, t in enumerate(tokens):
        if t.lower not in _TITLES or not joined(i):
            continue
        first = i + 1
        if tokens[first].lower in _POSSESSIVES and tokens[first].case == "lower" and joined(first):
            first += 1  # "sønnen min Per"
        for j in range(first, min(first + 4, len(tokens))):
            candidate = tokens[j]
            if not (
                candidate.initial
                or (_capitalised(candidate) and candidate.name is not None)
                or _unknown_name_like(candidate)
            ):
                break
            after[j] = True
            if not joined(j):
                break
    return after


def _removed_on_its_own(
    text: str,
    tokens: list[_Token],
    i: int,
    joined: Callable[[int], bool],
    after_title: list[bool],
) -> bool:
    """Rules 1 and 2 on the token's own context, and the title rule."""
    t = tokens[i]
    if after_title[i]:
        return True
    if t.name is None:
        return False
    if not t.name.ambiguous:
        return True
    if t.case != "title":
        return False
    if not t.sentence_start:
        previous = tokens[i - 1] if i > 0 and joined(i - 1) else None
        cue = previous is not None and previous.name is None and previous.lower in _WORD_CUES
        return not cue and not _NUMBER_AFTER.match(text, t.end)
    following = tokens[i + 1] if joined(i) else None
    return (
        t.name.first
        and t.lower not in _NO_VERB_RULE
        and following is not None
        and following.case == "lower"
        and following.lower in _PERSON_VERBS
    )


def _coordinated_with(text: str, tokens: list[_Token], i: int) -> list[int]:
    """Tokens joined to token i by a comma, "og" or "eller": "Per og Kari", "Tor, Kari"."""
    found = []
    for step in (1, -1):
        near, far = i + step, i + 2 * step
        if not 0 <= near < len(tokens):
            continue
        a, b = sorted((i, near))
        if _COMMA.fullmatch(text[tokens[a].end : tokens[b].start]):
            found.append(near)
        if 0 <= far < len(tokens) and tokens[near].lower in ("og", "eller"):
            a, b = sorted((i, far))
            if _AND_OR.fullmatch(text[tokens[a].end : tokens[b].start]):
                found.append(far)
    return found


def _replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    parts, position = [], 0
    for start, end in spans:
        parts += [text[position:start], REMOVED]
        position = end
    parts.append(text[position:])
    return "".join(parts)
