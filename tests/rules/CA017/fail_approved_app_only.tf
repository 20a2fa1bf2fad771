resource "azuread_conditional_access_policy" "registration" {
  display_name = "Security info registration - terms of use"
  state        = "enabled"

  conditions {
    client_app_types = ["all"]

    applications {
      included_user_actions = ["urn:user:registersecurityinfo"]
    }

    users {
      included_users = ["All"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa", "approvedApplication"]
  }
}
