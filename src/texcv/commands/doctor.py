"""texcv doctor: what is installed, what is missing, and how to install it."""

from __future__ import annotations

import argparse
import sys

from ..errors import ToolMissingError
from .output import paint

HELP = "show what texcv can use here and how to install what is missing"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from .. import packages
    from ..doctor import examine, hyphenation, scripts

    findings = examine()
    out = sys.stdout
    width = max(len(f.need.name) for f in findings)
    for finding in findings:
        need = finding.need
        if finding.found:
            status, detail = paint("ok      ", "ok", out), finding.found
        else:
            status = paint("MISSING " if need.required else "missing ", "error" if need.required else "warning", out)
            detail = f"for {need.used_for}: {finding.install}"
        print(f"{status} {need.name:<{width}}  {detail}", file=out)
    can, cannot = scripts()
    print(f"\nScripts this machine can set: {', '.join(can)}", file=out)
    if cannot:
        print(f"Scripts it cannot set: {'; '.join(cannot)}", file=out)
    hyphenated, unhyphenated = hyphenation()
    print(f"Languages TeX hyphenates: {', '.join(hyphenated)}", file=out)
    if unhyphenated:
        print(f"Languages without hyphenation patterns: {'; '.join(unhyphenated)}", file=out)
    missing = [f for f in findings if not f.found]
    required = [f.need.package for f in missing if f.need.required]
    if required:
        print(f"\nThe default build cannot run. Install what it needs with:\n  {packages.install(*required)}", file=out)
    if missing and len(missing) > len(required):
        print(f"\nEverything texcv can use:\n  {packages.install(*(f.need.package for f in missing))}", file=out)
    if not missing and not unhyphenated:
        print("\nEverything texcv can use is installed.", file=out)
    elif not required:
        print("\nThe default build works; the missing items are optional.", file=out)
    return ToolMissingError.exit_code if required else 0
