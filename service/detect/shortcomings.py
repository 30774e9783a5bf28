"""Shortcomings of a review and what it says about them: causes and remedies (pure; the cues are data in
corpus/rules/remedies.yaml).

Section II.1 (a collective report's II) lists the shortcomings: one per bullet or numbered item, one per
sentence in prose, and a "…; …" list split at ";". Outside section II a shortcoming is taken only on a
strong cue ("còn hạn chế", "khuyết điểm là"), and never in I (praise), III (last year's), V (the
collective's) or VI (remedies). "Không có khuyết điểm gì" is a claim to check, not a shortcoming.
Causes come from II.2 and inline "do …"; remedies from VI, forward-looking items of III and inline
"biện pháp …"; both are linked to shortcomings by topic (`similarity`).

This module finds them (`extract`) and re-exports the public names of its parts: the rules and the
similarity in `shortcoming_rules`, the model and the item splitting in `shortcoming_items`, the linking of
causes and remedies in `shortcoming_links`.
"""

from __future__ import annotations

import re

from service.detect.shortcoming_items import (
    NO_ELSEWHERE,
    Cause,
    Claim,
    Extraction,
    Item,
    Remedy,
    Shortcoming,
    content_items,
    items_of,
    review_from_parts,
    section_items,
    top,
)
from service.detect.shortcoming_labels import NamedLine, assign_named
from service.detect.shortcoming_layout import recover_sections
from service.detect.shortcoming_links import link_causes, link_remedies
from service.detect.shortcoming_rules import (
    RULES_FILE,
    CauseKind,
    Cue,
    Rules,
    cause_kind,
    closest_among,
    first_match,
    load_rules,
    related,
    similarity,
    topic_label,
    topics,
    units,
)
from service.text.document import Review

__all__ = [
    "NO_ELSEWHERE",
    "RULES_FILE",
    "Cause",
    "CauseKind",
    "Claim",
    "Cue",
    "Extraction",
    "Item",
    "Remedy",
    "Rules",
    "Shortcoming",
    "cause_kind",
    "closest_among",
    "content_items",
    "extract",
    "first_match",
    "items_of",
    "load_rules",
    "negation",
    "recover_sections",
    "related",
    "review_from_parts",
    "section_items",
    "similarity",
    "top",
    "topic_label",
    "topics",
    "units",
]


def negation(text: str, rules: Rules, *, bare: bool) -> tuple[Cue, int] | None:
    """A "no shortcoming" claim in `text`, and where a shortcoming after "tuy nhiên" starts (or -1).
    `bare`: a lone "Không có." counts (only as an item of section II)."""
    for cue in rules["negation_cues"]:
        m = cue.regex.search(text)
        if m and (bare or not cue.regex.pattern.startswith("^")):
            c = rules.patterns["contrast"].search(text, m.end())
            return cue, (c.end() if c else -1)
    return None


def _is_shortcoming_elsewhere(text: str, rules: Rules) -> str | None:
    if any(c.regex.search(text) for c in rules["shortcoming_exceptions"]):
        return None
    hit = first_match(tuple(c for c in rules["shortcoming_cues"] if c.strong), text)
    return hit[1].id if hit else None


def _praise(text: str, rules: Rules) -> bool:
    """A line among the causes that only praises or thanks ("Kết quả trên có được là nhờ …")."""
    praise = rules.data_pattern("praise_line").search(text)
    return bool(praise) and not rules.data_pattern("shortfall").search(text)


def _inline(text: str, rules: Rules) -> tuple[tuple[int, int, str] | None, tuple[int, str] | None]:
    """Where an inline cause (start, end, cue id) and an inline remedy (start, cue id) sit in a shortcoming.

    "Do tuổi cao nên …" opens with its cause; otherwise a cue counts only after the first words. A remedy
    starts at its clause ("…, thời gian tới sẽ động viên …" keeps "thời gian tới" with it)."""
    hit = first_match(tuple(c for c in rules["remedy_cues"] if c.inline), text, min_start=8)
    remedy = None
    if hit:
        clause = max(text.rfind(",", 0, hit[0]), text.rfind(";", 0, hit[0]))
        start = clause + 1 if clause > 8 else hit[0]
        remedy = (start + len(text[start:]) - len(text[start:].lstrip()), hit[1].id)
    head = text[: remedy[0]] if remedy else text
    lead = rules.patterns["cause_start"].match(head)
    so = re.search(r"\s(?:nên|dẫn đến|khiến)\s", head)
    if lead and so:
        return (0, so.start(), "ca.leading"), remedy
    blocked = [(m.start(), m.end()) for c in rules["cause_exceptions"] for m in c.regex.finditer(head)]
    hits = [
        (m.start(), c.id)
        for c in rules["cause_cues"]
        for m in c.regex.finditer(head)
        if m.start() >= 8 and not any(s <= m.start() < e for s, e in blocked)
    ]
    cause = min(hits) if hits else None
    return ((cause[0], len(head), cause[1]) if cause else None), remedy


