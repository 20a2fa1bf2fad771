"""The fast HCL reader gives tree-sitter's answers, or declines and leaves the file to tree-sitter."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.loaders.hcl.terraform import ReadResources, read_fast, read_with_tree_sitter
from linter.model import Unresolved
from linter.model.source import decode_text
from tests.conftest import CORPUS, FIXTURES, REPO, shared_cases

sys.path.insert(0, str(REPO / "bench"))
from generate import generate

TF_FILES = sorted(
    path for root in (FIXTURES, REPO / "examples", CORPUS) if root.is_dir() for path in root.rglob("*.tf")
)


def typed(value: Any) -> Any:
    """The value with Unresolved marked, since Unresolved("x") == "x"."""
    if isinstance(value, Unresolved):
        return ("unresolved", str(value))
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return value


def answers(found: ReadResources) -> tuple[Any, ...]:
    positions = found.positions
    return (
        [(kind, identity, typed(body), pointer) for kind, identity, body, pointer in found.resources],
        positions._offsets,
        positions.strings,
        found.problems,
    )


def read_both(path: Path) -> tuple[ReadResources | None, ReadResources]:
    text = decode_text(path.read_bytes())
    return read_fast(str(path), text), read_with_tree_sitter(str(path), text)


def read_alike(path: Path, text: str) -> ReadResources:
    """Writes text to path and reads it with both readers: the fast one must read it, as tree-sitter does."""
    path.write_text(text, encoding="utf-8")
    fast, tree_sitter = read_both(path)
    assert fast is not None
    assert answers(fast) == answers(tree_sitter)
    return fast


@pytest.mark.parametrize("path", shared_cases("corpus", TF_FILES), ids=lambda path: str(path.relative_to(REPO.parent)))
def test_fast_reader_agrees_with_tree_sitter_or_declines(path: Path) -> None:
    fast, tree_sitter = read_both(path)
    if fast is not None:
        assert answers(fast) == answers(tree_sitter)


def test_fast_reader_reads_the_examples_and_the_plain_corpus_files() -> None:
    read = [path.name for path in TF_FILES if read_both(path)[0] is not None]
    assert "conditional_access.tf" in read
    assert len(read) >= len(TF_FILES) // 2, read


def test_fast_reader_agrees_on_a_generated_fleet(tmp_path: Path) -> None:
    generate(tmp_path, "hcl", files=12)
    files = sorted(tmp_path.rglob("*.tf"))
    assert files
    for path in files:
        fast, tree_sitter = read_both(path)
        assert fast is not None, path
        assert answers(fast) == answers(tree_sitter)


PLAIN = """resource "azuread_conditional_access_policy" "p" {
  display_name = "A \\"quoted\\" name \\u00e9"  # trailing comment
  state        = var.state
  conditions {
    client_app_types = ["all",
      "browser", # a comment inside a list
    ]
    applications {
      included_applications = tolist(["All"])
    }
    users {
      included_users = concat(local.a, ["b"])
      excluded_users = [azuread_user.x.object_id, data.y["k"].id, module.m.ids[0]]
    }
    dynamic "platforms" {
      for_each = toset(var.platforms)
      content {
        included_platforms = platforms.value
      }
    }
  }
  session_controls {
    sign_in_frequency        = -1
    cloud_app_security_policy = null
  }
  grant_controls {
    operator          = "OR"
    built_in_controls = jsonencode({ a = 1, "b c" : [true, 2.5e3] })
  }
}
"""


# What the one-match reading of plain attributes and labelled headers covers, and its edges.
PLAIN_LINES = """resource "azuread_conditional_access_policy" "p" {
  display_name = "Plain, with spaces"
  state="enabled"
  conditions {
    client_app_types = ["all", "browser",]
    applications {
      included_applications = [
        "All",
        "00000002-0000-0ff1-ce00-000000000000"
      ]
      excluded_applications = []
    }
    users {
      included_users = [ "All" ]	\r
      excluded_users = ["a"] # a comment after
    }
  }
}
resource"azuread_conditional_access_policy""q"{
  state = "disabled"
}
"""


def test_fast_reader_reads_plain_lines_in_one_match_alike(tmp_path: Path) -> None:
    fast = read_alike(tmp_path / "main.tf", PLAIN_LINES)
    [(_, _, p, _), (_, _, q, _)] = fast.resources
    applications = p["conditions"][0]["applications"][0]
    assert applications == {
        "included_applications": ["All", "00000002-0000-0ff1-ce00-000000000000"],
        "excluded_applications": [],
    }
    assert p["conditions"][0]["users"][0] == {"included_users": ["All"], "excluded_users": ["a"]}
    assert q == {"state": "disabled"}


def test_fast_reader_reads_escapes_references_calls_and_dynamic_blocks(tmp_path: Path) -> None:
    fast = read_alike(tmp_path / "main.tf", PLAIN)
    [(_, _, body, _)] = fast.resources
    assert body["display_name"] == 'A "quoted" name \u00e9'
    assert typed(body["state"]) == ("unresolved", "var.state")
    users = body["conditions"][0]["users"][0]
    assert typed(users["included_users"]) == ("unresolved", 'concat(local.a, ["b"])')
    platforms = body["conditions"][0]["platforms"]
    assert typed(platforms) == ("unresolved", 'dynamic "platforms" { for_each = toset(var.platforms) }')
    assert body["session_controls"][0] == {"sign_in_frequency": -1, "cloud_app_security_policy": None}
    assert body["grant_controls"][0]["built_in_controls"] == {"a": 1, "b c": [True, 2500.0]}


@pytest.mark.parametrize(
    "expression",
    [
        '"${var.name}-policy"',  # a template
        "<<EOT\n${var.name}\nEOT",  # heredocs with a template sequence, even an escaped one
        "<<EOT\n%{ if true }x%{ endif }\nEOT",
        "<<EOT\n$${literal}\nEOT",
        "<<EOT\nunclosed\n",
        "<<EOT\nEOT is a closing line's name, then more\nEOT",
        "<<EOT\n\x0cEOT\nEOT",
        "<<EOT \ntext\nEOT",
        'var.enabled ? "enabled" : "disabled"',
        "[for id in var.ids : lower(id)]",
        "1 + 2",
        '"a" == "b"',
        "(var.x)",
        '"bad escape \\q"',
        '"unterminated',
        "",
    ],
)
def test_fast_reader_declines_what_it_does_not_read(tmp_path: Path, expression: str) -> None:
    path = tmp_path / "main.tf"
    path.write_text(f'resource "azuread_conditional_access_policy" "p" {{\n  state = {expression}\n}}\n')
    fast, _ = read_both(path)
    assert fast is None


def test_a_variable_declared_after_the_resource_still_gives_its_default(tmp_path: Path) -> None:
    fast = read_alike(
        tmp_path / "main.tf",
        'resource "azuread_conditional_access_policy" "p" {\n  state = var.s\n}\n'
        'variable "s" {\n  type = string\n  default = "enabled"\n}\n',
    )
    assert fast.resources[0][2]["state"] == "enabled"


def test_var_defaults_come_from_the_module_directory(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text('variable "s" {\n  default = "disabled"\n}\n')
    fast = read_alike(tmp_path / "main.tf", 'resource "azuread_conditional_access_policy" "p" {\n  state = var.s\n}\n')
    assert fast.resources[0][2]["state"] == "disabled"


HEREDOCS = """resource "azuread_conditional_access_policy" "p" {
  display_name = <<EOT
A policy
  with an indented line\x0c

EOT
  description = <<-EOT
      flush
    \x0bless indented

        more
    EOT
  conditions {
    client_app_types = [<<EOT
all
EOT
    , "browser"]
    users {
      included_users = jsonencode(<<-JSON
        ["All"]
        JSON
      )
    }
  }
}
"""


def test_fast_reader_reads_plain_heredocs_and_their_form_feeds_alike(tmp_path: Path) -> None:
    fast = read_alike(tmp_path / "main.tf", HEREDOCS)
    [(_, _, body, _)] = fast.resources
    assert body["display_name"] == "A policy\n  with an indented line\x0c\n\n"
    assert body["description"] == "  flush\n\x0bless indented\n\n    more\n"
    assert body["conditions"][0]["client_app_types"] == ["all\n", "browser"]
    assert body["conditions"][0]["users"][0]["included_users"] == '["All"]\n'
    assert fast.positions.strings["/resource/azuread_conditional_access_policy/p/display_name"][0] == 1


@pytest.mark.parametrize(
    "text",
    [
        HEREDOCS.replace("  conditions {", "  \x0cconditions {"),  # a form feed between tokens
        HEREDOCS.replace('"browser"', '"brow\x0cser"'),  # and in a quoted string
        HEREDOCS.replace("more\n", "more\r\n  EOT\r\n"),  # a lone CR in a heredoc
    ],
    ids=["between-tokens", "quoted", "carriage-return"],
)
def test_a_form_feed_outside_a_heredoc_is_left_to_tree_sitter(tmp_path: Path, text: str) -> None:
    path = tmp_path / "main.tf"
    path.write_bytes(text.encode("utf-8"))
    assert read_both(path)[0] is None


EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=max(len(PLAIN), len(PLAIN_LINES))),
        st.integers(min_value=0, max_value=3),
        st.sampled_from(['"', "[", "]", "{", "}", ",", "=", "\n", " ", "#", "-", "1", "a", ".", "(", ")", "\\", "$"]),
    ),
    min_size=1,
    max_size=4,
)


HEREDOC_EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=len(HEREDOCS)),
        st.integers(min_value=0, max_value=3),
        st.sampled_from(["<", "-", "E", "O", "T", "\n", " ", "\t", "\x0c", "\x0b", "$", "%", "{", "}", "a", '"']),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=HEREDOC_EDITS)
def test_an_edited_heredoc_is_read_alike_or_declined(tmp_path_factory: pytest.TempPathFactory, edits: Any) -> None:
    text = HEREDOCS
    for offset, removed, inserted in edits:
        text = text[:offset] + inserted + text[offset + removed :]
    path = tmp_path_factory.mktemp("edited") / "main.tf"
    path.write_text(text, encoding="utf-8")
    fast, tree_sitter = read_both(path)
    if fast is not None:
        assert not tree_sitter.problems, text
        assert answers(fast) == answers(tree_sitter), text


@pytest.mark.parametrize("original", [PLAIN, PLAIN_LINES], ids=["PLAIN", "PLAIN_LINES"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS)
def test_an_edited_file_is_read_alike_or_declined(
    tmp_path_factory: pytest.TempPathFactory, original: str, edits: Any
) -> None:
    text = original
    for offset, removed, inserted in edits:
        text = text[:offset] + inserted + text[offset + removed :]
    path = tmp_path_factory.mktemp("edited") / "main.tf"
    path.write_text(text, encoding="utf-8")
    fast, tree_sitter = read_both(path)
    if fast is not None:
        assert not tree_sitter.problems, text
        assert answers(fast) == answers(tree_sitter), text


VARIABLE_FILE = """state = "enabled"
names = ["a", "b"]
settings = { a = 1, "b" = <<EOT
x\x0c
EOT
}
notes = <<-EOT
  hello
  EOT
