"""Laying a plan out on a form in a member's style, recording where everything lands.

Variation real reviews show: numbering lost, a heading run into its first sentence, the civil-servant
headings ("Về tư tưởng chính trị", ...) mixed in, bullets or run-on paragraphs,
connectors, clumsy lower-case starts and missing full stops, form instructions left in, sections swapped.

The text written here is canonical (what `service.text.normalize` yields): "- " bullets, no markdown.
"**bold**" headings, "*italic*" lines and other bullet glyphs are recorded as `decorations` and put into
the file only (`canon.decorate`), like NFD and old tone placement.
"""

from __future__ import annotations

from typing import Any

from service.corpusgen.builder import Builder
from service.corpusgen.forms import FormDef, Forms, SectionDef
from service.corpusgen.items import Ctx, lower_first
from service.corpusgen.model import Item, Plan, Rendered, Span
from service.corpusgen.pools import expand
from service.corpusgen.province import Style

_CIVIL_GROUP = {
    "politics": "politics",
    "degradation": "politics",
    "ethics": "ethics",
    "prohibited": "ethics",
    "style": "style",
    "discipline": "discipline",
    "unity": "discipline",
    "exemplary": "discipline",
}
_CIVIL_ORDER = ("politics", "ethics", "style", "discipline")
_GRADE_TOPICS = ("points", "claim", "grade")


