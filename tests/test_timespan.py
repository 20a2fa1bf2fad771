"""linter.policy.timespan: parsing, ordering and describing token lifetime timespans."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linter.policy.timespan import UNTIL_REVOKED, Lifetime, TimespanError, describe, out_of_range, parse_lifetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14.00:00:00", timedelta(days=14)),
        ("00:10:00", timedelta(minutes=10)),
        ("1:30:00", timedelta(hours=1, minutes=30)),
        ("365.23:59:59", timedelta(days=365, hours=23, minutes=59, seconds=59)),
        ("00:10:00.5", timedelta(minutes=10, microseconds=500000)),
        ("00:00:01.1234567", timedelta(seconds=1, microseconds=123456)),
    ],
)
def test_parses_fixed_timespans(text: str, expected: timedelta) -> None:
    assert parse_lifetime(text) == Lifetime(expected)


@pytest.mark.parametrize("text", ["until-revoked", "Until-Revoked", "UNTIL-REVOKED"])
def test_until_revoked_in_any_case(text: str) -> None:
    lifetime = parse_lifetime(text)
    assert lifetime is UNTIL_REVOKED or lifetime == UNTIL_REVOKED
    assert lifetime.until_revoked
    assert str(lifetime) == "until-revoked"


@pytest.mark.parametrize(
    ("text", "offset", "words"),
    [
        ("14 days", 2, "[d.]hh:mm:ss"),
        ("P14D", 0, "[d.]hh:mm:ss"),
        ("90:00:00:00", 8, "[d.]hh:mm:ss"),
        ("1.02:03:04.x", 11, "[d.]hh:mm:ss"),
        ("1.24:00:00", 2, "hours must be below 24"),
        ("0.00:61:00", 5, "minutes must be below 60"),
        ("00:00:60", 6, "seconds must be below 60"),
        ("14.00:00", 7, "[d.]hh:mm:ss"),
        ("", 0, "[d.]hh:mm:ss"),
        ("until revoked", 0, "[d.]hh:mm:ss"),
    ],
)
def test_malformed_timespans_say_where(text: str, offset: int, words: str) -> None:
    with pytest.raises(TimespanError) as raised:
        parse_lifetime(text)
    assert raised.value.offset == offset
    assert words in str(raised.value)
    assert repr(text) in str(raised.value)


def test_until_revoked_is_longer_than_any_duration() -> None:
    year = Lifetime(timedelta(days=365))
    forever = parse_lifetime("until-revoked")
    assert year < forever
    assert not forever < year
    assert not forever < Lifetime(None)
    assert forever >= year
    assert forever == UNTIL_REVOKED
    assert sorted([UNTIL_REVOKED, year, Lifetime(timedelta(minutes=10))]) == [
        Lifetime(timedelta(minutes=10)),
        year,
        UNTIL_REVOKED,
    ]


def test_comparing_with_other_types_is_not_supported() -> None:
    with pytest.raises(TypeError):
        assert Lifetime(timedelta(days=1)) < timedelta(days=2)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (timedelta(days=14), "14 days"),
        (timedelta(days=1, hours=12), "1 day 12 hours"),
        (timedelta(minutes=30), "30 minutes"),
        (timedelta(hours=1, seconds=1), "1 hour 1 second"),
        (timedelta(0), "0 seconds"),
    ],
)
def test_describe(duration: timedelta, words: str) -> None:
    assert describe(duration) == words
    assert str(Lifetime(duration)) == words


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "AccessTokenLifetime",
            "00:09:59",
            "AccessTokenLifetime must be between 10 minutes and 1 day, not 9 minutes 59 seconds",
        ),
        (
            "AccessTokenLifetime",
            "1.00:00:01",
            "AccessTokenLifetime must be between 10 minutes and 1 day, not 1 day 1 second",
        ),
        ("AccessTokenLifetime", "until-revoked", "must be between 10 minutes and 1 day, not until-revoked"),
        ("MaxInactiveTime", "90.00:00:01", "MaxInactiveTime must be between 10 minutes and 90 days"),
        (
            "MaxInactiveTime",
            "until-revoked",
            "MaxInactiveTime must be between 10 minutes and 90 days, not until-revoked",
        ),
        ("MaxAgeMultiFactor", "365.00:00:01", "MaxAgeMultiFactor takes at most 365 days as a fixed value"),
        ("MaxAgeSessionSingleFactor", "00:05:00", "between 10 minutes and until-revoked, not 5 minutes"),
        ("AccessTokenLifetime", "00:10:00", None),
        ("AccessTokenLifetime", "1.00:00:00", None),
        ("MaxInactiveTime", "90.00:00:00", None),
        ("MaxAgeSingleFactor", "365.00:00:00", None),
        ("MaxAgeSessionMultiFactor", "until-revoked", None),
    ],
)
def test_documented_ranges(name: str, text: str, problem: str | None) -> None:
    found = out_of_range(name, parse_lifetime(text))
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_absurdly_long_timespans_are_errors_not_crashes() -> None:
    with pytest.raises(TimespanError) as raised:
        parse_lifetime("9999999999.00:00:00")
    assert "longer than any timespan" in str(raised.value)
    assert raised.value.offset == 0
