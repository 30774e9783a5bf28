"""The synthetic province: đảng bộ tỉnh → đảng bộ cơ sở → chi bộ, and the members with their roles,
formalism propensity and writing style."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from service.corpusgen.pools import Pools, Trace, capitalize_first, expand
from service.corpusgen.slots import Slots

# Which kinds of đảng bộ cơ sở a province of n units is made of, in order (communes dominate).
_DANGBO_CYCLE = ("commune", "company", "commune", "hospital", "college", "commune")
_BULLETS = ("- ", "- ", "+ ", "• ", "", "– ", "* ")


@dataclass(frozen=True)
class Style:
    bullet: str
    layout: str  # lines | paragraph
    end: str  # "." | ";" | ""
    markdown: bool
    numbering: str  # keep | lost | upper
    run_in_p: float
    variant_p: float
    civil: bool
    italic: bool
    clumsy: bool
    connector_p: float
    instructions: bool
    voice: str

    def without_markup(self) -> Style:
        """Word documents carry no markdown: the same style with bold and italic markers off."""
        return Style(**{**self.__dict__, "markdown": False, "italic": False})


@dataclass
class Member:
    id: str
    unit_id: str
    name: str
    gender: str
    birth: str
    role: str
    title: str
    category: str  # leader | system | outside
    is_leader: bool
    years: list[int]
    propensity: float
    style: Style
    ids: list[str] = field(default_factory=list)


@dataclass
class Unit:
    id: str
    dangbo_id: str
    type: str
    name: str
    chibo: str
    place: str
    org: str
    orgs: str
    propensity: float
    style: Style
    members: list[Member] = field(default_factory=list)


@dataclass
class DangBo:
    id: str
    type: str
    name: str
    place: str
    units: list[Unit] = field(default_factory=list)


@dataclass
class Province:
    name: str
    dangbo: list[DangBo]

    @property
    def units(self) -> list[Unit]:
        return [u for d in self.dangbo for u in d.units]

    @property
    def members(self) -> list[Member]:
        return [m for u in self.units for m in u.members]


def draw_style(rng: random.Random, voice_pool: tuple[str, ...] = ("Bản thân", "Tôi", "")) -> Style:
    layout = "paragraph" if rng.random() < 0.25 else "lines"
    return Style(
        bullet=rng.choice(_BULLETS),
        layout=layout,
        end=rng.choice((".", ".", ";", "")) if layout == "lines" else ".",
        markdown=rng.random() < 0.3,
        numbering=rng.choice(("keep", "keep", "keep", "lost", "upper")),
        run_in_p=rng.choice((0.0, 0.0, 0.2, 0.5)),
        variant_p=rng.choice((0.0, 0.1, 0.3)),
        civil=rng.random() < 0.2,
        italic=rng.random() < 0.1,
        clumsy=rng.random() < 0.2,
        connector_p=rng.choice((0.0, 0.1, 0.25)),
        instructions=rng.random() < 0.35,
        voice=rng.choice(voice_pool),
    )


def _propensity(rng: random.Random) -> float:
    # Two kinds of members: those who write their own review and those who fill a form.
    return rng.betavariate(2, 5) if rng.random() < 0.5 else rng.betavariate(5, 2)


def _name(pools: Pools, rng: random.Random, trace: Trace, gender: str) -> str:
    parts = [
        pools.pick("people", "surnames", rng, trace)["text"],
        pools.pick("people", "middle_m" if gender == "m" else "middle_f", rng, trace)["text"],
        pools.pick("people", "given_m" if gender == "m" else "given_f", rng, trace)["text"],
    ]
    return " ".join(parts)


def _birth(rng: random.Random, role: str, leader: bool) -> str:
    ranges = {"sinh_vien": (2000, 2005), "huu_tri": (1946, 1962), "bi_thu_khu": (1950, 1964)}
    lo, hi = ranges.get(role, (1966, 1988) if leader else (1966, 1999))
    return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(lo, hi)}"


def _title(pools: Pools, rng: random.Random, trace: Trace, role: dict[str, Any], leader: bool) -> str:
    entry = rng.choice(role["titles"])
    trace.use(entry)
    slots = Slots(pools, rng, trace, year=2025, role_vars=role["vars"])
    title = expand(entry["text"], rng, slots).text
    if leader and "Bí thư" not in title:
        title = "Bí thư chi bộ, " + title
    if not leader and "Bí thư" in title:
        title = capitalize_first(title.split(", ", 1)[-1])
    return title


def build_province(
    pools: Pools,
    rng: random.Random,
    trace: Trace,
    *,
    n_units: int,
    members_per_unit: int,
    years: tuple[int, ...],
) -> Province:
    roles_data = pools.data["roles"]
    dangbo_types = {d["id"]: d for d in roles_data["dangbo_types"]}
    unit_types = {u["id"]: u for u in roles_data["unit_types"]}
    roles = roles_data["roles"]
    province = pools.pick("people", "provinces", rng, trace)["text"]
    places = [e for e in pools.pool("people", "places")]
    rng.shuffle(places)
    n_dangbo = max(1, math.ceil(n_units / 3))
    dangbo_list: list[DangBo] = []
    remaining = n_units
    for d in range(n_dangbo):
        dtype = dangbo_types[_DANGBO_CYCLE[d % len(_DANGBO_CYCLE)]]
        place = places[d % len(places)]
        trace.use(place)
        slots = Slots(pools, rng, trace, year=2025, place=place["text"], province=province)
        db = DangBo(f"db{d + 1:02d}", dtype["id"], slots.text(dtype["name"]), place["text"])
        n_here = min(3, remaining) if d < n_dangbo - 1 else remaining
        remaining -= n_here
        utypes = list(dtype["units"])
        rng.shuffle(utypes)
        for u in range(n_here):
            utype = unit_types[utypes[u % len(utypes)]]
            uplace = place["text"] if dtype["id"] == "commune" else rng.choice(places)["text"]
            uslots = Slots(pools, rng, trace, year=2025, place=uplace, province=province)
            uname = uslots.text(utype["name"])
            unit = Unit(
                id=f"{db.id}-cb{u + 1:02d}",
                dangbo_id=db.id,
                type=utype["id"],
                name=uname,
                chibo=f"Chi bộ {uname}",
                place=uplace,
                org=utype["org"],
                orgs={"school": "THCS", "health_station": "TYT", "police": "CAX"}.get(utype["id"], "UBND"),
                propensity=_propensity(rng),
                style=draw_style(rng, ("",)),
            )
            trace.use(utype)
            weights = utype["members"]
            for m in range(members_per_unit):
                leader = m == 0
                role_id = utype["leader"] if leader else rng.choices(list(weights), list(weights.values()))[0]
                role = roles[role_id]
                trace.use(role)
                gender = "m" if rng.random() < 0.5 else "f"
                member_years = [y for y in years if role_id != "sinh_vien" or y >= 2024]
                if not leader and len(member_years) > 2 and rng.random() < 0.2:
                    member_years = member_years[1:]  # joined the chi bộ later
                member = Member(
                    id=f"dv{m + 1:02d}",
                    unit_id=unit.id,
                    name=_name(pools, rng, trace, gender),
                    gender=gender,
                    birth=_birth(rng, role_id, leader),
                    role=role_id,
                    title=_title(pools, rng, trace, role, leader),
                    category="leader" if leader else role["category"],
                    is_leader=leader,
                    years=member_years,
                    propensity=_propensity(rng),
                    style=draw_style(rng),
                )
                unit.members.append(member)
            db.units.append(unit)
        dangbo_list.append(db)
    return Province(province, dangbo_list)
