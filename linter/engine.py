"""The run: files -> loaders -> model -> rules -> findings, per file in parallel, then per tenant."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter.config import Config
from linter.files import FileSkip, ReadError, discover, display_path, glob_matches, read_text
from linter.model import CONDITIONAL_ACCESS_POLICY, SOURCE_FILE, Document, LoadProblem, SourceFile, Tenant
from linter.rule import DocumentRule, Finding, Level, Rule, TenantRule, Violation
from linter.ruleset import RuleSet
from linter.source import FILE_START, Location
from linter.suppressions import SuppressionComment, find_comments

__all__ = ["Notification", "Report", "lint"]

# Fewer files than this are linted in-process: starting workers costs more than it saves.
PARALLEL_THRESHOLD = 64
# Entra ID's limit on Conditional Access policies in one tenant. A "tenant" past it is several tenants
# linted as one (no `tenants` configured); analyses that model one tenant's sign-ins are skipped there.
MAX_TENANT_POLICIES = 195


@dataclass(frozen=True, slots=True)
class Notification:
    """Something the tool itself could not do: a path it skipped, a rule that crashed."""

    message: str
    path: str = ""
    line: int = 0
    column: int = 0
    level: str = "warning"
    rule: str = ""


@dataclass(frozen=True)
class FileOutcome:
    path: str
    given: bool
    source_format: str = ""
    documents: tuple[Document, ...] = ()
    findings: tuple[Finding, ...] = ()
    comments: tuple[SuppressionComment, ...] = ()
    notifications: tuple[Notification, ...] = ()


@dataclass(frozen=True)
class Report:
    """Everything reporters need about one run."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    policies: int  # documents read from the files given
    notifications: tuple[Notification, ...]
    rules: Mapping[str, type[Rule]]
    elapsed: float = 0.0
    baseline_hidden: int = 0
    tool_failed: bool = False  # a rule or a loader crashed: the report may be incomplete


def resolve(rule_level: Level, violation: Violation) -> Finding:
    """Place a violation in its file: the engine, not the rule, turns pointers into spans."""
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
    related = tuple(Location(doc.path, doc.span(pointer), pointer) for doc, pointer in violation.related)
    return Finding(violation.code, rule_level, violation.message, path, span, violation.pointer, identity, related)


def _rule_failure(rule: Rule, path: str, error: BaseException) -> Notification:
    return Notification(
        f"rule {rule.code} ({rule.name}) failed on {path}: {type(error).__name__}: {error}",
        path,
        level="error",
        rule=rule.code,
    )


def check_document_rules(
    ruleset: RuleSet, source: SourceFile, documents: Iterable[Document]
) -> tuple[list[Finding], list[Notification]]:
    findings: list[Finding] = []
    notifications: list[Notification] = []
    documents = tuple(documents)
    for rule in ruleset.rules.values():
        if not isinstance(rule, DocumentRule):
            continue
        level = ruleset.levels[rule.code]
        subjects: list[Any] = [source] if SOURCE_FILE in rule.kinds else []
        subjects += [document for document in documents if document.kind in rule.kinds]
        for subject in subjects:
            try:
                checked = rule.check_file(subject) if isinstance(subject, SourceFile) else rule.check(subject)
                findings.extend(resolve(level, violation) for violation in checked)
            except Exception as error:  # a rule's bug must not take the run down
                notifications.append(_rule_failure(rule, source.path, error))
    return findings, notifications


def lint_file(ruleset: RuleSet, path: Path, shown: str, given: bool, max_size: int) -> FileOutcome:
    """Load one file and, when it was given on the command line, run the document rules on it."""
    from linter.loaders import load_text

    problems: tuple[LoadProblem, ...]
    documents: tuple[Document, ...]
    try:
        text = read_text(path, max_size)
    except ReadError as error:
        result_format, documents, problems, text = "", (), (LoadProblem("IN001", str(error), error.span),), ""
    else:
        try:
            result = load_text(shown, text)
        except RecursionError:
            result = None
            problems = (LoadProblem("IN001", "input nested too deeply to read", FILE_START),)
            documents, result_format = (), ""
        except Exception as error:  # a loader bug must not take the other files down
            message = f"internal error while loading this file ({type(error).__name__}: {error}); please report it"
            return FileOutcome(shown, given, notifications=(Notification(message, shown, level="error"),))
        else:
            if result is None:
                return FileOutcome(shown, given)
            result_format, documents, problems = result.source_format, result.documents, result.problems
    if not given:
        _compact(documents)
        return FileOutcome(shown, given, result_format, documents)
    source = SourceFile(shown, result_format, problems)
    findings, notifications = check_document_rules(ruleset, source, documents)
    _compact(documents)
    comments = tuple(find_comments(text)) if "entralint:" in text else ()
    return FileOutcome(shown, given, result_format, documents, tuple(findings), comments, tuple(notifications))


