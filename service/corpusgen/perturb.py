"""Formalism perturbations at the content level: copying items from last year's review, a peer's review or a
circulating template, with years changed, words swapped for synonyms, items dropped, inserted and reordered.

Every copied item keeps an `Origin` (source file and the source item's span in the source's canonical
text); the edits are replacements whose effect on the item's inner spans (cause, remedy, deadline,
blanks) is tracked, so labels stay exact after editing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rapidfuzz.fuzz import ratio

from service.corpusgen.items import Ctx, item_from
from service.corpusgen.model import Item, Origin, Plan, Rendered, Span

Repl = tuple[int, int, str]
MIN_COPY_RATIO = 75.0  # a copied item stays recognisably derived from its source
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_DOTS_BLANK = re.compile(r"^[.…]+$")
# Topics a copier takes from an earlier review (grade lines are written fresh every year).
COPY_TOPICS = (
    "quality",
    "tasks",
    "leadership",
    "commitment",
    "shortcomings",
    "causes",
    "fixes",
    "explain",
    "responsibility",
    "remedies",
    "c_principle",
    "c_tasks",
    "c_building",
    "c_leadership",
)


def apply_replacements(
    text: str, repls: list[Repl], spans: dict[str, Span], blanks: list[Span]
) -> tuple[str, dict[str, Span], list[Span]]:
    """Apply non-overlapping replacements; shift spans that contain or follow them, drop replaced blanks."""
    repls = sorted(repls)
    out: list[str] = []
    pos = 0
    for s, e, new in repls:
        out.append(text[pos:s])
        out.append(new)
        pos = e
    out.append(text[pos:])

    def shift(x: int) -> int:
        return x + sum(len(new) - (e - s) for s, e, new in repls if e <= x)

    new_spans = {k: (shift(s), shift(e)) for k, (s, e) in spans.items()}
    replaced = {(s, e) for s, e, _ in repls}
    new_blanks = [(shift(s), shift(e)) for s, e in blanks if (s, e) not in replaced]
    return "".join(out), new_spans, new_blanks


def year_repls(text: str, src_year: int, dst_year: int) -> list[Repl]:
    """The copier's find-and-replace: last year's numbers (and its neighbours) moved forward."""
    delta = dst_year - src_year
    if delta == 0:
        return []
    out = []
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        if src_year - 1 <= y <= src_year + 1:
            out.append((m.start(), m.end(), str(y + delta)))
    return out


def _protected(s: int, e: int, protect: list[Span]) -> bool:
    return any(s < pe and ps < e for ps, pe in protect)


def synonym_repls(ctx: Ctx, text: str, rate: float, protect: list[Span]) -> list[Repl]:
    """Replace about `rate` of the words by synonyms from the edits pool, outside protected spans."""
    if rate <= 0:
        return []
    target = round(rate * len(text.split()))
    if target == 0:
        return []
    found: list[tuple[int, int, str, dict[str, Any]]] = []
    for group in ctx.pools.pool("edits", "synonyms"):
        for form in group["words"]:
            for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text, flags=re.IGNORECASE):
                found.append((m.start(), m.end(), form, group))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    chosen: list[tuple[int, int, str, dict[str, Any]]] = []
    last_end = -1
    for f in found:
        if f[0] >= last_end and not _protected(f[0], f[1], protect):
            chosen.append(f)
            last_end = f[1]
    ctx.rng.shuffle(chosen)
    repls = []
    for s, e, form, group in chosen[:target]:
        others = [w for w in group["words"] if w.lower() != form.lower()]
        new = ctx.rng.choice(others)
        if text[s].isupper():
            new = new[0].upper() + new[1:]
        ctx.trace.use(group)
        repls.append((s, e, new))
    return repls


def derive(ctx: Ctx, source: Rendered, index: int, role: str, year: int, rate: float, prefix: str) -> Item:
    """A copy of source item `index`, edited; its Origin points at the source item's core span."""
    src = source.items[index]
    text = source.text[src.start : src.end]
    spans, blanks = dict(src.spans), list(src.blanks)
    if role == "history":
        text, spans, blanks = apply_replacements(text, year_repls(text, source.year, year), spans, blanks)
    protect = list(spans.values()) + blanks
    edited, e_spans, e_blanks = apply_replacements(
        text, synonym_repls(ctx, text, rate, protect), spans, blanks
    )
    if ratio(source.text[src.start : src.end], edited) >= MIN_COPY_RATIO:
        text, spans, blanks = edited, e_spans, e_blanks
    if role == "template" and blanks:
        filled = _fill_blanks(ctx, text, spans, blanks)
        if ratio(source.text[src.start : src.end], filled[0]) >= MIN_COPY_RATIO:
            text, spans, blanks = filled
    return replace(
        src,
        text=text,
        spans=spans,
        blanks=blanks,
        key=prefix + src.key if src.key else None,
        links=tuple(prefix + k for k in src.links),
        origin=Origin(role, source.file, source.year, src.start, src.end, index),
        ids=list(src.ids),
        start=-1,
        end=-1,
        sent_start=-1,
        sent_end=-1,
        section=None,
    )


