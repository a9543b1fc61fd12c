"""A CSV record is the unit of rejection: a bad record spanning many lines is one rejected
row naming its line range, never a row per line, and the records after it are still read."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.text import documents_table, prepare_documents
from vntopics.pipeline.store.rejections import rejected_reasons
from vntopics.pipeline.text.read import read_documents
from tests.conftest import FIXTURES

ARTICLE_LINES = [line for line in (FIXTURES / "seeds" / "004_ada06a6cc70b6956.txt")
                 .read_text(encoding="utf-8").splitlines() if line.strip() and '"' not in line]
FIELD_LINES = 500_000


def write_long_field_csv(path: Path, closed: bool) -> None:
    """id,text: a good record, then one whose quoted text runs over FIELD_LINES lines (of a
    real article), closed or never closed, then another good record. A quote never closed
    is read as a stray one (parsing restarts on the next line), so there the field's lines
    are those without a comma: one holding the separator would be read as a record."""
    lines = ARTICLE_LINES if closed else [line.replace(",", "") for line in ARTICLE_LINES]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f'id,text\nbefore,"{ARTICLE_LINES[0]}"\nlong,"')
        for number in range(FIELD_LINES):
            handle.write(lines[number % len(lines)] + "\n")
        handle.write('"\n' if closed else "")
        handle.write(f'after,"{ARTICLE_LINES[1]}"\n')


def read_long_field_csv(path: Path, closed: bool):
    """(documents, the one rejected): two good records and one rejection, nothing else."""
    write_long_field_csv(path, closed)
    documents = read_documents([path])
    assert Counter(d.status for d in documents) == {"ok": 2, "rejected": 1}
    return documents, next(d for d in documents if d.status == "rejected")


def test_a_quoted_field_of_500000_lines_is_one_rejected_row_with_its_line_range(tmp_path):
    documents, rejected = read_long_field_csv(tmp_path / "long.csv", closed=True)
    assert rejected.doc_id == "long.csv:3"
    assert rejected.reason == (f"bad CSV record at lines 3-{3 + FIELD_LINES}: record too "
                               "large (over 2.6 MB: input.max_doc_chars)")
    assert [d.doc_id for d in documents if d.status == "ok"] == ["before", "after"]


def test_a_quote_never_closed_is_one_rejected_row_and_the_next_record_is_read(tmp_path):
    documents, rejected = read_long_field_csv(tmp_path / "open.csv", closed=False)
    assert rejected.reason.startswith(f"bad CSV record at lines 3-{2 + FIELD_LINES}: record "
                                      "too large")
    assert rejected.reason.endswith("a quote is never closed")
    after = next(d for d in documents if d.doc_id == "after")
    assert after.status == "ok" and after.text == ARTICLE_LINES[1]


def test_text_after_a_closing_quote_rejects_the_lines_of_its_record_once(tmp_path):
    path = tmp_path / "stray.csv"
    lines = ARTICLE_LINES[:5]
    path.write_text("id,title,text\n"
                    f'1,Một,"{lines[0]}\n{lines[1]}\n{lines[2]}"x\n'      # lines 2-4: '"x'
                    f'2,Hai,"{lines[3]}"\n'                               # line 5: good
                    f'3,Ba,"{lines[4]}",thừa\n',                          # line 6: 4 fields
                    encoding="utf-8")
    documents = {d.doc_id: d for d in read_documents([path])}
    assert set(documents) == {"stray.csv:2", "2", "stray.csv:6"}
    assert documents["stray.csv:2"].reason == ("bad CSV record at lines 2-4: ',' expected "
                                               "after '\"'")
    assert documents["2"].text == lines[3]
    assert documents["stray.csv:6"].reason == ("bad CSV record at line 6: 4 fields, the "
                                               "header has 3")


def test_rejected_reasons_are_grouped_by_kind_with_a_few_examples_and_bounded(tmp_path):
    path = tmp_path / "ragged.csv"
    lines = [line.replace(",", "") for line in ARTICLE_LINES]
    rows = [f"{n},{lines[n % len(lines)]},extra" for n in range(20_000)]
    path.write_text("id,text\n" + "\n".join(rows) + '\nlast,"unclosed\n', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    table = documents_table(prepare_documents([tmp_path], None, InputConfig()))
    reasons = rejected_reasons(table)
    assert list(reasons) == ["bad CSV record", "empty file"]
    assert reasons["bad CSV record"]["count"] == 20_001
    assert reasons["empty file"] == {"count": 1, "examples": [
        {"doc_id": "empty.txt", "reason": "empty file"}]}
    examples = reasons["bad CSV record"]["examples"]
    assert [e["reason"] for e in examples] == [
        f"bad CSV record at line {n}: 3 fields, the header has 2" for n in (2, 3, 4)]
    assert len(json.dumps(reasons, ensure_ascii=False)) < 2_000
