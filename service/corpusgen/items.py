"""Turning pool entries into items: picking, expanding, and composing frames whose parts keep their spans."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from service.corpusgen.model import Item, Span
from service.corpusgen.pools import Pools, Trace, capitalize_first, expand
from service.corpusgen.slots import Slots

_SENTINEL_BASE = 0xE000  # private-use code points stand in for parts while a frame is expanded
_TRAILING = " .;:,"
# "Việc {np}" with an np that starts with "việc": say it once.
_VIEC_VIEC = re.compile(r"\b([Vv]iệc) việc\b")


@dataclass
class Ctx:
    """What content builders share for one document."""

    pools: Pools
    rng: random.Random
    trace: Trace
    slots: Slots
    used: set[str] = field(default_factory=set)
    # Entries already written in this member's earlier reviews or by same-year peers of the unit. Fresh
    # content avoids them, so text that is not labelled as copied does not silently repeat a source.
    avoid: frozenset[str] = frozenset()

    def pick(self, file: str, pool: str) -> dict[str, Any]:
        return self.choice(self.pools.pool(file, pool), distinct=True)

    def choice(self, entries: list[dict[str, Any]], *, distinct: bool = False) -> dict[str, Any]:
        """One entry; `distinct` prefers entries this document has not used yet (no line said twice).

        Entries in `avoid` are drawn only when nothing else is left; an entry reused by this document
        repeats nothing a reader could take for copying, so it is preferred over an avoided one.
        """
        fresh = [e for e in entries if e["id"] not in self.avoid] if self.avoid else entries
        if distinct:
            entries = (
                [e for e in fresh if e["id"] not in self.used]
                or fresh
                or [e for e in entries if e["id"] not in self.used]
                or entries
            )
        else:
            entries = fresh or entries
        entry = self.rng.choice(entries)
        self.trace.use(entry)
        self.used.add(entry["id"])
        return entry

    def expand(self, entry: dict[str, Any]) -> tuple[str, list[Span]]:
        ex = expand(entry["text"], self.rng, self.slots)
        text, blanks = strip_trailing(ex.text, list(ex.placeholders))
        return text, blanks


def strip_trailing(text: str, blanks: list[Span] | None = None) -> tuple[str, list[Span]]:
    """Drop final punctuation (the writer adds its own), keeping blank spans inside the text."""
    end = len(text)
    floor = max((e for _, e in blanks or ()), default=0)
    while end > floor and text[end - 1] in _TRAILING:
        end -= 1
    return text[:end], [(s, min(e, end)) for s, e in blanks or () if s < end]


def item_from(ctx: Ctx, file: str, pool: str, topic: str, *, boilerplate: bool, kind: str = "plain") -> Item:
    entry = ctx.pick(file, pool)
    text, blanks = ctx.expand(entry)
    return Item(
        text=capitalize_first(text),
        topic=topic,
        boilerplate=boilerplate,
        kind="blank" if blanks and kind == "plain" else kind,
        sub=entry.get("sub"),
        blanks=blanks,
        ids=[entry["id"]],
    )


Part = tuple[str, dict[str, Span]]


def compose(ctx: Ctx, frame: dict[str, Any], parts: dict[str, Part]) -> tuple[str, dict[str, Span]]:
    """Expand `frame`, putting each named part where its {NAME} slot is; return the text and part spans.

    A part's own spans (e.g. the C of an inline cause inside S) are carried over, shifted.
    """
    names = list(parts)
    sentinel = {name: chr(_SENTINEL_BASE + i) for i, name in enumerate(names)}
    back = {v: k for k, v in sentinel.items()}
    ctx.trace.use(frame)

    def fill(name: str, arg: str | None) -> str:
        if name in sentinel:
            return sentinel[name]
        return ctx.slots(name, arg)

    raw = _VIEC_VIEC.sub(r"\1", expand(frame["text"], ctx.rng, fill).text)
    out: list[str] = []
    spans: dict[str, Span] = {}
    pos = 0
    for ch in raw:
        name = back.get(ch)
        if name is None:
            out.append(ch)
            pos += 1
            continue
        text, inner = parts[name]
        spans[name] = (pos, pos + len(text))
        for k, (s, e) in inner.items():
            spans[k] = (pos + s, pos + e)
        out.append(text)
        pos += len(text)
    return "".join(out), spans


def lower_first(text: str) -> str:
    """Lower-case a clause's first letter unless it starts a proper name or an acronym."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def add_deadline(ctx: Ctx, text: str, spans: dict[str, Span], kind: str) -> tuple[str, dict[str, Span]]:
    """Append a deadline of `kind` (concrete | vague | none) with a connector; record its span as D."""
    if kind == "none":
        return text, spans
    pools = ctx.pools.data["shortcomings"]
    expr_entry = ctx.choice(pools["deadlines"][kind])
    conn = ctx.choice(pools["deadline_connectors"][kind])
    expr = ctx.slots.text(expr_entry["text"])
    start = len(text) + len(conn["pre"])
    text = text + conn["pre"] + expr + conn["post"]
    return text, {**spans, "D": (start, start + len(expr))}
