"""Charts in a web page: the same drawing as in print, inline, with the data it shows as a table.

A chart is drawn once for print and the web alike (reports/charts.py). In a page it stands inline, so
its text is set in the page's fonts; it is made to pass the site's Content-Security-Policy, which
allows no inline style: each declaration of a `style` attribute becomes the SVG presentation attribute
of the same name (matplotlib writes longhand properties only), and matplotlib's one <style> rule (line
joins and caps for every element) becomes the same attributes on the root, which its elements
inherit. Ids are kept only where something refers to them, prefixed with the chart's name, so two
charts on one page never share one.

The table beside it holds the very values the chart was drawn from (the arguments of its drawing
function), for readers who cannot see the chart and for those who want the figures.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from markupsafe import Markup

from ..charts import Chart, PlannedChart

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_REFERENCE = re.compile(r"url\(#([^)]+)\)")


@dataclass(frozen=True)
class ChartTable:
    head: list[str]  # the column headings; the first is the rows' heading
    rows: list[list[str]]


@dataclass(frozen=True)
class WebChart:
    svg: Markup
    alt: str
    table: ChartTable | None


def web_chart(chart: Chart | PlannedChart | None, head: list[str] | None = None) -> WebChart | None:
    """The chart as a page shows it; `head` names the table's columns, when it has one."""
    if chart is None:
        return None
    table = _table(chart, head) if head and isinstance(chart, PlannedChart) else None
    return WebChart(
        inline_svg(chart.svg, chart.name.removeprefix("chart:").removesuffix(".svg"), chart.alt), chart.alt, table
    )


def inline_svg(svg: bytes, name: str, alt: str) -> Markup:
    root = ET.fromstring(svg)
    for metadata in root.findall(f"{{{SVG}}}metadata"):
        root.remove(metadata)
    for defs in root.iter(f"{{{SVG}}}defs"):
        for rule in defs.findall(f"{{{SVG}}}style"):
            defs.remove(rule)
    referenced = {
        match for element in root.iter() for value in element.attrib.values() for match in _REFERENCE.findall(value)
    }
    referenced |= {
        value[1:]
        for element in root.iter()
        for key, value in element.attrib.items()
        if key.endswith("href") and value.startswith("#")
    }
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                if ":" in declaration:
                    prop, value = (part.strip() for part in declaration.split(":", 1))
                    element.set(prop, value)
        if "id" in element.attrib:
            if element.attrib["id"] in referenced:
                element.set("id", f"c{name}-{element.attrib['id']}")
            else:
                del element.attrib["id"]
        for key, value in list(element.attrib.items()):
            if "url(#" in value:
                element.set(key, _REFERENCE.sub(lambda m: f"url(#c{name}-{m[1]})", value))
            elif key.endswith("href") and value.startswith("#"):
                element.set(key, f"#c{name}-{value[1:]}")
    root.set("stroke-linejoin", "round")  # matplotlib's <style>: '*{stroke-linejoin: round; stroke-linecap: butt}'
    root.set("stroke-linecap", "butt")
    root.set("role", "img")
    root.set("aria-label", alt)
    root.set("class", "chart-drawing")
    # Registered here, not once: another library (WeasyPrint's SVG reader) may register the same
    # namespace under a prefix of its own meanwhile, and the page would show 'ns0:svg'.
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    return Markup(ET.tostring(root, encoding="unicode"))


def _table(chart: PlannedChart, head: list[str]) -> ChartTable:
    """The values the chart was drawn from, by the signature of its drawing function."""
    function, args, _ = chart.call
    if function == "rating_chart":  # labels, values
        labels, values = args[0], args[1]
        return ChartTable(head, [[label, str(value)] for label, value in zip(labels, values)])
    if function == "heatmap":  # rows, columns, values
        rows, columns, values = args[0], args[1], args[2]
        return ChartTable([head[0], *columns], [[row, *map(str, cells)] for row, cells in zip(rows, values)])
    if function == "population_chart":  # labels, values, approximate, value labels
        return ChartTable(head, [[label, figure] for label, figure in zip(args[0], args[3])])
    if function == "ranking_chart":  # labels, values, value labels
        return ChartTable(head, [[label, score] for label, score in zip(args[0], args[2])])
    raise ValueError(f"no table for a {function}")
