"""`--fix` and `--diff`: a file's fixes applied in one pass, each proven by linting the result, written atomically."""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from linter.engine.config import Config
from linter.engine.files import StandardInput
from linter.engine.fix_settings import effective_fixes, wanted_fix
from linter.engine.ruleset import RuleSet
from linter.model.findings import Finding, Report
from linter.model.fixes import Edit, Fix
from linter.model.source import Span

__all__ = [
    "FileFixes",
    "apply_edits",
    "fix_files",
    "relinter",
    "write_atomically",
    "write_temporary",
]

# A conflict leaves the later fix for the next round, which sees the text the earlier one wrote.
MAX_ROUNDS = 4
_YAML_BREAKS = ("\r\n", "\n", "\r", "\x85", "\u2028", "\u2029")


class FileFixes(NamedTuple):
    """What fixing one file did: its bytes before and after, the fixes kept and those rolled back (and why)."""

    path: str  # as findings show it
    original: bytes
    fixed: bytes
    applied: tuple[Finding, ...]
    rolled_back: tuple[tuple[Finding, str], ...]
    created: bool = False  # the fix writes a new file: `original` is empty and the file did not exist


class _Text(NamedTuple):
    """A file's text as written: its encoding and byte order mark kept, its line ends untouched."""

    encoding: str
    bom: bytes
    text: str

    @classmethod
    def decode(cls, data: bytes) -> _Text:
        for bom, encoding in (
            (codecs.BOM_UTF8, "utf-8"),
            (codecs.BOM_UTF16_LE, "utf-16-le"),
            (codecs.BOM_UTF16_BE, "utf-16-be"),
        ):
            if data.startswith(bom):
                return cls(encoding, bom, data[len(bom) :].decode(encoding))
        return cls("utf-8", b"", data.decode("utf-8"))

    def encode(self) -> bytes:
        return self.bom + self.text.encode(self.encoding)


def _line_starts(text: str, yaml: bool) -> list[int]:
    """The offset each line starts at, lines counted as spans count them (LF and CRLF; YAML's breaks too)."""
    starts = [0]
    index, length = 0, len(text)
    breaks = _YAML_BREAKS if yaml else ("\n",)
    while index < length:
        character = text[index]
        if character in "\n\r\x85\u2028\u2029":
            if character == "\r" and text.startswith("\r\n", index):
                index += 1  # CRLF is one line end, and its CR is no column of the line
            elif character not in breaks:
                index += 1
                continue
            starts.append(index + 1)
        index += 1
    return starts


def apply_edits(text: str, edits: Sequence[Edit], *, yaml: bool = False) -> str:
    """The text with non-overlapping edits made; inserted line ends follow the file's (CRLF stays CRLF)."""
    starts = _line_starts(text, yaml)
    crlf = "\r\n" in text and text.index("\n") > 0 and text[text.index("\n") - 1] == "\r"

    def offset(line: int, column: int) -> int:
        return min(starts[min(line, len(starts)) - 1] + column - 1, len(text))

    placed = sorted(
        (offset(edit.span.start_line, edit.span.start_column), offset(edit.span.end_line, edit.span.end_column), edit)
        for edit in edits
    )
    pieces, position = [], 0
    for start, end, edit in placed:
        new_text = edit.text.replace("\r\n", "\n").replace("\n", "\r\n") if crlf else edit.text
        pieces += [text[position:start], new_text]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _overlaps(a: Span, b: Span) -> bool:
    """Spans that share a character, or insertions at one place: the order of their texts would be a guess."""
    a_start, a_end = (a.start_line, a.start_column), (a.end_line, a.end_column)
    b_start, b_end = (b.start_line, b.start_column), (b.end_line, b.end_column)
    return a_start == b_start or (a_start < b_end and b_start < a_end)


def _first_edit(finding: Finding) -> Span:
    return min(edit.span for edit in finding.fix.edits) if finding.fix and finding.fix.edits else Span(0, 0, 0, 0)


def _compatible(findings: Sequence[Finding]) -> list[Finding]:
    """The fixes to apply together: in text order, a fix overlapping one kept before it waits for the next round."""
    kept: list[Finding] = []
    taken: list[Span] = []
    for finding in sorted(findings, key=_first_edit):
        spans = [edit.span for edit in finding.fix.edits] if finding.fix else []
        if any(_overlaps(span, other) for span in spans for other in taken):
            continue
        kept.append(finding)
        taken.extend(spans)
    return kept


Relint = Callable[[str, bytes], tuple[list[Finding], bool]]  # (absolute path, bytes) -> its findings, failed


def relinter(
    config: Config, ruleset: RuleSet, build: Callable[[], RuleSet], cwd: Path, with_files: Sequence[str] = ()
) -> Relint:
    """Lint bytes as the file at a path, in its tenant, without writing them: standard input named as the file;
    with `with_files`, those files too (a new file linted with the run's files, as the run saw them).

    IN001 runs whatever the selection: a fix that makes the file unreadable fails even where nobody asked for IN001.
    """
    from linter.engine.ruleset import build_ruleset
    from linter.engine.run import lint

    checking = config._replace(extend_select=(*config.extend_select, "IN001"))
    checking_ruleset = ruleset if "IN001" in ruleset.rules else build_ruleset(checking)
    shown_parse_errors = "IN001" in ruleset.rules

    def relint(path: str, data: bytes) -> tuple[list[Finding], bool]:
        given = list(with_files)
        report = lint(given, checking, checking_ruleset, build, jobs=1, cwd=cwd, stdin=StandardInput(data, path))
        report = effective_fixes(report, config)
        unreadable = any(finding.code == "IN001" for finding in report.findings)
        findings = [finding for finding in report.findings if shown_parse_errors or finding.code != "IN001"]
        return findings, report.tool_failed or unreadable

    return relint


