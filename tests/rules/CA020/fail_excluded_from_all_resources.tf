resource "azuread_conditional_access_policy" "mfa" {
  display_name = "All users MFA"
  state        = "enabled"

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
      excluded_applications = ["797f4846-ba00-4fd7-ba43-dac1f8f63013"]
    }

    users {
      included_users = ["All"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}
