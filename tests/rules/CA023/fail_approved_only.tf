resource "azuread_conditional_access_policy" "mobile_apps" {
  display_name = "Approved apps on mobile"
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
      included_platforms = ["android", "iOS"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["approvedApplication"]
  }
}
