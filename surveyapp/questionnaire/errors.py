"""Problems in a questionnaire file as data with a place, and the one catalogue of messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction by Babel; translation happens where it is shown."""
    return message


# Every message, written once, in plain bokmål. `%(name)s` placeholders are filled from
# `Problem.params`; the web page and the CLI translate the template with gettext first.
MESSAGES: dict[str, str] = {
    # Files and folders
    "file_not_found": N_("filen finnes ikke"),
    "directory_not_found": N_("mappen finnes ikke"),
    "file_unreadable": N_("filen kan ikke leses (%(reason)s)"),
    "file_not_utf8": N_(
        "filen er ikke lagret som UTF-8; lagre den på nytt med tegnkodingen UTF-8"
        " slik at æ, ø og å blir riktige"
    ),
    "file_too_large": N_("filen er for stor (%(size)s byte); den kan være på høyst %(limit)s byte"),
    "file_empty": N_("filen er tom; den må minst ha «id», «title», «modes» og «pages»"),
    "file_not_mapping": N_(
        "øverst i filen skal det stå nøkler med verdier, som «id: …», «title: …» og «pages:»"
    ),
    "duplicate_questionnaire_id": N_(
        "skjemaet «%(id)s» finnes allerede i filen %(other_file)s; hvert skjema må ha sin egen id"
    ),
    # YAML, the way the file is written
    "yaml_syntax": N_("filen kan ikke leses som YAML: %(problem)s"),
    "yaml_tab": N_("tabulatortegn er brukt til innrykk; bruk mellomrom i stedet"),
    "yaml_colon": N_(
        "et kolon (:) står der det ikke kan stå; sjekk innrykket, eller sett teksten i"
        " anførselstegn hvis den selv inneholder «: »"
    ),
    "yaml_missing_colon": N_(
        "fant ikke kolonet (:) som skal stå etter en nøkkel; sjekk denne linjen og innrykket"
    ),
    "yaml_unclosed_quote": N_(
        "teksten i anførselstegn som begynner på linje %(start_line)s, blir aldri avsluttet"
    ),
    "yaml_indentation": N_(
        "innrykket stemmer ikke med linjene over; linjer på samme nivå må begynne i samme kolonne"
    ),
    "yaml_text_after_quote": N_(
        "teksten fortsetter etter det avsluttende anførselstegnet; sett hele teksten i"
        " anførselstegn"
    ),
    "yaml_dash": N_(
        "et listeelement («- ») kan ikke stå her; begynn det på en ny linje, med samme innrykk"
        " som de andre elementene i listen"
    ),
    "yaml_flow_question_mark": N_(
        "en tekst med spørsmålstegn inni [ ] eller { } må stå i anførselstegn,"
        ' som "Hvor gammel er du?"'
    ),
    "yaml_unclosed_bracket": N_(
        "en liste i [ ] eller et oppslag i { } er ikke avsluttet riktig; sjekk kommaene og"
        " klammen som skal avslutte"
    ),
    "yaml_reserved_char": N_(
        "en verdi kan ikke begynne med tegnet «%(char)s»; sett verdien i anførselstegn"
    ),
    "yaml_bad_escape": N_(
        "ukjent tegn etter omvendt skråstrek (\\) i en tekst med doble anførselstegn;"
        " bruk enkle anførselstegn i stedet"
    ),
    "yaml_bad_character": N_(
        "filen inneholder et usynlig kontrolltegn (%(character)s) som ikke er tillatt; slett det"
    ),
    "yaml_multiple_documents": N_(
        "filen inneholder mer enn ett dokument (skilt med «---»); skriv ett skjema per fil"
    ),
    "yaml_duplicate_key": N_(
        "nøkkelen «%(key)s» står allerede på linje %(other_line)s; hver nøkkel kan bare stå én gang"
    ),
    "yaml_anchor": N_(
        "YAML-ankere («&%(name)s») er ikke tillatt; skriv innholdet ut der det trengs"
        " (en tekst som begynner med & må stå i anførselstegn)"
    ),
    "yaml_alias": N_(
        "YAML-henvisninger («*%(name)s») er ikke tillatt; skriv innholdet ut der det trengs"
        " (en tekst som begynner med * må stå i anførselstegn)"
    ),
    "yaml_tag": N_(
        "YAML-merket «%(tag)s» er ikke tillatt; fjern det"
        " (en tekst som begynner med ! må stå i anførselstegn)"
    ),
    "yaml_too_deep": N_("filen har for mange nivåer inni hverandre (mer enn %(limit)s)"),
    "yaml_complex_key": N_("en nøkkel må være et enkelt ord, ikke en liste eller et oppslag"),
    # The shape of the questionnaire
    "expected_mapping_not_list": N_(
        "under «%(key)s» skal det stå nøkler med verdier (som «id: …»), men her står en liste"
        " (linjer som begynner med «- »)"
    ),
    "expected_mapping_not_scalar": N_(
        "under «%(key)s» skal det stå nøkler med verdier (som «id: …»), men her står bare"
        " «%(value)s»"
    ),
    "expected_list_not_mapping": N_(
        "«%(key)s» skal være en liste der hvert element begynner med «- », men her står nøkler"
        " med verdier"
    ),
    "expected_list_not_scalar": N_(
        "«%(key)s» skal være en liste der hvert element begynner med «- », men her står bare"
        " «%(value)s»"
    ),
    "expected_scalar": N_(
        "«%(key)s» skal ha én enkelt verdi, ikke en liste eller nøkler med verdier"
    ),
    "expected_text": N_(
        "«%(key)s» skal være en tekst, eller tekster per språk (som «nb: …»), ikke en liste"
    ),
    "unknown_key": N_("ukjent nøkkel «%(key)s»; tillatte nøkler her er: %(allowed)s"),
    "unknown_key_suggestion": N_(
        "ukjent nøkkel «%(key)s»; mente du «%(suggestion)s»? Tillatte nøkler her er: %(allowed)s"
    ),
    "key_not_for_type": N_(
        "«%(key)s» kan ikke brukes på spørsmål av typen %(type)s; tillatte nøkler her er:"
        " %(allowed)s"
    ),
    "missing_key": N_("«%(key)s» mangler her og må være med"),
    "empty_value": N_("«%(key)s» har ingen verdi; skriv en verdi eller fjern linjen"),
    "empty_list": N_("listen «%(key)s» er tom; den må ha minst ett element"),
    "empty_text": N_("teksten i «%(key)s» er tom"),
    "missing_nb": N_("teksten i «%(key)s» mangler bokmål («nb»), som alltid må være med"),
    "invalid_language": N_(
        "«%(value)s» er ikke en språkkode; bruk to eller tre små bokstaver, som nb, nn, en"
        " eller sma"
    ),
    "languages_missing_nb": N_("«languages» må ha med nb (bokmål)"),
    "duplicate_list_value": N_("«%(value)s» står to ganger i «%(key)s»"),
    "expected_bool": N_("«%(key)s» skal være true eller false, ikke «%(value)s»"),
    "expected_number": N_(
        "«%(key)s» skal være et tall (for eksempel 5, -2 eller 2.5), ikke «%(value)s»"
    ),
    "expected_integer": N_("«%(key)s» skal være et helt tall, ikke «%(value)s»"),
    "invalid_id": N_(
        "«%(value)s» kan ikke brukes som id; bruk bare små bokstaver a–z (ikke æ, ø eller å),"
        " sifre og understrek (_), begynn med en bokstav, og bruk høyst 64 tegn"
    ),
    "reserved_id": N_(
        "«%(value)s» kan ikke brukes som id fordi ordet har en egen betydning i betingelser"
    ),
    "unknown_mode": N_(
        "ukjent modus «%(value)s»; bruk self (den som svarer fyller ut selv) eller interview"
        " (intervju)"
    ),
    "unknown_reporting_level": N_(
        "ukjent rapporteringsnivå «%(value)s»; bruk unit (hver DPS-enhet), area (DPS-område),"
        " trust (helseforetak) eller region (hele Trøndelag)"
    ),
    "unknown_question_type": N_("ukjent spørsmålstype «%(value)s»; tillatte typer er: %(allowed)s"),
    "unknown_question_type_suggestion": N_(
        "ukjent spørsmålstype «%(value)s»; mente du «%(suggestion)s»? Tillatte typer er:"
        " %(allowed)s"
    ),
    "duplicate_question_id": N_("spørsmålet «%(id)s» finnes allerede på linje %(other_line)s"),
    "duplicate_page_id": N_("siden «%(id)s» finnes allerede på linje %(other_line)s"),
    "duplicate_item_id": N_(
        "delspørsmålet «%(id)s» finnes allerede i denne matrisen, på linje %(other_line)s"
    ),
    "duplicate_choice_value": N_(
        "svarverdien «%(value)s» er allerede brukt på linje %(other_line)s"
    ),
    "exclusive_only_multiple": N_(
        "«exclusive» kan bare brukes i spørsmål av typen multiple_choice"
    ),
    "unknown_scale": N_("skalaen «%(name)s» finnes ikke; skalaer i denne filen: %(known)s"),
    "unknown_scale_suggestion": N_(
        "skalaen «%(name)s» finnes ikke; mente du «%(suggestion)s»? Skalaer i denne filen:"
        " %(known)s"
    ),
    "no_scales": N_("skalaen «%(name)s» finnes ikke; filen har ingen skalaer under «scales»"),
    "scale_mixed": N_("en skala skal ha enten «options» eller «from» og «to», ikke begge deler"),
    "scale_missing_options": N_("skalaen «%(id)s» trenger enten «options» eller «from» og «to»"),
    "scale_range_empty": N_("«from» (%(from)s) må være mindre enn «to» (%(to)s)"),
    "scale_range_too_long": N_(
        "en skala kan ha høyst %(limit)s trinn, men fra %(from)s til %(to)s blir det %(steps)s"
    ),
    "scale_label_outside": N_("%(value)s ligger utenfor skalaen, som går fra %(from)s til %(to)s"),
    "scale_value_not_number": N_(
        "skalaen er merket «numeric: true», men verdien «%(value)s» er ikke et tall"
    ),
    "min_greater_than_max": N_("«min» (%(min)s) er større enn «max» (%(max)s)"),
    "max_length_too_large": N_(
        "«max_length» kan være høyst %(limit)s for %(type)s, ikke %(value)s"
    ),
    "max_length_too_small": N_("«max_length» må være minst 1, ikke %(value)s"),
    # Conditions (show_if): how they are written
    "condition_empty": N_("betingelsen er tom"),
    "condition_too_long": N_("betingelsen er for lang (høyst %(limit)s tegn)"),
    "condition_too_deep": N_(
        "betingelsen har for mange parenteser eller «not» inni hverandre (høyst %(limit)s)"
    ),
    "condition_unexpected_char": N_(
        "tegnet «%(char)s» kan ikke brukes i en betingelse utenfor anførselstegn"
    ),
    "condition_use_word": N_("skriv «%(word)s» i stedet for «%(symbol)s»"),
    "condition_single_equals": N_("bruk «==» for å sammenligne, ikke «=»"),
    "condition_unclosed_string": N_("teksten i anførselstegn blir aldri avsluttet"),
    "condition_bad_number": N_(
        "«%(text)s» er ikke et gyldig tall; skriv for eksempel 5, -2 eller 2.5"
    ),
    "condition_number_too_large": N_("tallet «%(text)s» er for stort"),
    "condition_unexpected_end": N_(
        "betingelsen slutter for tidlig; det mangler noe etter «%(after)s»"
    ),
    "condition_expected_reference": N_(
        "her skal det stå id-en til et spørsmål, men det står «%(found)s»"
    ),
    "condition_expected_operator": N_(
        "etter «%(ref)s» skal det stå en sammenligning (==, !=, <, <=, >, >=, in eller not in),"
        " men det står «%(found)s»"
    ),
    "condition_expected_value": N_(
        "etter «%(op)s» skal det stå et tall eller en tekst i anførselstegn, men det står"
        " «%(found)s»"
    ),
    "condition_unquoted_value": N_('«%(found)s» må stå i anførselstegn, slik: "%(found)s"'),
    "condition_expected_list": N_(
        'etter «%(op)s» skal det stå en liste i hakeparenteser, som ["a", "b"]'
    ),
    "condition_expected_comma": N_(
        "verdiene i en liste skilles med komma, og listen avsluttes med «]»; her står «%(found)s»"
    ),
    "condition_empty_list": N_("listen er tom; skriv minst én verdi mellom [ og ]"),
    "condition_missing_close_paren": N_("en parentes som åpnes med «(», blir ikke lukket med «)»"),
    "condition_expected_open_paren": N_(
        "etter «answered» skal det stå en id i parentes, som answered(alder)"
    ),
    "condition_unexpected_token": N_(
        "«%(found)s» gir ikke mening her; betingelser bindes sammen med and, or og not"
    ),
    # Conditions (show_if): what they refer to
    "report_group_unknown": N_(
        "«report_groups» nevner «%(value)s», men skjemaet har ikke noe spørsmål med den id-en"
    ),
    "report_group_type": N_(
        "«%(value)s» kan ikke være en rapportgruppe: den er av typen «%(type)s»; bare "
        "single_choice og yes_no kan deles opp etter"
    ),
    "report_groups_too_many": N_("«report_groups» kan ha bare ett spørsmål foreløpig"),
    # Indicators
    "indicator_duplicate_id": N_(
        "indikatoren «%(id)s» finnes allerede (linje %(other_line)s); hver indikator må ha sin"
        " egen id"
    ),
    "indicator_item_unknown": N_(
        "indikatoren viser til «%(item)s», men skjemaet har ikke noe spørsmål med den id-en"
    ),
    "indicator_item_unknown_suggestion": N_(
        "indikatoren viser til «%(item)s», men skjemaet har ikke noe spørsmål med den id-en;"
        " mente du «%(suggestion)s»?"
    ),
    "indicator_item_matrix": N_(
        "«%(item)s» er en matrise; list opp delspørsmålene hver for seg, for eksempel «%(example)s»"
    ),
    "indicator_item_not_scale": N_(
        "«%(item)s» er av typen %(type)s; «combine: mean» kan bare bruke spørsmål med en"
        " tallskala (scale eller delspørsmål i en matrix)"
    ),
    "indicator_item_not_numeric": N_(
        "«%(item)s» bruker skalaen «%(scale)s», som ikke er en tallskala (numeric: false);"
        " «combine: mean» trenger tall"
    ),
    "indicator_share_item_type": N_(
        "«%(item)s» er av typen %(type)s; «combine: share» kan bruke single_choice, yes_no,"
        " scale eller delspørsmål i en matrix"
    ),
    "indicator_share_needs_values": N_(
        "«combine: share» trenger «values»: svarene som teller med, for eksempel [ja]"
    ),
    "indicator_values_not_for_mean": N_(
        "«values» brukes bare med «combine: share»; «combine: mean» bruker alle verdiene på skalaen"
    ),
    "indicator_value_unknown": N_(
        "«%(value)s» er ikke et av svaralternativene til «%(item)s»; gyldige verdier er:"
        " %(allowed)s"
    ),
    "indicator_share_different_options": N_(
        "«%(item)s» har andre svaralternativer enn «%(first)s»; en andel av flere spørsmål"
        " trenger spørsmål med de samme alternativene (for eksempel samme skala)"
    ),
    "indicator_combine_unknown": N_(
        "«combine» kan være «mean» (snittet av spørsmålenes skår 0–100) eller «share» (andelen"
        " som ga bestemte svar), ikke «%(value)s»"
    ),
    "condition_unknown_reference": N_(
        "betingelsen viser til «%(ref)s», men det finnes ikke noe spørsmål med den id-en"
    ),
    "condition_unknown_reference_suggestion": N_(
        "betingelsen viser til «%(ref)s», men det finnes ikke noe spørsmål med den id-en;"
        " mente du «%(suggestion)s»?"
    ),
    "condition_later_reference": N_(
        "betingelsen viser til «%(ref)s», som først kommer senere (linje %(other_line)s);"
        " en betingelse kan bare bruke svar på spørsmål som står før den"
    ),
    "condition_same_page_reference": N_(
        "betingelsen for siden viser til «%(ref)s», som står på den samme siden"
        " (linje %(other_line)s); en side kan bare avhenge av svar på tidligere sider"
    ),
    "condition_self_reference": N_("betingelsen viser til spørsmålet selv («%(ref)s»)"),
    "condition_info_reference": N_(
        "«%(ref)s» er en informasjonstekst og har ikke noe svar som en betingelse kan bruke"
    ),
    "condition_matrix_reference": N_(
        "«%(ref)s» er en matrise; vis til ett av delspørsmålene, for eksempel «%(example)s»"
    ),
    "condition_value_not_a_choice": N_(
        "«%(value)s» er ikke et av svaralternativene til «%(ref)s»; gyldige verdier er: %(allowed)s"
    ),
    "condition_value_not_number": N_(
        "«%(ref)s» er et tallspørsmål; sammenlign med et tall uten anførselstegn, ikke «%(value)s»"
    ),
    "condition_order_not_numeric": N_(
        "«%(op)s» kan bare brukes på tallspørsmål og tallskalaer, men «%(ref)s» er av typen"
        " %(type)s"
    ),
    "condition_order_needs_number": N_("etter «%(op)s» skal det stå et tall, ikke «%(value)s»"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, at a 1-based line and column; `code` picks the message."""

    file: str
    line: int
    col: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise ValueError(f"unknown problem code {self.code!r}")

    def __hash__(self) -> int:
        params = tuple(sorted((k, str(v)) for k, v in self.params.items()))
        return hash((self.file, self.line, self.col, self.code, params))

    @property
    def template(self) -> str:
        """The untranslated message template (the gettext msgid)."""
        return MESSAGES[self.code]

    @property
    def message(self) -> str:
        """The message in bokmål, with the parameters filled in."""
        return self.translate(lambda template: template)

    def translate(self, gettext: Callable[[str], str]) -> str:
        """The message in another language: `gettext` maps the template to its translation."""
        return gettext(self.template) % self.params

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class ConditionSyntaxError(ValueError):
    """A `show_if` expression that cannot be parsed; `offset` is 0-based in its source."""

    def __init__(self, code: str, params: dict[str, Any], offset: int) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown problem code {code!r}")
        self.code = code
        self.params = params
        self.offset = offset
        super().__init__(f"{offset}: {MESSAGES[code] % params}")

    @property
    def message(self) -> str:
        return MESSAGES[self.code] % self.params
