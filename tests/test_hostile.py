"""Bad input and faults end in one clear message and a documented exit status (2 for input, 1 for
a build or environment failure): no traceback, the previous output untouched, no stray file."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reports.cli import main

GOOD = b"%PDF- the previous good file"


def _replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        path = data / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def _append_bytes(relative: str, content: bytes) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        with (data / relative).open("ab") as file:
            file.write(content)

    return mutate


def _latin1(relative: str) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        path = data / relative
        path.write_bytes(
            path.read_text(encoding="utf-8")
            .replace("## Potential", "## Potential\n\nCafé.")
            .encode("latin-1", "replace")
        )

    return mutate


def _copy(data: Path, source: str, target: str) -> None:
    (data / target).parent.mkdir(exist_ok=True)
    (data / target).write_bytes((data / source).read_bytes())


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Path], None] | None
    argv: tuple[str, ...]  # {data} and {out} are filled in
    status: int
    message: str  # the first line of standard error, {data} and {out} filled in


JAPAN = "countries/japan.yaml"
CASES = [
    Case(
        "a NUL written as a YAML escape",
        _replace(JAPAN, '"Japan", de', '"Ja\\0pan", de'),
        ("check",),
        2,
        "{data}/countries/japan.yaml:2:12: name.en: invisible control character U+0000 in the text; "
        "remove it (it cannot be printed)",
    ),
    Case(
        "a bell character pasted into YAML",
        _replace(JAPAN, '"Japan", de', "Ja\x07pan, de"),
        ("check",),
        2,
        "{data}/countries/japan.yaml:2:14: invisible control character U+0007; remove it (it cannot be printed)",
    ),
    Case(
        "a NUL byte in Markdown",
        _append_bytes("countries/japan/rules-based-order.md", b"x\x00y"),
        ("check",),
        2,
        "{data}/countries/japan/rules-based-order.md:52:2: invisible control character U+0000; "
        "remove it (it cannot be printed)",
    ),
    Case(
        "a date that does not exist",
        _replace(JAPAN, "as_of: 2020-07-01", "as_of: 2023-13-45"),
        ("check",),
        2,
        "{data}/countries/japan.yaml:7:10: population.as_of: '2023-13-45' is not a valid date (month must be in 1..12)",
    ),
    Case(
        "a figure as of a date in the future",
        _replace(JAPAN, "as_of: 2020-07-01", "as_of: 2999-07-01"),
        ("check",),
        2,
        "{data}/countries/japan.yaml:7:3: population.as_of: 2999-07-01 lies in the future; "
        "give the date the figure stood at",
    ),
    Case(
        "lists nested 5,000 deep",
        _replace(JAPAN, "code: JP", "code: JP\nx: " + "[" * 5000 + "]" * 5000),
        ("check",),
        2,
        "{data}/countries/japan.yaml: lists or mappings nested more than 64 levels deep; refusing to read it",
    ),
    Case(
        "lists nested 70 deep",
        _replace(JAPAN, "code: JP", "code: JP\nx: " + "[" * 70 + "]" * 70),
        ("check",),
        2,
        "{data}/countries/japan.yaml:2:68: lists or mappings nested more than 64 levels deep; refusing to read it",
    ),
    Case(
        "a Latin-1 Markdown file gets one message",
        _latin1("countries/japan/rules-based-order.md"),
        ("check",),
        2,
        "{data}/countries/japan/rules-based-order.md:31: file is not UTF-8 text (byte 0xe9 at offset ",
    ),
    Case(
        "an assessment text without its country file",
        lambda data: _copy(data, "countries/japan/rules-based-order.md", "countries/norway/security.md"),
        ("check",),
        2,
        "{data}/countries/norway/security.md: an assessment text without its country file "
        "{data}/countries/norway.yaml; it would never be printed",
    ),
    Case(
        "an assessment text its country does not ask for",
        lambda data: _copy(data, "countries/japan/rules-based-order.md", "countries/japan/migration.md"),
        ("check",),
        2,
        "{data}/countries/japan/migration.md: {data}/countries/japan.yaml has no assessment for "
        "'migration'; this text would never be printed",
    ),
    Case(
        "-o names a folder",
        None,
        ("country", "japan", "-o", "{tmp}"),
        1,
        "error: cannot write {tmp}: it is a folder; name a file in it, e.g. {tmp}/dossier.pdf",
    ),
    Case(
        "-o below a regular file",
        None,
        ("country", "japan", "-o", "{out}/japan.pdf"),
        1,
        "error: cannot write {out}/japan.pdf: {out} is a file, not a folder",
    ),
    Case(
        "--jobs -1", None, ("region", "asia-pacific", "--jobs", "-1", "-o", "{out}"), 2, "jobs -1: expected 1 or more"
    ),
    Case(
        "--scheduler that is no address",
        None,
        ("region", "asia-pacific", "--scheduler", "nonsense", "-o", "{out}"),
        2,
        "scheduler 'nonsense': expected an address like tcp://127.0.0.1:8786",
    ),
    Case(
        "--scheduler where nothing listens",
        None,
        ("region", "asia-pacific", "--scheduler", "tcp://127.0.0.1:9", "-o", "{out}"),
        1,
        "error: cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 10 s; is it running?",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gets_one_clear_message(case: Case, data_copy, tmp_path, capsys):
    if case.mutate:
        case.mutate(data_copy)
    out = tmp_path / "previous.pdf"
    out.write_bytes(GOOD)
    before = sorted(p.name for p in tmp_path.iterdir())
    fill = {"data": data_copy, "out": out, "tmp": tmp_path}
    status = main([*(part.format(**fill) for part in case.argv), "--data", str(data_copy)])
    error = capsys.readouterr().err
    assert status == case.status, error
    assert error.splitlines()[0].startswith(case.message.format(**fill)), error
    assert "Traceback" not in error
    if status == 2:  # one problem each, reported once
        assert error.splitlines()[1:] == ["1 problem found."], error
    assert out.read_bytes() == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def _processes_in_session(session: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[3]) == session:  # the fields after the command name: state, ppid, pgrp, session
            found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize(
    "signal_name, moment",
    [("SIGKILL", "loading"), ("SIGKILL", "workers started"), ("SIGKILL", "typesetting"), ("SIGTERM", "typesetting")],
)
def test_no_process_of_a_killed_book_build_is_left(signal_name, moment, tmp_path):
    """The build runs in a session of its own: every process it starts (fork server, workers, resource
    tracker) is in that session, so none can hide."""
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import PROJECT

    build = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "atlas",
            "--no-cache",
            "--jobs",
            "2",
            "--quiet",
            "-o",
            str(tmp_path / "atlas.pdf"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    if moment == "loading":
        time.sleep(0.3)
    else:  # the fork server, the resource tracker and two workers besides the build itself
        deadline = time.monotonic() + 30
        while len(_processes_in_session(build.pid)) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(3 if moment == "typesetting" else 0)
    build.send_signal(getattr(signal, signal_name))
    build.communicate(timeout=30)  # reading its output through a pipe must not hang either
    assert build.returncode in (-9, 130), "the build ended before it was killed: kill it earlier"
    deadline = time.monotonic() + 5
    while _processes_in_session(build.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _processes_in_session(build.pid)
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert left == []
    assert [p.name for p in tmp_path.iterdir()] == []
