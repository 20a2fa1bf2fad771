resource "azuread_conditional_access_policy" "register_device" {
  display_name = "MFA to register or join devices"
  state        = "enabled"

  conditions {
    client_app_types = ["all"]

    applications {
      included_user_actions = ["urn:user:registerdevice"]
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
