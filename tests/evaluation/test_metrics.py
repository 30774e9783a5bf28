import math

import pytest

from service.evaluation.metrics import Case, Counts, PlagdetAccumulator, match_spans, roc_auc


def test_counts_precision_recall_f1() -> None:
    c = Counts(tp=8, fp=2, fn=8)
    assert c.precision == pytest.approx(0.8) and c.recall == pytest.approx(0.5)
    assert c.f1 == pytest.approx(2 * 0.8 * 0.5 / 1.3)
    assert Counts().precision is None and Counts().f1 is None


def test_match_spans_needs_real_overlap() -> None:
    gold = [(0, 100), (200, 300)]
    assert match_spans([(10, 90)], gold) == Counts(tp=1, fp=0, fn=1)
    assert match_spans([(95, 205)], gold) == Counts(tp=0, fp=1, fn=2)


def test_plagdet_perfect_detection_is_one() -> None:
    acc = PlagdetAccumulator()
    acc.add([Case(0, 100, "a")], [Case(0, 100, "a")])
    assert acc.result() == {"precision": 1.0, "recall": 1.0, "granularity": 1.0, "plagdet": 1.0}


def test_plagdet_penalises_split_detections_and_wrong_sources() -> None:
    acc = PlagdetAccumulator()
    acc.add([Case(0, 100, "a")], [Case(0, 50, "a"), Case(50, 100, "a"), Case(0, 100, "b")])
    r = acc.result()
    assert r["granularity"] == 2.0 and r["recall"] == 1.0
    assert r["precision"] == pytest.approx(2 / 3)
    f1 = 2 * (2 / 3) / (2 / 3 + 1)
    assert r["plagdet"] == pytest.approx(f1 / math.log2(3))


def test_roc_auc_with_ties() -> None:
    assert roc_auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert roc_auc([0.5, 0.5], [True, False]) == 0.5
    assert roc_auc([0.1, 0.9, 0.4], [True, False, False]) == 0.0
    assert roc_auc([0.3], [True]) is None


def test_plagdet_accepts_any_source_that_holds_the_passage() -> None:
    acc = PlagdetAccumulator()
    # Pasted from a template that last year's review had pasted too: either attribution is right.
    acc.add([Case(0, 100, "template", frozenset({"review-2024"}))], [Case(0, 100, "review-2024")])
    assert acc.result()["plagdet"] == 1.0
    acc = PlagdetAccumulator()
    acc.add([Case(0, 100, "template", frozenset({"review-2024"}))], [Case(0, 100, "peer")])
    assert acc.result()["recall"] == 0.0
