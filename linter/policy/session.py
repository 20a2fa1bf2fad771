"""The session controls of one policy as rules read them: an enforced sign-in frequency, token protection."""

from __future__ import annotations

from typing import NamedTuple

from linter.model import Document, Unresolved
from linter.model.source import split_pointer
from linter.policy.values import lookup

__all__ = ["SignInFrequency", "sign_in_frequency", "token_protection"]

_SIGN_IN_FREQUENCY = split_pointer("/sessionControls/signInFrequency")
# Token protection is the `secureSignInSession` session control in Graph
# (https://learn.microsoft.com/graph/api/resources/securesigninsessioncontrol).
_SECURE_SIGN_IN_SESSION = split_pointer("/sessionControls/secureSignInSession")


class SignInFrequency(NamedTuple):
    """An enforced sign-in frequency session control."""

    every_time: bool
    value: int | str | None = None  # an Unresolved value keeps its source text
    unit: str | None = None  # "hours" or "days"

    def describe(self) -> str:
        if self.every_time:
            return "every time"
        if self.value is None:
            return "at a fixed interval"
        unit = self.unit or "hours"
        if self.value == 1 and not isinstance(self.value, str):
            return f"every {unit.rstrip('s')}"
        return f"every {self.value} {unit}"


def sign_in_frequency(policy: Document) -> SignInFrequency | bool | None:
    """The enforced sign-in frequency; False when none is enforced, None when a computed value decides it."""
    data = policy.data
    if type(data) is dict and data.get("sessionControls") is None:
        return False  # the usual answer: most policies have no session controls
    control = lookup(data, _SIGN_IN_FREQUENCY)
    if isinstance(control, Unresolved):
        return None
    if not isinstance(control, dict):
        return False
    enabled = control.get("isEnabled")
    interval = control.get("frequencyInterval")
    amount = control.get("value")
    if isinstance(enabled, Unresolved) or isinstance(interval, Unresolved):
        return None
    # Hand-written files often omit isEnabled; Graph itself always sends it.
    if enabled is False or (enabled is None and amount is None and interval != "everyTime"):
        return False
    if interval == "everyTime":
        return SignInFrequency(every_time=True)
    unit = control.get("type")
    return SignInFrequency(
        every_time=False,
        value=amount if isinstance(amount, (int, str)) and not isinstance(amount, bool) else None,
        unit=unit if isinstance(unit, str) else None,
    )


def token_protection(policy: Document) -> bool | None:
    """Does the policy require token protection (`secureSignInSession`)? None when a computed value decides it."""
    data = policy.data
    if type(data) is dict and data.get("sessionControls") is None:
        return False
    control = lookup(data, _SECURE_SIGN_IN_SESSION)
    if isinstance(control, Unresolved):
        return None
    if not isinstance(control, dict):
        return False
    enabled = control.get("isEnabled")
    if isinstance(enabled, Unresolved):
        return None
    # Graph always sends isEnabled; a hand-written control without it is read as meant, like signInFrequency.
    return enabled is not False
