"""The privileged roles table: what a role is called, and how policies that name roles by display name are read."""

from __future__ import annotations

import pytest

from linter.policy.directory_names import role_id
from linter.policy.privileged_roles import (
    ADMIN_POLICY_TEMPLATE_ROLES,
    PRIVILEGED_ROLES,
    OpenSubject,
    RoleCoverage,
    role_name,
)

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


def holders(asked: list[str], subjects: list[OpenSubject]) -> str:
    from linter.rules.ca012_privileged_roles_without_phishing_resistant_mfa import open_holders

    # The message reads only who is open; the coverage behind it is not needed.
    result = RoleCoverage(None, tuple(subjects), tuple(dict.fromkeys(s.role for s in subjects)))  # type: ignore[arg-type]
    return open_holders(result, asked)


GLOBAL_ADMINISTRATOR, SECURITY_READER, GLOBAL_READER = (
    "62e90394-69f5-4237-9190-012177145e10",
    "5d6b6bb7-de71-4623-b4af-96380a352509",
    "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
)


def test_open_roles_are_named_most_privileged_first_and_counted() -> None:
    asked = list(PRIVILEGED_ROLES)
    every = [OpenSubject(role, "role", "") for role in reversed(asked)]
    assert holders(asked, every) == (
        "holders of all 29 privileged roles: Global Administrator, Application Administrator, "
        "Authentication Administrator, Cloud Application Administrator and 25 more"
    )


def test_roles_beyond_microsofts_admin_templates_are_said_to_be() -> None:
    subjects = [OpenSubject(SECURITY_READER, "role", ""), OpenSubject(GLOBAL_READER, "role", "")]
    assert holders(list(PRIVILEGED_ROLES), subjects) == (
        "holders of 2 of the 29 privileged roles: Global Reader, Security Reader (none of them among the roles "
        "Microsoft's administrator MFA policy templates name)"
    )


def test_excluded_users_and_groups_are_grouped_by_principal() -> None:
    asked = [GLOBAL_ADMINISTRATOR, SECURITY_READER, GLOBAL_READER]
    subjects = [
        OpenSubject(GLOBAL_READER, "role", ""),
        # A principal's role already open to all its holders is not repeated.
        OpenSubject(GLOBAL_READER, "group", "admins-exempt"),
        OpenSubject(GLOBAL_ADMINISTRATOR, "group", "admins-exempt"),
        OpenSubject(SECURITY_READER, "group", "admins-exempt"),
        OpenSubject(GLOBAL_ADMINISTRATOR, "user", "alice@contoso.com"),
        *(OpenSubject(SECURITY_READER, "user", f"user{index}@contoso.com") for index in range(3)),
    ]
    assert holders(asked, subjects) == (
        "holders of 1 of the 3 privileged roles: Global Reader (none of them among the roles Microsoft's "
        "administrator MFA policy templates name); and for users and groups a policy excludes: members of group "
        "admins-exempt holding any other privileged role; user alice@contoso.com holding Global Administrator; "
        "user user0@contoso.com holding Security Reader; and 2 more users or groups"
    )
