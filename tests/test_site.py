"""The web edition as a reader gets it: `build.py site` on the sample data, its pages read back as
HTML, every link followed, its PDFs and data opened, and the pages loaded in a real browser (headless
chromium), searched, printed and checked with axe-core."""

from __future__ import annotations

import csv
import http.client
import io
import json
import multiprocessing
import posixpath
import re
import shutil
import signal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
import yaml
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from reports import BuildOptions, CountryDossier, make_pdf
from reports.collation import sort_key
from reports.inputs import Inputs
from reports.loader import load_atlas
from reports.pipeline import cached_pdf
from reports.site.build import language_pages, make_site, pdf_options, site_languages, static_files
from tests.conftest import DATA, EDITION, run_main
from tests.live import LiveCommand, headless_chromium

ATLAS = yaml.safe_load((DATA / "atlas.yaml").read_text(encoding="utf-8"))
LANGUAGES = tuple(ATLAS.get("languages", ["en", "de"]))  # the edition's (English and German unless it says)
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
COUNTRIES = sorted(path.stem for path in (DATA / "countries").glob("*.yaml"))
REGIONS = sorted(path.stem for path in (DATA / "regions").glob("*.yaml"))
INTERESTS = [entry["id"] for entry in yaml.safe_load((DATA / "interests.yaml").read_text(encoding="utf-8"))]


def _country(slug: str) -> dict:
    return yaml.safe_load((DATA / "countries" / f"{slug}.yaml").read_text(encoding="utf-8"))


