"""The report pages: who may read them, filters, the workbook download and its audit entry,
and the same figures on the page as in the workbook."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.db.models import AuditEntry, User
from tests.helpers import signed_in, store_responses

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sign_in(app, db, role: str, username: str | None = None):
    return signed_in(app, db, role, username)


@pytest.fixture(autouse=True)
def later(monkeypatch):
    """Every response here is from 2026-H2; the reports are read after it has ended."""
    from surveyapp import periods

    monkeypatch.setattr(periods, "today", lambda: dt.date(2027, 1, 5))


@pytest.fixture
def data(app):
    """Nidaros: 6 patients and 5 next of kin; Tiller: 7 patients, 3 of them by interview."""
    store_responses(
        app,
        "nidaros",
        [{"rolle": ["pasient"], "mott": ["ja"]}] * 6
        + [{"rolle": ["parorende"], "mott": ["nei"]}] * 5,
        day=dt.date(2026, 11, 2),
    )
    store_responses(app, "tiller", [{"rolle": ["pasient"], "mott": ["ja"]}] * 4)
    store_responses(app, "tiller", [{"rolle": ["pasient"], "mott": ["nei"]}] * 3, mode="interview")


@pytest.fixture
def analyst(app, db):
    return sign_in(app, db, "analyst")


class _Tables(HTMLParser):
    """The tables of a page as a user reads them: caption and the text of every cell."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = _words("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(_words("".join(self._cell)))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _words(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def page_tables(html: str) -> list[dict]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def table_about(html: str, question: str) -> list[list[str]]:
    return next(t["rows"] for t in page_tables(html) if t["caption"].endswith(f": {question}"))


def test_analyst_lists_the_questionnaires_and_opens_the_comparison(analyst, data):
    listing = analyst.get("/rapporter/").get_data(True)
    assert 'href="/rapporter/flyt"' in listing and "Testskjema" in listing
    response = analyst.get("/rapporter/flyt")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(True)
    responses = next(
        t["rows"] for t in page_tables(page) if "Antall svar per enhet" in t["caption"]
    )
    assert responses[1:] == [["Nidaros DPS", "11"], ["Tiller DPS", "7"], ["Trøndelag i alt", "18"]]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
    assert 'role="img"' in page
    assert "Halvåret 2026-H2" in page


def test_comparison_shows_counts_and_percentages_per_column(analyst, data):
    rows = table_about(analyst.get("/rapporter/flyt").get_data(True), "Hvem svarer?")
    assert rows[0] == ["Svar", "Nidaros DPS", "Tiller DPS", "Trøndelag i alt"]
    below, above = "▼, klart under resten av Trøndelag", "▲, klart over resten av Trøndelag"
    # 6 of 11 patients at Nidaros against 7 of 7 at Tiller: clear at the 5 % level
    assert rows[1] == ["Pasient", f"6 (54,5 %) {below}", f"7 (100,0 %) {above}", "13 (72,2 %)"]
    assert rows[2] == ["Pårørende", f"5 (45,5 %) {above}", f"0 (0,0 %) {below}", "5 (27,8 %)"]


SIZE_CLAIM = re.compile(r"færre enn|fewer than|mindre enn|&lt;\s*\d|<\s*\d")


@pytest.fixture
def hidden(app):
    """Nidaros: 2 next of kin (hidden, and the patients with them) and 1 who rated the help
    5 (hidden, and the mean with it: 5 × «1» and 0 or 1 × «5» give means 1 and 1,67, apart
    even without decimals; the median is 1 either way, and shown)."""
    store_responses(
        app,
        "nidaros",
        [{"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["1"]}] * 5
        + [{"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["5"]}]
        + [{"rolle": ["parorende"], "mott": ["nei"]}] * 2,
    )


@pytest.fixture
def rounded(app):
    """Nidaros: 6 rated the help 4 and 2 rated it 5 (hidden). The mean 4,25 would pin the
    «5»s, but 0, 1 or 2 of them all give a mean of 4 without decimals, and a median of 4."""
    store_responses(
        app,
        "nidaros",
        [{"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["4"]}] * 6
        + [{"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["5"]}] * 2
        + [{"rolle": ["parorende"], "mott": ["nei"]}] * 2,
    )
    store_responses(app, "tiller", [{"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["3"]}] * 6)


def test_hidden_figures_say_skjult_and_why_and_nothing_about_their_size(analyst, hidden):
    page = analyst.get("/rapporter/flyt").get_data(True)
    rows = table_about(page, "Hvem svarer?")
    assert rows[2][1] == "skjult"
    assert "«skjult»: tallet er skjult for å verne anonymiteten." in page
    assert "noen større tall er skjult i tillegg" in page
    assert ">skjult</text>" in page  # the chart's hidden bar is labelled
    assert 'class="suppressed"' in page  # and drawn as hidden, not as an empty bar
    mean = next(r for r in table_about(page, "Hvor mye hjalp det?") if r[0] == "Gjennomsnitt")
    assert mean[1] == "skjult"
    assert not SIZE_CLAIM.search(page)


def test_a_units_page_says_skjult_for_hidden_counts_shares_and_means(analyst, hidden):
    page = analyst.get("/rapporter/flyt/enhet/nidaros").get_data(True)
    rows = {r[0]: r[1:3] for r in table_about(page, "Hvem svarer?")}
    assert rows["Pårørende"] == ["skjult", "skjult"]
    help_rows = {r[0]: r[1:] for r in table_about(page, "Hvor mye hjalp det?")}
    assert help_rows["Gjennomsnitt"][0] == "skjult"
    assert help_rows["Median"][0] == "1,0"  # every table the shown counts allow has it
    assert ">skjult</text>" in page and 'class="suppressed"' in page
    assert "«skjult»: tallet er skjult for å verne anonymiteten." in page
    assert not SIZE_CLAIM.search(page)


def test_the_downloaded_workbook_says_skjult_in_cells_and_chart_labels(analyst, hidden):
    workbook = load_workbook(BytesIO(analyst.get("/rapporter/flyt/excel").data))
    sheet = workbook["Nidaros"]  # the registry's short name
    rows = {r[0]: r[1:3] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows["Pårørende (skjult)"] == ("skjult", "skjult")
    assert rows["Gjennomsnitt"][0] == "skjult"
    assert rows["Median"][0] == 1
    labels = []
    for chart in sheet._charts:
        reference = chart.series[0].cat.numRef.f.split("!")[1].replace("$", "")
        labels += [cell.value for (cell,) in sheet[reference]]
    assert "Pårørende (skjult)" in labels
    for ws in workbook.worksheets[1:-2]:  # the sheets with figures
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and SIZE_CLAIM.search(value)), value


def test_a_mean_that_would_pin_a_count_is_shown_without_decimals(analyst, rounded):
    page = analyst.get("/rapporter/flyt/enhet/nidaros").get_data(True)
    help_rows = {r[0]: r[1:] for r in table_about(page, "Hvor mye hjalp det?")}
    assert help_rows["I svært stor grad"][0] == "skjult"
    assert help_rows["Gjennomsnitt"][0] == "4"  # not 4,25, nor 4,3
    assert help_rows["Median"][0] == "4,0"
    assert "Et gjennomsnitt uten desimal er rundet av til et helt tall" in page
    # Tiller's own mean (3,0) has its decimal: its page has no such note
    tiller = analyst.get("/rapporter/flyt/enhet/tiller").get_data(True)
    assert "Gjennomsnitt" in tiller and "rundet av" not in tiller
    comparison = analyst.get("/rapporter/flyt").get_data(True)
    mean = next(r for r in table_about(comparison, "Hvor mye hjalp det?") if r[0] == "Gjennomsnitt")
    assert mean[1].startswith("4 ") or mean[1] == "4"
    workbook = load_workbook(BytesIO(analyst.get("/rapporter/flyt/excel").data))
    cells = {r[0].value: r[1] for r in workbook["Nidaros"].iter_rows() if r[0].value}
    assert (cells["Gjennomsnitt"].value, cells["Gjennomsnitt"].number_format) == (4, "0")
    assert cells["Median"].value == 4


def test_unit_page_shows_one_column_with_a_chart_per_question(analyst, data):
    response = analyst.get("/rapporter/flyt/enhet/nidaros")
    assert response.status_code == 200
    page = response.get_data(True)
    assert "<h1>Nidaros DPS</h1>" in page
    rows = table_about(page, "Hvem svarer?")
    assert rows[0] == ["Svar", "Antall", "Prosent", "95 % KI"]
    assert rows[1][:3] == ["Pasient", "6", "54,5 %"]
    assert page.count('role="img"') >= 2
    assert analyst.get("/rapporter/flyt/enhet/_total").status_code == 200
    assert analyst.get("/rapporter/flyt/enhet/orkdal").status_code == 404  # no responses


def test_unknown_questionnaire_is_not_found(analyst):
    assert analyst.get("/rapporter/finnes-ikke").status_code == 404
    assert analyst.get("/rapporter/finnes-ikke/excel").status_code == 404


@pytest.mark.parametrize("role", ["interviewer", None])
def test_interviewers_and_visitors_see_no_reports(app, db, data, role):
    client = sign_in(app, db, role) if role else app.test_client()
    for path in ("/rapporter/", "/rapporter/flyt", "/rapporter/flyt/enhet/nidaros"):
        assert client.get(path).status_code == (403 if role else 302)
    assert client.get("/rapporter/flyt/excel").status_code == (403 if role else 302)
    assert db.scalar(select(AuditEntry)) is None


def test_front_page_offers_reports_to_analysts(analyst, app, db):
    assert 'href="/rapporter/"' in analyst.get("/").get_data(True)
    interviewer = sign_in(app, db, "interviewer")
    assert 'href="/rapporter/"' not in interviewer.get("/").get_data(True)


def test_filters_narrow_the_report_and_are_described(analyst, data):
    page = analyst.get("/rapporter/flyt?modus=interview").get_data(True)
    assert "Halvåret 2026-H2; bare intervjuer" in page
    responses = next(
        t["rows"] for t in page_tables(page) if "Antall svar per enhet" in t["caption"]
    )
    assert ["Nidaros DPS", "11"] not in responses  # nobody at Nidaros by interview: not shown

    page = analyst.get("/rapporter/flyt?periode=2026-H2").get_data(True)
    assert "Halvåret 2026-H2" in page

    page = analyst.get("/rapporter/flyt?gruppe=rolle:pasient").get_data(True)
    assert "bare de som svarte «Pasient» på «Hvem svarer?»" in page
    assert table_about(page, "Hvem svarer?")[1][1:3] == ["6 (100,0 %)", "7 (100,0 %)"]


def test_filter_form_keeps_the_choices_and_the_download_link_carries_them(analyst, data):
    page = analyst.get("/rapporter/flyt?modus=self&gruppe=rolle:pasient").get_data(True)
    assert re.search(r'value="self"\s+checked', page)
    assert re.search(r'value="rolle:pasient"\s+selected', page)
    assert re.search(r'value="2026-H2"\s+selected', page)
    assert 'href="/rapporter/flyt/excel?modus=self&amp;gruppe=rolle:pasient"' in page


def test_bad_filters_are_refused_with_a_message_and_no_figures(analyst, data):
    response = analyst.get("/rapporter/flyt?fra=24.11.2026&modus=fly&versjon=x&gruppe=rolle:ukjent")
    assert response.status_code == 400
    page = response.get_data(True)
    assert "Filteret kunne ikke brukes" in page
    assert "kan ikke lenger avgrenses med datoer eller skjemaversjoner («fra»)" in page
    assert "kan ikke lenger avgrenses med datoer eller skjemaversjoner («versjon»)" in page
    assert "Velg svarmåte fra listen." in page
    assert "Velg en gruppe fra listen." in page
    assert not any("Hvem svarer?" in t["caption"] for t in page_tables(page))  # no figures


def test_a_period_is_a_half_year_that_exists(analyst, data):
    page = analyst.get("/rapporter/flyt?periode=2026-11").get_data(True)
    assert "Perioden må være et halvår, for eksempel 2026-H1 eller 2026-H2." in page
    page = analyst.get("/rapporter/flyt?periode=2020-H1").get_data(True)
    assert "Velg en periode fra listen." in page


def test_a_running_period_shows_only_rounded_progress_and_when_it_is_published(
    analyst, data, monkeypatch
):
    from surveyapp import periods

    monkeypatch.setattr(periods, "today", lambda: dt.date(2026, 12, 1))
    page = analyst.get("/rapporter/flyt").get_data(True)
    assert "Innsamlingen pågår" in page
    assert "2027-01-01" in page
    rows = next(t["rows"] for t in page_tables(page) if "Svar så langt" in t["caption"])
    assert ["Nidaros DPS", "minst 10"] in rows and ["Tiller DPS", "minst 5"] in rows
    assert not any("Hvem svarer?" in t["caption"] for t in page_tables(page))
    response = analyst.get("/rapporter/flyt/excel")
    assert response.status_code == 303


def test_download_is_a_workbook_and_writes_one_audit_entry(analyst, data, db):
    response = analyst.get("/rapporter/flyt/excel?modus=self&gruppe=rolle:pasient")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    disposition = response.headers["Content-Disposition"]
    assert "filename=brukerstemmen-flyt-" in disposition
    assert disposition.startswith("attachment")
    load_workbook(BytesIO(response.data))  # a real workbook

    entries = db.scalars(select(AuditEntry)).all()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.username, entry.action, entry.questionnaire_id) == (
        "analyst",
        "download-workbook",
        "flyt",
    )
    assert entry.user_id == db.scalar(select(User.id).where(User.username == "analyst"))
    details = json.loads(entry.details)
    assert details == {"periode": "2026-H2", "modus": "self", "gruppe": "rolle:pasient"}


def test_download_with_bad_filters_sends_back_to_the_page_and_logs_nothing(analyst, data, db):
    response = analyst.get("/rapporter/flyt/excel?fra=2026-11-01&modus=self")
    assert response.status_code == 303
    assert response.headers["Location"] == "/rapporter/flyt?fra=2026-11-01&modus=self"
    assert db.scalar(select(AuditEntry)) is None


def test_admin_log_lists_downloads_newest_first(app, db, analyst, data):
    analyst.get("/rapporter/flyt/excel")
    analyst.get("/rapporter/flyt/excel?modus=interview&periode=2026-H2")
    admin = sign_in(app, db, "admin")
    response = admin.get("/admin/logg")
    assert response.status_code == 200
    rows = page_tables(response.get_data(True))[0]["rows"]
    assert rows[0] == ["Når", "Hvem", "Hva", "Skjema", "Detaljer"]
    assert rows[1][1:] == [
        "analyst",
        "Lastet ned regneark",
        "Testskjema",
        "Halvåret 2026-H2; bare intervjuer",
    ]
    assert rows[2][1:] == ["analyst", "Lastet ned regneark", "Testskjema", "Halvåret 2026-H2"]
    assert analyst.get("/admin/logg").status_code == 403


def entries(db) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_a_comparison_view_writes_one_audit_entry_with_its_filters(analyst, data, db):
    assert analyst.get("/rapporter/flyt?modus=self&gruppe=rolle:pasient").status_code == 200
    [entry] = entries(db)
    assert (entry.username, entry.action, entry.questionnaire_id) == (
        "analyst",
        "view-comparison",
        "flyt",
    )
    assert entry.user_id == db.scalar(select(User.id).where(User.username == "analyst"))
    # the period shown is logged also when the page picked it (the newest ended half-year)
    assert json.loads(entry.details) == {
        "periode": "2026-H2",
        "modus": "self",
        "gruppe": "rolle:pasient",
    }


def test_a_unit_page_view_writes_one_audit_entry_with_the_unit_and_its_filters(analyst, data, db):
    assert analyst.get("/rapporter/flyt/enhet/nidaros?periode=2026-H2").status_code == 200
    [entry] = entries(db)
    assert (entry.username, entry.action, entry.questionnaire_id) == (
        "analyst",
        "view-unit",
        "flyt",
    )
    assert json.loads(entry.details) == {"periode": "2026-H2", "enhet": "nidaros"}


def test_a_refused_view_shows_no_figures_and_logs_no_release(analyst, data, db):
    response = analyst.get("/rapporter/flyt?periode=i-gaar")
    assert response.status_code == 400
    assert page_tables(response.get_data(True)) == []
    assert entries(db) == []


def test_a_wrong_role_sees_nothing_and_writes_nothing_to_the_audit_log(app, db, data):
    interviewer = sign_in(app, db, "interviewer")
    for url in ("/rapporter/flyt", "/rapporter/flyt/enhet/nidaros", "/rapporter/flyt/excel"):
        assert interviewer.get(url).status_code == 403
        assert app.test_client().get(url).status_code in (302, 401)
    assert entries(db) == []


def test_a_unit_that_is_not_shown_writes_nothing(analyst, data, db):
    assert analyst.get("/rapporter/flyt/enhet/orkdal").status_code == 404
    assert entries(db) == []


def test_admin_log_lists_views_downloads_and_exports_in_words(app, db, analyst, data, runner):
    analyst.get("/rapporter/flyt?modus=self")
    analyst.get("/rapporter/flyt/enhet/tiller")
    result = runner.invoke(args=["export", "--questionnaire", "flyt", "--mode", "interview"])
    assert result.exit_code == 0, result.output
    admin = sign_in(app, db, "admin")
    rows = page_tables(admin.get("/admin/logg").get_data(True))[0]["rows"]
    [export_row, unit_row, comparison_row] = rows[1:]
    assert export_row[1].startswith("cli:")
    assert export_row[2].startswith("Eksporterte regneark Fil: ")
    assert export_row[3:] == ["Testskjema", "Halvåret 2026-H2; bare intervjuer"]
    assert unit_row[1:] == [
        "analyst",
        "Så en enhets side Enhet: Tiller DPS",
        "Testskjema",
        "Halvåret 2026-H2",
    ]
    assert comparison_row[1:] == [
        "analyst",
        "Så sammenligningen",
        "Testskjema",
        "Halvåret 2026-H2; bare svar på egen hånd",
    ]


def test_page_and_workbook_show_the_same_figures(analyst, data, app):
    store_responses(app, "orkdal", [{"rolle": ["pasient"], "mott": ["ja"]}] * 3)  # pooled: too few
    store_responses(app, "stjordal", [{"rolle": ["parorende"], "mott": ["ja"]}] * 2)
    page = analyst.get("/rapporter/flyt").get_data(True)
    workbook = load_workbook(BytesIO(analyst.get("/rapporter/flyt/excel").data))
    compared = 0
    for question in ("Hvem svarer?", "Har du møtt en erfaringskonsulent?"):
        rows = table_about(page, question)
        columns = rows[0][1:]
        for row in rows[1:]:
            if row[0] in ("Svarte på spørsmålet", "Gjennomsnitt", "Median"):
                continue
            for column, shown in zip(columns, row[1:], strict=True):
                assert shown == workbook_figure(sheet_of(workbook, column), question, row[0]), (
                    question,
                    row[0],
                    column,
                )
                compared += 1
    assert compared >= 12


def sheet_of(workbook, label: str):
    """A column's sheet: named by the unit's short name, titled with its full name."""
    return next(ws for ws in workbook.worksheets[1:-3] if ws["A1"].value == label)


def workbook_figure(sheet, question: str, answer: str) -> str:
    """A figure on a column's sheet, written as the page writes it."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(
        i for i, r in enumerate(rows) if isinstance(r[0], str) and r[0].startswith(question)
    )
    for label, count, share, *_ in rows[start + 1 :]:
        if label in (answer, f"{answer} (skjult)"):  # a hidden option's label says so
            if isinstance(count, str):
                return count  # "skjult"
            if share == "skjult":
                return f"{count} (skjult)"
            if share is None:
                return str(count)
            percent = f"{share * 100:.1f}".replace(".", ",")
            return f"{count} ({percent} %)"
    raise AssertionError(f"{answer!r} not under {question!r} on {sheet.title}")


def test_pages_are_sent_compressed_to_browsers_that_accept_it(analyst, data):
    import gzip

    plain = analyst.get("/rapporter/flyt", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    packed = analyst.get("/rapporter/flyt", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    page = gzip.decompress(packed.data).decode()
    assert "Nidaros DPS" in page and len(packed.data) < len(plain.data) / 3
    download = analyst.get("/rapporter/flyt/excel", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in download.headers  # a workbook is compressed already


def test_an_ended_periods_report_is_built_once_until_its_data_change(
    analyst, data, app, db, monkeypatch
):
    from surveyapp.db.models import Answer
    from surveyapp.web import reports as views

    built = []  # the Reports built of the ended period (the running one's progress is cheap)
    real = views.build_report

    def counted(*args, **kwargs):
        if kwargs["filters"].period != "2027-H1":
            built.append(kwargs["filters"])
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "build_report", counted)
    views._reports.clear()
    first = page_tables(analyst.get("/rapporter/flyt").get_data(True))
    assert page_tables(analyst.get("/rapporter/flyt").get_data(True)) == first
    assert analyst.get("/rapporter/flyt/enhet/nidaros").status_code == 200
    assert len(built) == 1  # the comparison, again, and a unit's page: one Report
    store_responses(app, "nidaros", [{"rolle": ["pasient"], "bra": ["Fint her"]}])
    rows = table_about(analyst.get("/rapporter/flyt").get_data(True), "Hvem svarer?")
    assert rows[1][1].startswith("7 ")  # the new response counts at once
    assert len(built) == 2
    answer = db.scalar(select(Answer).where(Answer.value == "Fint her"))
    answer.review = "approved"
    db.commit()
    page = analyst.get("/rapporter/flyt").get_data(True)
    assert "Fint her" in page
    assert "Tekster til et oppfølgingsspørsmål vises bare for enheter der tabellen viser" in page
    assert len(built) == 3


def test_the_summary_and_a_list_of_the_questions_come_before_the_questions(analyst, data):
    page = analyst.get("/rapporter/flyt").get_data(True)
    summary = page.index('id="summary-heading"')
    contents = page.index('id="contents-heading"')
    assert summary < contents < page.index('id="question-1"')
    questions = re.findall(r'<h3 id="(question-\d+)">', page)
    links = re.findall(r'<a href="#(question-\d+)">', page)
    assert questions and links == questions
    # one chart per question, comparing the units
    assert page.count('class="chart"') == len(questions)


def test_a_running_period_shows_its_fieldwork_beside_the_ended_one(analyst, data, app):
    store_responses(app, "tiller", [{"rolle": ["pasient"]}] * 6, day=dt.date(2027, 1, 3))
    page = analyst.get("/rapporter/flyt").get_data(True)
    assert "Halvåret 2026-H2" in page  # the figures of the ended period
    fieldwork = next(t["rows"] for t in page_tables(page) if "rundet ned" in t["caption"])
    assert ["Tiller DPS", "minst 5"] in fieldwork


def test_the_downloaded_workbook_names_the_publisher(analyst, data, app):
    app.config["PUBLISHER"] = "Helsepolitisk forum i Trondheim"
    workbook = load_workbook(BytesIO(analyst.get("/rapporter/flyt/excel").data))
    rows = [r[:2] for r in workbook["Sammendrag"].iter_rows(values_only=True)]
    assert ("Utgitt av", "Helsepolitisk forum i Trondheim") in rows


def test_the_patient_questionnaires_indicators_lead_the_comparison_and_the_unit_page(
    analyst, app, db
):
    from surveyapp.demo import fill_demo_data

    fill_demo_data(db, "pasient", 300, seed=3, today=dt.date(2026, 12, 20))
    db.commit()
    # the demo data fill the two periods that ended before the day given
    page = analyst.get("/rapporter/pasient?periode=2026-H1").get_data(True)
    summary = next(t for t in page_tables(page) if "indikatorer (0–100)" in t["caption"])
    header = summary["rows"][0]
    assert header[:2] == ["Enhet", "Svar"] and len(header) > 3  # one column per indicator
    figures = [cell for row in summary["rows"][1:] for cell in row[2:]]
    # a score with its interval, «skjult», or a dash: nothing else
    assert all(re.fullmatch(r"\d+ \(\d+–\d+\)( [▲▼],.*)?|skjult|–ingen svar", f) for f in figures)
    assert any("(" in f for f in figures)
    assert page.count('class="interval"') > 0  # intervals drawn in the charts
    assert page.index('id="summary-heading"') < page.index('id="question-1"')
    unit = re.search(r'href="(/rapporter/pasient/enhet/[a-z]+)', page).group(1)
    unit_page = analyst.get(f"{unit}?periode=2026-H1").get_data(True)
    assert "Indikatorer (0–100) ved" in unit_page
    assert any(t["rows"][0][-1] == "95 % KI" for t in page_tables(unit_page))


def test_the_comparison_offers_the_levels_and_shows_a_unit_level_view_per_area(analyst, data):
    """Issue 13 item 5: the filter form offers every level the questionnaire may be shown at;
    an area's column is a sum of its units, protected in the same system."""
    page = analyst.get("/rapporter/flyt").get_data(True)
    for word in ("enhet", "område", "foretak", "trondelag"):
        assert f'<option value="{word}"' in page
    by_area = analyst.get("/rapporter/flyt?nivå=område")
    assert by_area.status_code == 200
    html = by_area.get_data(True)
    assert "Per DPS-område" in html
    headers = [" ".join(table["rows"][0]) for table in page_tables(html) if table["rows"]]
    assert any("DPS-området Nidelv" in h for h in headers)  # Tiller's area
    assert not any("Tiller DPS" in h for h in headers)


def test_a_level_that_is_not_a_level_is_refused_with_the_accepted_words(analyst, data, db):
    response = analyst.get("/rapporter/flyt?nivå=kommune")
    html = response.get_data(True)
    assert "Filteret kunne ikke brukes" in html
    assert "enhet, område, foretak, trondelag" in html
    assert entries(db) == []  # nothing was shown, so nothing released


def test_protect_decides_every_ended_period_ahead_of_the_first_view(app, data, runner):
    from surveyapp.reports import publication

    publication.clear_cache()
    result = runner.invoke(args=["protect"])
    assert result.exit_code == 0, result.output
    assert "flyt, 2026-H2: beregnet" in result.output
    with publication._lock:
        assert any(key[0] == "flyt" and key[1].id == "2026-H2" for key in publication._cache)


def test_protect_with_nothing_ended_says_so(app, runner):
    result = runner.invoke(args=["protect"])
    assert result.exit_code == 0
    assert "Ingen halvår er over ennå" in result.output


def test_export_takes_a_level_and_refuses_a_word_it_does_not_know(app, data, runner):
    result = runner.invoke(args=["export", "--questionnaire", "flyt", "--level", "foretak"])
    assert result.exit_code == 0, result.output
    wrong = runner.invoke(args=["export", "--questionnaire", "flyt", "--level", "kommune"])
    assert wrong.exit_code != 0
    assert "enhet, område, foretak, trondelag" in wrong.output
