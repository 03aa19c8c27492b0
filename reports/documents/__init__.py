"""Documents: each kind picks its data from the atlas and names its template.

A Document is a plain description of one PDF to make; rendering it to HTML
and typesetting it are later stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..charts import Chart
from ..html import render_html


@dataclass
class Document:
    template: str
    language: str
    context: dict
    charts: list[Chart] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=lambda: ["atlas.css"])  # from styles/, in order

    def html(self) -> str:
        return render_html(self.template, self.language, **self.context)

    @property
    def resources(self) -> dict[str, bytes]:
        return {chart.name: chart.svg for chart in self.charts}
