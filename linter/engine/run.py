"""The run: files -> loaders -> model -> rules -> findings, tenant by tenant, files in parallel."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from linter.engine.config import Config
from linter.engine.file_check import (
    FileOutcome,
    FileSettings,
    Task,
    check_document_rules,
    check_file,
    resolve,
    rule_failure,
)
from linter.engine.files import (
    STDIN,
    FileSkip,
    StandardInput,
    discover,
    display_path,
    excluded,
    place_standard_input,
)
from linter.engine.ruleset import RuleSet
from linter.engine.tenancy import context_files, tenant_of
from linter.engine.workers import Workers, default_jobs, worker_ruleset
from linter.loaders import forget_directories
from linter.model import Document, LoadProblem, SourceFile, Tenant
from linter.model.findings import Notification, Report
from linter.model.source import FILE_START
from linter.policy.emergency import emergency_access
from linter.rule import Finding, TenantRule

__all__ = ["lint"]

# Entra ID's limit on Conditional Access policies in one tenant. A "tenant" past it is several tenants
# linted as one (no `tenants` configured): tenant rules would answer for a tenant that does not exist,
# so they are skipped there (IN006 says so), and its documents are not held.
MAX_TENANT_POLICIES = 195


def check_tenant(ruleset: RuleSet, tenant: Tenant) -> tuple[list[Finding], list[Notification]]:
    """Run the tenant rules; on a tenant that is several (`tenant.several`), only those that need no documents."""
    findings: list[Finding] = []
    notifications: list[Notification] = []
    for rule in ruleset.rules.values():
        if not isinstance(rule, TenantRule) or (tenant.several and rule.needs_documents):
            continue
        try:
            for violation in rule.check(tenant):
                finding = resolve(ruleset.levels[rule.code], violation, tenant.documents)
                subject = violation.key or f"{finding.identity}\x1f{finding.pointer}"
                findings.append(finding._replace(tenant_subject=(tenant.name, subject)))
        except Exception as error:  # a rule's bug must not take the run down
            from linter.policy.sign_in_classes import LimitReached  # the evaluator's: runs without it never pay

            if isinstance(error, LimitReached):  # a partial answer is no answer: the run must not pass as one
                findings.extend(_unfinished(ruleset, rule, tenant, str(error)))
            else:
                notifications.append(rule_failure(rule, f"tenant {tenant.name}", error))
    return findings, notifications


def _unfinished(ruleset: RuleSet, rule: TenantRule, tenant: Tenant, why: str) -> list[Finding]:
    """IN006 for a tenant rule that could not finish: what it found so far is not reported, the run fails."""
    reporter = ruleset.rules.get("IN006")
    if reporter is None:
        return []
    violation = reporter.violation(
        tenant.anchor,
        f"Tenant rule {rule.code} was skipped for tenant {tenant.name!r}: it could not finish ({why}), and a partial "
        "answer could miss what it looks for. Split the tenant's policies into `tenants`, or ignore the rule",
        key=f"unfinished {rule.code}",
    )
    finding = resolve(ruleset.levels["IN006"], violation, tenant.documents)
    return [finding._replace(tenant_subject=(tenant.name, f"unfinished {rule.code}"))]


def _settings(config: Config) -> FileSettings:
    return FileSettings(config.max_file_size, config.per_policy_ignores, var_files=config.var_files)


def _tasks_by_tenant(
    paths: Sequence[str], config: Config, cwd: Path, skips: list[FileSkip], stdin: StandardInput | None = None
) -> dict[str, list[Task]]:
    """The files to read, grouped by tenant: given files, plus the files of their tenants that were not given."""
    given_paths = discover(paths, config.exclude, cwd, skips=skips)
    settings = _settings(config)
    tasks: dict[str, list[Task]] = {}
    for path in given_paths:
        shown = display_path(path, cwd)
        tasks.setdefault(tenant_of(shown, config, cwd), []).append((path, shown, True, settings))
    placed = place_standard_input(stdin, config.exclude, cwd) if stdin is not None else None
    if stdin is not None and placed is not None:
        path, shown = placed
        tenant = "default" if path == STDIN else tenant_of(shown, config, cwd)
        tasks.setdefault(tenant, []).append((path, shown, True, settings._replace(stdin=stdin.data)))
        # Standard input stands in for the file it names: the copy on disk is not the tenant's too.
        given_paths.append(path)
    for path, shown, tenant in context_files(config, paths, given_paths, set(tasks), cwd):
        tasks[tenant].append((path, shown, False, settings))
    return tasks


class TenantOutcome(NamedTuple):
    """What linting one tenant leaves behind: no documents, so a fleet never sits in memory."""

    findings: tuple[Finding, ...]
    notifications: tuple[Notification, ...]
    files: tuple[str, ...]
    policies: int


class _TenantDocuments:
    """A tenant's documents, held only while the tenant is one Entra could hold and tenant rules want them.

    It also notices when the "tenant" is clearly several: more Conditional Access policies than one
    tenant can hold, or two policies with one `id` (only the ids are kept, never a fleet's documents).
    """

    def __init__(self, wanted: bool) -> None:
        self.wanted = wanted
        self.conditional_access_policies = 0
        self.by_path: dict[str, tuple[Document, ...]] = {}
        self.ids: dict[str, str] = {}  # policy id -> the first file holding it
        self.duplicate: tuple[str, str, str] | None = None  # (id, first file, second file)

    def add(self, outcome: FileOutcome) -> None:
        self.conditional_access_policies += outcome.conditional_access
        for policy_id in outcome.policy_ids if self.duplicate is None and not self.too_large() else ():
            first = self.ids.setdefault(policy_id, outcome.path)
            if first != outcome.path or outcome.policy_ids.count(policy_id) > 1:
                self.duplicate = (policy_id, first, outcome.path)
        if self.too_large() or self.duplicate is not None:
            self.ids.clear()
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

    def too_large(self) -> bool:
        return self.conditional_access_policies > MAX_TENANT_POLICIES

    def several(self) -> str:
        """Why this "tenant" is several tenants linted as one, or ""."""
        if self.duplicate is not None:
            policy_id, first, second = self.duplicate
            where = f"in {first}" if first == second else f"in {first} and {second}"
            return f"two Conditional Access policies have the id {policy_id} ({where})"
        if self.too_large():
            return (
                f"it holds {self.conditional_access_policies:,} Conditional Access policies, more than one "
                f"Entra tenant can ({MAX_TENANT_POLICIES})"
            )
        return ""

    def keeping(self) -> bool:
        return self.wanted and not self.several()

    def documents(self) -> tuple[Document, ...]:
        return tuple(document for path in sorted(self.by_path) for document in self.by_path[path])


def _anchor_file(outcomes: Sequence[FileOutcome]) -> str:
    """The first file in path order holding a Conditional Access policy, else any policy: never settings."""
    for outcome in outcomes:
        if outcome.conditional_access:
            return outcome.path
    return next((outcome.path for outcome in outcomes if outcome.policies), "")


def _inferred_emergency_access(name: str, tenant: Tenant, ruleset: RuleSet) -> list[Notification]:
    """Announce once per tenant the emergency access accounts inferred, when a selected rule relies on them."""
    readers = [
        rule
        for rule in ruleset.rules.values()
        if isinstance(rule, TenantRule)
        and any(option.name == "emergency-access" for option in rule.options)
        and not rule.settings["emergency-access"]  # the rule's own option overrides the tenant's accounts
    ]
    if not readers or tenant.emergency_access_setting is not None:
        return []
    inferred = emergency_access(tenant).inferred
    if not inferred:
        return []
    accounts = "; ".join(f"{account.kind} {' '.join(account.value.split())} ({account.reason})" for account in inferred)
    return [
        Notification(
            f"tenant {name!r}: taken for emergency access accounts, as no `emergency-access` is configured: "
            f"{accounts}. Confirm with `emergency-access = [...]` in configuration (or under the tenant in "
            "`tenants`); rules CA008, CA010 and CA011 read it",
            tenant.anchor,
            level="note",
        )
    ]


def lint_tenant(linter: Workers, config: Config, name: str, tasks: Sequence[Task]) -> TenantOutcome:
    """Check a tenant's files, run the tenant rules on the whole tenant, apply suppressions."""
    from linter.engine.suppressions import apply_suppressions

    ruleset = linter.ruleset
    tenant_rules = [rule for rule in ruleset.rules.values() if isinstance(rule, TenantRule)]
    held = _TenantDocuments(wanted=any(rule.needs_documents for rule in tenant_rules))
    given = [task for task in tasks if task[2]]
    outcomes: list[FileOutcome] = []
    # Files not given are only read: in workers they would be read twice (documents are not sent back).
    context = (check_file(ruleset, task, keep_documents=held.keeping()) for task in tasks if not task[2])
    for outcome in itertools.chain(linter.outcomes(given, held.keeping), context):
        held.add(outcome)
        outcomes.append(outcome._replace(documents=()) if outcome.documents else outcome)
    outcomes.sort(key=lambda outcome: outcome.path)
    findings = [finding for outcome in outcomes for finding in outcome.findings]
    notifications = [note for outcome in outcomes for note in outcome.notifications]
    members = tuple(outcome.path for outcome in outcomes if outcome.source_format)
    if tenant_rules and held.keeping() and linter.in_workers(given):
        with_documents = {outcome.path for outcome in outcomes if outcome.policies and outcome.given}
        held.reload(ruleset, [task for task in given if task[1] in with_documents])
    if tenant_rules:
        privileged_roles, extend_privileged_roles = config.privileged_roles_of(name)
        tenant = Tenant(
            name,
            held.documents(),
            members,
            _anchor_file(outcomes),
            config.emergency_access_of(name),
            held.several(),
            privileged_roles,
            extend_privileged_roles,
        )
        rule_findings, rule_notifications = check_tenant(ruleset, tenant)
        findings.extend(rule_findings)
        notifications.extend(rule_notifications)
        if not tenant.several:
            notifications.extend(_inferred_emergency_access(name, tenant, ruleset))
    return TenantOutcome(
        tuple(apply_suppressions(findings, outcomes, config, ruleset)),
        tuple(notifications),
        tuple(outcome.path for outcome in outcomes if outcome.given),
        sum(outcome.policies for outcome in outcomes if outcome.given),
    )


def _unreadable_findings(ruleset: RuleSet, skips: Sequence[FileSkip], cwd: Path) -> list[Finding]:
    """A path the run was asked to check and could not read is an IN001, as an unreadable file's content is."""
    findings: list[Finding] = []
    for skip in skips:
        if skip.unreadable:
            problem = LoadProblem("IN001", skip.reason, FILE_START)
            source = SourceFile(display_path(skip.path, cwd), "", (problem,))
            findings.extend(check_document_rules(ruleset, source, ())[0])
    return findings


def _worker_tenant(job: tuple[Config, str, Sequence[Task]]) -> TenantOutcome:
    return lint_tenant(Workers(worker_ruleset()), *job)


def _unread_new_files(
    findings: list[Finding], paths: Sequence[str], tasks: dict[str, list[Task]], config: Config, cwd: Path
) -> list[Finding]:
    """Findings whose fix writes a new file no run on these paths would read lose that fix: written, it would change
    nothing the next run sees (the finding, and its fix, would come back). Read are the folders of the files read for
    a tenant without being given, and what the given folders hold."""
    if not any(edit.new_file for finding in findings if finding.fix is not None for edit in finding.fix.edits):
        return findings
    walked = {os.path.dirname(path) for batch in tasks.values() for path, _, given, _ in batch if not given}
    folders = [os.path.normpath(cwd / path) for path in paths if os.path.isdir(cwd / path)]

    def read(path: str) -> bool:
        absolute = os.path.normpath(cwd / path)
        inside = any(absolute.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)
        return (inside or os.path.dirname(absolute) in walked) and not excluded(absolute, config.exclude, cwd)

    kept = []
    for finding in findings:
        edits = finding.fix.edits if finding.fix is not None else ()
        if any(edit.new_file and not read(edit.path) for edit in edits):
            finding = finding._replace(
                fix=None,
                no_fix="the new file would not be read by a run on these paths (lint its folder, or the repository)",
            )
        kept.append(finding)
    return kept


def _number_occurrences(findings: list[Finding]) -> list[Finding]:
    """Each document finding with the occurrence of its fingerprint key in file order (findings come sorted)."""
    seen: dict[tuple[str, str, str, str], int] = {}
    numbered = []
    for finding in findings:
        if finding.tenant_subject is None:
            key = (finding.code, finding.path, finding.identity, finding.pointer)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            if occurrence:
                finding = finding._replace(occurrence=occurrence)
        numbered.append(finding)
    return numbered


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
    forget_directories()
    cwd = cwd or Path.cwd()
    skips: list[FileSkip] = []
    tasks = _tasks_by_tenant(paths, config, cwd, skips, stdin)
    notifications = [
        *(Notification(notice) for notice in config.notices),
        *ruleset.notifications,
        *(Notification(skip.reason, skip.path) for skip in skips if not skip.unreadable),
    ]
    findings = _unreadable_findings(ruleset, skips, cwd)
    files: list[str] = []
    policies = 0
    names = sorted(tasks)
    given = sum(1 for batch in tasks.values() for task in batch if task[2])  # files not given are read in-process
    linter = Workers(ruleset, build, jobs or default_jobs(given))
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
    findings = _unread_new_files(findings, paths, tasks, config, cwd)
    findings.sort(key=Finding.sort_key)
    findings = _number_occurrences(findings)
    # dict.fromkeys: every .tf file of a module directory may say that it did not read the same link.
    notifications = sorted(dict.fromkeys(notifications), key=lambda note: (note.path, note.line, note.message))
    return Report(
        findings=tuple(findings),
        files=tuple(sorted(files)),
        policies=policies,
        notifications=tuple(notifications),
        rules={code: type(rule) for code, rule in ruleset.rules.items()},
        elapsed=time.perf_counter() - started,
        tool_failed=any(note.level == "error" for note in notifications),
    )
