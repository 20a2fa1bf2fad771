# The controls come from a variable: whether they need a managed device is unknown, so no gap is claimed.
variable "managed_device_controls" {
  type = list(string)
}

resource "azuread_conditional_access_policy" "managed_device" {
  display_name = "Require a managed device"
  state        = "enabled"

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
    }

    users {
      included_users = ["All"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = var.managed_device_controls
  }
}
