"""Filling the slots of pool entries ({year}, {n:3-12}, {doc}, {subject}, ...) for one document."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from service.corpusgen.pools import PoolError, Pools, Trace, expand

# Pools in people.yaml that name bodies; used as slots when naming units.
NAME_POOLS = (
    "schools",
    "banks",
    "companies",
    "colleges",
    "hospitals",
    "departments",
    "wards",
    "residential",
    "faculties",
)
_NAME_SLOTS = {p.rstrip("s") if p != "residential" else p: p for p in NAME_POOLS}
_NAME_SLOTS.update({"company": "companies", "faculty": "faculties", "bank": "banks", "ward": "wards"})


@dataclass
class Slots:
    """A slot filler bound to one document's facts. Callable as `expand`'s `fill`."""

    pools: Pools
    rng: random.Random
    trace: Trace
    year: int
    place: str = ""
    province: str = ""
    unit: str = ""
    org: str = "CB"
    orgs: str = "UBND"
    voice: str = "Bản thân"
    role_vars: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    hyear: int | None = None

    def __call__(self, name: str, arg: str | None) -> str:
        rng = self.rng
        if name in ("n", "pct", "dec"):
            lo, _, hi = (arg or "").partition("-")
            a, b = int(lo), int(hi or lo)
            if name == "dec":
                return f"{rng.randint(a * 10, b * 10) / 10:.1f}".replace(".", ",")
            return str(rng.randint(a, b))
        if name == "year":
            return str(self.year)
        if name == "next":
            return str(self.year + 1)
        if name == "prev":
            return str(self.year - 1)
        if name == "hyear":
            return str(self.hyear if self.hyear is not None else self.year - 1)
        if name == "date":
            return f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{self.year}"
        if name == "doc":
            entry = self.pools.pick(
                "individual", rng.choice(("docs", "docs", "central_docs")), rng, self.trace
            )
            return expand(entry["text"], rng, self).text
        if name in ("org", "orgs", "place", "province", "unit"):
            return str(getattr(self, name))
        if name == "toi":
            return self.voice
        if name in self.extra:
            return self.extra[name]
        if name in self.role_vars:
            entry = rng.choice(self.role_vars[name])
            self.trace.use(entry)
            return entry["text"]
        if name in _NAME_SLOTS:
            entry = self.pools.pick("people", _NAME_SLOTS[name], rng, self.trace)
            return expand(entry["text"], rng, self).text
        if name == "area":
            entry = self.pools.pick("individual", "resp_areas", rng, self.trace)
            return entry["text"]
        raise PoolError(f"unknown slot {{{name}}}")

    def text(self, template: str) -> str:
        return expand(template, self.rng, self).text