def _compact(documents: Iterable[Document]) -> None:
    """Let loaders drop parser state kept for the document rules' spans before documents are held."""
    for document in documents:
        if document.positions is not None:
            document.positions.compact()


def check_tenant(ruleset: RuleSet, tenant: Tenant) -> tuple[list[Finding], list[Notification]]:
    findings: list[Finding] = []
    notifications: list[Notification] = []
    policy_count = sum(1 for _ in tenant.of_kind(CONDITIONAL_ACCESS_POLICY))
    for rule in ruleset.rules.values():
        if not isinstance(rule, TenantRule):
            continue
        if rule.tenant_sized and policy_count > MAX_TENANT_POLICIES:
            notifications.append(_too_large(rule, tenant, policy_count))
            continue
        try:
            findings.extend(resolve(ruleset.levels[rule.code], violation) for violation in rule.check(tenant))
        except Exception as error:  # a rule's bug must not take the run down
            notifications.append(_rule_failure(rule, f"tenant {tenant.name}", error))
    return findings, notifications


def _too_large(rule: Rule, tenant: Tenant, policy_count: int) -> Notification:
    return Notification(
        f"rule {rule.code} ({rule.name}) skipped for tenant {tenant.name!r}: it holds {policy_count:,} Conditional "
        f"Access policies, more than one Entra tenant can ({MAX_TENANT_POLICIES}); configure `tenants` so that each "
        "tenant's files are linted as one",
        tenant.anchor,
        rule=rule.code,
    )


def _tenant_of(path: str, config: Config, cwd: Path) -> str:
    relative = display_path((cwd / path).resolve(), config.root)
    for name, globs in config.tenants.items():
        if any(glob_matches(glob, relative) for glob in globs):
            return name
    if config.tenant_directories:
        # The shallowest directory a pattern names is the tenant, named by its path.
        parts = relative.split("/")
        for depth in range(1, len(parts)):
            directory = "/".join(parts[:depth])
            if any(glob_matches(pattern, directory) for pattern in config.tenant_directories):
                return directory
    return "default"


def _tenant_context(config: Config, given: set[Path], tenants: set[str], cwd: Path) -> Iterator[tuple[Path, str, str]]:
    """(path, shown path, tenant) of the named tenants' files that were not given: tenant rules need them."""
    if not (config.tenants or config.tenant_directories) or tenants == {"default"}:
        return
    for path in discover([str(config.root)], config.exclude, cwd):
        if path not in given:
            shown = display_path(path, cwd)
            tenant = _tenant_of(shown, config, cwd)
            if tenant in tenants:
                yield path, shown, tenant


_WORKER: dict[str, Any] = {}


def _worker_init(build: Callable[[], RuleSet]) -> None:
    _WORKER["ruleset"] = build()


Task = tuple[Path, str, bool, int]  # path, shown path, given on the command line, size limit


def _worker_lint(task: Task) -> FileOutcome:
    return lint_file(_WORKER["ruleset"], *task)


def _default_jobs(count: int) -> int:
    return (os.cpu_count() or 1) if count >= PARALLEL_THRESHOLD else 1


