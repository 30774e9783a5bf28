"""Plain text of a .docx body: paragraphs and tables in document order, with list numbering rebuilt.

python-docx gives a paragraph's runs but not the number Word draws before a list item ("1.", "a)", "II."),
and a review's section headings are often such items; `DocxRenderer` rebuilds them from the numbering and
style parts. It is kept apart from `service.text.readers`, which checks the file itself (zip sanity, size,
legacy or encrypted Word files) and turns every failure into a `ReadError`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from docx.oxml.ns import qn

_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_T, _W_TAB, _W_BR, _W_CR, _W_NBH = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
# Containers whose text is not running text of the paragraph (text boxes, deletions, VML duplicates).
_SKIP = {
    qn("w:txbxContent"),
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:pPr"),
    qn("w:rPr"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",  # repeats mc:Choice
}
_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo")}
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROMAN_VALUES = (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1)
_ROMAN_SYMBOLS = ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I")
_Level = tuple[str, str | None, int]  # numFmt, lvlText, start
_DEFAULT_LVLTEXT = {"decimal": "%1.", "upperRoman": "%1.", "lowerRoman": "%1.", "lowerLetter": "%1)"}


def _val(el: Any, tag: str) -> str | None:
    child = el.find(qn(tag)) if el is not None else None
    return None if child is None else child.get(qn("w:val"))


class DocxRenderer:
    """Body paragraphs and tables in order, with list numbering rebuilt (python-docx does not render it)."""

    def __init__(self, document: Any) -> None:
        self.body = document.element.body
        self.levels: dict[str, dict[int, _Level]] = {}  # numId → ilvl → level
        self.style_levels: dict[str, int] = {}  # styleId named by a level's pStyle → ilvl
        # styleId → numId, ilvl, basedOn, name
        self.styles: dict[str, tuple[str | None, str | None, str | None, str]] = {}
        self.default_style: str | None = None
        self.counters: dict[str, dict[int, int]] = {}
        try:
            self._load_styles(document.styles.element)
            self._load_numbering(document.part)
        except Exception:  # numbering is a nicety: without it lists fall back to "- " for bullets
            logging.getLogger(__name__).debug("numbering unreadable", exc_info=True)

    def _load_styles(self, styles_el: Any) -> None:
        for st in styles_el.iter(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            if sid is None:
                continue
            num_pr = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            self.styles[sid] = (
                _val(num_pr, "w:numId"),
                _val(num_pr, "w:ilvl"),
                _val(st, "w:basedOn"),
                _val(st, "w:name") or sid,
            )
            if st.get(qn("w:type")) == "paragraph" and st.get(qn("w:default")) in ("1", "true"):
                self.default_style = sid

    def _load_numbering(self, part: Any) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from lxml import etree

        try:
            blob = part.part_related_by(RT.NUMBERING).blob
        except KeyError:
            return  # no lists in this document
        root = etree.fromstring(blob)
        abstract = {an.get(qn("w:abstractNumId")): an for an in root.iter(qn("w:abstractNum"))}
        for num in root.iter(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            an = abstract.get(_val(num, "w:abstractNumId") or "")
            levels = self._read_levels(an) if an is not None else {}
            for ov in num.iter(qn("w:lvlOverride")):
                ilvl = int(ov.get(qn("w:ilvl"), "0"))
                levels.update(self._read_levels(ov))
                start = _val(ov, "w:startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (*levels[ilvl][:2], int(start))
            self.levels[num_id] = levels
            # A level may name the paragraph style that carries it; that is how "List Number 2" finds ilvl.
            for lvl in an.iter(qn("w:lvl")) if an is not None else ():
                style = _val(lvl, "w:pStyle")
                if style:
                    self.style_levels.setdefault(style, int(lvl.get(qn("w:ilvl"), "0")))

    @staticmethod
    def _read_levels(parent: Any) -> dict[int, _Level]:
        out = {}
        for lvl in parent.findall(qn("w:lvl")):
            start = _val(lvl, "w:start")
            out[int(lvl.get(qn("w:ilvl"), "0"))] = (
                _val(lvl, "w:numFmt") or "decimal",
                _val(lvl, "w:lvlText"),
                int(start) if start and start.lstrip("-").isdigit() else 1,
            )
        return out

    def render(self) -> str:
        lines: list[str] = []
        for block in self._blocks(self.body):
            if block.tag == _W_P:
                lines.append(self._paragraph(block))
            else:
                lines.extend(self._table_rows(block))
        return "\n".join(lines)

    def _blocks(self, parent: Any, tags: tuple[str, ...] = (_W_P, _W_TBL)) -> Iterator[Any]:
        for child in parent:
            if child.tag in tags:
                yield child
            elif child.tag in _WRAPPERS:  # content controls and tracked insertions hold ordinary blocks
                yield from self._blocks(child, tags)

    def _table_rows(self, tbl: Any) -> list[str]:
        rows = []
        for tr in self._blocks(tbl, (_W_TR,)):
            cells = []
            for tc in self._blocks(tr, (_W_TC,)):
                parts = [  # a nested table is flattened into its cell
                    self._paragraph(b) if b.tag == _W_P else " ".join(self._table_rows(b))
                    for b in self._blocks(tc)
                ]
                # One line per row: line breaks inside a cell become spaces.
                cell = " ".join(" ".join(p.split("\n")).strip() for p in parts if p.strip())
                if cell:
                    cells.append(cell)  # empty cells (layout, vertical merges) add nothing but " | "
            if cells:
                rows.append(" | ".join(cells))
        return rows

    def _paragraph(self, p: Any) -> str:
        text = "".join(self._runs_text(p))
        if not text.strip():
            self._prefix(p)  # Word still counts an empty list item
            return text
        return self._prefix(p) + text

    def _runs_text(self, el: Any) -> Iterator[str]:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:  # comments and PIs have non-str tags
                continue
            if tag == _W_T:
                yield child.text or ""
            elif tag == _W_TAB:
                yield "\t"
            elif tag == _W_CR or (tag == _W_BR and child.get(qn("w:type"), "textWrapping") == "textWrapping"):
                yield "\n"
            elif tag == _W_NBH:
                yield "-"
            else:
                yield from self._runs_text(child)

    def _prefix(self, p: Any) -> str:
        p_pr = p.find(qn("w:pPr"))
        num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        num_id, ilvl = _val(num_pr, "w:numId"), _val(num_pr, "w:ilvl")
        style = _val(p_pr, "w:pStyle") or self.default_style
        style_name = self.styles[style][3] if style in self.styles else ""
        sid, seen = style, set()
        # List styles carry their numPr; a paragraph inherits it through the basedOn chain.
        while sid in self.styles and sid not in seen and (num_id is None or ilvl is None):
            seen.add(sid)
            s_num, s_ilvl, base, _ = self.styles[sid]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
            sid = base
        if num_id is None or num_id == "0":  # numId 0 explicitly switches numbering off
            return ""
        levels = self.levels.get(num_id)
        if ilvl is None and style in self.style_levels:
            ilvl = str(self.style_levels[style])
        level = int(ilvl) if ilvl and ilvl.isdigit() else 0
        if not levels or level not in levels:
            return "- " if "bullet" in style_name.lower() else ""
        fmt, lvl_text, start = levels[level]
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]  # a new item at this level restarts the levels below it
        template = lvl_text or _DEFAULT_LVLTEXT.get(fmt, "%1.").replace("%1", f"%{level + 1}")

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            k_fmt, _, k_start = levels.get(k, ("decimal", None, 1))
            return _format_number(counters.get(k, k_start), k_fmt)

        label = re.sub(r"%([1-9])", number, template).strip()
        return f"{label} " if label else ""


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        out, rest = "", n
        for value, sym in zip(_ROMAN_VALUES, _ROMAN_SYMBOLS, strict=True):
            while rest >= value:
                out, rest = out + sym, rest - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = _LETTERS[(n - 1) % 26] * ((n - 1) // 26 + 1)  # Word's a … z, aa … zz
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
