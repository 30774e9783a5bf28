"""The labels are true of the files: every span indexes the normalised text, copies really come from
their sources, shortcoming and grade labels agree with what is written."""

from __future__ import annotations

import hashlib
import re

from corpus_files import file_canonical, labels_of
from rapidfuzz.fuzz import ratio

from service.corpusgen import GeneratedCorpus
from service.corpusgen.truecopies import MIN_SYLLABLES

_DIGIT = re.compile(r"\d")


def _texts(corpus: GeneratedCorpus) -> dict[str, str]:
    texts = {e["file"]: file_canonical(corpus.out_dir, e["file"]) for e in corpus.manifest["files"]}
    for t in corpus.templates:
        texts[t] = file_canonical(corpus.out_dir, t)
    return texts


def test_every_span_matches_the_normalised_file(train_corpus: GeneratedCorpus) -> None:
    texts = _texts(train_corpus)
    checked = 0
    for lab in labels_of(train_corpus):
        text = texts[lab["file"]]
        assert text == train_corpus.canonical[lab["file"]]
        assert hashlib.sha1(text.encode("utf-8")).hexdigest() == lab["text_sha1"]
        for key in ("sentences", "placeholders", "copied", "shortcomings"):
            for span in lab[key]:
                assert text[span["start"] : span["end"]] == span["text"], (lab["file"], key, span)
                checked += 1
        for span in lab["shortcomings"]:
            for name in ("cause_span", "remedy_span", "deadline_span"):
                if span[name] is not None:
                    s, e = span[name]
                    assert 0 <= s < e <= len(text)
        for sec in lab["sections"]:
            assert 0 <= sec["start"] <= sec["body_start"] <= sec["end"] <= len(text)
    assert checked > 1000


def test_copied_spans_come_from_their_source(train_corpus: GeneratedCorpus) -> None:
    texts = _texts(train_corpus)
    roles: dict[str, int] = {}
    for lab in labels_of(train_corpus):
        for c in lab["copied"]:
            source = texts[c["source_file"]]
            original = source[c["source_start"] : c["source_end"]]
            assert ratio(c["text"], original) >= 70, (lab["file"], c["text"], original)
            roles[c["role"]] = roles.get(c["role"], 0) + 1
            if c["role"] == "history":
                assert c["source_year"] < lab["year"]
                assert c["source_file"] in {h["file"] for h in lab["history"]}
            elif c["role"] == "peer":
                assert c["source_year"] == lab["year"]
                assert c["source_file"] in {p["file"] for p in lab["peers"]}
            else:
                assert c["source_file"] in {t["file"] for t in lab["templates"]}
    assert set(roles) == {"history", "peer", "template"}


def test_copied_from_last_year_changes_the_year(train_corpus: GeneratedCorpus) -> None:
    texts = _texts(train_corpus)
    shifted = 0
    for lab in labels_of(train_corpus):
        for c in lab["copied"]:
            original = texts[c["source_file"]][c["source_start"] : c["source_end"]]
            if c["role"] == "history" and str(c["source_year"]) in original:
                assert str(c["source_year"]) not in c["text"] or str(c["source_year"] - 1) in original
                shifted += 1
    assert shifted > 0


def test_shortcoming_labels_are_consistent(train_corpus: GeneratedCorpus) -> None:
    texts = _texts(train_corpus)
    seen = {"cause": set(), "deadline": set()}
    for lab in labels_of(train_corpus):
        text = texts[lab["file"]]
        for s in lab["shortcomings"]:
            seen["cause"].add(s["cause"])
            seen["deadline"].add(s["deadline"])
            assert (s["cause"] == "none") == (s["cause_span"] is None)
            if not s["remedy"]:
                assert s["deadline"] == "none" and s["remedy_span"] is None
            if s["deadline"] == "concrete":
                a, b = s["deadline_span"]
                assert _DIGIT.search(text[a:b]), text[a:b]
            elif s["deadline"] == "vague":
                a, b = s["deadline_span"]
                assert not _DIGIT.search(text[a:b]), text[a:b]
    assert seen["cause"] == {"subjective", "objective", "both", "none"}
    assert seen["deadline"] == {"concrete", "vague", "none"}


def test_grade_fit_follows_the_points_and_the_content(train_corpus: GeneratedCorpus) -> None:
    labels = labels_of(train_corpus)
    for lab in labels:
        g = lab["grade"]
        p = g["points"]
        if p is not None:
            assert (p["general"] + p["tasks"] == p["total"]) or not g["fits"]
        if g["claimed"] == "excellent" and not g["fits"]:
            assert g["reasons"]
    substantive = [lab for lab in labels if not lab["formalistic"]]
    formalistic = [lab for lab in labels if lab["formalistic"]]
    assert sum(lab["grade"]["fits"] for lab in substantive) / len(substantive) > 0.9
    assert any(not lab["grade"]["fits"] for lab in formalistic)


def test_formalistic_reviews_differ_from_substantive_ones(train_corpus: GeneratedCorpus) -> None:
    labels = [lab for lab in labels_of(train_corpus) if lab["kind"] == "individual"]
    form = [lab["formalism"] for lab in labels if lab["formalistic"]]
    subs = [lab["formalism"] for lab in labels if not lab["formalistic"]]
    assert form and subs

    def mean(rows: list[dict], key: str) -> float:
        return sum(r[key] for r in rows) / len(rows)

    assert mean(form, "boilerplate_share") > 0.6 > 0.4 > mean(subs, "boilerplate_share")
    assert mean(form, "copied_share") > mean(subs, "copied_share") + 0.2

    def deadline_share(rows: list[dict]) -> float:
        total = sum(r["shortcomings"] for r in rows) or 1
        return sum(r["shortcomings_with_concrete_deadline"] for r in rows) / total

    assert deadline_share(subs) > 0.6 > 0.2 > deadline_share(form)


def test_placeholders_are_blanks(train_corpus: GeneratedCorpus) -> None:
    spans = [p["text"] for lab in labels_of(train_corpus) for p in lab["placeholders"]]
    assert spans
    for text in spans:
        assert re.search(r"[.…]{2,}|…|\[…\]|xxx|^\(nêu|; ", text), text


def _masked_words(text: str) -> str:
    return " " + " ".join(_DIGIT.sub("0", w) for w in re.findall(r"[^\W_]+", text.lower())) + " "


def test_unlabelled_sentences_do_not_repeat_a_source(train_corpus: GeneratedCorpus) -> None:
    # An inspector comparing a review with its sources sees a repeated sentence as copied, whatever the
    # generator meant; so a sentence of MIN_SYLLABLES+ syllables standing (case and numbers aside) in a
    # referenced source must lie inside a copied label. Before labels were made true, a quarter of the
    # aligner's matches were such unlabelled repeats.
    texts = _texts(train_corpus)
    masked = {f: _masked_words(t) for f, t in texts.items()}
    checked = 0
    for lab in labels_of(train_corpus):
        refs = [r["file"] for key in ("history", "peers", "templates") for r in lab[key]]
        copied = [(c["start"], c["end"]) for c in lab["copied"]]
        for s in lab["sentences"]:
            if any(a < s["end"] and s["start"] < b for a, b in copied):
                continue
            words = _masked_words(s["text"])
            if len(words.split()) < MIN_SYLLABLES:
                continue
            checked += 1
            assert not any(words in masked[f] for f in refs), (lab["file"], s["text"])
    assert checked > 200
