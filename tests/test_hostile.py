"""Bad input and faults end in one clear message and a documented exit status (2 for input, 1 for
a build or environment failure): no traceback, the previous output untouched, no stray file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reports.cli import main
from tests.conftest import PROJECT
from tests.test_check import BILLION_LAUGHS

GOOD = b"%PDF- the previous good file"
JAPAN = "countries/japan.yaml"
JAPAN_TEXT = "countries/japan/rules-based-order.md"
PACK = "packs/tokyo-delegation-2023.yaml"
EVENT = "events/security-dialogue-2023.yaml"
Mutation = Callable[[Path], None]  # changes a copy of the sample data folder


def _replace(relative: str, old: str, new: str) -> Mutation:
    def mutate(data: Path) -> None:
        path = data / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def _write(relative: str, text: str) -> Mutation:
    return lambda data: (data / relative).write_text(text, encoding="utf-8")


def _append_text(relative: str, text: str) -> Mutation:
    def mutate(data: Path) -> None:
        with (data / relative).open("a", encoding="utf-8") as file:
            file.write(text)

    return mutate


def _append_bytes(relative: str, content: bytes) -> Mutation:
    def mutate(data: Path) -> None:
        with (data / relative).open("ab") as file:
            file.write(content)

    return mutate


def _delete(relative: str) -> Mutation:
    return lambda data: (data / relative).unlink()


def _delete_tree(relative: str) -> Mutation:
    return lambda data: shutil.rmtree(data / relative)


def _delete_line(relative: str, start: str) -> Mutation:
    def mutate(data: Path) -> None:
        path = data / relative
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        assert sum(line.startswith(start) for line in lines) == 1, f"{start!r} not once in {relative}"
        path.write_text("".join(line for line in lines if not line.startswith(start)), encoding="utf-8")

    return mutate


def _swap(relative: str, first: str, second: str) -> Mutation:
    def mutate(data: Path) -> None:
        path = data / relative
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(first, "\0").replace(second, first).replace("\0", second), encoding="utf-8")

    return mutate


def _copy(source: str, target: str) -> Mutation:
    def mutate(data: Path) -> None:
        (data / target).parent.mkdir(exist_ok=True)
        (data / target).write_bytes((data / source).read_bytes())

    return mutate


def _both(*mutations: Mutation) -> Mutation:
    def mutate(data: Path) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate


def _latin1(relative: str) -> Mutation:
    def mutate(data: Path) -> None:
        path = data / relative
        text = path.read_text(encoding="utf-8").replace("## Potential", "## Potential\n\nCafé.")
        path.write_bytes(text.encode("latin-1", "replace"))

    return mutate


def _latin1_yaml(relative: str) -> Mutation:
    def mutate(data: Path) -> None:
        path = data / relative
        path.write_bytes(
            path.read_text(encoding="utf-8").replace('"Tokyo"', '"Tōkyō Café"', 1).encode("latin-1", "replace")
        )

    return mutate


def _tamper() -> Mutation:
    """A copy of the sealed 2022 edition beside the data folder, one fact changed in its snapshot."""

    def mutate(data: Path) -> None:
        sealed = data.parent / "archive" / "2022"
        shutil.copytree(PROJECT / "archive" / "2022", sealed)
        _replace("data/countries/japan.yaml", "Tokyo", "Kyoto")(sealed)

    return mutate


def _link_out(relative: str) -> Mutation:
    """The file replaced by a link to a file outside the data folder."""

    def mutate(data: Path) -> None:
        secret = data.parent / "secret.txt"
        secret.write_text("root-secret-line: never to be printed\n")
        (data / relative).unlink()
        (data / relative).symlink_to(secret)

    return mutate


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Mutation | None
    argv: tuple[str, ...]  # {data}, {out} (the previous good file) and {tmp} (the test's folder) are filled in
    status: int
    message: str  # the first line the user reads, filled in likewise; for status 2, the first problem
    problems: int = 1  # for status 2: how many problems the input has, all reported in one run


# fmt: off
CASES = [
    # Characters, dates and structures YAML and Markdown files must not carry
    Case("a NUL written as a YAML escape", _replace(JAPAN, '"Japan", de', '"Ja\\0pan", de'), ("check",), 2,
         "{data}/countries/japan.yaml:2:12: name.en: invisible control character U+0000 in the text; remove it (it cannot be printed)"),
    Case("a bell character pasted into YAML", _replace(JAPAN, '"Japan", de', "Ja\x07pan, de"), ("check",), 2,
         "{data}/countries/japan.yaml:2:14: invisible control character U+0007; remove it (it cannot be printed)"),
    Case("a NUL byte in Markdown", _append_bytes(JAPAN_TEXT, b"x\x00y"), ("check",), 2,
         "{data}/countries/japan/rules-based-order.md:52:2: invisible control character U+0000; remove it (it cannot be printed)"),
    Case("a date that does not exist", _replace(JAPAN, "as_of: 2020-07-01", "as_of: 2023-13-45"), ("check",), 2,
         "{data}/countries/japan.yaml:7:10: population.as_of: '2023-13-45' is not a valid date (month must be in 1..12)"),
    Case("a figure as of a date in the future", _replace(JAPAN, "as_of: 2020-07-01", "as_of: 2999-07-01"), ("check",), 2,
         "{data}/countries/japan.yaml:7:3: population.as_of: 2999-07-01 lies in the future; give the date the figure stood at"),
    Case("lists nested 5,000 deep", _replace(JAPAN, "code: JP", "code: JP\nx: " + "[" * 5000 + "]" * 5000), ("check",), 2,
         "{data}/countries/japan.yaml: lists or mappings nested more than 64 levels deep; refusing to read it"),
    Case("lists nested 70 deep", _replace(JAPAN, "code: JP", "code: JP\nx: " + "[" * 70 + "]" * 70), ("check",), 2,
         "{data}/countries/japan.yaml:2:68: lists or mappings nested more than 64 levels deep; refusing to read it"),
    Case("a Latin-1 Markdown file gets one message", _latin1(JAPAN_TEXT), ("check",), 2,
         "{data}/countries/japan/rules-based-order.md:31: file is not UTF-8 text (byte 0xe9 at offset "),
    # Texts no country asks for
    Case("an assessment text without its country file", _copy(JAPAN_TEXT, "countries/norway/security.md"), ("check",), 2,
         "{data}/countries/norway/security.md: an assessment text without its country file {data}/countries/norway.yaml; it would never be printed"),
    Case("an assessment text its country does not ask for", _copy(JAPAN_TEXT, "countries/japan/migration.md"), ("check",), 2,
         "{data}/countries/japan/migration.md: {data}/countries/japan.yaml has no assessment for 'migration'; this text would never be printed"),
    # Data, specs and events as editors get them wrong; commands asked for what does not exist
    Case('a Latin-1 YAML file', _latin1_yaml(JAPAN), ('country', 'japan', '-o', '{out}'), 2,
         '{data}/countries/japan.yaml:3: file is not UTF-8 text (byte 0xe9 at offset 66); save it with UTF-8 encoding'),
    Case('a YAML syntax error', _replace(JAPAN, 'region: asia-pacific', 'region: [asia-pacific'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:5:11: YAML syntax error: expected ',' or ']', but got ':'"),
    Case('a tab for indentation', _replace(JAPAN, '  as_of: 2020-07-01', '\tas_of: 2020-07-01'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:7:1: YAML syntax error: found character '\\t' that cannot start any token"),
    Case('an empty country file', _write(JAPAN, ''), ('country', 'india', '-o', '{out}'), 2,
         '{data}/countries/japan.yaml:1:1: the file is empty'),
    Case('a country file that is a list', _write(JAPAN, '- code: JP\n'), ('country', 'india', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:1:1: expected a mapping of keys to values, got [{{'code': 'JP'}}]"),
    Case('a duplicate key', _replace(JAPAN, 'region: asia-pacific', 'region: asia-pacific\nregion: asia-pacific'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:5:1: region: duplicate key 'region' (first given on line 4)"),
    Case('an alias bomb', _replace(JAPAN, 'code: JP', 'code: JP\n' + BILLION_LAUGHS), ('country', 'japan', '-o', '{out}'), 2,
         '{data}/countries/japan.yaml:2:56: document expands to more than 20000 values (aliases nested too deep?); refusing to expand it'),
    Case('an unknown key', _replace(JAPAN, 'region: asia-pacific', 'region: asia-pacific\npopulaton: 5'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:5:1: populaton: unknown key 'populaton'"),
    Case('a missing capital', _replace(JAPAN, 'capital: {en: "Tokyo", de: "Tokio", fr: "Tokyo", es: "Tokio"}\n', ''), ('country', 'japan', '-o', '{out}'), 2,
         '{data}/countries/japan.yaml:1:1: capital: required field is missing'),
    Case('a rating off the scale', _replace(JAPAN, 'relevance: 5', 'relevance: 7'), ('country', 'japan', '-o', '{out}'), 2,
         '{data}/countries/japan.yaml:17:15: assessments[0].ratings.relevance: expected a rating from 1 to 5 (see rating_scale in atlas.yaml), got 7'),
    Case('a rating in words', _replace(JAPAN, 'relevance: 5', 'relevance: high'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:17:15: assessments[0].ratings.relevance: expected a whole number, got 'high'"),
    Case("Norway's code read as false", _replace(JAPAN, 'code: JP', 'code: NO'), ('country', 'india', '-o', '{out}'), 2,
         '{data}/countries/japan.yaml:1:1: code: expected a text, got False (YAML reads yes, no, on and off as true or false: put the text in quotes)'),
    Case('an unknown region', _replace(JAPAN, 'region: asia-pacific', 'region: asia-pacifc'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:4:1: region: unknown region 'asia-pacifc'; expected one of: asia-pacific, latin-america"),
    Case('an unknown author', _replace(JAPAN, 'author: rabea-brauer', 'author: rabea-bauer'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:15:5: assessments[0].author: unknown author 'rabea-bauer'; expected one of: carla-weissenborn, lena-voskuhl, miriam-ostendorf, rabea-brauer, tobias-kranich"),
    Case('an unknown interest', _replace(JAPAN, '  - interest: prosperity', '  - interest: prosperty'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:24:5: assessments[1].interest: unknown interest 'prosperty'; expected one of: migration, prosperity, resources-climate, rules-based-order, security"),
    Case('a suspended assessment without a reason', _delete_line('countries/afghanistan.yaml', '    reason: '), ('country', 'afghanistan', '-o', '{out}'), 2,
         "{data}/countries/afghanistan.yaml:10:5: assessments[0]: a suspended assessment needs a 'reason'"),
    Case('an active assessment without ratings', _delete_line(JAPAN, '    ratings: {relevance: 5, willingness: 4, status_quo: 3, potential: 5}'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan.yaml:13:5: assessments[0]: an active assessment needs 'ratings'"),
    Case('a key question missing', _replace(JAPAN_TEXT, '## Potential', '## Outlook'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan/rules-based-order.md:29:1: unknown section 'Outlook'; expected the five key questions '## Relevance', '## Willingness', '## Status quo', '## Potential', '## Policy recommendation'"),
    Case('atlas.yaml missing', _delete('atlas.yaml'), ('country', 'japan', '-o', '{out}'), 2,
         '{data}/atlas.yaml: file is missing'),
    Case('interests.yaml missing', _delete('interests.yaml'), ('country', 'japan', '-o', '{out}'), 2,
         '{data}/interests.yaml: file is missing'),
    Case('no country folder', _delete_tree('countries'), ('check',), 2,
         '{data}/countries: no country files found'),
    Case('an edition that is no year', _replace('atlas.yaml', 'edition: 2023', 'edition: next'), ('check',), 2,
         "{data}/atlas.yaml:1:1: edition: expected a whole number, got 'next'"),
    Case('an invalid ISBN', _replace('atlas.yaml', '978-3-9825471-3-8', '978-3-9825471-3-9'), ('check',), 2,
         "{data}/atlas.yaml:9:1: isbn: ISBN '978-3-9825471-3-9' has a wrong check digit"),
    Case('a text over the size limit', _append_text(JAPAN_TEXT, 'word ' * 30000), ('country', 'japan', '-o', '{out}'), 2,
         '{data}/countries/japan/rules-based-order.md: the file is 155 KB; a Markdown text may be at most 100 KB (limits.text_kb in atlas.yaml)'),
    Case('a YAML file over the size limit', _append_text(JAPAN, '# ' + 'x' * 300000 + '\n'), ('country', 'japan', '-o', '{out}'), 2,
         '{data}/countries/japan.yaml: the file is 298 KB; a YAML file may be at most 256 KB (limits.file_kb in atlas.yaml)'),
    Case('a data folder over the size limit', _both(_append_text('atlas.yaml', 'limits: {data_mb: 1}\n'), _write('notes.md', 'x' * 1100000)), ('check',), 2,
         "{data}: the data folder's YAML and Markdown files take 1.2 MB; at most 1 MB are read (limits.data_mb in atlas.yaml)"),
    Case('an unknown country asked for', None, ('country', 'atlantis', '-o', '{out}'), 2,
         "unknown country 'atlantis'; expected one of: afghanistan (AF), brazil (BR), chile (CL), china (CN), india (IN), japan (JP), kazakhstan (KZ), mexico (MX), pakistan (PK), taiwan (TW), uzbekistan (UZ), vietnam (VN)"),
    Case('an unknown region asked for', None, ('region', 'atlantis', '-o', '{out}'), 2,
         "unknown region 'atlantis'; expected one of: asia-pacific, latin-america"),
    Case('a pack spec that does not exist', None, ('pack', '{data}/packs/none.yaml', '-o', '{out}'), 2,
         '{data}/packs/none.yaml: file not found'),
    Case('a pack spec with a misspelt key', _replace(PACK, 'delegation:', 'delegaton:'), ('pack', '{data}/packs/tokyo-delegation-2023.yaml', '-o', '{out}'), 2,
         '{data}/packs/tokyo-delegation-2023.yaml:5:1: delegation: required field is missing', problems=2),
    Case('a pack with an unknown country and a bad interest', _replace(PACK, '  - china', '  - atlantis\n  - country: taiwan\n    interests: [Trade]'), ('pack', '{data}/packs/tokyo-delegation-2023.yaml', '-o', '{out}'), 2,
         "{data}/packs/tokyo-delegation-2023.yaml:26:5: countries[1].country: unknown country 'atlantis'; expected one of: afghanistan, brazil, chile, china, india, japan, kazakhstan, mexico, pakistan, taiwan, uzbekistan, vietnam", problems=2),
    Case('an event without its review', _both(*(_delete(f'events/security-dialogue-2023{lang}.md') for lang in ('', '.fr', '.es'))), ('handout', '{data}/events/security-dialogue-2023.yaml', '-o', '{out}'), 2,
         '{data}/events/security-dialogue-2023.md: file is missing: the review text of {data}/events/security-dialogue-2023.yaml goes here'),
    Case('an event with an unknown speaker', _replace(EVENT, 'speakers: [imme-scholz]', 'speakers: [imme-schulz]'), ('handout', '{data}/events/security-dialogue-2023.yaml', '-o', '{out}'), 2,
         "{data}/events/security-dialogue-2023.yaml:25:16: programme[0].speakers[0]: unknown speaker 'imme-schulz'; expected one of: imme-scholz, hidenao-yanagi, yoko-iwama, kimitake-nakamura, martin-thuemmel, boris-mijatovic"),
    Case('an event file that does not exist', None, ('handout', '{data}/events/none.yaml', '-o', '{out}'), 2,
         '{data}/events/none.yaml: file not found'),
    Case('a data folder that does not exist', None, ('country', 'japan', '--data', '{tmp}/none', '-o', '{out}'), 2,
         '{tmp}/none: data folder not found'),
    Case('a diff with an unknown edition', None, ('diff', '2019', '2023', '-o', '{out}'), 2,
         'no edition 2019: sealed editions in archive: 2022; the working data is edition 2023'),
    Case('an edition that is no year', None, ('atlas', '--edition', '20x', '-o', '{out}'), 2,
         "expected an edition year like 2023, got '20x'"),
    Case('an edition that does not exist', None, ('atlas', '--edition', '2031', '-o', '{out}'), 2,
         'no edition 2031: sealed editions in archive: 2022; the working data is edition 2023'),
    Case("sealing an edition other than the data's", None, ('archive', '--edition', '2022', '--archive-dir', '{tmp}/archive'), 1,
         "error: the working data is edition 2023, not 2022; only the working data's edition can be sealed"),
    Case('verifying a folder that is not sealed', None, ('verify', '{data}'), 1,
         '{data}/MANIFEST.sha256: missing; {data} is not a sealed edition'),
    Case('preflight of a file that is no PDF', _write('notes.txt', 'not a pdf'), ('preflight', '{data}/notes.txt'), 1,
         'FAILED: readable PDF'),
    Case('sections out of order', _swap(JAPAN_TEXT, '## Relevance', '## Willingness'), ('country', 'japan', '-o', '{out}'), 2,
         "{data}/countries/japan/rules-based-order.md: sections must follow the order '## Relevance', '## Willingness', '## Status quo', '## Potential', '## Policy recommendation'"),
    Case('a German text without its English original', _delete('regions/asia-pacific.md'), ('region', 'asia-pacific', '-o', '{out}'), 2,
         '{data}/regions/asia-pacific.de.md: a translation without its English original asia-pacific.md; write the English text first'),
    Case('a country selected twice in a pack', _replace(PACK, '  - china', '  - china\n  - CN'), ('pack', '{data}/packs/tokyo-delegation-2023.yaml', '-o', '{out}'), 2,
         "{data}/packs/tokyo-delegation-2023.yaml:27:5: countries[2].country: country 'CN' is selected twice"),
    Case('an event on a day that does not exist', _replace(EVENT, 'date: 2023-11-13', 'date: 2023-11-31'), ('handout', '{data}/events/security-dialogue-2023.yaml', '-o', '{out}'), 2,
         "{data}/events/security-dialogue-2023.yaml:12:7: date: '2023-11-31' is not a valid date (day is out of range for month)"),
    Case('a sealed edition tampered with', _tamper(), ('verify', '{tmp}/archive/2022'), 1,
         '{tmp}/archive/2022/data/countries/japan.yaml: checksum differs from MANIFEST.sha256'),
    Case("a link out of the data folder: a region's introduction", _link_out('regions/asia-pacific.md'), ('region', 'asia-pacific', '-o', '{out}'), 2,
         '{data}/regions/asia-pacific.md: a symbolic link to a file outside its folder; put the file itself there'),
    Case("a link out of the data folder, seen by check", _link_out("regions/latin-america.md"), ("check",), 2,
         "{data}/regions/latin-america.md: a symbolic link to a file outside its folder; put the file itself there"),
    Case('a link out of the data folder: an assessment', _link_out(JAPAN_TEXT), ('country', 'japan', '-o', '{out}'), 2,
         '{data}/countries/japan/rules-based-order.md: a symbolic link to a file outside its folder; put the file itself there'),
    Case('a link out of the data folder: a country file', _link_out(JAPAN), ('country', 'india', '-o', '{out}'), 2,
         '{data}/countries/japan.yaml: a symbolic link to a file outside its folder; put the file itself there'),
    Case("a link out of the data folder: an event's review", _link_out('events/security-dialogue-2023.md'), ('handout', '{data}/events/security-dialogue-2023.yaml', '-o', '{out}'), 2,
         '{data}/events/security-dialogue-2023.md: a symbolic link to a file outside its folder; put the file itself there'),
    Case("a link out of the data folder: a pack's notes", _link_out('packs/tokyo-delegation-2023.md'), ('pack', '{data}/packs/tokyo-delegation-2023.yaml', '-o', '{out}'), 2,
         '{data}/packs/tokyo-delegation-2023.md: a symbolic link to a file outside its folder; put the file itself there'),
    Case('preflight of a missing file', None, ('preflight', '{tmp}/none.pdf'), 1,
         'error: cannot read {tmp}/none.pdf: No such file or directory'),
    # Outputs, options and the machine
    Case("-o names a folder", None, ("country", "japan", "-o", "{tmp}"), 1,
         "error: cannot write {tmp}: it is a folder; name a file in it, e.g. {tmp}/dossier.pdf"),
    Case("-o below a regular file", None, ("country", "japan", "-o", "{out}/japan.pdf"), 1,
         "error: cannot write {out}/japan.pdf: {out} is a file, not a folder"),
    Case("--jobs -1", None, ("region", "asia-pacific", "--jobs", "-1", "-o", "{out}"), 2,
         "jobs -1: expected 1 or more"),
    Case("--scheduler that is no address", None, ("region", "asia-pacific", "--scheduler", "nonsense", "-o", "{out}"), 2,
         "scheduler 'nonsense': expected an address like tcp://127.0.0.1:8786"),
    Case("--scheduler where nothing listens", None, ("region", "asia-pacific", "--scheduler", "tcp://127.0.0.1:9", "-o", "{out}"), 1,
         "error: cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 2 s; is it running?"),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gets_one_clear_message(case: Case, data_copy, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("reports.workers.SCHEDULER_TIMEOUT", 2)  # the documented 10 s, shortened for the suite
    if case.mutate:
        case.mutate(data_copy)
    out = tmp_path / "previous.pdf"
    out.write_bytes(GOOD)
    before = sorted(p.name for p in tmp_path.iterdir())
    fill = {"data": data_copy, "out": out, "tmp": tmp_path}
    argv = [part.format(**fill) for part in case.argv]
    if "--data" not in argv and argv[0] not in ("preflight", "verify"):
        argv += ["--data", str(data_copy)]
    status = main(argv)
    printed = capsys.readouterr()
    error = printed.err or printed.out  # preflight reports on standard output
    assert status == case.status, error
    lines = error.splitlines()
    first = (
        next((line for line in lines if line.startswith("FAILED")), lines[0]) if argv[0] == "preflight" else lines[0]
    )
    assert first.startswith(case.message.format(**fill)), error
    assert "Traceback" not in error and "root-secret-line" not in error
    if status == 2:  # every problem reported once, in one run
        assert lines[-1] == f"{case.problems} problem{'s' if case.problems > 1 else ''} found." == lines[case.problems]
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


def _typesetters(session: int) -> list[int]:
    """The processes of the session that have loaded WeasyPrint's text layout (Pango)."""
    found = []
    for pid in _processes_in_session(session):
        try:
            if "libpango" in Path(f"/proc/{pid}/maps").read_text():
                found.append(pid)
        except OSError:  # ended meanwhile
            continue
    return found


