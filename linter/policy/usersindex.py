"""The users condition for many sign-ins at once: an inverted index from principal to policies.

Gives the same answers as `conditions.users` (a test holds them equal) for policies that list only
users, groups, roles and `All`; the rest (guests, `None`, workload identities) are answered by it.
"""

from __future__ import annotations

from collections.abc import Sequence

from linter.policy.compiled import CompiledPolicy, NamedLocation
from linter.policy.conditions import Tri, users
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
        # For the policies `users` answers: the tokens each lists, by kind (a token it does not list
        # cannot change its answer, `Values.match`), and its answers by the tokens it lists; a
        # sign-in naming none of a policy's tokens is answered as one naming no one, once per guest.
        self.listed: dict[int, tuple[frozenset[str], ...]] = {}
        self.other_listing: dict[tuple[str, str], int] = {}
        self.answers: dict[tuple[object, ...], Tri] = {}
        self.unnamed: dict[tuple[str | None, str | None], tuple[int, int]] = {}
        for policy in policies:
            bit = 1 << policy.index
            people = policy.values(PREFIX + "includeUsers")
            special = people.has("None") or people.has("GuestsOrExternalUsers")
            special = special or policy.values(PREFIX + "excludeUsers").has("GuestsOrExternalUsers")
            special = special or bool(policy.values("/conditions/clientApplications/includeServicePrincipals"))
            if special or any(
                # `is not None`: a computed block (`Unresolved`, a str) may be empty text, and is still there.
                policy.document.get(f"{PREFIX}{side}GuestsOrExternalUsers") is not None
                for side in ("include", "exclude")
            ):
                self.other |= bit
                self.listed[policy.index] = tuple(_tokens(policy, kind) for kind in KINDS)
                for kind, tokens in zip(KINDS, self.listed[policy.index], strict=True):
                    for token in tokens:
                        self.other_listing[kind, token] = self.other_listing.get((kind, token), 0) | bit
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
        excluded = named = 0
        for token in tokens:
            included |= self.include.get(token, 0)
            excluded |= self.exclude.get(token, 0)
            named |= self.other_listing.get(token, 0)
        maybe_included = included | self.include_unknown
        maybe_excluded = self.exclude_unknown & ~excluded
        true_bits = included & ~excluded & ~maybe_excluded & ~self.other
        maybe_bits = maybe_included & ~excluded & ~self.other
        if self.other:
            unnamed_true, unnamed_maybe = self._unnamed(context)
            true_bits |= unnamed_true & ~named
            maybe_bits |= unnamed_maybe & ~named
        other = named
        while other:
            low = other & -other
            value = self._other(self.policies[low.bit_length() - 1], context)
            if value is True:
                true_bits |= low
            if value is not False:
                maybe_bits |= low
            other ^= low
        return true_bits, maybe_bits

    def _unnamed(self, context: SignInContext) -> tuple[int, int]:
        """`users` of every policy the index leaves to it, for a sign-in of this guest naming no one they list."""
        key = (context.guest_type, context.guest_tenant)
        found = self.unnamed.get(key)
        if found is None:
            nobody = SignInContext(guest_type=context.guest_type, guest_tenant=context.guest_tenant)
            true_bits = maybe_bits = 0
            other = self.other
            while other:
                low = other & -other
                value = self._other(self.policies[low.bit_length() - 1], nobody)
                true_bits |= low if value is True else 0
                maybe_bits |= low if value is not False else 0
                other ^= low
            found = self.unnamed[key] = (true_bits, maybe_bits)
        return found

    def _other(self, policy: CompiledPolicy, context: SignInContext) -> Tri:
        """`users` for a policy the index leaves to it, asked once per tokens of the context that it lists."""
        users_listed, groups_listed, roles_listed = self.listed[policy.index]
        user = context.user if context.user is not None and context.user.casefold() in users_listed else None
        groups = _listed(context.groups, groups_listed)
        roles = _listed(context.roles, roles_listed)
        key = (policy.index, user, groups, roles, context.guest_type, context.guest_tenant)
        if key not in self.answers:
            narrowed = context._replace(user=user, groups=groups, roles=roles)
            self.answers[key] = users(policy, narrowed, self.locations).value
        return self.answers[key]


def _listed(tokens: frozenset[str], listed: frozenset[str]) -> frozenset[str]:
    return frozenset([token for token in tokens if token.casefold() in listed]) if tokens else tokens


def _tokens(policy: CompiledPolicy, kind: str) -> frozenset[str]:
    """Every token the policy lists for this kind of principal, on either side, casefolded."""
    found: set[str] = set()
    for side in ("include", "exclude"):
        values = policy.values(f"{PREFIX}{side}{kind}")
        found |= values.known | {item.casefold() for item in values.unresolved}
    return frozenset(found)
