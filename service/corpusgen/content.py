"""What one member writes in one year, before any copying: formalism knobs, fresh items per section,
and the grade claimed once the content is final."""

from __future__ import annotations

import random
from typing import Any

from service.corpusgen.forms import FormDef
from service.corpusgen.items import Ctx, item_from
from service.corpusgen.model import GradeSpec, Item, Knobs, Plan, Rendered
from service.corpusgen.pools import capitalize_first
from service.corpusgen.province import Member, Unit
from service.corpusgen.shortcomings import build_block, build_fixes, choose_topics, stock_remedy

_SUBS = ("politics", "ethics", "discipline", "style", "degradation", "unity", "exemplary", "prohibited")
# Sections whose concrete sentences count as the products an excellent grade needs.
PRODUCT_TOPICS = ("tasks", "leadership", "c_tasks")
LEVEL_BANDS = {"excellent": (90, 100), "good": (70, 89), "completed": (50, 69), "not_completed": (20, 49)}


def draw_knobs(rng: random.Random, level: float, *, has_history: bool, year: int) -> Knobs:
    """Formalism for one review. `level` ≥ 0.5 is a formalistic review; several markers then co-occur."""
    u = rng.uniform
    if level < 0.5:
        k = Knobs(
            level=level,
            formalistic=False,
            boiler_share=u(0.05, 0.3),
            n_short=rng.randint(2, 4),
            short_stock_p=0.15,
            cause_mode="specific",
            cause_p=u(0.85, 1.0),
            inline_p=u(0.1, 0.4),
            remedy_p=u(0.9, 1.0),
            concrete_deadline_p=u(0.75, 0.95),
            vague_deadline_p=0.05,
            fix_mode="specific" if rng.random() < 0.9 else "stock",
        )
        if has_history and rng.random() < 0.2:
            k.copy_history, k.edit_rate = u(0.05, 0.2), u(0.1, 0.3)
            k.markers.append("copy_history_light")
        if rng.random() < 0.03:
            k.blanks = 1
        return k
    k = Knobs(
        level=level,
        formalistic=True,
        boiler_share=u(0.65, 0.97),
        n_short=rng.randint(1, 4),
        short_stock_p=0.85,
        cause_mode=rng.choices(("generic", "none", "specific"), (0.5, 0.25, 0.25))[0],
        cause_p=u(0.2, 0.6),
        inline_p=u(0.0, 0.2),
        remedy_p=u(0.1, 0.6),
        concrete_deadline_p=u(0.0, 0.15),
        vague_deadline_p=u(0.4, 0.75),
        fix_mode=rng.choices(("stock", "none", "specific"), (0.6, 0.3, 0.1))[0],
        markers=["boilerplate", "weak_remedies"],
    )
    if has_history and rng.random() < 0.6:
        k.copy_history, k.edit_rate = u(0.5, 0.95), u(0.0, 0.3)
        k.markers.append("copy_history")
    if rng.random() < 0.3:
        k.template = u(0.4, 0.9)
        k.markers.append("template")
    if rng.random() < 0.2:
        k.copy_peer = u(0.3, 0.7)
        k.markers.append("copy_peer")
    if rng.random() < 0.35:
        k.blanks = rng.randint(1, 3)
        k.header_blank = rng.random() < 0.3
        k.grade_blank = rng.random() < 0.3
        k.markers.append("blanks")
    if rng.random() < 0.45:
        k.grade_misfit = True
        k.markers.append("grade_misfit")
    drops = tuple(t for t in ("explain", "responsibility", "fixes") if rng.random() < 0.3)
    empties = tuple(t for t in ("explain", "responsibility") if t not in drops and rng.random() < 0.2)
    k.drop_sections, k.empty_sections = drops, empties
    k.wrong_form = year >= 2025 and rng.random() < 0.05
    return k


def _pick_sub(ctx: Ctx, entries: list[dict[str, Any]], sub: str) -> dict[str, Any]:
    same = [e for e in entries if e.get("sub") == sub and e["id"] not in ctx.avoid]
    # Another sub-topic rather than a line a peer or an earlier review already has.
    return ctx.choice(same or entries, distinct=True)


def _quality(ctx: Ctx, knobs: Knobs) -> list[Item]:
    pools = ctx.pools.data["individual"]["pools"]
    subs = list(_SUBS[:5]) + ctx.rng.sample(_SUBS[5:], 2)
    ctx.rng.shuffle(subs)
    n = ctx.rng.randint(4, 8)
    items = []
    for i in range(n):
        concrete = ctx.rng.random() > knobs.boiler_share
        entry = _pick_sub(
            ctx, pools["quality_concrete" if concrete else "quality_stock"], subs[i % len(subs)]
        )
        text, blanks = ctx.expand(entry)
        items.append(
            Item(
                capitalize_first(text),
                "quality",
                not concrete,
                sub=entry.get("sub"),
                blanks=blanks,
                ids=[entry["id"]],
            )
        )
    if ctx.rng.random() < 0.15:
        items.insert(0, item_from(ctx, "individual", "intro_quality", "quality", boilerplate=True))
    return items


