#!/usr/bin/env python3
"""Benchmark: the atlas built in parallel chapters with a cache, against WeasyPrint in one piece
and against the simplest script a user could write instead.

Generates a synthetic atlas of N countries (several regions, one or two
assessments each, texts of realistic length) into a temporary data folder
and measures, in one run, each as a separate process:

  simplest script  the same data through one Jinja2 template (bench/simplest.html.j2), one
                   matplotlib SVG per assessment, Markdown to HTML, one WeasyPrint call
  one piece        `build.py atlas --one-piece --no-cache`: the book in one WeasyPrint call
  cold             chapters in parallel (--jobs), empty cache
  no-op            the same again: everything from the cache
  text edit        after editing one assessment's text
  rating change    after changing one rating
  print, cold      the print profile (PDF/X-4), chapters in parallel, its own empty cache
  simplest, again  the simplest script once more: the ratios take the mean of its two runs, so
                   that the machine's speed drifting during the benchmark skews them less

For each: pages, words (pdftotext), wall time, words per second, and peak
memory as the highest sum of resident memory over the whole process tree
(sampled every 20 ms). Then the ratios the targets name (issue 15). The
figures are printed and written to out/atlas-bench.md (or --output).

    python bench/atlas_bench.py --countries 200 --jobs 2

With --site, the web edition instead (issue 18): the atlas built cold (the reference), then
`build.py site` twice: first with only the atlas's chapters and charts in the cache (every other
PDF it links is built), then with everything warm. Target: the warm site build in at most 0.2 times
the cold atlas build.

    python bench/atlas_bench.py --site --countries 200 --jobs 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "data"
QUESTIONS = ["Relevance", "Willingness", "Status quo", "Potential", "Policy recommendation"]
INTERESTS = ["rules-based-order", "prosperity", "security", "resources-climate", "migration"]
CODES = sorted(c for c in __import__("babel").Locale("en").territories if len(c) == 2 and c.isalpha())
WORDS = (
    "cooperation partnership government trade security climate energy migration reform policy region "
    "dialogue institutions investment growth stability agreement development infrastructure resilience "
    "technology innovation multilateral democracy society economy exports supply chains diplomacy "
    "strategic interests values transition renewable capacity programmes ministries framework"
).split()


def generate(target: Path, countries: int, seed: int = 2023) -> None:
    """A synthetic data folder: the sample's edition files, N countries in several regions."""
    rng = random.Random(seed)
    for name in ("atlas.yaml", "interests.yaml", "authors.yaml"):
        shutil.copy(SAMPLE / name, target / name)
    if (SAMPLE / "methodology.md").exists():
        shutil.copy(SAMPLE / "methodology.md", target / "methodology.md")
    regions = max(2, countries // 25)
    (target / "regions").mkdir()
    for r in range(regions):
        (target / "regions" / f"region-{r + 1}.yaml").write_text(f'name: {{en: "Region {r + 1}"}}\n')
        (target / "regions" / f"region-{r + 1}.md").write_text(_paragraphs(rng, 3, 90))
    (target / "countries").mkdir()
    for i in range(countries):
        slug = f"country-{i + 1:03d}"
        interests = rng.sample(INTERESTS, rng.choice([1, 2]))
        lines = [
            f'code: "{CODES[i % len(CODES)]}"',
            f'name: {{en: "Country {i + 1:03d}"}}',
            f'capital: {{en: "Capital {i + 1}"}}',
            f"region: region-{i % regions + 1}",
            "population:",
            f'  value: "{rng.randint(1, 300):,},{rng.randint(0, 999):03d},{rng.randint(0, 999):03d}"',
            "  as_of: 2022-07-01",
            '  source: "Synthetic benchmark figure"',
            "assessments:",
        ]
        (target / "countries" / slug).mkdir()
        for interest in interests:
            ratings = ", ".join(
                f"{q}: {rng.randint(1, 5)}" for q in ("relevance", "willingness", "status_quo", "potential")
            )
            lines += [
                f"  - interest: {interest}",
                "    author: rabea-brauer",
                "    date: 2023-03-01",
                f"    ratings: {{{ratings}}}",
                f'    summary: "{_sentence(rng, 30)}"',
                "    sources:",
                '      - "A synthetic source for the benchmark."',
            ]
            words = rng.choice([250, 350, 1200])  # short cards and full assessments, as in the sample
            text = "".join(f"## {q}\n\n{_paragraphs(rng, 2, words // 10)}\n" for q in QUESTIONS)
            (target / "countries" / slug / f"{interest}.md").write_text(text)
        (target / "countries" / f"{slug}.yaml").write_text("\n".join(lines) + "\n")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraphs(rng: random.Random, count: int, words: int) -> str:
    return "\n\n".join(_sentence(rng, words) for _ in range(count)) + "\n"


class ProcessTree:
    """Peak of the summed resident memory of a process and all its descendants, and the processor
    time they used (each process's as last seen, sampled every 20 ms: workers are no children of
    ours, so the kernel's accounting of waited-for children misses them)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._processor: dict[int, float] = {}  # pid -> user + system seconds
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
        while not self._stop.is_set():
            total = 0
            for pid in _descendants(self.pid) | {self.pid}:
                try:
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    self._processor[pid] = (int(fields[11]) + int(fields[12])) / tick
                except (OSError, IndexError, ValueError):
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def stop(self) -> tuple[int, float]:
        """The peak memory (bytes) and the processor time (seconds)."""
        self._stop.set()
        self._thread.join()
        return self.peak, sum(self._processor.values())


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def simplest_script(data: Path, output: Path) -> None:
    """The reference: what a user would write instead of this project, on the same data.

    One Jinja2 template, one matplotlib SVG per assessment, Markdown to HTML, one WeasyPrint call.
    """
    import base64
    import io

    import jinja2
    import matplotlib
    import weasyprint
    import yaml
    from markdown_it import MarkdownIt

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update({"svg.fonttype": "none", "font.family": "Noto Sans", "font.size": 8})
    for font in sorted((PROJECT / "styles" / "fonts").glob("*.ttf")):
        matplotlib.font_manager.fontManager.addfont(str(font))
    markdown = MarkdownIt("commonmark")
    interests = {i["id"]: i["name"]["en"] for i in yaml.safe_load((data / "interests.yaml").read_text())}

    def chart(ratings: dict) -> str:
        figure, axes = plt.subplots(figsize=(3.3, 1.73))
        axes.barh(list(ratings)[::-1], list(ratings.values())[::-1], color="#1f3a5f")
        axes.set_xlim(0, 5.5)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight")
        plt.close(figure)
        return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()

    countries = []
    for path in sorted((data / "countries").glob("*.yaml")):
        country = yaml.safe_load(path.read_text())
        assessments = [
            {
                "interest": interests[a["interest"]],
                "summary": a["summary"],
                "chart": chart(a["ratings"]),
                "text": markdown.render((path.with_suffix("") / f"{a['interest']}.md").read_text()),
            }
            for a in country["assessments"]
        ]
        countries.append(
            {
                "name": country["name"]["en"],
                "capital": country["capital"]["en"],
                "population": country["population"]["value"],
                "region": country["region"],
                "assessments": assessments,
            }
        )
    template = jinja2.Environment(loader=jinja2.FileSystemLoader(PROJECT / "bench"), autoescape=True)
    html = template.get_template("simplest.html.j2").render(
        countries=countries, fonts=(PROJECT / "styles" / "fonts").as_uri()
    )
    weasyprint.HTML(string=html).write_pdf(output)


def run_process(command: list[str], env: dict) -> tuple[float, float, int]:
    """Wall time, processor time and peak memory of the process tree of one command; exits when it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    tree = ProcessTree(process.pid)
    _, errors = process.communicate()
    elapsed, (peak, processor) = time.perf_counter() - start, tree.stop()
    if process.returncode:
        sys.exit(f"failed ({' '.join(command)}):\n{errors}")
    return elapsed, processor, peak


def pages_and_words(pdf: Path) -> tuple[int, int]:
    """Pages (pypdf) and words as poppler's pdftotext reads them."""
    import pypdf

    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return len(pypdf.PdfReader(pdf).pages), len(text.split())


@dataclass
class Measured:
    build: str
    seconds: float  # wall time
    processor: float  # processor time of the process tree (user and system), seconds
    memory: int  # peak resident memory of the process tree, bytes
    pages: int
    words: int

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds

    @property
    def words_per_processor_second(self) -> float:
        return self.words / self.processor


SIMPLEST, AGAIN = "simplest script", "simplest script, again"  # its runs at the start and at the end


def _reference(runs: list[Measured]) -> Measured:
    """The simplest script as the reference of every ratio: the mean of its runs (at the start and at
    the end of the benchmark, on a machine whose speed may drift in between)."""
    return Measured(
        "simplest script, mean",
        sum(run.seconds for run in runs) / len(runs),
        sum(run.processor for run in runs) / len(runs),
        max(run.memory for run in runs),
        runs[0].pages,
        runs[0].words,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--output", type=Path, default=PROJECT / "out" / "atlas-bench.md")
    parser.add_argument("--site", action="store_true", help="measure the web edition against the cold atlas")
    parser.add_argument("--simplest-script", nargs=2, type=Path, metavar=("DATA", "PDF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.simplest_script:  # the reference, run as a process of its own like the builds
        simplest_script(*args.simplest_script)
        return 0
    if args.site:
        return site_benchmark(args.countries, args.jobs, args.output)

    rows: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as temporary:
        work = Path(temporary)
        data = work / "data"
        data.mkdir()
        generate(data, args.countries)
        env = {**os.environ, "ATLAS_CACHE_DIR": str(work / "cache")}
        print(f"Synthetic atlas: {args.countries} countries in {data}", flush=True)

        def measure(build: str, command: list[str], pdf: Path, environment: dict = env) -> None:
            seconds, processor, memory = run_process(command, environment)
            rows.append(Measured(build, seconds, processor, memory, *pages_and_words(pdf)))
            print(f"{build}: {seconds:.2f} s, {rows[-1].pages} pages, {rows[-1].words} words", flush=True)

        def atlas(build: str, *options: str, pdf: Path = work / "atlas.pdf", environment: dict = env) -> None:
            command = [sys.executable, str(PROJECT / "build.py"), "atlas", "--data", str(data), "--quiet"]
            measure(build, [*command, *options, "-o", str(pdf)], pdf, environment)

        simplest = work / "simplest.pdf"
        simplest_command = [sys.executable, __file__, "--simplest-script", str(data), str(simplest)]
        measure(SIMPLEST, simplest_command, simplest)
        atlas("one piece", "--one-piece", "--no-cache", pdf=work / "one.pdf")
        jobs = ("--jobs", str(args.jobs))
        atlas("cold build", *jobs)
        atlas("no-op rebuild", *jobs)
        text = next(iter(sorted((data / "countries").glob("*/*.md"))))
        text.write_text(text.read_text().replace("## Potential\n\n", "## Potential\n\nAn edited sentence. ", 1))
        atlas("rebuild after a text edit", *jobs)
        country = data / "countries" / "country-002.yaml"
        country.write_text(
            re.sub(r"relevance: (\d)", lambda m: f"relevance: {2 if m[1] == '1' else 1}", country.read_text(), count=1)
        )
        atlas("rebuild after a rating change", *jobs)
        print_env = {**env, "ATLAS_CACHE_DIR": str(work / "print-cache")}
        atlas("print profile, cold", *jobs, "--profile", "print", pdf=work / "print.pdf", environment=print_env)
        measure(AGAIN, simplest_command, simplest)

    report = render_report(rows, args.countries, args.jobs)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report)
    print("\n" + report)
    return 0


def site_benchmark(countries: int, jobs: int, output: Path) -> int:
    """The web edition against the cold atlas build, in one run on the same data."""
    rows: list[tuple[str, float, float, int]] = []
    with tempfile.TemporaryDirectory(prefix="site-bench-") as temporary:
        work = Path(temporary)
        data = work / "data"
        data.mkdir()
        generate(data, countries)
        env = {**os.environ, "ATLAS_CACHE_DIR": str(work / "cache")}
        build = [sys.executable, str(PROJECT / "build.py")]
        print(f"Synthetic atlas: {countries} countries in {data}", flush=True)
        for name, command in (
            ("atlas, cold", [*build, "atlas", "--quiet", "-o", str(work / "atlas.pdf")]),
            ("site, first build (the atlas cached, every other PDF built)", [*build, "site", "--quiet"]),
            ("site, caches warm", [*build, "site", "--quiet"]),
        ):
            options = ["--data", str(data), "--jobs", str(jobs)]
            if command[2] == "site":
                options += ["-o", str(work / "site")]
            seconds, processor, memory = run_process([*command, *options], env)
            rows.append((name, seconds, processor, memory))
            print(f"{name}: {seconds:.2f} s", flush=True)
        pages = len(list((work / "site").rglob("index.html")))
        pdfs = len(list((work / "site").rglob("*.pdf")))
    cold, warm = rows[0][1], rows[2][1]
    lines = [
        f"# Web edition benchmark ({dt.date.today().isoformat()})",
        "",
        f"{countries} synthetic countries, --jobs {jobs}, {os.cpu_count()} cores; the site: {pages} pages, "
        f"{pdfs} PDFs.",
        "",
        "| build | wall time | processor time (tree) | peak memory (tree) |",
        "|---|---|---|---|",
        *(f"| {name} | {s:.2f} s | {p:.2f} s | {m / 2**20:.0f} MiB |" for name, s, p, m in rows),
        "",
        "| target, on wall time | measured | target | met |",
        "|---|---|---|---|",
        f"| issue 18: site with warm caches x cold atlas | {warm / cold:.3f} | <= 0.2 "
        f"| {'yes' if warm / cold <= 0.2 else 'no'} |",
    ]
    report = "\n".join(lines) + "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report)
    print("\n" + report)
    return 0


def render_report(rows: list[Measured], countries: int, jobs: int) -> str:
    """The table of builds and the table of issue 15's targets, as Markdown."""
    by = {row.build: row for row in rows}
    simplest = _reference([row for row in rows if row.build in (SIMPLEST, AGAIN)])
    one, cold = by["one piece"], by["cold build"]
    lines = [
        f"# Atlas build benchmark ({dt.date.today().isoformat()})",
        "",
        f"{countries} synthetic countries, --jobs {jobs}, {os.cpu_count()} cores.",
        "",
        "| build | pages | words (pdftotext) | wall time | words/s | x simplest script's "
        "| processor time (tree) | words per processor s | x simplest script's | peak memory (tree) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in [*rows, simplest]:
        lines.append(
            f"| {row.build} | {row.pages} | {row.words:,} | {row.seconds:.2f} s | {row.words_per_second:,.0f} | "
            f"{row.words_per_second / simplest.words_per_second:.2f} | {row.processor:.2f} s | "
            f"{row.words_per_processor_second:,.0f} | "
            f"{row.words_per_processor_second / simplest.words_per_processor_second:.2f} | "
            f"{row.memory / 2**20:.0f} MiB |"
        )
    reference = simplest.words_per_second
    edit = by["rebuild after a text edit"].seconds
    targets = [
        ("one piece, words/s x simplest script's", one.words_per_second / reference, ">=", 0.9),
        (f"cold --jobs {jobs}, words/s x simplest script's", cold.words_per_second / reference, ">=", 1.8),
        ("print profile cold, wall x screen cold", by["print profile, cold"].seconds / cold.seconds, "<=", 1.2),
        ("rebuild after a text edit, s (target at 200 countries)", edit, "<=", 2.0 if countries >= 200 else None),
        ("peak memory of the cold build x one piece's", cold.memory / one.memory, "<=", 0.5),
        # issue 6's, as wall time against the one-piece build
        ("issue 6: cold build, wall x one piece's", cold.seconds / one.seconds, "<=", 0.60),
        ("issue 6: no-op rebuild, wall x one piece's", by["no-op rebuild"].seconds / one.seconds, "<=", 0.02),
        ("issue 6: rebuild after a text edit, wall x one piece's", edit / one.seconds, "<=", 0.05),
    ]
    lines += ["", "| target, on wall time | measured | target | met |", "|---|---|---|---|"]
    for name, value, sense, limit in targets:
        met = "" if limit is None else "yes" if (value >= limit if sense == ">=" else value <= limit) else "no"
        lines.append(f"| {name} | {value:.2f} | {'' if limit is None else f'{sense} {limit}'} | {met} |")
    lines += [
        "",
        "On a machine shared with other work, wall time is what the others leave; processor time is not. "
        f"One piece per processor second: {one.words_per_processor_second / simplest.words_per_processor_second:.2f} "
        "x the simplest script's.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
