"""The users condition for many sign-ins at once: an inverted index from principal to policies.

Gives the same answers as `conditions.users` (a test holds them equal) for policies that list only
users, groups, roles and `All`; the rest (guests, `None`, workload identities) are answered by it.
"""

from __future__ import annotations

from collections.abc import Sequence

from linter.policy.compiled import CompiledPolicy, NamedLocation, Tri
from linter.policy.conditions import users
from linter.policy.context import SignInContext

__all__ = ["UsersIndex"]

KINDS = ("Users", "Groups", "Roles")
PREFIX = "/conditions/users/"


class UsersIndex:
    def __init__(self, policies: Sequence[CompiledPolicy], locations: dict[str, NamedLocation]) -> None:
        self.policies = policies
        self.locations = locations
        # Keyed by (kind, id): a user's id never matches a group's list, as in the plain `users` condition.
        self.include: dict[tuple[str, str], int] = {}
        self.exclude: dict[tuple[str, str], int] = {}
        self.everyone = self.include_unknown = self.exclude_unknown = self.other = 0
        # The policies `users` answers, with the (kind, token) pairs they list and its answers so far: its answer
        # depends on which of the sign-in's users, groups and roles they list and on the guest, nothing else,
        # and the tenant analyses ask it for every candidate user under every role (issue 19: a 46-policy
        # export took 12 s).
        self.listed: dict[int, frozenset[tuple[str, str]]] = {}
        self.answers: dict[tuple[int, frozenset[tuple[str, str]], str | None, str | None], Tri] = {}
        for policy in policies:
            bit = 1 << policy.index
            people = policy.values(PREFIX + "includeUsers")
            special = people.has("None") or people.has("GuestsOrExternalUsers")
            special = special or policy.values(PREFIX + "excludeUsers").has("GuestsOrExternalUsers")
            special = special or bool(policy.values("/conditions/clientApplications/includeServicePrincipals"))
            if special or any(
                policy.document.get(f"{PREFIX}{side}GuestsOrExternalUsers") for side in ("include", "exclude")
            ):
                self.other |= bit
                self.listed[policy.index] = frozenset(
                    (kind, token)
                    for side in ("include", "exclude")
                    for kind in KINDS
                    for values in (policy.values(f"{PREFIX}{side}{kind}"),)
                    for token in (*values.known, *(item.casefold() for item in values.unresolved))
                )
                continue
            if people.has("All"):
                self.everyone |= bit
            for side, index in (("include", self.include), ("exclude", self.exclude)):
                for kind in KINDS:
                    values = policy.values(f"{PREFIX}{side}{kind}")
                    for token in (*values.known, *(item.casefold() for item in values.unresolved)):
                        index[kind, token] = index.get((kind, token), 0) | bit
                    if values.unresolved:
                        if side == "include":
                            self.include_unknown |= bit
                        else:
                            self.exclude_unknown |= bit

    def bits(self, context: SignInContext) -> tuple[int, int]:
        """(policies whose users condition holds, policies whose users condition may hold)."""
        tokens = [
            (kind, token.casefold())
            for kind, members in zip(KINDS, ((context.user,), context.groups, context.roles), strict=True)
            for token in members
            if token
        ]
        included = self.everyone
        excluded = 0
        for token in tokens:
            included |= self.include.get(token, 0)
            excluded |= self.exclude.get(token, 0)
        maybe_included = included | self.include_unknown
        maybe_excluded = self.exclude_unknown & ~excluded
        true_bits = included & ~excluded & ~maybe_excluded & ~self.other
        maybe_bits = maybe_included & ~excluded & ~self.other
        other = self.other
        present = frozenset(tokens)
        while other:
            low = other & -other
            index = low.bit_length() - 1
            key = (index, present & self.listed[index], context.guest_type, context.guest_tenant)
            if key in self.answers:
                answer = self.answers[key]
            else:
                answer = self.answers[key] = users(self.policies[index], context, self.locations).value
            if answer is True:
                true_bits |= low
            if answer is not False:
                maybe_bits |= low
            other ^= low
        return true_bits, maybe_bits
