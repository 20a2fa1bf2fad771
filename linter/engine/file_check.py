"""One file through the pipeline: read, load, document rules, and what suppressions will need of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from linter.engine.files import ReadError, decode_limited, read_text
from linter.engine.ruleset import RuleSet
from linter.engine.suppression_sources import (
    PolicyIgnores,
    SuppressionComment,
    find_comments,
    has_comments,
    policy_ignores,
)
from linter.loaders import load_text
from linter.model import CONDITIONAL_ACCESS_POLICY, SOURCE_FILE, Document, LoadProblem, SourceFile
from linter.model.findings import Notification
from linter.model.fixes import CREATE, Applicability, Fix
from linter.model.source import FILE_START, Location, powershell_line_ends, yaml_line_ends
from linter.rule import Finding, Level, Rule, Violation

__all__ = ["FileOutcome", "FileSettings", "Task", "check_document_rules", "check_file", "resolve"]


class FileSettings(NamedTuple):
    """The configuration a file's check needs, sent once per task to wherever it runs."""

    max_size: int
    per_policy_ignores: Mapping[str, Mapping[str, str]] = {}
    stdin: bytes | None = None  # the file's bytes when it came from standard input: its path is only a name
    var_files: tuple[str, ...] = ()  # `--var-file`s, absolute, in the order given


Task = tuple[str, str, bool, FileSettings]  # path, shown path, given on the command line, settings


class FileOutcome(NamedTuple):
    """What checking one file leaves behind. `documents` only when the caller asked to keep them."""

    path: str
    given: bool
    source_format: str = ""
    documents: tuple[Document, ...] = ()
    findings: tuple[Finding, ...] = ()
    comments: tuple[SuppressionComment, ...] = ()
    notifications: tuple[Notification, ...] = ()
    policies: int = 0
    conditional_access: int = 0  # how many of the documents are Conditional Access policies
    policy_ids: tuple[str, ...] = ()  # the Graph `id` of each Conditional Access policy that has one
    # For suppressions, computed here so that documents need not travel: each policy's lines (files with
    # suppression comments only) and the per-policy-ignores entries that name it.
    policy_lines: Mapping[str, tuple[int, ...]] = {}
    ignores: Mapping[str, PolicyIgnores] = {}


def resolve(rule_level: Level, violation: Violation, tenant_documents: Sequence[Document] = ()) -> Finding:
    """Place a violation in its file: the engine, not the rule, turns pointers into spans.

    A tenant rule's fix that creates a policy file is written as the tenant's documents are (`tenant_documents`)."""
    subject = violation.subject
    if isinstance(subject, Document):
        if violation.span is not None:
            span = violation.span
        elif violation.string_offset is not None:
            span = subject.span_in_string(violation.pointer, violation.string_offset)
        else:
            span = subject.span(violation.pointer)
        path, identity = subject.path, subject.identity
    else:
        span, path, identity = violation.span or FILE_START, subject, violation.identity
    # Most violations relate nothing: no generator for them.
    related = (
        tuple(Location(doc.path, doc.span(pointer), pointer) for doc, pointer in violation.related)
        if violation.related
        else ()
    )
    level = violation.level or rule_level
    finding = Finding(violation.code, level, violation.message, path, span, violation.pointer, identity, related)
    request = violation.fix
    if request is not None and request.unavailable:
        return finding._replace(no_fix=request.unavailable.removeprefix("no fix: "))
    if request is not None and any(change.operation == CREATE for change in request.changes):
        from linter.fixes.new_policy import create_policy_file

        created = create_policy_file(tenant_documents, request)
        return finding._replace(fix=created) if not isinstance(created, str) else finding._replace(no_fix=created)
    if request is not None and request.applicability is Applicability.DISPLAY_ONLY and not request.changes:
        # Advice, not an edit: shown wherever the finding is, whatever its subject.
        return finding._replace(fix=Fix(request.applicability, request.description, ()))
    if request is not None and isinstance(subject, Document):
        from linter.fixes import build_fix  # only findings a rule can fix pay for the edit builders

        fix = build_fix(subject, request)
        return finding._replace(fix=fix) if not isinstance(fix, str) else finding._replace(no_fix=fix)
    return finding


def rule_failure(rule: Rule, path: str, error: BaseException) -> Notification:
    return Notification(
        f"rule {rule.code} ({rule.name}) failed on {path}: {type(error).__name__}: {error}",
        path,
        level="error",
        rule=rule.code,
    )


def _in_document(violation: Violation, documents: Sequence[Document]) -> Violation:
    """A file rule's fixable violation placed in the document it names, which its fix edits (IN005)."""
    if violation.fix is None or not violation.identity or isinstance(violation.subject, Document):
        return violation
    for document in documents:
        if document.identity == violation.identity:
            return violation._replace(subject=document)
    return violation