def _tasks(ctx: Ctx, knobs: Knobs, role: dict[str, Any], category: str) -> list[Item]:
    items = []
    stock_pools = ["tasks_stock", "tasks_stock_outside"] if category == "outside" else ["tasks_stock"]
    for _ in range(ctx.rng.randint(3, 6)):
        if ctx.rng.random() > knobs.boiler_share:
            entry = ctx.choice(role["tasks"], distinct=True)
            text, _ = ctx.expand(entry)
            items.append(Item(text, "tasks", False, ids=[entry["id"]]))
        else:
            items.append(item_from(ctx, "individual", ctx.rng.choice(stock_pools), "tasks", boilerplate=True))
    return _dedupe(items)


def _simple(ctx: Ctx, knobs: Knobs, topic: str, concrete: str, stock: str, lo: int, hi: int) -> list[Item]:
    items = []
    for _ in range(ctx.rng.randint(lo, hi)):
        is_concrete = ctx.rng.random() > knobs.boiler_share
        pool = concrete if is_concrete else stock
        items.append(item_from(ctx, "individual", pool, topic, boilerplate=not is_concrete))
    return _dedupe(items)


def _dedupe(items: list[Item]) -> list[Item]:
    seen: set[str] = set()
    out = []
    for it in items:
        if it.text not in seen:
            seen.add(it.text)
            out.append(it)
    return out


def plan_individual(
    ctx: Ctx,
    member: Member,
    unit: Unit,
    form: FormDef,
    year: int,
    knobs: Knobs,
    prev: Rendered | None,
    collective: Rendered | None,
) -> Plan:
    role = ctx.pools.data["roles"]["roles"][member.role]
    items: dict[str, list[Item]] = {
        "quality": _dedupe(_quality(ctx, knobs)),
        "tasks": _tasks(ctx, knobs, role, member.category),
        "commitment": _simple(ctx, knobs, "commitment", "commit_concrete", "commit_stock", 1, 3),
    }
    if member.category == "leader":
        items["leadership"] = _simple(
            ctx, knobs, "leadership", "leadership_concrete", "leadership_stock", 2, 4
        )
    topics = ctx.pools.data["shortcomings"]["topics"]
    eligible = [t for t in topics if t["scope"] == "general" or t["id"] in role["topics"]]
    fixed_before = {
        it.stopic for it in (prev.items if prev else []) if it.kind == "fix" and it.status == "fixed"
    }
    chosen = choose_topics(ctx, eligible, knobs.n_short, list(role["topics"]), fixed_before)
    if knobs.formalistic and ctx.rng.random() < 0.12:
        chosen = []
        entry = ctx.choice(ctx.pools.data["shortcomings"]["no_shortcomings"])
        items["shortcomings"] = [
            Item(capitalize_first(ctx.expand(entry)[0]), "shortcomings", True, ids=[entry["id"]])
        ]
    block = build_block(ctx, chosen, knobs)
    for topic, block_items in block.items():
        items.setdefault(topic, []).extend(block_items)
    n_stock = ctx.rng.randint(2, 5) if knobs.formalistic else ctx.rng.randint(0, 2)
    items["remedies"].extend(
        _dedupe([stock_remedy(ctx, "individual", "remedy_stock") for _ in range(n_stock)])
    )
    items["fixes"] = build_fixes(ctx, prev, knobs)
    explain_pool = "explain_concrete" if not knobs.formalistic and ctx.rng.random() < 0.15 else "explain_none"
    items["explain"] = [
        item_from(ctx, "individual", explain_pool, "explain", boilerplate=explain_pool == "explain_none")
    ]
    items["responsibility"] = [_responsibility(ctx, knobs, member, collective)]
    for entry in ctx.pools.sample("individual", "blank_lines", knobs.blanks, ctx.rng, ctx.trace):
        text, blanks = ctx.expand(entry)
        target = ctx.rng.choice(("tasks", "tasks", "quality", "fixes"))
        blank = Item(capitalize_first(text), target, True, "blank", blanks=blanks, ids=[entry["id"]])
        items.setdefault(target, []).insert(ctx.rng.randint(0, len(items.get(target, []))), blank)
    for topic in knobs.drop_sections:
        items.pop(topic, None)
    for topic in knobs.empty_sections:
        items[topic] = []
    d, m = (ctx.rng.randint(10, 28), 12) if ctx.rng.random() < 0.7 else (ctx.rng.randint(2, 20), 1)
    header = {
        "name": member.name,
        "birth": member.birth,
        "post": member.title,
        "party_post": "Bí thư chi bộ" if member.is_leader else "Đảng viên",
        "category": member.category,
        "unit_name": unit.name,
        "chibo": unit.chibo,
        "place": unit.place,
        "date": f"{d}|{m}|{year if m == 12 else year + 1}",
    }
    return Plan("individual", year, form.form, items, header, GradeSpec(None), knobs)


