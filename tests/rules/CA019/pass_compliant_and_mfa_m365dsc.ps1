# Microsoft365DSC: a compliant device AND MFA for everyone but the emergency access account.
Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'CompliantDeviceAndMfa'
        {
            DisplayName          = 'Compliant device and MFA'
            State                = 'enabled'
            IncludeApplications  = @('All')
            IncludeUsers         = @('All')
            ExcludeUsers         = @('8d6b3c0e-0000-4000-8000-000000000001')
            ClientAppTypes       = @('all')
            BuiltInControls      = @('compliantDevice', 'mfa')
            GrantControlOperator = 'AND'
        }
    }
}
