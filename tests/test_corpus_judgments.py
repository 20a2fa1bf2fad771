"""Every warning and error on ../shared/corpus, and every note of `JUDGED_NOTES`, has a verdict in
tests/corpus_judgments.yaml (issue 18).

The corpus is linted through the command line only, as its repositories would be: each repository (the `repo`
column of MANIFEST.tsv) copied into a folder of its own and linted as one tenant, and each file alone, as
pre-commit passes it, without configuration (so its tenant is the folder it sits in, its repository). The
corpus folders are not linted as they are: they mix unrelated repositories, which no real tenant does. A judged
false positive that is still reported fails the suite: its row says what must change, and goes once it has.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from linter.engine.config import find_config_file
from tests.conftest import CORPUS, run_cli

JUDGMENTS_FILE = Path(__file__).resolve().parent / "corpus_judgments.yaml"
RUN_MODES = ("repository", "file")
VERDICTS = ("true-positive", "false-positive", "debatable")
MANIFEST = CORPUS / "MANIFEST.tsv"
# Notes judged too: the tenant notes whose messages name what is open, so a misreading of the corpus shows.
JUDGED_NOTES = frozenset({"CA019", "CA022", "CA025", "CA026"})

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")


@dataclass(frozen=True)
class Reported:
    """One finding of one run, reduced to what a judgment is keyed by."""

    mode: str
    file: str
    code: str
    level: str
    policy: str
    pointer: str
    message: str


@dataclass(frozen=True)
class Judgment:
    file: str
    code: str
    level: str
    policy: str
    pointer: str
    message: str | None
    runs: tuple[str, ...]
    verdict: str
    reason: str
    fix: str | None

    def matches(self, finding: Reported) -> bool:
        return (
            finding.mode in self.runs
            and (finding.file, finding.code, finding.level, finding.policy, finding.pointer)
            == (self.file, self.code, self.level, self.policy, self.pointer)
            and (self.message is None or re.search(self.message, finding.message) is not None)
        )

    def describe(self) -> str:
        subject = f" {self.message!r}" if self.message else ""
        return f"{self.code} {self.level} {self.file} policy={self.policy!r} pointer={self.pointer!r}{subject}"


def load_judgments() -> tuple[dict[str, Any], list[Judgment]]:
    document = yaml.safe_load(JUDGMENTS_FILE.read_text(encoding="utf-8"))
    reasons: dict[str, Any] = document["reasons"]
    judgments = [
        Judgment(
            file=row["file"],
            code=row["code"],
            level=row["level"],
            policy=row["policy"],
            pointer=row["pointer"],
            message=row.get("message"),
            runs=tuple(row["runs"]),
            verdict=row["verdict"],
            reason=row["reason"],
            fix=reasons.get(row["reason"], {}).get("fix"),
        )
        for row in document["findings"]
    ]
    return reasons, judgments


def corpus_repositories() -> dict[str, list[str]]:
    """The corpus files (paths relative to it) of each repository the manifest names, in path order."""
    repositories: defaultdict[str, list[str]] = defaultdict(list)
    with MANIFEST.open(encoding="utf-8", newline="") as manifest:
        for row in csv.DictReader(manifest, delimiter="\t"):
            repositories[row["repo"]].append(row["local_file"])
    return {repo: sorted(files) for repo, files in sorted(repositories.items())}


def lint(target: Path, cwd: Path, isolated: bool) -> list[dict[str, Any]]:
    arguments = ["check", str(target), "--format", "json", "--fail-on", "never"]
    result = run_cli([*arguments, "--isolated"] if isolated else arguments, cwd=cwd)
    assert result.code == 0, f"entralint check {target} exited {result.code}: {result.stderr}"
    findings: list[dict[str, Any]] = result.json()["findings"]
    return findings


def repository_findings(repo: str, files: list[str], workspace: Path) -> Iterator[Reported]:
    """The findings of one repository linted whole, then of each of its files linted alone."""
    # Flat, as the corpus names are unique within a repository: a file alone then belongs to this folder.
    folder = workspace / repo.replace("/", "__")
    folder.mkdir()
    corpus_file_of: dict[Path, str] = {}
    for corpus_file in files:
        copy = folder / Path(corpus_file).name
        shutil.copyfile(CORPUS / corpus_file, copy)
        corpus_file_of[copy.resolve()] = corpus_file
    # Without a configuration file the project is the file's own folder; one found above would change that.
    assert find_config_file(folder) is None, f"a configuration file above {folder} would change the tenant"
    runs = [("repository", folder, True)] + [("file", copy, False) for copy in sorted(corpus_file_of)]
    for mode, target, isolated in runs:
        for finding in lint(target, folder, isolated):
            yield Reported(
                mode=mode,
                file=corpus_file_of[(folder / finding["path"]).resolve()],
                code=finding["code"],
                level=finding["level"],
                policy=finding["policy"],
                pointer=finding["pointer"],
                message=finding["message"],
            )


@cache
def reported_findings() -> tuple[Reported, ...]:
    with tempfile.TemporaryDirectory(prefix="entralint-corpus-") as workspace:
        return tuple(
            finding
            for repo, files in corpus_repositories().items()
            for finding in repository_findings(repo, files, Path(workspace).resolve())
        )


REASONS, JUDGMENTS = load_judgments()


def test_judgments_file_is_well_formed() -> None:
    for name, reason in REASONS.items():
        assert reason["verdict"] in VERDICTS, name
        assert reason["reason"].strip(), name
        is_false_positive = reason["verdict"] == "false-positive"
        assert is_false_positive == bool(reason.get("fix")), (
            f"{name}: what must change is given for false positives only"
        )
    keys = [(j.file, j.code, j.level, j.policy, j.pointer, j.message) for j in JUDGMENTS]
    assert len(keys) == len(set(keys)), "a finding is judged twice"
    in_order = sorted(keys, key=lambda key: (key[0], key[1], key[3], key[4], key[2], key[5] or ""))
    assert keys == in_order, "keep the rows sorted by file, code, policy, pointer"
    for judgment in JUDGMENTS:
        assert judgment.reason in REASONS, judgment.describe()
        assert judgment.verdict == REASONS[judgment.reason]["verdict"], judgment.describe()
        assert judgment.runs and set(judgment.runs) <= set(RUN_MODES), judgment.describe()


def must_be_judged(finding: Reported) -> bool:
    return finding.level in ("warning", "error") or finding.code in JUDGED_NOTES


@needs_corpus
def test_every_warning_and_error_is_judged() -> None:
    unjudged = sorted(
        {
            f"[{finding.mode}] {finding.code} {finding.level} {finding.file} policy={finding.policy!r} "
            f"pointer={finding.pointer!r}: {finding.message}"
            for finding in reported_findings()
            if must_be_judged(finding) and not any(j.matches(finding) for j in JUDGMENTS)
        }
    )
    assert not unjudged, "judge these in tests/corpus_judgments.yaml:\n" + "\n".join(unjudged)


@needs_corpus
def test_no_judgment_is_stale() -> None:
    findings = reported_findings()
    stale = [
        f"[{mode}] {judgment.describe()}"
        for judgment in JUDGMENTS
        for mode in judgment.runs
        if not any(judgment.matches(finding) and finding.mode == mode for finding in findings)
    ]
    assert not stale, "no longer reported; update tests/corpus_judgments.yaml:\n" + "\n".join(stale)


@needs_corpus
def test_no_judged_false_positive_is_reported() -> None:
    """A finding judged false is a failing test: fix the rule, then delete its row (the stale check insists)."""
    false_positives = [judgment for judgment in JUDGMENTS if judgment.verdict == "false-positive"]
    reported = reported_findings()
    still = [
        f"{judgment.describe()}: {finding.message}"
        for judgment in false_positives
        for finding in reported
        if judgment.matches(finding)
    ]
    assert not still, "\n".join(still)
