# Token lifetime policy for Power Automate connections, as KB 4467879 recommends:
# multi-factor refresh tokens never expire, web sessions last 14 days.
Connect-AzureAD

New-AzureADPolicy -Definition @('{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"until-revoked","MaxAgeSessionMultiFactor":"14.00:00:00"}}') `
    -DisplayName "DefaultPolicyScenario" -IsOrganizationDefault $true -Type "TokenLifetimePolicy"
