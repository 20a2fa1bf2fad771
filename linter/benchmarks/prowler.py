"""Prowler's Microsoft 365 Entra checks about Conditional Access and MFA (the check ids are the controls).

Read from github.com/prowler-cloud/prowler, prowler/providers/m365/services/entra/*/ *.metadata.json
(commit 3e000faa); titles are entralint's own words.
"""

from __future__ import annotations

from linter.benchmarks import Benchmark, Control
from linter.benchmarks.cis_m365 import ADMINISTRATOR_ROLES

METHODS_POLICY = "the authentication methods policy"
PREFIX = "entra_conditional_access_policy_"

BENCHMARK = Benchmark(
    name="prowler",
    title="Prowler Microsoft 365 Entra checks",
    version="prowler/providers/m365/services/entra at prowler-cloud/prowler 3e000faa",
    source="https://hub.prowler.com/",
    # Prowler's AdminRoles (entra_service.py): the fifteen roles CIS lists.
    privileged_roles=ADMINISTRATOR_ROLES,
    controls=(
        Control(
            "entra_admin_portals_access_restriction",
            "Admin portals are reachable only by administrative roles",
            needs="the role assignments: only the directory shows that nobody but role holders is let through",
        ),
        Control("entra_admin_users_mfa_enabled", "Administrators must pass MFA on every resource"),
        Control(
            "entra_admin_users_phishing_resistant_mfa_enabled",
            "Administrators must use a phishing-resistant authentication strength on every resource",
        ),
        Control(
            "entra_admin_users_sign_in_frequency_enabled",
            "Administrators sign in again at least every 4 hours and their browser sessions do not persist",
        ),
        Control(
            "entra_all_apps_conditional_access_coverage",
            "Policies cover all resources",
            needs="a rule asking whether some enabled policy targets all resources",
            offline=True,
        ),
        Control(
            "entra_authentication_method_authenticator_show_context",
            "Microsoft Authenticator shows the app name and location",
            needs=METHODS_POLICY,
        ),
        Control(
            "entra_authentication_method_email_otp_disabled",
            "Email one-time passcode is disabled",
            needs=METHODS_POLICY,
        ),
        Control(
            "entra_authentication_method_sms_voice_disabled", "SMS and voice call are disabled", needs=METHODS_POLICY
        ),
        Control(
            "entra_break_glass_account_fido2_security_key_registered",
            "The emergency access accounts have a FIDO2 security key",
            needs="the emergency access accounts' registered methods",
        ),
        Control(
            f"{PREFIX}all_apps_all_users",
            "Some policy targets all users and all resources",
            needs="a rule asking whether some enabled policy targets all users and all resources",
            offline=True,
        ),
        Control(
            f"{PREFIX}app_enforced_restrictions",
            "Application enforced restrictions apply to unmanaged devices",
            needs="a rule asking whether Exchange and SharePoint sessions on unmanaged devices use application "
            "enforced restrictions",
            offline=True,
        ),
        Control(f"{PREFIX}authentication_transfer_blocked", "Authentication transfer is blocked"),
        Control(
            f"{PREFIX}block_high_medium_sign_in_risk",
            "Medium and high risk sign-ins are blocked",
            needs="a rule asking whether medium and high risk sign-ins are blocked: CA015 also accepts MFA",
            offline=True,
        ),
        Control(f"{PREFIX}block_unknown_device_platforms", "Unknown or unsupported device platforms are blocked"),
        Control(
            f"{PREFIX}compliant_device_hybrid_joined_device_mfa_required",
            "A compliant device, a hybrid-joined device or MFA is required",
            needs="a rule asking whether every sign-in requires a compliant device, a hybrid-joined device or MFA",
            offline=True,
        ),
        Control(
            f"{PREFIX}corporate_device_sign_in_frequency_enforced",
            "Unmanaged devices sign in again periodically",
            needs="a rule asking whether sign-ins from unmanaged devices have a sign-in frequency",
            offline=True,
        ),
        Control(f"{PREFIX}device_code_flow_blocked", "The device code flow is blocked"),
        Control(
            f"{PREFIX}device_registration_mfa_required", "Registering or joining a device requires MFA (user action)"
        ),
        Control(
            f"{PREFIX}directory_sync_account_excluded",
            "Policies leave out the directory synchronization accounts",
            needs="a rule asking whether every policy leaves out the Directory Synchronization Accounts role",
            offline=True,
        ),
        Control(
            f"{PREFIX}explicitly_targets_azure_devops",
            "Some policy names Azure DevOps explicitly",
            needs="a rule asking whether some enabled policy names Azure DevOps",
            offline=True,
        ),
        Control(
            f"{PREFIX}groups_management_restricted",
            "Groups used by policies are role-assignable or in a restricted management unit",
            needs="the groups' properties and administrative units",
        ),
        Control(
            f"{PREFIX}mdm_compliant_device_required",
            "A compliant device is required everywhere",
            needs="a rule asking whether every sign-in requires a compliant device: CA019 also accepts a "
            "hybrid-joined device",
            offline=True,
        ),
        Control(f"{PREFIX}mfa_enforced_for_guest_users", "Guests must pass MFA on every resource"),
        Control(
            f"{PREFIX}no_deleted_object_references",
            "Policies name no deleted user, group or role",
            needs="the directory objects the policies name",
        ),
        Control(f"{PREFIX}no_exclusion_gaps", "Everything a policy excludes is covered by another policy"),
        Control(
            f"{PREFIX}require_mfa_for_admin_portals",
            "Microsoft admin portals require MFA",
            needs="a rule asking about Microsoft admin portals alone: CA020 also asks for Azure management",
            offline=True,
        ),
        Control(
            f"{PREFIX}require_mfa_for_management_api",
            "Azure management requires MFA",
            needs="a rule asking about Windows Azure Service Management API alone: CA020 also asks for Microsoft "
            "admin portals",
            offline=True,
        ),
        Control(
            f"{PREFIX}sign_in_frequency_all_users",
            "Every user signs in again periodically",
            needs="a rule asking whether every user's sign-ins have a sign-in frequency",
            offline=True,
        ),
        Control(
            f"{PREFIX}token_protection_enforced",
            "Token protection is required for desktop sign-ins on Windows to Exchange, SharePoint and Teams",
        ),
        Control(
            f"{PREFIX}untrusted_locations_blocked",
            "Sign-ins from untrusted locations are blocked",
            needs="a rule asking whether every sign-in from outside the trusted locations is blocked",
            offline=True,
        ),
        Control(
            "entra_conditional_access_trusted_named_location_exists",
            "A trusted named location of IP ranges exists",
            needs="the tenant's named locations",
        ),
        Control(
            "entra_emergency_access_exclusion",
            "Policies leave out the emergency access accounts",
            needs="a rule asking whether every policy leaves out one same account or group: CA008 asks whether "
            "the emergency access accounts are left out where they would be locked out",
            offline=True,
        ),
        Control(
            "entra_identity_protection_sign_in_risk_enabled",
            "Medium and high risk sign-ins must pass MFA, signing in again every time",
            needs="a rule requiring MFA and a sign-in frequency of every time for medium and high risk sign-ins: "
            "CA015 does not ask for the sign-in frequency",
            offline=True,
        ),
        Control(
            "entra_identity_protection_user_risk_enabled",
            "Users at high user risk must change their password with MFA",
            needs="a rule requiring a password change with MFA for all users at high user risk: CA014 also accepts "
            "risk remediation",
            offline=True,
        ),
        Control(
            "entra_idle_session_timeout_configured",
            "Idle web sessions are signed out after at most 3 hours",
            needs="the Microsoft 365 idle session timeout setting (activity-based timeout policy)",
        ),
        Control(
            "entra_intune_enrollment_sign_in_frequency_every_time",
            "Intune enrolment asks for a fresh strong sign-in every time",
            needs="a rule asking whether Microsoft Intune Enrollment sign-ins have a sign-in frequency of every time",
            offline=True,
        ),
        Control("entra_legacy_authentication_blocked", "Legacy authentication is blocked"),
        Control(
            "entra_managed_device_required_for_authentication",
            "A hybrid-joined device or MFA is required on every resource",
            needs="a rule asking whether every sign-in requires a hybrid-joined device or MFA: CA019 asks for a "
            "compliant or hybrid-joined device and does not accept MFA",
            offline=True,
        ),
        Control(
            "entra_managed_device_required_for_mfa_registration",
            "MFA registration requires a managed device",
            needs="a rule asking whether registering security info needs a managed device: CA017 also accepts "
            "MFA, an authentication strength or a trusted location",
            offline=True,
        ),
        Control(
            "entra_users_mfa_capable",
            "Every user has registered a method that satisfies MFA",
            needs="each user's registered methods",
        ),
        Control("entra_users_mfa_enabled", "Every user must pass MFA"),
    ),
)
BENCHMARKS = {BENCHMARK.name: BENCHMARK}
