"""Reporters: one module per output format, chosen from an explicit table and imported lazily."""

from __future__ import annotations

import importlib
from typing import IO, Protocol

from linter.model.findings import Report

__all__ = ["FORMATS", "Reporter", "get_reporter"]

FORMATS = {
    "text": "linter.reporters.text",
    "json": "linter.reporters.json",
    "sarif": "linter.reporters.sarif",
    "github": "linter.reporters.github",
    "rdjson": "linter.reporters.rdjson",
}


class Reporter(Protocol):
    """Writes one report; `color` and `excerpts` matter only to the text format, `category` only to SARIF."""

    def __call__(
        self,
        report: Report,
        out: IO[str],
        *,
        color: bool = False,
        excerpts: bool = False,
        category: str | None = None,
    ) -> None: ...


def get_reporter(name: str) -> Reporter:
    module = importlib.import_module(FORMATS[name])
    reporter: Reporter = module.write
    return reporter
