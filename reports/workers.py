"""Where chapters are typeset: worker processes here, or a Dask cluster.

Both are used through the standard `concurrent.futures.Executor` interface,
so the book code has one path whatever runs the jobs. Work that needs what
the build has loaded rather than a typesetter (a site's pages in each
language) runs in processes forked from the build instead (`forked_map`).
Every one of these processes ends with its build.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from .pages import PROJECT
from .problems import BuildError

SCHEDULER_TIMEOUT = 10  # seconds to reach a Dask scheduler before a build gives up
_KEPT: dict[int, ProcessPoolExecutor] = {}  # number of processes -> workers kept for the next build
_keeping = False
T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextmanager
def chapter_executor(jobs: int | None = None, scheduler: str | None = None) -> Iterator[Executor]:
    """`scheduler` ('tcp://host:port') runs the jobs on a Dask cluster; else `jobs` local processes."""
    if scheduler:
        from dask.distributed import Client  # only a cluster build needs Dask loaded

        try:
            client = Client(scheduler, set_as_default=False, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as error:
            raise BuildError(
                f"cannot reach the Dask scheduler at {scheduler} within {SCHEDULER_TIMEOUT} s; "
                f"is it running? ({type(error).__name__})"
            ) from None
        with client:
            yield client.get_executor()
        return
    jobs = jobs or default_jobs()
    if jobs == 1:
        in_thread = ThreadPoolExecutor(1)  # no second process for a one-job build
        try:
            yield in_thread
        except BaseException:
            in_thread.shutdown(cancel_futures=True)  # as below: the chapters not yet begun are of no use
            raise
        in_thread.shutdown()
        return
    executor = _KEPT.pop(jobs, None) if _keeping else None
    if executor is None or getattr(executor, "_broken", False):
        executor = _new_workers(jobs)
    try:
        yield executor
    except BaseException:
        _stop(executor)  # an error or Ctrl-C: the chapters still being typeset are of no use
        raise
    if _keeping:
        _KEPT[jobs] = executor
    else:
        executor.shutdown(wait=True)


def forked_map(work: Callable[[T], R], items: Sequence[T], jobs: int | None = None) -> list[R]:
    """work(item) for each item, in up to `jobs` processes forked from this one, so that they share
    what it has loaded (the site's pages in each language are made from one loaded atlas). Only the
    items and the results pass between the processes, not `work` and what it holds. In this process
    where one job or one item would do."""
    jobs = min(jobs or default_jobs(), len(items))
    if jobs <= 1:
        return [work(item) for item in items]
    executor = ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("fork"), initializer=_take, initargs=(work, os.getpid())
    )
    try:
        results = list(executor.map(_do, items))
    except BaseException:
        _stop(executor)
        raise
    executor.shutdown(wait=True)
    return results


_work: Callable | None = None  # in a forked process: what forked_map gave it to do


def _take(work: Callable, build: int) -> None:
    global _work
    _work = work  # a fork's arguments are not pickled: it has them as its parent had them
    end_with(build)


def _do(item):
    assert _work is not None
    return _work(item)


def keep_workers() -> None:
    """From now on, this process keeps its local workers between builds instead of ending them with
    each build: the preview's build process (reports/rebuild.py), which builds the same document again
    and again. A kept worker has WeasyPrint, the fonts and the parsed stylesheets of the last build
    warm: on this project's 2-core machine a region dossier's rebuild after an edit took 1.0 s with
    kept workers against 1.2 s with fresh ones at a load average of 3, 1.3 s against 2.4 s at 5.
    Kept workers still end with this process, and with a build that fails or is interrupted; they
    hold their memory between builds and while a book is joined."""
    global _keeping
    _keeping = True


def preload_typesetter() -> None:
    """Fork this process's chapter workers from a fork server that has the typesetter (WeasyPrint,
    Pango) and the charts' matplotlib loaded, instead of each worker loading them (0.6 s each for
    matplotlib, for the first chart a worker draws): for a process that builds many books (the
    preview's build process, the test session). Called before its first workers start. A single
    build is better off without it: its two workers load the typesetter side by side while it loads
    the data, where the fork server would load it first and alone."""
    # The fork server imports the preloaded modules before it learns this process's sys.path (Python
    # 3.11): the project's folder first on its path makes it load this copy of the code.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")]))
    multiprocessing.get_context("forkserver").set_forkserver_preload([f"{__package__}.typeset", "matplotlib.pyplot"])


@contextmanager
def shared_workers() -> Iterator[None]:
    """The builds within share their local workers, which end with the block: a build of many
    documents (the web edition's PDFs) starts its workers once, not once per book, and each book
    finds them with WeasyPrint, the fonts and the stylesheets loaded. In a process that keeps its
    workers anyway (keep_workers), nothing changes."""
    global _keeping
    if _keeping:
        yield
        return
    _keeping = True
    try:
        yield
    except BaseException:
        for executor in _KEPT.values():
            _stop(executor)
        raise
    else:
        for executor in _KEPT.values():
            executor.shutdown(wait=True)
    finally:
        _keeping = False
        _KEPT.clear()


def _new_workers(jobs: int) -> ProcessPoolExecutor:
    # Fresh worker processes (not forks of this one, which holds the data, charts and typeset
    # chapters): each starts small, so the build's memory is what the typesetting needs.
    executor = ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("forkserver"), initializer=end_with, initargs=(os.getpid(),)
    )
    # Processes start on demand, and the first waits for the fork server to import our code: start
    # them from a thread, so that they get ready while the caller loads the data.
    threading.Thread(target=_start, args=(executor, jobs), daemon=True).start()
    return executor


def end_on_sigterm() -> None:
    """SIGTERM ends this process as Ctrl-C does (KeyboardInterrupt): a build stops its workers and
    writes nothing. Once: a second SIGTERM (sent to the whole process group, then again by a parent
    stopping its child) does not break into the clean-up after the first."""
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def _stop(executor: ProcessPoolExecutor) -> None:
    processes = list((getattr(executor, "_processes", None) or {}).values())  # 3.14 has terminate_workers()
    for process in processes:
        process.terminate()
    # The pool, its workers gone, fails every waiting task as broken. Cancelling them too raced with
    # that: Python 3.11's pool then printed an InvalidStateError traceback from its own thread.
    executor.shutdown(wait=False)


def end_with(build: int) -> None:
    """Run by each worker as it starts: the worker ends as soon as the build's process ends, however
    it ends (an error, Ctrl-C, SIGTERM, kill -9). Its parent is the fork server, not the build, so
    the kernel's parent-death signal cannot do this; a watching thread can, even while the worker is
    blocked writing a result that nobody will read. (The preview's build process, reports/rebuild.py,
    ends with the preview this way.)"""

    def watch() -> None:
        try:
            handle = os.pidfd_open(build)
        except ProcessLookupError:
            os._exit(1)
        except OSError:  # no pidfd (an old kernel): look every half second
            while _alive(build):
                time.sleep(0.5)
            os._exit(1)
        select.select([handle], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="end with the build", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start(executor: ProcessPoolExecutor, jobs: int) -> None:
    try:
        for _ in range(jobs):
            executor.submit(_get_ready)
    except (RuntimeError, EOFError, OSError):  # the build ended (an error, a signal) before its workers were needed
        pass


def _get_ready() -> None:
    """A worker's first job: load the typesetter (WeasyPrint, Pango) before the first chapter comes."""
    importlib.import_module(f"{__package__}.typeset")
