"""The rules of one run: loaded, selected, configured and validated against their declared options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linter.engine.config import Config, ConfigError
from linter.engine.registry import RuleLoadError, load_rules, select_codes
from linter.policy.timespan import TimespanError, parse_lifetime
from linter.rule import DocumentRule, Level, Rule, RuleOption

__all__ = ["RuleSet", "build_ruleset", "check_option"]


class RuleSet:
    """The enabled rules of a run, instantiated with their options."""

    __slots__ = ("available", "document_rules", "levels", "rules")

    def __init__(
        self, rules: Mapping[str, Rule], levels: Mapping[str, Level], available: Mapping[str, type[Rule]]
    ) -> None:
        self.rules = rules
        self.levels = levels
        self.available = available
        # For each kind (and SOURCE_FILE), the document rules that check it, with their levels, in run order.
        by_kind: dict[str, list[tuple[DocumentRule, Level]]] = {}
        for code, rule in rules.items():
            if isinstance(rule, DocumentRule):
                for kind in sorted(rule.kinds):
                    by_kind.setdefault(kind, []).append((rule, levels[code]))
        self.document_rules: Mapping[str, tuple[tuple[DocumentRule, Level], ...]] = {
            kind: tuple(pairs) for kind, pairs in by_kind.items()
        }


def _is_timespan(value: str) -> bool:
    try:
        parse_lifetime(value)
    except TimespanError:
        return False
    return True


def check_option(code: str, option: RuleOption, value: Any) -> Any:
    """The value if it has the option's declared type; otherwise a ConfigError that says what is allowed."""
    kind = option.type
    valid = (
        (kind == "string" and isinstance(value, str))
        or (kind == "integer" and isinstance(value, int) and not isinstance(value, bool))
        or (kind == "boolean" and isinstance(value, bool))
        or (kind == "string-list" and isinstance(value, list) and all(isinstance(item, str) for item in value))
        or (kind == "timespan" and isinstance(value, str) and _is_timespan(value))
    )
    if not valid:
        expected = {
            "string-list": "a list of strings",
            "timespan": 'a timespan such as "90.00:00:00" or "until-revoked"',
        }.get(kind, f"a {kind}")
        raise ConfigError(f"rules.{code}.{option.name} must be {expected}, not {value!r}")
    return tuple(value) if kind == "string-list" else value


def build_ruleset(config: Config) -> RuleSet:
    """Load every rule, keep the selected ones, and give them their configured options."""
    try:
        available = load_rules(config.rules_dirs)
    except RuleLoadError as error:
        raise ConfigError(str(error)) from None
    for code, settings in config.rule_options.items():
        if code not in available:
            raise ConfigError(f"rules.{code}: no rule has that id (see `entralint rules`)")
        declared = {option.name: option for option in available[code].options}
        for name in settings:
            if name not in declared:
                allowed = ", ".join(sorted(declared)) or "none"
                raise ConfigError(f"rules.{code}: unknown option {name!r}; options of {code}: {allowed}")
    for prefix in (*(config.select or ()), *config.extend_select, *config.ignore):
        if prefix != "ALL" and not any(code.startswith(prefix) for code in available):
            raise ConfigError(f"selector {prefix!r} matches no rule (see `entralint rules`)")
    enabled = select_codes(available, config.select, config.extend_select, config.ignore)
    rules: dict[str, Rule] = {}
    for code in enabled:
        rule_class = available[code]
        declared = {option.name: option for option in rule_class.options}
        settings = {
            name: check_option(code, declared[name], value) for name, value in config.rule_options.get(code, {}).items()
        }
        rules[code] = rule_class(settings)
    return RuleSet(rules, {code: rule.level for code, rule in rules.items()}, available)
