"""Maester's Conditional Access tests (MT.10xx): the ones about Conditional Access and MFA.

Read from github.com/maester365/maester, tests/Maester/Entra/Test-ConditionalAccessBaseline.Tests.ps1
(commit 6bf1d98f); titles are entralint's own words. Maester asks for "at least one policy" in most
tests; entralint decides by evaluating sign-ins, so a control here passes only when the sign-ins are covered.
"""

from __future__ import annotations

from linter.benchmarks import Benchmark, Control, role_ids

DIRECTORY = "the directory objects the policies name (users, groups, roles), read from Microsoft Graph"


def _asks(what: str) -> str:
    """What an offline check of a Maester "some enabled policy ..." test asks."""
    return f"a rule asking whether some enabled policy {what}"


BENCHMARK = Benchmark(
    name="maester",
    title="Maester Conditional Access tests",
    version="tests/Maester/Entra at maester365/maester 6bf1d98f",
    source="https://maester.dev/docs/tests/",
    # The roles MT.1006 (Test-MtCaMfaForAdmin) checks: CIS's list without Global Reader.
    privileged_roles=role_ids(
        "Application Administrator",
        "Authentication Administrator",
        "Billing Administrator",
        "Cloud Application Administrator",
        "Conditional Access Administrator",
        "Exchange Administrator",
        "Global Administrator",
        "Helpdesk Administrator",
        "Password Administrator",
        "Privileged Authentication Administrator",
        "Privileged Role Administrator",
        "Security Administrator",
        "SharePoint Administrator",
        "User Administrator",
    ),
    controls=(
        Control(
            "MT.1001",
            "Some policy requires a compliant device",
            needs=_asks("requires a compliant device"),
            offline=True,
        ),
        Control("MT.1003", "Some policy targets all resources", needs=_asks("targets all resources"), offline=True),
        Control(
            "MT.1004",
            "Some policy targets all users and all resources",
            needs=_asks("targets all users and all resources"),
            offline=True,
        ),
        Control(
            "MT.1005",
            "Every policy leaves out an emergency access account or group",
            needs="a rule asking whether every policy leaves out one same account or group: CA008 asks whether "
            "the emergency access accounts are left out where they would be locked out",
            offline=True,
        ),
        Control("MT.1006", "Administrators must pass MFA on every resource"),
        Control("MT.1007", "Every user must pass MFA"),
        Control(
            "MT.1008",
            "Azure management requires MFA",
            needs="a rule asking about Windows Azure Service Management API alone: CA020 also asks for "
            "Microsoft admin portals",
            offline=True,
        ),
        Control(
            "MT.1009", "Legacy 'other clients' are blocked", needs=_asks("blocks 'other clients' alone"), offline=True
        ),
        Control(
            "MT.1010",
            "Exchange ActiveSync legacy sign-ins are blocked",
            needs=_asks("blocks Exchange ActiveSync alone"),
            offline=True,
        ),
        Control(
            "MT.1011",
            "Security information can be registered only from a trusted location",
            needs="a rule asking whether registering security info is blocked outside trusted locations: CA017 "
            "also accepts MFA, an authentication strength or a managed device",
            offline=True,
        ),
        Control("MT.1012", "Medium and high risk sign-ins must pass MFA"),
        Control(
            "MT.1013",
            "Users at high user risk must change their password",
            needs="a rule asking whether users at high user risk must change their password: CA014 also accepts "
            "risk remediation",
            offline=True,
        ),
        Control(
            "MT.1014",
            "Administrators need a compliant or hybrid-joined device",
            needs=_asks("requires a managed device for the administrative roles"),
            offline=True,
        ),
        Control("MT.1015", "Unknown or unsupported device platforms are blocked"),
        Control("MT.1016", "Guests must pass MFA on every resource"),
        Control(
            "MT.1017",
            "Browser sessions on unmanaged devices do not persist",
            needs=_asks("makes browser sessions on unmanaged devices non-persistent"),
            offline=True,
        ),
        Control(
            "MT.1018",
            "Unmanaged devices sign in again periodically (sign-in frequency)",
            needs=_asks("sets a sign-in frequency on unmanaged devices"),
            offline=True,
        ),
        Control(
            "MT.1019",
            "Application enforced restrictions are turned on",
            needs=_asks("turns on application enforced restrictions"),
            offline=True,
        ),
        Control(
            "MT.1020",
            "Policies leave out the directory synchronization accounts or do not target them",
            needs="which accounts synchronize the directory (members of the Directory Synchronization Accounts "
            "role); policies that name the role itself can be read offline",
        ),
        Control(
            "MT.1021",
            "Security defaults are enabled (when no Conditional Access is used)",
            needs="the tenant's security defaults setting (identitySecurityDefaultsEnforcementPolicy)",
        ),
        Control(
            "MT.1035",
            "Groups used by policies are protected by a restricted management administrative unit",
            needs="the groups' administrative units",
        ),
        Control("MT.1036", "Everything a policy excludes is covered by another policy"),
        Control("MT.1038", "Policies name no deleted group", needs=DIRECTORY),
        Control("MT.1049", "User risk and sign-in risk are set in separate policies"),
        Control(
            "MT.1052",
            "Some policy targets the device code flow",
            needs=_asks("targets the device code flow, whatever it requires"),
            offline=True,
        ),
        Control(
            "MT.1061",
            "The device registration MFA setting does not conflict with Conditional Access",
            needs="the tenant's device registration policy (multi-factor authentication setting)",
        ),
        Control("MT.1066", "Policies name no user, group or role that does not exist", needs=DIRECTORY),
        Control(
            "MT.1071", "Some policy names Azure DevOps explicitly", needs=_asks("names Azure DevOps"), offline=True
        ),
        Control(
            "MT.1072",
            "No enabled policy uses the retired approved client app grant",
            needs="a rule reporting every enabled policy that names approvedApplication: CA023 is silent when "
            "compliantApplication is an alternative, and reports report-only policies too",
            offline=True,
        ),
        Control(
            "MT.1184",
            "Every policy targets some resource",
            needs="a rule asking only whether a policy targets no resource: CA009 also reports policies that include "
            "no user",
            offline=True,
        ),
    ),
)
BENCHMARKS = {BENCHMARK.name: BENCHMARK}
