"""Form layouts by year (corpus/generator/forms.yaml): which form a member writes and its sections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.corpusgen.pools import Pools


@dataclass(frozen=True)
class SectionDef:
    sid: str
    parent: str | None
    num: str
    text: str
    topic: str | None
    optional: bool = False
    criteria: bool = False
    instruction: str | None = None
    entry_id: str = ""

    @property
    def depth(self) -> int:
        return self.sid.count(".")


@dataclass(frozen=True)
class FormDef:
    form: str
    kind: str
    years: tuple[int, int]
    categories: tuple[str, ...]
    title: str
    subtitle: str
    header: str  # new | old | collective
    grade: str  # points | criteria | plain
    sections: tuple[SectionDef, ...]
    entry_id: str

    def section(self, sid: str) -> SectionDef | None:
        return next((s for s in self.sections if s.sid == sid), None)

    def by_topic(self, topic: str) -> SectionDef | None:
        return next((s for s in self.sections if s.topic == topic), None)


def _section(raw: dict[str, Any]) -> SectionDef:
    return SectionDef(
        sid=raw["sid"],
        parent=raw.get("parent"),
        num=raw["num"],
        text=raw["text"],
        topic=raw.get("topic"),
        optional=bool(raw.get("optional")),
        criteria=bool(raw.get("criteria")),
        instruction=raw.get("instruction"),
        entry_id=raw["id"],
    )


class Forms:
    def __init__(self, pools: Pools) -> None:
        data = pools.data["forms"]
        self.levels: dict[str, str] = data["levels"]
        self.criteria_levels: dict[str, str] = data["criteria_levels"]
        self.text: dict[str, Any] = data["text"]
        self.civil: dict[str, str] = data["civil_headings"]
        self.variants: dict[str, list[dict[str, Any]]] = data["variants"]
        raw_forms = {f["form"]: f for f in data["forms"]}
        self.forms: dict[str, FormDef] = {}
        for name, raw in raw_forms.items():
            base = raw_forms[raw["same_as"]] if "same_as" in raw else raw
            replace = raw.get("replace") or {}
            drop = set(raw.get("drop") or ())
            sections = []
            for s in base["sections"]:
                if s["sid"] in drop:
                    continue
                sections.append(_section(replace.get(s["sid"], s)))
            self.forms[name] = FormDef(
                form=name,
                kind=raw["kind"],
                years=(raw["years"][0], raw["years"][1]),
                categories=tuple(raw["categories"]),
                title=raw["title"],
                subtitle=raw.get("subtitle") or "",
                header=raw["header"],
                grade=raw["grade"],
                sections=tuple(sections),
                entry_id=raw["id"],
            )

    def for_year(self, year: int, category: str) -> FormDef:
        """The form a member of `category` (leader | system | outside | collective) writes for `year`."""
        for f in self.forms.values():
            if f.years[0] <= year <= f.years[1] and category in f.categories:
                return f
        raise ValueError(f"no form for year {year} and category {category}")

    def previous_layout(self, form: FormDef) -> FormDef:
        """The 2023 layout a careless member reuses in 2025 (the 'old form' mistake)."""
        category = form.categories[0]
        return self.for_year(2024, category)
