"""IN002: values that break the Graph schema of their kind."""

from __future__ import annotations

from linter.rule import Level, LoadProblemRule


class SchemaViolation(LoadProblemRule):
    """
    ## What it checks
    A policy value of the wrong type, an unknown enum value (`state: enable`), an unknown
    property, or a missing required one, checked against the JSON Schemas in `schemas/` for
    Conditional Access policies, named locations, authentication strengths, token lifetime
    policies and the MFA service settings document.

    ## Why it matters
    Graph rejects the request (`400 Bad Request`) when the pipeline deploys it, or — for
    properties it ignores — silently drops the setting, so the tenant does not enforce what the
    repository says. entralint removes the offending value before other rules run, so they never
    reason about malformed data. Past 100 problems in one object or array (thousands of unknown
    keys, an array of wrong items), one more finding at that object or array counts the rest,
    which are removed all the same: the run fails, and memory follows the input, not the findings.

    ## Example
    ```json
    {"displayName": "Require MFA", "state": "enable", "conditions": {}, "grantControls": {}}
    ```

    ## How to fix
    Use the value or type the message names, for example `"state": "enabled"` in Graph JSON or
    `state = "enabled"` in Terraform.

    ## References
    - https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy
    - https://learn.microsoft.com/graph/api/resources/tokenlifetimepolicy
    """

    code = "IN002"
    name = "schema-violation"
    summary = "A value breaks the schema of its policy kind"
    level = Level.ERROR
    tags = ("input",)
