"""Prowler's Microsoft 365 Entra checks about Conditional Access and MFA (the check ids are the controls).

Read from github.com/prowler-cloud/prowler, prowler/providers/m365/services/entra/*/ *.metadata.json
(commit 3e000faa); titles are entralint's own words.
"""

from __future__ import annotations

from linter.benchmarks import Benchmark, Control

METHODS_POLICY = "the authentication methods policy"
PREFIX = "entra_conditional_access_policy_"

BENCHMARK = Benchmark(
    name="prowler",
    title="Prowler Microsoft 365 Entra checks",
    version="prowler/providers/m365/services/entra at prowler-cloud/prowler 3e000faa",
    source="https://hub.prowler.com/",
    controls=(
        Control(
            "entra_admin_portals_access_restriction",
            "Admin portals are reachable only by administrative roles",
            needs="the role assignments: only the directory shows that nobody but role holders is let through",
        ),
        Control("entra_all_apps_conditional_access_coverage", "Policies cover all resources", offline=True),
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
        Control(f"{PREFIX}all_apps_all_users", "Some policy targets all users and all resources", offline=True),
        Control(
            f"{PREFIX}app_enforced_restrictions",
            "Application enforced restrictions apply to unmanaged devices",
            offline=True,
        ),
        Control(f"{PREFIX}authentication_transfer_blocked", "Authentication transfer is blocked"),
        Control(f"{PREFIX}block_high_medium_sign_in_risk", "Medium and high risk sign-ins are blocked", offline=True),
        Control(
            f"{PREFIX}compliant_device_hybrid_joined_device_mfa_required",
            "A compliant device, a hybrid-joined device or MFA is required",
            offline=True,
        ),
        Control(
            f"{PREFIX}corporate_device_sign_in_frequency_enforced",
            "Unmanaged devices sign in again periodically",
            offline=True,
        ),
        Control(f"{PREFIX}device_code_flow_blocked", "The device code flow is blocked"),
        Control(
            f"{PREFIX}directory_sync_account_excluded",
            "Policies leave out the directory synchronization accounts",
            offline=True,
        ),
        Control(f"{PREFIX}explicitly_targets_azure_devops", "Some policy names Azure DevOps explicitly", offline=True),
        Control(
            f"{PREFIX}groups_management_restricted",
            "Groups used by policies are role-assignable or in a restricted management unit",
            needs="the groups' properties and administrative units",
        ),
        Control(f"{PREFIX}mdm_compliant_device_required", "A compliant device is required everywhere", offline=True),
        Control(
            f"{PREFIX}no_deleted_object_references",
            "Policies name no deleted user, group or role",
            needs="the directory objects the policies name",
        ),
        Control(f"{PREFIX}no_exclusion_gaps", "Everything a policy excludes is covered by another policy"),
        Control(f"{PREFIX}require_mfa_for_management_api", "Azure management requires MFA", offline=True),
        Control(f"{PREFIX}sign_in_frequency_all_users", "Every user signs in again periodically", offline=True),
        Control(f"{PREFIX}untrusted_locations_blocked", "Sign-ins from untrusted locations are blocked", offline=True),
        Control(
            "entra_conditional_access_trusted_named_location_exists",
            "A trusted named location of IP ranges exists",
            needs="the tenant's named locations",
        ),
        Control("entra_emergency_access_exclusion", "Policies leave out the emergency access accounts", offline=True),
        Control(
            "entra_idle_session_timeout_configured",
            "Idle web sessions are signed out after at most 3 hours",
            needs="the Microsoft 365 idle session timeout setting (activity-based timeout policy)",
        ),
        Control(
            "entra_intune_enrollment_sign_in_frequency_every_time",
            "Intune enrolment asks for a fresh strong sign-in every time",
            offline=True,
        ),
        Control("entra_legacy_authentication_blocked", "Legacy authentication is blocked"),
        Control(
            "entra_managed_device_required_for_mfa_registration",
            "MFA registration requires a managed device",
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
