"""Top-level sections whose headings the form parser did not recognise ("VI. Hướng khắc phục", "IV. Giải
trình (nếu có). - Không có.", "Phương hướng năm tới. - …"), recovered from their heading lines so that
remedies in them are not read as part of section V, nor a "IV. …" line as a cause of section II.2.

A heading line is found by the cues of `stray_headings` in corpus/rules/remedies.yaml: a Roman numeral
with the words of that section's title, or the title words alone when the line holds only the heading or
the heading and a bullet. A recovered heading ends every other section that contains it; one of a section
the parser did not find starts that section, up to the next heading. `closing` lines (the grading part,
the signature block) only end what contains them.
"""

from __future__ import annotations

import dataclasses
import re

from service.detect.shortcoming_rules import Rules
from service.text.document import Review, Section

# After the title words, the heading runs to a full stop or colon before the text, or to the line's end.
_HEADING_END = re.compile(r"[.:]\s+(?=\S)|\s*$")
_MAX_HEADING = 220


@dataclasses.dataclass(frozen=True)
class _Heading:
    id: str | None  # None: a closing line (grading, signature) that only ends a section
    start: int
    body_start: int
    title: str


def _top(section_id: str) -> str:
    return section_id.split(".")[0]


def _headings(review: Review, rules: Rules) -> list[_Heading]:
    spec = rules.data["stray_headings"]
    numeral = rules.regex(spec["numeral"])
    titles = [(t["id"], rules.regex(t["pattern"])) for t in spec["titles"]]
    closing = rules.regex(spec["closing"])
    found: list[_Heading] = []
    pos = 0
    for line in review.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        lead = len(line) - len(line.lstrip(" *_#"))
        body = line[lead:]
        num = numeral.match(body)
        rest = body[num.end() :] if num else body
        for sid, title in titles:
            m = title.match(rest)
            if not m or (num and num.group("num").upper() != sid):
                continue
            end = _HEADING_END.search(rest, m.end())
            cut = end.start() if end else len(rest)
            after = rest[end.end() :] if end else ""
            # Unnumbered title words open a heading only when nothing but a bullet follows on its line.
            if cut > _MAX_HEADING or (not num and after and after.lstrip(" *_")[:1] not in "-+•"):
                continue
            heading_end = start + lead + (num.end() if num else 0) + (end.end() if end else len(rest))
            heading_end = min(heading_end, start + len(line))
            found.append(_Heading(sid, start, heading_end, line[: heading_end - start].strip(" *_#")))
            break
        else:
            if closing.match(body):
                found.append(_Heading(None, start, start, body))
    return found


def recover_sections(review: Review, rules: Rules) -> Review:
    """The review with the top-level sections the form parser missed added, and the sections that ran
    over a heading it missed ended there. The same review when there is nothing to recover."""
    parsed = {s.id for s in review.sections}
    stray = [h for h in _headings(review, rules) if h.id is None or h.id not in parsed]
    if not stray:
        return review
    sections = list(review.sections)
    for h in stray:  # a heading ends every section of another part that runs over it
        sections = [
            dataclasses.replace(s, end=h.start)
            if s.body_start <= h.start < s.end and (h.id is None or _top(s.id) != h.id)
            else s
            for s in sections
        ]
    starts = sorted({s.start for s in sections} | {h.start for h in stray} | {len(review.text)})
    seen: set[str] = set()
    for h in stray:
        if h.id is None or h.id in seen or h.id in rules.data["stray_headings"]["boundary_only"]:
            continue
        seen.add(h.id)
        end = next(p for p in starts if p > h.start)
        sections.append(Section(h.id, h.title, h.start, end, min(h.body_start, end), h.title))
    sections.sort(key=lambda s: (s.start, -s.end))
    return dataclasses.replace(review, sections=sections)