BLOCKS = {"p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "td", "th", "tr", "br", "section", "article"}


class Page(HTMLParser):
    """What a page holds: its language, links, resources, ids, elements by tag, and its text."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.headings: dict[str, list[str]] = {}
        self.links: list[tuple[str, str]] = []  # (href, text) of every <a>
        self._heading: str | None = None
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.text.append(" ")
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag in ("h1", "h2", "h3"):
            self._heading = tag
            self.headings.setdefault(tag, []).append("")
        if tag in ("svg", "script"):
            self._skip += 1
        if tag == "a":
            self.links.append((attributes.get("href", ""), ""))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.text.append(" ")
        if tag == self._heading:
            self.headings[tag][-1] = " ".join(self.headings[tag][-1].split())
            self._heading = None
        if tag in ("svg", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if self.elements and self.elements[-1][0] == "a" and self.links:
            self.links[-1] = (self.links[-1][0], (self.links[-1][1] + data).strip())
        if self._heading:
            self.headings[self._heading][-1] += data
        if not self._skip:
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attributes for name, attributes in self.elements if name == tag]

    @property
    def words(self) -> str:
        """The text as a reader sees it, words between blocks apart, whitespace collapsed."""
        return " ".join("".join(self.text).split())


@pytest.fixture(scope="module")
def site(site_build) -> Path:
    languages = ", ".join(LANGUAGES)
    assert re.search(rf"wrote .*site: \d+ pages in {languages}, \d+ PDFs", site_build.stdout), site_build.stdout
    return site_build.path.parent / "site"


def _page(site: Path, address: str) -> Page:
    return Page((site / address / "index.html").read_text(encoding="utf-8"))


def _pages(site: Path) -> dict[str, Page]:
    """Every page of the site by its address ('en/countries/japan/')."""
    return {
        path.parent.relative_to(site).as_posix() + "/" if path.parent != site else "": Page(
            path.read_text(encoding="utf-8")
        )
        for path in sorted(site.rglob("index.html"))
    }


def _addresses(language: str) -> list[str]:
    pages = [f"{language}/", *(f"{language}/{name}/" for name in ("methodology", "authors", "sources", "search"))]
    pages += [f"{language}/interests/{interest}/" for interest in INTERESTS]
    pages += [f"{language}/regions/{region}/" for region in REGIONS]
    for slug in COUNTRIES:
        pages.append(f"{language}/countries/{slug}/")
        pages += [f"{language}/countries/{slug}/{a['interest']}/" for a in _country(slug)["assessments"]]
    return pages


def test_every_page_is_there_in_every_language_at_one_address_scheme(site):
    found = set(_pages(site))
    expected = {"", *(address for language in LANGUAGES for address in _addresses(language))}
    assert found == expected
    assert (site / "site.json").is_file()


def test_every_page_speaks_its_language_and_links_the_same_page_in_the_other(site):
    for address, page in _pages(site).items():
        if not address:
            continue
        language = address.split("/")[0]
        assert page.all("html")[0]["lang"] == language, address
        switch = [a for a in page.all("a") if a.get("hreflang") and "lang" in a]
        assert [a["lang"] for a in switch] == [code for code in LANGUAGES if code != language], address
        for link in switch:
            target = posixpath.normpath(posixpath.join(address, link["href"])) + "/"
            assert target == link["lang"] + "/" + address.split("/", 1)[1], address
        current = [s for s in page.all("span") if s.get("aria-current") == "page" and "lang" in s]
        assert [s["lang"] for s in current] == [language], address


def test_a_country_page_shows_its_facts_as_the_data_gives_them(site):
    japan = _page(site, "en/countries/japan")
    assert japan.headings["h1"] == ["Japan"]
    assert "Population 126,476,461 Capital Tokyo Region Asia and the Pacific" in japan.words
    german = _page(site, "de/countries/kazakhstan")
    assert german.headings["h1"] == ["Kasachstan"]
    assert "ca. 19 Mio." in german.words
    assert "approx. 19 million" in _page(site, "en/countries/kazakhstan").words
    assert "126.476.461" in _page(site, "de/countries/japan").words
    shown = re.findall(r"(Relevance|Willingness|Status quo|Potential): (\d)/5", japan.words)
    labels = {
        "relevance": "Relevance",
        "willingness": "Willingness",
        "status_quo": "Status quo",
        "potential": "Potential",
    }
    assert shown == [
        (label, str(assessment["ratings"][question]))
        for assessment in _country("japan")["assessments"]
        for question, label in labels.items()
    ]


def test_an_assessment_page_answers_the_five_key_questions_with_their_ratings(site):
    page = _page(site, "en/countries/japan/rules-based-order")
    ratings = next(a for a in _country("japan")["assessments"] if a["interest"] == "rules-based-order")["ratings"]
    assert page.headings["h2"][:5] == [
        f"Relevance {ratings['relevance']}/5",
        f"Willingness {ratings['willingness']}/5",
        f"Status quo {ratings['status_quo']}/5",
        f"Potential {ratings['potential']}/5",
        "Policy recommendation",
    ]
    assert "Both are democracies under the rule of law" in page.words
    assert "Rabea Brauer" in page.words
    german = _page(site, "de/countries/japan/rules-based-order")
    assert german.headings["h2"][:5] == [
        f"Relevanz {ratings['relevance']}/5",
        f"Bereitschaft {ratings['willingness']}/5",
        f"Status quo {ratings['status_quo']}/5",
        f"Potenzial {ratings['potential']}/5",
        "Politikempfehlung",
    ]


def test_a_suspended_assessment_says_so_and_shows_no_ratings(site):
    page = _page(site, "en/countries/afghanistan/migration")
    assert "Assessment suspended" in page.words
    assert not page.all("svg")
    assert "/5" not in " ".join(page.headings.get("h2", []))


def test_an_english_text_in_a_german_page_is_marked_english(site):
    """Latin America has no German introduction: the German region page prints the English one,
    announced and marked lang="en"."""
    assert not (DATA / "regions" / "latin-america.de.md").exists()
    html = (site / "de/regions/latin-america/index.html").read_text(encoding="utf-8")
    assert 'class="fallback" lang="en"' in html
    assert "Dieser Abschnitt liegt nur auf Englisch vor." in html


def test_lists_follow_the_readers_alphabet(site):
    """The countries of a region, as its page lists them, in the order of the page's language."""
    for language in LANGUAGES:
        for region in REGIONS:
            page = _page(site, f"{language}/regions/{region}")
            listed = [text for href, text in page.links if re.fullmatch(r"\.\./\.\./countries/[a-z-]+/", href)]
            count = len([c for c in COUNTRIES if _country(c)["region"] == region])
            names = listed[:count]  # the index of countries, before the cards
            assert len(set(names)) == count
            assert names == sorted(names, key=lambda name: sort_key(language, name)), (language, region)
    german = [text for href, text in _page(site, "de/regions/asia-pacific").links if "countries/" in href]
    assert german.index("Kasachstan") < german.index("Pakistan") < german.index("Usbekistan")


def test_charts_are_inline_svg_with_their_values_as_a_table(site):
    page = _page(site, "en/regions/asia-pacific")
    charts = page.all("svg")
    assert len(charts) == 2
    assert all(chart["role"] == "img" and chart["aria-label"].startswith(("Ratings", "Population")) for chart in charts)
    html = (site / "en/regions/asia-pacific/index.html").read_text(encoding="utf-8")
    table = re.findall(r"<tr><th scope=\"row\">([^<]+)</th><td>([^<]+)</td></tr>", html)
    population = {name: figure for name, figure in table}
    assert population["Japan"] == "126,476,461" and population["Kazakhstan"] == "approx. 19 million"
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # two charts on a page share no id


def test_every_link_and_resource_resolves(site):
    """A link check over the whole site: every href and src that is not a web address leads to a file
    of the site, and a '#fragment' to an element of that page."""
    pages = _pages(site)
    checked = 0
    for address, page in pages.items():
        for tag, attributes in page.elements:
            for name in ("href", "src", "action"):
                link = attributes.get(name)
                if link is None or (tag == "a" and re.match(r"https?://", link)):
                    continue
                parts = urlsplit(link)
                assert not parts.scheme and not parts.netloc, f"{address}: {tag} {name}={link}"
                if not parts.path:
                    assert parts.fragment in page.ids, f"{address}: {link}"
                    continue
                target = posixpath.normpath(posixpath.join(address or ".", parts.path))
                path = site / target
                assert path.is_file() or (path / "index.html").is_file(), f"{address}: {link}"
                if parts.fragment:
                    assert parts.fragment in pages[target + "/"].ids, f"{address}: {link}"
                checked += 1
    assert checked > 1000


def test_no_resource_comes_from_elsewhere_and_a_policy_forbids_it(site):
    for address, page in _pages(site).items():
        policy = [m["content"] for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
        assert policy and policy[0].startswith("default-src 'none'"), address
        assert "http" not in policy[0] and "unsafe" not in policy[0]
        for tag, attributes in page.elements:
            for name in ("src", "srcset", "data", "poster"):
                assert name not in attributes or "//" not in attributes[name], f"{address}: {tag}"
            if tag == "link":
                assert "//" not in attributes["href"], address
            assert "style" not in attributes, f"{address}: an inline style, which the policy refuses: {tag}"
        assert not [s for s in page.all("style")], address
    for css in (site / "static").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text) and "@import" not in text, css.name


def test_pages_work_without_javascript(site):
    """Every page but the search page is HTML alone: its content is in the file, no script on it."""
    for address, page in _pages(site).items():
        scripts = page.all("script")
        if address.endswith("/search/"):
            assert [s["src"] for s in scripts][-1].endswith("static/search.js")
        else:
            assert not scripts, address
    assert "rule of law" in _page(site, "en/countries/japan/rules-based-order").words


def test_every_page_links_its_pdfs_built_in_its_language(site):
    page = _page(site, "de/countries/japan")
    pdfs = [a["href"] for a in page.all("a") if a.get("type") == "application/pdf"]
    assert pdfs == [
        "../../pdf/countries/japan.pdf",
        "../../pdf/regions/asia-pacific.pdf",
        f"../../pdf/atlas-{EDITION}.pdf",
    ]
    for language in LANGUAGES:
        for name in ("countries/japan.pdf", "regions/asia-pacific.pdf", f"atlas-{EDITION}.pdf"):
            assert pypdf.PdfReader(site / language / "pdf" / name).trailer["/Root"]["/Lang"] == language, name
    for language, name, title in (
        ("en", "countries/japan.pdf", "Japan: Country dossier"),
        ("de", "countries/japan.pdf", "Japan: Länderdossier"),
        ("de", "regions/asia-pacific.pdf", "Asien und Pazifik: Regionaldossier"),
        ("de", f"atlas-{EDITION}.pdf", f"Partneratlas {EDITION}"),
    ):
        assert pypdf.PdfReader(site / language / "pdf" / name).metadata.title.startswith(title), (language, name)


def test_the_data_files_hold_the_facts_and_ratings_of_the_data(site):
    facts = list(csv.DictReader(io.StringIO((site / f"data/partner-atlas-{EDITION}-facts.csv").read_text())))
    ratings = list(csv.DictReader(io.StringIO((site / f"data/partner-atlas-{EDITION}-ratings.csv").read_text())))
    edition = json.loads((site / f"data/partner-atlas-{EDITION}.json").read_text(encoding="utf-8"))
    assert sorted(row["country"] for row in facts) == COUNTRIES
    japan = next(row for row in facts if row["country"] == "japan")
    assert (japan["population"], japan["population_approximate"], japan["capital_en"]) == ("126476461", "no", "Tokyo")
    kazakhstan = next(row for row in facts if row["country"] == "kazakhstan")
    assert (kazakhstan["population"], kazakhstan["population_approximate"], kazakhstan["name_de"]) == (
        "19000000",
        "yes",
        "Kasachstan",
    )
    for slug in COUNTRIES:
        for assessment in _country(slug)["assessments"]:
            row = next(r for r in ratings if r["country"] == slug and r["interest"] == assessment["interest"])
            expected = assessment.get("ratings") or {}
            assert {q: row[q] for q in ("relevance", "willingness", "status_quo", "potential")} == {
                q: str(expected[q]) if expected else "" for q in ("relevance", "willingness", "status_quo", "potential")
            }
            shown = next(c for c in edition["countries"] if c["slug"] == slug)
            assert next(a for a in shown["assessments"] if a["interest"] == assessment["interest"])["ratings"] == (
                expected or None
            )
    assert edition["edition"] == EDITION


def test_the_site_takes_the_pdfs_in_the_editions_language_that_a_plain_build_made(tmp_path):
    options = BuildOptions(cache=tmp_path / "cache", jobs=1)
    atlas = load_atlas(options.data)
    made = make_pdf(CountryDossier("japan"), options)  # build.py country japan
    assert cached_pdf(CountryDossier("japan"), pdf_options(options, atlas, atlas.edition.language)).pdf == made.pdf
    other = next(code for code in site_languages(atlas) if code != atlas.edition.language)
    assert cached_pdf(CountryDossier("japan"), pdf_options(options, atlas, other)) is None


def test_the_pages_made_in_several_processes_are_the_pages_made_in_one(site_build, tmp_path):
    """The pages of each language are made in a process of their own (forked from the build): the
    site is the same, file for file, as one process makes it, and the processes end with the build."""
    cache = tmp_path / "cache"
    shutil.copytree(site_build.cache, cache)  # every PDF from the cache: only the pages are made
    one = make_site(BuildOptions(data=DATA, cache=cache, jobs=1))
    several = make_site(BuildOptions(data=DATA, cache=cache, jobs=2))
    assert sorted(several.files) == sorted(one.files)
    assert [name for name in one.files if several.files[name] != one.files[name]] == []
    pdfs = len(LANGUAGES) * (len(COUNTRIES) + len(REGIONS) + 1)  # a dossier of each country and region, the atlas
    pages = len(_pages(site_build.path.parent / "site"))
    assert (several.pages, several.pdfs) == (one.pages, one.pdfs) == (pages, pdfs)
    assert multiprocessing.active_children() == []


def test_a_footnote_stands_where_it_is_called_and_leaves_no_empty_link(data_copy, tmp_path, browser):
    """A page has no foot: the note stands in the text, and the call, in print a number linking to
    it, is not an empty link (axe: 'link-name'). Only the pages are made here, not the PDFs."""
    text = data_copy / "countries" / "japan" / "rules-based-order.md"
    lines = text.read_text(encoding="utf-8").split("\n")
    call = next(n for n, line in enumerate(lines) if '"2+2" meeting' in line)
    lines[call] = lines[call].replace('"2+2" meeting', '"2+2" meeting[^1]')
    lines[call + 1 : call + 1] = ["", "[^1]: Both foreign and both defence ministers at one table."]
    text.write_text("\n".join(lines), encoding="utf-8")
    atlas = load_atlas(data_copy, Inputs())
    pages, _ = language_pages(atlas, "en", site_languages(atlas))
    for name, content in (pages | static_files()).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    browser.get((tmp_path / "en" / "countries" / "japan" / "rules-based-order" / "index.html").as_uri())
    paragraph = browser.find_element(By.XPATH, "//main//p[contains(., '2+2\u201d meeting')]")
    note = paragraph.find_element(By.CSS_SELECTOR, ".footnote")
    assert note.text == "Both foreign and both defence ministers at one table."
    assert "“2+2” meeting" + note.text + " has so far" in paragraph.text  # where the call was
    brackets = [  # around the note, by the stylesheet (the text above is without them)
        browser.execute_script(f"return getComputedStyle(arguments[0], '::{side}').content", note)
        for side in ("before", "after")
    ]
    assert brackets == ['" ["', '"]"']
    assert not browser.find_element(By.CSS_SELECTOR, "main .footnote-call").is_displayed()
    assert _axe(browser) == []


def test_a_folder_that_is_not_a_site_is_never_replaced(capsys, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    result = run_main(capsys, "site", "-o", folder, "--quiet")
    assert result.returncode == 1
    assert result.stderr == (
        f"error: cannot write the site to {folder}: the folder holds other files (no site.json); "
        "name a new or empty folder\n"
    )
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


# --- served, in a real browser --------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """A headless browser for the module's tests (one start, not one per test)."""
    with headless_chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def served(site, browser, tmp_path_factory):
    """`build.py serve --site` on the built site, and the browser."""
    folder = tmp_path_factory.mktemp("served")
    command = LiveCommand(folder, "serve", "--site", str(site), "--port", "0")
    try:
        url = command.line(r"at (http://127\.0\.0\.1:\d+/)")[1]
        yield url, browser, command
    finally:
        command.kill()


def _console_errors(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_pages_load_in_a_browser_without_a_refused_request(served):
    url, browser, _ = served
    browser.get_log("browser")
    for address in ("en/", "de/regions/asia-pacific/", "en/countries/japan/rules-based-order/", "de/search/?q=japan"):
        browser.get(url + address)
        assert browser.find_element(By.TAG_NAME, "h1").text
        fonts = browser.execute_script(
            "return document.fonts.ready.then(() => [...document.fonts]"
            ".filter(f => f.status == 'loaded').map(f => f.family.replace(/\"/g, '')))"
        )
        assert {"Noto Sans", "Noto Serif"} <= set(fonts), address  # the bundled fonts, from the site
        assert _console_errors(browser) == [], address
    assert browser.title.startswith("Suche")


def test_the_search_finds_a_country_by_its_name_and_by_words_of_its_text(served):
    url, browser, _ = served
    browser.get(url + "de/search/")
    field = browser.find_element(By.ID, "search-query")
    field.send_keys("Kasachstan")
    hits = WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".search-hits a"))
    assert hits[0].text == "Kasachstan"
    hits[0].click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/de/countries/kazakhstan/"))
    browser.get(url + "en/search/?q=rule+of+law")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".search-hits a")]
    assert "Japan: Rules-based order" in titles
    assert not browser.find_element(By.ID, "search-no-script").is_displayed()
    browser.get(url + "en/search/?q=islamabad")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".search-hits a")]
    assert "Pakistan" in titles and "Japan" not in titles  # a country's page is not found by its neighbours'
    browser.get(url + "en/search/?q=zzzzqx")
    assert browser.find_element(By.CSS_SELECTOR, ".search-count").text == "No page contains all of these words."


