"""`kiemdiem evaluate LABELS_DIR`: run the screening on labelled data and measure every flag family alike.

A labels directory may hold review sidecars (`*.labels.json`, schema `kiemdiem.labels/1`, next to the
review file), a sentence set (`sentences.jsonl`: text + boilerplate label) and a shortcoming set
(`shortcomings.jsonl`: excerpt + cause/remedy/deadline labels). A family whose detector is not built is
reported as "not built", never as a number.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.detect.base import Context, Reference
from service.evaluation.metrics import Case, Counts, PlagdetAccumulator, match_spans, roc_auc
from service.screening import DETECTORS, screen
from service.text.document import Review
from service.text.pipeline import build_review
from service.text.readers import read_document

COPY_CODES = {
    "copied_from_history": "history",
    "copied_from_peer": "peer",
    "copied_from_template": "template",
}
DEADLINE_CLASSES = ("none", "vague", "concrete")


@dataclass
class FamilyResult:
    name: str
    built: bool
    metrics: dict[str, Any] = field(default_factory=dict)


@dataclass
class EvaluationReport:
    labels_dir: str
    reviews: int = 0
    sentences: int = 0
    shortcomings: int = 0
    families: list[FamilyResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels_dir": self.labels_dir,
            "reviews": self.reviews,
            "sentences": self.sentences,
            "shortcomings": self.shortcomings,
            "families": {f.name: (f.metrics if f.built else "not built") for f in self.families},
        }


class _ReviewCache:
    """Each file is read and analysed once, however many submissions cite it."""

    def __init__(self) -> None:
        self._reviews: dict[tuple[Path, int | None], Review] = {}

    def get(self, path: Path, year: int | None = None) -> Review:
        key = (path.resolve(), year)
        if key not in self._reviews:
            document = read_document(path)
            self._reviews[key] = build_review(document.text, source=str(path), year=year)
        return self._reviews[key]


def _resolve(labels_path: Path, root: Path, name: str) -> Path:
    for base in (labels_path.parent, root):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{labels_path}: referenced file {name!r} not found")


def _context(label: dict[str, Any], labels_path: Path, root: Path, cache: _ReviewCache) -> Context:
    refs: dict[str, list[Reference]] = {"history": [], "peer": [], "template": []}
    for role, key in (("history", "history"), ("peer", "peers"), ("template", "templates")):
        for item in label.get(key, []) or []:
            if isinstance(item, str):  # a bare file name is allowed
                item = {"file": item}
            path = _resolve(labels_path, root, item["file"])
            year = item.get("year")
            review = cache.get(path, year)
            refs[role].append(Reference(review=review, role=role, source=item["file"], year=year))  # type: ignore[arg-type]
    return Context(history=refs["history"], peers=refs["peer"], templates=refs["template"])


@dataclass
class _Accumulators:
    copy_flags: Counts = field(default_factory=Counts)
    plagdet: PlagdetAccumulator = field(default_factory=PlagdetAccumulator)
    duplication_scores: list[float] = field(default_factory=list)
    duplication_labels: list[bool] = field(default_factory=list)
    boilerplate: Counts = field(default_factory=Counts)
    placeholders: Counts = field(default_factory=Counts)
    grade: Counts = field(default_factory=Counts)
    formalism_scores: list[float] = field(default_factory=list)
    formalism_labels: list[bool] = field(default_factory=list)
    shortcoming_status: Counter[str] = field(default_factory=Counter)
    deadline_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)


def _covered(span: tuple[int, int], flags: list[tuple[int, int]], share: float = 0.5) -> bool:
    length = max(1, span[1] - span[0])
    inside = sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in flags)
    return inside >= share * length


def _score_review(label: dict[str, Any], review: Review, context: Context, acc: _Accumulators) -> None:
    result = screen(review, context)
    text_length = max(1, len(review.text))
    flags = result.flags

    copied = label.get("copied", [])
    predicted_copies = [f for f in flags if f.code in COPY_CODES]
    acc.copy_flags += match_spans(
        [(f.start, f.end) for f in predicted_copies], [(c["start"], c["end"]) for c in copied], 0.3
    )
    acc.plagdet.add(
        [
            Case(c["start"], c["end"], c["source_file"], frozenset(a["file"] for a in c.get("also_in", [])))
            for c in copied
        ],
        [Case(f.start, f.end, str(f.evidence.get("source", ""))) for f in predicted_copies],
    )
    if context.history:
        # Text that stands in an earlier review is copied from history, whoever wrote it first.
        history_chars = sum(
            c["end"] - c["start"]
            for c in copied
            if c.get("role") == "history" or any(a["role"] == "history" for a in c.get("also_in", []))
        )
        acc.duplication_labels.append(history_chars / text_length >= 0.05)
        acc.duplication_scores.append(result.scores.get("duplication") or 0.0)

    boiler_flags = [(f.start, f.end) for f in flags if f.code == "boilerplate"]
    for sentence in label.get("sentences", []):
        predicted = _covered((sentence["start"], sentence["end"]), boiler_flags)
        acc.boilerplate += Counts(
            tp=int(predicted and sentence["boilerplate"]),
            fp=int(predicted and not sentence["boilerplate"]),
            fn=int(not predicted and sentence["boilerplate"]),
        )

    acc.placeholders += match_spans(
        [(f.start, f.end) for f in flags if f.code == "placeholder_left"],
        [(p["start"], p["end"]) for p in label.get("placeholders", [])],
    )

    grade = label.get("grade") or {}
    if grade.get("claimed"):
        flagged = any(f.code == "grade_inconsistent" for f in flags)
        unfit = not grade.get("fits", True)
        acc.grade += Counts(
            tp=int(flagged and unfit), fp=int(flagged and not unfit), fn=int(unfit and not flagged)
        )

    if "formalistic" in label and result.scores.get("formalism") is not None:
        acc.formalism_scores.append(result.scores["formalism"])  # type: ignore[arg-type]
        acc.formalism_labels.append(bool(label["formalistic"]))

    if label.get("shortcomings") is not None and "remedies" in result.details:
        _score_shortcomings(label["shortcomings"], result.details["remedies"], acc)


def _cause_present(value: str | bool | None) -> bool:
    return value not in (None, False, "none")


def _score_shortcomings(gold: list[dict[str, Any]], details: dict[str, Any], acc: _Accumulators) -> None:
    predicted = details.get("shortcomings", [])
    for item in gold:
        span = (item["start"], item["end"])
        match = max(
            predicted,
            key=lambda p: min(span[1], p["end"]) - max(span[0], p["start"]),
            default=None,
        )
        if match is None or min(span[1], match["end"]) <= max(span[0], match["start"]):
            acc.shortcoming_status["missed"] += 1
            acc.deadline_confusion[(item["deadline"], "missed")] += 1
            continue
        _compare_status(item, match, acc)


def _compare_status(gold: dict[str, Any], predicted: dict[str, Any], acc: _Accumulators) -> None:
    cause_ok = _cause_present(gold.get("cause")) == _cause_present(predicted.get("cause"))
    remedy_ok = bool(gold.get("remedy")) == bool(predicted.get("remedy"))
    predicted_deadline = predicted.get("deadline", "none")
    if predicted_deadline == "implausible":
        predicted_deadline = "concrete"  # a dated deadline, judged implausible: still a date
    deadline_ok = gold.get("deadline", "none") == predicted_deadline
    acc.shortcoming_status["total"] += 1
    acc.shortcoming_status["cause_ok"] += cause_ok
    acc.shortcoming_status["remedy_ok"] += remedy_ok
    acc.shortcoming_status["deadline_ok"] += deadline_ok
    acc.shortcoming_status["all_ok"] += cause_ok and remedy_ok and deadline_ok
    acc.deadline_confusion[(gold.get("deadline", "none"), predicted_deadline)] += 1


def _sentence_set(path: Path, acc: _Accumulators) -> int:
    from service.detect.boilerplate import judge_sentence

    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        predicted = judge_sentence(item["text"]).flagged
        gold = bool(item["boilerplate"])
        acc.boilerplate += Counts(
            tp=int(predicted and gold), fp=int(predicted and not gold), fn=int(gold and not predicted)
        )
        count += 1
    return count


def _shortcoming_set(path: Path, acc: _Accumulators) -> int:
    from service.detect.remedies import judge_excerpt

    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("is_shortcoming") is False:
            continue
        predicted = judge_excerpt(item)
        if predicted is None:
            acc.shortcoming_status["missed"] += 1
            acc.deadline_confusion[(item["deadline"], "missed")] += 1
        else:
            _compare_status(item, predicted, acc)
        count += 1
    return count


def evaluate(labels_dir: Path) -> EvaluationReport:
    if not labels_dir.is_dir():
        raise FileNotFoundError(f"{labels_dir}: không phải thư mục")
    report = EvaluationReport(labels_dir=str(labels_dir))
    acc = _Accumulators()
    cache = _ReviewCache()
    for labels_path in sorted(labels_dir.rglob("*.labels.json")):
        label = json.loads(labels_path.read_text(encoding="utf-8"))
        review_path = _resolve(labels_path, labels_dir, label["file"])
        review = cache.get(review_path)
        _score_review(label, review, _context(label, labels_path, labels_dir, cache), acc)
        report.reviews += 1
    built = set(DETECTORS)
    for path in sorted(labels_dir.rglob("sentences.jsonl")):
        if "boilerplate" in built:
            report.sentences += _sentence_set(path, acc)
    for path in sorted(labels_dir.rglob("shortcomings.jsonl")):
        if "remedies" in built:
            report.shortcomings += _shortcoming_set(path, acc)
    report.families = _families(acc, built)
    return report


def _families(acc: _Accumulators, built: set[str]) -> list[FamilyResult]:
    families = [
        FamilyResult(
            "copying",
            "copying" in built,
            {
                "flags": acc.copy_flags.as_dict(),
                "chars": acc.plagdet.result(),
                "duplication_auc": roc_auc(acc.duplication_scores, acc.duplication_labels),
            },
        ),
        FamilyResult("boilerplate", "boilerplate" in built, acc.boilerplate.as_dict()),
    ]
    status = acc.shortcoming_status
    total = status["total"] + status["missed"]
    remedies = {
        "shortcomings": total,
        "found": status["total"],
        "cause_accuracy": status["cause_ok"] / total if total else None,
        "remedy_accuracy": status["remedy_ok"] / total if total else None,
        "deadline_accuracy": status["deadline_ok"] / total if total else None,
        "status_accuracy": status["all_ok"] / total if total else None,
        "deadline_confusion": {f"{g}->{p}": n for (g, p), n in sorted(acc.deadline_confusion.items())},
    }
    families.append(FamilyResult("remedies", "remedies" in built, remedies))
    families.append(FamilyResult("placeholders", "placeholders" in built, acc.placeholders.as_dict()))
    families.append(FamilyResult("grade", "coverage" in built, acc.grade.as_dict()))
    families.append(
        FamilyResult(
            "formalism",
            "coverage" in built,
            {
                "auc": roc_auc(acc.formalism_scores, acc.formalism_labels),
                "reviews": len(acc.formalism_labels),
            },
        )
    )
    return families


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_table(report: EvaluationReport) -> str:
    lines = [
        f"Đánh giá trên {report.labels_dir}: {report.reviews} bản kiểm điểm, {report.sentences} câu, "
        f"{report.shortcomings} khuyết điểm rời",
        "",
        f"{'family':<13} {'precision':>9} {'recall':>9} {'f1':>9}  other",
    ]
    for family in report.families:
        if not family.built:
            lines.append(f"{family.name:<13} {'not built':>9}")
            continue
        m = family.metrics
        if family.name == "copying":
            flags, chars = m["flags"], m["chars"]
            other = (
                f"chars P={_fmt(chars['precision'])} R={_fmt(chars['recall'])} "
                f"gran={_fmt(chars['granularity'])} plagdet={_fmt(chars['plagdet'])} "
                f"doc AUC={_fmt(m['duplication_auc'])}"
            )
            prf = f"{_fmt(flags['precision']):>9} {_fmt(flags['recall']):>9} {_fmt(flags['f1']):>9}"
            lines.append(f"{family.name:<13} {prf}  {other}")
        elif family.name == "remedies":
            other = (
                f"n={m['shortcomings']} found={m['found']} cause={_fmt(m['cause_accuracy'])} "
                f"remedy={_fmt(m['remedy_accuracy'])} deadline={_fmt(m['deadline_accuracy'])} "
                f"all={_fmt(m['status_accuracy'])}"
            )
            lines.append(f"{family.name:<13} {'':>9} {'':>9} {'':>9}  {other}")
        elif family.name == "formalism":
            lines.append(f"{family.name:<13} {'':>9} {'':>9} {'':>9}  AUC={_fmt(m['auc'])} n={m['reviews']}")
        else:
            lines.append(
                f"{family.name:<13} {_fmt(m['precision']):>9} {_fmt(m['recall']):>9} {_fmt(m['f1']):>9}  "
                f"tp={m['tp']} fp={m['fp']} fn={m['fn']}"
            )
    return "\n".join(lines) + "\n"
