"""`kiemdiem demo`: a small synthetic province, screened, with a summary a new user can follow.

Writes the generated province and one HTML report per screened review under the output folder, and prints
which members copied from earlier years, the worst boilerplate, the shortcomings without deadlines and the
ranking of units — the three failures the product exists to find.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from service.batch import BatchResult, load_manifest, screen_year
from service.detect.grade import unit_quota
from service.render import render
from service.render.labels import GRADE_NAMES

DEMO_SEED = 2025
DEMO_YEAR = 2025
DEADLINE_CODES = {"remedy_without_deadline", "vague_deadline", "shortcoming_without_remedy"}


@dataclass
class DemoSummary:
    out_dir: Path
    province: str
    results: list[BatchResult] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    unit_names: dict[str, str] = field(default_factory=dict)
    reports: dict[str, Path] = field(default_factory=dict)


def run_demo(
    out_dir: Path, *, seed: int = DEMO_SEED, n_units: int = 4, members_per_unit: int = 5
) -> DemoSummary:
    from service.corpusgen import generate

    corpus_dir = out_dir / "corpus"
    generate(seed, corpus_dir, n_units=n_units, members_per_unit=members_per_unit, overwrite=True)
    manifest = load_manifest(corpus_dir)
    summary = DemoSummary(out_dir=out_dir, province=manifest["province"]["name"])
    summary.names = {m["id"]: m["name"] for m in manifest["members"]}
    summary.names.update({u["id"]: u["chibo"] for u in manifest["units"]})
    summary.unit_names = {u["id"]: u["chibo"] for u in manifest["units"]}
    reports = out_dir / "reports"
    for result in screen_year(corpus_dir, DEMO_YEAR):
        summary.results.append(result)
        page = reports / (result.entry.file.rsplit(".", 1)[0] + ".html")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render(result.screening, "html"), encoding="utf-8")
        summary.reports[result.entry.file] = page
    (out_dir / "summary.json").write_text(
        json.dumps(_summary_json(summary), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return summary


def _score(result: BatchResult, name: str) -> float:
    return result.screening.scores.get(name) or 0.0


def _summary_json(summary: DemoSummary) -> dict[str, Any]:
    return {
        "province": summary.province,
        "year": DEMO_YEAR,
        "reviews": [
            {
                "file": r.entry.file,
                "author": r.entry.author,
                "unit": r.entry.unit,
                "kind": r.entry.kind,
                "scores": r.screening.scores,
                "flags": len(r.screening.flags),
                "report": str(summary.reports[r.entry.file]),
            }
            for r in summary.results
        ],
    }


def format_summary(summary: DemoSummary) -> str:
    results = summary.results
    out = [
        f"{summary.province} — rà soát {len(results)} bản kiểm điểm năm {DEMO_YEAR} "
        f"(dữ liệu mẫu do kiemdiem sinh ra, không phải người thật).",
        "",
    ]
    individual = [r for r in results if r.entry.kind == "individual"]
    ranked = sorted(individual, key=lambda r: _score(r, "formalism"), reverse=True)
    out.append("Hình thức nhất (điểm tổng hợp 0–1):")
    for r in ranked[:5]:
        s = r.screening.scores
        grade = r.screening.review.grade
        claimed = f", tự nhận “{GRADE_NAMES[grade.level]}”" if grade else ""
        who = summary.names.get(r.entry.author, r.entry.author)
        unit = summary.unit_names.get(r.entry.unit, r.entry.unit)
        out.append(f"  {s['formalism'] or 0:.2f}  {who} ({unit}){claimed} — {len(r.screening.flags)} vấn đề")
    out.append("")
    copiers = [r for r in individual if _score(r, "duplication") >= 0.3]
    copiers.sort(key=lambda r: _score(r, "duplication"), reverse=True)
    out.append(f"Sao chép bản kiểm điểm năm trước (≥ 30% nội dung): {len(copiers)} đảng viên")
    for r in copiers[:5]:
        years = sorted(
            {f.evidence.get("source_year") for f in r.screening.flags if f.code == "copied_from_history"}
            - {None}
        )
        out.append(
            f"  {_score(r, 'duplication'):.0%}  {summary.names.get(r.entry.author, r.entry.author)}"
            f" — chép từ năm {', '.join(map(str, years)) or '?'}"
        )
    out.append("")
    boiler = [
        (f, r) for r in results for f in r.screening.flags if f.code == "boilerplate" and f.severity == "high"
    ] or [(f, r) for r in results for f in r.screening.flags if f.code == "boilerplate"]
    out.append(
        f"Câu sáo rỗng: {sum(1 for r in results for f in r.screening.flags if f.code == 'boilerplate')}"
    )
    for f, r in boiler[:3]:
        sentence = " ".join(r.screening.review.text[f.start : f.end].split())
        out.append(f"  «{sentence[:110]}» — {summary.names.get(r.entry.author, r.entry.author)}")
    out.append("")
    no_deadline = sum(1 for r in results for f in r.screening.flags if f.code in DEADLINE_CODES)
    out.append(f"Khuyết điểm thiếu biện pháp hoặc thời hạn khắc phục cụ thể: {no_deadline}")
    out.append("")
    out.append("Xếp hạng chi bộ (điểm hình thức trung bình của đảng viên):")
    by_unit: dict[str, list[float]] = {}
    for r in individual:
        by_unit.setdefault(r.entry.unit, []).append(_score(r, "formalism"))
    grades: dict[str, list[str]] = {}
    for r in individual:
        grade = r.screening.review.grade
        grades.setdefault(r.entry.unit, []).append(grade.level if grade else "unknown")
    for unit, values in sorted(by_unit.items(), key=lambda kv: -mean(kv[1])):
        out.append(f"  {mean(values):.2f}  {summary.unit_names.get(unit, unit)} ({len(values)} đảng viên)")
        # The quota of excellent ratings is a unit-level rule: reported here, not on any one review.
        out.append(f"        {unit_quota(grades[unit]).message}")
    out.append("")
    worst = ranked[0] if ranked else None
    out.append(f"Báo cáo HTML: {summary.out_dir / 'reports'}/ (mỗi bản kiểm điểm một trang)")
    if worst:
        out.append(f"  ví dụ: {summary.reports[worst.entry.file]}")
    out.append(f"Tóm tắt JSON: {summary.out_dir / 'summary.json'}")
    return "\n".join(out) + "\n"
