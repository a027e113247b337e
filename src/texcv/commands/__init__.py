"""One module per texcv command. Each defines HELP, `add_arguments(parser)` and `run(args) -> int`;
cli.py builds the parser from COMMANDS and dispatches."""

from . import build, render

COMMANDS = {"render": render, "build": build}
