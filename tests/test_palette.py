"""Issue 11: one palette for stylesheets and charts; in print, one ink is one CMYK separation."""

from __future__ import annotations

import re
from collections import defaultdict

import pikepdf
import pytest
from conftest import PROJECT

_DEVICE_CMYK = re.compile(r"--([\w-]+):\s*device-cmyk\(([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\)")


def _print_separations() -> dict[tuple[float, ...], str]:
    text = (PROJECT / "styles" / "print.css").read_text(encoding="utf-8")
    return {tuple(float(v) for v in match.groups()[1:]): match.group(1) for match in _DEVICE_CMYK.finditer(text)}


def _painted(pdf: pikepdf.Pdf) -> dict[str, set[tuple[float, ...]]]:
    """The CMYK fill colours the pages set text in ('text') and fill shapes with ('shapes'),
    charts (forms) included."""
    painted = defaultdict(set)

    def walk(owner, resources, depth=0):
        colour = None
        for operands, operator in pikepdf.parse_content_stream(owner):
            operator = str(operator)
            if operator in ("k", "sc", "scn") and len(operands) == 4:
                colour = tuple(float(value) for value in operands)
            elif operator in ("Tj", "TJ", "'", '"') and colour:
                painted["text"].add(colour)
            elif operator in ("f", "f*", "F", "b", "B", "b*", "B*") and colour:
                painted["shapes"].add(colour)
            elif operator == "Do" and depth < 10:
                form = resources.get("/XObject", {}).get(operands[0])
                if form is not None and form.get("/Subtype") == "/Form":
                    walk(form, form.get("/Resources", resources), depth + 1)

    for page in pdf.pages:
        walk(page.obj, page.resources)
    return painted


@pytest.fixture(scope="module")
def japan_print(japan_profiles):
    with pikepdf.open(japan_profiles["print"]) as pdf:
        yield _painted(pdf)


def test_text_and_chart_bars_print_the_ink_with_one_separation(japan_print):
    separations = _print_separations()
    ink = next(cmyk for cmyk, name in separations.items() if name == "ink")
    assert ink in japan_print["text"]  # headings
    assert ink in japan_print["shapes"]  # rules and the rating charts' bars
    # Any colour mixed from more than black ink is one of the palette's: no chart colour gets
    # a separation of its own (the charts' ink used to print as 0.674 0.389 0 0.627).
    mixed = {colour for colours in japan_print.values() for colour in colours if any(colour[:3])}
    assert mixed <= set(separations), sorted(mixed - set(separations))


def test_charts_paint_with_the_stylesheet_palette():
    from reports.charts import heatmap, ranking_chart, rating_chart

    css = (PROJECT / "styles" / "atlas.css").read_text(encoding="utf-8")
    palette = set(re.findall(r"--[\w-]+:\s*(#[0-9a-f]{6})", css))
    ink = re.search(r"--ink:\s*(#[0-9a-f]{6})", css).group(1)
    bars = rating_chart(["Relevance", "Willingness"], [4, 2], 1, 5, "alt").svg.decode()
    assert f"fill: {ink}" in bars
    # The heatmap shades ratings as tints of the ink (opacity), not as colours of their own.
    cells = heatmap(["Japan", "China"], ["Relevance", "Willingness"], [[1, 5], [3, 4]], 1, 5, "alt").svg.decode()
    # So does the ranking: a partner's bar is the ink, paler the lower its mean.
    ranked = ranking_chart(["Japan", "India"], [4.25, 1.5], ["4.3", "1.5"], 1, 5, "alt").svg.decode()
    tints = [float(tint) for tint in re.findall(rf"fill: {ink}; fill-opacity: ([\d.]+)", ranked)]
    assert len(tints) == 2 and 1 > tints[0] > tints[1] > 0
    for svg in (bars, cells, ranked):
        assert set(re.findall(r"(?:fill|stroke): (#[0-9a-f]{6})", svg)) <= palette | {"#ffffff"}
