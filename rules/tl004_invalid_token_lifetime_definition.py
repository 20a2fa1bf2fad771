"""TL004: a token lifetime definition string that Entra ID cannot use."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from linter.model import TOKEN_LIFETIME_POLICY, Document, ParsedDefinition
from linter.model.jsonscan import json_string_offsets, scan_json
from linter.model.source import join_pointer
from linter.policy.timespan import LIFETIME_RANGES, TimespanError, out_of_range, parse_lifetime
from linter.rule import DocumentRule, Level, Violation

POLICY_KEY = "TokenLifetimePolicy"
KNOWN_PROPERTIES = ("Version", *LIFETIME_RANGES)


class InvalidTokenLifetimeDefinition(DocumentRule):
    """
    ## What it checks
    Every `definition` string of a token lifetime policy: it must be valid JSON holding one
    `TokenLifetimePolicy` object with `"Version": 1`, only the documented properties
    (`AccessTokenLifetime`, `MaxInactiveTime`, `MaxAgeSingleFactor`, `MaxAgeMultiFactor`,
    `MaxAgeSessionSingleFactor`, `MaxAgeSessionMultiFactor`), each a timespan `[d.]hh:mm:ss` or
    `until-revoked` within its documented range: `AccessTokenLifetime` 10 minutes to 1 day,
    `MaxInactiveTime` 10 minutes to 90 days, the others 10 minutes to `until-revoked` with fixed
    values of at most 365 days. The finding points at the offending character inside the string.

    ## Why it matters
    Microsoft Graph rejects such a definition (`400 Bad Request`, "Property definition has an
    invalid value"), so the deployment fails and the policy the file describes never exists; or
    the old policy stays in force. The Power Automate support article's own `Set-AzureADPolicy`
    example ends in `}}}}`: two stray braces make it invalid JSON, and whoever pastes it keeps
    the short `MaxAgeMultiFactor` whose expiry breaks flow connections with `AADSTS50076`.

    ## Example
    ```powershell
    $definition = '{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"until-revoked",' +
        '"MaxAgeSessionMultiFactor":"14.00:00:00"}}}}'
    Set-AzureADPolicy -Id $policyId -DisplayName "Default" -Definition @($definition)
    ```

    ## How to fix
    Write the definition as one JSON object: Graph JSON
    `"definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"AccessTokenLifetime\\":\\"02:00:00\\"}}"]`.
    In Terraform, build the string with `jsonencode({ TokenLifetimePolicy = { Version = 1,
    AccessTokenLifetime = "02:00:00" } })` in `definition` of the
    `microsoft365_graph_beta_applications_token_lifetime_policy` resource, which cannot produce
    invalid JSON; in PowerShell, pass the same string to `New-MgPolicyTokenLifetimePolicy` or
    `Update-MgPolicyTokenLifetimePolicy -Definition`.

    ## References
    - https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes
    - https://learn.microsoft.com/graph/api/resources/tokenlifetimepolicy
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow
    """

    code = "TL004"
    name = "invalid-token-lifetime-definition"
    summary = "A token lifetime definition is not valid JSON or breaks the documented format or ranges"
    level = Level.ERROR
    kinds = frozenset({TOKEN_LIFETIME_POLICY})
    tags = ("token-lifetime", "correctness")

    def check(self, document: Document) -> Iterator[Violation]:
        for definition in document.definitions:
            base = f"/definition/{definition.array_index}"
            if definition.value is None:
                yield self._at_character(document, definition, base, definition.error_offset)
                continue
            yield from self._check_object(document, definition.array_index, definition.value, base)

    def _at_character(self, document: Document, definition: ParsedDefinition, base: str, offset: int) -> Violation:
        text = document.get(base)
        text = text if isinstance(text, str) else ""
        reason = (definition.error or "invalid JSON").removeprefix("invalid JSON: ")
        if reason == "Extra data":
            reason = "text after the end of the JSON object"
        found = f" {text[offset]!r}" if 0 <= offset < len(text) else ""
        message = f"definition {definition.array_index} is not valid JSON: {reason} at character {offset + 1}{found}"
        return Violation(self.code, message, document, base, string_offset=offset)

    def _check_object(self, document: Document, index: int, value: Mapping[str, Any], base: str) -> Iterator[Violation]:
        for key in value:
            if key != POLICY_KEY:
                yield self._unknown(document, index, join_pointer(base, key), key, (POLICY_KEY,))
        policy = value.get(POLICY_KEY)
        if policy is None and not any(key.lower() == POLICY_KEY.lower() for key in value):
            yield self.violation(document, f"definition {index} has no {POLICY_KEY} object", base, string_offset=0)
            return
        pointer = join_pointer(base, POLICY_KEY)
        if policy is None:
            return  # a misspelt TokenLifetimePolicy key, reported above with the right spelling
        if not isinstance(policy, Mapping):
            yield self.violation(document, f"definition {index}: {POLICY_KEY} must be an object", pointer)
            return
        version = policy.get("Version")
        if "Version" not in policy:
            yield self.violation(document, f'definition {index}: {POLICY_KEY} has no "Version": 1', pointer)
        elif version != 1 or not isinstance(version, int) or isinstance(version, bool):
            yield self.violation(
                document, f"definition {index}: Version must be 1, not {version!r}", join_pointer(pointer, "Version")
            )
        for key, setting in policy.items():
            if key == "Version":
                continue
            if key not in LIFETIME_RANGES:
                yield self._unknown(document, index, join_pointer(pointer, key), key, KNOWN_PROPERTIES)
                continue
            yield from self._check_timespan(document, index, base, key, setting)

    def _unknown(self, document: Document, index: int, pointer: str, key: str, known: tuple[str, ...]) -> Violation:
        import difflib  # only a definition with an unknown property pays for it

        folded = {name.lower(): name for name in known}
        close = folded.get(key.lower()) or next(iter(difflib.get_close_matches(key, known, 1)), None)
        hint = f" (did you mean {close!r}?)" if close else f"; known: {', '.join(known)}"
        return self.violation(document, f"definition {index}: unknown property {key!r}{hint}", pointer + "#key")

    def _check_timespan(self, document: Document, index: int, base: str, key: str, setting: Any) -> Iterator[Violation]:
        inner_pointer = join_pointer("", POLICY_KEY, key)
        pointer = base + inner_pointer
        if not isinstance(setting, str):
            yield self.violation(
                document,
                f'definition {index}: {key} must be a timespan string such as "90.00:00:00" or "until-revoked", '
                f"not {setting!r}",
                pointer,
            )
            return
        try:
            lifetime = parse_lifetime(setting)
        except TimespanError as error:
            yield self.violation(
                document,
                f"definition {index}: {key} {error}",
                base,
                string_offset=_offset_in_definition(document.get(base), inner_pointer, error.offset),
            )
            return
        problem = out_of_range(key, lifetime)
        if problem is not None:
            yield self.violation(document, f"definition {index}: {problem}", pointer)


def _offset_in_definition(text: Any, inner_pointer: str, offset: int) -> int:
    """The character of the definition string at `offset` within the JSON string value at inner_pointer."""
    if not isinstance(text, str):
        return 0
    for pointer, start, end in scan_json(text):
        if pointer == inner_pointer:
            return json_string_offsets(text, start, end)[1][offset]
    return 0
