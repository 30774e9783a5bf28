"""The rules of shortcomings, causes and remedies (corpus/rules/remedies.yaml) and the topic similarity
that links them: content syllables minus stop words, topic groups, a token-set ratio and shared phrases.
Also what a single text says on its own: the kind of a cause and the shortcoming a cause or remedy names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import yaml
from rapidfuzz import fuzz

from service.paths import CORPUS_DIR

RULES_FILE = CORPUS_DIR / "rules" / "remedies.yaml"
CauseKind = Literal["subjective", "objective", "both"]

SYLLABLE = re.compile(r"[^\W\d_]+|\d+")
_I = re.IGNORECASE


# ---------------------------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class Cue:
    id: str
    regex: re.Pattern[str]
    strong: bool = True
    inline: bool = False
    status: str | None = None


@dataclass(frozen=True)
class Rules:
    version: str
    data: dict[str, Any]  # the raw file: messages, rewrites, thresholds
    cues: dict[str, tuple[Cue, ...]]  # by group name: shortcoming_cues, cause_cues, …
    patterns: dict[str, re.Pattern[str]]  # single patterns: subheading, item_label, contrast, …
    stop_words: frozenset[str]
    topics: tuple[tuple[str, re.Pattern[str]], ...]
    labels: tuple[re.Pattern[str], ...]  # topic_label patterns, each naming its shortcoming as group "x"

    def __getitem__(self, group: str) -> tuple[Cue, ...]:
        return self.cues[group]

    def data_pattern(self, name: str) -> re.Pattern[str]:
        return _pattern(self.data[name])

    def regex(self, source: str) -> re.Pattern[str]:
        """A pattern of the rules file (compiled once, case-insensitive)."""
        return _pattern(source)


def _compile(entry: dict[str, Any]) -> re.Pattern[str]:
    if "phrase" in entry:
        words = [re.escape(w) for w in entry["phrase"].split()]
        return re.compile(r"(?<!\w)" + r"[\s,]+".join(words) + r"(?!\w)", _I)
    return re.compile(entry["pattern"], _I)


@lru_cache(maxsize=64)
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source, _I)


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups = {
        name: tuple(
            Cue(e["id"], _compile(e), e.get("strong", True), e.get("inline", False), e.get("status"))
            for e in entries
        )
        for name, entries in data.items()
        if name.endswith("_cues") or name.endswith("_exceptions")
    }
    single = (
        "intro",
        "subheading",
        "item_label",
        "no_split_after",
        "time_only_sentence",
        "cause_start",
        "cause_subject",
    )
    patterns = {name: re.compile(data[name], _I) for name in single}
    labels = tuple(re.compile(e["pattern"], _I) for e in data["topic_label"])
    patterns["contrast"] = re.compile(data["contrast"]["pattern"], _I)
    patterns["cause_label"] = re.compile(data["cause_label"]["pattern"], _I)
    stop = frozenset(SYLLABLE.findall(data["stop_words"].lower()))
    phrases = sorted(data["stop_phrases"], key=len, reverse=True)
    patterns["stop_phrases"] = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)", _I)
    topics = tuple(
        (
            t["id"],
            re.compile(
                r"(?<!\w)(?:"
                + "|".join([*map(re.escape, t["phrases"]), *t.get("patterns", [])])
                + r")(?!\w)",
                _I,
            ),
        )
        for t in data["topics"]
    )
    return Rules(str(data["version"]), data, groups, patterns, stop, topics, labels)


def first_match(cues: tuple[Cue, ...], text: str, *, min_start: int = 0) -> tuple[int, Cue] | None:
    hits = [(m.start(), c) for c in cues for m in c.regex.finditer(text) if m.start() >= min_start]
    return min(hits, key=lambda h: h[0]) if hits else None


# ------------------------------------------------------------------------------------------ similarity
def _content(text: str, rules: Rules) -> list[str | None]:
    """The syllables of `text` in order, None where a stop word or phrase stood."""
    plain = rules.patterns["stop_phrases"].sub(" | ", _untimed(text, rules).lower())
    return [
        None if w == "|" or w in rules.stop_words or w.isdigit() else w
        for w in re.findall(r"[^\W\d_]+|\d+|\|", plain)
    ]


def _untimed(text: str, rules: Rules) -> str:
    """`text` without the events that only time it ("trước kỳ sinh hoạt chi bộ tháng 4/2026" says when,
    not what: it must not put a remedy on the topic of meetings)."""
    return rules.data_pattern("time_anchor").sub(" | ", text)


def units(text: str, rules: Rules) -> set[str]:
    """Content syllables (stop words out) plus one "§topic" unit per topic group that occurs."""
    found = {w for w in _content(text, rules) if w}
    plain = _untimed(text, rules)
    return found | {"§" + tid for tid, rx in rules.topics if rx.search(plain)}


def bigrams(text: str, rules: Rules) -> set[tuple[str, str]]:
    seq = _content(text, rules)
    return {(a, b) for a, b in pairwise(seq) if a and b}


def similarity(a: str, b: str, rules: Rules) -> tuple[float, int]:
    """(token_set_ratio over content units, plus a bonus when a topic group is shared; weight of the
    shared units, a topic counting topic_weight)."""
    cfg = rules.data["similarity"]
    ua, ub = units(a, rules), units(b, rules)
    shared = ua & ub
    if not shared:
        return 0.0, 0
    topics = sum(u.startswith("§") for u in shared)
    weight = len(shared) - topics + cfg["topic_weight"] * topics
    ratio = fuzz.token_set_ratio(" ".join(sorted(ua)), " ".join(sorted(ub)))
    return min(100.0, ratio + (cfg["topic_bonus"] if topics else 0)), weight


def related(a: str, b: str, rules: Rules, *, strong: bool = False) -> bool:
    """Same topic: enough shared units with a high enough ratio, or a shared multi-syllable phrase
    ("sổ điểm điện tử" shares three syllable pairs however long the rest is)."""
    cfg = rules.data["similarity"]
    ratio, weight = similarity(a, b, rules)
    if weight < cfg["min_shared"] or not {u for u in units(a, rules) & units(b, rules) if u[0] != "§"}:
        return False
    if ratio >= cfg["strong_threshold" if strong else "threshold"]:
        return True
    pairs = len(bigrams(a, rules) & bigrams(b, rules))
    # A shared phrase plus another shared word ("kho lưu trữ … chứng từ" / "lưu trữ hồ sơ, chứng từ").
    return pairs >= cfg["strong_pairs" if strong else "pairs"] or (
        not strong and pairs and weight >= cfg["pair_weight"]
    )


def cause_kind(text: str, rules: Rules, label: str | None = None) -> tuple[CauseKind, tuple[str, ...]]:
    """Subjective (the member's own), objective (circumstances) or both, with the cue ids that decided."""
    obj_spans = [(m.start(), m.end(), c.id) for c in rules["objective_cues"] for m in c.regex.finditer(text)]
    obj = list(dict.fromkeys(i for _, _, i in obj_spans))
    # A subjective word inside an objective phrase ("ý thức … của người dân") is someone else's.
    subj = [
        c.id
        for c in rules["subjective_cues"]
        if any(not any(s <= m.start() < e for s, e, _ in obj_spans) for m in c.regex.finditer(text))
    ]
    if label:
        (subj if label == "subjective" else obj).append(rules.data["cause_label"]["id"])
    if subj and obj:
        return "both", (*subj, *obj)
    if obj:
        return "objective", tuple(obj)
    return ("subjective" if subj else rules.data["default_cause_type"]), tuple(subj)


def closest_among(text: str, texts: list[str], candidates: list[int], rules: Rules) -> list[int]:
    """Of `candidates` (indices into `texts`), the one sharing most with `text` (and any sharing as much,
    with a ratio within `cause_margin`)."""
    scored = [(similarity(text, texts[i], rules), i) for i in candidates]
    if not scored:
        return []
    (best_ratio, best_weight), _ = max(scored, key=lambda s: (s[0][1], s[0][0]))
    margin = rules.data["similarity"]["cause_margin"]
    return [i for (r, w), i in scored if w >= best_weight and r >= best_ratio - margin]


def topics(text: str, rules: Rules) -> set[str]:
    plain = _untimed(text, rules)
    return {tid for tid, rx in rules.topics if rx.search(plain)}


def topic_label(text: str, rules: Rules) -> str | None:
    """The shortcoming a cause or remedy names: "Đối với hạn chế về X: …", "Về X: …", "hạn chế (về|trong)
    X …", "Việc X … do …". None when it names nothing ("một phần do …")."""
    text = rules.data_pattern("connective").sub("", text)
    found = [m for m in (rx.search(text) for rx in rules.labels) if m]
    x = min(found, key=lambda m: m.start()).group("x") if found else None
    if x is None:
        subject = rules.patterns["cause_subject"].match(text)
        x = subject.group("x") if subject else None
    return x if x and (len(units(x, rules)) >= 2 or topics(x, rules)) else None


def same_label(a: str, b: str, rules: Rules) -> bool:
    ua, ub = units(a, rules), units(b, rules)
    return bool(ua and ub) and len(ua & ub) / len(ua | ub) >= 0.6
