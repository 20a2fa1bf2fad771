"""Display names of well-known first-party applications and built-in directory roles, and their ids.

Microsoft365DSC exports and many scripts name applications and roles (`"Device Registration Service"`,
`"Global Administrator"`) where Graph stores ids; the evaluator reads either as the id.
Sources:
- applications: "Verify first-party Microsoft applications in sign-in reports"
  (https://learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in) and
  "Apps included in Conditional Access Office 365 app suite" (`linter.policy.apps`);
- roles (template ids): "Microsoft Entra built-in roles"
  (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
"""

from __future__ import annotations

from linter.policy.apps import ADMIN_PORTAL_APPS, OFFICE_365_APPS, OTHER_APP_NAMES

__all__ = ["APPLICATION_IDS", "ROLE_IDS", "application_id", "role_id", "role_label"]

_ROLES = {
    "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
    "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
    "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
    "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "Security Operator": "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f",
    "Security Reader": "5d6b6bb7-de71-4623-b4af-96380a352509",
    "Conditional Access Administrator": "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
    "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
    "Application Developer": "cf1c38e5-3621-4004-a7cb-879624dced7c",
    "Authentication Administrator": "c4e39bd9-1100-46d3-8c65-fb160da0071f",
    "Authentication Policy Administrator": "0526716b-113d-4c15-b2c8-68e3c22b9f80",
    "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    "Password Administrator": "966707d0-3269-4727-9be2-8c3a10f19b9d",
    "Groups Administrator": "fdd7a751-b60b-444a-984c-02652fe8fa1c",
    "License Administrator": "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
    "Billing Administrator": "b0f54661-2d74-4c50-afa3-1ec803f12efe",
    "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
    "Exchange Recipient Administrator": "31392ffb-586c-42d1-9346-e59415a2cc4e",
    "SharePoint Administrator": "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    "Teams Administrator": "69091246-20e8-4a56-aa4d-066075b2a7a8",
    "Intune Administrator": "3a2c62db-5318-420d-8d74-23affee5d9d5",
    "Cloud Device Administrator": "7698a772-787b-4ac8-901f-60d6b08affd2",
    "Compliance Administrator": "17315797-102d-40b4-93e0-432062caca18",
    "Hybrid Identity Administrator": "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
    "Identity Governance Administrator": "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e",
    "Power Platform Administrator": "11648597-926c-4cf3-9c36-bcebb0ba8dcc",
    "Dynamics 365 Administrator": "44367163-eba1-44c3-98af-f5787879f96a",
    "Azure DevOps Administrator": "e3973bdf-4987-49ae-837a-ba8e231c7286",
    "Service Support Administrator": "f023fd81-a637-4b56-95fd-791ac0226033",
    "Reports Reader": "4a5d8f65-41da-4de4-8968-e035b65339cf",
    "Message Center Reader": "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b",
    "Directory Readers": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
    "Directory Writers": "9360feb5-f418-4baa-8175-e2a00bac4301",
    "Directory Synchronization Accounts": "d29b2b05-8046-44ba-8758-1e26182fcf32",
    "Guest Inviter": "95e79109-95c0-4d8e-aee3-d01accf2d47b",
    "Attack Payload Author": "9c6df0f2-1e7c-4dc3-b195-66dfbd24aa8f",
    "Attack Simulation Administrator": "c430b396-e693-46cc-96f3-db01bf8bb62a",
    "Windows 365 Administrator": "11451d60-acb2-45eb-a7d6-43d0f0125c13",
    # The rest of the roles marked privileged (`linter.policy.privileged_roles`): a policy naming one by display
    # name must cover its holders, or CA012/CA013/CA021 would report a gap that is not there.
    "Agent ID Administrator": "db506228-d27e-4b7d-95e5-295956d6615f",
    "Attribute Provisioning Administrator": "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe",
    "Attribute Provisioning Reader": "422218e4-db15-4ef9-bbe0-8afb41546d79",
    "Authentication Extensibility Administrator": "25a516ed-2fa0-40ea-a2d0-12923a21473a",
    "B2C IEF Keyset Administrator": "aaf43236-0c0d-4d5f-883a-6955382ac081",
    "Domain Name Administrator": "8329153b-31d0-4727-b945-745eb3bc5f31",
    "External Identity Provider Administrator": "be2f45a1-457d-42af-a067-6ec1fa63bc45",
    "Lifecycle Workflows Administrator": "59d46f88-662b-457b-bceb-5c3809e5908f",
    "Partner Tier1 Support": "4ba39ca4-527c-499a-b93d-d9b492c50246",
    "Partner Tier2 Support": "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8",
}

# display name in lower case -> id in lower case, as `Values` holds them
APPLICATION_IDS = {
    name.casefold(): app_id.casefold()
    for table in (OFFICE_365_APPS, ADMIN_PORTAL_APPS, OTHER_APP_NAMES)
    for app_id, name in table.items()
}
ROLE_IDS = {name.casefold(): role.casefold() for name, role in _ROLES.items()}
_ROLE_NAMES = {role.casefold(): name for name, role in _ROLES.items()}


def application_id(value: str) -> str:
    """The id of an application named by its display name; anything else unchanged (trimmed, casefolded)."""
    key = value.strip().casefold()
    return APPLICATION_IDS.get(key, key)


def role_id(value: str) -> str:
    """The template id of a built-in role named by its display name; anything else unchanged."""
    key = value.strip().casefold()
    return ROLE_IDS.get(key, key)


def role_label(value: str) -> str:
    """A readable name for a built-in role's template id, with the id; anything else as it is."""
    name = _ROLE_NAMES.get(value.strip().casefold())
    return f"{name} ({value})" if name is not None else value
