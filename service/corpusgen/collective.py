"""A chi bộ's collective report (Mẫu 01 and the older collective forms) for one year."""

from __future__ import annotations

from typing import Any

from service.corpusgen.forms import FormDef
from service.corpusgen.items import Ctx, item_from
from service.corpusgen.model import GradeSpec, Item, Knobs, Plan, Rendered
from service.corpusgen.pools import capitalize_first
from service.corpusgen.province import Unit
from service.corpusgen.shortcomings import build_block, build_fixes, choose_topics, stock_remedy


def _section(
    ctx: Ctx, knobs: Knobs, topic: str, lo: int, hi: int, extra_concrete: list[dict[str, Any]] | None = None
) -> list[Item]:
    items: list[Item] = []
    seen: set[str] = set()
    for _ in range(ctx.rng.randint(lo, hi)):
        concrete = ctx.rng.random() > knobs.boiler_share
        if concrete and extra_concrete and ctx.rng.random() < 0.4:
            entry = ctx.choice(extra_concrete, distinct=True)
            text, _ = ctx.expand(entry)
            item = Item(capitalize_first(text), topic, False, ids=[entry["id"]])
        else:
            pool = f"{topic}_concrete" if concrete else f"{topic}_stock"
            item = item_from(ctx, "collective", pool, topic, boilerplate=not concrete)
        if item.text not in seen:
            seen.add(item.text)
            items.append(item)
    return items


def plan_collective(
    ctx: Ctx, unit: Unit, leader_role: str, form: FormDef, year: int, knobs: Knobs, prev: Rendered | None
) -> Plan:
    role_tasks = ctx.pools.data["roles"]["roles"][leader_role]["tasks"]
    items: dict[str, list[Item]] = {
        "c_principle": _section(ctx, knobs, "c_principle", 2, 4),
        "c_tasks": _section(ctx, knobs, "c_tasks", 2, 5, role_tasks),
        "c_building": _section(ctx, knobs, "c_building", 2, 4),
        "c_leadership": _section(ctx, knobs, "c_leadership", 1, 3),
    }
    if ctx.rng.random() < 0.3:
        items["c_principle"].insert(
            0, item_from(ctx, "collective", "c_intro", "c_principle", boilerplate=True)
        )
    topics = ctx.pools.data["collective"]["topics"]
    fixed_before = {
        it.stopic for it in (prev.items if prev else []) if it.kind == "fix" and it.status == "fixed"
    }
    chosen = choose_topics(ctx, topics, max(1, knobs.n_short), [], fixed_before)
    items.update(build_block(ctx, chosen, knobs, collective=True))
    n_stock = ctx.rng.randint(2, 4) if knobs.formalistic else ctx.rng.randint(0, 2)
    for _ in range(n_stock):
        stock = stock_remedy(ctx, "collective", "c_remedy_stock")
        if all(stock.text != it.text for it in items["remedies"]):
            items["remedies"].append(stock)
    items["fixes"] = build_fixes(ctx, prev, knobs, collective=True)
    items["explain"] = [item_from(ctx, "collective", "c_explain_none", "explain", boilerplate=True)]
    own = [it for it in items["shortcomings"] if it.kind == "shortcoming" and it.stopic]  # fresh: own topics
    if own and not knobs.formalistic:
        target = ctx.rng.choice(own)
        topic = next(t for t in topics if t["id"] == target.stopic)
        np_entry = ctx.choice(topic["np"])
        ctx.slots.extra["cnp"] = np_entry["text"]
        resp = item_from(ctx, "collective", "c_resp_concrete", "responsibility", boilerplate=False)
        resp.ids.append(np_entry["id"])
    else:
        resp = item_from(ctx, "collective", "c_resp_stock", "responsibility", boilerplate=True)
    items["responsibility"] = [resp]
    for topic in knobs.drop_sections:
        items.pop(topic, None)
    for topic in knobs.empty_sections:
        items[topic] = []
    for _ in range(knobs.blanks):
        blank = item_from(ctx, "individual", "blank_lines", "c_tasks", boilerplate=True, kind="blank")
        items["c_tasks"].insert(ctx.rng.randint(0, len(items["c_tasks"])), blank)
    d = ctx.rng.randint(5, 28)
    header = {"name": "", "chibo": unit.chibo, "place": unit.place, "date": f"{d}|12|{year}"}
    return Plan("collective", year, form.form, items, header, GradeSpec(None), knobs)
