"""texcv's command line: parses arguments, runs one command (texcv/commands/), reports on stderr.

Exit status: 0 success · 1 invalid profile or other user error · 2 usage error · 3 TeX failed ·
4 a required program (TeX) is missing · 5 template error · 70 internal error (a texcv bug: the
traceback is shown so it can be reported).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import Sequence

from . import __version__
from .commands import COMMANDS
from .commands.options import say
from .errors import TexcvError, UserError

EPILOG = """exit status: 0 ok, 1 invalid profile or input, 2 usage error, 3 TeX failed,
4 TeX (or another required program) missing, 5 template error, 70 internal error"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="texcv", description="Typeset résumés kept as YAML profiles with LaTeX (moderncv).", epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"texcv {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        module.add_arguments(commands.add_parser(name, help=module.HELP, description=module.HELP, epilog=EPILOG))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command].run(args)
    except UserError as exc:
        say(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except Exception as exc:
        if isinstance(exc, OSError) and exc.filename is not None:  # e.g. an output path that cannot be written
            say(f"error: {exc.filename2 or exc.filename}: {exc.strerror}")
            return UserError.exit_code
        # internal (a texcv bug): show the traceback so it can be reported
        traceback.print_exc()
        say(f"internal error in texcv {__version__}; please report it with the traceback above")
        return TexcvError.exit_code


if __name__ == "__main__":
    sys.exit(main())
