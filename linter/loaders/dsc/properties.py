"""Microsoft365DSC resource properties and the Graph paths they set: one table, the MOF schemas as the source.

The resources' `*.schema.mof` files name every property
(https://github.com/microsoft/Microsoft365DSC/tree/dev/Modules/Microsoft365DSC/DSCResources, e.g.
`MSFT_AADConditionalAccessPolicy/MSFT_AADConditionalAccessPolicy.schema.mof`); the resource modules'
`Set-TargetResource` builds the Graph request from them, which is what the paths below follow.
Property names are keys in lower case: PowerShell reads them without case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linter.loaders.normalize.schema import enumeration_spellings
from linter.model import (
    AUTHENTICATION_STRENGTH_POLICY,
    CONDITIONAL_ACCESS_POLICY,
    NAMED_LOCATION,
    TOKEN_LIFETIME_POLICY,
    Unresolved,
)

__all__ = ["ALWAYS_LISTS", "GATES", "PLUMBING", "RESOURCES", "Resource", "graph_spellings", "is_not_set"]

_CONDITIONS = "conditions/"
_USERS = "conditions/users/"
_APPS = "conditions/applications/"
_SIGN_IN_FREQUENCY = "sessionControls/signInFrequency/"

_CONDITIONAL_ACCESS = {
    "id": "id",
    "displayname": "displayName",
    "state": "state",
    "includeapplications": _APPS + "includeApplications",
    "excludeapplications": _APPS + "excludeApplications",
    "includeuseractions": _APPS + "includeUserActions",
    "authenticationcontexts": _APPS + "includeAuthenticationContextClassReferences",
    "applicationsfilter": _APPS + "applicationFilter/rule",
    "applicationsfiltermode": _APPS + "applicationFilter/mode",
    "includeusers": _USERS + "includeUsers",
    "excludeusers": _USERS + "excludeUsers",
    "includegroups": _USERS + "includeGroups",
    "excludegroups": _USERS + "excludeGroups",
    "includeroles": _USERS + "includeRoles",
    "excluderoles": _USERS + "excludeRoles",
    "includeguestorexternalusertypes": _USERS + "includeGuestsOrExternalUsers/guestOrExternalUserTypes",
    "includeexternaltenantsmembershipkind": _USERS + "includeGuestsOrExternalUsers/externalTenants/membershipKind",
    "includeexternaltenantsmembers": _USERS + "includeGuestsOrExternalUsers/externalTenants/members",
    "excludeguestorexternalusertypes": _USERS + "excludeGuestsOrExternalUsers/guestOrExternalUserTypes",
    "excludeexternaltenantsmembershipkind": _USERS + "excludeGuestsOrExternalUsers/externalTenants/membershipKind",
    "excludeexternaltenantsmembers": _USERS + "excludeGuestsOrExternalUsers/externalTenants/members",
    "includeserviceprincipals": _CONDITIONS + "clientApplications/includeServicePrincipals",
    "excludeserviceprincipals": _CONDITIONS + "clientApplications/excludeServicePrincipals",
    "serviceprincipalfiltermode": _CONDITIONS + "clientApplications/servicePrincipalFilter/mode",
    "serviceprincipalfilterrule": _CONDITIONS + "clientApplications/servicePrincipalFilter/rule",
    "includeplatforms": _CONDITIONS + "platforms/includePlatforms",
    "excludeplatforms": _CONDITIONS + "platforms/excludePlatforms",
    "includelocations": _CONDITIONS + "locations/includeLocations",
    "excludelocations": _CONDITIONS + "locations/excludeLocations",
    # The device states condition Graph has retired; older exports still carry it.
    "includedevices": _CONDITIONS + "devices/includeDeviceStates",
    "excludedevices": _CONDITIONS + "devices/excludeDeviceStates",
    "devicefiltermode": _CONDITIONS + "devices/deviceFilter/mode",
    "devicefilterrule": _CONDITIONS + "devices/deviceFilter/rule",
    "userrisklevels": _CONDITIONS + "userRiskLevels",
    "signinrisklevels": _CONDITIONS + "signInRiskLevels",
    "serviceprincipalrisklevels": _CONDITIONS + "servicePrincipalRiskLevels",
    "insiderrisklevels": _CONDITIONS + "insiderRiskLevels",
    "clientapptypes": _CONDITIONS + "clientAppTypes",
    # One comma-joined string, as Graph stores it ('deviceCodeFlow,authenticationTransfer').
    "transfermethods": _CONDITIONS + "authenticationFlows/transferMethods",
    "grantcontroloperator": "grantControls/operator",
    "builtincontrols": "grantControls/builtInControls",
    "customauthenticationfactors": "grantControls/customAuthenticationFactors",
    "termsofuse": "grantControls/termsOfUse",
    # Microsoft365DSC names the strength by its display name and looks the id up when it applies the policy.
    "authenticationstrength": "grantControls/authenticationStrength/displayName",
    "applicationenforcedrestrictionsisenabled": "sessionControls/applicationEnforcedRestrictions/isEnabled",
    "cloudappsecurityisenabled": "sessionControls/cloudAppSecurity/isEnabled",
    "cloudappsecuritytype": "sessionControls/cloudAppSecurity/cloudAppSecurityType",
    "signinfrequencyisenabled": _SIGN_IN_FREQUENCY + "isEnabled",
    "signinfrequencytype": _SIGN_IN_FREQUENCY + "type",
    "signinfrequencyvalue": _SIGN_IN_FREQUENCY + "value",
    "signinfrequencyinterval": _SIGN_IN_FREQUENCY + "frequencyInterval",
    "signinfrequencyauthenticationtype": _SIGN_IN_FREQUENCY + "authenticationType",
    "persistentbrowserisenabled": "sessionControls/persistentBrowser/isEnabled",
    "persistentbrowsermode": "sessionControls/persistentBrowser/mode",
    "securesigninsessionisenabled": "sessionControls/secureSignInSession/isEnabled",
    "continuousaccessevaluationmode": "sessionControls/continuousAccessEvaluation/mode",
    "disableresiliencedefaults": "sessionControls/disableResilienceDefaults",
}

_NAMED_LOCATION = {
    "id": "id",
    "displayname": "displayName",
    "odatatype": "@odata.type",
    "ipranges": "ipRanges",
    "istrusted": "isTrusted",
    "countriesandregions": "countriesAndRegions",
    "countrylookupmethod": "countryLookupMethod",
    "includeunknowncountriesandregions": "includeUnknownCountriesAndRegions",
}

_AUTHENTICATION_STRENGTH = {
    "id": "id",
    "displayname": "displayName",
    "description": "description",
    "allowedcombinations": "allowedCombinations",
}

_TOKEN_LIFETIME = {
    "id": "id",
    "displayname": "displayName",
    "description": "description",
    "definition": "definition",
    "isorganizationdefault": "isOrganizationDefault",
}

Resource = tuple[str, dict[str, str]]

# resource name in lower case -> (document kind, property -> Graph path)
RESOURCES: dict[str, Resource] = {
    "aadconditionalaccesspolicy": (CONDITIONAL_ACCESS_POLICY, _CONDITIONAL_ACCESS),
    "aadnamedlocationpolicy": (NAMED_LOCATION, _NAMED_LOCATION),
    "aadauthenticationstrengthpolicy": (AUTHENTICATION_STRENGTH_POLICY, _AUTHENTICATION_STRENGTH),
    "aadtokenlifetimepolicy": (TOKEN_LIFETIME_POLICY, _TOKEN_LIFETIME),
}

# How the resource connects to the tenant, not what it configures.
PLUMBING = frozenset(
    {
        "ensure",
        "credential",
        "applicationid",
        "tenantid",
        "applicationsecret",
        "certificatethumbprint",
        "certificatepath",
        "certificatepassword",
        "managedidentity",
        "accesstokens",
        "psdscrunascredential",
        "dependson",
    }
)

# The properties the MOF types `String[]`, by Graph path: PowerShell makes a lone string (`IncludeUsers = "All"`,
# `TermsOfUse = "Contoso ToU"`) a one-item array when it binds it.
ALWAYS_LISTS = frozenset(
    [
        path
        for table in (_CONDITIONAL_ACCESS, _NAMED_LOCATION, _AUTHENTICATION_STRENGTH, _TOKEN_LIFETIME)
        for name, path in table.items()
        if name.startswith(("include", "exclude", "authenticationcontexts"))
        and not name.endswith(("membershipkind", "unknowncountriesandregions"))
    ]
    + [
        _CONDITIONS + "userRiskLevels",
        _CONDITIONS + "signInRiskLevels",
        _CONDITIONS + "servicePrincipalRiskLevels",
        _CONDITIONS + "clientAppTypes",
        "grantControls/builtInControls",
        "grantControls/customAuthenticationFactors",
        "grantControls/termsOfUse",
        "ipRanges",
        "countriesAndRegions",
        "allowedCombinations",
        "definition",
    ]
)

# A session control Microsoft365DSC sends only when its switch is on: `SignInFrequencyIsEnabled = $false`
# with `SignInFrequencyType = ""` beside it, as every export writes, is no sign-in frequency at all.
GATES = (
    "sessionControls/signInFrequency",
    "sessionControls/persistentBrowser",
    "sessionControls/cloudAppSecurity",
    "sessionControls/applicationEnforcedRestrictions",
    "sessionControls/secureSignInSession",
)

_NOT_SET_ZERO = "sessionControls/signInFrequency/value"  # exports write 0 when no frequency is set


def is_not_set(path: str, value: Any) -> bool:
    """Whether value is what an export writes for a property left unset (`""`, `@()`, a frequency of 0)."""
    if isinstance(value, Unresolved):
        return False
    return value in ("", []) or (path == _NOT_SET_ZERO and value == 0 and not isinstance(value, bool))


def graph_spellings(kind: str, path: str) -> Mapping[str, str]:
    """{member in lower case: Graph's spelling} of the enumeration at the kind's Graph path (empty for none).

    Microsoft365DSC accepts enumeration members in any letter case ('Mfa', 'IOS', 'Hours') and sends Graph's
    spelling: the reader writes what the tenant gets, so the document is valid as read.
    """
    return enumeration_spellings(kind).get(path, {})