@pytest.mark.parametrize(
    "signal_name, moment",
    [("SIGKILL", "loading"), ("SIGKILL", "workers started"), ("SIGKILL", "typesetting"), ("SIGTERM", "typesetting")],
)
def test_no_process_of_a_killed_book_build_is_left(signal_name, moment, tmp_path):
    """The build runs in a session of its own: every process it starts (fork server, workers, resource
    tracker) is in that session, so none can hide."""
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
        if moment == "typesetting":  # both workers have loaded the typesetter and taken a chapter
            while len(_typesetters(build.pid)) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)
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


@pytest.mark.parametrize(
    "fault, message",
    [
        (
            PermissionError(13, "Permission denied", "data/atlas.yaml"),
            "error: Permission denied (data/atlas.yaml); nothing was written",
        ),
        (
            RuntimeError("a fault of ours"),
            "error: internal error (RuntimeError: a fault of ours); nothing was written. This is a bug: please report it "
            "with the command you ran (ATLAS_DEBUG=1 shows where it happened)",
        ),
    ],
)
def test_a_fault_of_the_machine_or_of_ours_is_one_line(fault, message, tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise fault

    monkeypatch.setattr("reports.kinds.load_atlas", broken)
    monkeypatch.delenv("ATLAS_DEBUG", raising=False)
    out = tmp_path / "japan.pdf"
    out.write_bytes(GOOD)
    assert main(["country", "japan", "-o", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [message]
    assert out.read_bytes() == GOOD
