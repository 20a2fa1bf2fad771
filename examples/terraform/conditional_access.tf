# Conditional Access for the finance department, managed with the azuread provider.

variable "finance_policy_state" {
  type    = string
  default = "enabled"
}

variable "break_glass_group_id" {
  type        = string
  description = "Object id of the emergency-access group, excluded from every policy."
  default     = "7a1d2c3b-4e5f-4a6b-9c8d-2e3f4a5b6c7d"
}

resource "azuread_group" "finance" {
  display_name     = "Finance"
  security_enabled = true
}

resource "azuread_named_location" "head_office" {
  display_name = "Head office"
  ip {
    ip_ranges = ["203.0.113.0/24", "198.51.100.16/28"]
    trusted   = true
  }
}

resource "azuread_conditional_access_policy" "finance_compliant_device" {
  display_name = "CA009 - Finance - Office 365 - Require compliant device outside head office"
  state        = var.finance_policy_state

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["Office365"]
    }

    users {
      included_groups = [azuread_group.finance.object_id]
      excluded_groups = [var.break_glass_group_id]
    }

    locations {
      included_locations = ["All"]
      excluded_locations = [azuread_named_location.head_office.id]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["compliantDevice", "domainJoinedDevice"]
  }
}

resource "azuread_conditional_access_policy" "block_device_code_everywhere" {
  display_name = "CA010 - All users - All apps - Block device code flow"
  state        = "enabled"

  conditions {
    client_app_types                     = ["all"]
    authentication_flow_transfer_methods = ["deviceCodeFlow"]

    applications {
      included_applications = ["All"]
    }

    users {
      included_users  = ["All"]
      excluded_groups = [var.break_glass_group_id]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["block"]
  }
}
