"""`kiemdiem demo`: a small synthetic province, screened, with a summary a new user can follow.

Writes the generated province and one HTML report per screened review under the output folder, stores every
screened review with its unit, member and screening in the database (`<out>/kiemdiem.db`, SQLite, unless
KIEMDIEM_DATABASE_URL names another), and prints which members copied from earlier years, the worst
boilerplate, the shortcomings without deadlines and the ranking of units — the three failures the product
exists to find.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from sqlalchemy import make_url, select
from sqlalchemy.orm import Session

from service.api.queries import review_source
from service.api.review_index import index_review, open_index
from service.batch import BatchResult, load_manifest, screen_year
from service.detect.grade import unit_quota
from service.render import render
from service.render.labels import GRADE_NAMES
from service.store import repository as repo
from service.store.db import (
    ENV_URL,
    display_url,
    make_engine,
    session_scope,
    sqlite_url,
    store_errors,
    upgrade,
)
from service.store.models import Review
from service.store.models import Screening as ScreeningRow
from service.text.document import Review as TextReview

DEMO_SEED = 2025
DEMO_YEAR = 2025
DEADLINE_CODES = {"remedy_without_deadline", "vague_deadline", "shortcoming_without_remedy"}
# Code of the demo province in the store; every demo unit and member code starts with it, so a new run
# replaces exactly the previous run's rows, even in a database shared with real units.
DEMO_CODE = "demo"


@dataclass
class DemoSummary:
    out_dir: Path
    province: str
    results: list[BatchResult] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    unit_names: dict[str, str] = field(default_factory=dict)
    reports: dict[str, Path] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    # The store: its URL (never with a password) and what it holds, counted from the database itself.
    database: str = ""
    stored_reviews: int = 0
    stored_screenings: int = 0


def run_demo(
    out_dir: Path, *, seed: int = DEMO_SEED, n_units: int = 4, members_per_unit: int = 5
) -> DemoSummary:
    from service.corpusgen import generate

    url = os.environ.get(ENV_URL, "").strip()
    if not url:
        out_dir.mkdir(parents=True, exist_ok=True)
        url = sqlite_url(out_dir / "kiemdiem.db")
    # The database is prepared first, so an unusable one is reported before half a minute of screening.
    with store_errors(url):
        upgrade(url)
    corpus_dir = out_dir / "corpus"
    generate(seed, corpus_dir, n_units=n_units, members_per_unit=members_per_unit, overwrite=True)
    manifest = load_manifest(corpus_dir)
    summary = DemoSummary(out_dir=out_dir, province=manifest["province"]["name"], manifest=manifest)
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
    save_to_store(summary, url)
    (out_dir / "summary.json").write_text(
        json.dumps(_summary_json(summary), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return summary


def save_to_store(summary: DemoSummary, url: str) -> None:
    """Store the demo's units, members, reviews and screenings, replacing those of an earlier run, then
    count what the database holds."""
    with store_errors(url):
        engine = make_engine(url)
        try:
            upgrade(engine)
            with session_scope(engine) as session:
                removed, stored = _write(session, summary)
            # Indexed once committed, so a demo database is ready for the service's cross-unit search.
            index = open_index(engine)
            for review_id in removed:
                index.remove(review_source(review_id))
            for review_id, review in stored:
                index_review(index, review_id, review)
            with session_scope(engine) as session:
                summary.stored_reviews = repo.count(session, Review)
                summary.stored_screenings = repo.count(session, ScreeningRow)
        finally:
            engine.dispose()
    summary.database = display_url(url)


def _write(session: Session, summary: DemoSummary) -> tuple[list[int], list[tuple[int, TextReview]]]:
    """Store the demo; returns the ids of the previous run's reviews (removed) and the new reviews."""
    manifest = summary.manifest
    removed = list(session.scalars(select(Review.id).where(Review.unit_id.in_(repo.subtree(DEMO_CODE)))))
    repo.remove_unit(session, DEMO_CODE)
    province = repo.unit(session, DEMO_CODE, summary.province, "province")
    grassroots = {
        d["id"]: repo.unit(session, f"{DEMO_CODE}/{d['id']}", d["name"], "grassroots", parent=province)
        for d in manifest["province"]["dangbo"]
    }
    chibo = {
        u["id"]: repo.unit(
            session, f"{DEMO_CODE}/{u['id']}", u["chibo"], "chibo", parent=grassroots[u["dangbo"]]
        )
        for u in manifest["units"]
    }
    members = {
        m["id"]: repo.member(session, f"{DEMO_CODE}/{m['id']}", m["name"], chibo[m["unit"]])
        for m in manifest["members"]
    }
    added: list[tuple[int, TextReview]] = []
    for result in summary.results:
        entry, review = result.entry, result.screening.review
        stored = repo.add_review(
            session,
            unit=chibo[entry.unit],
            member=members[entry.author] if entry.kind == "individual" else None,
            year=entry.year,
            kind=entry.kind,
            source=entry.file,
            text=review.text,
            form=review.form,
        )
        repo.save_screening(session, stored, result.screening)
        added.append((stored.id, review))
    return removed, added


def _score(result: BatchResult, name: str) -> float:
    return result.screening.scores.get(name) or 0.0


def _summary_json(summary: DemoSummary) -> dict[str, Any]:
    return {
        "province": summary.province,
        "year": DEMO_YEAR,
        "database": summary.database,
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


def _database_name(url: str) -> str:
    """An SQLite database by its file (what a user opens), any other by its URL (password hidden)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return f"{parsed.database} (SQLite)"
    return url


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
    out.append(
        f"Cơ sở dữ liệu: {_database_name(summary.database)} — đang lưu {summary.stored_reviews} "
        f"bản kiểm điểm và {summary.stored_screenings} kết quả rà soát"
    )
    return "\n".join(out) + "\n"
