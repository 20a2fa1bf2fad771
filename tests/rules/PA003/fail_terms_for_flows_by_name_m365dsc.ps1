# Microsoft365DSC written by hand: the Flow service named, not given by id.
Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'TermsForFlows'
        {
            DisplayName         = 'Accept terms for Power Automate'
            State               = 'Enabled'
            IncludeApplications = @('Microsoft Flow Service')
            IncludeUsers        = 'All'
            ClientAppTypes      = 'All'
            GrantControlOperator = 'or'
            TermsOfUse          = 'tou-1'
            Ensure              = 'Present'
        }
    }
}
