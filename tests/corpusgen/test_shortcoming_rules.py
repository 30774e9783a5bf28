"""Shortcoming labels follow the hand-labelling rules (corpus/labelled/hand/README.md): what a careful reader
of the generated text would say, not which shortcoming a line was generated for."""

from __future__ import annotations

import re

from service.corpusgen import GeneratedCorpus
from tests.corpusgen.test_labels import _texts, labels_of

# The catch-all VI lines of the pools: they name no topic, so they are no remedy for anything.
_CATCH_ALL = re.compile(r"khắc phục (những|các)? ?hạn chế|tiếp tục phát huy (những )?ưu điểm", re.IGNORECASE)
_GENERAL_CAUSE = "Một số đảng viên chưa phát huy hết tinh thần trách nhiệm"


def test_spans_lie_in_the_authors_sentences(train_corpus: GeneratedCorpus) -> None:
    for lab in labels_of(train_corpus):
        sentences = [(s["start"], s["end"]) for s in lab["sentences"]]
        for s in lab["shortcomings"]:
            for span in [*s["cause_spans"], s["remedy_span"], s["deadline_span"]]:
                if span is not None:
                    assert any(a <= span[0] and span[1] <= b for a, b in sentences), (lab["file"], span)


def test_inline_cause_in_the_phrasing_counts(train_corpus: GeneratedCorpus) -> None:
    texts = _texts(train_corpus)
    found = 0
    for lab in labels_of(train_corpus):
        for s in lab["shortcomings"]:
            if "do bản thân chưa thành thạo" in s["text"]:
                found += 1
                assert s["cause"] in ("subjective", "both")
                assert any(texts[lab["file"]][a:b] == "bản thân chưa thành thạo" for a, b in s["cause_spans"])
    assert found, "no phrasing with an inline cause was drawn"


def test_a_general_cause_covers_every_shortcoming(train_corpus: GeneratedCorpus) -> None:
    texts = _texts(train_corpus)
    checked = 0
    for lab in labels_of(train_corpus):
        general = [s for s in lab["sentences"] if s["kind"] == "cause" and _GENERAL_CAUSE in s["text"]]
        if not general:
            continue
        for s in lab["shortcomings"]:
            checked += 1
            assert s["cause"] != "none", (lab["file"], s["text"])
            assert any(_GENERAL_CAUSE in texts[lab["file"]][a:b] for a, b in s["cause_spans"])
    assert checked


def test_catch_all_lines_are_no_remedy(train_corpus: GeneratedCorpus) -> None:
    texts = _texts(train_corpus)
    for lab in labels_of(train_corpus):
        for s in lab["shortcomings"]:
            if s["remedy_span"]:
                a, b = s["remedy_span"]
                assert not _CATCH_ALL.search(texts[lab["file"]][a:b]), (lab["file"], texts[lab["file"]][a:b])


def test_remedies_of_another_sub_issue_are_not_linked(train_corpus: GeneratedCorpus) -> None:
    """A fire-extinguisher shortcoming is not remedied by a tax-filing reminder."""
    texts = _texts(train_corpus)
    for lab in labels_of(train_corpus):
        for s in lab["shortcomings"]:
            if s["remedy_span"] and "bình chữa cháy" in s["text"]:
                a, b = s["remedy_span"]
                assert "tờ khai" not in texts[lab["file"]][a:b]
