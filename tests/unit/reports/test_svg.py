"""Server-side SVG charts: accessible, escaped, hidden bars labelled «skjult», widths from
shares."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from surveyapp.reports import svg
from surveyapp.reports.model import (
    DECLINED,
    MISSING,
    TOTAL,
    Cell,
    Column,
    QuestionTable,
    Row,
    Statistic,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("class") == "bar"]


def table(rows: list[tuple[str, str, dict[str, Cell]]], statistics=None) -> QuestionTable:
    return QuestionTable(
        answer_id="rolle",
        question_id="rolle",
        text="Hvem svarer?",
        page="Om deg",
        kind="single_choice",
        multiple=False,
        rows=[Row(value, label, cells) for value, label, cells in rows],
        answered={"nidaros": 11, TOTAL: 18},
        statistics=statistics or {},
    )


COLUMNS = [Column("nidaros", "Nidaros DPS", 11), Column(TOTAL, "Trøndelag i alt", 18)]
ROLE = table(
    [
        ("pasient", "Pasient", {"nidaros": Cell(6, 0.545), TOTAL: Cell(13, 0.722)}),
        ("parorende", "Pårørende", {"nidaros": Cell(None, None), TOTAL: Cell(None, None)}),
        (DECLINED, "Vil ikke svare", {"nidaros": Cell(0, None), TOTAL: Cell(0, None)}),
        (MISSING, "Ikke besvart", {"nidaros": Cell(0, None), TOTAL: Cell(0, None)}),
    ]
)


def test_chart_is_an_image_named_by_its_title_and_description():
    root = parse(
        svg.bar_chart(
            [svg.Bar("Pasient", 40.0, "40 %")],
            chart_id="chart-1",
            title="Hvem svarer?",
            suppressed_label="skjult",
        )
    )
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-1-title chart-1-desc"
    title = root.find("svg:title", NS)
    assert title.get("id") == "chart-1-title" and title.text == "Hvem svarer?"
    assert root.find("svg:desc", NS).text == "Pasient: 40 %"


def test_chart_scales_to_its_container():
    root = parse(
        svg.bar_chart(
            [svg.Bar("Pasient", 40.0, "40 %")], chart_id="c", title="t", suppressed_label="x"
        )
    )
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 400 \d+", root.get("viewBox"))
    assert root.get("height") is None


def test_percentages_become_proportional_bar_widths():
    root = parse(
        svg.bar_chart(
            [svg.Bar("a", 0.0, "0 %"), svg.Bar("b", 50.0, "50 %"), svg.Bar("c", 100.0, "100 %")],
            chart_id="c",
            title="t",
            suppressed_label="x",
        )
    )
    widths = [float(bar.get("width")) for bar in bars(root)]
    area = svg.WIDTH - svg.VALUE_WIDTH
    assert widths == [0.0, area / 2, area]
    assert {"0 %", "50 %", "100 %"} <= set(texts(root))


def test_bar_width_stays_within_the_chart():
    area = svg.WIDTH - svg.VALUE_WIDTH
    assert svg.bar_width(150.0) == area
    assert svg.bar_width(-3.0) == 0.0
    assert svg.bar_width(2.5, maximum=5.0) == area / 2
    assert svg.bar_width(1.0, maximum=0) == 0.0


def test_suppressed_value_is_a_hatched_box_labelled_with_the_text_given():
    root = parse(
        svg.bar_chart(
            [svg.Bar("Pårørende", None, suppressed=True)],
            chart_id="c",
            title="t",
            suppressed_label="skjult",
        )
    )
    assert bars(root) == []
    box = next(r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("class"))
    assert box.get("class") == "suppressed"
    assert box.get("fill") == "url(#c-hatch)"
    assert root.find(".//svg:pattern", NS).get("id") == "c-hatch"
    assert "skjult" in texts(root)
    assert root.find("svg:desc", NS).text == "Pårørende: skjult"


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script> & co'
    markup = str(
        svg.grouped_bar_chart(
            [svg.Group(evil, [svg.Bar(evil, 10.0, evil)])],
            chart_id='"><script>',
            title=evil,
            suppressed_label=evil,
        )
    )
    assert "<script>" not in markup
    root = parse(markup)  # still well-formed XML
    assert evil in texts(root)
    assert root.find("svg:title", NS).text == evil
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", root.get("id"))


def test_long_labels_wrap_onto_several_lines():
    label = "Ble du tatt med på råd om behandlingen og om det som skulle skje etterpå?"
    root = parse(
        svg.bar_chart([svg.Bar(label, 10.0, "10 %")], chart_id="c", title="t", suppressed_label="x")
    )
    lines = [t for t in texts(root) if t not in ("10 %",)]
    assert len(lines) >= 2 and " ".join(lines) == label
    assert all(len(line) <= svg.WIDTH / svg.CHAR_WIDTH for line in lines)


def test_text_and_bars_have_enough_contrast_and_meaning_is_not_colour_alone():
    root = parse(svg.column_chart(ROLE, "nidaros", chart_id="c", title="t", suppressed_label="x"))
    assert root.get("fill") == "#1b1b1f"  # text on white: 16:1
    assert all(bar.get("fill") == "#0b5cad" for bar in bars(root))  # 6.3:1 on white
    assert {"Pasient", "Pårørende", "54.5\u00a0%"} <= set(texts(root))  # every bar is labelled


def test_column_chart_draws_the_options_of_one_column_and_skips_declined_and_missing():
    root = parse(
        svg.column_chart(ROLE, "nidaros", chart_id="c", title="t", suppressed_label="skjult")
    )
    assert root.find("svg:desc", NS).text == "Pasient: 54.5\u00a0%. Pårørende: skjult"
    assert [float(b.get("width")) for b in bars(root)] == [svg.bar_width(0.545, 1.0)]
    assert "Vil ikke svare" not in texts(root)


def test_comparison_chart_groups_the_columns_under_each_option():
    root = parse(
        svg.comparison_chart(
            ROLE,
            COLUMNS,
            chart_id="c",
            title="t",
            suppressed_label="skjult",
            format_percent=lambda p: f"{p * 100:.1f} prosent",
        )
    )
    assert root.find("svg:desc", NS).text == (
        "Pasient, Nidaros DPS: 54.5 prosent. Pasient, Trøndelag i alt: 72.2 prosent. "
        "Pårørende, Nidaros DPS: skjult. Pårørende, Trøndelag i alt: skjult"
    )
    headings = [
        t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("font-weight")
    ]
    assert headings == ["Pasient", "Pårørende"]


def test_mean_chart_draws_each_column_against_the_scale():
    scale = table(
        [],
        statistics={"nidaros": Statistic(2.5, 3.0), TOTAL: Statistic(None, None)},
    )
    root = parse(
        svg.mean_chart(
            scale, COLUMNS, chart_id="c", title="t", suppressed_label="skjult", maximum=5
        )
    )
    area = svg.WIDTH - svg.VALUE_WIDTH - svg.LABEL_WIDTH  # the unit names stand beside
    assert [float(b.get("width")) for b in bars(root)] == [area / 2]
    assert root.find("svg:desc", NS).text == "Nidaros DPS: 2.5. Trøndelag i alt: –"
    assert not any(r.get("class") == "suppressed" for r in root.iter(f"{{{NS['svg']}}}rect"))


def hidden_boxes(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{{{NS['svg']}}}rect") if r.get("class") == "suppressed"]


def test_a_hidden_mean_is_drawn_as_hidden_not_as_a_missing_bar():
    scale = table(
        [],
        statistics={
            "nidaros": Statistic(2.5, 3.0),
            TOTAL: Statistic(None, None, hidden=True, median_hidden=True),
        },
    )
    root = parse(
        svg.mean_chart(
            scale,
            COLUMNS,
            chart_id="c",
            title="t",
            suppressed_label="skjult",
            no_value_label="ikke noe gjennomsnitt",
            maximum=5,
        )
    )
    assert len(hidden_boxes(root)) == 1 and len(bars(root)) == 1
    assert "skjult" in texts(root) and "ikke noe gjennomsnitt" not in texts(root)
    assert root.find("svg:desc", NS).text == "Nidaros DPS: 2.5. Trøndelag i alt: skjult"


def test_a_share_whose_base_is_hidden_is_drawn_as_hidden():
    hidden_base = QuestionTable(
        **{
            **ROLE.__dict__,
            "rows": [Row("pasient", "Pasient", {"nidaros": Cell(6, None), TOTAL: Cell(13, 0.7)})],
            "answered": {"nidaros": None, TOTAL: 18},
        }
    )
    root = parse(
        svg.comparison_chart(
            hidden_base,
            COLUMNS,
            chart_id="c",
            title="t",
            suppressed_label="skjult",
            no_share_label="ingen svar",
        )
    )
    assert len(hidden_boxes(root)) == 1 and len(bars(root)) == 1
    assert root.find("svg:desc", NS).text == (
        "Pasient, Nidaros DPS: skjult. Pasient, Trøndelag i alt: 70.0\u00a0%"
    )


def test_no_chart_gives_a_hidden_figure_a_size():
    for markup in (
        svg.column_chart(ROLE, "nidaros", chart_id="c", title="t", suppressed_label="skjult"),
        svg.comparison_chart(ROLE, COLUMNS, chart_id="c", title="t", suppressed_label="skjult"),
    ):
        root = parse(markup)
        shown = " ".join([*texts(root), root.find("svg:desc", NS).text])
        assert "skjult" in shown
        assert not re.search(r"færre|fewer|<\s*\d|under \d", shown)


def test_a_count_without_a_share_is_not_drawn_as_suppressed():
    no_base = table([("pasient", "Pasient", {"nidaros": Cell(0, None)})])  # nobody answered
    root = parse(
        svg.column_chart(
            no_base,
            "nidaros",
            chart_id="c",
            title="t",
            suppressed_label="skjult",
            no_share_label="ingen svar",
        )
    )
    assert "skjult" not in texts(root) and "ingen svar" in texts(root)
    assert bars(root) == []
    assert not any(r.get("class") == "suppressed" for r in root.iter(f"{{{NS['svg']}}}rect"))
