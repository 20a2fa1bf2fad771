"""What the policies that apply require together: a block, grant controls, session controls.

Every applying policy must be satisfied (https://learn.microsoft.com/entra/identity/conditional-access/
concept-conditional-access-policies): a block in any wins; inside a policy, grant controls combine with
its `operator` (AND: all, OR: one). The shortest sign-in frequency is in force. Report-only policies
are evaluated and listed, never enforced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from linter.model import Document, Unresolved

if TYPE_CHECKING:  # document rules read grants with this module; the evaluator is for the tenant rules
    from linter.policy.compiled import CompiledPolicy
    from linter.policy.context import SignInContext
    from linter.policy.evaluate import Evaluator

__all__ = [
    "Outcome",
    "Requirement",
    "Session",
    "alternatives",
    "conjunction",
    "implies",
    "implies_alternatives",
    "outcome",
    "read_grant",
    "requirement",
    "session_of",
]

# Any authentication strength is multifactor; plain MFA does not satisfy a stronger strength.
MFA_LIKE = "mfa"


class Requirement(NamedTuple):
    """The grant of one policy as alternatives: each alternative is a set of controls to satisfy together."""

    policy: CompiledPolicy
    operator: str
    controls: tuple[str, ...]
    blocks: bool

    @property
    def alternatives(self) -> tuple[frozenset[str], ...]:
        return alternatives(self.operator, self.controls)

    def describe(self) -> str:
        if self.blocks:
            return "block"
        return f" {self.operator} ".join(self.controls) if self.controls else "no grant control"


def alternatives(operator: str, controls: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """A grant's ways to be satisfied: each a set of controls to satisfy together."""
    if not controls:
        return (frozenset(),)
    if operator == "AND":
        return (frozenset(controls),)
    return tuple(frozenset([control]) for control in controls)


def _satisfies(controls: frozenset[str], wanted: frozenset[str]) -> bool:
    have = set(controls)
    if any(control.startswith("authenticationStrength") for control in have):
        have.add(MFA_LIKE)
    return wanted <= have


def implies(stronger: Requirement, weaker: Requirement) -> bool:
    """Does satisfying `stronger` always satisfy `weaker`? A block implies everything."""
    if stronger.blocks:
        return True
    if weaker.blocks:
        return False
    return implies_alternatives(stronger.alternatives, weaker.alternatives)


def implies_alternatives(stronger: Iterable[frozenset[str]], weaker: Iterable[frozenset[str]]) -> bool:
    """Does every way to satisfy `stronger` satisfy one way of `weaker`? (Grants as alternatives, blocks aside.)"""
    wanted = tuple(weaker)
    return all(any(_satisfies(alt, want) for want in wanted) for alt in stronger)


def conjunction(requirements: Iterable[Requirement]) -> tuple[frozenset[str], ...]:
    """The ways to satisfy every one of several grants at once (each applying policy must be satisfied), minimal.

    No grant at all is one way with nothing to do. Blocks are the caller's to handle.
    """
    ways: set[frozenset[str]] = {frozenset()}
    for grant in requirements:
        ways = {way | alternative for way in ways for alternative in grant.alternatives}
    minimal = [way for way in ways if not any(other < way for other in ways)]
    return tuple(sorted(minimal, key=lambda way: (len(way), sorted(way))))


def _items(value: object) -> list[object]:
    """A list value as items; an unresolved reference stays one (unknown) item."""
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str) else []


def requirement(policy: CompiledPolicy) -> Requirement:
    """The policy's grant, read once per policy."""
    found = policy.memo.get("requirement")
    if found is None:
        found = policy.memo["requirement"] = _requirement(policy)
    return found


def _requirement(policy: CompiledPolicy) -> Requirement:
    return Requirement(policy, *read_grant(policy.document))


