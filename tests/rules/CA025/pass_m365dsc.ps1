# Microsoft365DSC: Microsoft's token protection policy.
Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'TokenProtection'
        {
            DisplayName                  = 'Token protection'
            State                        = 'enabled'
            IncludeApplications          = @('00000002-0000-0ff1-ce00-000000000000', '00000003-0000-0ff1-ce00-000000000000', 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe')
            IncludeUsers                 = @('All')
            ExcludeUsers                 = @('8d6b3c0e-0000-4000-8000-000000000001')
            ClientAppTypes               = @('mobileAppsAndDesktopClients')
            IncludePlatforms             = @('windows')
            SecureSignInSessionIsEnabled = $true
        }
    }
}
