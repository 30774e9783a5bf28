"""Labels of a written document (`kiemdiem.labels/1`), read off the rendered items and their positions."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from rapidfuzz.fuzz import ratio

from service.corpusgen.content import LEVEL_BANDS, PRODUCT_TOPICS, has_open_previous
from service.corpusgen.model import Item, Rendered
from service.corpusgen.perturb import COPY_TOPICS
from service.corpusgen.truecopies import true_copies

SCHEMA = "kiemdiem.labels/1"
_TRIVIAL_GAP = re.compile(r"^[\s\-+*•–.;:,]*$")
# The author's own content (not headings, header or grade lines): the same topics a copier takes.
_CONTENT_TOPICS = COPY_TOPICS
_DEADLINE_RANK = {"concrete": 2, "vague": 1, "none": 0, None: -1}


def _span(it: Item, name: str) -> list[int] | None:
    if name not in it.spans:
        return None
    s, e = it.spans[name]
    return [it.start + s, it.start + e]


def copied_runs(r: Rendered, sources: dict[str, Rendered]) -> list[dict[str, Any]]:
    """Copied items merged into passages where both sides are contiguous (only bullets between)."""
    runs: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    for it in r.items:
        o = it.origin
        if o is None:
            cur = None
            continue
        src_text = sources[o.source_file].text
        if (
            cur is not None
            and cur["source_file"] == o.source_file
            and cur["role"] == o.role
            and o.source_index == cur["_last"] + 1
            and _TRIVIAL_GAP.match(r.text[cur["end"] : it.start])
            and _TRIVIAL_GAP.match(src_text[cur["source_end"] : o.source_start])
        ):
            cur["end"], cur["source_end"], cur["_last"] = it.end, o.source_end, o.source_index
            continue
        cur = {
            "start": it.start,
            "end": it.end,
            "source_file": o.source_file,
            "source_year": o.source_year,
            "source_start": o.source_start,
            "source_end": o.source_end,
            "role": o.role,
            "_last": o.source_index,
        }
        runs.append(cur)
    out = []
    for run in runs:
        text = r.text[run["start"] : run["end"]]
        src = sources[run["source_file"]].text[run["source_start"] : run["source_end"]]
        out.append(
            {
                "start": run["start"],
                "end": run["end"],
                "text": text,
                "source_file": run["source_file"],
                "source_year": run["source_year"],
                "source_start": run["source_start"],
                "source_end": run["source_end"],
                "role": run["role"],
                "similarity": round(ratio(text, src) / 100, 3),
            }
        )
    return out


def _names(it: Item) -> set[str]:
    """The topics a reader files a shortcoming under."""
    return {t for t in (it.stopic, *it.topics) if t}


def _serves(x: Item, shortcoming: Item) -> bool:
    """Does cause/remedy `x` speak of `shortcoming`? Judged from what the text names, as a reader would,
    not from which shortcoming it was written for: a cause naming no topic covers every shortcoming, a
    remedy naming none (a catch-all) serves none, and a copied line naming this topic counts too."""
    if not x.topics:
        return x.kind == "cause"
    return bool(_names(shortcoming) & set(x.topics))


def shortcoming_labels(r: Rendered, prev: Rendered | None) -> list[dict[str, Any]]:
    prev_by_topic = {
        it.stopic: it for it in (prev.items if prev else []) if it.kind == "shortcoming" and it.stopic
    }
    out = []
    for it in r.items:
        if it.kind != "shortcoming":
            continue
        causes = [c for c in r.items if c.kind == "cause" and _serves(c, it)]
        types = {c.cause_type for c in causes} | ({it.cause_type} if it.cause_type else set())
        cause = "both" if len(types) == 2 else types.pop() if types else "none"
        cause_spans: list[list[int]] = []
        if it.cause_type:
            cause_spans.append(_span(it, "C") or [it.start, it.end])
        for c in sorted(causes, key=lambda c: c.cause_type != "subjective"):
            cause_spans.append(_span(c, "C") or [c.sent_start, c.sent_end])
        remedies: list[tuple[str | None, list[int], list[int] | None]] = []
        if "R" in it.spans:
            remedies.append((it.deadline, _span(it, "R") or [it.start, it.end], _span(it, "D")))
        for rem in (x for x in r.items if x.kind == "remedy" and _serves(x, it)):
            remedies.append(
                (rem.deadline, _span(rem, "R") or [rem.sent_start, rem.sent_end], _span(rem, "D"))
            )
        remedies.sort(key=lambda x: -_DEADLINE_RANK[x[0]])
        best = remedies[0] if remedies else None
        recurring = prev_by_topic.get(it.stopic) if it.stopic else None
        out.append(
            {
                "start": it.sent_start,
                "end": it.sent_end,
                "text": r.text[it.sent_start : it.sent_end],
                "section": it.section,
                "cause": cause,
                "cause_span": cause_spans[0] if cause_spans else None,
                "cause_spans": cause_spans,
                "remedy": best is not None,
                "remedy_span": best[1] if best else None,
                "deadline": (best[0] or "none") if best else "none",
                "deadline_span": best[2] if best else None,
                "topic": it.stopic,
                "boilerplate": it.boilerplate,
                "recurring": (
                    {
                        "file": prev.file,
                        "year": prev.year,
                        "start": recurring.sent_start,
                        "end": recurring.sent_end,
                    }
                    if recurring is not None and prev is not None
                    else None
                ),
            }
        )
    return out


def followups(r: Rendered, prev: Rendered | None) -> list[dict[str, Any]]:
    """Each of last year's shortcomings and what section III says about it (unreported if nothing)."""
    if prev is None:
        return []
    fixes = {
        (it.prev_ref[1], it.prev_ref[2]): it
        for it in r.items
        if it.kind == "fix" and it.prev_ref and it.prev_ref[0] == prev.file
    }
    out = []
    for p in prev.items:
        if p.kind != "shortcoming":
            continue
        fix = fixes.get((p.start, p.end))
        out.append(
            {
                "source_file": prev.file,
                "source_start": p.sent_start,
                "source_end": p.sent_end,
                "status": fix.status if fix else "unreported",
                "span": [fix.sent_start, fix.sent_end] if fix else None,
            }
        )
    return out


