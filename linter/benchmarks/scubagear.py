"""CISA ScubaGear's Microsoft Entra ID baseline (MS.AAD): the Conditional Access and MFA policies.

Read from github.com/cisagov/ScubaGear, PowerShell/ScubaGear/baselines/aad.md (commit 4d34e9a4),
the version ScubaGear 1.x checks; titles are entralint's own words.
"""

from __future__ import annotations

from linter.benchmarks import Benchmark, Control

BENCHMARK = Benchmark(
    name="scubagear",
    title="CISA ScubaGear Microsoft Entra ID baseline (MS.AAD)",
    version="aad.md at cisagov/ScubaGear 4d34e9a4 (ScubaGear 1.x)",
    source="https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md",
    controls=(
        Control("MS.AAD.1.1v1", "Legacy authentication is blocked"),
        Control("MS.AAD.2.1v1", "Users at high user risk are blocked", offline=True),
        Control(
            "MS.AAD.2.2v1",
            "Administrators are notified when a user is detected as high risk",
            needs="Identity Protection's risky-user alert recipients",
        ),
        Control("MS.AAD.2.3v1", "Sign-ins at high sign-in risk are blocked", offline=True),
        Control("MS.AAD.3.1v1", "Every user must use phishing-resistant MFA", offline=True),
        Control("MS.AAD.3.2v2", "Every user must pass MFA"),
        Control(
            "MS.AAD.3.3v2",
            "Microsoft Authenticator, when enabled, shows sign-in context",
            needs="the authentication methods policy (Microsoft Authenticator feature settings)",
        ),
        Control(
            "MS.AAD.3.4v1",
            "The authentication methods migration is complete",
            needs="the authentication methods policy's migration state",
        ),
        Control(
            "MS.AAD.3.5v2",
            "SMS, voice call and email one-time passcode are disabled",
            needs="the authentication methods policy",
        ),
        Control("MS.AAD.3.8v1", "MFA registration requires a managed device", offline=True),
        Control("MS.AAD.3.9v1", "The device code flow is blocked"),
    ),
)
BENCHMARKS = {BENCHMARK.name: BENCHMARK}
