# Sign-in frequency is short enough, but the browser session persists.
resource "azuread_conditional_access_policy" "admin_sessions" {
  display_name = "Admin sessions"
  state        = "enabled"

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
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

  session_controls {
    sign_in_frequency        = 2
    sign_in_frequency_period = "hours"
    persistent_browser_mode  = "always"
  }
}
