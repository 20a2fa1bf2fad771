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
        Control("21784", "Every sign-in uses a phishing-resistant method", needs=SIGN_IN_LOGS),
        Control("21786", "Sign-ins use token protection", needs=SIGN_IN_LOGS),
        Control("21795", "No sign-in uses legacy authentication", needs=SIGN_IN_LOGS),
        Control("21796", "Legacy authentication is blocked"),
        Control("21800", "Every sign-in uses a strong method", needs=SIGN_IN_LOGS),
        Control("21801", "Users have strong methods registered", needs="each user's registered methods"),
        Control("21802", "Microsoft Authenticator shows sign-in context", needs=METHODS_POLICY),
        Control("21803", "Legacy MFA and SSPR policies are migrated", needs=METHODS_POLICY),
        Control("21804", "SMS and voice call are disabled", needs=METHODS_POLICY),
        Control("21808", "The device code flow is blocked"),
        Control("21824", "Guests do not keep long-lived sign-in sessions", offline=True),
        Control("21828", "Authentication transfer is blocked"),
        Control(
            "21830",
            "Privileged access workstations are enforced by Conditional Access",
            offline=True,
        ),
        Control(
            "21832",
            "Groups used by policies belong to a restricted management administrative unit",
            needs="the groups' administrative units",
        ),
        Control("21892", "Every sign-in comes from a managed device", needs=SIGN_IN_LOGS),
        Control("21893", "Every user is asked to register for MFA", needs="the registration campaign settings"),
        Control(
            "21964",
            "Protected actions guard changes to Conditional Access",
            needs="the protected actions' authentication contexts (role management policies)",
        ),
        Control("24824", "Noncompliant devices are blocked", offline=True),
        Control("24827", "Unmanaged apps are blocked", offline=True),
    ),
)
BENCHMARKS = {BENCHMARK.name: BENCHMARK}
