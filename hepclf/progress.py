"""Progress of the long steps: bars on a terminal, plain log lines elsewhere, silent by default.

Library code announces its long steps (the simulation, each cross-validation fold, the boosting
rounds, the uGB fit, the blend search) with :func:`task` and :func:`advance`; nothing is shown
unless the caller asks for it with :func:`show_progress`, as the ``hepclf`` command and the
reproductions do. On a terminal the steps are tqdm bars (nested: the rounds inside the fold);
when the stream is not a terminal (a log file, a batch job) they are plain lines
``[hepclf NAME   12.3 s] message``, one when a step starts, one when it ends, and one at most
every ``interval`` seconds in between.

>>> import io
>>> from hepclf.progress import advance, show_progress, task
>>> log = io.StringIO()
>>> with show_progress("demo", stream=log, clock=lambda: 0.0):
...     with task("boosting", total=3, unit="rounds"):
...         for _ in range(3):
...             advance()
>>> print(log.getvalue(), end="")
[hepclf demo    0.0 s] boosting (3 rounds)
[hepclf demo    0.0 s] boosting: 3/3 rounds in 0.0 s
"""

from __future__ import annotations

import contextvars
import numbers
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["ProgressDisplay", "advance", "show_progress", "step", "task"]


class _Task:
    """One running step: counts its units and shows them (plain lines, a bar, or nothing)."""

    def __init__(self, display: ProgressDisplay | None, description: str, total, unit: str):
        self.display, self.description, self.total, self.unit = display, description, total, unit
        self.done = 0
        self.bar = None
        if display is None:
            return
        self.started = self.last_line = display.clock()
        if display.interactive:
            from tqdm.auto import tqdm

            self.bar = tqdm(
                total=total, desc=description, unit=f" {unit}", file=display.stream,
                leave=display.depth == 1, position=display.depth - 1, dynamic_ncols=True,
            )  # fmt: skip
        else:
            size = "" if total is None else f" ({total:,} {unit})"
            display.step(f"{description}{size}")

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif self.display is not None:
            now = self.display.clock()
            if now - self.last_line >= self.display.interval:
                self.last_line = now
                self.display.step(f"{self.description}: {self._count()}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.display is not None:
            seconds = self.display.clock() - self.started
            self.display.step(f"{self.description}: {self._count()} in {seconds:.1f} s")

    def _count(self) -> str:
        total = "" if self.total is None else f"/{self.total:,}"
        return f"{self.done:,}{total} {self.unit}"


class ProgressDisplay:
    """Where and how progress is shown (see :func:`show_progress`).

    Parameters
    ----------
    name : str
        The command's name, in every plain line.
    stream : file, optional
        Where to write (default: standard error, so that standard output keeps the report).
    interactive : bool, optional
        Bars (True) or plain lines (False); by default bars exactly when ``stream`` is a terminal.
    interval : float
        Seconds between two plain lines of the same running step.
    clock : callable
        Seconds since some origin (``time.perf_counter``; tests pass a fixed clock).

    Raises
    ------
    TypeError
        ``clock`` is not callable (it is called at once, for the origin); an unknown keyword is
        given. The other parameters are not checked.
    OSError
        :meth:`step`: writing to ``stream`` fails (a broken pipe, a full disk).
    ValueError
        :meth:`step`: ``stream`` is closed.
    """

    def __init__(
        self,
        name: str,
        *,
        stream: TextIO | None = None,
        interactive: bool | None = None,
        interval: float = 10.0,
        clock: Callable[[], float] = time.perf_counter,
    ):
        self.name = name
        self.stream = sys.stderr if stream is None else stream
        self.interactive = _is_terminal(self.stream) if interactive is None else interactive
        self.interval = interval
        self.clock = clock
        self.start = clock()
        self.depth = 0

    def step(self, message: str) -> None:
        """Write ``[hepclf NAME elapsed] message`` (above the bars, on a terminal)."""
        line = f"[hepclf {self.name} {self.clock() - self.start:6.1f} s] {message}"
        if self.interactive:
            from tqdm.auto import tqdm

            tqdm.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)


