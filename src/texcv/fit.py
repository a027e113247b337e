"""`build --pages N` and `design.pages: N`: the least intrusive design that sets a CV on N pages.

A ladder of steps, from the design as written to the tightest texcv allows, each smaller than the
one before in type size, margins and line spacing (never below 9 pt, 1.2 cm and 0.9): nothing is
ever left out. A trial is one TeX pass of the whole CV at a step, read for its page count. The
search assumes that a tighter step never takes more pages: the design as written first (most CVs
given a page count already keep to it), then bisection over the seven other steps, so a fit costs
at most four trials. The step chosen is cached under the key of the CV as written and the target,
so building unchanged input again runs no trial, and its PDF is a cache hit like any other.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import cache

FIT_FORMAT = "texcv-fit-1"  # bumped when the ladder changes: a cached step would mean other settings


@dataclass(frozen=True)
class Step:
    """The largest type size (pt), margin (cm) and line spacing factor of a step; a smaller value the
    design already has is kept."""

    font_size: float
    margin: float
    spacing: float


LADDER = (
    Step(11, 1.8, 1.0),
    Step(11, 1.6, 0.95),
    Step(10.5, 1.5, 0.95),
    Step(10, 1.5, 0.92),
    Step(10, 1.3, 0.9),
    Step(9.5, 1.2, 0.9),
    Step(9, 1.2, 0.9),
)
SIDES = ("top", "bottom", "left", "right")
_CM_PER = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72.27}
_LENGTH = re.compile(r"([0-9.]+)(cm|mm|in|pt|em)")


class Impossible(Exception):
    """No step sets the CV on the pages asked for; the message says what was tried."""


@dataclass
class Fit:
    target: int
    step: int  # of the ladder; 0: the design as written
    design: dict  # the design to build with
    trials: list[tuple[str, int]]  # each step tried, described, and the pages it took
    seconds: float
    cached: bool  # the step came from the cache: no trial ran

    def describe(self) -> str:
        """For the build line: "fitted to 1 page: 10 pt, margins 1.5cm, spacing 0.92 (3 trials, 1.2 s)"."""
        how = "settings cached" if self.cached else f"{_count(len(self.trials), 'trial')}, {self.seconds:.1f} s"
        if self.step == 0:
            return f"fits {_count(self.target, 'page')} as designed ({how})"
        return f"fitted to {_count(self.target, 'page')}: {settings(self.design)} ({how})"


def step_design(design: dict, step: int) -> dict:
    """The design at a step of the ladder (0: as written). Only knobs the family declares change."""
    if step == 0:
        return design
    limits = LADDER[step - 1]
    out = {**design, "margins": _margins(design["margins"], limits.margin)}
    for knob in ("font_size", "spacing"):
        if knob in design:  # a family option; a family may not declare it
            out[knob] = min(design[knob], getattr(limits, knob))
    return out


def _margins(margins: dict | None, limit: float) -> dict:
    """Each side at most `limit` cm; a side given in em, which has no fixed size, stays as given."""
    out = {}
    for side in SIDES:
        given = (margins or {}).get(side)
        match = _LENGTH.fullmatch(given or "")
        if match and (match.group(2) == "em" or float(match.group(1)) * _CM_PER[match.group(2)] <= limit):
            out[side] = given
        else:
            out[side] = f"{limit:g}cm"
    return out


def settings(design: dict) -> str:
    """The settings a fit may change, as the build line shows them: "10 pt, margins 1.5cm, spacing 0.92"."""
    margins = design["margins"] or {}
    if len({margins.get(side) for side in SIDES}) == 1:
        shown = [f"margins {margins.get('top') or 'as designed'}"]
    else:
        shown = ["margins " + " ".join(f"{side} {margins.get(side) or 'as designed'}" for side in SIDES)]
    if "font_size" in design:
        shown.insert(0, f"{design['font_size']:g} pt")
    if "spacing" in design:
        shown.append(f"spacing {design['spacing']:g}")
    return ", ".join(shown)


def least_step(fits: Callable[[int], bool], steps: int = len(LADDER)) -> int | None:
    """The first step 0…steps that fits, or None: step 0 first, then bisection over the others.
    With 7 steps that is at most 4 calls of `fits`."""
    if fits(0):
        return 0
    low, high, best = 1, steps, None
    while low <= high:
        middle = (low + high) // 2
        if fits(middle):
            best, high = middle, middle - 1
        else:
            low = middle + 1
    return best


def fit(design: dict, target: int, pages_at: Callable[[dict], int], key: str, use_cache: bool = True) -> Fit:
    """The least intrusive design that sets the CV on `target` pages; `pages_at(design)` runs a trial.
    `key` identifies the CV as written (its PDF's cache key). Raises Impossible."""
    started = time.perf_counter()
    entry = cache.directory() / "fit" / f"{cache.digest([FIT_FORMAT, key, str(target)])}.json"
    cached = _cached_step(entry) if use_cache else None
    if cached is not None:
        return Fit(target, cached, step_design(design, cached), [], time.perf_counter() - started, cached=True)
    trials: list[tuple[str, int]] = []

    def fits(step: int) -> bool:
        at = step_design(design, step)
        trials.append((settings(at) if step else "as designed", pages_at(at)))
        return trials[-1][1] <= target

    chosen = least_step(fits)
    if chosen is None:
        tried = "; ".join(f"{shown}: {_count(pages, 'page')}" for shown, pages in trials)
        raise Impossible(
            f"cannot fit onto {_count(target, 'page')} without leaving anything out: the tightest settings "
            f"allowed ({settings(step_design(design, len(LADDER)))}) take {_count(trials[-1][1], 'page')} "
            f"(tried {tried})"
        )
    cache.write(entry, json.dumps({"step": chosen}).encode("utf-8"))
    cache.prune(entry.parent)
    return Fit(target, chosen, step_design(design, chosen), trials, time.perf_counter() - started, cached=False)


def _cached_step(entry: Path) -> int | None:
    try:
        step = json.loads(cache.read(entry) or b"null")["step"]
    except (ValueError, TypeError, KeyError):
        return None
    return step if isinstance(step, int) and 0 <= step <= len(LADDER) else None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