def grade_label(r: Rendered, prev: Rendered | None) -> dict[str, Any]:
    g = r.plan.grade
    reasons: list[str] = []
    points = None
    if g.points is not None and not g.points_blank:
        general, tasks, total = g.points
        points = {"general": general, "tasks": tasks, "total": total}
        if general + tasks != total:
            reasons.append("points_sum")
        if g.claimed:
            lo, hi = LEVEL_BANDS[g.claimed]
            if not lo <= total <= hi:
                reasons.append("band")
    if g.claimed == "excellent":
        products = sum(1 for it in r.items if it.topic in PRODUCT_TOPICS and not it.boilerplate)
        if products < 2:
            reasons.append("excellent_without_products")
        if has_open_previous(r.plan, prev):
            reasons.append("excellent_with_open_shortcomings")
        if any(v != "excellent" and v != "good" for v in g.criteria.values()):
            reasons.append("criterion_below")
    return {
        "claimed": g.claimed,
        "cadre_claimed": g.cadre_claim if "cadre_claim" in r.grade_spans else None,
        "points": points,
        "criteria": dict(g.criteria) or None,
        "spans": {k: list(v) for k, v in r.grade_spans.items()},
        "fits": not reasons,
        "reasons": reasons,
    }


def formalism(
    r: Rendered,
    shortcomings: list[dict[str, Any]],
    grade: dict[str, Any],
    forms_sections: list[str],
    copied: list[dict[str, Any]],
) -> dict[str, Any]:
    items = [it for it in r.items]
    chars = sum(it.end - it.start for it in items) or 1
    by_role = {"history": 0, "peer": 0, "template": 0}
    for c in copied:
        by_role[c["role"]] += c["end"] - c["start"]
    n = len(items) or 1
    present = {s["id"] for s in r.sections}
    thin = []
    for s in r.sections:
        if s["topic"] in _CONTENT_TOPICS:
            content = [it for it in items if it.section == s["id"]]
            if not content or all(it.boilerplate for it in content):
                thin.append(s["id"])
    k = r.plan.knobs
    return {
        "level": round(k.level, 3),
        "markers": list(k.markers),
        "copied_history_share": round(by_role["history"] / chars, 3),
        "copied_peer_share": round(by_role["peer"] / chars, 3),
        "copied_template_share": round(by_role["template"] / chars, 3),
        "copied_share": round(sum(by_role.values()) / chars, 3),
        "boilerplate_share": round(sum(it.boilerplate for it in items) / n, 3),
        "boilerplate_char_share": round(sum(it.end - it.start for it in items if it.boilerplate) / chars, 3),
        "shortcomings": len(shortcomings),
        "shortcomings_with_cause": sum(s["cause"] != "none" for s in shortcomings),
        "shortcomings_with_remedy": sum(s["remedy"] for s in shortcomings),
        "shortcomings_with_concrete_deadline": sum(s["deadline"] == "concrete" for s in shortcomings),
        "placeholders": len(r.placeholders),
        "missing_sections": [sid for sid in forms_sections if sid not in present],
        "thin_sections": thin,
        "grade_fits": grade["fits"],
    }


def build_labels(
    r: Rendered,
    *,
    author: str,
    unit: str,
    split: str,
    history: list[Rendered],
    peers: list[Rendered],
    templates: list[Rendered],
    sources: dict[str, Rendered],
    form_sections: list[str],
    expected_form: str,
) -> dict[str, Any]:
    prev = history[-1] if history else None
    shortcomings = shortcoming_labels(r, prev)
    grade = grade_label(r, prev)
    copied = true_copies(r, copied_runs(r, sources), history=history, peers=peers, templates=templates)
    return {
        "schema": SCHEMA,
        "file": r.file,
        "year": r.year,
        "kind": r.kind,
        "form": r.form,
        "expected_form": expected_form,
        "author": author,
        "unit": unit,
        "split": split,
        "text_sha1": hashlib.sha1(r.text.encode("utf-8")).hexdigest(),
        "history": [{"file": h.file, "year": h.year} for h in history],
        "peers": [{"file": p.file, "year": p.year} for p in peers],
        "templates": [{"file": t.file} for t in templates],
        "copied": copied,
        "sentences": [
            {
                "start": it.sent_start,
                "end": it.sent_end,
                "text": r.text[it.sent_start : it.sent_end],
                "boilerplate": it.boilerplate,
                "section": it.section,
                "topic": it.topic,
                "sub": it.sub,
                "kind": it.kind,
            }
            for it in r.items
        ],
        "shortcomings": shortcomings,
        "followups": followups(r, prev),
        "placeholders": [{"start": s, "end": e, "text": r.text[s:e]} for s, e in r.placeholders],
        "sections": r.sections,
        "form_text": r.form_text,
        "grade": grade,
        "formalistic": r.plan.knobs.formalistic,
        "formalism": formalism(r, shortcomings, grade, form_sections, copied),
    }
