# Token lifetimes for the line-of-business apps (community microsoft365 provider).
resource "microsoft365_graph_beta_applications_token_lifetime_policy" "lob_apps" {
  display_name            = "LOB apps - one hour access tokens"
  is_organization_default = false
  definition = [
    jsonencode({
      TokenLifetimePolicy = {
        Version             = 1
        AccessTokenLifetime = "01:00:00"
        MaxInactiveTime     = "30.00:00:00"
      }
    })
  ]
}
