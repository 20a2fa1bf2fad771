Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'RegisterSecurityInfo'
        {
            DisplayName          = 'MFA to register security info'
            State                = 'enabledForReportingButNotEnforced'
            IncludeUserActions   = @('urn:user:registersecurityinfo')
            IncludeUsers         = @('All')
            ClientAppTypes       = @('all')
            BuiltInControls      = @('mfa')
            GrantControlOperator = 'OR'
        }
    }
}
