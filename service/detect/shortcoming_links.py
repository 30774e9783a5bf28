"""Linking causes (II.2, inline "do …") and remedies (VI, III, inline "biện pháp …") to the shortcomings
they explain or address: by the shortcoming a line names (matched for all named lines at once:
`service.detect.shortcoming_labels`), by topic, by order, and by sibling halves of "A; B" lines.
"""

from __future__ import annotations

import re

from service.detect.shortcoming_items import Cause, Extraction, Item, Remedy
from service.detect.shortcoming_rules import (
    Cue,
    Rules,
    bigrams,
    cause_kind,
    closest_among,
    first_match,
    related,
    topic_label,
    topics,
    units,
)
from service.text.temporal import find_time_expressions

_DIGIT = re.compile(r"\d")
Named = dict[tuple[int, int], list[int]]  # named line (start, end) → shortcomings (shortcoming_labels)


def _without(cues: tuple[Cue, ...], text: str) -> str:
    for cue in cues:
        text = cue.regex.sub(" | ", text)
    return text


def _related_to(text: str, ex: Extraction, rules: Rules, *, strong: bool) -> list[int]:
    return [i for i, sc in enumerate(ex.shortcomings) if related(text, sc.text, rules, strong=strong)]


def _phrased(text: str, ex: Extraction, rules: Rules) -> list[int]:
    """Shortcomings sharing a whole phrase with `text` (`strong_pairs` pairs of adjacent syllables)."""
    need = rules.data["similarity"]["strong_pairs"]
    mine = bigrams(text, rules)
    return [i for i, sc in enumerate(ex.shortcomings) if len(mine & bigrams(sc.text, rules)) >= need]


def _closest(text: str, candidates: list[int], ex: Extraction, rules: Rules) -> list[int]:
    """A cause usually explains one shortcoming: keep the closest (see `closest_among`)."""
    return closest_among(text, [sc.text for sc in ex.shortcomings], candidates, rules)


def _by_label(label: str, text: str, ex: Extraction, rules: Rules) -> list[int]:
    """Shortcomings a label names: the closest of those sharing its words, else of those on its topic the
    ones the whole line is closest to (a topic is broad: "nghị quyết" is studied and also drafted)."""
    worded = [i for i, sc in enumerate(ex.shortcomings) if related(label, sc.text, rules)]
    if worded:
        return _closest(label, worded, ex, rules)
    named = topics(label, rules)
    topical = [i for i, sc in enumerate(ex.shortcomings) if named & topics(sc.text, rules)]
    return _closest(text, topical, ex, rules)