def check_document_rules(
    ruleset: RuleSet, source: SourceFile, documents: Sequence[Document]
) -> tuple[list[Finding], list[Notification]]:
    findings: list[Finding] = []
    notifications: list[Notification] = []
    by_kind = ruleset.document_rules
    for rule, level in by_kind.get(SOURCE_FILE, ()):
        try:
            for violation in rule.check_file(source):
                findings.append(resolve(level, _in_document(violation, documents)))
        except Exception as error:  # a rule's bug must not take the run down
            notifications.append(rule_failure(rule, source.path, error))
    for document in documents:
        for rule, level in by_kind.get(document.kind, ()):
            try:
                for violation in rule.check(document):
                    findings.append(resolve(level, violation))
            except Exception as error:  # a rule's bug must not take the run down
                notifications.append(rule_failure(rule, source.path, error))
    return findings, notifications


def check_file(ruleset: RuleSet, task: Task, *, keep_documents: bool) -> FileOutcome:
    """Load one file and, when it was given on the command line, run the document rules on it."""
    path, shown, given, settings = task
    problems: tuple[LoadProblem, ...]
    documents: tuple[Document, ...]
    notices: tuple[Notification, ...] = ()
    try:
        if settings.stdin is None:
            text = read_text(path, settings.max_size)
        else:
            text = decode_limited(settings.stdin, settings.max_size)
    except ReadError as error:
        result_format, documents, problems, text = "", (), (LoadProblem("IN001", str(error), error.span),), ""
    else:
        try:
            result = load_text(shown, text, settings.var_files)
        except RecursionError:
            problems = (LoadProblem("IN001", "input nested too deeply to read", FILE_START),)
            documents, result_format = (), ""
        except Exception as error:  # a loader bug must not take the other files down
            message = f"internal error while loading this file ({type(error).__name__}: {error}); please report it"
            return FileOutcome(shown, given, notifications=(Notification(message, shown, level="error"),))
        else:
            if result is None:
                return FileOutcome(shown, given, notifications=_unread_policies(shown, text) if given else ())
            result_format, documents, problems = result.source_format, result.documents, result.problems
            notices = tuple(Notification(message, where) for where, message in result.notices)
    policies = len(documents)
    conditional_access = sum(1 for document in documents if document.kind == CONDITIONAL_ACCESS_POLICY)
    ids = _policy_ids(documents) if conditional_access else ()
    if not given:
        kept = _kept(documents, keep_documents)
        return FileOutcome(
            shown,
            given,
            result_format,
            kept,
            notifications=notices,
            policies=policies,
            conditional_access=conditional_access,
            policy_ids=ids,
        )
    source = SourceFile(shown, result_format, problems)
    findings, notifications = check_document_rules(ruleset, source, documents)
    # Formats without comments (JSON) cannot hold one: a `# entralint:` there is string content.
    if result_format.endswith("-yaml"):
        text = yaml_line_ends(text)  # the lines the YAML loader's positions count
    elif result_format == "powershell":
        text = powershell_line_ends(text)  # and the PowerShell tokenizer's (a lone CR ends a comment too)
    comments = tuple(find_comments(text, result_format)) if has_comments(result_format) and "entralint:" in text else ()
    # A policy's line costs a position lookup: only files with suppression comments need it.
    lines: dict[str, tuple[int, ...]] = {}
    for document in documents if comments else ():
        lines[document.identity] = (*lines.get(document.identity, ()), document.line)
    return FileOutcome(
        shown,
        given,
        result_format,
        _kept(documents, keep_documents),
        tuple(findings),
        comments,
        (*notices, *notifications),
        policies,
        conditional_access,
        ids,
        lines,
        policy_ignores(settings.per_policy_ignores, documents),
    )


def _unread_policies(path: str, text: str) -> tuple[Notification, ...]:
    """A notification naming the format when a file yielded nothing but holds policies entralint cannot read."""
    from linter.loaders.unread import unread_format  # only files that yielded nothing pay for it

    found = unread_format(path, text)
    if found is None:
        return ()
    message = (
        f"Policies not checked: {found.name} ({found.what}) is a format entralint cannot read yet. To lint them, "
        "export the policies as Graph JSON (GET /identity/conditionalAccess/policies) or write them in Terraform"
    )
    return (Notification(message, path, found.line, found.column),)


def _policy_ids(documents: tuple[Document, ...]) -> tuple[str, ...]:
    """The literal `id` of each Conditional Access policy: two policies with one id are two tenants' (IN006)."""
    found = []
    for document in documents:
        if document.kind == CONDITIONAL_ACCESS_POLICY:
            data = document.data
            policy_id = data.get("id") if type(data) is dict else document.get("/id")
            if type(policy_id) is str and policy_id.strip():
                found.append(policy_id.strip().casefold())
    return tuple(found)


def _kept(documents: tuple[Document, ...], keep: bool) -> tuple[Document, ...]:
    """Documents held past their file's check, without the parser state kept for document rules' spans."""
    if not keep:
        return ()
    for document in documents:
        if document.positions is not None:
            document.positions.compact()
    return documents