def _fill_blanks(
    ctx: Ctx, text: str, spans: dict[str, Span], blanks: list[Span]
) -> tuple[str, dict[str, Span], list[Span]]:
    """A paster fills some dotted blanks with a number and leaves the rest (and the instructions)."""
    repls = [
        (s, e, str(ctx.rng.randint(1, 20)))
        for s, e in blanks
        if _DOTS_BLANK.match(text[s:e]) and ctx.rng.random() < 0.5
    ]
    new_text, new_spans, new_blanks = apply_replacements(text, repls, spans, blanks)
    if ratio(text, new_text) < MIN_COPY_RATIO:
        return text, spans, blanks
    return new_text, new_spans, new_blanks


def apply_copy(
    ctx: Ctx,
    plan: Plan,
    source: Rendered,
    role: str,
    share: float,
    rate: float,
    *,
    topics: tuple[str, ...] = COPY_TOPICS,
) -> None:
    """Replace about `share` of each topic's items by edited copies of the source's items of that topic."""
    rng = ctx.rng
    prefix = {"history": "h", "peer": "p", "template": "t"}[role]
    for topic in topics:
        src = [i for i, it in enumerate(source.items) if it.topic == topic]
        if not src:
            continue
        if share < 0.9:
            # Rounded at random, so a light copier takes a line here and there, not one per section.
            k = int(share * len(src) + rng.random())
            if k == 0:
                continue
            keep = sorted(rng.sample(range(len(src)), k))
            src = [src[i] for i in keep]
        copied = [derive(ctx, source, i, role, plan.year, rate, prefix) for i in src]
        if len(copied) > 1 and rng.random() < 0.3:
            a = rng.randrange(len(copied) - 1)
            copied[a], copied[a + 1] = copied[a + 1], copied[a]  # bullets reordered
        fresh = plan.items.get(topic, [])
        n_keep = round((1 - share) * len(fresh))
        kept = [fresh[i] for i in sorted(rng.sample(range(len(fresh)), n_keep))] if fresh else []
        if role == "history" and rng.random() < 0.2:
            filler = item_from(ctx, "edits", "insert_filler", topic, boilerplate=True)
            kept.append(filler)
        merged = list(copied)
        seen = {_norm(it.text) for it in copied} | {it.ids[0] for it in copied if it.ids}
        for it in kept:
            # A copier does not keep two lines saying the same thing (same text or same pool entry).
            if _norm(it.text) not in seen and (not it.ids or it.ids[0] not in seen):
                seen.update((_norm(it.text), *it.ids[:1]))
                merged.insert(rng.randint(0, len(merged)), it)
        plan.items[topic] = merged
    _prune_links(plan)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _prune_links(plan: Plan) -> None:
    """Drop causes and remedies left behind by shortcomings a copier dropped."""
    keys = {it.key for it in plan.items.get("shortcomings", []) if it.key}
    for topic in ("causes", "remedies"):
        if topic in plan.items:
            plan.items[topic] = [
                it for it in plan.items[topic] if not it.links or keys.intersection(it.links)
            ]
