"""Baselines: a report from an earlier run whose findings are hidden, so only new problems gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from linter.model.findings import Report

__all__ = ["BaselineError", "apply_baseline", "read_fingerprints"]


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def read_fingerprints(path: Path) -> set[str]:
    """Fingerprints in an entralint SARIF or JSON report."""
    from linter.reporters.sarif import FINGERPRINT_KEY

    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {error.strerror}") from None
    except ValueError as error:
        raise BaselineError(f"{path}: baseline is not JSON: {error}") from None
    if isinstance(data, dict) and isinstance(data.get("runs"), list):
        return {
            result["partialFingerprints"][FINGERPRINT_KEY]
            for run in data["runs"]
            if isinstance(run, dict)
            for result in run.get("results", [])
            if isinstance(result, dict) and FINGERPRINT_KEY in result.get("partialFingerprints", {})
        }
    if isinstance(data, dict) and isinstance(data.get("findings"), list):
        return {
            entry["fingerprint"] for entry in data["findings"] if isinstance(entry, dict) and "fingerprint" in entry
        }
    raise BaselineError(f"{path}: not an entralint SARIF or JSON report")


def apply_baseline(report: Report, path: Path) -> Report:
    known = read_fingerprints(path)
    kept = tuple(finding for finding in report.findings if finding.fingerprint not in known)
    return report._replace(findings=kept, baseline_hidden=len(report.findings) - len(kept))
