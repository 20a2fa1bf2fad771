"""Which policies apply to a sign-in: per policy, the deciding condition; for many sign-ins, fast.

Each condition is answered once per distinct value of the part of the sign-in it reads (the
users condition once per user, the platform condition once per platform) and kept as two bit
sets over the policies (applies; may apply), so a sign-in costs a few integer ANDs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from linter.model import CONDITIONAL_ACCESS_POLICY, NAMED_LOCATION, Document
from linter.policy.compiled import CompiledPolicy, compile_policy, named_locations
from linter.policy.conditions import CONDITIONS, DIMENSION_KEYS, Match, Tri
from linter.policy.context import SignInContext
from linter.policy.usersindex import UsersIndex

__all__ = ["Evaluator", "PolicyResult", "bits_of"]

CONDITION_BY_NAME = dict(CONDITIONS)

ENABLED = "enabled"
REPORT_ONLY = "enabledForReportingButNotEnforced"
DISABLED = "disabled"


class PolicyResult(NamedTuple):
    """One row of the what-if table."""

    policy: CompiledPolicy
    applies: Tri
    condition: str  # the deciding condition: "users", "location", "state", ... or "" when all hold
    reason: str
    depends: tuple[str, ...] = ()

    @property
    def state(self) -> str:
        return self.policy.state or f"depends on {self.policy.state_source}"


class Dimension(NamedTuple):
    """One condition of a sign-in matched against every policy, with bit sets of the policies it matches or may."""

    matches: tuple[Match, ...]
    true_bits: int
    maybe_bits: int  # may apply: true or unknown


def bits_of(values: Iterable[int]) -> int:
    result = 0
    for index in values:
        result |= 1 << index
    return result


class Evaluator:
    """The policies of one tenant, ready to be asked about any number of sign-ins."""

    def __init__(self, documents: Iterable[Document]) -> None:
        documents = tuple(documents)
        policies = [document for document in documents if document.kind == CONDITIONAL_ACCESS_POLICY]
        self.policies = tuple(compile_policy(document, index) for index, document in enumerate(policies))
        self.locations = named_locations(document for document in documents if document.kind == NAMED_LOCATION)
        self.all_bits = (1 << len(self.policies)) - 1
        self.enabled = bits_of(p.index for p in self.policies if p.state == ENABLED)
        self.report_only = bits_of(p.index for p in self.policies if p.state == REPORT_ONLY)
        self.state_unknown = bits_of(p.index for p in self.policies if p.state is None)
        self.disabled = self.all_bits & ~(self.enabled | self.report_only | self.state_unknown)
        self._cache: dict[tuple[str, object], Dimension] = {}
        self._users = UsersIndex(self.policies, self.locations)
        self._users_bits: dict[object, tuple[int, int]] = {}

    def bits(self, name: str, context: SignInContext) -> tuple[int, int]:
        """(policies whose condition holds, policies whose condition may hold), the users condition by its index."""
        if name != "users":
            dimension = self.dimension(name, context)
            return dimension.true_bits, dimension.maybe_bits
        key = context.users_key()
        found = self._users_bits.get(key)
        if found is None:
            found = self._users_bits[key] = self._users.bits(context)
        return found

    def dimension(self, name: str, context: SignInContext) -> Dimension:
        key = (name, DIMENSION_KEYS[name](context))
        found = self._cache.get(key)
        if found is None:
            condition = CONDITION_BY_NAME[name]
            matches = tuple(condition(policy, context, self.locations) for policy in self.policies)
            true_bits = bits_of(index for index, match in enumerate(matches) if match.value is True)
            maybe_bits = true_bits | bits_of(index for index, match in enumerate(matches) if match.value is None)
            found = self._cache[key] = Dimension(matches, true_bits, maybe_bits)
        return found

    def applicable(self, context: SignInContext, names: Iterable[str] | None = None) -> tuple[int, int]:
        """(policies whose conditions all hold, policies whose conditions may all hold); state aside."""
        true_bits = maybe_bits = self.all_bits
        for name in names if names is not None else DIMENSION_KEYS:
            true_part, maybe_part = self.bits(name, context)
            true_bits &= true_part
            maybe_bits &= maybe_part
        return true_bits, maybe_bits

    def evaluate(self, context: SignInContext) -> tuple[PolicyResult, ...]:
        """Every policy, with whether it applies and the condition that decided it."""
        dimensions = [(name, self.dimension(name, context)) for name, _ in CONDITIONS]
        return tuple(self._result(policy, dimensions) for policy in self.policies)

    def _result(self, policy: CompiledPolicy, dimensions: list[tuple[str, Dimension]]) -> PolicyResult:
        matches = [(name, dimension.matches[policy.index]) for name, dimension in dimensions]
        if policy.state == DISABLED:
            return PolicyResult(policy, False, "state", "the policy is disabled")
        for name, match in matches:
            if match.value is False:
                return PolicyResult(policy, False, name, match.reason)
        open_matches = [(name, match) for name, match in matches if match.value is None]
        depends = tuple(dict.fromkeys(ref for _, match in open_matches for ref in match.depends))
        if policy.state is None:
            depends += (policy.state_source,)
        if open_matches:
            name, match = open_matches[0]
            return PolicyResult(policy, None, name, match.reason, depends)
        if policy.state is None:
            return PolicyResult(policy, None, "state", "the state is computed", depends)
        return PolicyResult(policy, True, "", "all conditions match")

    def results(self, bits: int) -> Iterator[CompiledPolicy]:
        while bits:
            low = bits & -bits
            yield self.policies[low.bit_length() - 1]
            bits ^= low
