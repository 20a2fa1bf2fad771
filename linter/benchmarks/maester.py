"""Maester's Conditional Access tests (MT.10xx): the ones about Conditional Access and MFA.

Read from github.com/maester365/maester, tests/Maester/Entra/Test-ConditionalAccessBaseline.Tests.ps1
(commit 6bf1d98f); titles are entralint's own words. Maester asks for "at least one policy" in most
tests; entralint decides by evaluating sign-ins, so a control here passes only when the sign-ins are covered.
"""

from __future__ import annotations

from linter.benchmarks import Benchmark, Control

DIRECTORY = "the directory objects the policies name (users, groups, roles), read from Microsoft Graph"

BENCHMARK = Benchmark(
    name="maester",
    title="Maester Conditional Access tests",
    version="tests/Maester/Entra at maester365/maester 6bf1d98f",
    source="https://maester.dev/docs/tests/",
    controls=(
        Control("MT.1001", "Some policy requires a compliant device", offline=True),
        Control("MT.1003", "Some policy targets all resources", offline=True),
        Control("MT.1004", "Some policy targets all users and all resources", offline=True),
        Control("MT.1005", "Every policy leaves out an emergency access account or group", offline=True),
        Control("MT.1007", "Every user must pass MFA"),
        Control("MT.1008", "Azure management requires MFA", offline=True),
        Control("MT.1009", "Legacy 'other clients' are blocked", offline=True),
        Control("MT.1010", "Exchange ActiveSync legacy sign-ins are blocked", offline=True),
        Control("MT.1011", "Security information can be registered only from a trusted location", offline=True),
        Control("MT.1013", "Users at high user risk must change their password", offline=True),
        Control("MT.1014", "Administrators need a compliant or hybrid-joined device", offline=True),
        Control("MT.1017", "Browser sessions on unmanaged devices do not persist", offline=True),
        Control("MT.1018", "Unmanaged devices sign in again periodically (sign-in frequency)", offline=True),
        Control("MT.1019", "Application enforced restrictions are turned on", offline=True),
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
        Control("MT.1052", "Some policy targets the device code flow", offline=True),
        Control(
            "MT.1061",
            "The device registration MFA setting does not conflict with Conditional Access",
            needs="the tenant's device registration policy (multi-factor authentication setting)",
        ),
        Control("MT.1066", "Policies name no user, group or role that does not exist", needs=DIRECTORY),
        Control("MT.1071", "Some policy names Azure DevOps explicitly", offline=True),
        Control("MT.1184", "Every policy targets some resource", offline=True),
    ),
)
BENCHMARKS = {BENCHMARK.name: BENCHMARK}
