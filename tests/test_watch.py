"""`build.py watch`: the PDF rewritten whole after each save, one line per build, the old PDF kept
while the data is broken, and nothing left running after Ctrl-C."""

from __future__ import annotations

import shutil
import signal

from tests.conftest import DATA, pdf_pages_text, run_main
from tests.live import LiveCommand, descendants, wait_until_gone


def test_watch_rewrites_the_pdf_after_each_save_and_keeps_it_while_the_data_is_broken(tmp_path, capsys):
    shutil.copytree(DATA, tmp_path / "data")
    output, assessment = tmp_path / "out" / "japan.pdf", tmp_path / "data/countries/japan/rules-based-order.md"
    command = LiveCommand(tmp_path, "watch", "japan", "--data", "data", "-o", "out/japan.pdf")
    try:
        command.line(r"^\d\d:\d\d:\d\d wrote out/japan\.pdf in [\d.]+ s$")
        first = output.read_bytes()
        text = assessment.read_text(encoding="utf-8")
        assessment.write_text(text.replace("Both are democracies", "Both are vivid democracies", 1), "utf-8")
        command.line(r"^\d\d:\d\d:\d\d wrote out/japan\.pdf in [\d.]+ s$")
        assert "Both are vivid democracies" in " ".join(" ".join(pdf_pages_text(output)).split())
        edited = output.read_bytes()
        assert edited != first

        assessment.write_text(text.replace("## Willingness", "## Willingness\n\n<b>bold</b>", 1), "utf-8")
        command.line(r"^\d\d:\d\d:\d\d not written \([\d.]+ s\); out/japan\.pdf is as before$")
        cli = run_main(capsys, "country", "japan", "--data", "data", "-o", "cli.pdf", cwd=tmp_path)
        assert command.stderr == cli.stderr.splitlines()  # as the build command reports them
        assert command.stderr[0].startswith("data/countries/japan/rules-based-order.md:13: raw HTML '<b>' refused")
        assert output.read_bytes() == edited
        assert sorted(path.name for path in output.parent.iterdir()) == ["japan.pdf"]  # no half-written file

        started = descendants(command.process.pid)
        assert started  # the warm build process
        assert command.stop(signal.SIGINT) == 0
        command.line("^stopped watching$", timeout=5)
        assert wait_until_gone(started) == set()
    finally:
        command.kill()


def test_a_books_chapter_workers_stay_between_builds_and_end_with_the_watch(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    output, assessment = tmp_path / "americas.pdf", tmp_path / "data/countries/mexico/prosperity.md"
    command = LiveCommand(
        tmp_path, "watch", "region", "latin-america", "--data", "data", "--jobs", "2", "-o", "americas.pdf"
    )
    written = r"^\d\d:\d\d:\d\d wrote americas\.pdf in [\d.]+ s \(typeset (\d+) chapter\(s\)"
    try:
        assert int(command.line(written)[1]) > 1
        first = descendants(command.process.pid)  # the build process, its fork server, two workers
        assert len(first) >= 4
        text = assessment.read_text(encoding="utf-8")
        assessment.write_text(text.replace("Around two thousand", "Around two thousand busy", 1), "utf-8")
        assert command.line(written)[1] == "1"  # Mexico's chapter, by a worker of the first build
        assert "Around two thousand busy companies" in " ".join(" ".join(pdf_pages_text(output)).split())
        assert descendants(command.process.pid) == first
        assert command.stop(signal.SIGINT) == 0
        assert wait_until_gone(first) == set()
    finally:
        command.kill()
