resource "azuread_conditional_access_policy" "unknown_platforms" {
  display_name = "Block unsupported platforms"
  state        = "enabledForReportingButNotEnforced"

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
    }

    users {
      included_users = ["All"]
    }

    platforms {
      included_platforms = ["all"]
      excluded_platforms = ["android", "iOS", "windows", "macOS"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["block"]
  }
}