def _add_inline(i: int, sc: Shortcoming, ex: Extraction, rules: Rules) -> None:
    cause, remedy = _inline(sc.text, rules)
    if cause:
        chunk = sc.text[cause[0] : cause[1]].rstrip(" ,;.")
        kind, cues = cause_kind(chunk, rules)
        start = sc.start + cause[0]
        ex.causes.append(
            Cause(start, start + len(chunk), chunk, sc.section_id, kind, (cause[2], *cues), inline_of=i)
        )
        sc.causes.append(len(ex.causes) - 1)
    if remedy:
        chunk = sc.text[remedy[0] :].rstrip(" ,;.")
        start = sc.start + remedy[0]
        ex.remedies.append(Remedy(start, start + len(chunk), chunk, sc.section_id, (remedy[1],), inline_of=i))
        sc.remedies.append(len(ex.remedies) - 1)


def extract(review: Review, rules: Rules | None = None) -> Extraction:
    """Shortcomings, causes, remedies and claims of a review, linked to each other."""
    rules = rules or load_rules()
    review = recover_sections(review, rules)
    has_ii = any(top(s.id) == "II" for s in review.sections)
    ex = Extraction([], [], [], [], has_ii, rules.version)
    cause_items: list[Item] = items_of(review, "II.2", rules)
    explicit = review.section("II.1") is not None
    for it in items_of(review, "II.1", rules) if explicit else items_of(review, "II", rules):
        # In II.1 every item is a shortcoming ("Do tuổi cao nên …" included); in a II without
        # sub-sections an item opening with "Nguyên nhân"/"Do" is a cause.
        opens_cause = rules.patterns["cause_start"].match(it.text) and not re.search(r"\snên\s", it.text)
        if it.label or (opens_cause and not explicit):
            cause_items.append(it)
            continue
        if not first_match(rules["shortcoming_cues"], it.text) and (
            rules.data_pattern("filler").search(it.text) or _praise(it.text, rules)
        ):
            continue  # "Bản thân nhận thức rõ trách nhiệm …", "… luôn nỗ lực …": a stock line, no shortcoming
        neg = negation(it.text, rules, bare=True)
        if neg:
            ex.claims.append(Claim(it.start, it.end, it.text, it.section_id, neg[0].id))
            if neg[1] < 0:
                continue
            rest = it.text[neg[1] :].lstrip(" ,")
            it = Item(it.end - len(rest), it.end, rest, it.section_id, it.marker)
        ex.shortcomings.append(Shortcoming(it.start, it.end, it.text, it.section_id, "section"))
    n_section = len(ex.shortcomings)
    remedy_items = items_of(review, "VI", rules)
    remedy_cues = rules["remedy_cues"]
    remedy_items += [i for i in items_of(review, "III", rules) if first_match(remedy_cues, i.text)]
    for it in content_items(review, rules, frozenset({"II", "B"})):
        neg = negation(it.text, rules, bare=False)
        if neg:
            ex.claims.append(Claim(it.start, it.end, it.text, it.section_id, neg[0].id))
    claimed = {(c.start, c.end) for c in ex.claims}
    for it in content_items(review, rules):
        if (it.start, it.end) in claimed:
            continue
        cue = _is_shortcoming_elsewhere(it.text, rules)
        if cue:
            ex.shortcomings.append(Shortcoming(it.start, it.end, it.text, it.section_id, "elsewhere", cue))
        elif not review.sections and rules.patterns["cause_start"].match(it.text):
            cause_items.append(it)
        elif first_match(tuple(c for c in remedy_cues if c.inline), it.text):
            remedy_items.append(it)
    for i, sc in enumerate(ex.shortcomings):
        _add_inline(i, sc, ex, rules)
    cause_items = [it for it in cause_items if not _praise(it.text, rules)]
    named = assign_named(
        [
            NamedLine((it.start, it.end), label, it.text)
            for it in (*cause_items, *remedy_items)
            if (label := topic_label(it.text, rules))
        ],
        [sc.text for sc in ex.shortcomings],
        [i < n_section for i in range(len(ex.shortcomings))],
        rules,
    )
    link_causes(ex, cause_items, n_section, rules, named)
    link_remedies(ex, remedy_items, rules, named)
    return ex
