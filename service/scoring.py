"""The formalism score: one number in 0..1 per review that combines the families' scores and a few flags.

The weights are data (corpus/rules/scoring.yaml) so calibration on the labelled sets changes a file, not
the code. A family whose score is null is left out of the combination and its weight is not counted: a
review screened without history must not look cleaner (or worse) because duplication could not be judged.
The reason for every family left out is returned with the score, in Vietnamese.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from service.detect.base import Flag
from service.paths import CORPUS_DIR

SCORING_FILE = CORPUS_DIR / "rules" / "scoring.yaml"
SEVERITIES = ("high", "medium", "low")


class ScoringError(ValueError):
    """The scoring file is malformed; the message says which key."""


@dataclass(frozen=True)
class ExtraFlagWeight:
    by_severity: dict[str, float]
    max_count: int


@dataclass(frozen=True)
class ScoringRules:
    version: str
    weights: dict[str, float]
    blend_mean: float
    blend_max: float
    extra_cap: float
    extra_flags: dict[str, ExtraFlagWeight]
    reasons: dict[str, str]
    fixlist: dict[str, Any]

    @property
    def id(self) -> str:
        return f"scoring@{self.version}"


def _probability(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"{where}: expected a number, got {value!r}") from exc
    if not 0.0 <= number <= 1.0 or math.isnan(number):
        raise ScoringError(f"{where}: expected a value in 0..1, got {number}")
    return number


@lru_cache(maxsize=4)
def load_scoring(path: Path = SCORING_FILE) -> ScoringRules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    weights: dict[str, float] = {}
    for name, weight in (data.get("families") or {}).items():
        w = float(weight)
        if w < 0:
            raise ScoringError(f"families.{name}: a weight cannot be negative")
        weights[str(name)] = w
    if not weights:
        raise ScoringError("families: at least one family weight is needed")
    blend = data.get("blend") or {"mean": 1.0, "max": 0.0}
    blend_mean = _probability(blend.get("mean", 1.0), "blend.mean")
    blend_max = _probability(blend.get("max", 0.0), "blend.max")
    if abs(blend_mean + blend_max - 1.0) > 1e-6:
        raise ScoringError("blend: mean + max must be 1")
    extra_flags: dict[str, ExtraFlagWeight] = {}
    for code, spec in (data.get("extra_flags") or {}).items():
        by_severity = {s: _probability(spec.get(s, 0.0), f"extra_flags.{code}.{s}") for s in SEVERITIES}
        extra_flags[str(code)] = ExtraFlagWeight(by_severity, int(spec.get("max_count", 1)))
    return ScoringRules(
        version=str(data["version"]),
        weights=weights,
        blend_mean=blend_mean,
        blend_max=blend_max,
        extra_cap=_probability(data.get("extra_cap", 0.0), "extra_cap"),
        extra_flags=extra_flags,
        reasons={str(k): str(v) for k, v in (data.get("reasons") or {}).items()},
        fixlist=data.get("fixlist") or {},
    )


def _extra(flags: list[Flag], rules: ScoringRules) -> tuple[float, dict[str, int]]:
    """The contribution of flags no family scores (noisy-OR of per-flag weights, capped)."""
    counted: Counter[str] = Counter()
    keep = 1.0
    # The most severe flags of a code count first, so `max_count` keeps the ones that matter.
    order = sorted(flags, key=lambda f: SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 3)
    for flag in order:
        spec = rules.extra_flags.get(flag.code)
        if spec is None or counted[flag.code] >= spec.max_count:
            continue
        counted[flag.code] += 1
        keep *= 1.0 - spec.by_severity.get(flag.severity, 0.0)
    return min(rules.extra_cap, 1.0 - keep), dict(counted)


def combine(
    scores: dict[str, float | None],
    flags: list[Flag],
    *,
    reasons: dict[str, str] | None = None,
    rules: ScoringRules | None = None,
) -> tuple[float | None, dict[str, Any]]:
    """The formalism score (0..1, higher = more formalistic) and how it was made.

    `scores` maps contract score names (duplication, boilerplate, remedies, coverage) to a family score
    or None; a "formalism" key, if present, is ignored. `reasons` may give a specific Vietnamese reason
    for a null family (e.g. "không có bản kiểm điểm năm trước để so sánh"). The details hold the rules
    id, each family's score and effective share, the families left out with their reason, and the parts
    of the formula, so a reviewer can see why the number is what it is.
    """
    rules = rules or load_scoring()
    reasons = reasons or {}
    used: dict[str, dict[str, float]] = {}
    left_out: dict[str, str] = {}
    for name, value in scores.items():
        if name == "formalism":
            continue
        if name not in rules.weights:
            left_out[name] = rules.reasons.get("unknown", "unknown family")
            continue
        if value is None:
            left_out[name] = reasons.get(name) or rules.reasons.get("null", "null")
            continue
        if math.isnan(value) or not 0.0 <= value <= 1.0:
            raise ValueError(f"score {name}={value} is not in 0..1")
        used[name] = {"score": float(value), "weight": rules.weights[name]}
    for name in rules.weights:
        if name not in scores:
            left_out.setdefault(name, reasons.get(name) or rules.reasons.get("null", "null"))

    extra, extra_counts = _extra(flags, rules)
    details: dict[str, Any] = {
        "rules": rules.id,
        "families": used,
        "left_out": left_out,
        "extra": {"value": round(extra, 4), "flags": extra_counts},
    }
    total_weight = sum(f["weight"] for f in used.values())
    if not used or total_weight <= 0:
        details["reason"] = rules.reasons.get("all_null", "no family score")
        return None, details
    for f in used.values():
        f["share"] = round(f["weight"] / total_weight, 4)
    mean = sum(f["score"] * f["weight"] for f in used.values()) / total_weight
    peak = max(f["score"] for f in used.values())
    base = rules.blend_mean * mean + rules.blend_max * peak
    formalism = 1.0 - (1.0 - base) * (1.0 - extra)
    details.update({"mean": round(mean, 4), "max": round(peak, 4), "base": round(base, 4)})
    return round(min(1.0, max(0.0, formalism)), 4), details
