"""A new policy file written as the tenant writes its own: its format, its folder, its file and display names.

The tenant's format is that of most of its Conditional Access documents; the folder the one holding most of
them; the file name follows theirs (the display name as the name, a slug, a `CA001-` number) and the display
name the tenant's `CA0xx - ` numbering when its policies have one. Formats entralint cannot write a whole
policy in (plans, state, ARM, `.tf.json`, Microsoft365DSC data files, Terraform resources other than
`azuread_conditional_access_policy` and `msgraph_resource`) get no fix.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from linter.fixes.policy_text import REFERENCE, RENDERERS, TERRAFORM_RESOURCES, resource_type, slug
from linter.model import CONDITIONAL_ACCESS_POLICY, Document, Unresolved
from linter.model.fixes import Edit, Fix, FixRequest, NewPolicy
from linter.model.source import Span

__all__ = ["create_policy_file"]

_WRITTEN = ("graph-json", "graph-yaml", "terraform-hcl", "microsoft365dsc")
_NUMBERED = re.compile(r"^(?P<prefix>[A-Za-z]{2,4})(?P<number>\d{2,4})(?P<separator>\s*[-_.:]\s*|\s+)")


def create_policy_file(documents: Sequence[Document], request: FixRequest) -> Fix | str:
    """The fix that writes the request's new policy as a new file of the tenant, or why there is none."""
    new_policy: NewPolicy = request.changes[0].value
    policies = [document for document in documents if document.kind == CONDITIONAL_ACCESS_POLICY]
    if not policies:
        return "the tenant has no policy file to take its format from"
    formats = Counter(document.source_format for document in policies)
    source_format = formats.most_common(1)[0][0]
    if source_format not in _WRITTEN:
        return f"entralint does not write new policies as {source_format} (the format of most of the tenant's)"
    own = [document for document in policies if document.source_format == source_format]
    if source_format == "terraform-hcl":
        resource_types = Counter(resource_type(document) for document in own)
        most_used = resource_types.most_common(1)[0][0]
        if most_used not in TERRAFORM_RESOURCES:
            return f"entralint does not write new {most_used or 'Terraform'} resources"
        own = [document for document in own if resource_type(document) == most_used]
    if len(own) > 1 and all(_in_own_folder(document.path) for document in own):
        return "the tenant keeps each policy in a folder named as its file (its id), which a new policy has not got"
    folders = Counter(os.path.dirname(document.path) for document in own)
    folder = folders.most_common(1)[0][0]
    names = [document.data.get("displayName") for document in own]
    plain = str(new_policy.policy["displayName"])
    display_name = _display_name(plain, [name for name in names if isinstance(name, str)], new_policy.place)
    policy = {**new_policy.policy, "displayName": display_name, "conditions": _references_marked(new_policy.policy)}
    if source_format != "terraform-hcl" and _has_computed(policy):
        return "an emergency access account is a computed value"
    path = _file_name(folder, display_name, own)
    if path is None:
        return "every file name entralint would give the new policy is taken"
    text = RENDERERS[source_format](policy, own)
    edit = Edit(path, Span(1, 1, 1, 1), text, new_file=True)
    return Fix(request.applicability, request.description, (edit,), request.follow_ups)


def _in_own_folder(path: str) -> bool:
    """`<id>/<id>.json`, as Graph exports write a policy."""
    stem = os.path.basename(path).split(".", 1)[0]
    return stem == os.path.basename(os.path.dirname(path))


def _references_marked(policy: Mapping[str, Any]) -> dict[str, Any]:
    """The policy's conditions with each excluded account that is a Terraform reference (`var.break_glass`,
    `azuread_group.x.object_id`: configured as text, or read) marked as the computed value it is."""
    conditions = dict(policy["conditions"])
    users = dict(conditions["users"])
    for key in ("excludeUsers", "excludeGroups"):
        if key in users:
            users[key] = [
                Unresolved(value) if isinstance(value, str) and REFERENCE.match(value) else value
                for value in users[key]
            ]
    conditions["users"] = users
    return conditions


def _has_computed(value: Any) -> bool:
    if isinstance(value, Unresolved):
        return True
    if isinstance(value, Mapping):
        return any(_has_computed(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_computed(item) for item in value)
    return False


def _display_name(plain: str, names: Sequence[str], place: int) -> str:
    """`CA014 - Block device code flow` when most of the tenant's names are numbered so, else the plain name."""
    numbered = [match for name in names if (match := _NUMBERED.match(name))]
    if not numbered or len(numbered) * 2 <= len(names):
        return plain
    last = max(numbered, key=lambda match: int(match["number"]))
    width = len(last["number"])
    return f"{last['prefix']}{int(last['number']) + place:0{width}d}{last['separator']}{plain}"


_NAMINGS: tuple[Callable[[str], str], ...] = (
    lambda name: re.sub(r'[\\/:*?"<>|]', "-", name),  # the display name itself, as far as a file name may hold it
    lambda name: "-".join(re.findall(r"[A-Za-z0-9]+", name)),  # `CA001-Require-MFA-for-admins`
    lambda name: "_".join(re.findall(r"[A-Za-z0-9]+", name)),
    lambda name: slug(name, "_"),
    lambda name: slug(name, "-"),
)


def _file_name(folder: str, display_name: str, own: Sequence[Document]) -> str | None:
    """A path that names no known file: the display name as the tenant's files are named after theirs."""
    extension = _extension(own)
    pairs = [
        (os.path.basename(document.path).removesuffix(extension), document.data.get("displayName")) for document in own
    ]
    # The tenant's own way from display name to file name, when all its files follow one; else a slug.
    naming = next(
        (name_file for name_file in _NAMINGS if all(stem == name_file(str(name)) for stem, name in pairs)),
        _NAMINGS[-2] if _underscored(pairs) else _NAMINGS[-1],
    )
    stem = naming(display_name)
    taken = {document.path for document in own}
    candidates = [stem, *(f"{stem}-{number}" for number in range(2, 10))]
    for candidate in candidates:
        path = os.path.join(folder, candidate + extension)
        if path not in taken:
            return path
    return None


def _underscored(pairs: Sequence[tuple[str, Any]]) -> bool:
    """Whether the tenant's file names join words with underscores rather than hyphens (`require_mfa.tf`)."""
    return any("_" in stem for stem, _ in pairs) and not any("-" in stem for stem, _ in pairs)


def _extension(own: Sequence[Document]) -> str:
    suffixes = Counter(
        ".tf.json" if document.path.endswith(".tf.json") else os.path.splitext(document.path)[1] for document in own
    )
    return suffixes.most_common(1)[0][0]