def _is_terminal(stream) -> bool:
    """A terminal with a known width (a pseudo-terminal of width 0 would show empty bars)."""
    try:
        return stream.isatty() and os.get_terminal_size(stream.fileno()).columns > 0
    except (AttributeError, OSError, ValueError):
        return False


_DISPLAY: contextvars.ContextVar[ProgressDisplay | None] = contextvars.ContextVar(
    "hepclf_progress_display", default=None
)
_TASKS: contextvars.ContextVar[tuple[_Task, ...]] = contextvars.ContextVar(
    "hepclf_progress_tasks", default=()
)


@contextmanager
def show_progress(
    name: str = "hepclf", *, quiet: bool = False, **options
) -> Iterator[ProgressDisplay | None]:
    """Show the progress of every long step run inside this ``with`` block.

    Parameters
    ----------
    name : str
        Shown in every plain line (the command: 'higgs', 'flavours').
    quiet : bool
        Show nothing in this block, not even what an enclosing display would show.
    **options
        ``stream``, ``interactive``, ``interval``, ``clock`` of :class:`ProgressDisplay`.

    Raises
    ------
    TypeError
        An option is not one of ``stream``, ``interactive``, ``interval``, ``clock``, or
        ``clock`` is not callable (:class:`ProgressDisplay`). What the block raises propagates
        unchanged; the display is removed first.

    Examples
    --------
    >>> from hepclf.progress import show_progress
    >>> from hepclf.simulate import simulate_higgs
    >>> with show_progress("my analysis"):  # doctest: +SKIP
    ...     events = simulate_higgs(100_000)
    """
    current = _DISPLAY.get()
    if quiet:
        display = None
    elif current is not None and not options:
        display = current  # inside a running display (the command's): report there
    else:
        display = ProgressDisplay(name, **options)
    token = _DISPLAY.set(display)
    try:
        yield display
    finally:
        _DISPLAY.reset(token)


def step(message: str) -> None:
    """Announce a step without a count (shown only inside :func:`show_progress`).

    Raises
    ------
    OSError
        Inside :func:`show_progress` only: writing the line to the display's stream fails (a
        broken pipe, a full disk). Outside a display nothing is written and nothing is raised.
    ValueError
        Inside :func:`show_progress` only: the display's stream is closed.
    """
    display = _DISPLAY.get()
    if display is not None:
        display.step(message)


@contextmanager
def task(description: str, *, total: int | None = None, unit: str = "steps") -> Iterator[_Task]:
    """A long step of ``total`` units (None: unknown); :func:`advance` counts them.

    Raises
    ------
    TypeError
        ``total`` is neither None nor a whole number, ``description`` or ``unit`` not a string.
    ValueError
        ``total`` is negative, or the display's stream is closed.
    OSError
        Inside :func:`show_progress` only: writing a line to the display's stream fails. What the
        block raises propagates unchanged; the task is closed first.
    """
    for name, text in (("description", description), ("unit", unit)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a string, got {text!r}")
    if total is not None:
        if isinstance(total, bool) or not isinstance(total, numbers.Integral):
            raise TypeError(f"total must be a whole number or None, got {total!r}")
        if total < 0:
            raise ValueError(f"total must be >= 0, got {total}")
    display = _DISPLAY.get()
    if display is not None:
        display.depth += 1
    running = _Task(display, description, total, unit)
    token = _TASKS.set((*_TASKS.get(), running))
    try:
        yield running
    finally:
        _TASKS.reset(token)
        running.close()
        if display is not None:
            display.depth -= 1


def advance(n: int = 1) -> None:
    """Count ``n`` units of the innermost running :func:`task` (nothing outside one).

    Raises
    ------
    TypeError
        Inside a running :func:`task` only: ``n`` is not a number. Outside one the call does
        nothing and raises nothing.
    OSError
        Inside :func:`show_progress` only: writing a progress line to the display's stream
        fails.
    """
    tasks = _TASKS.get()
    if tasks:
        tasks[-1].advance(n)
