resource "azuread_conditional_access_policy" "device_registration" {
  display_name = "MFA for device registration on Windows"
  state        = "enabled"

  conditions {
    client_app_types = ["all"]

    applications {
      included_user_actions = ["urn:user:registerdevice"]
    }

    platforms {
      included_platforms = ["windows"]
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
