"""texcv's command line: parses arguments, runs one command (texcv/commands/), reports on stderr.

Exit status: 0 success · 1 invalid profile or other user error · 2 usage error · 3 TeX failed ·
4 a required program (TeX) is missing · 5 template error · 70 internal error (a texcv bug: the
traceback is shown so it can be reported) · 128+N stopped by signal N (Ctrl-C, SIGTERM, SIGHUP;
141: the reader of its output stopped).
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

from . import __version__
from .commands import COMMANDS, output
from .errors import TexcvError, UserError

EPILOG = """exit status: 0 ok, 1 invalid profile or input, 2 usage error, 3 TeX failed,
4 TeX (or another required program) missing, 5 template error, 70 internal error"""


def _verbosity_options(parser: argparse.ArgumentParser, default: object) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", default=default, help="only warnings and errors")
    group.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="also say what texcv decided and why"
    )


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="texcv", description="Typeset résumés kept as YAML profiles with LaTeX (moderncv).", epilog=EPILOG
    )
    parser.add_argument("--version", action="version", version=f"texcv {__version__}")
    _verbosity_options(parser, False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Only the command being run gets its options: some need imports (the schema, the template
    # search path) that the other commands should not pay for at start-up. Global options take no value.
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, module in COMMANDS.items():
        command = commands.add_parser(name, help=module.HELP, description=module.HELP, epilog=EPILOG)
        _verbosity_options(command, argparse.SUPPRESS)  # also after the command; SUPPRESS keeps a -q given before it
        if name == chosen:
            module.add_arguments(command)
    return parser


class _Stopped(BaseException):
    """SIGTERM or SIGHUP, raised wherever texcv is, so that it stops as after Ctrl-C: the engine
    stopped, temporary directories removed, no output half-written."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> NoReturn:
    raise _Stopped(signum)


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser(argv).parse_args(argv)
    output.configure(output.QUIET if args.quiet else output.VERBOSE if args.verbose else output.NORMAL)
    previous = {signum: signal.signal(signum, _stop) for signum in _STOP_SIGNALS}
    try:
        return COMMANDS[args.command].run(args)
    except UserError as exc:
        output.error(str(exc))
        return exc.exit_code
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        output.error("interrupted")
        return 128 + signal.SIGINT
    except _Stopped as exc:
        output.error(f"stopped by {signal.Signals(exc.signum).name}")
        return 128 + exc.signum
    except Exception as exc:
        if isinstance(exc, OSError) and exc.filename is not None:  # e.g. an output path that cannot be written
            output.error(f"{exc.filename2 or exc.filename}: {exc.strerror}")
            return UserError.exit_code
        # internal (a texcv bug): show the traceback so it can be reported
        import traceback

        traceback.print_exc()
        output.error(f"internal error in texcv {__version__}; please report it with the traceback above")
        return TexcvError.exit_code
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _reader_gone() -> int:
    """The program reading texcv's output stopped (`texcv templates list | head -1`): stop quietly,
    as other tools do, with the status of a process SIGPIPE ended."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's own flush would fail again
    return 128 + signal.SIGPIPE


def command() -> NoReturn:
    """The `texcv` command (and `python -m texcv`): main() on sys.argv, then exit."""
    status = main()
    try:
        sys.stdout.flush()  # what is still buffered goes now, while a closed pipe can be told apart
    except BrokenPipeError:
        status = _reader_gone()
    # What is left is freed with the process: keeping the collector's final passes at exit away
    # from it saves ~15 ms a run (a seventh of a `render`; docs/performance.md).
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    command()