def link_causes(ex: Extraction, items: list[Item], n_section: int, rules: Rules, named_to: Named) -> None:
    """II.2 causes. A general cause ("Nguyên nhân chủ yếu là …") covers every shortcoming of II; a cause
    that names its shortcoming ("Việc chậm thanh toán … do …", "hạn chế về X là do …") goes to the one
    `named_to` gives it (`assign_named`), else to the one it names or explains; a cause on a shortcoming's
    topic goes to it; else, when II.2 lists as many causes as II.1 shortcomings, by order. A cause on no
    shortcoming's topic explains those left without a cause."""
    section = list(range(n_section))
    specific: list[int] = []
    for it in items:
        kind, cues = cause_kind(it.text, rules, it.label if it.label in ("subjective", "objective") else None)
        label = topic_label(it.text, rules)
        # "Nguyên nhân chủ yếu …", or "Nguyên nhân chủ quan: …" naming no shortcoming: for all of them.
        general = label is None and bool(
            first_match(rules["general_cause_cues"], it.text) or rules.patterns["cause_label"].match(it.text)
        )
        ex.causes.append(
            Cause(it.start, it.end, it.text, it.section_id, kind, cues, general, None, it.group, label)
        )
        if not general:
            specific.append(len(ex.causes) - 1)
    # Order is counted in lines (or sentences): "A; B" on one line is one cause of the list.
    groups = list(dict.fromkeys(ex.causes[ci].group for ci in specific))
    by_order = len(groups) == n_section >= 2
    orphans: list[int] = []
    for ci in specific:
        cause = ex.causes[ci]
        if cause.label:
            # Named: the one the labels' matching gave it, else the one it names or its explanation is about.
            targets = named_to.get((cause.start, cause.end)) or _by_label(cause.label, cause.text, ex, rules)
            targets = targets or _closest(
                cause.text, _related_to(cause.text, ex, rules, strong=False), ex, rules
            )
        else:
            # Every close match; of the loose ones only the best (a cause usually explains one shortcoming).
            targets = _related_to(cause.text, ex, rules, strong=True)
            targets = targets or _closest(
                cause.text, _related_to(cause.text, ex, rules, strong=False), ex, rules
            )
            if not targets and by_order:
                targets = [section[groups.index(cause.group)]]
            # A cause of a kind ("nể nang" → speaking up) explains every shortcoming of that kind.
            shared = [
                i for i in section if topics(cause.text, rules) & topics(ex.shortcomings[i].text, rules)
            ]
            targets = sorted(set(targets) | set(shared))
            if not targets:
                orphans.append(ci)
        for i in targets:
            ex.shortcomings[i].causes.append(ci)
    for ci, cause in enumerate(ex.causes):
        if cause.general and cause.inline_of is None:
            for i in section:
                ex.shortcomings[i].causes.append(ci)
    for ci in list(orphans):  # the other half of "A; B" goes where its sibling went
        siblings = [
            i
            for i in section
            if any(ex.causes[c].group == ex.causes[ci].group for c in ex.shortcomings[i].causes)
        ]
        for i in siblings:
            ex.shortcomings[i].causes.append(ci)
        if siblings:
            orphans.remove(ci)
    # What no shortcoming claims explains those left without a cause, or all of them when every one has a
    # cause already (II.2 is often one general sentence).
    bare = [i for i in section if not ex.shortcomings[i].causes] or section
    for ci in orphans:
        ex.causes[ci].general = True
        for i in bare:
            ex.shortcomings[i].causes.append(ci)


def link_remedies(ex: Extraction, items: list[Item], rules: Rules, named_to: Named) -> None:
    """A remedy goes to every shortcoming on its topic, or on the topic of the shortcoming's own cause
    ("chưa kịp đề xuất chốt tuần tra" → "Đề xuất lập thêm 1 chốt tuần tra"); one that names its shortcoming
    ("Đối với hạn chế về tin học: …") to the one `named_to` gives it, as the cause naming the same one
    (`assign_named`). A measure in other words goes to the shortcoming left without one (`_orphans_to_bare`).
    A generic line ("khắc phục những hạn chế đã nêu") names no measure and is linked only if
    `generic_remedy_counts`; so is a Party member's general pledge ("giữ gìn đoàn kết nội bộ",
    `pledge_cues`) that names no shortcoming, number or date."""
    unclaimed: list[int] = []
    for it in items:
        cues = tuple(c.id for c in rules["remedy_cues"] if c.regex.search(it.text))
        label = topic_label(it.text, rules)
        # A Party member's general duty restated is no measure against any one shortcoming: only what the
        # line says besides it can link it ("giữ gìn phẩm chất đảng viên, dự đủ các buổi sinh hoạt").
        pledge = None if label or _DIGIT.search(it.text) else first_match(rules["pledge_cues"], it.text)
        text = _without(rules["pledge_cues"], it.text) if pledge else it.text
        if label:  # the one it names, or failing that the one its measure is about
            targets = named_to.get((it.start, it.end)) or _by_label(label, it.text, ex, rules)
            targets = targets or _closest(it.text, _related_to(it.text, ex, rules, strong=False), ex, rules)
            # A measure that plainly answers another shortcoming serves it too, whatever its label says
            # ("Về kỹ năng giao tiếp: lập phiếu hướng dẫn hồ sơ …" for "… hướng dẫn hồ sơ chưa đầy đủ").
            targets = sorted(set(targets) | set(_phrased(it.text, ex, rules)))
        else:
            targets = [
                i
                for i, sc in enumerate(ex.shortcomings)
                if related(text, sc.text, rules)
                or any(
                    not ex.causes[c].general and related(text, ex.causes[c].text, rules) for c in sc.causes
                )
            ]
        gen = None if targets or label else pledge or first_match(rules["generic_remedy_cues"], it.text)
        cues += (gen[1].id,) if gen else ()
        ex.remedies.append(
            Remedy(it.start, it.end, it.text, it.section_id, cues, gen is not None, None, it.group, label)
        )
        ri = len(ex.remedies) - 1
        if not targets and not gen and not label and it.section_id == "VI":
            unclaimed.append(ri)
        for i in targets:
            ex.shortcomings[i].remedies.append(ri)
    # The other half of "A; B" goes where its sibling went.
    for ri in unclaimed:
        sibling = ex.remedies[ri].group
        for sc in ex.shortcomings:
            if any(ex.remedies[r].group == sibling for r in sc.remedies):
                sc.remedies.append(ri)
    _orphans_to_bare(ex, rules)
    if rules.data["generic_remedy_counts"]:
        generic = [ri for ri, r in enumerate(ex.remedies) if r.generic]
        for sc in ex.shortcomings:
            if not sc.remedies:
                sc.remedies.extend(generic)


