"""Circulating templates ("mẫu viết sẵn"): written out as files and used as a copy source."""

from __future__ import annotations

from typing import Any

from service.corpusgen.forms import FormDef
from service.corpusgen.items import Ctx, strip_trailing
from service.corpusgen.model import GradeSpec, Item, Knobs, Plan
from service.corpusgen.pools import capitalize_first, expand
from service.corpusgen.province import Style

TEMPLATE_STYLE = Style(
    bullet="- ",
    layout="lines",
    end=".",
    markdown=True,
    numbering="keep",
    run_in_p=0.0,
    variant_p=0.0,
    civil=False,
    italic=True,
    clumsy=False,
    connector_p=0.0,
    instructions=True,
    voice="",
)
_HINT_CATEGORY = {"2A": "leader", "2B": "system", "2C": "outside", "01": "collective"}


def template_category(tpl: dict[str, Any]) -> str:
    return _HINT_CATEGORY[tpl["form_hint"]]


def template_plan(ctx: Ctx, tpl: dict[str, Any], year: int, form: FormDef) -> Plan:
    """The template's sentences as items: all stock, causes linked to every shortcoming, blanks kept."""
    ctx.trace.use(tpl)
    items: dict[str, list[Item]] = {}
    keys: list[str] = []
    short_entries = tpl["sections"].get("shortcomings", [])
    for topic, entries in tpl["sections"].items():
        for i, entry in enumerate(entries):
            ctx.trace.use(entry)
            ex = expand(entry["text"], ctx.rng, ctx.slots)
            text, blanks = strip_trailing(ex.text, list(ex.placeholders))
            kind = "blank" if blanks else "plain"
            item = Item(capitalize_first(text), topic, True, kind, blanks=blanks, ids=[entry["id"]])
            if topic == "shortcomings":
                # The entry id stands for the topic, so the same pasted shortcoming is seen again next year.
                item.kind, item.key, item.stopic = "shortcoming", f"k{i + 1}", entry["id"]
                item.topics = tuple(entry.get("topics", ()))
                keys.append(item.key)
            elif topic == "remedies" and (entry.get("for") or entry.get("topics")):
                item.kind, item.links = "remedy", tuple(f"k{n}" for n in entry.get("for", ()))
                # What the remedy speaks of: the shortcomings it was written for, under any of their names.
                named = [
                    t
                    for n in entry.get("for", ())
                    for t in (short_entries[n - 1]["id"], *short_entries[n - 1].get("topics", ()))
                ]
                item.topics = tuple(dict.fromkeys([*named, *entry.get("topics", ())]))
                item.deadline = "vague" if entry.get("deadline_text") else "none"
                if entry.get("deadline_text"):
                    at = item.text.find(entry["deadline_text"])
                    item.spans = {"D": (at, at + len(entry["deadline_text"]))}
            elif topic == "causes":
                item.kind, item.cause_type = "cause", entry.get("cause", "subjective")
            elif topic == "fixes":
                item.kind, item.status = "fix", "stock"
            items.setdefault(topic, []).append(item)
    for cause in items.get("causes", []):
        cause.links = tuple(keys)
    header = {"name": "", "chibo": "Chi bộ <<……………>>", "place": "", "date": "1|1|2000"}
    knobs = Knobs(level=1.0, formalistic=True, boiler_share=1.0, markers=["template"])
    grade = GradeSpec(None, points_blank=True, claim_blank_style="options")
    return Plan(tpl["kind"], year, form.form, items, header, grade, knobs, header_blank=True)
