"""How strong a policy's authentication strength is: the built-in ones, and custom ones the tenant's files define.

A policy's `grantControls.authenticationStrength` names a strength by id (Graph, Terraform's
`authentication_strength_policy_id`, often a reference to an `azuread_authentication_strength_policy`)
or by display name (Microsoft365DSC). A built-in strength is known by its id; a custom one by the
authenticationStrengthPolicy documents of the tenant (Graph, Terraform, Microsoft365DSC). Each
allowed combination is a comma-joined set of authentication method modes
(https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy).

Phishing-resistant: every combination is Windows Hello for Business, FIDO2 or multifactor certificate
authentication, the methods of the built-in "Phishing-resistant MFA" strength
(https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths).
Multifactor: no combination is a single factor (a password, SMS or a one-factor federation alone).
A strength the files do not define, or whose combinations are computed, is unknown: rules read it as
"may be strong enough", never as a gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from linter.model import AUTHENTICATION_STRENGTH_POLICY, Document, Unresolved
from linter.policy.combine import requirement

if TYPE_CHECKING:
    from linter.policy.compiled import CompiledPolicy

__all__ = [
    "MFA",
    "PASSWORDLESS_MFA",
    "PHISHING_RESISTANT_MFA",
    "Strength",
    "StrengthCatalog",
    "combination_strength",
    "requires_strength",
]

MFA = "00000000-0000-0000-0000-000000000002"
PASSWORDLESS_MFA = "00000000-0000-0000-0000-000000000003"
PHISHING_RESISTANT_MFA = "00000000-0000-0000-0000-000000000004"


class Strength(IntEnum):
    """What satisfying an authentication strength proves, weakest first."""

    SINGLE_FACTOR = 0
    MULTIFACTOR = 1
    PHISHING_RESISTANT = 2


# The built-in strengths, by id and by the display name Microsoft365DSC writes.
_BUILT_IN = {
    MFA: Strength.MULTIFACTOR,
    PASSWORDLESS_MFA: Strength.MULTIFACTOR,
    PHISHING_RESISTANT_MFA: Strength.PHISHING_RESISTANT,
    "multifactor authentication": Strength.MULTIFACTOR,
    "passwordless mfa": Strength.MULTIFACTOR,
    "phishing-resistant mfa": Strength.PHISHING_RESISTANT,
}
PHISHING_RESISTANT_METHODS = frozenset({"windowshelloforbusiness", "fido2", "x509certificatemultifactor"})
# Methods that are multifactor on their own (the one-method combinations of the built-in MFA strength).
MULTIFACTOR_METHODS = PHISHING_RESISTANT_METHODS | {
    "deviceBasedPush".casefold(),
    "temporaryAccessPassOneTime".casefold(),
    "temporaryAccessPassMultiUse".casefold(),
    "federatedMultiFactor".casefold(),
}
# Methods that are one factor on their own, usable as a first factor.
SINGLE_FACTOR_METHODS = frozenset(
    method.casefold()
    for method in (
        "password",
        "sms",
        "voice",
        "email",
        "hardwareOath",
        "softwareOath",
        "microsoftAuthenticatorPush",
        "x509CertificateSingleFactor",
        "federatedSingleFactor",
    )
)


def combination_strength(combination: str) -> Strength | None:
    """One allowed combination ("password,sms"); None for a method entralint does not know to be either."""
    methods = [method.strip().casefold() for method in combination.split(",") if method.strip()]
    if not methods:
        return None
    if all(method in PHISHING_RESISTANT_METHODS for method in methods):
        return Strength.PHISHING_RESISTANT
    if len(methods) > 1:
        return Strength.MULTIFACTOR
    if methods[0] in MULTIFACTOR_METHODS:
        return Strength.MULTIFACTOR
    return Strength.SINGLE_FACTOR if methods[0] in SINGLE_FACTOR_METHODS else None


def _defined_strength(document: Document) -> Strength | None:
    combinations = document.get("/allowedCombinations")
    if not isinstance(combinations, list) or not combinations:
        return None
    found = []
    for combination in combinations:
        if not isinstance(combination, str) or isinstance(combination, Unresolved):
            return None
        strength = combination_strength(combination)
        if strength is None:
            return None
        found.append(strength)
    return min(found)


class StrengthCatalog:
    """The authentication strengths a tenant's policies may name: built-in, and defined in its files."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._known: dict[str, Strength | None] = {}
        for document in documents:
            if document.kind != AUTHENTICATION_STRENGTH_POLICY or document.partial:
                continue
            strength = None if document.may_not_exist else _defined_strength(document)
            for key in (document.get("/id"), document.get("/displayName"), document.identity):
                if isinstance(key, str) and key and not isinstance(key, Unresolved):
                    # Two definitions under one name: the weaker one decides, as either may be the one applied.
                    folded = key.strip().casefold()
                    previous = self._known.get(folded, strength)
                    self._known[folded] = None if previous is None or strength is None else min(previous, strength)

    def strength(self, reference: Any) -> Strength | None:
        """The strength a policy's `grantControls.authenticationStrength` names; None when unknown."""
        if isinstance(reference, Mapping):
            found = [self._named(reference.get(key)) for key in ("id", "displayName")]
            known = [strength for strength in found if strength is not None]
            return min(known) if known else None
        return self._named(reference)

    def _named(self, name: Any) -> Strength | None:
        if not isinstance(name, str) or not name.strip():
            return None
        folded = name.strip().casefold()
        if isinstance(name, Unresolved):
            # `azuread_authentication_strength_policy.admins.id`: the resource it refers to, when this tenant has it.
            address, _, attribute = folded.rpartition(".")
            return self._known.get(address) if attribute == "id" else None
        folded = folded.rsplit("/", 1)[-1]  # `/policies/authenticationStrengthPolicies/<id>`
        if folded in _BUILT_IN:
            return _BUILT_IN[folded]
        return self._known.get(folded)


def requires_strength(policy: CompiledPolicy, catalog: StrengthCatalog, minimum: Strength) -> bool | None:
    """Does the policy block, or does every way to satisfy its grant prove at least `minimum`?

    The built-in `mfa` control is multifactor, not phishing-resistant. None when a computed value
    decides: the built-in controls, the operator, or a strength the files do not define.
    """
    grant = requirement(policy)
    if grant.blocks:
        return True
    computed = bool(policy.values("/grantControls/builtInControls").unresolved) or isinstance(
        policy.document.get("/grantControls/operator"), Unresolved
    )
    strength = catalog.strength(policy.document.get("/grantControls/authenticationStrength"))
    answers: list[bool | None] = []
    for alternative in grant.alternatives:
        if minimum <= Strength.MULTIFACTOR and "mfa" in alternative:
            answers.append(True)
        elif any(control.startswith("authenticationStrength") for control in alternative):
            answers.append(None if strength is None else strength >= minimum)
        else:
            answers.append(False)
    if answers and all(answers):
        return True
    if computed or (None in answers and False not in answers):
        return None
    return False
