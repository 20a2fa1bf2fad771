Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'ApprovedApps'
        {
            DisplayName          = 'Approved apps on mobile'
            State                = 'enabled'
            IncludeApplications  = @('All')
            IncludeUsers         = @('All')
            ClientAppTypes       = @('all')
            IncludePlatforms     = @('android', 'iOS')
            BuiltInControls      = @('approvedApplication')
            GrantControlOperator = 'OR'
        }
    }
}
