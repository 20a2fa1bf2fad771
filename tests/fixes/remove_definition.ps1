$params = @{
    Definition            = @('{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"14.00:00:00"}}')
    DisplayName           = "Short MFA refresh"
    IsOrganizationDefault = $false
}
New-MgPolicyTokenLifetimePolicy -BodyParameter $params
