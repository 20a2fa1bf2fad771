"""`check --fix --unsafe-fixes` on a copy of ../shared/corpus: nothing fixable left, only the intended lines changed.

The corpus is copied into a temporary folder (never into the repository) and fixed in one run, as the issue
asks: `check --fix --unsafe-fixes .` over the copy. Linted as one tenant the corpus holds duplicate policy ids
(it is several repositories), so entralint skips its tenant rules (IN006) and this run proves the fixes of
policy rules (CA002, IN005, TL001-TL003, TL006 apply here). A tenant per repository (a `tenants` table from
MANIFEST.tsv) fixed the same lines on today's corpus at eight times the CPU time (3 min 40 s against 28 s);
tenant fixes (CA008) are proven on their fixtures in tests/test_rule_fixes.py.

The table below is the diff the run must make: lines removed and added per file, counted as
`git diff --numstat` counts them but on decoded text (one corpus file is UTF-16, which git shows as
binary). A fix that starts touching more, or a file that starts or stops being fixed, fails here: update
the table after reading the new diff.
"""

from __future__ import annotations

import codecs
import difflib
import shutil
from pathlib import Path

from tests.conftest import CORPUS, needs_shared, run_cli

# Relative path -> (lines removed, lines added).
EXPECTED_CHANGED_LINES: dict[str, tuple[int, int]] = {
    # CA002: the Device Registration Service added to an empty `excludeApplications` list.
    "graph-json/AlexFilipin__ConditionalAccess__PolicyRepository__Attack surface reduction__307 - RING"
    " - Attack surface reduction - All apps Block Device Code Flow copy.json": (1, 1),
    # IN005: `clientAppTypes: ["All"]` written as Graph spells it, `all`.
    "graph-json/AlexFilipin__ConditionalAccess__PolicyRepository__Base protection__206 - RING - Base protection"
    " - All apps Require password change When high user risk is detected.json": (1, 1),
    "graph-json/AlexFilipin__ConditionalAccess__PolicyRepository__Base protection__207 - RING - Base protection"
    " - All apps Require password change For licensed users When high user risk is detected.json": (1, 1),
    # CA002: a new `excludeApplications` member after `includeApplications` (its closing line gains a comma).
    "graph-json/Clutch2View__nis2-conditional-access-policies__policies__conditional-access__017-block-device-code"
    "-flow__CA017-block-device-code-flow.json": (1, 2),
    # IN005 in two policies of one export.
    "graph-json/denis-beuermann__ConditionalAccess__archive__20241201-Policies.json": (2, 2),
    "graph-json/denis-beuermann__ConditionalAccess__templates__policies__Guest__Guest 1"
    " - Allow Guests with sign-in frequency.json": (1, 1),
    "graph-json/denis-beuermann__ConditionalAccess__templates__policies__Guest__Guest 2"
    " - Require MFA from critical Guests.json": (1, 1),
    "graph-json/denis-beuermann__ConditionalAccess__templates__policies__UserRisk__User Risk 1"
    " - Require Password Reset.json": (1, 1),
    "graph-json/denis-beuermann__ConditionalAccess__templates__policies__Workplace__Workplace 2"
    " - Allow non-compliant Browser to O365 with MFA and Session Controls.json": (1, 1),
    # CA002 in a UTF-16 file: an empty list written over three lines becomes a one-line list.
    "graph-json/j0eyv__ConditionalAccessBaseline__Config__ConditionalAccess__CA004-Global-IdentityProtection"
    "-AnyApp-AnyPlatform-AuthenticationFlows.json": (3, 1),
    # TL001-TL003, TL006: the retired properties removed from the one-line definition string.
    "token-lifetime/deploymenttheory__terraform-provider-microsoft365__examples__resources__microsoft365_graph"
    "_beta_applications_token_lifetime_policy__resource.tf": (1, 1),
    "token-lifetime/deploymenttheory__terraform-provider-microsoft365__internal__services__resources__applications"
    "__graph_beta__token_lifetime_policy__tests__responses__validate_get__get_token_lifetime_policy_maximal.json": (
        1,
        1,
    ),
    "token-lifetime/deploymenttheory__terraform-provider-microsoft365__internal__services__resources__applications"
    "__graph_beta__token_lifetime_policy__tests__terraform__acceptance__resource_maximal.tf": (1, 1),
}


def _lines(data: bytes) -> list[str]:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding).splitlines()
    return data.decode("utf-8").splitlines()


def changed_lines(before: bytes, after: bytes) -> tuple[int, int]:
    """Lines removed and added between two versions of a file, as a line diff counts them."""
    removed = added = 0
    matcher = difflib.SequenceMatcher(None, _lines(before), _lines(after), autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag != "equal":
            removed += old_end - old_start
            added += new_end - new_start
    return removed, added


def _files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


@needs_shared("corpus")
def test_fixing_the_corpus_leaves_nothing_fixable_and_changes_only_the_intended_lines(tmp_path: Path) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS, copy)
    before = _files(copy)

    result = run_cli(["check", "--isolated", "--fix", "--unsafe-fixes", "--format", "json", "."], cwd=copy)

    assert result.code in (0, 1), result.stderr
    report = result.json()  # the report after fixing: what is left
    fixable = [
        (finding["code"], finding["path"], finding["line"])
        for finding in report["findings"]
        if finding.get("fix", {}).get("applicability") in ("safe", "unsafe")
    ]
    assert fixable == []
    rolled_back = [note for note in report["notifications"] if "rolled back" in note["message"]]
    assert rolled_back == []
    after = _files(copy)
    assert after.keys() == before.keys()  # no file written beside the others, none removed
    changed = {name: changed_lines(before[name], after[name]) for name in before if before[name] != after[name]}
    assert changed == EXPECTED_CHANGED_LINES
