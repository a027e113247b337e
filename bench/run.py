"""How fast texcv is, from the command line a user runs. Standard library and texcv only.

    .venv/bin/python bench/run.py            # every profile in profiles/ and a batch of 100 generated ones
    .venv/bin/python bench/run.py --quick    # one generated profile, a batch of 3, one run each (a smoke test)

Every figure is the median of --runs fresh processes (wall time); the texcv processes use a cache
directory of their own under a temporary directory, so nothing outside it is read or changed.
Results and how to read them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the working tree's texcv, as the texcv command runs it

from texcv import __version__, cache, preamble, textlayer
from texcv.build import documents
from texcv.compile import TEX_NAME, engine_command, engine_environment

# first_build_s: a first-ever build no slower than RenderCV's full render of the same résumé (0.88 s here).
TARGETS = {
    "render_ms": 120,
    "render_rss_mb": 60,
    "build_s": 0.6,
    "first_build_s": 0.9,
    "rebuild_ms": 150,
    "speedup": 1.7,
    "text_check_ms": 40,
    "watch_added_ms": 100,
}
_BUILT = re.compile(r"wrote (\S+\.pdf) \((\w+), (\d+) page\(s\), (?:cached|(\d+) pass)")


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the process and its children: less sensitive to a busy machine
    max_rss_mb: float  # peak resident memory of the process and the children it waited for
    stderr: str


class Bench:
    def __init__(self, work: Path, runs: int):
        self.work, self.runs = work, runs
        self.texcv = _texcv_command()
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # for texcv, here and in every run
        self.env = dict(os.environ, SOURCE_DATE_EPOCH="0")
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed texcv has its bytecode compiled

    def run(self, *args: str, env: dict | None = None) -> Run:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*self.texcv, *args],
            cwd=self.work,
            env=env or self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        stderr = process.stderr.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not every child's
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"texcv {' '.join(args)} failed:\n{stderr}")
        return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stderr)

    def median(self, *args: str, fresh_cache: bool = False) -> Run:
        """Median wall time of `runs` runs; fresh_cache: each in an empty cache directory."""
        runs = []
        for _ in range(self.runs):
            env = None
            if fresh_cache:
                env = dict(self.env, XDG_CACHE_HOME=tempfile.mkdtemp(dir=self.work, prefix="cache-"))
            runs.append(self.run(*args, env=env))
        return _median(runs)

    def median_edited(self, profile: Path, *args: str) -> Run:
        """Median wall time of `runs` builds of `profile` each after a new edit of its name (TeX
        must run, with the last build's format and .aux, as after a save); the file is restored."""
        text = profile.read_text(encoding="utf-8")
        name = printed_name(text)
        runs = []
        try:
            for edit in range(self.runs):
                profile.write_text(edited(text, name, f"{name} {edit}"), encoding="utf-8")
                runs.append(self.run("build", str(profile), *args))
        finally:
            profile.write_text(text, encoding="utf-8")
        return _median(runs)


def _median(runs: list[Run]) -> Run:
    runs = sorted(runs, key=lambda r: r.seconds)
    middle = runs[len(runs) // 2]
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
        max(r.max_rss_mb for r in runs),
        middle.stderr,
    )


def edited(text: str, name: str, new: str) -> str:
    """The profile with its name field's `name` replaced (not an earlier mention, in a comment say)."""
    found = re.search(r"^name:", text, re.MULTILINE)
    start = found.start() if found else 0
    return text[:start] + text[start:].replace(name, new, 1)


def printed_name(text: str) -> str:
    """The profile's own name as written (its given name when the name has parts; a translated
    part's first language), to edit it."""
    name = yaml.safe_load(text)["name"]
    if isinstance(name, dict):
        name = name["given"]
    if isinstance(name, dict):
        name = next(iter(name.values()))
    return str(name)


def _texcv_command() -> list[str]:
    # The console script next to this Python (a version manager's shim would add its own start-up).
    script = Path(sys.executable).parent / "texcv"
    return [str(script)] if script.exists() else [sys.executable, "-m", "texcv"]


def engine_seconds(
    bench: Bench, profile: Path, out: Path, passes_by_pdf: dict[str, int], precompiled: bool = True
) -> float:
    """The engine alone, run as texcv runs it (same source, format, seeded auxiliary files and
    passes), without texcv: what any tool would pay for the same PDF. precompiled=False: without
    the precompiled preamble, to show what it saves."""
    total = 0.0
    for doc in documents(profile):
        pdf = out / f"{doc.stem}.pdf"
        aux = cache.load_aux(pdf)
        with preamble.format_file(doc.tex, doc.choice.engine) as format_file:
            fmt = format_file.path() if precompiled else None
            total += _engine_passes(bench, doc, fmt, aux, passes_by_pdf[str(pdf)])
    return total


def _engine_passes(bench: Bench, doc: Any, fmt: Path | None, aux: dict[str, bytes], passes: int) -> float:
    total = 0.0
    for _ in range(passes):
        with tempfile.TemporaryDirectory(dir=bench.work) as workdir:
            folder = Path(workdir)
            (folder / f"{TEX_NAME}.tex").write_text(doc.tex, encoding="utf-8")
            for name, source in doc.extra_files.items():
                shutil.copyfile(source, folder / name)
            for name, data in aux.items():
                (folder / name).write_bytes(data)
            started = time.perf_counter()
            subprocess.run(
                [*engine_command(doc.choice.engine, fmt), f"{TEX_NAME}.tex"],
                cwd=folder,
                env=engine_environment(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
            total += time.perf_counter() - started
    return total


def text_check_seconds(bench: Bench, profile: Path, out: Path) -> float:
    """The text-layer check of every PDF of a profile, as build runs it: pdftotext, then every
    printed word looked for."""
    total = 0.0
    for doc in documents(profile):
        started = time.perf_counter()
        textlayer.check(doc.printed, textlayer.extract(out / f"{doc.stem}.pdf"))
        total += time.perf_counter() - started
    return total


def built_pdfs(stderr: str) -> dict[str, tuple[str, int, int]]:
    """PDF path → (engine, pages, passes; 0 when cached), from texcv build's progress lines."""
    return {m[1]: (m[2], int(m[3]), int(m[4] or 0)) for m in _BUILT.finditer(stderr)}


def profile_row(bench: Bench, profile: Path) -> dict:
    name = profile.stem
    out = bench.work / "out" / name
    render = bench.median("render", str(profile))  # to build/ in the work directory
    first = bench.median("build", str(profile), "-o", str(out), fresh_cache=True)
    bench.run("build", str(profile), "-o", str(out))  # the format and .aux in the benchmark's cache
    build = bench.median_edited(profile, "-o", str(out))
    bench.run("build", str(profile), "-o", str(out))  # the unedited profile's .aux again
    pdfs = built_pdfs(build.stderr)
    passes = {pdf: passes for pdf, (_, _, passes) in pdfs.items()}
    engine = statistics.median(engine_seconds(bench, profile, out, passes) for _ in range(bench.runs))
    if not engine:
        raise SystemExit(f"{name}: the edited build ran no engine:\n{build.stderr}")
    plain = statistics.median(engine_seconds(bench, profile, out, passes, precompiled=False) for _ in range(bench.runs))
    text_check = statistics.median(text_check_seconds(bench, profile, out) for _ in range(bench.runs))
    rebuild = bench.median("build", str(profile), "-o", str(out))
    assert all(passes == 0 for _, _, passes in built_pdfs(rebuild.stderr).values()), (
        "an unchanged rebuild ran the engine"
    )
    return {
        "profile": name,
        "pdfs": ", ".join(f"{e} {pages}p/{passes}x" for e, pages, passes in pdfs.values()),
        "render_ms": 1000 * render.seconds,
        "render_cpu_ms": 1000 * render.cpu_seconds,
        "render_rss_mb": render.max_rss_mb,
        "first_build_s": first.seconds,
        "first_passes": sum(passes for _, _, passes in built_pdfs(first.stderr).values()),
        "build_s": build.seconds,
        "engine_s": engine,
        "no_format_s": plain,
        "text_check_ms": 1000 * text_check,
        "pages": sum(pages for _, pages, _ in pdfs.values()),
        "overhead": (build.seconds - engine) / engine,
        "plain_overhead": (build.seconds - plain) / plain,
        "rebuild_ms": 1000 * rebuild.seconds,
        "rebuild_cpu_ms": 1000 * rebuild.cpu_seconds,
        "build_rss_mb": build.max_rss_mb,
        "latin_pdflatex": all(e == "pdflatex" and pages <= 2 for e, pages, _ in pdfs.values()) and len(pdfs) == 1,
    }


def watch_latency(bench: Bench, profile: Path, edits: int) -> tuple[float, float]:
    """`texcv build --watch`: median seconds from a save of the profile to the new PDF's "wrote"
    line, and the median engine pass on the same document (format and .aux warm), for comparison."""
    folder = Path(tempfile.mkdtemp(dir=bench.work, prefix="watch-"))
    source = folder / profile.name
    text = profile.read_text(encoding="utf-8")
    name = printed_name(text)  # each edit changes the printed name: TeX must run
    source.write_text(text, encoding="utf-8")
    log = folder / "stderr.txt"
    with log.open("w") as stderr:
        watcher = subprocess.Popen(
            [*bench.texcv, "build", "--watch", str(source), "-o", str(folder / "out")],
            cwd=folder,
            env=bench.env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_for(lambda: "watching" in log.read_text(), 120)
        latencies = []
        for edit in range(edits):
            wrote = log.read_text().count("wrote ")
            edited_text = edited(text, name, f"{name} {edit}")
            started = time.perf_counter()
            source.write_text(edited_text, encoding="utf-8")
            _wait_for(lambda wrote=wrote: log.read_text().count("wrote ") > wrote, 60)
            latencies.append(time.perf_counter() - started)
            if log.read_text().splitlines()[-1].endswith("cached)"):
                raise SystemExit("an edit in the watch benchmark did not make TeX run")
            time.sleep(0.3)
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
    passes = {str(folder / "out" / f"{profile.stem}.pdf"): 1}
    engine = statistics.median(engine_seconds(bench, source, folder / "out", passes) for _ in range(bench.runs))
    return statistics.median(latencies), engine


def _wait_for(condition: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for texcv build --watch")
        time.sleep(0.002)


# --- generated profiles -------------------------------------------------------------------------

_GIVEN = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elena",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Karin",
    "Luca",
    "Maria",
    "Nils",
    "Olga",
    "Paul",
    "Rosa",
    "Simon",
    "Tara",
    "Victor",
]
_FAMILY = [
    "Almeida",
    "Becker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Laurent",
    "Müller",
    "Novak",
    "Olsen",
    "Petrov",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Weber",
]
_ROLES = [
    "Software Engineer",
    "Data Scientist",
    "Research Assistant",
    "Product Manager",
    "Site Reliability Engineer",
    "Analyst",
    "Lecturer",
    "Consultant",
]
_ORGS = [
    "Acme GmbH",
    "Nordwind AG",
    "Université de Lyon",
    "Blue Harbor Ltd.",
    "Institute of Applied Physics",
    "Kite & Co.",
    "Sørensen Labs",
    "Helix Systems",
]
_CITIES = ["Berlin", "Lisbon", "Lyon", "Oslo", "Zürich", "Kraków", "Milan", "Vienna", "Madrid", "Amsterdam"]
_WORDS = [
    "designed",
    "built",
    "migrated",
    "reduced",
    "led",
    "mentored",
    "automated",
    "measured",
    "improved",
    "documented",
    "the",
    "a",
    "new",
    "legacy",
    "service",
    "pipeline",
    "cluster",
    "dashboard",
    "model",
    "release",
    "budget",
    "team",
    "latency",
    "cost",
    "throughput",
    "by",
    "30%",
    "2×",
    "across",
    "three",
    "regions",
    "with",
    "Python",
    "Rust",
    "SQL",
    "Kubernetes",
    "**on",
    "time**",
    "*under",
    "budget*",
    "for",
    "customers",
]
_SKILLS = [
    "Python",
    "C++",
    "Rust",
    "Go",
    "SQL",
    "Kubernetes",
    "Terraform",
    "PyTorch",
    "statistics",
    "LaTeX",
    "German",
    "Spanish",
]
_STYLES, _COLORS = ("classic", "casual", "banking"), ("blue", "green", "burgundy", "grey")


def generate(folder: Path, count: int, seed: int = 6) -> list[Path]:
    """`count` realistic one-to-two-page Latin-script profiles (written as JSON-style YAML)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        given, family = rng.choice(_GIVEN), rng.choice(_FAMILY)

        def sentence(low: int = 8, high: int = 18) -> str:
            return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."

        def period() -> dict:
            start = rng.randint(2005, 2021)
            return {
                "start": f"{start}-{rng.randint(1, 12):02d}",
                "end": rng.choice(["present", f"{start + rng.randint(1, 3)}-{rng.randint(1, 12):02d}"]),
            }

        jobs = [
            {
                "title": rng.choice(_ROLES),
                "organization": rng.choice(_ORGS),
                "location": rng.choice(_CITIES),
                **period(),
                "bullets": [sentence() for _ in range(rng.randint(1, 3))],
            }
            for _ in range(rng.randint(1, 5))
        ]
        schools = [
            {
                "title": rng.choice(["B.Sc. Computer Science", "M.Sc. Physics", "Ph.D. Statistics", "M.A. Economics"]),
                "organization": rng.choice(_ORGS),
                **period(),
                "description": sentence(6, 12),
            }
            for _ in range(rng.randint(1, 3))
        ]
        papers = [
            {
                "title": sentence(5, 10).rstrip("."),
                "authors": [f"{given[0]}. {family}", f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"],
                "venue": rng.choice(["ICML", "VLDB", "SIGMOD", "NeurIPS", "OSDI"]) + f" {rng.randint(2012, 2024)}",
                "date": rng.randint(2012, 2024),
            }
            for _ in range(rng.choice([0, 0, 2, 4]))
        ]
        sections = [{"title": "Experience", "entries": jobs}, {"title": "Education", "entries": schools}]
        if papers:
            sections.append({"title": "Publications", "entries": papers})
        sections.append(
            {
                "title": "Skills",
                "entries": [
                    {"label": "Tools", "text": ", ".join(rng.sample(_SKILLS, 6))},
                    {"label": "Languages", "text": "English, German (fluent)"},
                ],
            }
        )
        profile = {
            "name": f"{given} {family}",
            "headline": rng.choice(_ROLES),
            "contact": {
                "email": f"{given.lower()}.{family.lower().replace('ü', 'ue').replace('í', 'i')}@example.org",
                "phone": "+49 30 1234 5678",
                "location": rng.choice(_CITIES),
            },
            "social": {"github": f"{given.lower()}{number}"},
            "summary": sentence(20, 40),
            "sections": sections,
            "design": {"style": rng.choice(_STYLES), "color": rng.choice(_COLORS)},
        }
        path = folder / f"gen{number:03d}.yaml"
        path.write_text(json.dumps(profile, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")  # JSON is YAML
        paths.append(path)
    return paths


def batch_seconds(bench: Bench, profiles: list[Path], jobs: int) -> tuple[float, str]:
    runs = []
    for _ in range(bench.runs if len(profiles) <= 20 else max(1, bench.runs // 2)):
        env = dict(
            bench.env, XDG_CACHE_HOME=tempfile.mkdtemp(dir=bench.work, prefix="cache-")
        )  # every batch starts cold
        out = tempfile.mkdtemp(dir=bench.work, prefix="batch-")
        runs.append(bench.run("build", *map(str, profiles), "-o", out, "-j", str(jobs), env=env))
    return statistics.median(r.seconds for r in runs), runs[0].stderr


# --- report -------------------------------------------------------------------------------------


def header(bench: Bench, jobs: int) -> list[str]:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    tex = subprocess.run(["pdflatex", "--version"], capture_output=True, text=True).stdout.partition("\n")[0]
    return [
        f"texcv {__version__} benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
        (
            f"machine: {jobs} cores ({os.cpu_count()} online), {cpu}; {platform.system()} {platform.release()}; "
            f"load average {os.getloadavg()[0]:.2f} at start"
        ),
        f"Python {platform.python_version()}; {tex}",
        f"texcv command: {' '.join(bench.texcv)}; medians of {bench.runs} runs",
    ]


def verdict(value: float, target: float, smaller_is_better: bool = True) -> str:
    met = value <= target if smaller_is_better else value >= target
    return "met" if met else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="one generated profile, a batch of 3, one run: checks the script works"
    )
    parser.add_argument("--runs", type=int, help="runs per figure (default 5; --quick: 1)")
    parser.add_argument("--batch", type=int, help="generated profiles in the batch (default 100; --quick: 3)")
    parser.add_argument(
        "--profiles", type=Path, default=ROOT / "profiles", help="the seed profiles (default: profiles/)"
    )
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 5)
    count = args.batch or (3 if args.quick else 100)
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

    with tempfile.TemporaryDirectory(prefix="texcv-bench-") as temp:
        bench = Bench(Path(temp), runs)
        # A copy: the edited-build figure edits each profile (its photos and .bib files beside it).
        seeds = [] if args.quick else sorted(shutil.copytree(args.profiles, bench.work / "profiles").glob("*.yaml"))
        generated = generate(bench.work / "generated", count)
        bench.run("render", str(generated[0]))  # writes Python's and Jinja's bytecode
        print("\n".join(header(bench, jobs)), flush=True)

        rows = [profile_row(bench, p) for p in seeds] + [
            profile_row(bench, p) for p in generated[: 1 if args.quick else 5]
        ]
        columns = (
            "profile",
            "pdfs",
            "render_ms",
            "render_cpu_ms",
            "render_rss_mb",
            "first_build_s",
            "first_passes",
            "build_s",
            "engine_s",
            "no_format_s",
            "overhead",
            "plain_overhead",
            "text_check_ms",
            "rebuild_ms",
            "rebuild_cpu_ms",
            "build_rss_mb",
        )
        print("\n" + " | ".join(columns))
        for row in rows:
            print(" | ".join(_cell(row[c]) for c in columns), flush=True)

        one, one_log = batch_seconds(bench, generated, 1)
        many, _ = batch_seconds(bench, generated, jobs)
        print(
            f"\nbatch of {count} generated profiles, cold cache: "
            f"-j1 {one:.1f} s, -j{jobs} {many:.1f} s, speed-up {one / many:.2f}×"
        )
        print("  " + one_log.strip().splitlines()[-1])

        watched = next((p for p in seeds if p.stem == "wei-wen-resume"), generated[0])
        latency, engine_pass = watch_latency(bench, watched, 3 if args.quick else 9)
        print(
            f"\nbuild --watch of {watched.stem}: save → new PDF {latency:.2f} s;"
            f" one engine pass {engine_pass:.2f} s; added {1000 * (latency - engine_pass):.0f} ms"
        )

        latin = [r for r in rows if r["latin_pdflatex"]]
        print("\ntargets (medians of the rows above):")
        for label, key, values, better_small in (
            ("cold render, worst profile ≤ 120 ms", "render_ms", [max(r["render_ms"] for r in rows)], True),
            ("render peak RSS ≤ 60 MB", "render_rss_mb", [max(r["render_rss_mb"] for r in rows)], True),
            (
                "build of a 1–2 page Latin profile with pdflatex ≤ 0.6 s (median; format and .aux warm)",
                "build_s",
                [statistics.median(r["build_s"] for r in latin)] if latin else [],
                True,
            ),
            (
                "first-ever build of the same ≤ 0.9 s (median; empty cache)",
                "first_build_s",
                [statistics.median(r["first_build_s"] for r in latin)] if latin else [],
                True,
            ),
            (
                "text-layer check of a 3-page CV ≤ 40 ms (worst profile of ≤ 3 pages)",
                "text_check_ms",
                [max((r["text_check_ms"] for r in rows if r["pages"] <= 3), default=0.0)],
                True,
            ),
            (
                "unchanged rebuild ≤ 150 ms, no engine run (worst)",
                "rebuild_ms",
                [max(r["rebuild_ms"] for r in rows)],
                True,
            ),
            (f"batch speed-up with {jobs} cores ≥ 1.7×", "speedup", [one / many], False),
            (
                "build --watch: save → PDF within one engine pass + 100 ms (ms added)",
                "watch_added_ms",
                [1000 * (latency - engine_pass)],
                True,
            ),
        ):
            if values:
                print(f"  {label}: {_cell(values[0])} — {verdict(values[0], TARGETS[key], better_small)}")
    return 0


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 10 else f"{value:.0f}"
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
