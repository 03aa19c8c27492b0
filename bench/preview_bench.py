#!/usr/bin/env python3
"""Benchmark: from saving an edit to seeing the changed page in the live preview.

Runs `build.py serve` on a copy of the sample data (with a build cache of its
own) for a country dossier and for a region dossier, opens the preview in a
headless browser (Debian's chromium, through selenium; tests/live.py), and
then, N times: saves a one-word edit to Japan's rules-based-order assessment
and waits until the browser shows the build with the changed page, its image
loaded. Every edit is new text, so no build is taken whole from the cache.
Prints the wall time from the save to the page shown (median, 95th percentile,
slowest) and the build's own share, against the targets of issue 16; and, for
comparison in the same run, what an editor waits without the preview: the
build command run after an edit, with the same (warm) build cache. Writes them
to out/preview-bench.md (or --output).

    python bench/preview_bench.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from selenium.webdriver.common.by import By  # noqa: E402

from tests.live import headless_chromium, serve, wait_for_build  # noqa: E402

ASSESSMENT = Path("data/countries/japan/rules-based-order.md")
SENTENCE = "Both are democracies"
WORDS = (
    "stable mature liberal open proud modern vivid steady firm trusted old lively free plural sturdy "
    "robust calm civic sound young seasoned tested durable resilient confident"
).split()
DOCUMENTS = {  # name: the serve arguments, the build command's, the targets (p50, p95) in seconds
    "country dossier (japan)": (["japan"], ["country", "japan"], (1.0, 2.0)),
    "region dossier (asia-pacific)": (["region", "asia-pacific"], ["region", "asia-pacific", "--quiet"], (3.0, None)),
}
COMMAND_RUNS = 3


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(folder: Path, document: list[str], edits: int) -> tuple[list[float], list[float]]:
    """Seconds from each save to the changed page shown; and each build's own seconds."""
    assessment = folder / ASSESSMENT
    original = assessment.read_text(encoding="utf-8")
    command, url = serve(folder, *document)
    shown, built = [], []
    try:
        with headless_chromium() as browser:
            browser.get(url)
            build, _ = wait_for_build(browser, 0, timeout=300)
            for edit in range(edits):
                time.sleep(0.5)  # an editor types between saves
                word = f"{WORDS[edit % len(WORDS)]}{'' if edit < len(WORDS) else edit}"
                saved = time.perf_counter()
                assessment.write_text(original.replace(SENTENCE, f"Both are {word} democracies", 1), "utf-8")
                build, changed = wait_for_build(browser, build, timeout=120)
                shown.append(time.perf_counter() - saved)
                if changed is None:
                    problems = browser.find_element(By.ID, "problem-lines").text
                    raise RuntimeError(f"edit {edit + 1}: the preview showed no changed page; {problems}")
                built.append(float(browser.execute_script("return document.body.dataset.seconds")))
                print(f"  edit {edit + 1:2}: shown after {shown[-1]:.2f} s (build {built[-1]:.2f} s)", flush=True)
        command.stop(signal.SIGINT)
    finally:
        command.kill()
        assessment.write_text(original, "utf-8")
    return shown, built


def command_times(folder: Path, command: list[str], runs: int) -> list[float]:
    """Seconds of `build.py COMMAND` after each of `runs` edits, with the preview's build cache."""
    assessment = folder / ASSESSMENT
    original = assessment.read_text(encoding="utf-8")
    times = []
    try:
        for run in range(runs):
            assessment.write_text(original.replace(SENTENCE, f"Both are command{run} democracies", 1), "utf-8")
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, str(PROJECT / "build.py"), *command, "--data", "data", "-o", "command.pdf"],
                cwd=folder,
                env={**os.environ, "ATLAS_CACHE_DIR": str(folder / "cache")},
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - started)
            print(f"  build.py {' '.join(command)} after an edit: {times[-1]:.2f} s", flush=True)
    finally:
        assessment.write_text(original, "utf-8")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=20, help="edits per document (default: 20)")
    parser.add_argument("--output", type=Path, default=Path("out/preview-bench.md"), help="the report (Markdown)")
    args = parser.parse_args()
    rows, met = [], True
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as temporary:
        folder = Path(temporary)
        shutil.copytree(PROJECT / "data", folder / "data")
        for name, (document, command, (p50_target, p95_target)) in DOCUMENTS.items():
            print(f"{name}: {args.edits} edits", flush=True)
            shown, built = measure(folder, document, args.edits)
            without = statistics.median(command_times(folder, command, COMMAND_RUNS))
            p50, p95 = statistics.median(shown), percentile(shown, 0.95)
            ok = p50 <= p50_target and (p95_target is None or p95 <= p95_target)
            met &= ok
            target = f"p50 <= {p50_target:.1f} s" + (f", p95 <= {p95_target:.1f} s" if p95_target else "")
            own = statistics.median(s - b for s, b in zip(shown, built))  # watching, drawing, the browser
            rows.append(
                f"| {name} | {len(shown)} | {p50:.2f} s | {p95:.2f} s | {max(shown):.2f} s "
                f"| {statistics.median(built):.2f} s | {own:.2f} s | {without:.2f} s | {target} "
                f"| {'met' if ok else 'NOT met'} |"
            )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[1]
    report = "\n".join(
        [
            f"Live preview, save to page shown in headless chromium; {cores} cores (load average {load:.1f} "
            f"over the last 5 minutes), {dt.date.today().isoformat()}.",
            "",
            "| document | edits | p50 | p95 | slowest | build alone (p50) | the rest (p50) | build command (p50) "
            "| target | |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print()
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report + "\n", encoding="utf-8")
    print(f"\nwrote {args.output}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
