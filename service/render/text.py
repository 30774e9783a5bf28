"""A screening for a person reading in a terminal: summary, then each flag with its place and hint."""

from __future__ import annotations

import textwrap

from service.render.labels import FLAG_NAMES, GRADE_NAMES, KIND_NAMES, SCORE_NAMES, SEVERITY_NAMES
from service.screening import Screening

_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _quote(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _fix_list(screening: Screening) -> list[str]:
    """The secretary's list: what to fix, most important first, grouped by section."""
    if not screening.fixes:
        return ["Việc cần sửa: không có."]
    text = screening.review.text
    out = [f"Việc cần sửa ({len(screening.fixes)}), quan trọng trước:"]
    current: str | None = "\0"
    for number, fix in enumerate(screening.fixes, 1):
        if fix.section_id != current:
            current = fix.section_id
            title = f"Mục {fix.section_id} — {fix.section_title}" if fix.section_id else "Toàn văn bản"
            out.append(f"  {_quote(title, 100)}")
        line, _ = _line_col(text, fix.start)
        more = f" ({fix.count} chỗ)" if fix.count > 1 else ""
        out.extend(
            textwrap.wrap(
                f"{number}. [{SEVERITY_NAMES[fix.severity]}] {fix.what}{more} — dòng {line}",
                100,
                initial_indent="    ",
                subsequent_indent="       ",
            )
        )
    return out


def render_text(screening: Screening) -> str:
    r = screening.review
    out: list[str] = []
    out.append(f"Tệp: {r.source}")
    kind = KIND_NAMES.get(r.kind or "", "chưa rõ")
    out.append(f"Năm: {r.year or 'chưa rõ'} · Loại: {kind} · Mẫu: {r.form or 'chưa nhận ra'}")
    if r.grade:
        out.append(f"Tự xếp loại: {GRADE_NAMES.get(r.grade.level, r.grade.level)}")
    if r.points.total is not None or r.points.general is not None:
        out.append(f"Điểm tự chấm: {r.points.general}/30 + {r.points.tasks}/70 = {r.points.total}/100")
    out.append("")
    out.extend(_fix_list(screening))
    out.append("")
    out.append("Điểm số (0 = tốt, 1 = hình thức):")
    for name, value in screening.scores.items():
        shown = f"{value:.2f}" if value is not None else "—"
        out.append(f"  {SCORE_NAMES[name]}: {shown}")
    out.append("")
    flags = sorted(screening.flags, key=lambda f: (_SEVERITY_ORDER[f.severity], f.start))
    out.append(f"Phát hiện: {len(flags)} vấn đề" if flags else "Không phát hiện vấn đề nào.")
    for i, f in enumerate(flags, 1):
        line, col = _line_col(r.text, f.start)
        section = r.section_at(f.start)
        where = f"dòng {line}, cột {col}" + (f", mục {section.id}" if section else "")
        out.append("")
        out.append(
            f"{i}. [{SEVERITY_NAMES[f.severity]}] {FLAG_NAMES.get(f.code, f.code)} ({f.code}) — {where}"
        )
        out.append(f"   «{_quote(r.text[f.start : f.end])}»")
        out.extend(textwrap.wrap(f.message, 100, initial_indent="   ", subsequent_indent="   "))
        out.extend(textwrap.wrap("Gợi ý: " + f.hint, 100, initial_indent="   ", subsequent_indent="   "))
        source = f.evidence.get("source")
        if source:
            span = f"{f.evidence.get('source_start')}–{f.evidence.get('source_end')}"
            out.append(f"   Nguồn: {source} (năm {f.evidence.get('source_year') or '?'}, ký tự {span})")
    for note in screening.notes:
        out.append(f"Ghi chú: {note}")
    return "\n".join(out) + "\n"
