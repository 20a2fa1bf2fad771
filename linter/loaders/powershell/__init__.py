"""PowerShell scripts that create or update policies (Microsoft Graph and AzureAD cmdlets)."""
