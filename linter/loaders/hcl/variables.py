"""What a Terraform module directory says of its input variables, and the value a `var.x` takes.

A `var.x` is the last value assigned to it by, in this order: the variable's `default`,
`terraform.tfvars`, `terraform.tfvars.json`, the `*.auto.tfvars` and `*.auto.tfvars.json` files in
lexical order of their names, then each `--var-file` in the order given
(https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence).
`TF_VAR_` environment variables are never read: they belong to the machine entralint runs on (a CI
runner), not to the repository being checked. A value is taken only for a variable the module
declares, as Terraform refers to no other; a `null` assigned leaves it unresolved rather than guessed.
`linter.loaders.hcl.tfvars` reads the files, once per directory and set of variable files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

__all__ = ["NO_VARIABLES", "ModuleVariables"]


class ModuleVariables(NamedTuple):
    """What a module directory declares (`defaults`, `declared`) and what its variable files assign."""

    defaults: Mapping[str, Any]
    declared: frozenset[str]
    assigned: Mapping[str, Any]

    def value(self, name: str, own_defaults: Mapping[str, Any]) -> tuple[bool, Any]:
        """(known, value) of `var.name` for a file whose own `variable` blocks give `own_defaults`."""
        if name in self.assigned and (name in self.declared or name in own_defaults):
            return True, self.assigned[name]
        if name in own_defaults:
            return True, own_defaults[name]
        if name in self.defaults:
            return True, self.defaults[name]
        return False, None


NO_VARIABLES = ModuleVariables({}, frozenset(), {})
