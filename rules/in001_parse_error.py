"""IN001: files that cannot be read or parsed."""

from __future__ import annotations

from linter.rule import Level, LoadProblemRule


class ParseError(LoadProblemRule):
    """
    ## What it checks
    A file that should hold a policy but cannot be read: invalid JSON, YAML or HCL, text in an
    encoding other than UTF-8 or UTF-16 with a byte-order mark, duplicate keys, a file over the
    size limit, or a YAML tag that would construct an object. A file holding more than 2,000
    documents (policies, named locations, ...; a tenant holds at most 195 policies) is read up to
    the limit and gets one IN001 at the first document not read, saying how many were not read.
    Also a path the run was asked to check and could not open: a dangling link, a FIFO, socket or
    device (never opened), a file the system refuses, a directory that cannot be listed.

    ## Why it matters
    Whatever reads the file next — Terraform, a deployment pipeline, Graph — fails or, worse,
    reads something other than what the author meant (which of two duplicate keys wins is up to
    the parser). No other rule can check a file it cannot read, so its policies go unchecked.

    ## Example
    ```json
    {"displayName": "Block device code flow", "state": "enabled", "state": "disabled"}
    ```

    ## How to fix
    Fix the syntax at the line and column given. Save PowerShell exports as UTF-8
    (`Out-File -Encoding utf8`) or keep the UTF-16 byte-order mark. Remove duplicate keys. Split
    a file of more than 2,000 documents (one export per tenant).

    ## References
    - https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy
    """

    code = "IN001"
    name = "parse-error"
    summary = "The file cannot be read or parsed"
    level = Level.ERROR
    tags = ("input",)