def _responsibility(ctx: Ctx, knobs: Knobs, member: Member, collective: Rendered | None) -> Item:
    topics = {t["id"]: t for t in ctx.pools.data["collective"]["topics"]}
    coll_items = collective.items if collective else []
    coll_short = [it for it in coll_items if it.kind == "shortcoming" and it.stopic in topics]
    wants_concrete = member.is_leader or not knobs.formalistic
    if coll_short and wants_concrete and ctx.rng.random() < 0.85:
        target = ctx.rng.choice(coll_short)
        topic = topics[target.stopic or ""]
        np_entry = ctx.choice(topic["np"])
        ctx.slots.extra["cnp"] = np_entry["text"]
        item = item_from(ctx, "individual", "resp_concrete", "responsibility", boilerplate=False)
        item.ids.append(np_entry["id"])
        return item
    return item_from(ctx, "individual", "resp_stock", "responsibility", boilerplate=True)


def decide_grade(rng: random.Random, plan: Plan, form: FormDef, prev: Rendered | None) -> GradeSpec:
    """Claim a grade that fits the content, or (when the knobs say so) one that does not."""
    knobs = plan.knobs
    products = sum(1 for t in PRODUCT_TOPICS for it in plan.items.get(t, []) if not it.boilerplate)
    open_prev = has_open_previous(plan, prev)
    supported = products >= 2 and not open_prev
    misfit = None
    if knobs.grade_misfit:
        options = ["points_sum", "band"] if form.grade == "points" else []
        if not supported:
            options += ["excellent_unsupported"] * 2
        if form.grade == "criteria":
            options.append("criterion_below")
        misfit = rng.choice(options) if options else None
    excellent_p = 0.3 if not knobs.formalistic else 0.15
    if misfit in ("excellent_unsupported", "criterion_below") or (supported and rng.random() < excellent_p):
        claimed = "excellent"
    else:
        claimed = "good" if rng.random() < 0.85 else "completed"
    spec = GradeSpec(claimed, cadre_claim=claimed, misfit=misfit)
    if form.grade == "points":
        lo, hi = LEVEL_BANDS[claimed]
        total = rng.randint(lo, hi)
        general = min(30, max(10, round(total * 0.3) + rng.randint(-2, 2)))
        tasks = total - general
        if tasks > 70:
            general, tasks = general + tasks - 70, 70
        if misfit == "points_sum":
            total = min(100, total + rng.choice((-6, -3, 4, 5)))
        elif misfit == "band":
            wrong = rng.choice([lvl for lvl in ("excellent", "good", "completed") if lvl != claimed])
            wlo, whi = LEVEL_BANDS[wrong]
            total = rng.randint(wlo, whi)
            general = min(30, max(10, round(total * 0.3)))
            tasks = total - general
        spec.points = (general, tasks, total)
    if form.grade == "criteria":
        base = "excellent" if claimed == "excellent" else "good"
        spec.criteria = {s.sid: base for s in form.sections if s.criteria}
        if misfit == "criterion_below" and spec.criteria:
            spec.criteria[rng.choice(sorted(spec.criteria))] = "completed"
    if knobs.grade_blank:
        spec.points_blank = form.grade == "points"
        if spec.points_blank and misfit in ("points_sum", "band"):
            spec.misfit = None  # the blank hides the inconsistency it was meant to show
            knobs.markers = [m for m in knobs.markers if m != "grade_misfit"]
        if rng.random() < 0.5:
            spec.claimed = spec.cadre_claim = None
            spec.claim_blank_style = rng.choice(("dots", "options"))
    return spec


def has_open_previous(plan: Plan, prev: Rendered | None) -> bool:
    """Did last year's review list shortcomings this review does not report as fixed?"""
    if prev is None:
        return False
    prev_refs = {(it.start, it.end) for it in prev.items if it.kind == "shortcoming"}
    if not prev_refs:
        return False
    fixed = {
        (it.prev_ref[1], it.prev_ref[2])
        for it in plan.items.get("fixes", [])
        if it.status == "fixed" and it.prev_ref and it.prev_ref[0] == prev.file
    }
    return bool(prev_refs - fixed)
