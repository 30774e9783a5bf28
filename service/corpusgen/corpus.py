"""Generating a labelled synthetic province: the public entry point `generate`."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.corpusgen.canon import canonical_problems, decorate, perturb_file_text
from service.corpusgen.collective import plan_collective
from service.corpusgen.content import decide_grade, draw_knobs, plan_individual
from service.corpusgen.docx_io import docx_bytes
from service.corpusgen.forms import Forms
from service.corpusgen.items import Ctx
from service.corpusgen.labels import build_labels
from service.corpusgen.manifest import build_manifest
from service.corpusgen.model import Knobs, Plan, Rendered
from service.corpusgen.perturb import COPY_TOPICS, apply_copy
from service.corpusgen.pools import Pools, Trace
from service.corpusgen.province import Member, Province, Unit, build_province
from service.corpusgen.slots import Slots
from service.corpusgen.templates import TEMPLATE_STYLE, template_category, template_plan
from service.corpusgen.writer import Writer
from service.paths import CORPUS_DIR

GENERATOR_DIR = CORPUS_DIR / "generator"
DEFAULT_YEARS = (2019, 2023, 2024, 2025)
SIZES: dict[str, dict[str, int]] = {
    "small": {"n_units": 6, "members_per_unit": 6},
    "medium": {"n_units": 36, "members_per_unit": 7},
}
_OUTPUTS = ("reviews", "collective", "templates", "manifest.json")
_PEER_TOPICS = ("quality", "tasks", "commitment", "shortcomings", "causes", "remedies")


@dataclass
class GeneratedCorpus:
    out_dir: Path
    seed: int
    split: str
    manifest: dict[str, Any]
    files: list[str]  # review and collective files (relative to out_dir), labels beside each
    templates: list[str]
    trace: dict[str, frozenset[str]] = field(repr=False)  # pool entry ids used per file
    canonical: dict[str, str] = field(repr=False)  # canonical text per file


@dataclass
class _Doc:
    rendered: Rendered
    author: str
    unit: str
    fmt: str  # txt | docx
    expected_form: str
    history: list[Rendered]
    perturb: dict[str, bool]


def _written_ids(docs: list[Rendered]) -> frozenset[str]:
    """Pool entries whose text stands in `docs`: fresh content drawn again from them would repeat it."""
    return frozenset(i for d in docs for it in d.items for i in it.ids)


def _level(rng: random.Random, propensity: float) -> float:
    return min(1.0, max(0.0, propensity + rng.gauss(0, 0.1)))


def _file_perturbations(rng: random.Random, fmt: str) -> dict[str, bool]:
    return {
        "nfd": rng.random() < 0.12,
        "old_tone": rng.random() < 0.25,
        "crlf": fmt == "txt" and rng.random() < 0.1,
        "trailing": fmt == "txt" and rng.random() < 0.1,
    }


class _Generator:
    def __init__(self, seed: int, split: str, docx_share: float, pools_dir: Path) -> None:
        self.seed, self.split, self.docx_share = seed, split, docx_share
        self.pools = Pools(pools_dir, split)
        self.all_vars: dict[str, Any] = {}
        for role in self.pools.data["roles"]["roles"].values():
            for name, values in role["vars"].items():
                self.all_vars.setdefault(name, values)
        self.forms = Forms(self.pools)
        self.docs: dict[str, _Doc] = {}
        self.traces: dict[str, set[str]] = {}
        self.templates: dict[tuple[int, str], list[Rendered]] = {}
        self.template_meta: list[dict[str, Any]] = []

    def rng(self, *parts: object) -> random.Random:
        return random.Random("|".join(map(str, (self.seed, self.split, *parts))))

    def ctx(
        self, rng: random.Random, trace: Trace, year: int, unit: Unit | None, voice: str, role_vars: Any
    ) -> Ctx:
        slots = Slots(
            self.pools,
            rng,
            trace,
            year=year,
            place=unit.place if unit else "",
            province=self.province.name,
            unit=unit.name if unit else "",
            org=unit.org if unit else "CB",
            orgs=unit.orgs if unit else "UBND",
            voice=voice,
            # A shortcoming or a copied line may name a role word of another role ({subject}); the
            # member's own role words win.
            role_vars={**self.all_vars, **(role_vars or {})},
        )
        return Ctx(self.pools, rng, trace, slots)

    def build(self, n_units: int, members_per_unit: int, years: tuple[int, ...]) -> None:
        self.province_trace = Trace()
        self.province: Province = build_province(
            self.pools,
            self.rng("province"),
            self.province_trace,
            n_units=n_units,
            members_per_unit=members_per_unit,
            years=years,
        )
        for year in years:
            self._templates(year)
        for year in sorted(years):
            for dangbo in self.province.dangbo:
                for unit in dangbo.units:
                    coll = self._collective(unit, dangbo.name, year)
                    peers: list[Rendered] = []
                    for member in unit.members:
                        if year in member.years:
                            peers.append(self._individual(member, unit, dangbo.name, year, coll, peers))

    # -- templates ---------------------------------------------------------------------------------
    def _templates(self, year: int) -> None:
        for tpl in self.pools.data["templates"]["templates"]:
            rng, trace = self.rng("template", tpl["id"], year), Trace()
            ctx = self.ctx(rng, trace, year, None, "", None)
            form = self.forms.for_year(year, template_category(tpl))
            plan = template_plan(ctx, tpl, year, form)
            file = f"templates/{tpl['id']}-{year}.txt"
            site_title = ctx.slots.text(tpl["site_title"])
            rendered = Writer(self.forms, ctx, TEMPLATE_STYLE).render(
                plan, form, file, dangbo="Đảng bộ <<……………>>", site_title=site_title
            )
            self._check(rendered)
            self.traces[file] = trace.ids
            self.templates.setdefault((year, tpl["kind"]), []).append(rendered)
            self.template_meta.append(
                {"file": file, "id": tpl["id"], "kind": tpl["kind"], "year": year, "form": form.form}
            )
            self.docs[file] = _Doc(rendered, "", "", "txt", form.form, [], {})

    # -- documents ---------------------------------------------------------------------------------
    def _history(self, prefix: str, year: int) -> list[Rendered]:
        found = [d.rendered for f, d in self.docs.items() if f.startswith(prefix) and d.rendered.year < year]
        return sorted(found, key=lambda r: r.year)

    def _copy(
        self,
        ctx: Ctx,
        plan: Plan,
        knobs: Knobs,
        history: list[Rendered],
        peers: list[Rendered],
        kind: str,
        category: str,
    ) -> None:
        rng = ctx.rng
        if knobs.template > 0 and self.templates.get((plan.year, kind)):
            options = self.templates[(plan.year, kind)]
            matching = [t for t in options if t.form == plan.form or category == "collective"]
            source = rng.choice(matching if matching and rng.random() < 0.7 else options)
            apply_copy(ctx, plan, source, "template", knobs.template, rng.uniform(0.0, 0.1))
        if knobs.copy_peer > 0 and peers:
            apply_copy(
                ctx,
                plan,
                rng.choice(peers),
                "peer",
                knobs.copy_peer,
                rng.uniform(0.0, 0.2),
                topics=_PEER_TOPICS,
            )
        if knobs.copy_history > 0 and history:
            source = history[-1] if len(history) < 2 or rng.random() < 0.85 else history[-2]
            apply_copy(ctx, plan, source, "history", knobs.copy_history, knobs.edit_rate, topics=COPY_TOPICS)
        swap_p = 0.12 if knobs.formalistic else 0.04
        if rng.random() < swap_p:
            plan.order_swap = rng.choice((("fixes", "remedies"), ("explain", "responsibility")))

    def _collective(self, unit: Unit, dangbo: str, year: int) -> Rendered:
        rng, trace = self.rng(unit.id, "collective", year), Trace()
        leader = unit.members[0]
        ctx = self.ctx(rng, trace, year, unit, "", self.pools.data["roles"]["roles"][leader.role]["vars"])
        history = self._history(f"collective/{unit.id}/", year)
        ctx.avoid = _written_ids(history)
        prev = history[-1] if history else None
        knobs = draw_knobs(rng, _level(rng, unit.propensity), has_history=bool(history), year=year)
        knobs.copy_peer, knobs.wrong_form = 0.0, False
        form = self.forms.for_year(year, "collective")
        plan = plan_collective(ctx, unit, leader.role, form, year, knobs, prev)
        plan.header["signer"] = leader.name
        self._copy(ctx, plan, knobs, history, [], "collective", "collective")
        plan.grade = decide_grade(rng, plan, form, prev)
        fmt = "docx" if rng.random() < self.docx_share else "txt"
        file = f"collective/{unit.id}/{year}.{fmt}"
        style = unit.style.without_markup() if fmt == "docx" else unit.style
        rendered = Writer(self.forms, ctx, style).render(plan, form, file, dangbo=dangbo)
        return self._store(rendered, trace, unit.id, unit.id, fmt, form.form, history, rng)

    def _individual(
        self, member: Member, unit: Unit, dangbo: str, year: int, coll: Rendered, peers: list[Rendered]
    ) -> Rendered:
        rng, trace = self.rng(unit.id, member.id, year), Trace()
        role = self.pools.data["roles"]["roles"][member.role]
        ctx = self.ctx(rng, trace, year, unit, member.style.voice, role["vars"])
        history = self._history(f"reviews/{unit.id}/{member.id}/", year)
        ctx.avoid = _written_ids([*history, *peers])
        prev = history[-1] if history else None
        knobs = draw_knobs(rng, _level(rng, member.propensity), has_history=bool(history), year=year)
        expected = self.forms.for_year(year, member.category)
        form = self.forms.previous_layout(expected) if knobs.wrong_form else expected
        plan = plan_individual(ctx, member, unit, form, year, knobs, prev, coll)
        self._copy(ctx, plan, knobs, history, peers, "individual", member.category)
        plan.header_blank = knobs.header_blank
        plan.year_blank = knobs.header_blank and rng.random() < 0.6
        plan.grade = decide_grade(rng, plan, form, prev)
        fmt = "docx" if rng.random() < self.docx_share else "txt"
        file = f"reviews/{unit.id}/{member.id}/{year}.{fmt}"
        style = member.style.without_markup() if fmt == "docx" else member.style
        rendered = Writer(self.forms, ctx, style).render(plan, form, file, dangbo=dangbo)
        return self._store(
            rendered, trace, f"{unit.id}/{member.id}", unit.id, fmt, expected.form, history, rng
        )

    def _check(self, rendered: Rendered) -> None:
        problems = canonical_problems(rendered.text)
        if problems:
            raise RuntimeError(f"{rendered.file}: generated text is not canonical: {', '.join(problems)}")

    def _store(
        self,
        r: Rendered,
        trace: Trace,
        author: str,
        unit: str,
        fmt: str,
        expected: str,
        history: list[Rendered],
        rng: random.Random,
    ) -> Rendered:
        self._check(r)
        for it in r.items:
            trace.ids.update(it.ids)
        self.traces[r.file] = trace.ids | self.province_trace.ids
        self.docs[r.file] = _Doc(r, author, unit, fmt, expected, history, _file_perturbations(rng, fmt))
        return r

    # -- output ------------------------------------------------------------------------------------
    def write(self, out_dir: Path, params: dict[str, Any]) -> GeneratedCorpus:
        sources = {f: d.rendered for f, d in self.docs.items()}
        files, manifest_files = [], []
        for file, doc in self.docs.items():
            r = doc.rendered
            path = out_dir / file
            path.parent.mkdir(parents=True, exist_ok=True)
            if file.startswith("templates/"):
                path.write_text(decorate(r.text, r.decorations) + "\n", encoding="utf-8")
                continue
            raw = perturb_file_text(decorate(r.text, r.decorations), **doc.perturb)
            if doc.fmt == "docx":
                path.write_bytes(docx_bytes(raw.split("\n")))
            else:
                path.write_bytes((raw + ("\r\n" if doc.perturb["crlf"] else "\n")).encode("utf-8"))
            peers = [
                d.rendered
                for f, d in self.docs.items()
                if d.unit == doc.unit
                and d.rendered.year == r.year
                and d.rendered.kind == r.kind
                and f != file
            ]
            form = self.forms.forms[r.form]
            labels = build_labels(
                r,
                author=doc.author,
                unit=doc.unit,
                split=self.split,
                history=doc.history,
                peers=peers,
                templates=self.templates.get((r.year, r.kind), []),
                sources=sources,
                form_sections=[s.sid for s in form.sections if s.topic and not s.optional],
                expected_form=doc.expected_form,
            )
            labels["file_format"] = doc.fmt
            labels["file_perturbations"] = [k for k, v in doc.perturb.items() if v]
            label_path = path.with_name(path.name + ".labels.json")
            label_path.write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            files.append(file)
            manifest_files.append(
                {
                    "file": file,
                    "labels": file + ".labels.json",
                    "kind": r.kind,
                    "year": r.year,
                    "form": r.form,
                    "author": doc.author,
                    "unit": doc.unit,
                    "formalistic": labels["formalistic"],
                }
            )
        manifest = build_manifest(
            self.province,
            seed=self.seed,
            split=self.split,
            params=params,
            pool_versions=self.pools.versions,
            templates=self.template_meta,
            files=manifest_files,
        )
        (out_dir / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        return GeneratedCorpus(
            out_dir=out_dir,
            seed=self.seed,
            split=self.split,
            manifest=manifest,
            files=files,
            templates=[t["file"] for t in self.template_meta],
            trace={f: frozenset(ids) for f, ids in self.traces.items()},
            canonical={f: d.rendered.text for f, d in self.docs.items()},
        )


def generate(
    seed: int,
    out_dir: Path,
    *,
    n_units: int = SIZES["small"]["n_units"],
    members_per_unit: int = SIZES["small"]["members_per_unit"],
    years: tuple[int, ...] = DEFAULT_YEARS,
    split: str = "train",
    docx_share: float = 0.1,
    overwrite: bool = False,
    pools_dir: Path = GENERATOR_DIR,
) -> GeneratedCorpus:
    """Write a labelled synthetic province under `out_dir`; the same arguments give byte-identical files.

    `split="heldout"` writes only from pool entries the training split never uses.
    """
    out_dir = Path(out_dir)
    if n_units < 1 or members_per_unit < 1:
        raise ValueError("n_units và members_per_unit phải lớn hơn 0")
    if not years:
        raise ValueError("Cần ít nhất một năm kiểm điểm")
    existing = [name for name in _OUTPUTS if (out_dir / name).exists()]
    if existing and not overwrite:
        raise FileExistsError(
            f"Thư mục {out_dir} đã có dữ liệu sinh trước đó ({', '.join(existing)}); "
            "hãy dùng thư mục trống hoặc overwrite=True"
        )
    if existing:
        import shutil

        for name in existing:
            target = out_dir / name
            shutil.rmtree(target) if target.is_dir() else target.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = _Generator(seed, split, docx_share, pools_dir)
    years = tuple(sorted(set(years)))
    gen.build(n_units, members_per_unit, years)
    params = {
        "n_units": n_units,
        "members_per_unit": members_per_unit,
        "years": list(years),
        "docx_share": docx_share,
    }
    return gen.write(out_dir, params)
