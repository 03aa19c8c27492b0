"""Building a document again whenever a file it depends on changes: `watch` and `serve`.

One build process stays alive between builds, with WeasyPrint, its fonts and
stylesheets loaded, and the processes that typeset a book's chapters are
forked from a fork server that has them loaded too, and kept for the next
build (reports/workers.py, keep_workers). Every build goes through
the ordinary pipeline (reports/pipeline.py), so the build cache makes an edit
redo only what it touched: a book's edited chapter, and the chapters printing
page numbers if those moved. The files the last build read
(reports/inputs.py) say which changes call for a new build. A process reads
the templates, styles and translations once, so a change to those starts a
fresh build process.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import watchfiles

from .i18n import LOCALE_DIR
from .inputs import Inputs, unchanged
from .pages import STYLES, TEMPLATES
from .pipeline import BuildOptions, build, make_pdf
from .problems import EXPECTED_FAILURES, failure_report
from .workers import end_on_sigterm, end_with, keep_workers, preload_typesetter

ENVIRONMENT = tuple(folder.resolve() for folder in (TEMPLATES, STYLES, LOCALE_DIR))
QUIET_MS = 20  # a burst of changes (an editor saving through a temporary file) is one change once quiet this long


@dataclass(frozen=True)
class Outcome:
    """One build: its PDF (or, given an output file, the files it wrote), or the problems that stopped it."""

    pdf: bytes | None
    default_output: Path | None  # where the build command would write it (out/japan.pdf)
    files: tuple[Path, ...]
    summary: str
    problems: tuple[str, ...]  # as the command line prints them; none when the build succeeded
    seconds: float
    inputs: dict[str, str]  # the files it read, as reports/inputs.py records them

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Typeset:
    """Sent by the build process before its Outcome: the PDF typeset, not yet checked."""

    pdf: bytes


class BuildProcess:
    """The warm build process: started on the first build, kept for the next, ended by `stop`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._closed = False

    def build(
        self,
        kind,
        options: BuildOptions,
        write: bool = False,
        output: Path | None = None,
        on_typeset: Callable[[bytes], None] | None = None,
    ) -> Outcome:
        """Build in the warm process: its PDF, or with `write`, the files written atomically (to
        `output`, or where the build command would write them). `on_typeset` is handed a newly
        typeset PDF while it is being checked (reports/pipeline.py, make_pdf); not when writing."""
        started = time.perf_counter()
        try:
            connection = self._started()
            connection.send((kind, options, write, output, on_typeset is not None))
            while isinstance(message := connection.recv(), Typeset):
                if on_typeset:
                    on_typeset(message.pdf)
            return message
        except (EOFError, OSError):  # the process ended: stopped, or killed from outside
            self.restart()
            return Outcome(
                None,
                None,
                (),
                "",
                ("error: the build process ended before the build did; the next change starts a new one",),
                time.perf_counter() - started,
                {},
            )

    def restart(self) -> None:
        """End the process; the next build starts a fresh one (which reads templates and styles anew)."""
        with self._lock:
            self._end()

    def stop(self) -> None:
        """End the process (and so its chapter workers) for good; a build waiting for it returns."""
        with self._lock:
            self._closed = True
            self._end()

    def _started(self) -> Connection:
        with self._lock:
            if self._closed:
                raise EOFError("the build process was stopped")
            if self._process is None or self._connection is None:
                context = multiprocessing.get_context("spawn")  # a fresh interpreter, not a copy of the server
                ours, theirs = context.Pipe()
                self._process = context.Process(
                    target=_serve_builds, args=(theirs, os.getpid()), name="atlas build process"
                )
                self._process.start()
                theirs.close()
                self._connection = ours
            return self._connection

    def _end(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None


def _serve_builds(connection: Connection, parent: int) -> None:
    """The build process: builds what it is sent, one at a time, and ends with the process that started it."""
    end_with(parent)
    # Ctrl-C in a terminal reaches every process of its group; the parent ends this one itself, with
    # SIGTERM, which stops a build as Ctrl-C stops the build command: its chapter workers first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_on_sigterm()
    preload_typesetter()
    keep_workers()  # a book's chapter workers stay for the next build, warm
    try:
        importlib.import_module(f"{__package__}.typeset")  # WeasyPrint and Pango, before the first build asks
        while True:
            kind, options, write, output, early = connection.recv()
            typeset = (lambda pdf: connection.send(Typeset(pdf))) if early and not write else None
            connection.send(_build(kind, options, write, output, typeset))
    except (KeyboardInterrupt, EOFError):  # stopped, or the preview is gone
        return


def _build(
    kind, options: BuildOptions, write: bool, output: Path | None, on_typeset: Callable[[bytes], None] | None = None
) -> Outcome:
    inputs, started = Inputs(), time.perf_counter()
    files: tuple[Path, ...] = ()
    try:
        if not write:
            built = make_pdf(kind, options, inputs, on_typeset)
            pdf, default, summary = built.pdf, built.default_output, built.summary
        else:
            result = build(kind, options, output, inputs)
            pdf, default, files, summary = None, None, tuple(result.files), result.summary
    except Exception as error:
        lines, _ = failure_report(error)
        if os.environ.get("ATLAS_DEBUG") and not isinstance(error, EXPECTED_FAILURES):
            lines += traceback.format_exc().splitlines()
        return Outcome(None, None, (), "", tuple(lines), time.perf_counter() - started, inputs.record())
    return Outcome(pdf, default, files, summary, (), time.perf_counter() - started, inputs.record())


class Dependencies:
    """What a document depends on, from what its builds read: the folders to watch, and which
    changes in them call for a new build."""

    def __init__(self, data: Path):
        self.data = Path(data).resolve()
        self.record: dict[str, str] = {}
        self.complete = False  # the last build succeeded: its record lists everything the document reads

    def update(self, outcome: Outcome) -> None:
        # A failed build stopped reading at its problem: keep watching what the last good one read.
        self.record = outcome.inputs if outcome.ok else {**self.record, **outcome.inputs}
        self.complete = outcome.ok

    def _read(self) -> tuple[set[Path], set[Path]]:
        """The files read and the folders listed."""
        files, folders = set(), set()
        for entry in self.record:
            kind, _, where = entry.partition(" ")
            if kind == "file":
                files.add(Path(where))
            else:
                folders.add(Path(where.partition("\0")[0]))
        return files, folders

    def roots(self) -> list[Path]:
        """The folders to watch, none inside another."""
        files, folders = self._read()
        candidates = {self.data, *ENVIRONMENT, *folders, *(file.parent for file in files)}
        existing = sorted(folder for folder in candidates if folder.is_dir())
        return [folder for folder in existing if not any(folder != o and folder.is_relative_to(o) for o in existing)]

    def affected_by(self, paths: Iterable[Path]) -> bool:
        if not self.complete:
            return True  # a build that failed may depend on anything: the fix, a file it did not get to
        files, folders = self._read()
        return any(path in files or _inside(path, [*folders, *ENVIRONMENT]) for path in paths)


def _inside(path: Path, folders: Iterable[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


class Rebuilder:
    """Builds a document, and again after each change to a file it depends on, until stopped.

    `on_build` gets each build's outcome; `on_start` is told when a build starts, and `on_typeset`
    is handed a newly typeset PDF while it is being checked. With `write`, each build writes its
    PDF (to `output`, or where the build command would) instead of handing it over.
    """

    def __init__(
        self,
        kind,
        options: BuildOptions,
        on_build: Callable[[Outcome], None],
        on_start: Callable[[], None] = lambda: None,
        on_typeset: Callable[[bytes], None] | None = None,
        write: bool = False,
        output: Path | None = None,
    ):
        self.kind, self.options, self.write, self.output = kind, options, write, output
        self.on_build, self.on_start, self.on_typeset = on_build, on_start, on_typeset
        self._process = BuildProcess()
        self._stopping = threading.Event()

    def run(self) -> None:
        """Build and watch; returns once `stop` is called (or raises KeyboardInterrupt on Ctrl-C)."""
        dependencies = Dependencies(self.options.data)
        try:
            self._build(dependencies)
            while not self._stopping.is_set():
                roots, settled = dependencies.roots(), False
                for changes in watchfiles.watch(
                    *roots, stop_event=self._stopping, step=QUIET_MS, rust_timeout=500, yield_on_timeout=True
                ):
                    changed = [Path(path) for _, path in changes]
                    if not changed:  # quiet: the watcher is in place
                        if settled or unchanged(dependencies.record):
                            settled = True
                            continue  # and nothing changed before it was (since the build read the files)
                    elif not dependencies.affected_by(changed):
                        continue
                    if any(_inside(path, ENVIRONMENT) for path in changed):
                        self._process.restart()
                    self._build(dependencies)
                    if dependencies.roots() != roots:
                        break  # the build reads files elsewhere now: watch there too
        finally:
            self._process.stop()

    def stop(self) -> None:
        """From any thread: ends the watching and the build process (a build under way with it)."""
        self._stopping.set()
        self._process.stop()

    def _build(self, dependencies: Dependencies) -> None:
        self.on_start()
        outcome = self._process.build(self.kind, self.options, self.write, self.output, self.on_typeset)
        if self._stopping.is_set():
            return
        dependencies.update(outcome)
        self.on_build(outcome)


def watch(kind, options: BuildOptions, output: Path | None) -> None:
    """`build.py watch`: write the PDF now and after each change, one line per build, until Ctrl-C."""

    def report(outcome: Outcome) -> None:
        now = time.strftime("%H:%M:%S")
        if outcome.ok:
            detail = f" ({outcome.summary})" if outcome.summary else ""
            written = ", ".join(str(path) for path in outcome.files)
            print(f"{now} wrote {written} in {outcome.seconds:.2f} s{detail}", flush=True)
            return
        for line in outcome.problems:
            print(line, file=sys.stderr, flush=True)
        kept = f"{output} is" if output else "the PDF is"
        print(f"{now} not written ({outcome.seconds:.2f} s); {kept} as before", flush=True)

    Rebuilder(kind, options, on_build=report, write=True, output=output).run()
