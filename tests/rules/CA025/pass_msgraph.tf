resource "msgraph_resource" "token_protection" {
  url         = "identity/conditionalAccess/policies"
  api_version = "beta"
  body = jsonencode({
    displayName = "Token protection"
    state       = "enabled"
    conditions = {
      clientAppTypes = ["mobileAppsAndDesktopClients"]
      applications = {
        includeApplications = [
          "00000002-0000-0ff1-ce00-000000000000",
          "00000003-0000-0ff1-ce00-000000000000",
          "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
        ]
      }
      users     = { includeUsers = ["All"], excludeUsers = ["8d6b3c0e-0000-4000-8000-000000000001"] }
      platforms = { includePlatforms = ["windows"] }
      devices = {
        deviceFilter = { mode = "exclude", rule = "device.systemLabels -eq \"CloudPC\" -and device.trustType -eq \"AzureAD\"" }
      }
    }
    sessionControls = { secureSignInSession = { isEnabled = true } }
  })
}
