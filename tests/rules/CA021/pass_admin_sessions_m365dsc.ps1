# Microsoft365DSC, as Export-M365DSCConfiguration writes it: every property present, mixed-case values.
Configuration M365TenantConfig
{
    param ()

    $OrganizationName = $ConfigurationData.NonNodeData.OrganizationName

    Import-DscResource -ModuleName 'Microsoft365DSC' -ModuleVersion '1.24.1016.1'

    Node localhost
    {
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-Admin sessions"
        {
            ApplicationEnforcedRestrictionsIsEnabled = $False;
            ApplicationId                            = $ConfigurationData.NonNodeData.ApplicationId;
            BuiltInControls                          = @();
            CertificateThumbprint                    = $ConfigurationData.NonNodeData.CertificateThumbprint;
            ClientAppTypes                           = @("all");
            CloudAppSecurityIsEnabled                = $False;
            CloudAppSecurityType                     = "";
            CustomAuthenticationFactors              = @();
            DeviceFilterRule                         = "";
            DisplayName                              = "Admin sessions";
            Ensure                                   = "Present";
            ExcludeApplications                      = @();
            ExcludeGroups                            = @();
            ExcludeLocations                         = @();
            ExcludePlatforms                         = @();
            ExcludeRoles                             = @();
            ExcludeUsers                             = @("00000000-0000-0000-0000-0000000000bb");
            GrantControlOperator                     = "OR";
            Id                                       = "2b31ac51-0000-4000-8000-00000000dc02";
            IncludeApplications                      = @("All");
            IncludeGroups                            = @();
            IncludeLocations                         = @();
            IncludePlatforms                         = @();
            IncludeRoles                             = @("Global Administrator", "Privileged Role Administrator");
            IncludeUserActions                       = @();
            IncludeUsers                             = @();
            PersistentBrowserIsEnabled               = $True;
            PersistentBrowserMode                    = "never";
            SignInFrequencyIsEnabled                 = $True;
            SignInFrequencyType                      = "Hours";
            SignInFrequencyValue                     = 4;
            SignInRiskLevels                         = @();
            State                                    = "enabled";
            TenantId                                 = $OrganizationName;
            AuthenticationStrength                   = "Phishing-resistant MFA";
            TermsOfUse                               = "";
            TransferMethods                          = "";
            UserRiskLevels                           = @();
        }
    }
}

M365TenantConfig -ConfigurationData .\ConfigurationData.psd1
