"""An article's first lines (documents.lead_of), read back from its stored text
(DocumentSet.leads) so the report can show what a representative article says."""
from __future__ import annotations

from tests.conftest import FIXTURES
from vntopics.pipeline.config import InputConfig
from vntopics.pipeline.text import prepare_documents
from vntopics.pipeline.text.documents import LEAD_CHARS, lead_of


def test_lead_skips_title_and_time_stamps_and_cuts_at_a_word():
    prepared = prepare_documents([FIXTURES / "seeds"], None, InputConfig())
    documents = {d.doc_id: d for d in prepared}
    an_giang = documents["000_96066fe42e697fa6.txt"]
    dien_bien = documents["002_e149c863b3391813.txt"]
    leads = prepared.leads([dien_bien, an_giang])
    assert leads[1] == lead_of(prepared.text_of(an_giang), an_giang.title)
    assert leads[1].startswith(
        "An Giang thực hiện Nghị quyết số 18-NQ/TW")              # not '28/01/2021 - 07:39'
    lead = leads[0]                                                 # not '08:59 - Thứ Tư, …'
    assert lead.startswith("ĐBP - Xây dựng Đảng là nhiệm vụ then chốt")
    assert lead.endswith("…") and len(lead) <= LEAD_CHARS + 1
    assert prepared.text_of(dien_bien).replace("\n", " ").find(
        lead[:-1].rsplit(" ", 1)[0]) > 0
    assert lead_of("Tiêu đề\nNgắn gọn.", "Tiêu đề") == "Ngắn gọn."


def test_release_drops_the_text_and_its_lead_is_read_back():
    prepared = prepare_documents([FIXTURES / "seeds"], None, InputConfig())
    document = prepared[0]
    length = len(prepared.text_of(document))
    assert document.text == "" and document.n_chars == length > 1000   # stored on disk
    assert not hasattr(document, "lead")                # no copy of its first lines in memory
    assert prepared.leads([document])[0].startswith("An Giang thực hiện")
    document.text = prepared.text_of(document)
    document.release_text()
    assert document.text == "" and document.n_chars == length
    assert prepared.leads([document])[0].startswith("An Giang thực hiện")
