"""The ``cinemagraph`` command line: a thin layer that builds a Recipe and calls the library.

Every error becomes one line on stderr and a documented exit code (see ``errors.EXIT_CODES``);
set ``CINEMAGRAPH_DEBUG=1`` to see tracebacks of unexpected errors.
"""

from __future__ import annotations

import os
import sys

import typer

from ._app import app, run_guarded  # noqa: F401
from . import render as _render  # noqa: F401  (registers render, demo)


def _register() -> None:
    from .analyze import analyze
    from .sfx import sfx_app

    app.command("analyze", help="Find sky, water and faces; write masks, faces.json, scene.json and an overlay.")(
        run_guarded(analyze))
    app.add_typer(sfx_app, name="sfx")


_register()


def _on_sigterm(signum, frame) -> None:  # pragma: no cover - exercised through a subprocess
    print("cinemagraph: terminated", file=sys.stderr)
    raise SystemExit(143)  # unwinds like an exception: partial outputs are removed on the way


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        _main(argv)
    except BrokenPipeError:  # e.g. `cinemagraph --help | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


def _main(argv: list[str] | None) -> None:
    os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache")), "cinemagraph", "numba"))
    try:
        rv = app(args=argv, prog_name="cinemagraph", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("cinemagraph: aborted", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("cinemagraph: interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: bad option values, unknown options
        if type(exc).__name__ == "NoArgsIsHelpError" and getattr(exc, "ctx", None) is not None:
            print(exc.ctx.get_help())
            sys.exit(0)
        fmt = getattr(exc, "format_message", None)
        msg = " ".join((fmt() if fmt else str(exc)).split())
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        print(f"cinemagraph: error: {msg}{hint}", file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(rv if isinstance(rv, int) else 0)
