# Microsoft365DSC written by hand: MFA for mail and for Power Automate, applications named, not given by id.
Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'MfaForMailAndFlows'
        {
            DisplayName         = 'MFA for mail and flows'
            State               = 'enabled'
            IncludeApplications = @('Office 365 Exchange Online', 'Office 365 SharePoint Online', 'Microsoft Flow Service', 'Microsoft Flow Portal')
            IncludeUsers        = @('All')
            ClientAppTypes      = @('all')
            GrantControlOperator = 'OR'
            BuiltInControls     = @('Mfa')
        }
    }
}
