# Microsoft365DSC written by hand: sign-in frequency on all resources but Power Automate, named, not given by id.
Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'SignInEvery8Hours'
        {
            DisplayName              = 'Sign in every 8 hours'
            State                    = 'enabled'
            IncludeApplications      = @('All')
            ExcludeApplications      = @('Microsoft Flow Service', 'Microsoft Flow Portal')
            IncludeUsers             = @('All')
            ClientAppTypes           = @('all')
            SignInFrequencyIsEnabled = $true
            SignInFrequencyType      = 'Hours'
            SignInFrequencyValue     = 8
            SignInFrequencyInterval  = 'timeBased'
        }
    }
}
