"""Token lifetime timespans: `[d.]hh:mm:ss` or `until-revoked`, parsed, compared and described."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import NamedTuple

from linter.model import Document

__all__ = [
    "LIFETIME_RANGES",
    "REFRESH_AND_SESSION_PROPERTIES",
    "UNTIL_REVOKED",
    "Lifetime",
    "TimespanError",
    "describe",
    "lifetime_settings",
    "out_of_range",
    "parse_lifetime",
]

UNTIL_REVOKED_TEXT = "until-revoked"
_MAX_DAYS = 10675199  # .NET TimeSpan.MaxValue.Days
# .NET TimeSpan's invariant format, which Entra parses: [d.]hh:mm:ss[.fffffff]. These two are compiled on
# first use (through re's cache): most runs read no token lifetime.
_TIMESPAN = r"(?:(?P<days>\d+)\.)?(?P<hours>\d{1,2}):(?P<minutes>\d{2}):(?P<seconds>\d{2})(?:\.(?P<fraction>\d{1,7}))?"
# The longest start of text that some timespan begins with: what follows it is the first bad character.
_SECONDS_PREFIX = r"(?::\d{0,2}(?::\d{0,2}(?:\.\d{0,7})?)?)?"
_TIMESPAN_PREFIX = rf"\d*(?:\.\d{{1,2}}{_SECONDS_PREFIX}|\.\d{{0,2}}|{_SECONDS_PREFIX})"


class TimespanError(ValueError):
    """Text that is not a timespan; `offset` is the character of the text the problem starts at."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


class Lifetime(NamedTuple):
    """A fixed duration, or `until-revoked` (duration None), which is longer than any duration."""

    duration: timedelta | None

    @property
    def until_revoked(self) -> bool:
        return self.duration is None

    # Ordered by length, not as tuples: None (until revoked) is the longest.
    def _length(self) -> tuple[bool, timedelta]:
        return self.duration is None, self.duration or timedelta(0)

    def __lt__(self, other: object) -> bool:
        return self._length() < other._length() if isinstance(other, Lifetime) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self._length() <= other._length() if isinstance(other, Lifetime) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self._length() > other._length() if isinstance(other, Lifetime) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self._length() >= other._length() if isinstance(other, Lifetime) else NotImplemented

    def __str__(self) -> str:
        return UNTIL_REVOKED_TEXT if self.duration is None else describe(self.duration)


UNTIL_REVOKED = Lifetime(None)


def parse_lifetime(text: str) -> Lifetime:
    """Parse `until-revoked` (any case) or a .NET-style `[d.]hh:mm:ss`; raise TimespanError otherwise."""
    if text.lower() == UNTIL_REVOKED_TEXT:
        return UNTIL_REVOKED
    match = re.fullmatch(_TIMESPAN, text)
    if match is None:
        raise TimespanError(
            f"{text!r} is not a timespan: write [d.]hh:mm:ss (as 90.00:00:00) or until-revoked",
            _first_bad_character(text),
        )
    for part, limit in (("hours", 24), ("minutes", 60), ("seconds", 60)):
        if int(match.group(part)) >= limit:
            raise TimespanError(
                f"{text!r} is not a timespan: {part} must be below {limit}, not {match.group(part)}",
                match.start(part),
            )
    if int(match.group("days") or 0) > _MAX_DAYS:
        raise TimespanError(f"{text!r} is longer than any timespan ({_MAX_DAYS} days at most)", match.start("days"))
    return Lifetime(
        timedelta(
            days=int(match.group("days") or 0),
            hours=int(match.group("hours")),
            minutes=int(match.group("minutes")),
            seconds=int(match.group("seconds")),
            microseconds=int((match.group("fraction") or "0").ljust(7, "0")[:6]),
        )
    )


def _first_bad_character(text: str) -> int:
    """Where `text` stops looking like `[d.]hh:mm:ss` (its last character when it is only cut short)."""
    prefix = re.match(_TIMESPAN_PREFIX, text)
    end = prefix.end() if prefix is not None else 0
    return min(end, max(len(text) - 1, 0))


def describe(duration: timedelta) -> str:
    """A duration in words for messages: `14 days`, `1 day 12 hours`, `30 minutes`."""
    seconds = int(duration.total_seconds())
    parts = []
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount} {unit}{'s' if amount != 1 else ''}")
    return " ".join(parts) or "0 seconds"


# What Entra ID accepts in a token lifetime definition, and which properties it has ignored since
# 30 January 2021 (refresh and session tokens):
# https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes
REFRESH_AND_SESSION_PROPERTIES = (
    "MaxInactiveTime",
    "MaxAgeSingleFactor",
    "MaxAgeMultiFactor",
    "MaxAgeSessionSingleFactor",
    "MaxAgeSessionMultiFactor",
)
_TEN_MINUTES = Lifetime(timedelta(minutes=10))
_MAX_EXPLICIT = timedelta(days=365)  # the longest fixed value the refresh/session properties take
LIFETIME_RANGES: dict[str, tuple[Lifetime, Lifetime]] = {
    "AccessTokenLifetime": (_TEN_MINUTES, Lifetime(timedelta(days=1))),
    "MaxInactiveTime": (_TEN_MINUTES, Lifetime(timedelta(days=90))),
    **dict.fromkeys(REFRESH_AND_SESSION_PROPERTIES[1:], (_TEN_MINUTES, UNTIL_REVOKED)),
}


def out_of_range(name: str, lifetime: Lifetime) -> str | None:
    """Why a well-formed value of definition property `name` is outside what Entra accepts, or None."""
    low, high = LIFETIME_RANGES[name]
    if lifetime < low or high < lifetime:
        return f"{name} must be between {low} and {high}, not {lifetime}"
    if lifetime.duration is not None and lifetime.duration > _MAX_EXPLICIT:
        return f"{name} takes at most 365 days as a fixed value (or until-revoked), not {lifetime}"
    return None


def lifetime_settings(document: Document, name: str) -> Iterator[tuple[str, str, Lifetime]]:
    """(pointer, text, lifetime) of each well-formed `name` in the document's parsed definitions.

    Malformed definitions and values are skipped: reporting them is TL004's job.
    """
    for definition in document.definitions:
        policy = definition.value.get("TokenLifetimePolicy") if definition.value is not None else None
        text = policy.get(name) if isinstance(policy, Mapping) else None
        if not isinstance(text, str):
            continue
        try:
            lifetime = parse_lifetime(text)
        except TimespanError:
            continue
        yield f"/definition/{definition.array_index}/TokenLifetimePolicy/{name}", text, lifetime
