"""Well-known application ids and the app groups Conditional Access targets by name."""

from __future__ import annotations

__all__ = [
    "ADMIN_PORTALS",
    "ADMIN_PORTAL_APPS",
    "DATAVERSE",
    "EXCHANGE_ONLINE",
    "MICROSOFT_FLOW_PORTAL",
    "MICROSOFT_FLOW_SERVICE",
    "OFFICE_365",
    "OFFICE_365_APPS",
    "OTHER_APP_NAMES",
    "POWER_AUTOMATE_APPS",
    "SHAREPOINT_ONLINE",
    "TEAMS_SERVICES",
    "app_label",
    "groups_of",
]

OFFICE_365 = "Office365"
ADMIN_PORTALS = "MicrosoftAdminPortals"

EXCHANGE_ONLINE = "00000002-0000-0ff1-ce00-000000000000"
SHAREPOINT_ONLINE = "00000003-0000-0ff1-ce00-000000000000"
TEAMS_SERVICES = "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"
DATAVERSE = "00000007-0000-0000-c000-000000000000"
MICROSOFT_FLOW_SERVICE = "7df0a125-d3be-4c96-aa54-591f83ff541c"
MICROSOFT_FLOW_PORTAL = "6204c1d1-4712-4c46-a7d9-3ed63d992682"
AZURE_PORTAL = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"

# Members of the `Office365` target that have a well-known app id, from "Apps included in Conditional
# Access Office 365 app suite" (https://learn.microsoft.com/entra/identity/conditional-access/
# reference-office-365-application-contents), ids from the tenants' service principals. The reference
# names "Microsoft Flow Portal" but not "Microsoft Flow Service": the Flow service is NOT in the suite.
OFFICE_365_APPS = {
    EXCHANGE_ONLINE: "Office 365 Exchange Online",
    SHAREPOINT_ONLINE: "Office 365 SharePoint Online",
    MICROSOFT_FLOW_PORTAL: "Microsoft Flow Portal",
    "00000004-0000-0ff1-ce00-000000000000": "Skype for Business Online",
    "00000005-0000-0ff1-ce00-000000000000": "Viva Engage",
    "00000006-0000-0ff1-ce00-000000000000": "Microsoft Office 365 Portal",
    "00000007-0000-0ff1-ce00-000000000000": "Microsoft Exchange Online Protection",
    TEAMS_SERVICES: "Microsoft Teams Services",
    "1fec8e78-bce4-4aaf-ab1b-5451cc387264": "Microsoft Teams",
    "c9a559d2-7aab-4f13-a6ed-e7e9c52aec87": "Microsoft Forms",
    "b737dad2-2f6c-4c65-90e3-ca563267e8b9": "Microsoft Planner",
    "94c63fef-13a3-47bc-8074-75af8c65887a": "Office Delve",
    "905fcf26-4eb7-48a0-9ff0-8dcc7194b5ba": "Sway",
    "cf53fce8-def6-4aeb-8d30-b158e7b1cf83": "Microsoft Stream Portal",
    "2634dd23-5e5a-431c-81ca-11710d9079f4": "Microsoft Stream Service",
    "2d4d3d8e-2be3-4bef-9f87-7875a61c29de": "OneNote",
    "4b233688-031c-404b-9a80-a4f3f2351f90": "Office.com",
    "4765445b-32c6-49b0-83e6-1d93765276ca": "OfficeHome",
    "d3590ed6-52b3-4102-aeff-aad2292ab01c": "Microsoft Office",
    "475226c6-020e-4fb2-8a90-7a972cbfc1d4": "PowerApps Service",
    "95de633a-083e-42f5-b444-a4295d8e9314": "Microsoft Whiteboard Services",
    "66a88757-258c-4c72-893c-3e8bed4d6899": "Office 365 Search Service",
    "13d54852-ae25-4f0b-823a-b09eea89f431": "Outlook Service for Exchange",
    "86b4b4b4-db10-481c-876b-07447e7f204f": "Groups Service",
}

# The `MicrosoftAdminPortals` target covers the admin portals, not their APIs
# (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps).
ADMIN_PORTAL_APPS = {AZURE_PORTAL: "Azure portal"}

POWER_AUTOMATE_APPS = (MICROSOFT_FLOW_SERVICE, MICROSOFT_FLOW_PORTAL)

OTHER_APP_NAMES = {
    MICROSOFT_FLOW_SERVICE: "Microsoft Flow Service",
    DATAVERSE: "Dataverse",
    "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9": "Device Registration Service",
    "797f4846-ba00-4fd7-ba43-dac1f8f63013": "Windows Azure Service Management API",
    "00000003-0000-0000-c000-000000000000": "Microsoft Graph",
    "0000000a-0000-0000-c000-000000000000": "Microsoft Intune",
}


def groups_of(app: str) -> tuple[str, ...]:
    """The named targets (`Office365`, `MicrosoftAdminPortals`) an app id or target keyword belongs to."""
    key = app.casefold()
    if key == OFFICE_365.casefold():
        return (OFFICE_365,)
    if key == ADMIN_PORTALS.casefold():
        return (ADMIN_PORTALS,)
    groups = []
    if key in OFFICE_365_APPS:
        groups.append(OFFICE_365)
    if key in ADMIN_PORTAL_APPS:
        groups.append(ADMIN_PORTALS)
    return tuple(groups)


def app_label(app: str | None) -> str:
    """A readable name for an app id, the id itself when unknown."""
    if app is None:
        return "any other resource"
    key = app.casefold()
    name = OFFICE_365_APPS.get(key) or ADMIN_PORTAL_APPS.get(key) or OTHER_APP_NAMES.get(key)
    if name is not None:
        return f"{name} ({app})"
    if key == OFFICE_365.casefold():
        return "an Office 365 app"
    if key == ADMIN_PORTALS.casefold():
        return "a Microsoft admin portal"
    return app
