"""Deterministic synthetic fleets of policy files for the benchmarks (seeded: same seed, same bytes).

A fleet is many tenants' exports side by side: Graph JSON (EntraExporter-like list responses with
OData annotations, nulls and empty lists), the same policies as Graph YAML, and Terraform HCL
(`azuread_conditional_access_policy` and `microsoft365_graph_beta_applications_token_lifetime_policy`).

    python bench/generate.py OUT_DIR --format json --files 1000 --per-file 10
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "Fleet", "generate", "one_policy"]

# One token lifetime policy file per this many CA policy files: tenants have few of them.
TOKEN_LIFETIME_EVERY = 10
DEVICE_REGISTRATION_SERVICE = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"
OFFICE_365 = "Office365"
ADMIN_ROLES = (
    "62e90394-69f5-4237-9190-012177145e10",
    "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    "29232cdf-9323-42fd-ade2-1d097af3e4de",
)
STATES = ("enabled", "enabled", "enabled", "enabledForReportingButNotEnforced", "disabled")


@dataclass(frozen=True)
class Fleet:
    """What generate() wrote: the directory and how many files and policies it holds."""

    root: Path
    files: int
    conditional_access: int
    token_lifetime: int

    @property
    def policies(self) -> int:
        return self.conditional_access + self.token_lifetime


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _users(rng: random.Random, break_glass: list[str], **extra: Any) -> dict[str, Any]:
    users: dict[str, Any] = {
        "includeUsers": ["All"],
        "excludeUsers": list(break_glass),
        "includeGroups": [],
        "excludeGroups": [_guid(rng)],
        "includeRoles": [],
        "excludeRoles": [],
    }
    users.update(extra)
    return users


def _policy(rng: random.Random, number: int, break_glass: list[str], location: str) -> dict[str, Any]:
    """One of ten realistic CA policies (the Microsoft templates most tenants start from)."""
    template = number % 10
    apps: dict[str, Any] = {"includeApplications": ["All"], "excludeApplications": [], "includeUserActions": []}
    grant: dict[str, Any] | None = {"operator": "OR", "builtInControls": ["mfa"]}
    session: dict[str, Any] | None = None
    conditions: dict[str, Any] = {"clientAppTypes": ["all"], "applications": apps, "users": _users(rng, break_glass)}
    if template == 0:
        name = "Require MFA for all users"
    elif template == 1:
        name = "Block legacy authentication"
        conditions["clientAppTypes"] = ["exchangeActiveSync", "other"]
        grant = {"operator": "OR", "builtInControls": ["block"]}
    elif template == 2:
        name = "Block device code flow"
        apps["excludeApplications"] = [DEVICE_REGISTRATION_SERVICE]
        methods = "deviceCodeFlow,authenticationTransfer" if rng.random() < 0.5 else "deviceCodeFlow"
        conditions["authenticationFlows"] = {"transferMethods": methods}
        grant = {"operator": "OR", "builtInControls": ["block"]}
    elif template == 3:
        name = "Phishing-resistant MFA for administrators"
        conditions["users"] = _users(rng, break_glass, includeUsers=[], includeRoles=list(ADMIN_ROLES))
        grant = {
            "operator": "OR",
            "builtInControls": [],
            "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"},
        }
    elif template == 4:
        name = "Sign-in frequency on unmanaged devices"
        conditions["devices"] = {"deviceFilter": {"mode": "exclude", "rule": 'device.trustType -eq "ServerAD"'}}
        grant = None
        session = {
            "signInFrequency": {"isEnabled": True, "type": "hours", "value": rng.choice((1, 4, 8, 12))},
            "persistentBrowser": {"isEnabled": True, "mode": "never"},
        }
    elif template == 5:
        name = "MFA for risky sign-ins"
        conditions["signInRiskLevels"] = ["high", "medium"]
        session = {
            "signInFrequency": {
                "isEnabled": True,
                "authenticationType": "primaryAndSecondaryAuthentication",
                "frequencyInterval": "everyTime",
            }
        }
    elif template == 6:
        name = "Password change for high-risk users"
        conditions["userRiskLevels"] = ["high"]
        grant = {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]}
    elif template == 7:
        name = "Block access from outside allowed countries"
        conditions["locations"] = {"includeLocations": [location], "excludeLocations": ["AllTrusted"]}
        grant = {"operator": "OR", "builtInControls": ["block"]}
    elif template == 8:
        name = "Compliant or app-protected mobile devices"
        apps["includeApplications"] = [OFFICE_365]
        conditions["platforms"] = {"includePlatforms": ["android", "iOS"], "excludePlatforms": []}
        grant = {"operator": "OR", "builtInControls": ["compliantDevice", "compliantApplication"]}
    else:
        name = "MFA for guests"
        conditions["users"] = _users(
            rng,
            break_glass,
            includeUsers=[],
            includeGuestsOrExternalUsers={
                "guestOrExternalUserTypes": "b2bCollaborationGuest,b2bCollaborationMember,internalGuest",
                "externalTenants": {"membershipKind": "all"},
            },
        )
    return {
        "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
        "id": _guid(rng),
        "templateId": None,
        "displayName": f"CA{number % 100:03d} - {name}",
        "createdDateTime": "2025-03-04T09:12:44.1234567Z",
        "modifiedDateTime": "2026-01-02T15:40:01.7654321Z",
        "state": rng.choice(STATES),
        "conditions": conditions,
        "grantControls": grant,
        "sessionControls": session,
    }


def _token_lifetime(rng: random.Random, number: int) -> dict[str, Any]:
    definition = {
        "TokenLifetimePolicy": {
            "Version": 1,
            "AccessTokenLifetime": rng.choice(("01:00:00", "02:00:00", "08:00:00")),
            "MaxAgeMultiFactor": rng.choice(("1.00:00:00", "14.00:00:00", "until-revoked")),
        }
    }
    return {
        "@odata.type": "#microsoft.graph.tokenLifetimePolicy",
        "id": _guid(rng),
        "deletedDateTime": None,
        "definition": [json.dumps(definition, separators=(",", ":"))],
        "displayName": f"Token lifetimes {number:04d}",
        "isOrganizationDefault": number % 2 == 0,
    }


def _graph_collection(policies: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return {"@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#{kind}", "value": policies}


def _write_json(path: Path, policies: list[dict[str, Any]], kind: str) -> None:
    path.with_suffix(".json").write_text(json.dumps(_graph_collection(policies, kind), indent=4) + "\n", "utf-8")


def _write_yaml(path: Path, policies: list[dict[str, Any]], kind: str) -> None:
    import yaml

    text = yaml.safe_dump(_graph_collection(policies, kind), sort_keys=False, allow_unicode=True, width=120)
    path.with_suffix(".yaml").write_text(text, "utf-8")


def _write_hcl(path: Path, policies: list[dict[str, Any]], kind: str) -> None:
    from hcl_render import render_policy

    path.with_suffix(".tf").write_text("\n".join(render_policy(policy) for policy in policies), "utf-8")


FORMATS: dict[str, Callable[[Path, list[dict[str, Any]], str], None]] = {
    "json": _write_json,
    "yaml": _write_yaml,
    "hcl": _write_hcl,
}


def generate(root: Path, source_format: str, files: int, per_file: int = 10, seed: int = 1) -> Fleet:
    """Write `files` files of `per_file` CA policies, plus a token lifetime file every tenth file."""
    write = FORMATS[source_format]
    rng = random.Random(f"{seed}-{source_format}")
    conditional_access = token_lifetime = written = 0
    for number in range(files):
        tenant = root / f"tenant-{number // TOKEN_LIFETIME_EVERY:04d}"
        tenant.mkdir(parents=True, exist_ok=True)
        break_glass = [_guid(rng), _guid(rng)]
        location = _guid(rng)
        policies = [_policy(rng, number * per_file + index, break_glass, location) for index in range(per_file)]
        write(tenant / f"policies-{number:05d}", policies, "identity/conditionalAccess/policies")
        conditional_access += len(policies)
        written += 1
        if number % TOKEN_LIFETIME_EVERY == 0:
            write(tenant / "token-lifetime", [_token_lifetime(rng, number)], "policies/tokenLifetimePolicies")
            token_lifetime += 1
            written += 1
    return Fleet(root, written, conditional_access, token_lifetime)


def one_policy(path: Path, seed: int = 1) -> Path:
    """A single Graph JSON policy file, for the cold-start benchmark."""
    rng = random.Random(seed)
    path.write_text(json.dumps(_policy(rng, 2, [_guid(rng)], _guid(rng)), indent=4) + "\n", "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--format", choices=sorted(FORMATS), default="json")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--per-file", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    fleet = generate(args.out, args.format, args.files, args.per_file, args.seed)
    print(f"{fleet.files} files, {fleet.conditional_access} CA and {fleet.token_lifetime} token lifetime policies")


if __name__ == "__main__":
    main()