def test_the_search_works_from_the_folder_on_disk(site, browser):
    browser.get((site / "en" / "search" / "index.html").as_uri() + "?q=tokyo")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".search-hits a")]
    assert "Japan" in titles


def test_a_printed_page_shows_its_content_without_the_navigation(served):
    url, browser, _ = served
    browser.get(url + "en/countries/japan/")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.CSS_SELECTOR, ".site-header").is_displayed()
        assert browser.find_element(By.TAG_NAME, "h1").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert browser.find_element(By.CSS_SELECTOR, ".site-header").is_displayed()


@pytest.mark.parametrize(
    "address",
    [
        "en/",
        "de/interests/prosperity/",
        "en/regions/asia-pacific/",
        "de/countries/japan/",
        "en/countries/japan/rules-based-order/",
        "de/countries/afghanistan/migration/",
        "en/methodology/",
        "de/authors/",
        "en/sources/",
        "de/search/?q=japan",
        "",
    ],
)
def test_axe_finds_no_serious_violation(served, address):
    url, browser, _ = served
    browser.get(url + address)
    assert _axe(browser) == [], address


def _axe(browser) -> list:
    """axe-core's serious and critical violations on the open page: (rule, impact, first elements)."""
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
        "v => [v.id, v.impact, v.nodes.slice(0, 3).map(n => n.target.join(' '))])));"
    )
    return [v for v in violations if v[1] in ("serious", "critical")]


