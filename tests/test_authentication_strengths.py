"""How strong an authentication strength is: one combination, and the strengths a tenant's files define."""

from __future__ import annotations

import pytest

from linter.loaders import load_text
from linter.model import Document
from linter.policy.authentication_strengths import (
    MFA,
    PASSWORDLESS_MFA,
    PHISHING_RESISTANT_MFA,
    Strength,
    StrengthCatalog,
    combination_strength,
    requires_strength,
)
from linter.policy.evaluate import Evaluator


def load(name: str, text: str) -> tuple[Document, ...]:
    result = load_text(name, text)
    assert result is not None and not result.problems, result
    return result.documents


@pytest.mark.parametrize(
    ("combination", "strength"),
    [
        ("fido2", Strength.PHISHING_RESISTANT),
        ("windowsHelloForBusiness", Strength.PHISHING_RESISTANT),
        ("x509CertificateMultiFactor", Strength.PHISHING_RESISTANT),
        (" FIDO2 ", Strength.PHISHING_RESISTANT),
        ("deviceBasedPush", Strength.MULTIFACTOR),
        ("temporaryAccessPassOneTime", Strength.MULTIFACTOR),
        ("federatedMultiFactor", Strength.MULTIFACTOR),
        ("password,microsoftAuthenticatorPush", Strength.MULTIFACTOR),
        ("password,sms", Strength.MULTIFACTOR),
        # A password beside a key: two factors, but the password half can be phished.
        ("password,fido2", Strength.MULTIFACTOR),
        ("password", Strength.SINGLE_FACTOR),
        ("sms", Strength.SINGLE_FACTOR),
        ("federatedSingleFactor", Strength.SINGLE_FACTOR),
        ("x509CertificateSingleFactor", Strength.SINGLE_FACTOR),
        ("somethingNew", None),
        ("", None),
        (" , ", None),
    ],
)
def test_combination_strength(combination: str, strength: Strength | None) -> None:
    assert combination_strength(combination) == strength


@pytest.mark.parametrize(
    ("reference", "strength"),
    [
        (MFA, Strength.MULTIFACTOR),
        (PASSWORDLESS_MFA, Strength.MULTIFACTOR),
        (PHISHING_RESISTANT_MFA, Strength.PHISHING_RESISTANT),
        ({"id": PHISHING_RESISTANT_MFA}, Strength.PHISHING_RESISTANT),
        (f"/policies/authenticationStrengthPolicies/{PHISHING_RESISTANT_MFA}", Strength.PHISHING_RESISTANT),
        ("Phishing-resistant MFA", Strength.PHISHING_RESISTANT),
        ("multifactor authentication", Strength.MULTIFACTOR),
        ("a strength no file defines", None),
        (None, None),
        ("", None),
    ],
)
def test_built_in_strengths_by_id_path_and_display_name(reference: object, strength: Strength | None) -> None:
    assert StrengthCatalog(()).strength(reference) == strength


GRAPH_STRENGTHS = """[
  {"@odata.type": "#microsoft.graph.authenticationStrengthPolicy", "id": "6d5f4b2a-0000-4000-8000-000000000001",
   "displayName": "Admin keys", "policyType": "custom",
   "allowedCombinations": ["fido2", "windowsHelloForBusiness"]},
  {"@odata.type": "#microsoft.graph.authenticationStrengthPolicy", "id": "6d5f4b2a-0000-4000-8000-000000000002",
   "displayName": "Keys or SMS", "policyType": "custom",
   "allowedCombinations": ["fido2", "password,sms"]},
  {"@odata.type": "#microsoft.graph.authenticationStrengthPolicy", "id": "6d5f4b2a-0000-4000-8000-000000000003",
   "displayName": "SMS alone", "policyType": "custom", "allowedCombinations": ["sms"]}
]
"""


def test_custom_strengths_by_id_and_by_display_name() -> None:
    catalog = StrengthCatalog(load("strengths.json", GRAPH_STRENGTHS))
    assert catalog.strength("6d5f4b2a-0000-4000-8000-000000000001") == Strength.PHISHING_RESISTANT
    assert catalog.strength("admin KEYS") == Strength.PHISHING_RESISTANT
    # The weakest combination decides: a user may satisfy the strength with it.
    assert catalog.strength({"displayName": "Keys or SMS"}) == Strength.MULTIFACTOR
    assert catalog.strength("SMS alone") == Strength.SINGLE_FACTOR


TERRAFORM = """
resource "azuread_authentication_strength_policy" "admin_keys" {
  display_name         = "Admin keys"
  allowed_combinations = ["fido2", "x509CertificateMultiFactor"]
}

resource "azuread_authentication_strength_policy" "push_or_sms" {
  display_name         = "Push or SMS"
  allowed_combinations = ["deviceBasedPush", "password,sms"]
}

resource "azuread_conditional_access_policy" "keys" {
  display_name = "Keys"
  state        = "enabled"
  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_users = ["All"]
    }
  }
  grant_controls {
    operator                          = "OR"
    authentication_strength_policy_id = azuread_authentication_strength_policy.admin_keys.id
  }
}

resource "azuread_conditional_access_policy" "push" {
  display_name = "Push"
  state        = "enabled"
  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_users = ["All"]
    }
  }
  grant_controls {
    operator                          = "OR"
    authentication_strength_policy_id = azuread_authentication_strength_policy.push_or_sms.id
  }
}

resource "azuread_conditional_access_policy" "elsewhere" {
  display_name = "Strength defined elsewhere"
  state        = "enabled"
  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_users = ["All"]
    }
  }
  grant_controls {
    operator                          = "OR"
    authentication_strength_policy_id = azuread_authentication_strength_policy.not_in_these_files.id
  }
}
"""


def test_custom_strengths_by_terraform_reference() -> None:
    documents = load("main.tf", TERRAFORM)
    catalog = StrengthCatalog(documents)
    policies = {policy.name: policy for policy in Evaluator(documents).policies}
    keys, push, elsewhere = policies["Keys"], policies["Push"], policies["Strength defined elsewhere"]
    assert requires_strength(keys, catalog, Strength.PHISHING_RESISTANT) is True
    assert requires_strength(push, catalog, Strength.MULTIFACTOR) is True
    assert requires_strength(push, catalog, Strength.PHISHING_RESISTANT) is False
    # A strength the files do not define may be strong enough: never a gap.
    assert requires_strength(elsewhere, catalog, Strength.PHISHING_RESISTANT) is None


def test_the_mfa_control_is_multifactor_but_not_phishing_resistant() -> None:
    documents = load(
        "policy.json",
        """{"displayName": "MFA", "state": "enabled",
            "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                           "clientAppTypes": ["all"]},
            "grantControls": {"operator": "OR", "builtInControls": ["mfa", "compliantDevice"]}}""",
    )
    (policy,) = Evaluator(documents).policies
    catalog = StrengthCatalog(documents)
    # `mfa OR compliantDevice` can be satisfied with a compliant device and a password.
    assert requires_strength(policy, catalog, Strength.MULTIFACTOR) is False
