"""Chart labels are plain text: a name prints in a chart exactly as the text prints it."""

from __future__ import annotations

import re

from conftest import pdf_word_boxes

from reports.charts import population_chart, rating_chart
from reports.pages import Page
from reports.profiles import profile_named
from reports.typeset import typeset

NAMES = ["Costa $1$ Rica", r"Mauri\tius", "Ha_i^ti {x}"]


def _texts(svg: bytes) -> str:
    """The SVG without its comments (matplotlib repeats every label's source in one)."""
    return re.sub(r"<!--.*?-->", "", svg.decode("utf-8"), flags=re.S)


def test_dollar_signs_and_tex_characters_are_not_typeset_as_mathematics():
    svg = _texts(
        population_chart(
            NAMES,
            [5_000_000, 1_200_000, 11_000_000],
            [False, False, True],
            ["5,000,000", "1,200,000", "approx. 11 million"],
            "Population",
        ).svg
    )
    for name in NAMES:
        assert name.replace("&", "&amp;") in svg, name


def test_a_rating_label_with_dollars_draws_without_error():
    svg = _texts(rating_chart(["$$", "Relevance $x^2$", "Status quo", "Potential"], [1, 2, 3, 4], 1, 5, "Ratings").svg)
    assert "Relevance $x^2$" in svg and ">$$<" in svg.replace(" ", "")


def test_a_rating_chart_sets_long_labels_whole_left_of_their_bars(tmp_path):
    """The rating chart is drawn as SVG by hand (reports/charts.py): its label column is as wide as
    the longest label, so a long German question prints whole, inside the figure, before its bar."""
    labels = ["Kooperationsbereitschaft", "Relevanz", "Status quo", "Potenzial"]
    chart = rating_chart(labels, [2, 5, 3, 4], 1, 5, "Bewertungen")
    html = (
        '<meta name="dcterms.created" content="2023-06-30">'
        '<div style="margin-left: 40mm"><img src="chart:test.svg" alt="Bewertungen" style="width: 95mm"></div>'
    )
    pdf = tmp_path / "chart.pdf"
    pdf.write_bytes(typeset(Page(html, tmp_path, {"chart:test.svg": chart.svg}), profile_named("screen")))
    words = pdf_word_boxes(pdf, 1)
    figure_left = (22 + 40) * 72 / 25.4  # the page's left margin (styles/atlas.css) and the div's
    long_label = next(box for box in words if box[0] == "Kooperationsbereitschaft")
    assert figure_left - 0.5 <= long_label[1]  # not cut off at the figure's left edge
    # The value of its bar (2) and the scale's figures stand to the right of every label.
    labels_end = max(box[3] for box in words if box[0] in ("Kooperationsbereitschaft", "Relevanz", "quo", "Potenzial"))
    figures = [box for box in words if box[0] in {"1", "2", "3", "4", "5"}]
    assert len(figures) == 4 + 5  # four bar values, five marks of the scale
    assert all(box[1] > labels_end for box in figures)
