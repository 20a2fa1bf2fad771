"""What a loader returns, and the helpers every loader shares to say a file could not be read."""

from __future__ import annotations

import re
from typing import NamedTuple

from linter.model import Document, LoadProblem
from linter.model.source import Span

__all__ = ["LoadResult", "looks_like_policy", "parse_problem"]

# A file that fails to parse is reported only if it looks like it meant to hold a policy:
# a broken package.json is not ours to lint. Besides the object and resource names, the condition and
# control names only Conditional Access and token lifetime policies use: a policy file need not name its
# kind (a bare Graph object with a trailing comma says only `clientAppTypes` and `includeUsers`).
# Compiled on first use (through re's cache), which only a file that fails to parse has.
_POLICY_MARKERS = (
    r"conditionalAccess|conditions|grantControls|sessionControls|TokenLifetimePolicy|tokenLifetimePolicies"
    r"|mfaServiceSettings|azuread_conditional_access_policy|azuread_named_location"
    r"|azuread_authentication_strength_policy|msgraph_resource|microsoft365_graph_beta"
    r"|AzureADPolicy|MgPolicyTokenLifetimePolicy|namedLocation|ipRanges|countriesAndRegions"
    r"|clientAppTypes|builtInControls|signInRiskLevels|userRiskLevels|includeUserActions"
    r"|(?:include|exclude)(?:Users|Groups|Roles|Applications)\b|(?:included|excluded)_(?:users|groups|applications)"
    r"|MaxAge(?:Session)?(?:Single|Multi)Factor|MaxInactiveTime|AccessTokenLifetime"
)


class LoadResult(NamedTuple):
    """What a loader found in one file."""

    source_format: str
    documents: tuple[Document, ...] = ()
    problems: tuple[LoadProblem, ...] = ()
    # Objects the source declares but never creates (Terraform `count = 0`): shown by `inspect`, seen by no rule.
    absent: tuple[Document, ...] = ()
    # Objects of which the file sets only some properties, the rest defined elsewhere (`Document.partial`):
    # shown by `inspect`, seen by no rule, since no rule can judge a policy from a part of it.
    partial: tuple[Document, ...] = ()
    # (shown path, why) of files the loader chose not to read beside this one (a link out of the tree).
    notices: tuple[tuple[str, str], ...] = ()


def looks_like_policy(text: str) -> bool:
    return re.search(_POLICY_MARKERS, text, re.IGNORECASE) is not None


def parse_problem(source_format: str, message: str, span: Span) -> LoadResult:
    return LoadResult(source_format, problems=(LoadProblem("IN001", message, span),))
