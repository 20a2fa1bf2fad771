# Microsoft365DSC: a block for high user risk, and risk remediation for medium.
Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'HighUserRiskBlock'
        {
            DisplayName          = 'High user risk - block'
            State                = 'Enabled'
            IncludeApplications  = @('All')
            IncludeUsers         = @('All')
            UserRiskLevels       = @('high')
            ClientAppTypes       = @('all')
            GrantControlOperator = 'OR'
            BuiltInControls      = @('block')
            Ensure               = 'Present'
        }
    }
}
