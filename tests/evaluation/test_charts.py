"""Charts: valid, accessible, deterministic SVG, and calm with no data."""

import threading
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.utils import translation

from isa.evaluation.charts import change_categories_svg, distribution_svg, trajectory_svg
from isa.evaluation.instruments import get_instrument

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def who5():
    return get_instrument("who5").primary


def parse(svg):
    assert not svg.startswith("<?xml") and svg.startswith("<svg")
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox")
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<dc:date>" not in svg
    return root, title.text, desc.text


def charts(score):
    return [
        trajectory_svg(
            [(date(2025, 1, 10), 40), (date(2025, 4, 2), None), (date(2025, 6, 3), 56)], score=score
        ),
        distribution_svg([40, 32, 60, 48], [52, 40, 56, 48], score=score),
        change_categories_svg(5, 6, 1),
    ]


def test_charts_are_valid_accessible_svg(who5):
    with translation.override("en"):
        trajectory, distribution, categories = (parse(svg) for svg in charts(who5))
    assert trajectory[1] == "Well-being (0–100)"
    assert trajectory[2] == "Well-being (0–100) over time. 10.01.2025: 40; 03.06.2025: 56."
    assert distribution[2] == (
        "Well-being (0–100) of 4 people, before and after. Median before 44, median after 50."
    )
    assert categories[2] == ("Of 12 people: 5 improved, 6 no reliable change, 1 deteriorated.")


def test_charts_are_deterministic(who5):
    with translation.override("en"):
        first, second = charts(who5), charts(who5)
    assert first == second


def test_rendering_from_several_threads_gives_the_same_bytes(who5):
    with translation.override("en"):
        expected = charts(who5)
    results = []

    def work():
        with translation.override("en"):
            results.append(charts(who5))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


def test_empty_data_gives_a_calm_chart(who5):
    with translation.override("en"):
        for svg in (
            trajectory_svg([], score=who5),
            trajectory_svg([(date(2025, 1, 1), None)], score=who5),
            distribution_svg([], [], score=who5),
            distribution_svg([40, None], [None, 50], score=who5),
            change_categories_svg(0, 0, 0),
        ):
            _root, _title, desc = parse(svg)
            assert "no" in desc.lower()


def test_single_points_and_scores_without_bands():
    gse = get_instrument("gse").primary
    djg = get_instrument("djg6").primary
    parse(trajectory_svg([(date(2025, 1, 10), 31.428571)], score=gse, title="GSE"))
    parse(distribution_svg([5], [3], score=djg))
    parse(change_categories_svg(0, 3, 0, title="<Loneliness & co>"))


def test_titles_are_escaped():
    _root, title, _desc = parse(change_categories_svg(1, 1, 1, title="<b>A & B</b>"))
    assert title == "<b>A & B</b>"


def test_labels_follow_the_active_language(who5):
    with translation.override("de"):
        _root, title, _desc = parse(trajectory_svg([(date(2025, 1, 10), 40)], score=who5))
    assert title == "Wohlbefinden (0–100)"


def test_text_from_a_questionnaire_file_cannot_inject_markup(who5):
    # The app inserts the SVG as safe HTML: titles and labels must come out escaped.
    nasty = "--><script>alert(1)</script><!--"
    for svg in (
        trajectory_svg([(date(2025, 1, 1), 40)], score=who5, title=nasty),
        distribution_svg([40], [44], score=who5, title=nasty),
        change_categories_svg(1, 2, 3, title=nasty),
    ):
        assert "<script" not in svg
        parse(svg)
