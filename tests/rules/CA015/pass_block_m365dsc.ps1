# Microsoft365DSC: block high, MFA for medium, in two resources.
Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'HighSignInRisk'
        {
            DisplayName          = 'High sign-in risk - block'
            State                = 'Enabled'
            IncludeApplications  = @('All')
            IncludeUsers         = @('All')
            SignInRiskLevels     = @('high')
            GrantControlOperator = 'OR'
            BuiltInControls      = @('block')
            Ensure               = 'Present'
        }
        AADConditionalAccessPolicy 'MediumSignInRisk'
        {
            DisplayName          = 'Medium sign-in risk - MFA'
            State                = 'Enabled'
            IncludeApplications  = @('All')
            IncludeUsers         = @('All')
            SignInRiskLevels     = @('medium')
            GrantControlOperator = 'OR'
            BuiltInControls      = @('mfa')
            Ensure               = 'Present'
        }
    }
}
