Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'AllUsersMfa'
        {
            DisplayName          = 'All users MFA'
            State                = 'Enabled'
            IncludeApplications  = @('All')
            IncludeUsers         = @('All')
            GrantControlOperator = 'OR'
            BuiltInControls      = @('mfa')
            Ensure               = 'Present'
        }
    }
}
