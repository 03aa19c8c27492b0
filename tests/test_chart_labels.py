"""Chart labels are plain text: a name prints in a chart exactly as the text prints it."""

from __future__ import annotations

import re

from reports.charts import population_chart, rating_chart

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
