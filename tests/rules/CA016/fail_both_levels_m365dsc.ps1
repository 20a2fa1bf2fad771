Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'Risk'
        {
            DisplayName          = 'Risk - MFA'
            State                = 'Enabled'
            IncludeApplications  = @('All')
            IncludeUsers         = @('All')
            UserRiskLevels       = @('high')
            SignInRiskLevels     = @('high')
            GrantControlOperator = 'OR'
            BuiltInControls      = @('mfa')
            Ensure               = 'Present'
        }
    }
}
