"""One module per texcv command. Each defines HELP, `add_arguments(parser)` and `run(args) -> int`;
cli.py builds the parser from COMMANDS and dispatches."""

from . import (  # import_: `import` is a Python keyword
    build,
    doctor,
    export,
    import_,
    new,
    render,
    schema,
    templates,
    validate,
)

COMMANDS = {
    "new": new,
    "validate": validate,
    "render": render,
    "build": build,
    "templates": templates,
    "schema": schema,
    "doctor": doctor,
}
COMMANDS.update({"export": export, "import": import_})
