"""Benchmark entralint against parse-only floors, as whole processes, and write docs/performance.md.

    python bench/run.py            # full sizes (a few minutes); writes docs/performance.md
    python bench/run.py --smoke    # tiny sizes, one run each (CI); writes nothing unless --output

Every time is the median of several runs of a fresh process; ratios, not seconds, are what count.
Peak memory is the largest resident set of the measured process or any of its workers.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import Fleet, generate, one_policy  # noqa: E402
from measure import Measurement, measure, measure_alone_and_two_at_once, measure_pair  # noqa: E402

TARGET_COLD_START = 4.0
TARGET_JSON = 5.0
TARGET_YAML = 1.5
TARGET_HCL_PER_SECOND = 5_000
TARGET_JOBS_SPEEDUP = 1.7
TARGET_MEMORY_MB = 150
TARGET_PRE_COMMIT_SECONDS = 1.0
TARGET_DSC_VS_YAML = 1.0  # issue 20: Microsoft365DSC reads at least as fast per policy as Graph YAML
EQUIVALENCE = REPO / "tests" / "fixtures" / "equivalence"
MEMORY_TARGET_POLICIES = 100_000
Lint = Callable[..., list[str]]
COLUMNS = ("benchmark", "entralint", "floor", "ratio", "target", "met")


@dataclass(frozen=True)
class Sizes:
    files: int
    per_file: int
    runs: int
    scales: tuple[int, ...]
    # Rules left out of every run (see docs/performance.md): they are super-linear in policies per tenant.
    ignore: tuple[str, ...] = ()


# Every rule runs. The sign-in analyses (CA010, CA011, PA001) model one tenant; on a fleet linted as
# one "tenant" of thousands of policies the engine skips them with a notification, and their cost
# per real tenant (at most 195 policies) is measured by bench/evaluator.py.
FULL = Sizes(files=1000, per_file=10, runs=5, scales=(1, 4, 16), ignore=())
SMOKE = Sizes(files=8, per_file=3, runs=1, scales=(1, 4, 16), ignore=())


@dataclass(frozen=True)
class Row:
    """One line of the table; `met` is None when the row is for the record only."""

    benchmark: str
    entralint: str
    floor: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None

    def cells(self) -> list[str]:
        met = "" if self.met is None else "yes" if self.met else "**no**"
        return [self.benchmark, self.entralint, self.floor, self.ratio, self.target, met]


def entralint_command() -> list[str]:
    script = Path(sys.executable).with_name("entralint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "linter"]


def check(paths: list[Path], *options: str, ignore: tuple[str, ...] = ()) -> list[str]:
    ignored = ["--ignore", ",".join(ignore)] if ignore else []
    return [*entralint_command(), "check", "--isolated", "--format", "json", *ignored, *options, *map(str, paths)]


def floor(source_format: str, root: Path) -> list[str]:
    return [sys.executable, str(BENCH / "floors.py"), source_format, str(root)]


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _ratio_row(name: str, lint: Measurement, base: Measurement, target: float) -> Row:
    ratio = lint.seconds / base.seconds
    return Row(name, _seconds(lint.seconds), _seconds(base.seconds), f"{ratio:.2f}×", f"≤ {target}×", ratio <= target)


def cold_start(work: Path, runs: int, check: Lint) -> list[Row]:
    policy = one_policy(work / "one-policy.json")
    lint, base = measure_pair(check([policy]), [sys.executable, "-c", "import yaml"], runs)
    return [_ratio_row("cold start: `check one-policy.json` vs `import yaml`", lint, base, TARGET_COLD_START)]


def throughput(fleets: dict[str, Fleet], runs: int, check: Lint) -> list[Row]:
    rows = []
    for source_format, label, target in (("json", "json.loads", TARGET_JSON), ("yaml", "CSafeLoader", TARGET_YAML)):
        fleet = fleets[source_format]
        lint, base = measure_pair(check([fleet.root], "--jobs", "1"), floor(source_format, fleet.root), runs)
        name = f"Graph {source_format.upper()}, {fleet.policies:,} policies, --jobs 1 vs {label}"
        rows.append(_ratio_row(name, lint, base, target))
    fleet = fleets["hcl"]
    lint, base = measure_pair(check([fleet.root], "--jobs", "1"), floor("hcl", fleet.root), runs)
    rate = fleet.policies / lint.seconds
    rows.append(
        Row(
            f"Terraform HCL, {fleet.policies:,} policy resources, --jobs 1 vs tree-sitter-hcl",
            f"{_seconds(lint.seconds)} ({rate:,.0f} resources/s)",
            _seconds(base.seconds),
            f"{lint.seconds / base.seconds:.2f}×",
            f"≥ {TARGET_HCL_PER_SECOND:,} resources/s",
            rate >= TARGET_HCL_PER_SECOND,
        )
    )
    return rows


def parallel(fleets: dict[str, Fleet], work: Path, runs: int, check: Lint) -> list[Row]:
    rows = []
    for source_format, fleet in fleets.items():
        outputs = (work / "jobs1.json", work / "jobs2.json")
        one, two = measure_pair(check([fleet.root], "--jobs", "1"), check([fleet.root], "--jobs", "2"), runs, outputs)
        identical = (work / "jobs1.json").read_bytes() == (work / "jobs2.json").read_bytes()
        speedup = one.seconds / two.seconds
        name = "Terraform HCL" if source_format == "hcl" else f"Graph {source_format.upper()}"
        rows.append(
            Row(
                f"{name}, {fleet.policies:,} policies: --jobs 2 vs --jobs 1 (output byte-identical: "
                f"{'yes' if identical else 'no'})",
                _seconds(two.seconds),
                _seconds(one.seconds),
                f"{speedup:.2f}× faster",
                f"≥ {TARGET_JOBS_SPEEDUP}× faster, same bytes",
                speedup >= TARGET_JOBS_SPEEDUP and identical,
            )
        )
        alone, together = measure_alone_and_two_at_once(check([fleet.root], "--jobs", "1"), runs)
        rows.append(
            Row(
                f"{name}: two `--jobs 1` runs at once vs one alone (this machine's ceiling for `--jobs 2`)",
                f"{_seconds(together)} for both",
                f"{_seconds(alone)} alone",
                f"ceiling {2 * alone / together:.2f}× faster",
            )
        )
    return rows


def dsc_fleets(work: Path, files: int, per_file: int) -> tuple[Path, Path]:
    """The same policy (tests/fixtures/equivalence) as Microsoft365DSC configurations and as Graph YAML
    streams: `files` files of `per_file` policies each, every policy its own display name."""
    configuration = (EQUIVALENCE / "policy.ps1").read_text(encoding="utf-8").splitlines(keepends=True)
    head, block, tail = "".join(configuration[:6]), "".join(configuration[6:36]), "".join(configuration[36:])
    document = (EQUIVALENCE / "policy.yaml").read_text(encoding="utf-8")
    name = "Finance - All apps - Require MFA and compliant device on risky sign-in"
    dsc, yaml = work / "m365dsc", work / "graph-yaml"
    dsc.mkdir()
    yaml.mkdir()
    for file in range(files):
        names = [f"{name} {file}-{number}" for number in range(per_file)]
        blocks = (
            block.replace(name, each).replace("'FinanceRiskyMfa'", f"'P{number}'") for number, each in enumerate(names)
        )
        (dsc / f"M365TenantConfig{file:04d}.ps1").write_text(head + "".join(blocks) + tail, encoding="utf-8")
        streams = "---\n".join(document.replace(name, each) for each in names)
        (yaml / f"policies{file:04d}.yaml").write_text(streams, encoding="utf-8")
    return dsc, yaml


def dsc_versus_yaml(work: Path, sizes: Sizes, runs: int, check: Lint) -> list[Row]:
    dsc, yaml = dsc_fleets(work, sizes.files // 10 or 1, sizes.per_file * 10)
    policies = (sizes.files // 10 or 1) * sizes.per_file * 10
    lint, base = measure_pair(check([dsc], "--jobs", "1"), check([yaml], "--jobs", "1"), runs)
    ratio = lint.seconds / base.seconds
    return [
        Row(
            f"Microsoft365DSC, {policies:,} policies, --jobs 1 vs the same as Graph YAML (per policy)",
            f"{_seconds(lint.seconds)} ({lint.seconds / policies * 1e3:.2f} ms/policy)",
            f"{_seconds(base.seconds)} ({base.seconds / policies * 1e3:.2f} ms/policy)",
            f"{ratio:.2f}×",
            f"≤ {TARGET_DSC_VS_YAML}×",
            ratio <= TARGET_DSC_VS_YAML,
        )
    ]


def scaling(work: Path, sizes: Sizes, runs: int, check: Lint) -> list[Row]:
    rows = []
    first: tuple[int, Measurement] | None = None
    for scale in sizes.scales:
        fleet = generate(work / f"json-{scale}x", "json", sizes.files * scale, sizes.per_file)
        lint = measure(check([fleet.root], "--jobs", "1"), runs)
        shutil.rmtree(fleet.root)
        first = first or (fleet.policies, lint)
        growth = (lint.seconds / first[1].seconds) / (fleet.policies / first[0])
        megabytes = lint.peak_kb / 1024
        big = fleet.policies >= MEMORY_TARGET_POLICIES
        rows.append(
            Row(
                f"Graph JSON {scale}×: {fleet.policies:,} policies, --jobs 1, time and peak memory",
                f"{_seconds(lint.seconds)}, {megabytes:.0f} MB",
                "",
                f"time/policy {growth:.2f}× the 1× run's",
                f"≤ {TARGET_MEMORY_MB} MB" if big else "",
                megabytes <= TARGET_MEMORY_MB if big else None,
            )
        )
    return rows


def _bench_module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pre_commit(work: Path, runs: int) -> list[Row]:
    """pre-commit gives one file: the repository around it is the tenant, read and judged on every commit.

    The repository is bench/evaluator.py's tenant (195 policies, Entra's limit, over 60 groups, 40
    apps, 8 named locations), one policy per file. bench/generate.py's files are each a tenant of
    their own (their own break-glass accounts and named location): 195 of them as one tenant give
    the sign-in analyses 195 break-glass groups and locations to tell apart, a tenant no one has.
    """
    import json

    repository = work / "pre-commit-repository"
    (repository / ".git").mkdir(parents=True)  # the project root is found by walking up to `.git`, never by git
    documents = _bench_module("evaluator").tenant().documents
    for number, document in enumerate(documents):
        (repository / f"{document.kind}-{number:03d}.json").write_text(json.dumps(document.data, indent=2), "utf-8")
    given = repository / "conditionalAccessPolicy-000.json"
    lint = measure([*entralint_command(), "check", "--format", "json", str(given)], runs)
    return [
        Row(
            f"pre-commit: `check` one file of a {len(documents)}-file, 195-policy repository (no configuration)",
            _seconds(lint.seconds),
            target=f"< {TARGET_PRE_COMMIT_SECONDS:g} s",
            met=lint.seconds < TARGET_PRE_COMMIT_SECONDS,
        )
    ]


def checkov(fleet: Fleet) -> list[Row]:
    name = f"checkov on the Terraform HCL fleet ({fleet.policies:,} resources)"
    executable = shutil.which("checkov")
    if executable is None:
        return [Row(name, "not installed")]
    run = measure([executable, "-d", str(fleet.root), "--framework", "terraform", "--quiet", "--compact"], 1)
    return [Row(name, _seconds(run.seconds))]


def evaluator(smoke: bool) -> list[Row]:
    """Rows from bench/evaluator.py, the what-if evaluator's benchmark, when it exists."""
    if not (BENCH / "evaluator.py").exists():
        return []
    module = _bench_module("evaluator")
    if not hasattr(module, "run"):
        return [Row("what-if evaluator", "bench/evaluator.py has no run(smoke) yet: see docs/performance.md")]
    rows: list[dict[str, Any]] = module.run(smoke)
    return [Row(**{key: row.get(key, "" if key != "met" else None) for key in COLUMNS}) for row in rows]


