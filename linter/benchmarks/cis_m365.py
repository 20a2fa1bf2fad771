"""CIS Microsoft 365 Foundations Benchmark, versions 4.0.0 to 7.0.0: the Conditional Access and MFA controls.

Numbering read from Prowler's compliance mappings of v4.0, v6.0 and v7.0
(github.com/prowler-cloud/prowler, prowler/compliance/m365/cis_*_m365.json, commit 3e000faa) and,
for v5.0.0, from Powerpipe's CIS v5.0.0 controls (hub.powerpipe.io, steampipe-mod-microsoft365-compliance):
v5 numbers section 5.2.2 as v6 does (v5 added medium/high sign-in risk blocking as 5.2.2.8, Intune
enrolment as 5.2.2.11 and device code flow as 5.2.2.12, and dropped v4's admin-portal control 5.2.2.8).
v7.0.0 added 5.2.2.13-5.2.2.17. Titles are entralint's own words.
"""

from __future__ import annotations

from linter.benchmarks import Benchmark, Control

SOURCE = "https://www.cisecurity.org/benchmark/microsoft_365"

PER_USER_MFA = Control(
    "5.1.2.1",
    "Legacy per-user MFA is disabled for every user",
    needs="each user's per-user MFA state (Graph beta: users' authentication requirements)",
)
ALL_USERS_MFA = Control("5.2.2.2", "Every user must pass MFA on every resource")
LEGACY_AUTHENTICATION = Control("5.2.2.3", "Legacy authentication is blocked by Conditional Access")
ADMIN_PORTALS_V4 = Control(
    "5.2.2.8",
    "Microsoft admin portals are reachable only by administrative roles",
    needs="the role assignments: the policy blocks everyone but role holders, so only the directory "
    "shows that nobody else is let through",
)
BLOCK_RISKY_SIGN_INS_V4 = Control("5.2.2.9", "Medium and high risk sign-ins are blocked", offline=True)
BLOCK_RISKY_SIGN_INS = Control("5.2.2.8", "Medium and high risk sign-ins are blocked", offline=True)
MANAGED_DEVICE_REGISTRATION_V4 = Control(
    "5.2.2.11", "Security information can be registered only from a compliant or hybrid-joined device", offline=True
)
MANAGED_DEVICE_REGISTRATION = Control(
    "5.2.2.10", "Security information can be registered only from a compliant or hybrid-joined device", offline=True
)
INTUNE_ENROLMENT = Control(
    "5.2.2.11", "Intune enrolment asks for a fresh sign-in every time (sign-in frequency)", offline=True
)
DEVICE_CODE_FLOW = Control("5.2.2.12", "The device code flow is blocked")
ALL_USERS_SIGN_IN_FREQUENCY = Control(
    "5.2.2.13",
    "Every user signs in again periodically (sign-in frequency); CA006 says what that does to Power Automate",
    offline=True,
)
TRUSTED_LOCATION = Control(
    "5.2.2.14",
    "A trusted named location of IP ranges is defined",
    needs="the tenant's named locations (Graph identity/conditionalAccess/namedLocations)",
)
UNWANTED_COUNTRIES = Control("5.2.2.15", "Sign-ins from countries or regions out of scope are blocked", offline=True)
AUTHENTICATION_TRANSFER = Control("5.2.2.17", "Authentication transfer is blocked")
AUTHENTICATOR_CONTEXT = Control(
    "5.2.3.1",
    "Microsoft Authenticator shows the app name and location in its prompts",
    needs="the authentication methods policy (Microsoft Authenticator feature settings)",
)
MFA_CAPABLE = Control(
    "5.2.3.4",
    "Every user has registered a method that satisfies MFA",
    needs="each user's registered methods (Graph authentication methods user registration details)",
)
WEAK_METHODS = Control(
    "5.2.3.5", "Weak authentication methods (SMS, voice call) are disabled", needs="the authentication methods policy"
)
SYSTEM_PREFERRED_MFA = Control(
    "5.2.3.6",
    "System-preferred MFA is enabled",
    needs="the authentication methods policy (system credential preferences)",
)


def _benchmark(version: str, controls: tuple[Control, ...]) -> Benchmark:
    return Benchmark(
        name=f"cis-m365-v{version.split('.', maxsplit=1)[0]}",
        title=f"CIS Microsoft 365 Foundations Benchmark v{version}",
        version=version,
        source=SOURCE,
        controls=controls,
    )


V4 = _benchmark(
    "4.0.0",
    (
        PER_USER_MFA,
        ALL_USERS_MFA,
        LEGACY_AUTHENTICATION,
        ADMIN_PORTALS_V4,
        BLOCK_RISKY_SIGN_INS_V4,
        MANAGED_DEVICE_REGISTRATION_V4,
        AUTHENTICATOR_CONTEXT,
        MFA_CAPABLE,
        WEAK_METHODS,
    ),
)
_V5_V6 = (
    PER_USER_MFA,
    ALL_USERS_MFA,
    LEGACY_AUTHENTICATION,
    BLOCK_RISKY_SIGN_INS,
    MANAGED_DEVICE_REGISTRATION,
    INTUNE_ENROLMENT,
    DEVICE_CODE_FLOW,
    AUTHENTICATOR_CONTEXT,
    MFA_CAPABLE,
    WEAK_METHODS,
    SYSTEM_PREFERRED_MFA,
)
V5 = _benchmark("5.0.0", _V5_V6)
V6 = _benchmark("6.0.0", _V5_V6)
V7 = _benchmark(
    "7.0.0",
    (
        PER_USER_MFA,
        ALL_USERS_MFA,
        LEGACY_AUTHENTICATION,
        BLOCK_RISKY_SIGN_INS,
        MANAGED_DEVICE_REGISTRATION,
        INTUNE_ENROLMENT,
        DEVICE_CODE_FLOW,
        ALL_USERS_SIGN_IN_FREQUENCY,
        TRUSTED_LOCATION,
        UNWANTED_COUNTRIES,
        AUTHENTICATION_TRANSFER,
        AUTHENTICATOR_CONTEXT,
        MFA_CAPABLE,
        WEAK_METHODS,
        SYSTEM_PREFERRED_MFA,
    ),
)
BENCHMARKS = {benchmark.name: benchmark for benchmark in (V4, V5, V6, V7)}
