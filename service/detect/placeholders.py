"""`placeholder_left`: unfilled blanks of a template ("Họ và tên:……", "Năm ….", "[…]", "xxx").

The patterns are data (corpus/rules/placeholders.yaml): each has an id, a severity and Vietnamese text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from service.detect.base import Context, DetectorResult, Flag, Severity
from service.paths import CORPUS_DIR
from service.text.document import Review

RULES_FILE = CORPUS_DIR / "rules" / "placeholders.yaml"


@dataclass(frozen=True)
class PlaceholderRule:
    id: str
    pattern: re.Pattern[str]
    severity: Severity
    message: str
    hint: str


@dataclass(frozen=True)
class PlaceholderRules:
    version: str
    rules: tuple[PlaceholderRule, ...]


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> PlaceholderRules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = tuple(
        PlaceholderRule(
            id=r["id"],
            pattern=re.compile(r["pattern"]),
            severity=r["severity"],
            message=r["message"],
            hint=r["hint"],
        )
        for r in data["rules"]
    )
    return PlaceholderRules(version=str(data["version"]), rules=rules)


def detect(review: Review, context: Context) -> DetectorResult:
    rules = load_rules()
    taken: list[tuple[int, int]] = []
    flags: list[Flag] = []
    for rule in rules.rules:
        if rule.id in context.disabled_rules or "placeholders" in context.disabled_rules:
            continue
        for m in rule.pattern.finditer(review.text):
            start, end = m.start(), m.end()
            while end > start and review.text[end - 1].isspace():
                end -= 1
            if end <= start or any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            snippet = review.text[start:end]
            flags.append(
                Flag(
                    code="placeholder_left",
                    severity=rule.severity,
                    start=start,
                    end=end,
                    message=rule.message.format(match=snippet),
                    hint=rule.hint,
                    evidence={"rule": rule.id, "rules_version": f"{rules.version}"},
                )
            )
    flags.sort(key=lambda f: (f.start, f.end))
    return DetectorResult(flags=flags, score=None, details={"count": len(flags)})
