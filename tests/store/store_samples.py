"""Reviews the store tests save: the shared test texts (tests/service_samples.py) and the project's example,
screened."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from service_samples import AN_2025, BINH_2025, CHIBO_2025, EXAMPLES

from service.context import context_from_files
from service.screening import Screening, screen
from service.text.pipeline import build_review

TEXTS: dict[str, str] = {"an-2025": AN_2025, "binh-2025": BINH_2025, "chibo-2025": CHIBO_2025}


@cache
def screened(name: str, year: int = 2025) -> Screening:
    """A screening of one of TEXTS, or of the project's example review (`lan-2025`) with its 2024 history."""
    if name == "lan-2025":
        review = build_review(
            (EXAMPLES / "tran-thi-lan-2025.txt").read_text(encoding="utf-8"), source="tran-thi-lan-2025.txt"
        )
        return screen(review, context_from_files([str(EXAMPLES / "tran-thi-lan-2024.txt")], [], []))
    kind = "collective" if name.startswith("chibo") else "individual"
    return screen(build_review(TEXTS[name], source=f"{name}.txt", year=year, kind=kind))


def unscored(screening: Screening) -> Screening:
    """The same screening with no formalism score (as when no detector could judge the review)."""
    return replace(screening, scores={**screening.scores, "formalism": None})
