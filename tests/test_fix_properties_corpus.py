"""Every fix, applied to real policy files of ../shared/corpus in every format with fixes, mutated (issue 22).

An example draws a corpus file (Graph JSON, Graph YAML, Terraform HCL, PowerShell, Microsoft365DSC; the
corpus has no ARM or `.tf.json` policy) and one mutation of it (tests/corpus_mutations.py) that introduces
a fixable finding: a grant word respelled (IN005), a grant control turned into `approvedApplication`
(CA023), the Device Registration Service or an exclusion dropped from a list (CA002, CA008), a retired
property written into a token lifetime definition (TL001-TL003, TL006). The file is first fixed as it is,
so that its "before" has nothing left to fix; then the mutated file is linted and fixed in a temporary
folder with `check --fix --unsafe-fixes`, as a user runs it, and:

- the fixed file parses (no IN001) and no fix is rolled back;
- it reads as intended: with no fix applied, as the mutated file; with the mutation's fix applied, as the
  mutation's repair of the file before it (`Mutation.repaired`: for IN005 and the retired properties the
  document before; for CA023 the grant with `compliantApplication` for every
  `approvedApplication`; for a dropped list item, the list before with that item moved to its end);
  token lifetime definitions are compared as the JSON they hold;
- it has no finding the file before the mutation had not, beyond the mutated file's own unfixable ones;
- a second `--fix` changes nothing.
"""

from __future__ import annotations

import codecs
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from hypothesis import HealthCheck, assume, event, given, note, settings
from hypothesis import strategies as st

from linter.fixes.source import family_of
from linter.loaders import load_text
from linter.model import CONDITIONAL_ACCESS_POLICY, Document, to_plain
from linter.model.display import neutral
from tests.conftest import CORPUS, needs_shared, run_cli
from tests.corpus_mutations import Mutation, apply, mutations

# The codes whose fixes each mutation may call for: any other fixable finding is a surprise.
EXPECTED_CODES = {
    "respell": {"IN005"},
    "approved-application": {"CA023"},
    "drop-drs": {"CA002"},
    "drop-exclusion": {"CA008"},
    "retired": {"TL001", "TL002", "TL003", "TL006"},
}
CONFIG = ".entralint.toml"
FORMAT_FOLDERS = ("graph-json", "yaml", "terraform-hcl", "powershell-graph", "m365dsc", "token-lifetime", "scubagear")


class Encoded(NamedTuple):
    bom: bytes
    encoding: str

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


def decode(data: bytes) -> tuple[Encoded, str]:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return Encoded(bom, encoding), data[len(bom) :].decode(encoding)
    return Encoded(b"", "utf-8"), data.decode("utf-8")


def _documents(name: str, text: str) -> tuple[Document, ...]:
    result = load_text(name, text)
    assert result is not None and all(problem.code != "IN001" for problem in result.problems), result
    return tuple(result.documents)


def _readable(document: Document) -> Any:
    data = to_plain(document.data)
    if isinstance(data.get("definition"), list):
        data["definition"] = [_parsed(item) for item in data["definition"]]
    return data


def _parsed(definition: Any) -> Any:
    try:
        return json.loads(definition) if isinstance(definition, str) else definition
    except ValueError:
        return definition


def _report(folder: Path, name: str, *flags: str) -> dict[str, Any]:
    # Without a configuration file of the example's own, none around the temporary folder may count either.
    isolated = () if (folder / CONFIG).exists() else ("--isolated",)
    result = run_cli(["check", *isolated, "--format", "json", *flags, name], cwd=folder)
    assert result.code in (0, 1), result.stderr
    report: dict[str, Any] = result.json()
    return report


