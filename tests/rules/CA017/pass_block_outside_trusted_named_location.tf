resource "azuread_named_location" "head_office" {
  display_name = "Head office"
  ip {
    ip_ranges = ["203.0.113.0/24"]
    trusted   = true
  }
}

resource "azuread_conditional_access_policy" "register_security_info_from_the_office" {
  display_name = "Register security info only from the head office"
  state        = "enabled"

  conditions {
    client_app_types = ["all"]

    applications {
      included_user_actions = ["urn:user:registersecurityinfo"]
    }

    users {
      included_users = ["All"]
    }

    locations {
      included_locations = ["All"]
      excluded_locations = [azuread_named_location.head_office.id]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["block"]
  }
}
