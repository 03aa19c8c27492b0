#!/usr/bin/env python3
"""Benchmark: the atlas built in parallel chapters with a cache, against WeasyPrint in one piece.

Generates a synthetic atlas of N countries (several regions, one or two
assessments each, texts of realistic length) into a temporary data folder
and measures, in one run, each as a separate `build.py atlas` process:

  baseline        the same book as one HTML document, one WeasyPrint call, no cache
  cold            chapters in parallel (--jobs), empty cache
  no-op           the same again: everything from the cache
  text edit       after editing one assessment's text
  rating change   after changing one rating

Wall time is given as a ratio to the baseline, peak memory as the highest sum
of resident memory over the whole process tree (sampled every 20 ms) against
the baseline's, and pages per second. The figures are printed and written to
out/atlas-bench.md (or --output).

    python bench/atlas_bench.py --countries 60
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


class TreeMemory:
    """Peak of the summed resident memory of a process and all its descendants."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            total = 0
            for pid in _descendants(self.pid) | {self.pid}:
                try:
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
                except (OSError, IndexError):
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


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


def run_build(args: list[str], env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    memory = TreeMemory(process.pid)
    _, errors = process.communicate()
    elapsed, peak = time.perf_counter() - start, memory.stop()
    if process.returncode:
        sys.exit(f"build failed ({' '.join(args)}):\n{errors}")
    return elapsed, peak


def pages_of(pdf: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(pdf).pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--output", type=Path, default=PROJECT / "out" / "atlas-bench.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as temporary:
        work = Path(temporary)
        data, cache = work / "data", work / "cache"
        data.mkdir()
        generate(data, args.countries)
        env = {**os.environ, "ATLAS_CACHE_DIR": str(cache)}
        book = ["atlas", "--data", str(data), "--quiet"]
        print(f"Synthetic atlas: {args.countries} countries in {data}", flush=True)

        rows = []
        baseline, baseline_memory = run_build([*book, "--one-piece", "--no-cache", "-o", str(work / "one.pdf")], env)
        pages = pages_of(work / "one.pdf")
        rows.append(("baseline (one piece)", baseline, baseline_memory))
        print(f"baseline: {baseline:.1f} s, {pages} pages", flush=True)

        def measure(label: str) -> None:
            elapsed, memory = run_build([*book, "--jobs", str(args.jobs), "-o", str(work / "atlas.pdf")], env)
            rows.append((label, elapsed, memory))
            print(f"{label}: {elapsed:.2f} s", flush=True)

        measure("cold build")
        measure("no-op rebuild")
        text = next(iter(sorted((data / "countries").glob("*/*.md"))))
        text.write_text(text.read_text().replace("## Potential\n\n", "## Potential\n\nAn edited sentence. ", 1))
        measure("rebuild after a text edit")
        country = data / "countries" / "country-002.yaml"
        country.write_text(
            re.sub(r"relevance: (\d)", lambda m: f"relevance: {2 if m[1] == '1' else 1}", country.read_text(), count=1)
        )
        measure("rebuild after a rating change")

    targets = {"cold build": 0.60, "rebuild after a text edit": 0.05, "no-op rebuild": 0.02}
    lines = [
        f"# Atlas build benchmark ({dt.date.today().isoformat()})",
        "",
        f"{args.countries} synthetic countries, {pages} pages, --jobs {args.jobs}, {os.cpu_count()} cores.",
        "",
        "| build | wall time | x baseline | target | peak memory (tree) | x baseline | pages/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, elapsed, memory in rows:
        target = f"<= {targets[label]:.2f}" if label in targets else ""
        lines.append(
            f"| {label} | {elapsed:.2f} s | {elapsed / baseline:.3f} | {target} | "
            f"{memory / 2**20:.0f} MiB | {memory / baseline_memory:.2f} | {pages / elapsed:.1f} |"
        )
    report = "\n".join(lines) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report)
    print("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