class _Linter:
    """Lints batches of files in-process, or in one pool of workers kept for the whole run."""

    def __init__(self, ruleset: RuleSet, build: Callable[[], RuleSet], jobs: int) -> None:
        self.ruleset = ruleset
        self.jobs = jobs
        self.pool: Any = None
        if jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            self.pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_init, initargs=(build,))

    def lint(self, tasks: Sequence[Task]) -> list[FileOutcome]:
        if self.pool is None or len(tasks) < 2:
            return [lint_file(self.ruleset, *task) for task in tasks]
        chunk = max(1, min(64, len(tasks) // (self.jobs * 8)))
        return list(self.pool.map(_worker_lint, tasks, chunksize=chunk))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def _tasks_by_tenant(paths: Sequence[str], config: Config, cwd: Path, skips: list[FileSkip]) -> dict[str, list[Task]]:
    """The files to read, grouped by tenant: given files, plus the unnamed files of their tenants."""
    given_paths = discover(paths, config.exclude, cwd, skips=skips)
    tasks: dict[str, list[Task]] = {}
    for path in given_paths:
        shown = display_path(path, cwd)
        tasks.setdefault(_tenant_of(shown, config, cwd), []).append((path, shown, True, config.max_file_size))
    for path, shown, tenant in _tenant_context(config, set(given_paths), set(tasks), cwd):
        tasks[tenant].append((path, shown, False, config.max_file_size))
    return tasks


@dataclass(frozen=True)
class TenantOutcome:
    """What linting one tenant leaves behind: no documents, so a fleet never sits in memory."""

    findings: tuple[Finding, ...]
    notifications: tuple[Notification, ...]
    files: tuple[str, ...]
    policies: int


def lint_tenant(
    lint_files: Callable[[Sequence[Task]], list[FileOutcome]],
    ruleset: RuleSet,
    config: Config,
    name: str,
    tasks: Sequence[Task],
) -> TenantOutcome:
    """Load a tenant's files, run the tenant rules on the whole tenant, apply suppressions."""
    from linter.suppressions import apply_suppressions

    outcomes = sorted(lint_files(tasks), key=lambda outcome: outcome.path)
    findings = [finding for outcome in outcomes for finding in outcome.findings]
    notifications = [note for outcome in outcomes for note in outcome.notifications]
    members = [outcome for outcome in outcomes if outcome.source_format]
    tenant = Tenant(
        name,
        tuple(document for outcome in members for document in outcome.documents),
        tuple(outcome.path for outcome in members),
    )
    rule_findings, rule_notifications = check_tenant(ruleset, tenant)
    findings.extend(rule_findings)
    notifications.extend(rule_notifications)
    given = [document for outcome in members if outcome.given for document in outcome.documents]
    return TenantOutcome(
        tuple(apply_suppressions(findings, outcomes, given, config, ruleset)),
        tuple(notifications),
        tuple(outcome.path for outcome in outcomes if outcome.given),
        len(given),
    )


def _lint_in_process(tasks: Sequence[Task]) -> list[FileOutcome]:
    return [_worker_lint(task) for task in tasks]


def _worker_tenant(job: tuple[Config, str, Sequence[Task]]) -> TenantOutcome:
    return lint_tenant(_lint_in_process, _WORKER["ruleset"], *job)


def lint(
    paths: Sequence[str],
    config: Config,
    ruleset: RuleSet,
    build: Callable[[], RuleSet],
    *,
    jobs: int | None = None,
    cwd: Path | None = None,
) -> Report:
    """A whole run, tenant by tenant: memory holds one tenant's documents, not the whole fleet.

    With several tenants and workers, each worker lints whole tenants (tenant rules included);
    with one tenant, workers share its files and the tenant rules run here.
    """
    started = time.perf_counter()
    cwd = cwd or Path.cwd()
    skips: list[FileSkip] = []
    tasks = _tasks_by_tenant(paths, config, cwd, skips)
    notifications = [Notification(skip.reason, skip.path) for skip in skips]
    findings: list[Finding] = []
    files: list[str] = []
    policies = 0
    names = sorted(tasks)
    linter = _Linter(ruleset, build, jobs or _default_jobs(sum(len(batch) for batch in tasks.values())))
    try:
        results: Iterable[TenantOutcome]
        if linter.pool is not None and len(names) > 1:
            results = linter.pool.map(_worker_tenant, [(config, name, tasks[name]) for name in names])
        else:
            results = (lint_tenant(linter.lint, ruleset, config, name, tasks[name]) for name in names)
        for result in results:
            findings.extend(result.findings)
            notifications.extend(result.notifications)
            files.extend(result.files)
            policies += result.policies
    finally:
        linter.close()
    findings.sort(key=Finding.sort_key)
    notifications.sort(key=lambda note: (note.path, note.line, note.message))
    return Report(
        findings=tuple(findings),
        files=tuple(sorted(files)),
        policies=policies,
        notifications=tuple(notifications),
        rules={code: type(rule) for code, rule in ruleset.rules.items()},
        elapsed=time.perf_counter() - started,
        tool_failed=any(note.level == "error" for note in notifications),
    )
