resource "microsoft365_graph_beta_applications_token_lifetime_policy" "flow_breaker" {
  display_name = "Short multi-factor refresh"

  definition = [
    "{\"TokenLifetimePolicy\":{\"Version\":1,\"MaxAgeMultiFactor\":\"30.00:00:00\"}}"
  ]

  is_organization_default = false
}

resource "microsoft365_graph_beta_applications_token_lifetime_policy" "encoded" {
  display_name = "Encoded"
  definition = [jsonencode({
    TokenLifetimePolicy = { Version = 1, MaxAgeMultiFactor = "until-revoked" }
  })]
  is_organization_default = false
}
