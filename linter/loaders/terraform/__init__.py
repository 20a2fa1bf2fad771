"""Terraform resources (azuread, msgraph, microsoft365) in Graph vocabulary, from HCL or JSON."""
