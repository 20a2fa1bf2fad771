Configuration ConditionalAccess
{
    Import-DscResource -ModuleName Microsoft365DSC

    Node localhost
    {
        AADConditionalAccessPolicy 'GuestsMfa'
        {
            DisplayName                          = 'MFA for every guest type'
            State                                = 'Enabled'
            IncludeApplications                  = @('All')
            IncludeGuestOrExternalUserTypes      = @('internalGuest','b2bCollaborationGuest','b2bCollaborationMember','b2bDirectConnectUser','otherExternalUser','serviceProvider')
            IncludeExternalTenantsMembershipKind = 'all'
            GrantControlOperator                 = 'OR'
            BuiltInControls                      = @('mfa')
            Ensure                               = 'Present'
        }
    }
}
