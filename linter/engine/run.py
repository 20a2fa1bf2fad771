"""The run: files -> loaders -> model -> rules -> findings, tenant by tenant, files in parallel."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from linter.engine.config import Config
from linter.engine.file_check import FileOutcome, FileSettings, Task, check_file, resolve, rule_failure
from linter.engine.files import (
    STDIN,
    FileSkip,
    StandardInput,
    discover,
    display_path,
    glob_matches,
    place_standard_input,
)
from linter.engine.ruleset import RuleSet
from linter.engine.workers import Workers, default_jobs, worker_ruleset
from linter.model import Document, Tenant
from linter.model.findings import Notification, Report
from linter.rule import Finding, Rule, TenantRule

__all__ = ["lint"]

# Entra ID's limit on Conditional Access policies in one tenant. A "tenant" past it is several tenants
# linted as one (no `tenants` configured): tenant rules would answer for a tenant that does not exist,
# so they are skipped there, and its documents are not held.
MAX_TENANT_POLICIES = 195


def check_tenant(ruleset: RuleSet, tenant: Tenant) -> tuple[list[Finding], list[Notification]]:
    findings: list[Finding] = []
    notifications: list[Notification] = []
    for rule in ruleset.rules.values():
        if not isinstance(rule, TenantRule):
            continue
        try:
            findings.extend(resolve(ruleset.levels[rule.code], violation) for violation in rule.check(tenant))
        except Exception as error:  # a rule's bug must not take the run down
            notifications.append(rule_failure(rule, f"tenant {tenant.name}", error))
    return findings, notifications


def _too_large(rule: Rule, name: str, anchor: str, policy_count: int) -> Notification:
    return Notification(
        f"rule {rule.code} ({rule.name}) skipped for tenant {name!r}: it holds {policy_count:,} Conditional "
        f"Access policies, more than one Entra tenant can ({MAX_TENANT_POLICIES}); configure `tenants` or "
        "`tenant-directories` so that each tenant's files are linted as one",
        anchor,
        rule=rule.code,
    )


def _tenant_of(path: str, config: Config, cwd: Path) -> str:
    if not (config.tenants or config.tenant_directories):
        return "default"
    relative = display_path(os.path.realpath(os.path.join(cwd, path)), config.root)
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


def _tenant_context(
    config: Config, given_paths: list[str], tenants: set[str], cwd: Path
) -> Iterator[tuple[str, str, str]]:
    """(path, shown path, tenant) of the named tenants' files that were not given: tenant rules need them."""
    if not (config.tenants or config.tenant_directories) or tenants == {"default"}:
        return
    given = set(given_paths)
    for path in discover([str(config.root)], config.exclude, cwd):
        if path not in given:
            shown = display_path(path, cwd)
            tenant = _tenant_of(shown, config, cwd)
            if tenant in tenants:
                yield path, shown, tenant


def _settings(config: Config) -> FileSettings:
    return FileSettings(config.max_file_size, config.per_policy_ignores)


def _tasks_by_tenant(
    paths: Sequence[str], config: Config, cwd: Path, skips: list[FileSkip], stdin: StandardInput | None = None
) -> dict[str, list[Task]]:
    """The files to read, grouped by tenant: given files, plus the unnamed files of their tenants."""
    given_paths = discover(paths, config.exclude, cwd, skips=skips)
    settings = _settings(config)
    tasks: dict[str, list[Task]] = {}
    for path in given_paths:
        shown = display_path(path, cwd)
        tasks.setdefault(_tenant_of(shown, config, cwd), []).append((path, shown, True, settings))
    placed = place_standard_input(stdin, config.exclude, cwd) if stdin is not None else None
    if stdin is not None and placed is not None:
        path, shown = placed
        tenant = "default" if path == STDIN else _tenant_of(shown, config, cwd)
        tasks.setdefault(tenant, []).append((path, shown, True, settings._replace(stdin=stdin.data)))
        # Standard input stands in for the file it names: the copy on disk is not the tenant's too.
        given_paths.append(path)
    for path, shown, tenant in _tenant_context(config, given_paths, set(tasks), cwd):
        tasks[tenant].append((path, shown, False, settings))
    return tasks


class TenantOutcome(NamedTuple):
    """What linting one tenant leaves behind: no documents, so a fleet never sits in memory."""

    findings: tuple[Finding, ...]
    notifications: tuple[Notification, ...]
    files: tuple[str, ...]
    policies: int


