"""Sections II, III and VI: shortcomings with or without causes, remedies and deadlines, and the account of
last year's shortcomings. Every link (cause → shortcoming, remedy → shortcoming) is recorded on the items,
so labels are read from what was written, not from what was intended."""

from __future__ import annotations

from typing import Any

from service.corpusgen.items import Ctx, add_deadline, compose, lower_first
from service.corpusgen.model import Item, Knobs, Rendered
from service.corpusgen.pools import capitalize_first

_FIRST_PERSON = ("ản thân", "ôi|", "|tôi", "|Tôi")


def _keep(spans: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Only the cause (C), remedy (R) and deadline (D) spans are labels; frame parts are not."""
    return {k: v for k, v in spans.items() if k in ("C", "R", "D")}


def _frames(ctx: Ctx, name: str, collective: bool) -> list[dict[str, Any]]:
    frames = ctx.pools.data["shortcomings"]["frames"][name]
    if collective:
        # A chi bộ does not write "bản thân"; keep the impersonal frames.
        frames = [f for f in frames if not any(p in f["text"] for p in _FIRST_PERSON)] or frames
    return frames


def choose_topics(
    ctx: Ctx, topics: list[dict[str, Any]], n: int, preferred: list[str], exclude: set[str]
) -> list[dict[str, Any]]:
    pool = [t for t in topics if t["id"] not in exclude] or topics
    pref = [t for t in pool if t["id"] in preferred]
    rest = [t for t in pool if t["id"] not in preferred]
    ctx.rng.shuffle(pref)
    ctx.rng.shuffle(rest)
    chosen: list[dict[str, Any]] = []
    while len(chosen) < n and (pref or rest):
        src = pref if pref and (not rest or ctx.rng.random() < 0.5) else rest
        chosen.append(src.pop())
    for t in chosen:
        ctx.trace.use(t)
    return chosen


def _facet(entries: list[dict[str, Any]], facet: str | None) -> list[dict[str, Any]]:
    """Entries fit for one sub-issue of a topic: untagged ones and those of the same facet.

    A topic may bundle sub-issues (fire safety, tax filing); a cause or remedy of another sub-issue does not
    speak of this shortcoming, so it is never drawn for it.
    """
    return [e for e in entries if e.get("facet") in (None, facet)]


def _inline_cause_span(text: str, entry: dict[str, Any]) -> tuple[int, int] | None:
    """Where a phrasing that already says why ("… do bản thân chưa thành thạo") states its cause."""
    clause = entry.get("cause_text")
    at = text.rfind(clause) if clause else -1
    return (at, at + len(clause)) if at >= 0 else None


def _cause_types(ctx: Ctx, knobs: Knobs) -> str:
    r = ctx.rng.random()
    if knobs.formalistic:
        return "objective" if r < 0.45 else "subjective" if r < 0.8 else "both"
    return "subjective" if r < 0.55 else "both" if r < 0.85 else "objective"


def _deadline_kind(ctx: Ctx, knobs: Knobs) -> str:
    r = ctx.rng.random()
    if r < knobs.concrete_deadline_p:
        return "concrete"
    if r < knobs.concrete_deadline_p + knobs.vague_deadline_p:
        return "vague"
    return "none"


def build_block(
    ctx: Ctx,
    topics: list[dict[str, Any]],
    knobs: Knobs,
    *,
    collective: bool = False,
    key_prefix: str = "f",
) -> dict[str, list[Item]]:
    """Items for the shortcomings, causes and (specific) remedies of the chosen topics."""
    rng = ctx.rng
    shortcomings: list[Item] = []
    causes: list[Item] = []
    remedies: list[Item] = []
    for i, topic in enumerate(topics):
        key = f"{key_prefix}{i + 1}"
        stock = rng.random() < knobs.short_stock_p
        phr = ctx.choice(topic["stock"] if stock else topic["concrete"])
        facet = phr.get("facet")
        np_entry = ctx.choice(_facet(topic["np"], facet) or topic["np"])
        ctx.slots.extra["np"] = np_entry["text"]
        s_text, _ = ctx.expand(phr)
        text, spans = capitalize_first(s_text), {}
        ids = [np_entry["id"], phr["id"]]
        inline_cause: tuple[str, dict[str, Any]] | None = None
        own_span = _inline_cause_span(text, phr)
        if own_span is not None:
            # The phrasing says why itself: that is this shortcoming's inline cause.
            inline_cause, spans = (phr["cause"], phr), {"C": own_span}
        ctype = "none"
        if knobs.cause_mode == "specific" and rng.random() < knobs.cause_p:
            ctype = _cause_types(ctx, knobs)
        pending: list[tuple[str, dict[str, Any]]] = []
        for t in ("subjective", "objective"):
            if ctype in (t, "both"):
                fitting = _facet(topic["subj" if t == "subjective" else "obj"], facet)
                if fitting:
                    pending.append((t, ctx.choice(fitting)))
        if pending and inline_cause is None and rng.random() < knobs.inline_p:
            inline_cause = pending.pop(0)
            frame = ctx.choice(_frames(ctx, "inline_cause", collective))
            clause = lower_first(ctx.slots.text(inline_cause[1]["text"]))
            text, spans = compose(ctx, frame, {"S": (text, spans), "C": (clause, {})})
            ids += [frame["id"], inline_cause[1]["id"]]
        has_remedy = rng.random() < knobs.remedy_p
        concrete_remedy = rng.random() > knobs.boiler_share
        deadline = _deadline_kind(ctx, knobs) if has_remedy else "none"
        inline_remedy = has_remedy and rng.random() < knobs.inline_p * 0.5
        remedy_entry = None
        if has_remedy:
            # A remedy of the shortcoming's own sub-issue, or none at all (then it is labelled as none). A
            # general wording ("Công tác tuyên truyền, vận động … chưa thường xuyên") is addressed by a remedy
            # of any of its sub-issues, so an untagged phrasing may take them all.
            remedy_pool = topic["remedy_concrete" if concrete_remedy else "remedy_stock"]
            fitting = remedy_pool if facet is None else _facet(remedy_pool, facet)
            remedy_entry = ctx.choice(fitting) if fitting else None
            if remedy_entry is None:
                has_remedy, inline_remedy, deadline = False, False, "none"
        if inline_remedy and remedy_entry is not None:
            frame = ctx.choice(_frames(ctx, "remedy_inline", collective))
            clause = lower_first(ctx.slots.text(remedy_entry["text"]))
            text, spans = compose(ctx, frame, {"S": (text, spans), "R": (clause, {})})
            text, spans = add_deadline(ctx, text, spans, deadline)
            ids += [frame["id"], remedy_entry["id"]]
        shortcomings.append(
            Item(
                text=capitalize_first(text),
                topic="shortcomings",
                boilerplate=stock and not (inline_remedy and (concrete_remedy or deadline == "concrete")),
                kind="shortcoming",
                key=key,
                stopic=topic["id"],
                spans=_keep(spans),
                cause_type=inline_cause[0] if inline_cause else None,
                deadline=deadline if inline_remedy else None,
                ids=ids,
            )
        )
        for ctype_one, clause_entry in pending:
            name = "cause_subj" if ctype_one == "subjective" else "cause_obj"
            frame = ctx.choice(_frames(ctx, name, collective))
            clause = lower_first(ctx.slots.text(clause_entry["text"]))
            c_text, c_spans = compose(ctx, frame, {"C": (clause, {})})
            causes.append(
                Item(
                    text=capitalize_first(c_text),
                    topic="causes",
                    boilerplate=False,
                    kind="cause",
                    links=(key,),
                    topics=(topic["id"],),
                    cause_type=ctype_one,
                    spans=_keep(c_spans),
                    ids=[frame["id"], clause_entry["id"]],
                )
            )
        if has_remedy and not inline_remedy and remedy_entry is not None:
            frame = ctx.choice(_frames(ctx, "remedy", collective))
            clause = lower_first(ctx.slots.text(remedy_entry["text"]))
            r_text, r_spans = compose(ctx, frame, {"R": (clause, {})})
            r_text, r_spans = add_deadline(ctx, r_text, r_spans, deadline)
            remedies.append(
                Item(
                    text=capitalize_first(r_text),
                    topic="remedies",
                    boilerplate=not concrete_remedy and deadline != "concrete",
                    kind="remedy",
                    links=(key,),
                    topics=(topic["id"],),
                    deadline=deadline,
                    spans=_keep(r_spans),
                    ids=[frame["id"], remedy_entry["id"]],
                )
            )
    if knobs.cause_mode == "generic" and shortcomings:
        keys = tuple(s.key for s in shortcomings if s.key)
        kinds = [k for k in ("subjective", "objective") if rng.random() < 0.65] or [
            rng.choice(("subjective", "objective"))
        ]
        for kind in kinds:
            entry = ctx.choice(ctx.pools.data["shortcomings"]["generic_causes"][kind])
            text, _ = ctx.expand(entry)
            causes.append(
                Item(
                    capitalize_first(text),
                    "causes",
                    True,
                    "cause",
                    links=keys,
                    cause_type=kind,
                    ids=[entry["id"]],
                )
            )
    subj_first = not knobs.formalistic or rng.random() < 0.4
    causes.sort(
        key=lambda c: (c.cause_type != "subjective") if subj_first else (c.cause_type == "subjective")
    )
    if shortcomings and rng.random() < 0.35:
        frame = ctx.choice(_frames(ctx, "shortcoming_intro", collective))
        intro = Item(capitalize_first(ctx.slots.text(frame["text"])), "shortcomings", True, ids=[frame["id"]])
        shortcomings.insert(0, intro)
    return {"shortcomings": shortcomings, "causes": causes, "remedies": remedies}


def stock_remedy(ctx: Ctx, file: str, pool: str) -> Item:
    """A stock VI line. One that names a topic ("Nâng cao hiệu quả công tác kiểm tra, giám sát") is a remedy
    for the shortcomings of that topic; a catch-all ("khắc phục những hạn chế đã nêu") is no remedy."""
    entry = ctx.pick(file, pool)
    text, _ = ctx.expand(entry)
    topics = tuple(entry.get("topics", ()))
    return Item(
        capitalize_first(text),
        "remedies",
        True,
        "remedy" if topics else "plain",
        topics=topics,
        deadline="none" if topics else None,
        ids=[entry["id"]],
    )


def topic_index(ctx: Ctx) -> dict[str, dict[str, Any]]:
    topics = ctx.pools.data["shortcomings"]["topics"] + ctx.pools.data["collective"]["topics"]
    return {t["id"]: t for t in topics}


def build_fixes(ctx: Ctx, prev: Rendered | None, knobs: Knobs, *, collective: bool = False) -> list[Item]:
    """Section III: a status for each of last year's shortcomings, or stock lines, or nothing."""
    if knobs.fix_mode == "none":
        return []
    stock_pool = ("collective", "c_fix_stock") if collective else ("individual", "fix_stock")
    prev_short = [it for it in prev.items if it.kind == "shortcoming"] if prev else []
    if knobs.fix_mode == "stock" or not prev_short:
        entry = ctx.pick(*stock_pool)
        text, _ = ctx.expand(entry)
        return [Item(capitalize_first(text), "fixes", True, "fix", status="stock", ids=[entry["id"]])]
    topics = topic_index(ctx)
    pools = ctx.pools.data["individual"]["pools"]
    items: list[Item] = []
    ctx.slots.hyear = prev.year if prev else None
    for it in prev_short:
        topic = topics.get(it.stopic or "")
        if topic is None or ctx.rng.random() < 0.1:
            continue  # an earlier shortcoming this review forgets to account for
        r = ctx.rng.random()
        status = "fixed" if r < 0.6 else "in_progress" if r < 0.9 else "not_fixed"
        frames = {"fixed": "fix_fixed", "in_progress": "fix_progress", "not_fixed": "fix_notfixed"}[status]
        candidates = [
            f for f in pools[frames] if not collective or not any(p in f["text"] for p in _FIRST_PERSON)
        ]
        frame = ctx.choice(candidates or pools[frames])
        np_entry = ctx.choice(topic["np"])
        ctx.slots.extra["np"] = np_entry["text"]
        if status == "fixed":
            part_entry = ctx.choice(topic["fixed"])
            part = ("E", ctx.slots.text(part_entry["text"]))
        else:
            part_entry = ctx.choice(topic["obj"])
            part = ("O", lower_first(ctx.slots.text(part_entry["text"])))
        text, _ = compose(ctx, frame, {part[0]: (part[1], {})})
        items.append(
            Item(
                capitalize_first(text),
                "fixes",
                False,
                "fix",
                status=status,
                stopic=it.stopic,
                prev_ref=(prev.file, it.start, it.end) if prev else None,
                ids=[frame["id"], np_entry["id"], part_entry["id"]],
            )
        )
    if not items:
        entry = ctx.pick(*stock_pool)
        text, _ = ctx.expand(entry)
        items.append(Item(capitalize_first(text), "fixes", True, "fix", status="stock", ids=[entry["id"]]))
    return items
