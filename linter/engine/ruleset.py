"""The rules of one run: loaded, selected, configured and validated against their declared options."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from linter.engine.config import ALLOW_CUSTOM_RULES_VARIABLE, Config, ConfigError
from linter.engine.registry import RuleLoadError, declared_entry_points, load_rules, select_codes
from linter.model.findings import Notification
from linter.policy.timespan import TimespanError, parse_lifetime
from linter.rule import DocumentRule, Level, Rule, RuleOption

__all__ = ["RuleSet", "build_ruleset", "check_option"]


class RuleSet:
    """The enabled rules of a run, instantiated with their options."""

    __slots__ = ("available", "document_rules", "levels", "notifications", "rules")

    def __init__(
        self,
        rules: Mapping[str, Rule],
        levels: Mapping[str, Level],
        available: Mapping[str, type[Rule]],
        notifications: tuple[Notification, ...] = (),
    ) -> None:
        self.rules = rules
        self.levels = levels
        self.available = available
        self.notifications = notifications  # said once per run: custom rules the run refused to load
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


def _refusal(config: Config, directories: list[Path], entry_points: list[str]) -> Notification:
    named = []
    if directories:
        from linter.engine.files import display_path

        where = display_path(str(config.source), Path.cwd()) if config.source is not None else "the configuration"
        named.append(f"{where} names rules-dirs {', '.join(str(directory) for directory in directories)}")
    if entry_points:
        named.append(f"installed packages declare entralint.rules entry points ({'; '.join(entry_points)})")
    return Notification(
        f"custom rules not loaded: {' and '.join(named)}. Custom rules are Python code and load only when the "
        f"person running entralint passes --allow-custom-rules or sets {ALLOW_CUSTOM_RULES_VARIABLE}=1; "
        "the built-in rules ran, and settings and selectors naming other rules were ignored"
    )


def _rule_sources(config: Config) -> tuple[tuple[Path, ...], bool, tuple[Notification, ...]]:
    """The rule directories to import, whether entry points load, and the notification of what was refused."""
    if config.allow_custom_rules:
        # dict.fromkeys: a directory named both in the config and on the command line is loaded once.
        return tuple(dict.fromkeys((*config.rules_dirs, *config.command_line_rules_dirs))), True, ()
    refused = [directory for directory in config.rules_dirs if directory not in config.command_line_rules_dirs]
    entry_points = declared_entry_points()
    notifications = (_refusal(config, refused, entry_points),) if refused or entry_points else ()
    return config.command_line_rules_dirs, False, notifications


def build_ruleset(config: Config) -> RuleSet:
    """Load the rules the person running entralint allows, keep the selected ones, and give them their options."""
    directories, entry_points, notifications = _rule_sources(config)
    try:
        available = load_rules(directories, entry_points=entry_points)
    except RuleLoadError as error:
        raise ConfigError(str(error)) from None
    # Without the custom rules it refused, the configuration may name codes no loaded rule has: the notification
    # says so once, rather than an error that would make a refused pull request look like a broken configuration.
    refused = bool(notifications)
    for code, settings in config.rule_options.items():
        if code not in available:
            if refused:
                continue
            raise ConfigError(f"rules.{code}: no rule has that id (see `entralint rules`)")
        declared = {option.name: option for option in available[code].options}
        for name in settings:
            if name not in declared:
                allowed = ", ".join(sorted(declared)) or "none"
                raise ConfigError(f"rules.{code}: unknown option {name!r}; options of {code}: {allowed}")
    for prefix in (*(config.select or ()), *config.extend_select, *config.ignore):
        if prefix != "ALL" and not refused and not any(code.startswith(prefix) for code in available):
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
    return RuleSet(rules, {code: rule.level for code, rule in rules.items()}, available, notifications)