class _TenantDocuments:
    """A tenant's documents, held only while the tenant is one Entra could hold and tenant rules want them."""

    def __init__(self, wanted: bool) -> None:
        self.wanted = wanted
        self.conditional_access_policies = 0
        self.by_path: dict[str, tuple[Document, ...]] = {}

    def add(self, outcome: FileOutcome) -> None:
        self.conditional_access_policies += outcome.conditional_access
        if not self.keeping():
            self.by_path.clear()
        elif outcome.documents:
            self.by_path[outcome.path] = outcome.documents

    def reload(self, ruleset: RuleSet, tasks: Sequence[Task]) -> None:
        """Load again the documents of files checked in workers (documents are not sent back)."""
        for path, shown, _, settings in tasks:
            outcome = check_file(ruleset, (path, shown, False, settings), keep_documents=True)
            if outcome.documents:
                self.by_path[outcome.path] = outcome.documents

    def keeping(self) -> bool:
        return self.wanted and self.conditional_access_policies <= MAX_TENANT_POLICIES

    def documents(self) -> tuple[Document, ...]:
        return tuple(document for path in sorted(self.by_path) for document in self.by_path[path])


def lint_tenant(linter: Workers, config: Config, name: str, tasks: Sequence[Task]) -> TenantOutcome:
    """Check a tenant's files, run the tenant rules on the whole tenant, apply suppressions."""
    from linter.engine.suppressions import apply_suppressions

    ruleset = linter.ruleset
    tenant_rules = [rule for rule in ruleset.rules.values() if isinstance(rule, TenantRule)]
    held = _TenantDocuments(wanted=bool(tenant_rules))
    outcomes: list[FileOutcome] = []
    for outcome in linter.outcomes(tasks, held.keeping):
        held.add(outcome)
        outcomes.append(outcome._replace(documents=()) if outcome.documents else outcome)
    outcomes.sort(key=lambda outcome: outcome.path)
    findings = [finding for outcome in outcomes for finding in outcome.findings]
    notifications = [note for outcome in outcomes for note in outcome.notifications]
    members = tuple(outcome.path for outcome in outcomes if outcome.source_format)
    anchor = members[0] if members else ""
    if tenant_rules and not held.keeping():
        count = held.conditional_access_policies
        notifications.extend(_too_large(rule, name, anchor, count) for rule in tenant_rules)
    elif tenant_rules:
        if linter.in_workers(tasks):
            with_documents = {outcome.path for outcome in outcomes if outcome.policies}
            held.reload(ruleset, [task for task in tasks if task[1] in with_documents])
        rule_findings, rule_notifications = check_tenant(ruleset, Tenant(name, held.documents(), members))
        findings.extend(rule_findings)
        notifications.extend(rule_notifications)
    return TenantOutcome(
        tuple(apply_suppressions(findings, outcomes, config, ruleset)),
        tuple(notifications),
        tuple(outcome.path for outcome in outcomes if outcome.given),
        sum(outcome.policies for outcome in outcomes if outcome.given),
    )


def _worker_tenant(job: tuple[Config, str, Sequence[Task]]) -> TenantOutcome:
    return lint_tenant(Workers(worker_ruleset()), *job)


def lint(
    paths: Sequence[str],
    config: Config,
    ruleset: RuleSet,
    build: Callable[[], RuleSet],
    *,
    jobs: int | None = None,
    cwd: Path | None = None,
    stdin: StandardInput | None = None,
) -> Report:
    """A whole run, tenant by tenant: memory holds at most one tenant's documents, never the fleet's.

    With several tenants and workers, each worker lints whole tenants (tenant rules included);
    with one tenant, workers share its files and the tenant rules run here.
    """
    started = time.perf_counter()
    cwd = cwd or Path.cwd()
    skips: list[FileSkip] = []
    tasks = _tasks_by_tenant(paths, config, cwd, skips, stdin)
    notifications = [Notification(skip.reason, skip.path) for skip in skips]
    findings: list[Finding] = []
    files: list[str] = []
    policies = 0
    names = sorted(tasks)
    linter = Workers(ruleset, build, jobs or default_jobs(sum(len(batch) for batch in tasks.values())))
    try:
        results: Iterable[TenantOutcome]
        if linter.parallel and len(names) > 1:
            by_size = sorted(names, key=lambda name: len(tasks[name]), reverse=True)  # costliest first
            results = linter.map(_worker_tenant, [(config, name, tasks[name]) for name in by_size])
        else:
            results = (lint_tenant(linter, config, name, tasks[name]) for name in names)
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
