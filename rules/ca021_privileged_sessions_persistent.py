"""CA021: privileged role holders' sessions are not limited by sign-in frequency and a non-persistent browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.model import Tenant, Unresolved
from linter.policy.emergency import emergency_access
from linter.rule import BenchmarkControl, Level, RuleOption, TenantRule, Violation

from .ca012_privileged_roles_without_phishing_resistant_mfa import open_holders, role_anchor

if TYPE_CHECKING:
    from linter.policy.compiled import CompiledPolicy


def frequency_within(policy: CompiledPolicy, max_hours: int) -> bool | None:
    """Does the policy block, or enforce a sign-in frequency of at most max_hours? None when computed."""
    from linter.policy.combine import requirement
    from linter.policy.session import sign_in_frequency

    if requirement(policy).blocks:
        return True
    frequency = sign_in_frequency(policy.document)
    if frequency is None or frequency is True:
        return None
    if frequency is False:
        return False
    if frequency.every_time:
        return True
    if not isinstance(frequency.value, int) or isinstance(frequency.value, Unresolved):
        return None
    return frequency.value * (24 if frequency.unit == "days" else 1) <= max_hours


def browser_never_persistent(policy: CompiledPolicy) -> bool | None:
    """Does the policy block, or set persistent browser sessions to `never`? None when computed."""
    from linter.policy.combine import requirement

    if requirement(policy).blocks:
        return True
    control = policy.document.get("/sessionControls/persistentBrowser")
    if isinstance(control, Unresolved):
        return None
    if not isinstance(control, dict):
        return False
    enabled, mode = control.get("isEnabled"), control.get("mode")
    if isinstance(enabled, Unresolved) or isinstance(mode, Unresolved):
        return None
    return enabled is not False and isinstance(mode, str) and mode.casefold() == "never"


class PrivilegedSessionsPersistent(TenantRule):
    """
    ## What it checks
    Whether every sign-in of the holders of a privileged directory role, to any resource under any
    condition, is blocked or gets a sign-in frequency of at most 4 hours (option
    `max-sign-in-frequency-hours`; `everyTime` counts), and whether every browser sign-in of theirs
    is blocked or gets persistent browser session `never`. Several policies may share the job (the
    shortest sign-in frequency of the policies that apply is in force), and a policy for all users
    covers role holders too. Only emergency access accounts may be excluded. A computed value counts
    as covering. The privileged roles are Microsoft's built-in roles marked PRIVILEGED, or
    `privileged-roles` / `extend-privileged-roles` in configuration.

    ## Why it matters
    A stolen session cookie or refresh token of an administrator is worth as much as the password
    and the second factor together. Short sign-in frequency and browser sessions that do not
    survive closing the browser shorten the time a stolen session stays usable and leave no
    persistent cookie on shared machines.

    ## Example
    The administrators' policy asks for MFA but sets no session limits:
    ```json
    {"displayName": "Admins MFA", "state": "enabled",
     "conditions": {"users": {"includeRoles": ["62e90394-69f5-4237-9190-012177145e10"]},
                    "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Add session controls to the policy for the privileged roles on all resources: Graph JSON
    `"sessionControls": {"signInFrequency": {"isEnabled": true, "type": "hours", "value": 4,
    "frequencyInterval": "timeBased"}, "persistentBrowser": {"isEnabled": true, "mode": "never"}}`;
    Terraform `session_controls { sign_in_frequency = 4, sign_in_frequency_period = "hours",
    persistent_browser_mode = "never" }`. Conditional Access session controls need Microsoft Entra
    ID P1.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-session-lifetime
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-persistent-browser
    """

    code = "CA021"
    name = "privileged-sessions-persistent"
    summary = "Privileged role holders' sessions are not limited by sign-in frequency and a non-persistent browser"
    level = Level.NOTE
    tags = ("security", "privileged-roles", "session")
    benchmarks = (
        BenchmarkControl("cis-m365-v4", "5.2.2.4"),
        BenchmarkControl("cis-m365-v5", "5.2.2.4"),
        BenchmarkControl("cis-m365-v6", "5.2.2.4"),
        BenchmarkControl("cis-m365-v7", "5.2.2.4"),
        BenchmarkControl("prowler", "entra_admin_users_sign_in_frequency_enabled"),
    )
    options = (
        RuleOption(
            "max-sign-in-frequency-hours",
            "integer",
            4,
            "the longest sign-in frequency, in hours, that counts as limiting a privileged session",
        ),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.evaluate import Evaluator
        from linter.policy.privileged_roles import privileged_coverage, privileged_roles

        evaluator = Evaluator(tenant.documents)
        roles = privileged_roles(tenant)
        if not evaluator.policies or not roles:
            return
        accounts = emergency_access(tenant).accounts()
        max_hours = int(self.settings["max-sign-in-frequency-hours"])
        frequency = privileged_coverage(evaluator, roles, lambda policy: frequency_within(policy, max_hours), accounts)
        # Persistent browser sessions are a browser's: other client apps keep no browser cookie.
        browser = privileged_coverage(
            evaluator, roles, browser_never_persistent, accounts, fixed={"clientApp": ("browser",)}
        )
        missing = []
        if frequency.open_roles:
            missing.append(f"a sign-in frequency of at most {max_hours} hours for {open_holders(frequency, roles)}")
        if browser.open_roles:
            missing.append(f"persistent browser sessions `never` for {open_holders(browser, roles)}")
        if not missing:
            return
        anchor, pointer = role_anchor(evaluator, tenant)
        yield self.violation(
            anchor,
            f"Privileged sessions are not limited. No enabled policy of tenant {tenant.name!r} blocks or sets "
            + "; nor ".join(missing),
            pointer,
            key="privilegedSessions",
        )