def _problem(fixes: Sequence[Finding], before: Sequence[Finding], after: Sequence[Finding], failed: bool) -> str:
    """Why the text after these fixes must not be kept, or "" when it may."""
    if failed:
        return "the fixed file does not load (IN001), or entralint failed on it"
    remaining = {finding.fingerprint for finding in after if finding.path == fixes[0].path}
    for finding in fixes:
        if finding.fingerprint in remaining:
            return f"the fix did not make {finding.code} go away"
    known = {finding.fingerprint for finding in before}
    for finding in after:
        if finding.path == fixes[0].path and finding.fingerprint not in known and finding.suppression is None:
            line = finding.span.start_line
            return f"the fix adds a finding: {finding.code} at line {line} ({finding.message})"
    return ""


def _edits(findings: Iterable[Finding]) -> list[Edit]:
    return [edit for finding in findings if finding.fix is not None for edit in finding.fix.edits]


def _fix_one_file(
    path: str, real_path: str, findings: list[Finding], wanted: Callable[[Fix], bool], relint: Relint
) -> FileFixes:
    original = Path(real_path).read_bytes()
    current = _Text.decode(original)
    yaml = path.lower().endswith((".yaml", ".yml"))
    applied: list[Finding] = []
    rolled_back: list[tuple[Finding, str]] = []
    refused: set[str] = set()
    # The re-lint may see another tenant than the run did (the file alone when the tenant was the paths given):
    # a tenant finding it gives for the unchanged text too is not one a fix added.
    baseline, _ = relint(real_path, original)
    for _ in range(MAX_ROUNDS):
        candidates = [
            finding
            for finding in findings
            if finding.path == path
            and finding.fix is not None
            and finding.suppression is None
            and wanted(finding.fix)
            and finding.fingerprint not in refused
        ]
        if not candidates:
            break
        batch = _compatible(candidates)
        # All together first; when the result is refused, one by one, to know which fix to roll back.
        groups = [batch] if len(batch) == 1 else [batch, *([finding] for finding in batch)]
        for group in groups:
            text = current._replace(text=apply_edits(current.text, _edits(group), yaml=yaml))
            after, failed = relint(real_path, text.encode())
            problem = _problem(group, [*findings, *baseline], after, failed)
            if not problem:
                current, findings, baseline = text, after, after
                applied.extend(group)
                break
            if len(group) == 1:
                refused.add(group[0].fingerprint)
                rolled_back.append((group[0], problem))
    return FileFixes(path, original, current.encode(), tuple(applied), tuple(rolled_back))


def _real_path(path: str, cwd: Path) -> str | None:
    """Where to write a finding's file: never through a link that leads out of the directory entralint runs in."""
    absolute = Path(path) if Path(path).is_absolute() else cwd / path
    real = absolute.resolve()
    if real != absolute.absolute() and not real.is_relative_to(cwd.resolve()):
        return None
    return str(real) if real.is_file() else None


def fix_files(
    report: Report, relint: Relint, cwd: Path, *, unsafe: bool = False, write: bool = True
) -> tuple[list[FileFixes], list[str]]:
    """Fix every file with a fix to apply; with `write`, write each changed file. Returns also what was refused.

    Fixes that create a file are left to `linter.engine.new_files`."""

    def wanted(fix: Fix) -> bool:
        return wanted_fix(fix, unsafe) and not any(edit.new_file for edit in fix.edits)

    by_path: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.fix is not None and finding.suppression is None and wanted(finding.fix):
            by_path.setdefault(finding.path, [])
    results: list[FileFixes] = []
    refused: list[str] = []
    for path in sorted(by_path):
        real_path = _real_path(path, cwd)
        if real_path is None:
            refused.append(f"{path}: not fixed: a link that leads out of {cwd}, or no regular file")
            continue
        findings = [finding for finding in report.findings if finding.path == path]
        outcome = _fix_one_file(path, real_path, findings, wanted, relint)
        if write and outcome.fixed != outcome.original:
            write_atomically(real_path, outcome.fixed)
        results.append(outcome)
    return results, refused


def write_temporary(path: str, data: bytes, mode: int) -> str:
    """A temporary file beside path holding data (synced, with mode), to be renamed or linked into place; its name."""
    directory, name = os.path.split(path)
    # The temporary name carries only the start of the file's: a name near the file system's limit (255 bytes
    # on most) would otherwise make it too long (ENAMETOOLONG) and the fix fail.
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name[:64]}.", suffix=".entralint")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def write_atomically(path: str, data: bytes) -> None:
    """Replace a file's bytes at once (a temporary file beside it, then os.replace), keeping its mode."""
    temporary = write_temporary(path, data, stat.S_IMODE(os.stat(path).st_mode))
    try:
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
