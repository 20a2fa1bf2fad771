"""libyaml's C composer, guarded: nesting measured first, errors as ParseErrors with a position."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import yaml

from linter.loaders.json.parse import ParseError
from linter.model.source import Span, line_column

__all__ = ["MAX_DEPTH", "UnreadDocuments", "compose", "compose_each"]

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVED_LIMIT = 4096  # plain scalar texts whose tag is remembered, per process: a fleet's keys and values


class _Loader(_SafeLoader):  # type: ignore[misc]
    """The safe loader, resolving each plain scalar's text once.

    PyYAML resolves every plain scalar's tag by regular expressions run from Python, a third of composing
    a file of policies, whose keys and values repeat; a plain scalar's tag depends on its text alone (the
    safe loader has no path resolvers).
    """

    _resolved: dict[str, str] = {}  # noqa: RUF012 (shared on purpose: the tags of texts, for every file)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            tag = self._resolved.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._resolved) < _RESOLVED_LIMIT and len(value) <= 64:
                    self._resolved[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


# JSON's limit too. Below libyaml's own (999 block levels in the libyaml PyYAML 6.0.4 bundles, none before):
# entralint's check, not libyaml's, stops a deep text, whichever PyYAML is installed.
MAX_DEPTH = 900


def _check_depth(text: str) -> None:
    """libyaml's composer recurses in C and crashes the process past ~50,000 levels: measure first.

    Only flow collections and compact `- - -` sequences nest cheaply (block mappings need ever more
    indentation), so a text with fewer openers than MAX_DEPTH cannot be too deep and skips the scan.
    """
    if text.count("[") + text.count("{") + text.count("- ") <= MAX_DEPTH:
        return
    if _nesting_bound(text) <= MAX_DEPTH:  # the scan would pass: skip it (it costs as much as the parse)
        return
    try:
        _scan_depth(text, _Loader)
    except yaml.YAMLError:
        # A libyaml with a nesting limit of its own under MAX_DEPTH stops first, in words of its own. The
        # pure-Python parser has none: it finds where MAX_DEPTH is crossed, or stops at the same syntax error
        # (libyaml's words are kept for it) or, for a text libyaml alone refuses, reads to the end.
        with contextlib.suppress(yaml.YAMLError):
            _scan_depth(text, yaml.SafeLoader)
        raise


def _scan_depth(text: str, loader: Any) -> None:
    """Raises a ParseError at the first collection nested deeper than MAX_DEPTH."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                where = Span.point(mark.line + 1, mark.column + 1) if mark is not None else Span.point(1, 1)
                raise ParseError(f"YAML nested more than {MAX_DEPTH} levels deep: entralint stops reading here", where)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


# What may precede a block collection's start on its line: indentation and `-`, `?`, `:` indicators.
_BLOCK_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)


def _nesting_bound(text: str) -> int:
    """An upper bound of how deep the text's collections nest.

    A block collection starts within its line's prefix of indentation and indicators, and a child
    starts right of its parent except a sequence under a mapping key, so block nesting is at most twice
    the longest prefix. Flow collections hold no block ones, and each but the innermost is not empty:
    one level per bracket that is not `[]` or `{}`, plus one. Anchors, aliases and tags keep the scan
    (properties may precede a collection on its line; an undefined alias fails before a later syntax
    error would): the bound is then over the scan's threshold.
    """
    if "&" in text or "*" in text or "!" in text:
        return MAX_DEPTH + 1
    flow = text.count("[") + text.count("{") - text.count("[]") - text.count("{}")
    return 2 * (max(map(len, _BLOCK_PREFIX.findall(text))) + 1) + flow + 1


def _count_rest(loader: Any, unread: UnreadDocuments) -> None:
    while loader.check_event():
        event = loader.get_event()
        if isinstance(event, yaml.DocumentStartEvent):
            if not unread.count and event.start_mark is not None:
                unread.first = Span.point(event.start_mark.line + 1, event.start_mark.column + 1)
            unread.count += 1


def compose(text: str) -> list[yaml.Node]:
    """The nodes of every document in text, composed by libyaml."""
    return list(compose_each(text))


class UnreadDocuments:
    """The documents of a stream left uncomposed past a limit: how many, and where the first starts."""

    def __init__(self) -> None:
        self.count = 0
        self.first = Span.point(1, 1)


def compose_each(text: str, limit: int | None = None, unread: UnreadDocuments | None = None) -> Iterator[yaml.Node]:
    """The nodes of each document in text in turn, composed by libyaml as they are asked for: a caller that
    keeps what it needs of a document's nodes holds one document's tree at a time, not the stream's.

    Past `limit` documents the rest are only counted into `unread`, from libyaml's events (no node is made).
    """
    try:
        _check_depth(text)
        loader = _Loader(text)
        try:
            composed = 0
            while True:
                # Asked before check_node, which reads the next document's start event.
                if limit is not None and composed >= limit:
                    _count_rest(loader, unread if unread is not None else UnreadDocuments())
                    return
                if not loader.check_node():
                    break
                node = loader.get_node()
                if node is not None:
                    composed += 1
                    yield node
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # libyaml places an error at the end of the stream on the line after a last line that has
        # no line end; point at the end of the text, which is inside the file.
        index = min(mark.index, max(len(text) - 1, 0)) if mark else 0
        raise ParseError(
            f"invalid YAML: {error.problem or error.context}", Span.point(*line_column(text, index))
        ) from None
    except yaml.YAMLError as error:
        raise ParseError(f"invalid YAML: {error}", Span.point(1, 1)) from None
    except RecursionError:
        raise ParseError("YAML nested too deeply to read", Span.point(1, 1)) from None
