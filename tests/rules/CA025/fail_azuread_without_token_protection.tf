# The azuread provider has no token protection argument: a sign-in frequency is not token protection.
resource "azuread_conditional_access_policy" "office_sessions" {
  display_name = "Office sessions"
  state        = "enabled"

  conditions {
    client_app_types = ["mobileAppsAndDesktopClients"]

    applications {
      included_applications = ["Office365"]
    }

    users {
      included_users = ["All"]
    }

    platforms {
      included_platforms = ["windows"]
    }
  }

  session_controls {
    sign_in_frequency        = 12
    sign_in_frequency_period = "hours"
  }
}