def machine() -> list[str]:
    model = platform.processor() or platform.machine()
    lscpu = shutil.which("lscpu")
    if lscpu:
        output = subprocess.run([lscpu], capture_output=True, text=True, check=False).stdout
        model = next((line.split(":", 1)[1].strip() for line in output.splitlines() if "Model name" in line), model)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO, check=False
    )
    return [
        f"- Date: {datetime.date.today().isoformat()}",
        f"- CPU: {model}, {os.cpu_count()} cores",
        f"- Python {platform.python_version()} on {platform.platform()}",
        f"- Load average when the run ended: {', '.join(f'{load:.1f}' for load in os.getloadavg())}",
        f"- entralint commit {commit.stdout.strip() or 'unknown'}",
    ]


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row.cells()) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def run(sizes: Sizes, smoke: bool) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="entralint-bench-") as directory:
        work = Path(directory)
        fleets = {name: generate(work / name, name, sizes.files, sizes.per_file) for name in ("json", "yaml", "hcl")}
        lint: Lint = functools.partial(check, ignore=sizes.ignore)
        rows = cold_start(work, sizes.runs * 2, lint)
        rows += throughput(fleets, sizes.runs, lint)
        rows += dsc_versus_yaml(work, sizes, sizes.runs, lint)
        rows += parallel(fleets, work, sizes.runs, lint)
        rows += scaling(work, sizes, max(1, sizes.runs // 2), lint)
        rows += pre_commit(work, sizes.runs)
        rows += checkov(fleets["hcl"])
        rows += evaluator(smoke)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run each: checks the benchmark runs")
    parser.add_argument("--runs", type=int, help="runs per measurement (median is reported)")
    parser.add_argument("--ignore", help="rules to leave out, comma-separated (default: none)")
    parser.add_argument("--output", type=Path, help="Markdown file to update (default: docs/performance.md)")
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else FULL
    if args.runs:
        sizes = replace(sizes, runs=args.runs)
    if args.ignore is not None:
        sizes = replace(sizes, ignore=tuple(code for code in args.ignore.split(",") if code))
    rows = run(sizes, args.smoke)
    result = table(rows)
    if sizes.ignore:
        result += f"\nRules left out of every entralint run: {', '.join(sizes.ignore)}.\n"
    sys.stdout.write(result)
    output = args.output or (None if args.smoke else REPO / "docs" / "performance.md")
    if output is not None:
        from report import write_report

        write_report(output, result, machine(), smoke=args.smoke)
        sys.stdout.write(f"wrote {output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