def _only_one_sharing(ex: Extraction, ri: int, rules: Rules) -> bool:
    """The review names one shortcoming and the line shares a word with it or with its causes."""
    if len(ex.shortcomings) != 1:
        return False
    sc = ex.shortcomings[0]
    mine = units(ex.remedies[ri].text, rules)
    return any(mine & units(t, rules) for t in (sc.text, *(ex.causes[c].text for c in sc.causes)))


def _meant(text: str, rules: Rules, *, committed: bool) -> bool:
    """A line written as a measure: it counts something or sets a date; with `committed` (see
    `_only_one_sharing`), also one that commits ("bản thân sẽ …", "phấn đấu …"): otherwise a commitment
    sharing nothing with a shortcoming is a general intention more often than a measure."""
    if _DIGIT.search(text) or _dated(text, rules):
        return True
    return committed and bool(first_match(tuple(c for c in rules["remedy_cues"] if c.inline), text))


def _dated(text: str, rules: Rules) -> bool:
    """`text` sets a date (not a vague time, not one inside a purpose clause: "để hoàn thành … năm 2026")."""
    purpose = rules.data_pattern("purpose_clause")
    return any(
        not e.vague and not purpose.search(text[max(0, e.start - 40) : e.start])
        for e in find_time_expressions(text)
    )


def _orphans_to_bare(ex: Extraction, rules: Rules) -> None:
    """A measure of VI linked to no shortcoming was still written for one: its words differ from the
    shortcoming's ("Đề xuất bố trí kinh phí thử nghiệm" for "Đề tài cải tiến … dừng ở bước khảo sát").
    It goes to the shortcomings of II left without a remedy that share its topic; failing that, a line
    that counts something ("Mỗi tháng đi 2 tổ dân phố") or sets a date (`_meant`) goes to the one
    shortcoming left without a remedy, or, when as many such lines as such
    shortcomings are left, to them in order (a review answers its shortcomings in turn). Any other line is
    left alone: section VI also holds general intentions ("Giữ vững sức khỏe để tiếp tục đóng góp")."""
    linked = {r for sc in ex.shortcomings for r in sc.remedies}
    orphans = [
        ri
        for ri, r in enumerate(ex.remedies)
        # A line naming a shortcoming not found among them names something else ("Đối với hạn chế về tin
        # học: …" beside "Chưa gần gũi người dân").
        if ri not in linked and not r.generic and not r.label and r.section_id == "VI" and r.inline_of is None
    ]
    bare = [i for i, sc in enumerate(ex.shortcomings) if sc.origin == "section" and not sc.remedies]
    if not orphans or not bare:
        return
    dated: list[int] = []
    for ri in orphans:
        mine = topics(ex.remedies[ri].text, rules)
        shared = [i for i in bare if mine & topics(ex.shortcomings[i].text, rules)]
        for i in shared:
            ex.shortcomings[i].remedies.append(ri)
        if not shared and _meant(ex.remedies[ri].text, rules, committed=_only_one_sharing(ex, ri, rules)):
            dated.append(ri)
    bare = [i for i in bare if not ex.shortcomings[i].remedies]
    if dated and len(bare) == 1:
        ex.shortcomings[bare[0]].remedies.extend(dated)
    elif dated and len(dated) == len(bare):
        for ri, i in zip(dated, bare, strict=True):
            ex.shortcomings[i].remedies.append(ri)
