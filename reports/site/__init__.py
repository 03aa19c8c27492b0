"""The web edition: the atlas as a static site, in every language, from the same data as the PDFs.

paths.py    one address scheme for every language: /en/countries/japan/rules-based-order/
pages.py    which pages there are and what each shows (the documents' own views of the data)
charts.py   a chart drawn for print, inlined in a page: its data as a table beside it
data.py     the edition's facts and ratings as CSV and JSON, and the search index
build.py    the whole site: pages, their PDFs (built by the pipeline), data, written in one step
server.py   `build.py serve --site`: the folder, served to this machine only
"""

from .build import SiteResult, build_site

__all__ = ["SiteResult", "build_site"]
