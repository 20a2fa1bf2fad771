"""Configuration: `[tool.entralint]` in pyproject.toml, `.entralint.toml` or `.entralint.yaml`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "ALLOW_CUSTOM_RULES_VARIABLE",
    "Config",
    "ConfigError",
    "config_file_in",
    "custom_rules_allowed",
    "find_config_file",
    "load_config",
]

# In one directory a file of entralint's own wins over pyproject.toml, as ruff.toml does over it for ruff.
CONFIG_FILES = (".entralint.toml", ".entralint.yaml", ".entralint.yml", "pyproject.toml")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
# Custom rules are code: a checked-out pull request may name them, only the person running entralint may allow them.
ALLOW_CUSTOM_RULES_VARIABLE = "ENTRALINT_ALLOW_CUSTOM_RULES"


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
    tenant_ignores: Mapping[str, str] = {}  # code prefix -> reason, for tenant findings only
    tenants: Mapping[str, tuple[str, ...]] = {}
    tenant_directories: tuple[str, ...] = ()
    rules_dirs: tuple[Path, ...] = ()  # `rules-dirs` of the configuration file: load only when allowed
    command_line_rules_dirs: tuple[Path, ...] = ()  # `--rules-dir`: named by the person running entralint
    # `--allow-custom-rules` or ENTRALINT_ALLOW_CUSTOM_RULES: configuration's rules-dirs and entry points may load.
    allow_custom_rules: bool = False
    # Configuration files passed over (a link out of their directory), said as notifications by the run.
    notices: tuple[str, ...] = ()
    rule_options: Mapping[str, Mapping[str, Any]] = {}
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    emergency_access: tuple[str, ...] | None = None  # top-level `emergency-access`; None when not set
    tenant_emergency_access: Mapping[str, tuple[str, ...]] = {}  # `tenants.<name>.emergency-access`
    privileged_roles: tuple[str, ...] | None = None  # top-level `privileged-roles`; None when not set
    extend_privileged_roles: tuple[str, ...] = ()  # top-level `extend-privileged-roles`
    tenant_privileged_roles: Mapping[str, tuple[str, ...]] = {}  # `tenants.<name>.privileged-roles`
    tenant_extend_privileged_roles: Mapping[str, tuple[str, ...]] = {}  # `tenants.<name>.extend-privileged-roles`
    # `--isolated`: the files given are the whole tenant; neither configuration nor the repository adds to it.
    isolated: bool = False
    # `--var-file`, command line only: a path in the checked repository's configuration could name a file
    # outside it. Absolute, in the order given.
    var_files: tuple[str, ...] = ()

    def emergency_access_of(self, tenant: str) -> tuple[str, ...] | None:
        """The emergency access accounts configuration names for a tenant (its own, else the top level)."""
        return self.tenant_emergency_access.get(tenant, self.emergency_access)

    def privileged_roles_of(self, tenant: str) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
        """The privileged roles configuration names for a tenant: (the list replacing the built-in table, or None;
        the roles added to it). A tenant's own `privileged-roles` replaces the top level's list and extensions."""
        if tenant in self.tenant_privileged_roles:
            return self.tenant_privileged_roles[tenant], self.tenant_extend_privileged_roles.get(tenant, ())
        extensions = (*self.extend_privileged_roles, *self.tenant_extend_privileged_roles.get(tenant, ()))
        return self.privileged_roles, extensions


def custom_rules_allowed(flag: bool, environment: Mapping[str, str]) -> bool:
    """Whether custom rules may load: the flag, or the environment variable set to 1, true or yes."""
    return flag or environment.get(ALLOW_CUSTOM_RULES_VARIABLE, "").strip().lower() in ("1", "true", "yes")


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
    from linter.loaders.json.parse import ParseError
    from linter.loaders.yaml.parse import parse_yaml

    try:
        documents = parse_yaml(path.read_text(encoding="utf-8"))
    except ParseError as error:
        raise ConfigError(f"{path}:{error.span.start_line}:{error.span.start_column}: {error}") from None
    if not documents:
        return {}
    if not isinstance(documents[0], dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return documents[0]


def _leaves_directory(candidate: Path) -> bool:
    """A symbolic link whose target is not in the link's own directory: a checkout's link may point anywhere."""
    try:
        return candidate.is_symlink() and candidate.resolve().parent != candidate.parent.resolve()
    except (OSError, RuntimeError):
        return True


def config_file_in(directory: Path, refused: list[Path] | None = None) -> Path | None:
    """The file of this directory that holds entralint settings (an empty .entralint.toml counts), if any.

    A link out of the directory is never read; it is added to refused.
    """
    for name in CONFIG_FILES:
        candidate = directory / name
        if _leaves_directory(candidate):
            if refused is not None:
                refused.append(candidate)
            continue
        if candidate.is_file() and _read_section(candidate) is not None:
            return candidate
    return None


def find_config_file(start: Path, refused: list[Path] | None = None) -> Path | None:
    """The nearest config file holding entralint settings, walking up from start; links passed over go to refused."""
    for directory in (start, *start.parents):
        found = config_file_in(directory, refused)
        if found is not None:
            return found
    return None


def _validate(path: Path, section: Mapping[str, Any]) -> None:
    from jsonschema import Draft202012Validator

    from linter.loaders.normalize.schema import load_schema

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
        return Config(root=cwd, isolated=True)
    notices: tuple[str, ...] = ()
    if path is None:
        refused: list[Path] = []
        path = find_config_file(cwd, refused)
        notices = tuple(f"{link}: symbolic link leaves its directory; not read as configuration" for link in refused)
        if path is None:
            return Config(root=cwd, notices=notices)
    elif not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    section = _read_section(path) or {}
    _validate(path, section)
    root = path.resolve().parent
    return Config(
        root=root,
        source=path,
        notices=notices,
        select=_strings(section["select"]) if "select" in section else None,
        extend_select=_strings(section.get("extend-select")),
        ignore=_strings(section.get("ignore")),
        fail_on=section.get("fail-on", "warning"),
        exclude=_strings(section.get("exclude")),
        per_file_ignores={glob: _strings(codes) for glob, codes in section.get("per-file-ignores", {}).items()},
        per_policy_ignores=dict(section.get("per-policy-ignores", {})),
        tenant_ignores=dict(section.get("tenant-ignores", {})),
        tenants={name: _tenant_files(entry) for name, entry in section.get("tenants", {}).items()},
        tenant_directories=_strings(section.get("tenant-directories")),
        rules_dirs=tuple((root / directory) for directory in _strings(section.get("rules-dirs"))),
        rule_options=dict(section.get("rules", {})),
        max_file_size=int(section.get("max-file-size", DEFAULT_MAX_FILE_SIZE)),
        emergency_access=_strings(section["emergency-access"]) if "emergency-access" in section else None,
        tenant_emergency_access={
            name: _strings(entry["emergency-access"])
            for name, entry in section.get("tenants", {}).items()
            if isinstance(entry, dict) and "emergency-access" in entry
        },
        privileged_roles=_strings(section["privileged-roles"]) if "privileged-roles" in section else None,
        extend_privileged_roles=_strings(section.get("extend-privileged-roles")),
        tenant_privileged_roles=_tenant_lists(section, "privileged-roles"),
        tenant_extend_privileged_roles=_tenant_lists(section, "extend-privileged-roles"),
    )


def _tenant_lists(section: Mapping[str, Any], key: str) -> dict[str, tuple[str, ...]]:
    """A list setting the `tenants` tables give, by tenant name."""
    return {
        name: _strings(entry[key])
        for name, entry in section.get("tenants", {}).items()
        if isinstance(entry, dict) and key in entry
    }


def _tenant_files(entry: Any) -> tuple[str, ...]:
    """A `tenants` entry's globs: the entry itself, or its `files` when it is a table."""
    return _strings(entry.get("files")) if isinstance(entry, dict) else _strings(entry)
