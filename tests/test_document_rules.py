"""check_document_rules: which rules meet which subject, in what order, and what a crashing rule leaves."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from linter.engine.file_check import check_document_rules
from linter.engine.ruleset import RuleSet
from linter.model import (
    CONDITIONAL_ACCESS_POLICY,
    SOURCE_FILE,
    TOKEN_LIFETIME_POLICY,
    Document,
    LoadProblem,
    SourceFile,
)
from linter.model.source import FILE_START
from linter.rule import DocumentRule, Level, Rule, Violation


class Names(DocumentRule):
    """Names every document it meets."""

    code, name, summary, level = "XX001", "names", "Names documents", Level.NOTE
    kinds: ClassVar[frozenset[str]] = frozenset({CONDITIONAL_ACCESS_POLICY, TOKEN_LIFETIME_POLICY})

    def check(self, document: Document) -> Iterator[Violation]:
        yield self.violation(document, f"{self.code} saw {document.name}", "/displayName")


class CrashesAfterOne(DocumentRule):
    """Yields once, then fails: what it yielded stays, the failure becomes a notification."""

    code, name, summary, level = "XX002", "crashes-after-one", "Crashes", Level.ERROR
    kinds: ClassVar[frozenset[str]] = frozenset({CONDITIONAL_ACCESS_POLICY})

    def check(self, document: Document) -> Iterator[Violation]:
        yield self.violation(document, f"{self.code} saw {document.name}")
        raise KeyError(document.name)


class FileRule(DocumentRule):
    """Checks the file, and fails on files with a problem."""

    code, name, summary, level = "XX003", "file-rule", "Checks files", Level.WARNING
    kinds: ClassVar[frozenset[str]] = frozenset({SOURCE_FILE})

    def check_file(self, source: SourceFile) -> Iterator[Violation]:
        yield Violation(self.code, f"{self.code} saw the file", source.path)
        if source.problems:
            raise ValueError("a problem")


class ReturnsTuple(DocumentRule):
    """Returns its findings as a tuple, as built-in rules asked of every policy do."""

    code, name, summary, level = "XX004", "returns-tuple", "Returns a tuple", Level.WARNING
    kinds: ClassVar[frozenset[str]] = frozenset({CONDITIONAL_ACCESS_POLICY})

    def check(self, document: Document) -> Iterable[Violation]:
        return () if document.name == "a" else (self.violation(document, f"{self.code} saw {document.name}"),)


def document(kind: str, name: str) -> Document:
    return Document(kind, {"displayName": name}, "f.json", "graph-json", name, name)


def ruleset(*rules: Rule) -> RuleSet:
    return RuleSet({rule.code: rule for rule in rules}, {rule.code: rule.level for rule in rules}, {})


def test_the_file_first_then_each_document_with_the_rules_of_its_kind_in_order() -> None:
    rules = ruleset(FileRule(), Names(), CrashesAfterOne())
    documents = (document(CONDITIONAL_ACCESS_POLICY, "a"), document(TOKEN_LIFETIME_POLICY, "b"))
    findings, notifications = check_document_rules(rules, SourceFile("f.json", "graph-json"), documents)
    assert [(finding.code, finding.level, finding.message) for finding in findings] == [
        ("XX003", Level.WARNING, "XX003 saw the file"),
        ("XX001", Level.NOTE, "XX001 saw a"),
        ("XX002", Level.ERROR, "XX002 saw a"),
        ("XX001", Level.NOTE, "XX001 saw b"),
    ]
    assert [(note.rule, note.level, note.path, note.message) for note in notifications] == [
        ("XX002", "error", "f.json", "rule XX002 (crashes-after-one) failed on f.json: KeyError: 'a'")
    ]


def test_a_crash_in_a_file_rule_keeps_what_it_yielded_and_the_document_rules_still_run() -> None:
    source = SourceFile("f.json", "graph-json", (LoadProblem("IN001", "bad", FILE_START),))
    findings, notifications = check_document_rules(
        ruleset(FileRule(), Names()), source, [document(CONDITIONAL_ACCESS_POLICY, "a")]
    )
    assert [finding.message for finding in findings] == ["XX003 saw the file", "XX001 saw a"]
    assert [note.message for note in notifications] == [
        "rule XX003 (file-rule) failed on f.json: ValueError: a problem"
    ]


def test_a_document_of_a_kind_no_rule_checks_meets_no_rule() -> None:
    findings, notifications = check_document_rules(
        ruleset(Names()), SourceFile("f.json", "graph-json"), iter([document("namedLocation", "a")])
    )
    assert (findings, notifications) == ([], [])


def test_a_rule_may_return_any_iterable_and_generators_still_work() -> None:
    documents = [document(CONDITIONAL_ACCESS_POLICY, "a"), document(CONDITIONAL_ACCESS_POLICY, "b")]
    findings, notifications = check_document_rules(
        ruleset(ReturnsTuple(), Names()), SourceFile("f.json", "graph-json"), documents
    )
    assert [finding.message for finding in findings] == ["XX001 saw a", "XX004 saw b", "XX001 saw b"]
    assert notifications == []