class Writer:
    def __init__(self, forms: Forms, ctx: Ctx, style: Style) -> None:
        self.forms = forms
        self.ctx = ctx
        self.rng = ctx.rng
        self.style = style

    # -- bookkeeping -------------------------------------------------------------------------------
    def _reset(self) -> None:
        self.b = Builder()
        self.spans: dict[str, list[int]] = {}
        self.order: list[str] = []
        self.form_text: list[dict[str, Any]] = []
        self.placeholders: list[Span] = []
        self.items: list[Item] = []
        self.grade_spans: dict[str, Span] = {}
        self.bold: list[Span] = []  # decorations for the file only
        self.glyphs: list[int] = []
        self.italic: list[Span] = []

    def _mark(self, sid: str, start: int, end: int, parents: dict[str, str | None]) -> None:
        node: str | None = sid
        while node:
            if node not in self.spans:
                self.spans[node] = [start, end, -1]
                self.order.append(node)
            else:
                self.spans[node][1] = max(self.spans[node][1], end)
            node = parents.get(node)

    def _form_line(
        self, text: str, kind: str, sid: str, parents: dict[str, str | None], fill: Any = None
    ) -> Span:
        """A line of form text (header, heading, instruction); `<<…>>` in it become placeholders."""
        ex = expand(text, self.rng, fill or (lambda n, a: ""))
        self.b.end_line()
        start, end = self.b.add(ex.text)
        self.form_text.append({"start": start, "end": end, "kind": kind, "section": sid})
        self.placeholders.extend((start + s, start + e) for s, e in ex.placeholders)
        self._mark(sid, start, end, parents)
        return start, end

    # -- entry point -------------------------------------------------------------------------------
    def render(
        self, plan: Plan, form: FormDef, file: str, *, dangbo: str, site_title: str | None = None
    ) -> Rendered:
        self._reset()
        parents: dict[str, str | None] = {s.sid: s.parent for s in form.sections}
        self._header(plan, form, dangbo, site_title, parents)
        sections = self._ordered_sections(plan, form)
        rendering = self._which_render(plan, form, sections)
        for sec in sections:
            if sec.sid not in rendering:
                continue
            if sec.topic in _GRADE_TOPICS:
                self._grade(plan, form, sec, parents)
            elif sec.topic:
                self._leaf(plan, form, sec, parents)
            else:
                self._heading(sec, parents, run_in=False)
        self._signature(plan, parents)
        text = self.b.text()
        sections_out = [
            {
                "id": sid,
                "start": s,
                "end": e,
                "body_start": bs if bs >= 0 else e,
                "topic": form.section(sid).topic if form.section(sid) else sid,
            }
            for sid in self.order
            for s, e, bs in [self.spans[sid]]
        ]
        return Rendered(
            file=file,
            year=plan.year,
            kind=plan.kind,
            form=form.form,
            text=text,
            items=self.items,
            sections=sections_out,
            form_text=self.form_text,
            placeholders=sorted(self.placeholders),
            grade_spans=self.grade_spans,
            plan=plan,
            decorations={
                "bold": self.bold,
                "glyphs": self.glyphs,
                "italic": self.italic,
                "glyph": self.style.bullet,
            },
        )

    def _ordered_sections(self, plan: Plan, form: FormDef) -> list[SectionDef]:
        sections = list(form.sections)
        if plan.order_swap:
            a = next((i for i, s in enumerate(sections) if s.topic == plan.order_swap[0]), None)
            b = next((i for i, s in enumerate(sections) if s.topic == plan.order_swap[1]), None)
            if a is not None and b is not None:
                sections[a], sections[b] = sections[b], sections[a]
        return sections

    def _which_render(self, plan: Plan, form: FormDef, sections: list[SectionDef]) -> set[str]:
        present = {s.sid for s in sections if s.topic in plan.items or s.topic in _GRADE_TOPICS}
        if not form.by_topic("leadership") and plan.items.get("leadership"):
            present |= {s.sid for s in sections if s.topic == "tasks"}
        out = set(present)
        for sid in present:
            node = form.section(sid)
            while node and node.parent:
                out.add(node.parent)
                node = form.section(node.parent)
        return out

    # -- header and signature ----------------------------------------------------------------------
    def _header(
        self, plan: Plan, form: FormDef, dangbo: str, site_title: str | None, parents: dict[str, str | None]
    ) -> None:
        t = self.forms.text
        h = plan.header
        blank = plan.header_blank

        def fill(name: str, arg: str | None) -> str:
            return h.get(name, "")

        if site_title:
            self._form_line(site_title, "title", "header", parents)
        self._form_line(f"ĐẢNG BỘ {dangbo.upper().removeprefix('ĐẢNG BỘ ')}", "header", "header", parents)
        self._form_line(h["chibo"].upper(), "header", "header", parents)
        self._form_line(t["party"], "header", "header", parents)
        if blank or site_title:
            self._form_line("<<……>>, ngày <<…>> tháng <<…>> năm <<…>>", "header", "header", parents)
        else:
            d, m, y = h["date"].split("|")
            self._form_line(f"{h['place']}, ngày {d} tháng {m} năm {y}", "header", "header", parents)
        span = self._form_line(form.title, "title", "header", parents)
        if self.style.markdown:
            self.bold.append(span)
        year_line = t["year_blank"] if plan.year_blank else t["year_line"].replace("{year}", str(plan.year))
        self._form_line(year_line, "title", "header", parents)
        if form.subtitle and self.rng.random() < 0.6:
            self._form_line(form.subtitle, "title", "header", parents)
        if form.header == "collective":
            return
        key = ("header_blank_" if blank else "header_") + form.header
        lines = t[key]
        if self.style.layout == "paragraph" and self.rng.random() < 0.7:
            self._form_line(" ".join(lines), "header", "header", parents, fill)
        else:
            for line in lines:
                self._form_line(line, "header", "header", parents, fill)

    def _signature(self, plan: Plan, parents: dict[str, str | None]) -> None:
        key = "sign_collective" if plan.kind == "collective" else "sign_individual"
        for line in self.forms.text[key]:
            self._form_line(line, "signature", "signature", parents)
        name = "<<……………>>" if plan.header_blank else plan.header.get("signer", plan.header["name"])
        self._form_line(name, "signature", "signature", parents)

    # -- headings ----------------------------------------------------------------------------------
    def _heading_text(self, sec: SectionDef, topic_variant: str | None = None) -> str:
        style, rng = self.style, self.rng
        text, num = sec.text, sec.num
        variants = self.forms.variants.get(topic_variant or sec.topic or "", [])
        if variants and rng.random() < style.variant_p:
            entry = rng.choice(variants)
            self.ctx.trace.use(entry)
            text = entry["text"]
        if style.numbering == "lost" and rng.random() < 0.8:
            num = ""
        if style.numbering == "upper" and sec.depth <= 1 and sec.parent is None:
            text = text.upper()
        return f"{num} {text}".strip()

    def _heading(self, sec: SectionDef, parents: dict[str, str | None], *, run_in: bool) -> Span:
        text = self._heading_text(sec)
        span = self._form_line(text, "heading", sec.sid, parents)
        if self.style.markdown:
            self.bold.append(span)
        if sec.instruction and self.style.instructions:
            self._form_line(sec.instruction, "instruction", sec.sid, parents)
        if run_in:
            if not text.endswith((".", ":")):
                self.b.add(".")
            self.b.add(" ")
        return span

    # -- content -----------------------------------------------------------------------------------
    def _leaf(self, plan: Plan, form: FormDef, sec: SectionDef, parents: dict[str, str | None]) -> None:
        items = list(plan.items.get(sec.topic or "", []))
        lead = (
            plan.items.get("leadership", [])
            if sec.topic == "tasks" and not form.by_topic("leadership")
            else []
        )
        civil = sec.topic == "quality" and self.style.civil and items
        skip_heading = civil and self.rng.random() < 0.5
        run_in = bool(items) and not civil and self.rng.random() < self.style.run_in_p
        if not skip_heading:
            self._heading(sec, parents, run_in=run_in and not sec.instruction)
        if civil:
            groups: dict[str, list[Item]] = {}
            for it in items:
                groups.setdefault(_CIVIL_GROUP.get(it.sub or "", "discipline"), []).append(it)
            for g in _CIVIL_ORDER:
                if g in groups:
                    self._form_line(self.forms.civil[g] + ":", "civil_heading", sec.sid, parents)
                    self._emit(groups[g], sec.sid, parents, continue_line=False)
        else:
            self._emit(items, sec.sid, parents, continue_line=run_in and not sec.instruction)
        if lead:
            self._form_line(self.forms.text["leadership_sub"], "civil_heading", sec.sid, parents)
            self._emit(lead, sec.sid, parents, continue_line=False)
        crit = plan.grade.criteria.get(sec.sid)
        if crit:
            self._criteria_line(sec.sid, crit, parents)

    def _emit(
        self, items: list[Item], sid: str, parents: dict[str, str | None], *, continue_line: bool
    ) -> None:
        style, rng, b = self.style, self.rng, self.b
        paragraph = style.layout == "paragraph"
        semicolon_run = style.clumsy and paragraph and rng.random() < 0.3
        for i, it in enumerate(items):
            last = i == len(items) - 1
            if i == 0:
                if not continue_line:
                    b.end_line()
            elif paragraph:
                b.add(" ")
            else:
                b.end_line()
            line_start = b.length + (1 if not b.line_open and b.length else 0)
            if not paragraph and style.bullet:
                at, _ = b.add("- ")
                if i > 0 or not continue_line:  # only a bullet that starts its line gets the glyph
                    self.glyphs.append(at)
            core = it.text
            sent_start = -1
            if i > 0 and it.kind in ("plain", "cause", "remedy") and rng.random() < style.connector_p:
                entry = self.ctx.pick("individual", "connectors")
                sent_start, _ = b.add(entry["text"].strip() + " ")
                core = lower_first(core)
            elif (style.clumsy and rng.random() < 0.25) or (semicolon_run and i > 0):
                core = lower_first(core)
            start, end = b.add(core)
            if paragraph:
                end_p = ";" if semicolon_run and not last else "."
            elif style.end == ";":
                end_p = "." if last else ";"
            else:
                end_p = style.end
            if style.clumsy and rng.random() < 0.2:
                end_p = ""
            if end_p:
                b.add(end_p)
            if style.italic and not paragraph and (i > 0 or not continue_line):
                self.italic.append((line_start, b.length))
            it.start, it.end = start, end
            it.sent_start = sent_start if sent_start >= 0 else start
            it.sent_end = end + len(end_p)
            it.section = sid
            if core != it.text:
                it.text = core
            self.items.append(it)
            self.placeholders.extend((start + s, start + e) for s, e in it.blanks)
            self._mark(sid, it.sent_start, it.sent_end, parents)
            if self.spans[sid][2] < 0:
                self.spans[sid][2] = it.sent_start

    # -- grade -------------------------------------------------------------------------------------
    def _level_text(self, level: str | None, style: str) -> str:
        if level:
            return self.forms.levels[level]
        if style == "options":
            return "<<" + "; ".join(self.forms.levels.values()) + ">>"
        return "<<……………>>"

    def _value_line(
        self, template: str, values: dict[str, str], key: str, sid: str, parents: dict[str, str | None]
    ) -> None:
        """A form line with a value in it; the value's span is kept for the grade label."""
        name = next(iter(values))
        head, _, tail = template.partition("{" + name + "}")
        ex = expand(values[name], self.rng, lambda n, a: "")
        self.b.end_line()
        start, end = self.b.add(head + ex.text + tail)
        self.form_text.append({"start": start, "end": end, "kind": "grade_line", "section": sid})
        v_start = start + len(head)
        self.grade_spans[key] = (v_start, v_start + len(ex.text))
        self.placeholders.extend((v_start + ps, v_start + pe) for ps, pe in ex.placeholders)
        self._mark(sid, start, end, parents)

    def _criteria_line(self, sid: str, level: str, parents: dict[str, str | None]) -> None:
        crit = self.forms.criteria_levels[level]
        if self.rng.random() < 0.6:
            template = "Tự đánh giá: {crit}"
            values = {"crit": crit}
        else:
            boxes = " ".join(f"{w} {'☒' if w == crit else '☐'}" for w in self.forms.criteria_levels.values())
            template = "Mức tự đánh giá: {boxes}"
            values = {"boxes": boxes}
        self._value_line(template, values, f"criteria:{sid}", sid, parents)

    def _grade(self, plan: Plan, form: FormDef, sec: SectionDef, parents: dict[str, str | None]) -> None:
        g = plan.grade
        t = self.forms.text
        self._heading(sec, parents, run_in=False)
        if sec.topic == "points":
            blank = "<<…>>"
            values = (g.points or (None, None, None)) if not g.points_blank else (None, None, None)
            for line, key, val in zip(t["points_lines"], ("general", "tasks", "total"), values, strict=True):
                name = line[line.index("{") + 1 : line.index("}")]
                self._value_line(line, {name: str(val) if val is not None else blank}, key, sec.sid, parents)
            return
        if sec.topic == "grade":
            return  # the group heading of B; its children carry the lines
        if plan.kind == "collective":
            self._value_line(
                t["claim_collective"],
                {"level": self._level_text(g.claimed, g.claim_blank_style)},
                "claim",
                sec.sid,
                parents,
            )
        elif form.grade == "points":
            self._value_line(
                t["claim_2025"],
                {"level": self._level_text(g.claimed, g.claim_blank_style)},
                "claim",
                sec.sid,
                parents,
            )
        else:
            if plan.header.get("category") != "outside":  # only cadres and civil servants get this line
                level = self._level_text(g.cadre_claim, g.claim_blank_style)
                self._value_line(t["claim_old_cadre"], {"level": level}, "cadre_claim", sec.sid, parents)
            self._value_line(
                t["claim_old_member"],
                {"level": self._level_text(g.claimed, g.claim_blank_style)},
                "claim",
                sec.sid,
                parents,
            )
