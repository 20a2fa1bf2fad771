"""Whether a policy blocks everyone: an enabled block for all users and all resources, not narrowed.

Tenant rules ask it to find the one policy that does a tenant-wide job (block device code flow,
block legacy authentication). Answers are three-valued, like those of `linter.policy.applicability`.
"""

from __future__ import annotations

from linter.model import Document, Unresolved
from linter.model.source import split_pointer
from linter.policy.applicability import blocks, includes_all_resources, includes_all_users, is_enabled, transfer_methods
from linter.policy.values import ALL, Tri, all_of, any_special, literals_of, lookup

__all__ = ["blocks_everyone", "blocks_flow_everywhere", "narrowed", "narrowed_by_location_or_platform"]

_INCLUDE_PLATFORMS = split_pointer("/conditions/platforms/includePlatforms")
_INCLUDE_LOCATIONS = split_pointer("/conditions/locations/includeLocations")
_DEVICE_FILTER_MODE = split_pointer("/conditions/devices/deviceFilter/mode")
_RISK_LEVELS = tuple(
    split_pointer(pointer)
    for pointer in (
        "/conditions/userRiskLevels",
        "/conditions/signInRiskLevels",
        "/conditions/servicePrincipalRiskLevels",
        "/conditions/insiderRiskLevels",
    )
)


def narrowed_by_location_or_platform(policy: Document) -> Tri:
    """Does an include list on platforms or locations limit the policy to less than everything?"""
    platforms = literals_of(lookup(policy.data, _INCLUDE_PLATFORMS))
    locations = literals_of(lookup(policy.data, _INCLUDE_LOCATIONS))
    if platforms is None or locations is None:
        return None
    return bool(platforms and not any_special(platforms, ALL)) or bool(locations and not any_special(locations, ALL))


def narrowed(policy: Document) -> Tri:
    """Does any condition beyond users and resources limit the policy: location, platform, risk, device filter?"""
    answer = narrowed_by_location_or_platform(policy)
    if answer:
        return True
    unresolved = answer is None
    for tokens in _RISK_LEVELS:
        levels = literals_of(lookup(policy.data, tokens))
        if levels:
            return True
        unresolved = unresolved or levels is None
    mode = lookup(policy.data, _DEVICE_FILTER_MODE)
    if mode == "include" and not isinstance(mode, Unresolved):
        return True
    return None if unresolved or isinstance(mode, Unresolved) else False


def blocks_everyone(policy: Document) -> Tri:
    """An enabled block for all users and all resources, not narrowed by other conditions.

    Exclusions are fine (break-glass accounts, the Device Registration Service).
    """
    answers: list[Tri] = []
    # Cheapest questions first: False wins, so a policy that is not enabled needs no more reading.
    for question in (is_enabled, blocks, includes_all_users, includes_all_resources):
        answer = question(policy)
        if answer is False:
            return False
        answers.append(answer)
    narrowing = narrowed(policy)
    if narrowing is True:
        return False
    return None if narrowing is None or None in answers else True


def blocks_flow_everywhere(policy: Document, method: str) -> Tri:
    """Does an enabled policy block the transfer method for all users and all resources?"""
    methods = transfer_methods(policy)
    if methods is not None and method not in methods:
        return False
    named = True if methods is not None else None
    return all_of(named, blocks_everyone(policy))
