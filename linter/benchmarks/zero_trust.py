"""Microsoft's Zero Trust Assessment: the identity tests about Conditional Access and MFA.

Read from github.com/microsoft/zerotrustassessment, src/powershell/tests/Test-Assessment.<id>.ps1
(commit 83a87007); the control id is the test id; titles are entralint's own words.
"""

from __future__ import annotations

from linter.benchmarks import Benchmark, Control

SIGN_IN_LOGS = "the tenant's sign-in logs"
METHODS_POLICY = "the authentication methods policy"

BENCHMARK = Benchmark(
    name="zero-trust",
    title="Microsoft Zero Trust Assessment (identity)",
    version="src/powershell/tests at microsoft/zerotrustassessment 83a87007",
    source="https://github.com/microsoft/zerotrustassessment",
    controls=(
        Control("21781", "Privileged users sign in with phishing-resistant methods", needs=SIGN_IN_LOGS),
        Control(
            "21782",
            "Privileged accounts have phishing-resistant methods registered",
            needs="the role members and their registered methods",
        ),
        Control("21783", "Privileged built-in roles must use a phishing-resistant authentication strength"),
        Control("21784", "Every sign-in uses a phishing-resistant method", needs=SIGN_IN_LOGS),
        Control("21786", "Sign-ins use token protection", needs=SIGN_IN_LOGS),
        Control("21795", "No sign-in uses legacy authentication", needs=SIGN_IN_LOGS),
        Control("21796", "Legacy authentication is blocked"),
        Control(
            "21797",
            "Users at high user risk are blocked or must change their password",
            needs="the authentication methods policy: when a passwordless method (FIDO2, multifactor certificate) "
            "is enabled only a block passes",
        ),
        Control(
            "21799",
            "High risk sign-ins are blocked or must pass MFA",
            needs="the authentication methods policy: when no method is enabled only a block passes",
        ),
        Control("21800", "Every sign-in uses a strong method", needs=SIGN_IN_LOGS),
        Control("21801", "Users have strong methods registered", needs="each user's registered methods"),
        Control("21802", "Microsoft Authenticator shows sign-in context", needs=METHODS_POLICY),
        Control("21803", "Legacy MFA and SSPR policies are migrated", needs=METHODS_POLICY),
        Control("21804", "SMS and voice call are disabled", needs=METHODS_POLICY),
        Control("21806", "Registering security info is protected for all users"),
        Control("21808", "The device code flow is blocked"),
        Control(
            "21824",
            "Guests do not keep long-lived sign-in sessions",
            needs="a rule asking whether guests' sign-ins have a sign-in frequency of at most 24 hours",
            offline=True,
        ),
        Control(
            "21825",
            "Privileged roles sign in again within a few hours (sign-in frequency)",
            needs="the tenant's licences (at most 4 hours with Entra ID P2, else 24) and a rule asking only for the "
            "sign-in frequency: CA021 also asks for non-persistent browser sessions",
        ),
        Control("21828", "Authentication transfer is blocked"),
        Control(
            "21830",
            "Privileged access workstations are enforced by Conditional Access",
            needs="a rule asking whether the privileged roles' sign-ins from devices a filter does not mark as "
            "privileged access workstations are blocked",
            offline=True,
        ),
        Control(
            "21832",
            "Groups used by policies belong to a restricted management administrative unit",
            needs="the groups' administrative units",
        ),
        Control("21872", "Registering or joining a device requires MFA (user action)"),
        Control("21892", "Every sign-in comes from a managed device", needs=SIGN_IN_LOGS),
        Control("21893", "Every user is asked to register for MFA", needs="the registration campaign settings"),
        Control(
            "21964",
            "Protected actions guard changes to Conditional Access",
            needs="the protected actions' authentication contexts (role management policies)",
        ),
        Control(
            "21941",
            "Token protection is required for Windows sign-ins to Exchange and SharePoint",
            needs="a rule asking for Exchange Online and SharePoint Online alone: CA025 also asks for Teams",
            offline=True,
        ),
        Control(
            "24824",
            "Noncompliant devices are blocked",
            needs="a rule asking whether sign-ins on every device platform require a compliant device",
            offline=True,
        ),
        Control(
            "24827",
            "Unmanaged apps are blocked",
            needs="a rule asking whether mobile sign-ins require an app protection policy",
            offline=True,
        ),
    ),
)
BENCHMARKS = {BENCHMARK.name: BENCHMARK}
