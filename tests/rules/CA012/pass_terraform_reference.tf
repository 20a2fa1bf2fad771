resource "azuread_authentication_strength_policy" "admin_keys" {
  display_name         = "Admin keys"
  allowed_combinations = ["fido2", "windowsHelloForBusiness", "x509CertificateMultiFactor"]
}

resource "azuread_conditional_access_policy" "admins" {
  display_name = "Admin keys for everyone"
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
    operator                          = "OR"
    authentication_strength_policy_id = azuread_authentication_strength_policy.admin_keys.id
  }
}
