"""Named causes and remedies matched to the shortcomings they name, all at once.

A cause or remedy often names its shortcoming in other words than the shortcoming's own ("Đối với hạn chế
về việc hoàn thiện hồ sơ bệnh án: …" for "Có 6 phiếu chăm sóc thiếu chữ ký …"). Matched one at a time,
such a label goes to the shortcoming sharing most words with it, often one another label names better
("hồ sơ" of "Hồ sơ năm 2024 chưa nộp lưu trữ"). So the labels of II.2, III and VI are grouped (lines naming
the same shortcoming, in II.2 and in VI alike, form one group) and the groups are matched to the
shortcomings together, one shortcoming per group, maximising what the pairs share: the label's words
count twice, the words of the line's explanation once. Groups sharing nothing with the shortcomings left
over are paired with them in order when as many of each are left and some group found its shortcoming by
its words (a review answers its shortcomings in turn); a lone group sharing nothing names something else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from service.detect.shortcoming_rules import Rules, related, same_label, similarity


@dataclass(frozen=True)
class NamedLine:
    """A cause or remedy line that names a shortcoming: `key` identifies the line to the caller."""

    key: tuple[int, int]
    label: str
    text: str


def _evidence(line: NamedLine, shortcoming: str, rules: Rules) -> float:
    """What a named line shares with a shortcoming: shared units of the label twice, of the rest once, and
    the label's similarity ratio as a tie-breaker."""
    ratio, label_weight = similarity(line.label, shortcoming, rules)
    _, rest_weight = similarity(line.text.replace(line.label, " "), shortcoming, rules)
    if not label_weight and not rest_weight:
        return 0.0
    return 2 * label_weight + rest_weight + ratio / 100


def assign_named(
    lines: list[NamedLine], shortcomings: list[str], in_section: list[bool], rules: Rules
) -> dict[tuple[int, int], list[int]]:
    """For each named line (by key), the shortcomings (indices) it names; lines naming none are absent."""
    groups: list[list[NamedLine]] = []
    for line in lines:
        home = next((g for g in groups if same_label(g[0].label, line.label, rules)), None)
        if home is None:
            groups.append([line])
        else:
            home.append(line)
    if not groups or not shortcomings:
        return {}
    score = np.array(
        [[max(_evidence(line, sc, rules) for line in g) for sc in shortcomings] for g in groups], dtype=float
    )
    rows, cols = linear_sum_assignment(score, maximize=True)
    chosen = {int(g): int(i) for g, i in zip(rows, cols, strict=True) if score[g, i] > 0}
    # Order: the groups sharing nothing with what is left, paired with the shortcomings of II left over.
    rest = [g for g in range(len(groups)) if g not in chosen]
    free = [i for i in range(len(shortcomings)) if in_section[i] and i not in chosen.values()]
    if chosen and rest and len(rest) == len(free) and not score[np.ix_(rest, free)].any():
        chosen.update(zip(rest, free, strict=True))
    result: dict[tuple[int, int], list[int]] = {}
    for g, i in chosen.items():
        # A group names one shortcoming, and any other its label plainly names as well.
        extra = [
            j
            for j, sc in enumerate(shortcomings)
            if j != i and j not in chosen.values() and related(groups[g][0].label, sc, rules, strong=True)
        ]
        for line in groups[g]:
            result[line.key] = sorted({i, *extra})
    return result
