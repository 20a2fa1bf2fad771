"""The privileged roles table: what a role is called, and how policies that name roles by display name are read."""

from __future__ import annotations

import pytest

from linter.policy.directory_names import role_id
from linter.policy.privileged_roles import ADMIN_POLICY_TEMPLATE_ROLES, PRIVILEGED_ROLES, role_name

EVERY_NAMED_ROLE = sorted({**PRIVILEGED_ROLES, **ADMIN_POLICY_TEMPLATE_ROLES}.items())


@pytest.mark.parametrize(("template_id", "name"), EVERY_NAMED_ROLE)
def test_a_role_named_by_display_name_is_read_as_its_template_id(template_id: str, name: str) -> None:
    # Microsoft365DSC exports name roles; an unknown name would leave its holders uncovered (a false gap).
    assert role_id(f" {name.upper()} ") == template_id
    assert role_name(template_id.upper()) == name


def test_the_tables_agree_where_they_overlap() -> None:
    shared = PRIVILEGED_ROLES.keys() & ADMIN_POLICY_TEMPLATE_ROLES.keys()
    assert len(shared) == 11
    assert all(PRIVILEGED_ROLES[role] == ADMIN_POLICY_TEMPLATE_ROLES[role] for role in shared)


def test_an_unknown_role_is_shown_as_written() -> None:
    assert role_name("0000aaaa-0000-4000-8000-000000000000") == "0000aaaa-0000-4000-8000-000000000000"
