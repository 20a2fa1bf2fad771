"""`--fix` for fixes that write a new file (CA001's new report-only policy): placed, proven, created, never overwriting.

The new file is linted as part of its tenant before it exists (standard input named as the file). It is kept
only when its finding goes, the file loads, and the one new finding is the follow-up the fix declares
(`Fix.follow_ups`: the same rule saying the new policy is only report-only, say). It is created with an
exclusive link, so an existing file is never replaced, then read back; any failure deletes it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from linter.engine.apply_fixes import FileFixes, Relint, write_temporary
from linter.engine.fix_settings import wanted_fix
from linter.model.findings import Finding, Report
from linter.model.fixes import Edit

__all__ = ["create_files", "creation_target"]


def creation_target(path: str, cwd: Path) -> str | None:
    """Where a new file may be written: a path that does not exist, in a real folder inside cwd, reached through no
    link; None otherwise."""
    absolute = Path(os.path.normpath(Path(path) if Path(path).is_absolute() else cwd / path))
    folder = absolute.parent
    root = cwd.resolve()
    if not folder.is_dir() or folder.resolve() != folder or not folder.is_relative_to(root):
        return None
    if os.path.lexists(absolute):
        return None
    return str(absolute)


def _problem(finding: Finding, before: Iterable[Finding], after: Sequence[Finding], failed: bool) -> str:
    """Why the new file must not be written, or "" when it may."""
    if failed:
        return "the new file does not load (IN001), or entralint failed on it"
    if any(other.fingerprint == finding.fingerprint for other in after):
        return f"the new file did not make {finding.code} go away"
    known = {other.fingerprint for other in before}
    follow_ups = set(finding.fix.follow_ups) if finding.fix is not None else set()
    for other in after:
        if other.fingerprint in known or other.suppression is not None:
            continue
        subject = other.tenant_subject[1] if other.tenant_subject is not None else other.pointer
        if (other.code, subject) in follow_ups:
            continue  # a finding the fix says replaces its own ("only report-only: turn it on")
        return f"the new file adds a finding: {other.code} at line {other.span.start_line} ({other.message})"
    return ""


def _new_file_edit(finding: Finding) -> Edit | None:
    edits = finding.fix.edits if finding.fix is not None else ()
    return edits[0] if len(edits) == 1 and edits[0].new_file else None


def create_files(report: Report, relint: Relint, cwd: Path, *, unsafe: bool, write: bool) -> list[FileFixes]:
    """Create the file each wanted fix writes, one after another (each linted with those written before).

    `relint` lints the new file with the run's files, as the run saw them."""
    results: list[FileFixes] = []
    known = list(report.findings)
    for finding in report.findings:
        edit = _new_file_edit(finding)
        if (
            edit is None
            or finding.fix is None
            or finding.suppression is not None
            or not wanted_fix(finding.fix, unsafe)
        ):
            continue
        data = edit.text.encode("utf-8")
        target = creation_target(edit.path, cwd)
        if target is None:
            why = f"not created: {edit.path} exists, or its folder is a link or outside {cwd}"
            results.append(FileFixes(edit.path, b"", b"", (), ((finding, why),), created=True))
            continue
        after, failed = relint(target, data)
        problem = _problem(finding, known, after, failed)
        if not problem and write:
            problem = _create(target, data, _mode_of(finding.path, cwd))
        if problem:
            results.append(FileFixes(edit.path, b"", b"", (), ((finding, problem),), created=True))
            continue
        known.extend(after)
        results.append(FileFixes(edit.path, b"", data, (finding,), (), created=True))
    return results


def _mode_of(path: str, cwd: Path) -> int:
    """The new file's permissions: those of the file its finding is in (a file of the same tenant)."""
    try:
        return stat.S_IMODE(os.stat(Path(path) if Path(path).is_absolute() else cwd / path).st_mode)
    except OSError:
        return 0o644


def _create(target: str, data: bytes, mode: int) -> str:
    """Write data to a file that must not exist yet, all at once; "" on success, else why it was not kept."""
    temporary = write_temporary(target, data, mode)
    try:
        # A link, unlike a rename, fails when the name exists: a file written meanwhile is never replaced.
        os.link(temporary, target)
    except FileExistsError:
        return f"not created: {target} appeared meanwhile"
    except OSError:  # a file system without hard links: an exclusive create, written at once
        try:
            with open(target, "xb") as handle:
                handle.write(data)
            os.chmod(target, mode)
        except FileExistsError:
            return f"not created: {target} appeared meanwhile"
    finally:
        os.unlink(temporary)
    try:
        if Path(target).read_bytes() == data:
            return ""
    except OSError:
        pass
    os.unlink(target)
    return "the new file read back differs from what was written: deleted"
