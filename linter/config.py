"""Configuration: `[tool.entralint]` in pyproject.toml, `.entralint.toml` or `.entralint.yaml`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["Config", "ConfigError", "find_config_file", "load_config"]

# In one directory a file of entralint's own wins over pyproject.toml, as ruff.toml does over it for ruff.
CONFIG_FILES = (".entralint.toml", ".entralint.yaml", ".entralint.yml", "pyproject.toml")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file, key and what is allowed."""


class Config(NamedTuple):
    """Settings for one run; the command line has already been merged in."""

    root: Path  # where relative paths in the configuration start
    source: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "warning"
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = {}
    per_policy_ignores: Mapping[str, Mapping[str, str]] = {}
    tenants: Mapping[str, tuple[str, ...]] = {}
    tenant_directories: tuple[str, ...] = ()
    rules_dirs: tuple[Path, ...] = ()
    rule_options: Mapping[str, Mapping[str, Any]] = {}
    max_file_size: int = DEFAULT_MAX_FILE_SIZE


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as handle:
            document: dict[str, Any] = tomllib.load(handle)
            return document
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def _read_section(path: Path) -> dict[str, Any] | None:
    """The entralint section of a config file, or None when the file has none."""
    if path.name == "pyproject.toml":
        tool = _read_toml(path).get("tool", {})
        section = tool.get("entralint") if isinstance(tool, dict) else None
        return section if isinstance(section, dict) else None
    if path.suffix == ".toml":
        return _read_toml(path)
    from linter.loaders.jsontext import ParseError
    from linter.loaders.yamltext import parse_yaml

    try:
        documents = parse_yaml(path.read_text(encoding="utf-8"))
    except ParseError as error:
        raise ConfigError(f"{path}:{error.span.start_line}:{error.span.start_column}: {error}") from None
    if not documents:
        return {}
    if not isinstance(documents[0], dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return documents[0]


def find_config_file(start: Path) -> Path | None:
    """The nearest config file holding entralint settings, walking up from start."""
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and _read_section(candidate) is not None:
                return candidate
    return None


def _validate(path: Path, section: Mapping[str, Any]) -> None:
    from jsonschema import Draft202012Validator

    from linter.schema import load_schema

    validator = Draft202012Validator(load_schema("config"))
    errors = sorted(validator.iter_errors(section), key=lambda error: list(error.absolute_path))
    if errors:
        error = errors[0]
        key = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        if error.validator == "additionalProperties":
            allowed = ", ".join(sorted(error.schema.get("properties", {})))
            unknown = ", ".join(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
            raise ConfigError(f"{path}: unknown key {unknown} in {key}; allowed: {allowed}")
        raise ConfigError(f"{path}: {key}: {error.message}")


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,) if isinstance(value, str) else ()


def load_config(path: Path | None, *, isolated: bool = False, cwd: Path | None = None) -> Config:
    """The config from an explicit file, or the nearest one, or defaults."""
    cwd = cwd or Path.cwd()
    if isolated:
        return Config(root=cwd)
    if path is None:
        path = find_config_file(cwd)
        if path is None:
            return Config(root=cwd)
    elif not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    section = _read_section(path) or {}
    _validate(path, section)
    root = path.resolve().parent
    return Config(
        root=root,
        source=path,
        select=_strings(section["select"]) if "select" in section else None,
        extend_select=_strings(section.get("extend-select")),
        ignore=_strings(section.get("ignore")),
        fail_on=section.get("fail-on", "warning"),
        exclude=_strings(section.get("exclude")),
        per_file_ignores={glob: _strings(codes) for glob, codes in section.get("per-file-ignores", {}).items()},
        per_policy_ignores=dict(section.get("per-policy-ignores", {})),
        tenants={name: _strings(globs) for name, globs in section.get("tenants", {}).items()},
        tenant_directories=_strings(section.get("tenant-directories")),
        rules_dirs=tuple((root / directory) for directory in _strings(section.get("rules-dirs"))),
        rule_options=dict(section.get("rules", {})),
        max_file_size=int(section.get("max-file-size", DEFAULT_MAX_FILE_SIZE)),
    )
