"""The Typer app and the error guard shared by every command."""

from __future__ import annotations

import functools
import os
import sys
import time
from typing import Callable

import typer

from ..errors import CinemagraphError

app = typer.Typer(
    name="cinemagraph",
    help="Turn a still photo into a seamlessly looping video: drifting clouds, rippling water, "
         "living faces and matched ambient sound. Classical, deterministic, CPU-only.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def fail(message: str, code: int) -> None:
    """Print one line on stderr and exit with ``code``."""
    print(f"cinemagraph: error: {message}", file=sys.stderr)
    raise typer.Exit(code)


def run_guarded(fn: Callable) -> Callable:
    """Wrap a command so errors become one stderr line and a distinct exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except CinemagraphError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            print("cinemagraph: interrupted", file=sys.stderr)
            raise typer.Exit(130)
        except MemoryError:
            fail("out of memory: try a smaller --size or a shorter --duration", 1)
        except Exception as exc:  # an unexpected bug: one line unless debugging
            if os.environ.get("CINEMAGRAPH_DEBUG"):
                raise
            fail(f"internal error ({type(exc).__name__}: {exc}); set CINEMAGRAPH_DEBUG=1 for details", 1)

    return wrapper


class ProgressBar:
    """A one-line progress bar on stderr (only when stderr is a terminal, unless forced)."""

    def __init__(self, enabled: bool | None = None, width: int = 28) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.width = width
        self._stage = None
        self._t0 = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self._stage:
            if self._stage is not None:
                sys.stderr.write("\n")
            self._stage = stage
            self._t0 = time.perf_counter()
        frac = done / total if total else 1.0
        fill = int(round(frac * self.width))
        elapsed = time.perf_counter() - self._t0
        rate = f"  {done / elapsed:5.1f}/s" if stage == "render" and elapsed > 0 and done else ""
        sys.stderr.write(f"\r{stage:<8} [{'#' * fill}{'.' * (self.width - fill)}] {done}/{total}{rate}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self._stage is not None:
            sys.stderr.write("\n")
            sys.stderr.flush()
