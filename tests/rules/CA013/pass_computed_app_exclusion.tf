# A module's policy: the excluded resources are an input that may well be empty. Counting "the resources
# var.excluded_applications names" as a gap would guess one.
resource "azuread_conditional_access_policy" "admins_mfa" {
  display_name = "Admins MFA"
  state        = "enabled"

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
      excluded_applications = var.excluded_applications
    }

    users {
      included_roles = ["62e90394-69f5-4237-9190-012177145e10", "e8611ab8-c189-46e8-94e1-60213ab1f814"]
      excluded_users = ["00000000-0000-0000-0000-0000000000bb"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}
