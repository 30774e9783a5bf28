"""The rules of the copying detector, read from corpus/rules/copying.yaml, and the wording its flags share.

Alignment parameters, thresholds, flag codes, severities and hints per source role, and the degrees of
likeness named in messages (`degree`, with similarities written with a decimal comma by `number`). Kept
apart from `service.detect.copying` so that the recurring-shortcoming check
(`service.detect.copying_recurring`) reads the same rules without importing the detector.
"""

from __future__ import annotations

from typing import Any

import yaml

from service.detect.base import SourceRole
from service.index.align import AlignParams
from service.paths import CORPUS_DIR

DETECTOR = "copying"
VERSION = 2
RULES_FILE = CORPUS_DIR / "rules" / "copying.yaml"
RULES: dict[str, Any] = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
RULES_VERSION = str(RULES["version"])
PARAMS = AlignParams(**RULES["align"])
RECURRING_MIN_SIMILARITY = float(RULES["recurring"]["min_similarity"])
RECURRING_MIN_SYLLABLES = int(RULES["recurring"]["min_syllables"])
EXCERPT = 300

_ROLES: tuple[SourceRole, ...] = ("history", "peer", "template")
CODE: dict[SourceRole, str] = {r: RULES["flags"][r]["code"] for r in _ROLES}
SEVERITY: dict[SourceRole, Any] = {r: RULES["flags"][r]["severity"] for r in _ROLES}
HINT: dict[SourceRole, str] = {r: RULES["hints"][r] for r in _ROLES}
RECURRING_HINT: str = RULES["hints"]["recurring"]
SOURCE_TIE = float(RULES["source_tie"])
UNIT_MIN_SIMILARITY = float(RULES["unit_min_similarity"])
EDGE_MIN_RUN = int(RULES["edge"]["min_run"])
EDGE_MIN_CUT = int(RULES["edge"]["min_cut"])
EXACT_MIN_SYLLABLES = int(RULES["exact_min_syllables"])
ROLE_RANK: dict[SourceRole, int] = {r: int(RULES["role_rank"][r]) for r in _ROLES}
SHARED_MIN_SHARE = float(RULES["shared_lines"]["min_share"])
SHARED_MIN_DOCS = int(RULES["shared_lines"]["min_docs"])
_DEGREES: list[tuple[float, str]] = [(float(d["min"]), d["text"]) for d in RULES["degrees"]]


def number(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def degree(similarity: float) -> str:
    return next((text for low, text in _DEGREES if similarity >= low), _DEGREES[-1][1])