@contextmanager
def written(name: str, data: bytes, config: str) -> Iterator[Path]:
    """A temporary folder holding the file (and the configuration, if any) alone: the file is the tenant."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(data)
        if config:
            (Path(folder) / CONFIG).write_text(config, encoding="utf-8")
        yield Path(folder)


def _keyed(finding: dict[str, Any]) -> tuple[str, str, str]:
    return finding["code"], finding["policy"], finding["pointer"]


def _fixable(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        finding
        for finding in report["findings"]
        if finding.get("fix", {}).get("applicability") in ("safe", "unsafe") and finding["fix"]["edits"]
    ]


class Base(NamedTuple):
    """A corpus file fixed as it is (under the configuration given): the "before" of its mutations."""

    name: str
    encoded: Encoded
    text: str
    config: str
    findings: frozenset[tuple[str, str, str]]


@cache
def fixed_as_it_is(relative: str, config: str = "") -> Base:
    encoded, text = decode((CORPUS / relative).read_bytes())
    name = Path(relative).name
    with written(name, encoded.encode(text), config) as folder:
        report = _report(folder, name, "--fix", "--unsafe-fixes")
        fixed = decode((folder / name).read_bytes())[1]
    assert _fixable(report) == [], relative
    return Base(name, encoded, fixed, config, frozenset(_keyed(finding) for finding in report["findings"]))


def _blocks_device_code(document: Document) -> bool:
    return "devicecodeflow" in str(document.get("/conditions/authenticationFlows/transferMethods")).lower()


@cache
def corpus_files() -> dict[str, tuple[str, ...]]:
    """Corpus files holding a document entralint can fix, read through positions over the whole text, by the
    kinds of mutation they allow (drop-drs: those with a device code policy, whose fix adds what it drops)."""
    found: dict[str, list[str]] = {}
    for folder in FORMAT_FOLDERS:
        for path in sorted((CORPUS / folder).glob("*")):
            _, text = decode(path.read_bytes())
            result = load_text(path.name, text)
            if result is None or any(problem.code == "IN001" for problem in result.problems):
                continue
            readable = [doc for doc in result.documents if getattr(doc.positions, "text", None) == text]
            if not any(family_of(doc.source_format) for doc in readable):
                continue
            kinds = {mutation.kind for mutation in mutations(tuple(result.documents))}
            if any(_blocks_device_code(doc) for doc in readable):
                kinds.add("drop-drs")
            if sum(doc.kind == CONDITIONAL_ACCESS_POLICY for doc in readable) < 2:
                # CA008 fixes only an account whose kind another policy shows: one policy alone never says it.
                kinds.discard("drop-exclusion")
            for kind in kinds:
                found.setdefault(kind, []).append(path.relative_to(CORPUS).as_posix())
    return {kind: tuple(names) for kind, names in sorted(found.items())}


def _emergency_access(account: str) -> str:
    """The dropped account named as the tenant's emergency access account: CA008 then asks for it back.

    Only CA008 and the IN rules run: the tenant analyses of a 49-policy export (CA010, CA011) cost a minute per
    example, and CA011's walk over sign-in classes stops at `sign_in_classes.LIMIT` visited classes, so the
    classes it reports depend on how the walk prunes: the exclusion CA008's fix adds reshuffles them ("All
    other users" and a dozen groups appear), the engine counts them new and rolls the fix back.
    """
    return f'emergency-access = [{json.dumps(account)}]\nselect = ["CA008", "IN"]\n\n[rules.CA008]\nall-grants = true\n'


def _askable(documents: tuple[Document, ...], drop: Mutation) -> bool:
    """Whether the drop is one CA008 can ask back: from an enabled policy for all users, of an account another
    document names too (which tells CA008 whether it is a user or a group)."""
    policy = documents[drop.document]
    if policy.get("/state") != "enabled" or "all" not in str(policy.get("/conditions/users/includeUsers")).lower():
        return False
    account = policy.get(drop.pointer)
    others = (to_plain(doc.data) for index, doc in enumerate(documents) if index != drop.document)
    return any(account in json.dumps(other) for other in others)


@st.composite
def mutated_corpus_files(draw: st.DrawFn) -> tuple[Base, Mutation]:
    # Kind of mutation, then format, then file: Graph JSON's many files and respellings do not crowd out the rest.
    files = corpus_files()
    kind = draw(st.sampled_from(sorted(files)))
    folder = draw(st.sampled_from(sorted({relative.split("/")[0] for relative in files[kind]})))
    relative = draw(st.sampled_from([name for name in files[kind] if name.startswith(folder + "/")]))
    base = fixed_as_it_is(relative)
    found = [mutation for mutation in mutations(_documents(base.name, base.text)) if mutation.kind == kind]
    assume(found)
    mutation = draw(st.sampled_from(found))
    if kind == "drop-exclusion":
        documents = _documents(base.name, base.text)
        askable = [drop for drop in found if _askable(documents, drop)]
        mutation = draw(st.sampled_from(askable)) if askable else mutation
        dropped = documents[mutation.document].get(mutation.pointer)
        base = fixed_as_it_is(relative, _emergency_access(dropped))
        # Fixed under that configuration, the file may have gained the account elsewhere: the same drop, again.
        found = [
            again
            for again in mutations(_documents(base.name, base.text))
            if again[:2] == mutation[:2] and again.pointer == mutation.pointer
        ]
        assume(found)
        mutation = found[0]
    note(f"{relative}: {mutation.kind} at document {mutation.document} {mutation.pointer}: {mutation.edits}")
    return base, mutation


def check_mutation_fixed(base: Base, mutation: Mutation) -> None:
    mutated_text = apply(base.text, mutation.edits)
    mutated_documents = _documents(base.name, mutated_text)
    before_documents = _documents(base.name, base.text)
    assert len(mutated_documents) == len(before_documents)
    with written(base.name, base.encoded.encode(mutated_text), base.config) as folder:
        path = folder / base.name
        mutated = _report(folder, base.name)
        after = _report(folder, base.name, "--fix", "--unsafe-fixes")
        fixed_bytes = path.read_bytes()
        again = _report(folder, base.name, "--fix", "--unsafe-fixes")
        assert path.read_bytes() == fixed_bytes, "a second --fix changed the file"
    fixed_text = decode(fixed_bytes)[1]
    fixable = _fixable(mutated)
    assert [note["message"] for note in after["notifications"] if "rolled back" in note["message"]] == []
    assert {finding["code"] for finding in fixable} <= EXPECTED_CODES[mutation.kind]
    target = before_documents[mutation.document]
    assert {finding["policy"] for finding in fixable} <= {neutral(target.identity)}

    # `pytest --hypothesis-show-statistics` shows which fixes the examples applied in which format.
    event(
        f"{mutated_documents[mutation.document].source_format} {mutation.kind}: {sorted({f['code'] for f in fixable})}"
    )
    fixed_documents = _documents(base.name, fixed_text)
    intended = [_readable(document) for document in mutated_documents]
    if fixable:
        intended[mutation.document] = _readable(target._replace(data=mutation.repaired(to_plain(target.data))))
    else:
        assert fixed_text == mutated_text
    assert [_readable(document) for document in fixed_documents] == intended

    unfixed = {_keyed(finding) for finding in mutated["findings"]} - {_keyed(finding) for finding in fixable}
    assert {_keyed(finding) for finding in after["findings"]} <= base.findings | unfixed
    assert _fixable(after) == [] and _fixable(again) == []


@needs_shared("corpus")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(mutated_corpus_files())
def test_fixing_a_mutated_corpus_file_in_any_format_reads_as_intended_and_adds_no_finding(
    example: tuple[Base, Mutation],
) -> None:
    check_mutation_fixed(*example)