# --- the server -----------------------------------------------------------------------------------


def _get(url: str, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
    connection.request("GET", path, headers={"Host": host} if host else {})
    answer = connection.getresponse()
    return answer.status, dict(answer.getheaders()), answer.read()


def test_the_server_serves_the_folder_and_nothing_else(served, site):
    url, _, _ = served
    status, headers, body = _get(url, "/en/countries/japan/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (site / "en/countries/japan/index.html").read_bytes()
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert _get(url, "/en")[0:2][0] == 301 and _get(url, "/en")[1]["Location"] == "/en/"
    status, headers, _ = _get(url, f"/en/pdf/atlas-{EDITION}.pdf")
    assert (status, headers["Content-Type"]) == (200, "application/pdf")
    for path in (
        "/../data/atlas.yaml",
        "/%2e%2e/build.py",
        "/..%2f..%2fetc/passwd",
        "//etc/passwd",
        "/site.json/x",
        "/.x",
    ):
        assert _get(url, path)[0] == 404, path
    assert _get(url, "/en/", host="atlas.example:80")[0] == 403


def test_the_server_listens_on_this_machine_and_stops_on_ctrl_c(site, tmp_path):
    command = LiveCommand(tmp_path, "serve", "--site", str(site), "--port", "0")
    try:
        url = command.line(r"at (http://127\.0\.0\.1:\d+/)")[1]
        assert _get(url, "/")[0] == 200
        assert command.stop(signal.SIGINT) == 0
        command.line("^stopped serving the site$", timeout=5)
    finally:
        command.kill()


def test_serve_refuses_a_folder_that_is_not_a_site(capsys, tmp_path):
    result = run_main(capsys, "serve", "--site", tmp_path)
    assert result.returncode == 2
    assert "not a site built by 'build.py site' (no site.json)" in result.stderr


def test_serve_asks_for_a_document_or_a_site(capsys, site):
    result = run_main(capsys, "serve")
    assert (result.returncode, result.stderr) == (
        2,
        "name a document to preview (e.g. serve japan), or a built site (serve --site out/site)\n1 problem found.\n",
    )
    result = run_main(capsys, "serve", "japan", "--site", site)
    assert result.returncode == 2
    assert result.stderr.startswith("serve --site serves a built site, not a document: leave out 'japan'")
