# Microsoft365DSC: Microsoft's "block unknown or unsupported device platform" policy.
Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'BlockUnsupportedPlatforms'
        {
            DisplayName          = 'Block unsupported device platforms'
            State                = 'enabled'
            IncludeApplications  = @('All')
            IncludeUsers         = @('All')
            ExcludeUsers         = @('8d6b3c0e-0000-4000-8000-000000000001')
            ClientAppTypes       = @('all')
            IncludePlatforms     = @('all')
            ExcludePlatforms     = @('android', 'iOS', 'windows', 'macOS')
            BuiltInControls      = @('block')
            GrantControlOperator = 'OR'
        }
    }
}
