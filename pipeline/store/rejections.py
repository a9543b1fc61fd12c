"""The manifest's `rejected_reasons`: rejected documents grouped by the kind of reason, each
kind with its count and a few examples, so that its size stays bounded whatever the input
(a reason carries line numbers, ids and paths: keyed by the full text, a file of 500,000
bad lines made a 34 MB manifest)."""
from __future__ import annotations

import re

import pandas as pd

EXAMPLES_PER_KIND = 3
MAX_KINDS = 30            # further kinds are counted together under OTHER
MAX_EXAMPLE_CHARS = 200
OTHER = "other"
# The kind ends where the particulars start: a parenthesis, a colon or comma, a line number
# ('bad CSV record at lines 5-9: ...'), what it duplicates or where a link leads.
PARTICULARS = re.compile(r"\s*[(:,]|\s+(?:at|from) lines?\s|\s+of\s|\s+to\s")


def reason_kind(reason: str) -> str:
    """'bad CSV record at line 4: 4 fields, ...' -> 'bad CSV record'; 'duplicate of a.txt'
    -> 'duplicate'; 'HTML page (input.html = reject)' -> 'HTML page'."""
    kind = PARTICULARS.split(reason, maxsplit=1)[0].strip()
    return kind or reason.strip()[:40] or "no reason"


def rejected_reasons(table: pd.DataFrame) -> dict[str, dict]:
    """{kind: {count, examples: [{doc_id, reason}, ...]}} over the rejected rows of a
    documents table, most frequent kind first."""
    rejected = table.loc[table["status"] == "rejected", ["doc_id", "reason"]]
    kinds = rejected["reason"].astype(str).map(reason_kind)
    order = kinds.value_counts(sort=True)
    kept = set(order.index[:MAX_KINDS]) if len(order) > MAX_KINDS else set(order.index)
    kinds = kinds.where(kinds.isin(kept), OTHER)
    summary: dict[str, dict] = {}
    for kind, count in kinds.value_counts(sort=True).items():
        examples = rejected[kinds == kind].head(EXAMPLES_PER_KIND)
        summary[kind] = {"count": int(count), "examples": [
            {"doc_id": str(doc_id)[:MAX_EXAMPLE_CHARS], "reason": str(reason)[:MAX_EXAMPLE_CHARS]}
            for doc_id, reason in zip(examples["doc_id"], examples["reason"])]}
    return summary
