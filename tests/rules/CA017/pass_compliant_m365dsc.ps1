Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'Registration'
        {
            DisplayName          = 'Security info registration - managed device'
            State                = 'Enabled'
            IncludeUserActions   = @('urn:user:registersecurityinfo')
            IncludeUsers         = @('All')
            GrantControlOperator = 'OR'
            BuiltInControls      = @('compliantDevice', 'domainJoinedDevice')
            Ensure               = 'Present'
        }
    }
}