def read_grant(document: Document) -> tuple[str, tuple[str, ...], bool]:
    """A policy's grant as `Requirement` holds it (operator, controls, blocks), without compiling the policy."""
    grant = document.get("/grantControls", {}) or {}
    if not isinstance(grant, dict):  # a Terraform dynamic block: which controls is unknown
        grant = {"builtInControls": grant}
    operator = grant.get("operator") if isinstance(grant.get("operator"), str) else "OR"
    built_in = grant.get("builtInControls", [])
    controls = [str(control) for control in ([built_in] if isinstance(built_in, Unresolved) else built_in)]
    strength = grant.get("authenticationStrength")
    if isinstance(strength, dict):
        label = strength.get("displayName") or strength.get("id") or "custom"
        controls.append(f"authenticationStrength:{label}")
    elif strength is not None:
        controls.append(f"authenticationStrength:{strength}")
    for terms in _items(grant.get("termsOfUse")):
        controls.append(f"termsOfUse:{terms}")
    for factor in _items(grant.get("customAuthenticationFactors")):
        controls.append(f"custom:{factor}")
    blocks = "block" in [control.strip().casefold() for control in controls]
    return str(operator).upper(), tuple(controls), blocks


class Session(NamedTuple):
    """The session controls the policies that apply to a sign-in impose on it."""

    sign_in_frequency_hours: float | None = None  # 0: every time
    persistent_browser: str | None = None
    others: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = []
        if self.sign_in_frequency_hours is not None:
            hours = self.sign_in_frequency_hours
            parts.append("sign-in frequency: every time" if hours == 0 else f"sign-in frequency: {hours:g} hours")
        if self.persistent_browser is not None:
            parts.append(f"persistent browser: {self.persistent_browser}")
        parts.extend(self.others)
        return ", ".join(parts)


def session_of(policies: Iterable[CompiledPolicy]) -> Session:
    frequency: float | None = None
    browser: str | None = None
    others: set[str] = set()
    for policy in policies:
        controls = policy.document.get("/sessionControls", {}) or {}
        if not isinstance(controls, Mapping):  # a computed block (Terraform `dynamic`): which controls is unknown
            continue
        for name, value in controls.items():
            if not isinstance(value, dict) or value.get("isEnabled") is False:
                continue
            if name == "signInFrequency":
                if value.get("frequencyInterval") == "everyTime":
                    hours = 0.0
                elif isinstance(value.get("value"), int):
                    hours = float(value["value"]) * (24 if value.get("type") == "days" else 1)
                else:
                    continue
                frequency = hours if frequency is None else min(frequency, hours)
            elif name == "persistentBrowser" and isinstance(value.get("mode"), str):
                browser = "never" if "never" in (browser, value["mode"]) else value["mode"]
            else:
                others.add(name)
    return Session(frequency, browser, tuple(sorted(others)))


class Outcome(NamedTuple):
    """The combined answer for one sign-in."""

    blocked_by: tuple[CompiledPolicy, ...]
    requirements: tuple[Requirement, ...]
    session: Session
    maybe: tuple[CompiledPolicy, ...]  # enforced policies that apply depending on unresolved values
    report_only: tuple[CompiledPolicy, ...]  # report-only policies that would apply

    @property
    def verdict(self) -> str:
        if self.blocked_by:
            return "blocked"
        controls = [r for r in self.requirements if r.controls]
        if self.maybe:
            return "depends"
        return "grant with controls" if controls else "grant"


def outcome(evaluator: Evaluator, context: SignInContext) -> Outcome:
    true_bits, maybe_bits = evaluator.applicable(context)
    enforced = evaluator.enabled
    applying = list(evaluator.results(true_bits & enforced))
    maybe = tuple(evaluator.results((maybe_bits & ~(true_bits & enforced)) & (enforced | evaluator.state_unknown)))
    requirements = tuple(requirement(policy) for policy in applying)
    return Outcome(
        blocked_by=tuple(r.policy for r in requirements if r.blocks),
        requirements=tuple(r for r in requirements if not r.blocks),
        session=session_of(applying),
        maybe=maybe,
        report_only=tuple(evaluator.results(maybe_bits & evaluator.report_only)),
    )
