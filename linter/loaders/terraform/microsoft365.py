"""The microsoft365 Terraform provider's aliases: names it accepts where Graph stores ids.

The provider documents them on `microsoft365_graph_beta_identity_and_access_conditional_access_policy`
(https://registry.terraform.io/providers/deploymenttheory/microsoft365/latest/docs/resources/graph_beta_identity_and_access_conditional_access_policy,
`include_authentication_context_class_references` and `grant_controls.authentication_strength.id`) and
sends the id in their place: entralint reads the id, as the tenant will hold it.
"""

from __future__ import annotations

from typing import Any

from linter.model import Unresolved

__all__ = ["AUTHENTICATION_CONTEXTS", "AUTHENTICATION_STRENGTHS", "resolve_aliases"]

# The seven predefined authentication contexts, by the provider's names.
AUTHENTICATION_CONTEXTS = {
    "require_trusted_device": "c1",
    "require_terms_of_use": "c2",
    "require_trusted_location": "c3",
    "require_strong_authentication": "c4",
    "required_trust_type:azure_ad_joined": "c5",
    "require_access_from_an_approved_app": "c6",
    "required_trust_type:hybrid_azure_ad_joined": "c7",
}

# The built-in authentication strengths, by the provider's names.
AUTHENTICATION_STRENGTHS = {
    "multifactor_authentication": "00000000-0000-0000-0000-000000000002",
    "passwordless_mfa": "00000000-0000-0000-0000-000000000003",
    "phishing_resistant_mfa": "00000000-0000-0000-0000-000000000004",
}


def _is_literal(value: Any) -> bool:
    return isinstance(value, str) and not isinstance(value, Unresolved)


def _group(graph: dict[str, Any], *names: str) -> dict[str, Any] | None:
    current: Any = graph
    for name in names:
        current = current.get(name) if isinstance(current, dict) else None
    return current if isinstance(current, dict) else None


def resolve_aliases(graph: dict[str, Any]) -> None:
    """Replace the provider's aliases in a Graph-shaped policy, in place; values stay where they were written."""
    applications = _group(graph, "conditions", "applications")
    contexts = applications.get("includeAuthenticationContextClassReferences") if applications else None
    if applications is not None and isinstance(contexts, list):
        applications["includeAuthenticationContextClassReferences"] = [
            AUTHENTICATION_CONTEXTS.get(item, item) if _is_literal(item) else item for item in contexts
        ]
    strength = _group(graph, "grantControls", "authenticationStrength")
    if strength is not None and _is_literal(strength.get("id")):
        strength["id"] = AUTHENTICATION_STRENGTHS.get(strength["id"], strength["id"])