# a comment
variable "v" {
  default = <<EOT
d
EOT
}
variable w {
}
"""

VARIABLE_FILE_EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=len(VARIABLE_FILE)),
        st.integers(min_value=0, max_value=2),
        st.sampled_from(['"', "[", "]", "{", "}", ",", "=", "\n", " ", "#", "1", "a", "<", "-", "E", "\x0c", "$"]),
    ),
    max_size=3,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=VARIABLE_FILE_EDITS)
def test_a_variable_file_is_read_alike_without_a_tree(tmp_path_factory: pytest.TempPathFactory, edits: Any) -> None:
    from linter.loaders.hcl import tfvars

    text = VARIABLE_FILE
    for offset, removed, inserted in edits:
        text = text[:offset] + inserted + text[offset + removed :]
    path = tmp_path_factory.mktemp("variables") / "terraform.tfvars"
    path.write_text(text, encoding="utf-8")
    readings = [tfvars.read_assignments(str(path)), tfvars.declared_variables(str(path))]
    with mock.patch.object(tfvars, "_read_fast", return_value=None):
        assert typed(readings) == typed([tfvars.read_assignments(str(path)), tfvars.declared_variables(str(path))])


def test_a_plain_variable_file_is_read_without_tree_sitter(tmp_path: Path) -> None:
    from linter.loaders.hcl import tfvars

    path = tmp_path / "terraform.tfvars"
    path.write_text(VARIABLE_FILE, encoding="utf-8")
    with mock.patch.object(tfvars, "_reader", side_effect=AssertionError("tree-sitter was asked")):
        assert tfvars.read_assignments(str(path)) == {
            "state": "enabled",
            "names": ["a", "b"],
            "settings": {"a": 1, "b": "x\x0c\n"},
            "notes": "hello\n",
        }
        assert tfvars.declared_variables(str(path)) == ({"v": "d\n"}, {"v", "w"})
