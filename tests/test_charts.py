"""meetings/templatetags/charts.py: server-rendered, accessible SVG bar charts."""

from decimal import Decimal
from xml.etree import ElementTree

from django.template import Context, Template
from django.utils import translation

from meetings.templatetags.charts import _nice_max, bar_chart, compact_number, format_number

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    # The inline SVG has no namespace declaration; add it to parse as XML.
    return ElementTree.fromstring(
        str(svg).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


def test_bar_chart_has_a_title_a_description_and_one_bar_per_point():
    svg = bar_chart([("I/2023", 2), ("II/2023", 0), ("III/2023", 5)], title="Hội nghị mỗi quý")
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Hội nghị mỗi quý"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert "III/2023: 5" in root.find(f"{SVG}desc").text
    bars = root.findall(f"{SVG}g")
    assert [b.find(f"{SVG}title").text for b in bars] == ["I/2023: 2", "II/2023: 0", "III/2023: 5"]
    heights = [float(b.find(f"{SVG}rect").get("height")) for b in bars]
    assert heights[1] == 0 and heights[2] > heights[0] > 0


def test_labels_and_titles_are_escaped():
    svg = str(bar_chart([("<script>", 1)], title="<b>x</b>", unit="<i>"))
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg
    parse(svg)


def test_empty_chart_is_still_valid_svg():
    root = parse(bar_chart([], title="Trống"))
    assert root.findall(f"{SVG}g") == []


def test_objects_decimals_and_none_values():
    class Point:
        def __init__(self, label, value):
            self.label, self.value = label, value

    root = parse(bar_chart([Point("a", Decimal("55000000000.0000")), Point("b", None)]))
    (bar,) = root.findall(f"{SVG}g")
    assert bar.find(f"{SVG}title").text in ("a: 55.000.000.000", "a: 55,000,000,000")


def test_many_bars_do_not_overprint_labels():
    root = parse(bar_chart([(f"Q{i}", i) for i in range(60)]))
    labels = root.findall(f".//{SVG}text[@class='label']")
    assert 0 < len(labels) < 60


def test_numbers_in_the_locale_format():
    with translation.override("en"):
        assert format_number(Decimal("55000000000.0000")) == "55,000,000,000"
        assert format_number(Decimal("12.5000")) == "12.5"
    with translation.override("vi"):
        assert format_number(Decimal("55000000000.0000")) == "55.000.000.000"
        assert format_number(Decimal("12.5000")) == "12,5"


def test_nice_axis_maximum():
    assert _nice_max(0) == 1
    assert _nice_max(7) == 8
    assert _nice_max(3) == 3
    assert _nice_max(120) == 150
    assert _nice_max(55e9) == 60e9
    assert _nice_max(0.3) == 1


def test_compact_numbers_for_axes():
    with translation.override("en"):
        assert compact_number(Decimal("55000000000")) == "55 bn"
        assert compact_number(1_500_000) == "1.5 m"
        assert compact_number(328) == "328"
        assert compact_number(0.5) == "0.5"
    with translation.override("vi"):
        assert compact_number(1_500_000).startswith("1,5")


def test_template_tag():
    html = Template('{% load charts %}{% bar_chart points title="T" %}').render(
        Context({"points": [("x", 1)]})
    )
    assert html.startswith('<svg class="chart"')
